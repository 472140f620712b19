import { describeValue, MatcherResult } from './matcher-result';
import { GraphPairResult } from '../graph/graph-verification-report';
import { ServiceGraph } from '../graph/service-graph';

/** How many failed expectations a failure message lists before it summarizes the rest. */
const SHOWN = 20;

/**
 * `expect(graph).toAllowExactlyTheDeclaredCalls()`: runs `graph.verify()` (the
 * analyzer over what the graph's App synthesizes, compared as exact connection
 * sets) and fails on any pair whose allowed connections differ from the
 * declared ones, listing each with what is extra or missing and why.
 */
export function toAllowExactlyTheDeclaredCalls(received: ServiceGraph, options: { acceptNotCovered?: boolean } = {}): MatcherResult {
  if (!(received instanceof ServiceGraph)) {
    throw new Error(`toAllowExactlyTheDeclaredCalls expects a ServiceGraph, got ${describeValue(received)}.`);
  }
  const report = received.verify();
  const failed = report.results.filter((r) => !r.ok);
  // a proof that passes must not hide what it did not look at
  const uncovered = options.acceptNotCovered ? [] : report.notCovered;
  const pass = failed.length === 0 && uncovered.length === 0;
  const notCoveredText = uncovered.length
    ? `\n\nThe proof does not cover ${uncovered.length} declaration(s) yet:\n${uncovered.map((line) => `  ${line}`).join('\n')}\n` +
      'Pass { acceptNotCovered: true } once you know.'
    : '';
  return {
    pass,
    message: () => (pass
      ? `Expected ${received.node.path} not to allow exactly its declared calls, but all ${report.passed} pairs allow exactly what is declared.`
      : failed.length === 0
        ? `Expected ${received.node.path} to allow exactly its declared calls: all ${report.passed} pairs do, but${notCoveredText.replace(/^\n\nThe/, ' the')}`
        : `Expected ${received.node.path} to allow exactly its declared calls, but ${failed.length} of ${report.results.length} pairs differ:\n\n`
          + failed.slice(0, SHOWN).map(describeFailure).join('\n')
          + (failed.length > SHOWN ? `\n... and ${failed.length - SHOWN} more.` : '')
          + notCoveredText),
  };
}

function describeFailure(result: GraphPairResult): string {
  return `  ${result.from} -> ${result.to}: ${result.reason}`;
}

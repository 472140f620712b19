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
export function toAllowExactlyTheDeclaredCalls(received: ServiceGraph): MatcherResult {
  if (!(received instanceof ServiceGraph)) {
    throw new Error(`toAllowExactlyTheDeclaredCalls expects a ServiceGraph, got ${describeValue(received)}.`);
  }
  const report = received.verify();
  const failed = report.results.filter((r) => !r.ok);
  const pass = failed.length === 0;
  return {
    pass,
    message: () => (pass
      ? `Expected ${received.node.path} not to allow exactly its declared calls, but all ${report.passed} pairs allow exactly what is declared.`
      : `Expected ${received.node.path} to allow exactly its declared calls, but ${failed.length} of ${report.results.length} pairs differ:\n\n`
        + failed.slice(0, SHOWN).map(describeFailure).join('\n')
        + (failed.length > SHOWN ? `\n... and ${failed.length - SHOWN} more.` : '')),
  };
}

function describeFailure(result: GraphPairResult): string {
  return `  ${result.from} -> ${result.to}: ${result.reason}`;
}

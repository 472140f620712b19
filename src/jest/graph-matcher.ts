import { describeValue, MatcherResult } from './matcher-result';
import { ExpectationResult } from '../analysis/verification';
import { ServiceGraph } from '../graph/service-graph';

/** How many failed expectations a failure message lists before it summarizes the rest. */
const SHOWN = 20;

/**
 * `expect(graph).toAllowExactlyTheDeclaredCalls()`: runs `graph.verify()` (the
 * analyzer over what the graph's App synthesizes) and fails on any difference
 * from `graph.expectations()`, listing each flow with the reason.
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
      ? `Expected ${received.node.path} not to allow exactly its declared calls, but all ${report.passed} expectations hold.`
      : `Expected ${received.node.path} to allow exactly its declared calls, but ${failed.length} of ${report.results.length} expectations do not hold:\n\n`
        + failed.slice(0, SHOWN).map(describeFailure).join('\n')
        + (failed.length > SHOWN ? `\n... and ${failed.length - SHOWN} more.` : '')),
  };
}

function describeFailure(result: ExpectationResult): string {
  const verdict = result.expected ? 'must be allowed, but is denied' : 'must be denied, but is allowed';
  return `  ${result.from} -> ${result.to} ${result.port}/${result.protocol} ${verdict}: ${result.reason}`;
}

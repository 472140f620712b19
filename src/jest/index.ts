/**
 * Jest matchers for cdk8s-netpol: assert which flows your charts allow.
 *
 * ```ts
 * import { netpolMatchers } from 'cdk8s-netpol/lib/jest';
 * expect.extend(netpolMatchers);
 *
 * expect(chart).toAllowTraffic({ from: 'shop/frontend', to: 'shop/api', port: 8080 });
 * expect(chart).toDenyTraffic({ from: frontend, to: database, port: 5432 });
 * expect(serviceGraph).toAllowExactlyTheDeclaredCalls();
 * ```
 *
 * Not part of the jsii API: Jest is a TypeScript/JavaScript tool.
 */
import { TrafficFlow } from './matchers';

export { netpolMatchers } from './matchers';
export type { TrafficEndpoint, TrafficFlow, TrafficSubject } from './matchers';

declare global {
  // eslint-disable-next-line @typescript-eslint/no-namespace
  namespace jest {
    interface Matchers<R> {
      /** Passes when the NetworkPolicies allow the flow (egress at the source and ingress at the destination). */
      toAllowTraffic(flow: TrafficFlow): R;
      /** Passes when the NetworkPolicies deny the flow; fails with the rule that allows it. */
      toDenyTraffic(flow: TrafficFlow): R;
      /**
       * On a ServiceGraph: passes when the synthesized policies allow exactly the declared calls
       * (`graph.verify()` finds no difference from `graph.expectations()`).
       * Fails too when the graph declares what the proof does not cover yet
       * (`verify().notCovered`: HTTP limits, DNS names, the API server), unless
       * `{ acceptNotCovered: true }` says that is known.
       */
      toAllowExactlyTheDeclaredCalls(options?: { acceptNotCovered?: boolean }): R;
    }
  }
}

/**
 * The analyzer against the naive tier evaluator (test/support/naive-cilium-evaluator.ts,
 * written from Cilium's documentation and sources, sharing no code with src/)
 * on random clusters with v1 NetworkPolicies and random Cilium policies:
 * every flow between every endpoint and address on every probed port, and
 * connections() agreeing with both.
 */
import * as fc from 'fast-check';
import { Analyzer } from '../../../src/analysis/analyzer';
import { Protocol } from '../../../src/protocol';
import { naiveTierIsAllowed } from '../../support/naive-cilium-evaluator';
import { NaiveFlow } from '../../support/naive-evaluator';
import { propertyRuns, propertyTimeout } from '../../support/property-runs';
import { ciliumPoliciesArb } from '../../support/random-cilium-policies';
import { clusterArb, NAMESPACE_NAMES, POLICY_PORTS, PROTOCOLS } from '../../support/random-cluster';

const RUNS = propertyRuns(60);

// Cilium policies in the namespaces that have pods, so that their selectors and peers meet some
const clusterWithCiliumArb = clusterArb.chain((cluster) => {
  const namespaces = [...new Set(cluster.endpoints.map((e) => e.split('/')[0]))];
  return ciliumPoliciesArb(namespaces.length ? namespaces : NAMESPACE_NAMES).map((cilium) => ({ cluster, cilium }));
});

describe('the analyzer and the naive evaluator, with Cilium policies in the tier', () => {
  test('agree on every flow, and connections() agrees with both', () => {
    let flowsChecked = 0;
    let allowedSeen = 0;
    fc.assert(
      fc.property(clusterWithCiliumArb, ({ cluster, cilium }) => {
        const objects = [...cluster.objects, ...cilium];
        const analyzer = Analyzer.fromManifests(structuredClone(objects));
        const all = [...cluster.endpoints, ...cluster.externals];
        const probes = new Map(cluster.probes.map(([p, proto]) => [`${p}/${proto}`, [p, proto] as const]));
        for (const port of POLICY_PORTS) for (const proto of PROTOCOLS) if (probes.size < 12) probes.set(`${port}/${proto}`, [port, proto]);
        const problems: string[] = [];
        for (const from of all) {
          for (const to of all) {
            if (from.startsWith('ip:') && to.startsWith('ip:')) continue;
            const connections = analyzer.connections(from, to);
            for (const [port, protocol] of probes.values()) {
              const flow: NaiveFlow = { from, to, port, protocol };
              const expected = naiveTierIsAllowed(objects, flow);
              const actual = analyzer.isAllowed({ from, to, port, protocol: Protocol[protocol] });
              const bySet = connections.allows(port, Protocol[protocol]);
              flowsChecked++;
              if (expected) allowedSeen++;
              if (actual !== expected || bySet !== expected) {
                problems.push(`${from} -> ${to} ${protocol} ${port}: naive ${expected}, isAllowed ${actual}, connections ${bySet}`);
              }
            }
          }
        }
        if (problems.length > 0) {
          throw new Error(`${problems.slice(0, 5).join('\n')}\nCilium policies: ${JSON.stringify(cilium)}`);
        }
      }),
      { numRuns: RUNS },
    );
    // the property said something: many flows, both answers (per case, about 370 flows, 150 to 200 of them allowed: half that is asked)
    expect(flowsChecked).toBeGreaterThan(180 * RUNS);
    expect(allowedSeen).toBeGreaterThan(50 * RUNS);
    expect(flowsChecked - allowedSeen).toBeGreaterThan(50 * RUNS);
  }, propertyTimeout(120_000));
});

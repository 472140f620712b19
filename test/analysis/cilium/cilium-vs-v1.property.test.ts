import * as fc from 'fast-check';
import { Analyzer } from '../../../src/analysis/analyzer';
import { Protocol } from '../../../src/protocol';
import { translateToCilium } from '../../support/cilium-translation';
import { propertyRuns, propertyTimeout } from '../../support/property-runs';
import { clusterArb, flowsOf } from '../../support/random-cluster';

describe('CiliumNetworkPolicy and NetworkPolicy saying the same', () => {
  test('give exactly the same connections() for every pair, and the Cilium cluster\'s connectivity() and isAllowed agree with its connections()', () => {
    fc.assert(
      fc.property(clusterArb, (cluster) => {
        const v1 = Analyzer.fromManifests(structuredClone(cluster.objects));
        const cilium = Analyzer.fromManifests(translateToCilium(structuredClone(cluster.objects)));
        const problems: string[] = [];
        const all = [...cluster.endpoints, ...cluster.externals];
        const listed = new Map(cilium.connectivity().map((p) => [`${p.from} -> ${p.to}`, p.allowed]));
        for (const from of all) {
          for (const to of all) {
            if (from.startsWith('ip:') && to.startsWith('ip:')) continue;
            const expected = v1.connections(from, to);
            const actual = cilium.connections(from, to);
            if (!actual.isSameAs(expected)) problems.push(`${from} -> ${to}: v1 ${expected}, Cilium ${actual}`);
            const loopback = from === to && from.includes('/pod-');
            if (!from.startsWith('ip:') && !to.startsWith('ip:') && !loopback) {
              const fromList = listed.get(`${from} -> ${to}`);
              if (!(fromList ?? actual.subtract(actual)).isSameAs(actual)) problems.push(`${from} -> ${to}: connections ${actual}, connectivity ${fromList}`);
            }
          }
        }
        for (const flow of flowsOf(cluster)) {
          const protocol = Protocol[flow.protocol ?? 'TCP'];
          if (cilium.isAllowed({ ...flow, protocol }) !== cilium.connections(flow.from, flow.to).allows(flow.port, protocol)) {
            problems.push(`${flow.from} -> ${flow.to} ${protocol} ${flow.port}: isAllowed and connections disagree`);
          }
        }
        if (problems.length > 0) throw new Error(problems.slice(0, 5).join('\n'));
      }),
      { numRuns: propertyRuns(60) },
    );
  }, propertyTimeout(60_000));
});

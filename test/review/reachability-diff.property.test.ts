import * as fc from 'fast-check';
import { Analyzer } from '../../src/analysis/analyzer';
import { ConnectionChange, ReachabilityDiff } from '../../src/review/reachability-diff';
import { rangeHolds } from '../support/address';
import { propertyRuns, propertyTimeout } from '../support/property-runs';
import { clusterArb } from '../support/random-cluster';

/** The change listed for the pair, or for the range holding the address; at most one may match. */
function changeFor(diff: ReachabilityDiff, from: string, to: string): ConnectionChange | undefined {
  const matches = diff.changes.filter((c) => {
    const end = (listed: string, wanted: string) => listed === wanted || (wanted.startsWith('ip:') && listed.startsWith('ip:') && rangeHolds(listed, wanted));
    return end(c.from, from) && end(c.to, to);
  });
  if (matches.length > 1) throw new Error(`overlapping changes for ${from} -> ${to}`);
  return matches[0];
}

describe('ReachabilityDiff agrees with connections() on both sides', () => {
  test('random clusters before and after dropping some policies and some workloads: every changed pair is listed with its sets, no other', () => {
    fc.assert(
      fc.property(clusterArb, fc.infiniteStream(fc.boolean()), (cluster, coin) => {
        const after = cluster.objects.filter(() => coin.next().value);
        const [b, a] = [Analyzer.fromManifests(structuredClone(cluster.objects)), Analyzer.fromManifests(structuredClone(after))];
        const diff = ReachabilityDiff.between(b, a);
        const inAfter = new Set(a.endpoints.map((e) => e.name));
        const all = [...cluster.endpoints, ...cluster.externals];
        for (const from of all) {
          for (const to of all) {
            if (from.startsWith('ip:') && to.startsWith('ip:')) continue;
            if (from === to && from.includes('/pod-')) continue;
            const before = b.connections(from, to);
            const present = [from, to].every((e) => e.startsWith('ip:') || inAfter.has(e));
            const now = present ? a.connections(from, to) : before.subtract(before);
            const change = changeFor(diff, from, to);
            if (before.isSameAs(now)) {
              expect(change === undefined ? 'unlisted' : `${from} -> ${to} listed as ${change.before} -> ${change.after}`).toBe('unlisted');
            } else {
              const expected = [String(before), String(now), String(now.subtract(before))];
              expect(change && [String(change.before), String(change.after), String(change.newlyAllowed)]).toEqual(expected);
            }
          }
        }
      }),
      { numRuns: propertyRuns(80) },
    );
  }, propertyTimeout(60_000));
});

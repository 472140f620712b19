import { isIPv4 } from 'net';
import * as fc from 'fast-check';
import { Analyzer } from '../../src/analysis/analyzer';
import { ConnectionChange, ReachabilityDiff } from '../../src/review/reachability-diff';
import { clusterArb } from '../support/random-cluster';

/** The change listed for the pair, or for the range holding the address; at most one may match. */
function changeFor(diff: ReachabilityDiff, from: string, to: string, contains: (range: string, address: string) => boolean): ConnectionChange | undefined {
  const matches = diff.changes.filter((c) => {
    const end = (listed: string, wanted: string) => listed === wanted || (wanted.startsWith('ip:') && listed.startsWith('ip:') && contains(listed, wanted));
    return end(c.from, from) && end(c.to, to);
  });
  if (matches.length > 1) throw new Error(`overlapping changes for ${from} -> ${to}`);
  return matches[0];
}

function rangeHolds(range: string, address: string): boolean {
  const [first, last] = range.slice(3).split('-');
  const [a, f, l] = [addressValue(address.slice(3)), addressValue(first), addressValue(last ?? first)];
  return a !== undefined && f !== undefined && l !== undefined && a.family === f.family && f.value <= a.value && a.value <= l.value;
}

/** An address as a number, parsed independently of the analyzer's own parser. */
function addressValue(text: string): { family: number; value: bigint } | undefined {
  if (isIPv4(text)) return { family: 4, value: text.split('.').reduce((v, o) => (v << 8n) + BigInt(o), 0n) };
  const halves = text.split('::').map((h) => (h === '' ? [] : h.split(':')).flatMap((g) => (isIPv4(g)
    ? [(Number(g.split('.')[0]) << 8) + Number(g.split('.')[1]), (Number(g.split('.')[2]) << 8) + Number(g.split('.')[3])] : [parseInt(g, 16)])));
  const groups = halves.length === 1 ? halves[0] : [...halves[0], ...Array(8 - halves[0].length - halves[1].length).fill(0), ...halves[1]];
  return { family: 6, value: groups.reduce((v, g) => (v << 16n) + BigInt(g), 0n) };
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
            const change = changeFor(diff, from, to, rangeHolds);
            if (before.equals(now)) {
              expect(change === undefined ? 'unlisted' : `${from} -> ${to} listed as ${change.before} -> ${change.after}`).toBe('unlisted');
            } else {
              expect(change && [String(change.before), String(change.after), String(change.newlyAllowed)]).toEqual([String(before), String(now), String(now.subtract(before))]);
            }
          }
        }
      }),
      { numRuns: 200 },
    );
  }, 60_000);
});

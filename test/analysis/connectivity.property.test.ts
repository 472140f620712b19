import * as fc from 'fast-check';
import { isIPv4, isIPv6 } from 'net';
import { Analyzer } from '../../src/analysis/analyzer';
import { ConnectionSet } from '../../src/analysis/connection-set';
import { Protocol } from '../../src/protocol';
import { clusterArb, flowsOf } from '../support/random-cluster';

/** A connectivity listing as a lookup: `from -> to` to the set, with address ranges parsed back. */
function lookup(analyzer: Analyzer): (from: string, to: string) => ConnectionSet {
  const pairs = analyzer.connectivity();
  const exact = new Map(pairs.map((p) => [`${p.from} -> ${p.to}`, p.allowed]));
  return (from, to) => {
    const direct = exact.get(`${from} -> ${to}`);
    if (direct) return direct;
    // An address is covered by at most one listed range of the endpoint, in each direction.
    const address = from.startsWith('ip:') ? from : to.startsWith('ip:') ? to : undefined;
    if (address === undefined) return ConnectionSet.none();
    const other = address === from ? to : from;
    const matches = pairs.filter((p) => (address === from ? p.to === other && p.from.startsWith('ip:') : p.from === other && p.to.startsWith('ip:'))
      && rangeContains(address === from ? p.from : p.to, address));
    if (matches.length > 1) throw new Error(`ranges overlap for ${from} -> ${to}: ${matches.map((m) => `${m.from} -> ${m.to}`).join(', ')}`);
    return matches[0]?.allowed ?? ConnectionSet.none();
  };
}

function rangeContains(range: string, address: string): boolean {
  const [first, last] = range.slice(3).split('-');
  const [a, f, l] = [parseAddress(address.slice(3)), parseAddress(first), parseAddress(last ?? first)];
  return a.family === f.family && f.value <= a.value && a.value <= l.value;
}

/** Parses an address with Node's own checks and a plain expansion: a second implementation, not ours. */
function parseAddress(text: string): { family: number; value: bigint } {
  if (isIPv4(text)) return { family: 4, value: text.split('.').reduce((v, octet) => (v << 8n) + BigInt(octet), 0n) };
  if (!isIPv6(text)) throw new Error(`not an address: ${text}`);
  const halves = text.split('::').map((half) => (half === '' ? [] : half.split(':')).flatMap(expandGroup));
  const groups = halves.length === 1 ? halves[0] : [...halves[0], ...Array(8 - halves[0].length - halves[1].length).fill(0), ...halves[1]];
  return { family: 6, value: groups.reduce((v, g) => (v << 16n) + BigInt(g), 0n) };
}

/** A group of an IPv6 address; an embedded IPv4 address (the last 32 bits) is two groups. */
function expandGroup(group: string): number[] {
  if (!isIPv4(group)) return [parseInt(group, 16)];
  const [a, b, c, d] = group.split('.').map(Number);
  return [a * 256 + b, c * 256 + d];
}

describe('connection sets agree with point queries', () => {
  test('connections() of every pair agrees with isAllowed on every probe port, and connectivity() with connections()', () => {
    fc.assert(
      fc.property(clusterArb, (cluster) => {
        const analyzer = Analyzer.fromManifests(structuredClone(cluster.objects));
        const listed = lookup(analyzer);
        const problems: string[] = [];
        const all = [...cluster.endpoints, ...cluster.externals];
        for (const from of all) {
          for (const to of all) {
            if (from.startsWith('ip:') && to.startsWith('ip:')) continue;
            const set = analyzer.connections(from, to);
            const loopback = from === to && from.includes('/pod-');
            if (!loopback && !listed(from, to).equals(set)) problems.push(`${from} -> ${to}: connections ${set}, connectivity ${listed(from, to)}`);
          }
        }
        for (const flow of flowsOf(cluster)) {
          const protocol = Protocol[flow.protocol ?? 'TCP'];
          const expected = analyzer.isAllowed({ ...flow, protocol });
          if (analyzer.connections(flow.from, flow.to).allows(flow.port, protocol) !== expected) {
            problems.push(`${flow.from} -> ${flow.to} ${protocol} ${flow.port}: isAllowed ${expected}, connections ${analyzer.connections(flow.from, flow.to)}`);
          }
        }
        if (problems.length > 0) throw new Error(problems.slice(0, 5).join('\n'));
      }),
      { numRuns: 300 },
    );
  }, 60_000);

  test('at random ports and addresses, not only the ones the policies name', () => {
    const port = fc.integer({ min: 1, max: 65535 });
    const v4 = fc.tuple(fc.nat(255), fc.nat(255), fc.nat(255), fc.nat(255)).map((o) => `ip:${o.join('.')}`);
    fc.assert(
      fc.property(clusterArb, fc.array(fc.tuple(port, fc.constantFrom(Protocol.TCP, Protocol.UDP, Protocol.SCTP), v4), { minLength: 5, maxLength: 5 }), (cluster, probes) => {
        const analyzer = Analyzer.fromManifests(structuredClone(cluster.objects));
        const listed = lookup(analyzer);
        for (const endpoint of cluster.endpoints) {
          for (const [p, protocol, address] of probes) {
            for (const [from, to] of [[endpoint, address], [address, endpoint]]) {
              const expected = analyzer.isAllowed({ from, to, port: p, protocol });
              expect(`${from} -> ${to} ${protocol} ${p}: ${listed(from, to).allows(p, protocol)}`).toBe(`${from} -> ${to} ${protocol} ${p}: ${expected}`);
            }
          }
        }
      }),
      { numRuns: 200 },
    );
  }, 60_000);
});

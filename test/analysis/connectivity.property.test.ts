import * as fc from 'fast-check';
import { Analyzer } from '../../src/analysis/analyzer';
import { ConnectionSet } from '../../src/analysis/connection-set';
import { Protocol } from '../../src/protocol';
import { rangeHolds } from '../support/address';
import { propertyRuns, propertyTimeout } from '../support/property-runs';
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
    const listedRange = (p: { from: string; to: string }) => (address === from ? p.to === other && p.from : p.from === other && p.to);
    const matches = pairs.filter((p) => {
      const range = listedRange(p);
      return typeof range === 'string' && range.startsWith('ip:') && rangeHolds(range, address);
    });
    if (matches.length > 1) throw new Error(`ranges overlap for ${from} -> ${to}: ${matches.map((m) => `${m.from} -> ${m.to}`).join(', ')}`);
    return matches[0]?.allowed ?? ConnectionSet.none();
  };
}

const PROTOCOLS = [Protocol.TCP, Protocol.UDP, Protocol.SCTP];

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
            if (!loopback && !listed(from, to).isSameAs(set)) problems.push(`${from} -> ${to}: connections ${set}, connectivity ${listed(from, to)}`);
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
      { numRuns: propertyRuns(100) },
    );
  }, propertyTimeout(60_000));

  test('at random ports and addresses, not only the ones the policies name', () => {
    const port = fc.integer({ min: 1, max: 65535 });
    const v4 = fc.tuple(fc.nat(255), fc.nat(255), fc.nat(255), fc.nat(255)).map((o) => `ip:${o.join('.')}`);
    fc.assert(
      fc.property(clusterArb, fc.array(fc.tuple(port, fc.constantFrom(...PROTOCOLS), v4), { minLength: 5, maxLength: 5 }), (cluster, probes) => {
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
      { numRuns: propertyRuns(80) },
    );
  }, propertyTimeout(60_000));
});

describe('IPv4-mapped IPv6 addresses', () => {
  test('are judged as the IPv4 address they map, by point queries and by the ranges, which leave ::ffff:0:0/96 out of IPv6', () => {
    // GIVEN a pod that may open TCP 443 to all of IPv4 and nothing to IPv6
    const analyzer = Analyzer.fromManifests([
      { apiVersion: 'v1', kind: 'Pod', metadata: { name: 'web', namespace: 'shop', labels: { app: 'web' } }, spec: { containers: [{ name: 'c', image: 'c' }] } },
      {
        apiVersion: 'networking.k8s.io/v1',
        kind: 'NetworkPolicy',
        metadata: { name: 'https', namespace: 'shop' },
        spec: { podSelector: {}, policyTypes: ['Egress'], egress: [{ to: [{ ipBlock: { cidr: '0.0.0.0/0' } }], ports: [{ port: 443 }] }] },
      },
    ]);
    // THEN the mapped address is the IPv4 one, for connections() as for isAllowed
    expect(analyzer.connections('shop/web', 'ip:::ffff:8.8.8.8').toString()).toBe('TCP 443');
    expect(analyzer.isAllowed({ from: 'shop/web', to: 'ip:::ffff:8.8.8.8', port: 443 })).toBe(true);
    // ...and the listing agrees: the IPv4 range holds it, no IPv6 range does
    const ranges = analyzer.connectivity().filter((p) => p.from === 'shop/web' && p.to.startsWith('ip:'));
    expect(ranges.map((p) => `${p.to}: ${p.allowed}`)).toEqual(['ip:0.0.0.0-255.255.255.255: TCP 443']);
    const open = Analyzer.fromManifests([{ apiVersion: 'v1', kind: 'Pod', metadata: { name: 'a', namespace: 'x' }, spec: { containers: [{ name: 'c', image: 'c' }] } }]);
    const v6 = open.connectivity().filter((p) => p.from === 'x/a' && p.to.includes(':', 3)).map((p) => p.to);
    expect(v6).toEqual(['ip:::-::fffe:ffff:ffff', 'ip:::1:0:0:0-ffff:ffff:ffff:ffff:ffff:ffff:ffff:ffff']);
    expect(v6.some((range) => rangeHolds(range, 'ip:::ffff:8.8.8.8'))).toBe(false);
  });
});

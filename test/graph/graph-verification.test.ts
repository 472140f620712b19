import { Chart, Testing } from 'cdk8s';
import { AllowFrom, AllowTo, ConnectionSet, ExternalHttps, GraphPairResult, NetworkPolicy, Peer, Port, Protocol, Selector, ServiceGraph, ServiceGraphProps } from '../../src';
import { netpolMatchers } from '../../src/jest';

expect.extend(netpolMatchers);

/*
 * verify() compares connection sets, not probes: between two services every port of every
 * protocol, and to and from outside every address. The expected values below follow from the
 * NetworkPolicy semantics: a connection needs the client's egress and the server's ingress; a
 * graph-owned namespace is default-deny both ways; policies only add.
 */

/** A graph owning shop, with DNS off unless asked, and services a and b (pods app=a, app=b). */
function graphOf(props: ServiceGraphProps = {}) {
  const chart = new Chart(Testing.app(), 'c', { namespace: 'shop' });
  const graph = new ServiceGraph(chart, 'g', { ...props, allowDns: props.allowDns ?? false });
  const a = graph.addService('a', { pods: Selector.labels({ app: 'a' }) });
  const b = graph.addService('b', { pods: Selector.labels({ app: 'b' }) });
  return { chart, graph, a, b };
}

/** A pair of the report, as the matcher's failures read: `from -> to: allows <actual>, declared <declared>`. */
const line = (r: GraphPairResult) => `${r.from} -> ${r.to}: allows ${r.actual}, declared ${r.declared}`;
const failures = (graph: ServiceGraph) => graph.verify().results.filter((r) => !r.ok);

/** Hand-written policies opening `ports` from a to b on both sides (a and b are in shop, default-deny). */
function openBothSides(chart: Chart, id: string, ports: Port[]): void {
  new AllowTo(chart, `a-to-b-${id}`, { pods: Selector.labels({ app: 'a' }), to: [Peer.pods(Selector.labels({ app: 'b' }))], ports });
  new AllowFrom(chart, `b-from-a-${id}`, { pods: Selector.labels({ app: 'b' }), from: [Peer.pods(Selector.labels({ app: 'a' }))], ports });
}

describe('between services: the whole connection set', () => {
  test('a port no call declares and no probe hits: TCP 12345 between two services', () => {
    // GIVEN a -> b on TCP 8080, proved
    const { chart, graph, a, b } = graphOf();
    graph.allow(a, b, Port.tcp(8080));
    expect(graph.verify().failed).toBe(0);

    // WHEN hand-written policies also open TCP 12345, on both sides
    openBothSides(chart, '12345', [Port.tcp(12345)]);

    // THEN expectations() never state 12345 (they probe 8079-8081 and HTTPS), yet verify() fails on it:
    // the pair allows TCP 8080 and 12345, and the extra set is exactly TCP 12345
    expect(graph.expectations().some((e) => e.port === 12345)).toBe(false);
    const failed = failures(graph);
    expect(failed.map(line)).toEqual(['shop/a -> shop/b: allows TCP 8080, 12345, declared TCP 8080']);
    expect(failed[0].actual.subtract(failed[0].declared).isSameAs(ConnectionSet.ports(Protocol.TCP, 12345))).toBe(true);
    expect(failed[0].declared.subtract(failed[0].actual).isEmpty).toBe(true);
    // the matcher says what is extra, then the whole sets, then the rules of each side; of the 4 pairs (a and b,
    // both ways and to themselves; DNS is off), this one differs
    expect(() => expect(graph).toAllowExactlyTheDeclaredCalls()).toThrow(
      'Expected c/g to allow exactly its declared calls, but 1 of 4 pairs differ:\n\n'
      + '  shop/a -> shop/b: allows TCP 12345 that is not declared (allows TCP 8080, 12345, declared TCP 8080). '
      + 'Egress: allowed by shop/g-a-to-b spec.egress[0] (TCP 8080); shop/a-to-b-12345 spec.egress[0] (TCP 12345). '
      + 'Ingress: allowed by shop/g-b-from-a spec.ingress[0] (TCP 8080); shop/b-from-a-12345 spec.ingress[0] (TCP 12345).',
    );
  });

  test('a range widened on both sides: every extra port, not just the ones next to the range', () => {
    // GIVEN a graph allowing a -> b on TCP 8000-8010
    const { chart, graph, a, b } = graphOf();
    graph.allow(a, b, Port.tcpRange(8000, 8010));
    expect(graph.verify().failed).toBe(0);

    // WHEN hand-written policies open 7990-8020 on both sides
    openBothSides(chart, 'wide', [Port.tcpRange(7990, 8020)]);

    // THEN the pair allows 7990-8020 (both sides agree on it): 7990-7999 and 8011-8020 are extra, nothing is missing
    const failed = failures(graph);
    expect(failed.map(line)).toEqual(['shop/a -> shop/b: allows TCP 7990-8020, declared TCP 8000-8010']);
    expect(String(failed[0].actual.subtract(failed[0].declared))).toBe('TCP 7990-7999, 8011-8020');
    expect(failed[0].declared.isSubsetOf(failed[0].actual)).toBe(true);
    expect(failed[0].reason).toMatch(/^allows TCP 7990-7999, 8011-8020 that is not declared \(allows TCP 7990-8020, declared TCP 8000-8010\)\. /);
  });

  test('a policy letting a service reach the DNS pods on TCP 8080: DNS is compared as a set too', () => {
    // GIVEN a graph with DNS, and a call on TCP 8080
    const { chart, graph, a, b } = graphOf({ allowDns: true });
    graph.allow(a, b, Port.tcp(8080));
    expect(graph.verify().failed).toBe(0);

    // WHEN a hand-written policy lets a reach the DNS pods on TCP 8080 (kube-system has no policy: its ingress is open)
    new NetworkPolicy(chart, 'a-to-dns-8080', {
      pods: Selector.labels({ app: 'a' }),
      egress: [{ peers: [Peer.podsInNamespace('kube-system', Selector.labels({ 'k8s-app': 'kube-dns' }))], ports: [Port.tcp(8080)] }],
    });

    // THEN a -> coredns allows TCP 8080 beside the declared 53; b -> coredns is still exactly UDP and TCP 53
    expect(failures(graph).map(line)).toEqual(['shop/a -> kube-system/coredns: allows TCP 53, 8080, UDP 53, declared TCP 53, UDP 53']);
    expect(graph.verify().results.filter((r) => r.to === 'kube-system/coredns' && r.ok).map(line)).toEqual([
      'shop/b -> kube-system/coredns: allows TCP 53, UDP 53, declared TCP 53, UDP 53',
    ]);
  });
});

describe('outside the cluster: every address, as ranges', () => {
  test('egress to 0.0.0.0/0 on all ports from a service that declares no external call: the whole IPv4 space', () => {
    // GIVEN a graph with a call and no external call
    const { chart, graph, a, b } = graphOf();
    graph.allow(a, b, Port.tcp(80));
    expect(graph.externalCalls).toEqual([]);
    expect(graph.verify().failed).toBe(0);

    // WHEN a hand-written policy lets a reach every IPv4 address on every port
    new AllowTo(chart, 'a-anywhere', { pods: Selector.labels({ app: 'a' }), to: [Peer.ipBlock('0.0.0.0/0')], ports: [Port.allPorts()] });

    // THEN one range fails: all of IPv4 (0.0.0.0/0 is its only edge), on everything; not IPv6, not b, and no pair
    expect(failures(graph).map(line)).toEqual(['shop/a -> ip:0.0.0.0-255.255.255.255: allows all connections, declared nothing']);
  });

  test('an except forgotten: exactly the range it should have left out', () => {
    // GIVEN a calls the internet on HTTPS: 0.0.0.0/0 less the private, link-local and CGNAT ranges
    const { chart, graph, a } = graphOf();
    graph.allowExternalHttps(a);
    expect(graph.verify().failed).toBe(0);

    // WHEN a hand-written copy of that policy leaves out 192.168.0.0/16 from its excepts
    const forgot = ExternalHttps.NON_PUBLIC_IPV4.filter((cidr) => cidr !== '192.168.0.0/16');
    expect(forgot).toEqual(['10.0.0.0/8', '172.16.0.0/12', '169.254.0.0/16', '100.64.0.0/10']);
    new AllowTo(chart, 'a-to-internet-copy', { pods: Selector.labels({ app: 'a' }), to: [Peer.ipBlock('0.0.0.0/0', forgot)], ports: [Port.HTTPS] });

    // THEN exactly 192.168.0.0/16 allows HTTPS that is not declared; every other range is still as declared
    expect(failures(graph).map(line)).toEqual(['shop/a -> ip:192.168.0.0-192.168.255.255: allows TCP 443, declared nothing']);
  });

  test('a CIDR inside an excepted range, which no probe address falls in: exactly its addresses', () => {
    // GIVEN a calls the internet on HTTPS (192.168.0.0/16 excepted) and 10.20.0.0/16 on 5432
    const { chart, graph, a } = graphOf();
    graph.allowExternalHttps(a);
    graph.allowCidr(a, '10.20.0.0/16', Port.tcp(5432));

    // WHEN a hand-written policy lets a reach 192.168.10.0/24 on HTTPS and 10.20.0.0/17 on every TCP port
    new AllowTo(chart, 'a-to-lan', {
      pods: Selector.labels({ app: 'a' }),
      to: [Peer.ipBlock('192.168.10.0/24')],
      ports: [Port.HTTPS],
    });
    new AllowTo(chart, 'a-to-db-net', { pods: Selector.labels({ app: 'a' }), to: [Peer.ipBlock('10.20.0.0/17')], ports: [Port.tcpRange(1, 65535)] });

    // THEN no address of expectations() is in 192.168.10.0/24, so no probe reaches it; verify() finds it, exactly,
    // and the lower half of 10.20.0.0/16 on every TCP port, while the upper half is still exactly TCP 5432, as declared
    expect(graph.expectations().some((e) => e.to.startsWith('ip:192.168.10.'))).toBe(false);
    expect(failures(graph).map(line)).toEqual([
      'shop/a -> ip:10.20.0.0-10.20.127.255: allows all TCP, declared TCP 5432',
      'shop/a -> ip:192.168.10.0-192.168.10.255: allows TCP 443, declared nothing',
    ]);
    expect(graph.verify().results.filter((r) => r.to === 'ip:10.20.128.0-10.20.255.255').map(line)).toEqual([
      'shop/a -> ip:10.20.128.0-10.20.255.255: allows TCP 5432, declared TCP 5432',
    ]);
  });

  test('nothing may come in from outside: an ingress from anyone fails on both address families', () => {
    // GIVEN a -> b on TCP 80
    const { chart, graph, a, b } = graphOf();
    graph.allow(a, b, Port.tcp(80));

    // WHEN a hand-written policy lets anyone reach b on TCP 80 (no peer: every pod and every address)
    new AllowFrom(chart, 'b-from-anyone', { pods: Selector.labels({ app: 'b' }), from: [Peer.anyone()], ports: [Port.tcp(80)] });

    // THEN a -> b is unchanged (declared TCP 80), b -> b and a -> a still deny (their egress is default-deny, b's too),
    // and every outside address reaches b on TCP 80: all of IPv4 and all of IPv6, as two ranges
    expect(failures(graph).map(line)).toEqual([
      'ip:0.0.0.0-255.255.255.255 -> shop/b: allows TCP 80, declared nothing',
      'ip:::-::fffe:ffff:ffff -> shop/b: allows TCP 80, declared nothing',
      'ip:::1:0:0:0-ffff:ffff:ffff:ffff:ffff:ffff:ffff:ffff -> shop/b: allows TCP 80, declared nothing',
    ]);
  });
});

describe('a node-local DNS cache', () => {
  test('is declared for every owned service, on UDP and TCP 53 to exactly its address', () => {
    // GIVEN DNS through a node-local cache at 169.254.20.10, which AllowDns allows as an ipBlock /32 on 53
    const { graph, a, b } = graphOf({ allowDns: true, dns: { nodeLocalDnsAddress: '169.254.20.10' } });
    graph.allow(a, b, Port.tcp(80));

    // THEN the graph proves itself: each service may ask the cache on 53, and nothing else outside
    const report = graph.verify();
    expect(report.results.filter((r) => r.to === 'ip:169.254.20.10').map(line)).toEqual([
      'shop/a -> ip:169.254.20.10: allows TCP 53, UDP 53, declared TCP 53, UDP 53',
      'shop/b -> ip:169.254.20.10: allows TCP 53, UDP 53, declared TCP 53, UDP 53',
    ]);
    expect(report.failed).toBe(0);
  });

  test('a policy that widens the cache\'s /32 to its /24 fails on exactly the rest of the /24', () => {
    const { chart, graph, a, b } = graphOf({ allowDns: true, dns: { nodeLocalDnsAddress: '169.254.20.10' } });
    graph.allow(a, b, Port.tcp(80));
    new AllowTo(chart, 'dns-subnet', { pods: Selector.labels({ app: 'a' }), to: [Peer.ipBlock('169.254.20.0/24')], ports: [Port.udp(53)] });
    expect(failures(graph).map(line)).toEqual([
      'shop/a -> ip:169.254.20.0-169.254.20.9: allows UDP 53, declared nothing',
      'shop/a -> ip:169.254.20.11-169.254.20.255: allows UDP 53, declared nothing',
    ]);
  });
});

import { Chart, Testing } from 'cdk8s';
import * as kplus from 'cdk8s-plus-28';
import { GraphVerificationReport, NamespaceSelector, Port, Protocol, Selector, ServiceGraph, ServiceGraphProps } from '../../src';
import { Analyzer } from '../../src/analysis/analyzer';
import { parseExpectations } from '../../src/analysis/expectations-file';
import { Expectation } from '../../src/analysis/verification';

/** A graph owning shop, with DNS off unless asked, and services a and b by label. */
function graphOf(props: ServiceGraphProps = {}) {
  const chart = new Chart(Testing.app(), 'c', { namespace: 'shop' });
  const graph = new ServiceGraph(chart, 'g', { ...props, allowDns: props.allowDns ?? false });
  return { chart, graph };
}

const byLabel = (app: string, namespace?: string) => ({ pods: Selector.labels({ app }), namespace });

/** An expectation, compactly: `from to protocol/port allowed|denied`. */
const line = (e: Expectation) => `${e.from} -> ${e.to} ${e.protocol}/${e.port} ${e.allowed ? 'allowed' : 'denied'}`;

/** The addresses every service of an owned namespace is probed with, external call or not: public, metadata, private. */
const INTERNET = ['ip:203.0.113.10', 'ip:169.254.169.254', 'ip:10.0.0.1'];
/** TCP 443 and the ports next to it: every external expectation probes them. */
const HTTPS = ['TCP/442', 'TCP/443', 'TCP/444'];

/** Every flow of `froms` x `tos` x `probes` (e.g. `TCP/443`), denied, in the order expectations() lists them. */
const denied = (froms: string[], tos: string[], probes: string[]) =>
  froms.flatMap((from) => tos.flatMap((to) => probes.map((probe) => `${from} -> ${to} ${probe} denied`)));

const isExternal = (e: Expectation) => e.to.startsWith('ip:');
const isPair = (e: Expectation) => !isExternal(e) && !e.to.startsWith('kube-system/');

/** The pairs of verify()'s report, compactly: `from -> to: allows <actual>, declared <declared>`. */
const verified = (report: GraphVerificationReport) => report.results.map((r) => `${r.from} -> ${r.to}: allows ${r.actual}, declared ${r.declared}`);

describe('expectations() between services', () => {
  test('declared calls allowed on each port, every other pair denied on every declared port', () => {
    // GIVEN
    const { graph } = graphOf();
    const a = graph.addService('a', byLabel('a'));
    const b = graph.addService('b', byLabel('b'));

    // WHEN
    graph.allow(a, b, Port.tcp(80), Port.udp(53));

    // THEN each declared port and the ports on either side of it, sorted by protocol then number;
    // pairs in declaration order, self pairs included
    const probes = ['TCP/79', 'TCP/80', 'TCP/81', 'UDP/52', 'UDP/53', 'UDP/54'];
    expect(graph.expectations().map(line)).toEqual([
      ...denied(['shop/a'], ['shop/a'], probes),
      'shop/a -> shop/b TCP/79 denied',
      'shop/a -> shop/b TCP/80 allowed',
      'shop/a -> shop/b TCP/81 denied',
      'shop/a -> shop/b UDP/52 denied',
      'shop/a -> shop/b UDP/53 allowed',
      'shop/a -> shop/b UDP/54 denied',
      ...denied(['shop/b'], ['shop/a', 'shop/b'], probes),
      // then the internet probes from every service, on the call probes and HTTPS: no external call, all denied
      ...denied(['shop/a', 'shop/b'], INTERNET, ['TCP/79', 'TCP/80', 'TCP/81', ...HTTPS, 'UDP/52', 'UDP/53', 'UDP/54']),
    ]);
    expect(graph.verify().failed).toBe(0);
  });

  test('a port declared for one pair is probed on every pair', () => {
    const { graph } = graphOf();
    const a = graph.addService('a', byLabel('a'));
    const b = graph.addService('b', byLabel('b'));
    const c = graph.addService('c', byLabel('c'));

    graph.allow(a, b, Port.tcp(80));
    graph.allow(b, c, Port.tcp(5432));

    const expectations = graph.expectations();
    // 9 pairs x 6 probes (TCP 79, 80, 81, 5431, 5432, 5433) = 54,
    // and 3 services x 3 internet addresses x 9 probes (those 6 and TCP 442, 443, 444) = 81
    expect(expectations.filter(isPair)).toHaveLength(9 * 6);
    expect(expectations).toHaveLength(9 * 6 + 3 * 3 * 9);
    expect(expectations.filter((e) => e.allowed).map(line)).toEqual([
      'shop/a -> shop/b TCP/80 allowed',
      'shop/b -> shop/c TCP/5432 allowed',
    ]);
    expect(expectations.filter((e) => e.from === 'shop/a' && e.to === 'shop/c').map(line)).toEqual(
      denied(['shop/a'], ['shop/c'], ['TCP/79', 'TCP/80', 'TCP/81', 'TCP/5431', 'TCP/5432', 'TCP/5433']),
    );
  });

  test('no calls, no service expectations', () => {
    const { graph } = graphOf();
    graph.addService('a', byLabel('a'));
    // nothing between services; only the internet probes on HTTPS, which a service with no external call may not reach
    expect(graph.expectations().map(line)).toEqual(denied(['shop/a'], INTERNET, HTTPS));
    // verify(): the one pair a -> a, allowing nothing as declared; no address range, as nothing is declared or allowed outside
    const report = graph.verify();
    expect(verified(report)).toEqual(['shop/a -> shop/a: allows nothing, declared nothing']);
    expect(report).toMatchObject({ passed: 1, failed: 0 });
  });

  test('the self pair of a Deployment is probed; of a single Pod it is loopback and skipped', () => {
    // GIVEN
    const { chart, graph } = graphOf();
    const deployment = new kplus.Deployment(chart, 'web', { metadata: { name: 'web' }, containers: [{ image: 'web' }] });
    const pod = new kplus.Pod(chart, 'job', { metadata: { name: 'job' }, containers: [{ image: 'job' }] });
    const web = graph.addService('web', { workload: deployment });
    const job = graph.addService('job', { workload: pod });

    // WHEN
    graph.allow(job, web, Port.tcp(80));

    // THEN no job -> job
    const expectations = graph.expectations();
    expect(expectations.filter(isPair).map(line)).toEqual([
      ...denied(['shop/web'], ['shop/web', 'shop/job'], ['TCP/79', 'TCP/80', 'TCP/81']),
      'shop/job -> shop/web TCP/79 denied',
      'shop/job -> shop/web TCP/80 allowed',
      'shop/job -> shop/web TCP/81 denied',
    ]);
    // 3 pairs x 3 probes, and 2 services x 3 internet addresses x 6 probes (TCP 79, 80, 81, 442, 443, 444)
    expect(expectations).toHaveLength(3 * 3 + 2 * 3 * 6);
    expect(graph.verify().failed).toBe(0);
  });

  test('a self call of a Deployment is allowed', () => {
    const { chart, graph } = graphOf();
    const deployment = new kplus.Deployment(chart, 'peers', { metadata: { name: 'peers' }, containers: [{ image: 'peers' }] });
    const peers = graph.addService('peers', { workload: deployment });

    graph.allow(peers, peers, Port.tcp(7000));

    expect(graph.expectations().map(line)).toEqual([
      'shop/peers -> shop/peers TCP/6999 denied',
      'shop/peers -> shop/peers TCP/7000 allowed',
      'shop/peers -> shop/peers TCP/7001 denied',
      ...denied(['shop/peers'], INTERNET, [...HTTPS, 'TCP/6999', 'TCP/7000', 'TCP/7001']),
    ]);
    // verify(): one pair, exactly TCP 7000; nothing outside
    const report = graph.verify();
    expect(verified(report)).toEqual(['shop/peers -> shop/peers: allows TCP 7000, declared TCP 7000']);
    expect(report).toMatchObject({ passed: 1, failed: 0 });
  });

  test('pairs of two services in namespaces the graph does not own are skipped', () => {
    // GIVEN
    const { graph } = graphOf();
    const a = graph.addService('a', byLabel('a'));
    const x = graph.addService('x', byLabel('x', 'other'));
    graph.addService('y', byLabel('y', 'other'));

    // WHEN
    graph.allow(a, x, Port.tcp(80));

    // THEN no other/x <-> other/y, no self pairs in other; and other is not probed for the internet
    const probes = ['TCP/79', 'TCP/80', 'TCP/81'];
    expect(graph.expectations().map(line)).toEqual([
      ...denied(['shop/a'], ['shop/a'], probes),
      'shop/a -> other/x TCP/79 denied',
      'shop/a -> other/x TCP/80 allowed',
      'shop/a -> other/x TCP/81 denied',
      ...denied(['shop/a'], ['other/y'], probes),
      ...denied(['other/x', 'other/y'], ['shop/a'], probes),
      ...denied(['shop/a'], INTERNET, [...probes, ...HTTPS]),
    ]);
    expect(graph.verify().failed).toBe(0);
  });

  test('a port range is probed at both ends', () => {
    const { graph } = graphOf();
    const a = graph.addService('a', byLabel('a'));
    const b = graph.addService('b', byLabel('b'));

    graph.allow(a, b, Port.tcpRange(30000, 30010));
    graph.allow(b, a, Port.udpRange(40000, 40000)); // a one-port range is one port

    const expectations = graph.expectations();
    expect(expectations.filter((e) => e.from === 'shop/a' && e.to === 'shop/b').map(line)).toEqual([
      'shop/a -> shop/b TCP/29999 denied',
      'shop/a -> shop/b TCP/30000 allowed',
      'shop/a -> shop/b TCP/30010 allowed',
      'shop/a -> shop/b TCP/30011 denied',
      'shop/a -> shop/b UDP/39999 denied',
      'shop/a -> shop/b UDP/40000 denied',
      'shop/a -> shop/b UDP/40001 denied',
    ]);
    expect(expectations.filter((e) => e.allowed).map(line)).toEqual([
      'shop/a -> shop/b TCP/30000 allowed',
      'shop/a -> shop/b TCP/30010 allowed',
      'shop/b -> shop/a UDP/40000 allowed',
    ]);
    // 4 pairs x 7 probes, and 2 services x 3 internet addresses x 10 probes (those 7 and TCP 442, 443, 444)
    expect(expectations).toHaveLength(4 * 7 + 2 * 3 * 10);
    expect(graph.verify().failed).toBe(0);
  });

  test('a port inside a declared range is allowed, not just its ends', () => {
    const { graph } = graphOf();
    const a = graph.addService('a', byLabel('a'));
    const b = graph.addService('b', byLabel('b'));

    graph.allow(a, b, Port.tcpRange(8000, 8100));
    graph.allow(b, a, Port.tcp(8050));

    const pairs = graph.expectations().filter(isPair);
    expect(pairs.filter((e) => e.port === 8050).map(line)).toEqual([
      'shop/a -> shop/a TCP/8050 denied',
      'shop/a -> shop/b TCP/8050 allowed',
      'shop/b -> shop/a TCP/8050 allowed',
      'shop/b -> shop/b TCP/8050 denied',
    ]);
    // the ports next to 8050 are inside 8000-8100 too
    expect(pairs.filter((e) => e.from === 'shop/a' && e.to === 'shop/b').map(line)).toEqual([
      'shop/a -> shop/b TCP/7999 denied',
      'shop/a -> shop/b TCP/8000 allowed',
      'shop/a -> shop/b TCP/8049 allowed',
      'shop/a -> shop/b TCP/8050 allowed',
      'shop/a -> shop/b TCP/8051 allowed',
      'shop/a -> shop/b TCP/8100 allowed',
      'shop/a -> shop/b TCP/8101 denied',
    ]);
    expect(graph.verify().failed).toBe(0);
  });

  test('Port.allPorts() is probed at both ends of every protocol', () => {
    const { graph } = graphOf();
    const a = graph.addService('a', byLabel('a'));
    const b = graph.addService('b', byLabel('b'));

    graph.allow(a, b, Port.allPorts());

    expect(graph.expectations().filter((e) => e.from === 'shop/a' && e.to === 'shop/b').map(line)).toEqual([
      'shop/a -> shop/b SCTP/1 allowed',
      'shop/a -> shop/b SCTP/65535 allowed',
      'shop/a -> shop/b TCP/1 allowed',
      'shop/a -> shop/b TCP/65535 allowed',
      'shop/a -> shop/b UDP/1 allowed',
      'shop/a -> shop/b UDP/65535 allowed',
    ]);
    expect(graph.verify().failed).toBe(0);
  });

  test('a named port is resolved from the container of the server\'s cdk8s-plus workload', () => {
    // GIVEN
    const { chart, graph } = graphOf();
    const deployment = new kplus.Deployment(chart, 'api', {
      metadata: { name: 'api' },
      containers: [
        { name: 'app', image: 'api', ports: [{ number: 8080, name: 'http' }] },
        { name: 'sidecar', image: 'sidecar', ports: [{ number: 9102, name: 'metrics' }, { number: 5353, name: 'dns', protocol: kplus.Protocol.UDP }] },
      ],
    });
    const client = graph.addService('client', byLabel('client'));
    const api = graph.addService('api', { workload: deployment });

    // WHEN
    graph.allow(client, api, Port.named('http'), Port.named('metrics'), Port.named('dns', Protocol.UDP));

    // THEN
    expect(graph.expectations().filter((e) => e.allowed).map(line)).toEqual([
      'shop/client -> shop/api TCP/8080 allowed',
      'shop/client -> shop/api TCP/9102 allowed',
      'shop/client -> shop/api UDP/5353 allowed',
    ]);
    // probed around the container's port numbers
    expect(graph.expectations().filter((e) => e.from === 'shop/client' && e.to === 'shop/api').map(line)).toEqual([
      'shop/client -> shop/api TCP/8079 denied',
      'shop/client -> shop/api TCP/8080 allowed',
      'shop/client -> shop/api TCP/8081 denied',
      'shop/client -> shop/api TCP/9101 denied',
      'shop/client -> shop/api TCP/9102 allowed',
      'shop/client -> shop/api TCP/9103 denied',
      'shop/client -> shop/api UDP/5352 denied',
      'shop/client -> shop/api UDP/5353 allowed',
      'shop/client -> shop/api UDP/5354 denied',
    ]);
    // 4 pairs x 9 probes (TCP 8079-8081, 9101-9103, UDP 5352-5354),
    // and 2 services x 3 internet addresses x 12 probes (those 9 and TCP 442, 443, 444)
    expect(graph.expectations().filter(isPair)).toHaveLength(4 * 9);
    expect(graph.expectations()).toHaveLength(4 * 9 + 2 * 3 * 12);
    expect(graph.verify().failed).toBe(0);
  });

  test('a named port that cannot be resolved is an error of expectations()', () => {
    const { chart, graph } = graphOf();
    const deployment = new kplus.Deployment(chart, 'api', { metadata: { name: 'api' }, containers: [{ image: 'api', ports: [{ number: 8080, name: 'http' }] }] });
    const client = graph.addService('client', byLabel('client'));
    const bySelector = graph.addService('selected', byLabel('selected'));
    graph.addService('api', { workload: deployment });

    graph.allow(client, bySelector, Port.named('http'));
    expect(() => graph.expectations()).toThrow(
      'c/g: expectations() cannot resolve the named port "http" of client -> selected: no container of the server\'s cdk8s-plus workload declares it. ' +
      'Declare the service from its workload, or use a port number.',
    );
    expect(() => graph.verify()).toThrow(/cannot resolve the named port "http" of client -> selected/);

    const { chart: chart2, graph: graph2 } = graphOf();
    const deployment2 = new kplus.Deployment(chart2, 'api', { metadata: { name: 'api' }, containers: [{ image: 'api', ports: [{ number: 8080, name: 'http' }] }] });
    const client2 = graph2.addService('client', byLabel('client'));
    const api2 = graph2.addService('api', { workload: deployment2 });
    // A workload service's named ports are checked when the call is declared.
    expect(() => graph2.allow(client2, api2, Port.named('grpc'))).toThrow(
      'c/g/api: allow(client, api): the named port TCP/grpc matches no container port of shop/api ' +
      '(a container port named "grpc" with protocol TCP is needed), so the call would allow nothing.',
    );
    expect(() => graph2.allow(client2, api2, Port.named('http', Protocol.UDP))).toThrow(
      'c/g/api: allow(client, api): the named port UDP/http matches no container port of shop/api ' +
      '(a container port named "http" with protocol UDP is needed, but it is TCP), so the call would allow nothing.',
    );
    expect(graph2.calls).toEqual([]);
  });
});

describe('DNS expectations', () => {
  test('UDP and TCP 53 to kube-system/coredns from every service of an owned namespace', () => {
    const { graph } = graphOf({ allowDns: true });
    graph.addService('a', byLabel('a'));
    graph.addService('x', byLabel('x', 'other'));
    graph.addService('b', byLabel('b'));

    // UDP and TCP 53 allowed; the ports next to them, and TCP 54 and the one past it, denied
    const dns = (from: string) => [
      `${from} -> kube-system/coredns TCP/52 denied`,
      `${from} -> kube-system/coredns TCP/53 allowed`,
      `${from} -> kube-system/coredns TCP/54 denied`,
      `${from} -> kube-system/coredns TCP/55 denied`,
      `${from} -> kube-system/coredns UDP/52 denied`,
      `${from} -> kube-system/coredns UDP/53 allowed`,
      `${from} -> kube-system/coredns UDP/54 denied`,
    ];
    // no calls: no pair expectations; other/x is not in an owned namespace
    expect(graph.expectations().map(line)).toEqual([
      ...dns('shop/a'),
      ...dns('shop/b'),
      ...denied(['shop/a', 'shop/b'], INTERNET, HTTPS),
    ]);
    // verify(): the 8 pairs with an owned side (not other/x -> other/x), allowing nothing; then DNS, exactly UDP and TCP 53
    const report = graph.verify();
    expect(verified(report)).toEqual([
      ...['shop/a -> shop/a', 'shop/a -> other/x', 'shop/a -> shop/b', 'other/x -> shop/a', 'other/x -> shop/b', 'shop/b -> shop/a', 'shop/b -> other/x', 'shop/b -> shop/b']
        .map((p) => `${p}: allows nothing, declared nothing`),
      'shop/a -> kube-system/coredns: allows TCP 53, UDP 53, declared TCP 53, UDP 53',
      'shop/b -> kube-system/coredns: allows TCP 53, UDP 53, declared TCP 53, UDP 53',
    ]);
    expect(report).toMatchObject({ passed: 10, failed: 0 });
  });

  test('the DNS probes include every call port', () => {
    const { graph } = graphOf({ allowDns: true });
    const a = graph.addService('a', byLabel('a'));
    const b = graph.addService('b', byLabel('b'));

    graph.allow(a, b, Port.tcp(8080), Port.udpRange(5000, 5010));

    const dns = graph.expectations().filter((e) => e.from === 'shop/a' && e.to === 'kube-system/coredns');
    expect(dns.filter((e) => e.allowed).map(line)).toEqual([
      'shop/a -> kube-system/coredns TCP/53 allowed',
      'shop/a -> kube-system/coredns UDP/53 allowed',
    ]);
    expect(dns.map((e) => `${e.protocol}/${e.port}`)).toEqual([
      'TCP/52', 'TCP/53', 'TCP/54', 'TCP/55', 'TCP/8079', 'TCP/8080', 'TCP/8081',
      'UDP/52', 'UDP/53', 'UDP/54', 'UDP/4999', 'UDP/5000', 'UDP/5010', 'UDP/5011',
    ]);
    expect(graph.verify().failed).toBe(0);
  });

  test('to the DNS namespace given by name, and the DNS workload named by dnsWorkloadName', () => {
    const { graph } = graphOf({ allowDns: true, dns: { dnsNamespace: NamespaceSelector.named('dns-system') }, dnsWorkloadName: 'kube-dns' });
    graph.addService('a', byLabel('a'));

    expect(graph.expectations().map(line)).toEqual([
      'shop/a -> dns-system/kube-dns TCP/52 denied',
      'shop/a -> dns-system/kube-dns TCP/53 allowed',
      'shop/a -> dns-system/kube-dns TCP/54 denied',
      'shop/a -> dns-system/kube-dns TCP/55 denied',
      'shop/a -> dns-system/kube-dns UDP/52 denied',
      'shop/a -> dns-system/kube-dns UDP/53 allowed',
      'shop/a -> dns-system/kube-dns UDP/54 denied',
      ...denied(['shop/a'], INTERNET, HTTPS),
    ]);
    expect(graph.verify().failed).toBe(0);
  });

  test('none with allowDns false, and DNS is then really denied', () => {
    // GIVEN
    const { chart, graph } = graphOf({ allowDns: false });
    graph.addService('a', byLabel('a'));

    // THEN no DNS expectation (only the internet probes), and the default-deny alone denies DNS
    expect(graph.expectations().map(line)).toEqual(denied(['shop/a'], INTERNET, HTTPS));
    const kubeDns = { apiVersion: 'v1', kind: 'Pod', metadata: { name: 'kube-dns', namespace: 'kube-system', labels: { 'k8s-app': 'kube-dns' } }, spec: { containers: [{ name: 'dns', image: 'dns' }] } };
    const a = { apiVersion: 'v1', kind: 'Pod', metadata: { name: 'a', namespace: 'shop', labels: { app: 'a' } }, spec: { containers: [{ name: 'a', image: 'a' }] } };
    const analyzer = Analyzer.fromManifests([...chart.toJson(), kubeDns, a]);
    expect(analyzer.isAllowed({ from: 'shop/a', to: 'kube-system/kube-dns', port: 53, protocol: Protocol.UDP })).toBe(false);

    // and with DNS on, the same manifests allow it
    const { chart: withDns } = graphOf({ allowDns: true });
    expect(Analyzer.fromManifests([...withDns.toJson(), kubeDns, a]).isAllowed({ from: 'shop/a', to: 'kube-system/kube-dns', port: 53, protocol: Protocol.UDP })).toBe(true);
  });
});

describe('external expectations', () => {
  test('a CIDR: its first address allowed on its ports, the first address past it denied', () => {
    // GIVEN
    const { graph } = graphOf();
    const a = graph.addService('a', byLabel('a'));
    graph.addService('b', byLabel('b'));

    // WHEN
    graph.allowCidr(a, '10.20.0.0/16', Port.tcp(5432));

    // THEN the internet probes, then the CIDR's first address and the one past it; on 5432, the ports
    // next to it, and HTTPS; only a, to the CIDR, on 5432
    const probes = [...HTTPS, 'TCP/5431', 'TCP/5432', 'TCP/5433'];
    expect(graph.expectations().map(line)).toEqual([
      ...denied(['shop/a'], INTERNET, probes),
      'shop/a -> ip:10.20.0.0 TCP/442 denied',
      'shop/a -> ip:10.20.0.0 TCP/443 denied',
      'shop/a -> ip:10.20.0.0 TCP/444 denied',
      'shop/a -> ip:10.20.0.0 TCP/5431 denied',
      'shop/a -> ip:10.20.0.0 TCP/5432 allowed',
      'shop/a -> ip:10.20.0.0 TCP/5433 denied',
      ...denied(['shop/a'], ['ip:10.21.0.0'], probes),
      ...denied(['shop/b'], [...INTERNET, 'ip:10.20.0.0', 'ip:10.21.0.0'], probes),
    ]);
    expect(graph.verify().failed).toBe(0);
  });

  test('a CIDR at the top of the address space has no address past it; a host CIDR is its address', () => {
    const { graph } = graphOf();
    const a = graph.addService('a', byLabel('a'));

    graph.allowCidr(a, '255.255.255.0/24', Port.tcp(1));
    graph.allowCidr(a, '198.51.100.7/32', Port.tcp(1));

    // no port 0: probes stay within 1-65535
    const probes = ['TCP/1', 'TCP/2', ...HTTPS];
    const allowedOnPort1 = (to: string) => [`shop/a -> ${to} TCP/1 allowed`, ...denied(['shop/a'], [to], probes.slice(1))];
    expect(graph.expectations().map(line)).toEqual([
      ...denied(['shop/a'], INTERNET, probes),
      ...allowedOnPort1('ip:255.255.255.0'),
      ...allowedOnPort1('ip:198.51.100.7'),
      ...denied(['shop/a'], ['ip:198.51.100.8'], probes),
    ]);
    expect(graph.verify().failed).toBe(0);
  });

  test('the internet: a public address allowed, metadata and private addresses denied, every except probed', () => {
    // GIVEN
    const { graph } = graphOf();
    const a = graph.addService('a', byLabel('a'));
    const b = graph.addService('b', byLabel('b'));
    graph.addService('x', byLabel('x', 'other'));

    // WHEN
    graph.allowExternalHttps(a);
    graph.allowCidr(b, '10.20.0.0/16', Port.tcp(5432));

    // THEN
    const external = graph.expectations().filter((e) => e.to.startsWith('ip:'));
    const addresses = [...new Set(external.map((e) => e.to))];
    expect(addresses).toEqual([
      'ip:203.0.113.10', 'ip:169.254.169.254', 'ip:10.0.0.1',
      'ip:10.0.0.0', 'ip:11.0.0.0',
      'ip:172.16.0.0', 'ip:172.32.0.0',
      'ip:192.168.0.0', 'ip:192.169.0.0',
      'ip:169.254.0.0', 'ip:169.255.0.0',
      'ip:100.64.0.0', 'ip:100.128.0.0',
      'ip:10.20.0.0', 'ip:10.21.0.0',
    ]);
    // 15 addresses x 6 ports (TCP 442, 443, 444, 5431, 5432, 5433) x 2 clients (a and b; x is not in an owned namespace)
    expect(external).toHaveLength(15 * 6 * 2);
    expect(new Set(external.map((e) => e.from))).toEqual(new Set(['shop/a', 'shop/b']));
    expect(external.filter((e) => e.allowed).map(line)).toEqual([
      'shop/a -> ip:203.0.113.10 TCP/443 allowed',
      'shop/a -> ip:11.0.0.0 TCP/443 allowed',
      'shop/a -> ip:172.32.0.0 TCP/443 allowed',
      'shop/a -> ip:192.169.0.0 TCP/443 allowed',
      'shop/a -> ip:169.255.0.0 TCP/443 allowed',
      'shop/a -> ip:100.128.0.0 TCP/443 allowed',
      'shop/b -> ip:10.20.0.0 TCP/5432 allowed',
    ]);
    expect(external.find((e) => e.from === 'shop/a' && e.to === 'ip:169.254.169.254' && e.port === 443)?.allowed).toBe(false);
    expect(external.find((e) => e.from === 'shop/a' && e.to === 'ip:10.0.0.1' && e.port === 443)?.allowed).toBe(false);
    // the ports next to 443 are denied on the public address; b is probed on the internet, a on b's CIDR
    expect(external.filter((e) => e.to === 'ip:203.0.113.10' || e.to === 'ip:10.20.0.0').filter((e) => e.port !== 443 && e.port !== 5432).every((e) => !e.allowed)).toBe(true);
    expect(external.filter((e) => e.from === 'shop/b' && e.to === 'ip:203.0.113.10').map(line)).toEqual(
      denied(['shop/b'], ['ip:203.0.113.10'], [...HTTPS, 'TCP/5431', 'TCP/5432', 'TCP/5433']),
    );
    expect(graph.verify().failed).toBe(0);
  });

  test('more excepted ranges are probed too, and the public probe inside one is denied', () => {
    const { graph } = graphOf();
    const a = graph.addService('a', byLabel('a'));

    graph.allowExternalHttps(a, { exceptCidrs: ['203.0.113.0/24'] });

    expect(graph.expectations().filter((e) => e.to.startsWith('ip:203.0.11')).map(line)).toEqual([
      ...denied(['shop/a'], ['ip:203.0.113.10', 'ip:203.0.113.0'], HTTPS),
      'shop/a -> ip:203.0.114.0 TCP/442 denied',
      'shop/a -> ip:203.0.114.0 TCP/443 allowed',
      'shop/a -> ip:203.0.114.0 TCP/444 denied',
    ]);
    // verify(): a -> a, then TCP 443 to every IPv4 address but the 5 non-public ranges and 203.0.113.0/24: the 7 ranges
    // between them (each merged across the edges inside it); nothing to the excepted ranges, nothing over IPv6
    const report = graph.verify();
    expect(verified(report)).toEqual([
      'shop/a -> shop/a: allows nothing, declared nothing',
      ...['0.0.0.0-9.255.255.255', '11.0.0.0-100.63.255.255', '100.128.0.0-169.253.255.255', '169.255.0.0-172.15.255.255',
        '172.32.0.0-192.167.255.255', '192.169.0.0-203.0.112.255', '203.0.114.0-255.255.255.255']
        .map((range) => `shop/a -> ip:${range}: allows TCP 443, declared TCP 443`),
    ]);
    expect(report).toMatchObject({ passed: 8, failed: 0 });
  });

  test('IPv6 internet probes with ipv6', () => {
    const { graph } = graphOf();
    const a = graph.addService('a', byLabel('a'));

    graph.allowExternalHttps(a, { ipv6: true });

    const expectations = graph.expectations();
    // the IPv4 and IPv6 internet probes, then each except: its first address and the first one past it
    expect([...new Set(expectations.map((e) => e.to))]).toEqual([
      ...INTERNET, 'ip:2001:db8::10', 'ip:fd00:ec2::254', 'ip:fe80::1',
      'ip:10.0.0.0', 'ip:11.0.0.0', 'ip:172.16.0.0', 'ip:172.32.0.0', 'ip:192.168.0.0', 'ip:192.169.0.0',
      'ip:169.254.0.0', 'ip:169.255.0.0', 'ip:100.64.0.0', 'ip:100.128.0.0',
      'ip:fc00::', 'ip:fe00::', 'ip:fe80::', 'ip:fec0::',
    ]);
    expect(expectations).toHaveLength(20 * 3);
    const allowed = expectations.filter((e) => e.allowed);
    expect(allowed.every((e) => e.port === 443)).toBe(true);
    expect(allowed.map((e) => e.to)).toEqual([
      'ip:203.0.113.10', 'ip:2001:db8::10',
      'ip:11.0.0.0', 'ip:172.32.0.0', 'ip:192.169.0.0', 'ip:169.255.0.0', 'ip:100.128.0.0',
      'ip:fe00::', 'ip:fec0::',
    ]);
    expect(expectations.filter((e) => e.to === 'ip:fe80::1').map(line)).toEqual(denied(['shop/a'], ['ip:fe80::1'], HTTPS));
    expect(graph.verify().failed).toBe(0);
  });
});

describe('expectationsFile()', () => {
  test('is a verify expectations file that parses into the same list', () => {
    // GIVEN
    const { graph } = graphOf({ allowDns: true });
    const a = graph.addService('a', byLabel('a'));
    const b = graph.addService('b', byLabel('b'));
    graph.allow(a, b, Port.tcp(80), Port.udpRange(5000, 5010));
    graph.allowCidr(a, '10.20.0.0/16', Port.tcp(5432));

    // WHEN
    const text = graph.expectationsFile();

    // THEN
    // Pairs: 4 x 7 probes (TCP 79, 80, 81; UDP 4999, 5000, 5010, 5011) = 28.
    // DNS: 2 services x 14 probes (those 7; TCP 52, 53, 54, 55; UDP 52, 53, 54) = 28.
    // External: 2 services x 5 addresses (3 internet probes, 10.20.0.0, 10.21.0.0) x 13 probes
    // (the 7 call probes; TCP 442, 443, 444, 5431, 5432, 5433) = 130. Total 186.
    expect(text.split('\n').slice(0, 4)).toEqual([
      '# What the ServiceGraph c/g must allow and deny: 186 flows,',
      '# generated by expectationsFile(). Declared calls are allowed; every other flow here is denied.',
      'expectations:',
      '  - { from: "shop/a", to: "shop/a", port: 79, protocol: TCP, allowed: false }',
    ]);
    const parsed = parseExpectations(text, 'graph.yaml').map((l) => l.expectation);
    expect(parsed).toEqual(graph.expectations());
    expect(parsed).toHaveLength(4 * 7 + 2 * 14 + 2 * 5 * 13);
  });

  test('an empty graph writes an empty list', () => {
    const { graph } = graphOf();
    expect(graph.expectationsFile()).toBe(
      '# What the ServiceGraph c/g must allow and deny: 0 flows,\n'
      + '# generated by expectationsFile(). Declared calls are allowed; every other flow here is denied.\n'
      + 'expectations: []\n',
    );
    expect(parseExpectations(graph.expectationsFile(), 'empty.yaml')).toEqual([]);
  });
});

describe('cluster DNS declared as a service of the graph', () => {
  test('its pairs say what DNS allows: 53 from every service of an owned namespace, and the declared calls', () => {
    // GIVEN coredns as a service, called on its metrics port, and a call on UDP 53 between two services
    const { graph } = graphOf({ allowDns: true });
    const a = graph.addService('a', byLabel('a'));
    const b = graph.addService('b', byLabel('b'));
    const dns = graph.addService('coredns', { pods: Selector.labels({ 'k8s-app': 'kube-dns' }), namespace: 'kube-system' });
    graph.allow(a, dns, Port.tcp(9153));
    graph.allow(a, b, Port.udp(53));

    // THEN no separate DNS expectations, and the pairs to coredns allow UDP 53 for both, TCP 9153 for a only
    const toDns = graph.expectations().filter((e) => e.to === 'kube-system/coredns' && e.allowed).map(line);
    expect(toDns).toEqual([
      'shop/a -> kube-system/coredns TCP/9153 allowed',
      'shop/a -> kube-system/coredns UDP/53 allowed',
      'shop/b -> kube-system/coredns UDP/53 allowed',
    ]);
    expect(graph.verify().failed).toBe(0);
  });
});

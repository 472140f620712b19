import { Chart, Testing } from 'cdk8s';
import * as kplus from 'cdk8s-plus-28';
import { NamespaceSelector, Port, Protocol, Selector, ServiceGraph, ServiceGraphProps } from '../../src';
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

describe('expectations() between services', () => {
  test('declared calls allowed on each port, every other pair denied on every declared port', () => {
    // GIVEN
    const { graph } = graphOf();
    const a = graph.addService('a', byLabel('a'));
    const b = graph.addService('b', byLabel('b'));

    // WHEN
    graph.allow(a, b, Port.tcp(80), Port.udp(53));

    // THEN probes sorted by protocol then number; pairs in declaration order, self pairs included
    expect(graph.expectations().map(line)).toEqual([
      'shop/a -> shop/a TCP/80 denied',
      'shop/a -> shop/a UDP/53 denied',
      'shop/a -> shop/b TCP/80 allowed',
      'shop/a -> shop/b UDP/53 allowed',
      'shop/b -> shop/a TCP/80 denied',
      'shop/b -> shop/a UDP/53 denied',
      'shop/b -> shop/b TCP/80 denied',
      'shop/b -> shop/b UDP/53 denied',
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
    expect(expectations).toHaveLength(9 * 2);
    expect(expectations.filter((e) => e.allowed).map(line)).toEqual([
      'shop/a -> shop/b TCP/80 allowed',
      'shop/b -> shop/c TCP/5432 allowed',
    ]);
    expect(expectations.filter((e) => e.from === 'shop/a' && e.to === 'shop/c').map(line)).toEqual([
      'shop/a -> shop/c TCP/80 denied',
      'shop/a -> shop/c TCP/5432 denied',
    ]);
  });

  test('no calls, no service expectations', () => {
    const { graph } = graphOf();
    graph.addService('a', byLabel('a'));
    expect(graph.expectations()).toEqual([]);
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

    // THEN
    expect(graph.expectations().map(line)).toEqual([
      'shop/web -> shop/web TCP/80 denied',
      'shop/web -> shop/job TCP/80 denied',
      'shop/job -> shop/web TCP/80 allowed',
    ]);
    expect(graph.verify().failed).toBe(0);
  });

  test('a self call of a Deployment is allowed', () => {
    const { chart, graph } = graphOf();
    const deployment = new kplus.Deployment(chart, 'peers', { metadata: { name: 'peers' }, containers: [{ image: 'peers' }] });
    const peers = graph.addService('peers', { workload: deployment });

    graph.allow(peers, peers, Port.tcp(7000));

    expect(graph.expectations().map(line)).toEqual(['shop/peers -> shop/peers TCP/7000 allowed']);
    expect(graph.verify()).toMatchObject({ passed: 1, failed: 0 });
  });

  test('pairs of two services in namespaces the graph does not own are skipped', () => {
    // GIVEN
    const { graph } = graphOf();
    const a = graph.addService('a', byLabel('a'));
    const x = graph.addService('x', byLabel('x', 'other'));
    graph.addService('y', byLabel('y', 'other'));

    // WHEN
    graph.allow(a, x, Port.tcp(80));

    // THEN no other/x <-> other/y, no self pairs in other
    expect(graph.expectations().map(line)).toEqual([
      'shop/a -> shop/a TCP/80 denied',
      'shop/a -> other/x TCP/80 allowed',
      'shop/a -> other/y TCP/80 denied',
      'other/x -> shop/a TCP/80 denied',
      'other/y -> shop/a TCP/80 denied',
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
      'shop/a -> shop/b TCP/30000 allowed',
      'shop/a -> shop/b TCP/30010 allowed',
      'shop/a -> shop/b UDP/40000 denied',
    ]);
    expect(expectations.filter((e) => e.allowed).map(line)).toEqual([
      'shop/a -> shop/b TCP/30000 allowed',
      'shop/a -> shop/b TCP/30010 allowed',
      'shop/b -> shop/a UDP/40000 allowed',
    ]);
    expect(expectations).toHaveLength(4 * 3);
    expect(graph.verify().failed).toBe(0);
  });

  test('a port inside a declared range is allowed, not just its ends', () => {
    const { graph } = graphOf();
    const a = graph.addService('a', byLabel('a'));
    const b = graph.addService('b', byLabel('b'));

    graph.allow(a, b, Port.tcpRange(8000, 8100));
    graph.allow(b, a, Port.tcp(8050));

    expect(graph.expectations().filter((e) => e.port === 8050).map(line)).toEqual([
      'shop/a -> shop/a TCP/8050 denied',
      'shop/a -> shop/b TCP/8050 allowed',
      'shop/b -> shop/a TCP/8050 allowed',
      'shop/b -> shop/b TCP/8050 denied',
    ]);
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
    expect(graph.expectations()).toHaveLength(4 * 3);
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

    expect(graph.expectations().map(line)).toEqual([
      'shop/a -> kube-system/coredns UDP/53 allowed',
      'shop/a -> kube-system/coredns TCP/53 allowed',
      'shop/b -> kube-system/coredns UDP/53 allowed',
      'shop/b -> kube-system/coredns TCP/53 allowed',
    ]);
    expect(graph.verify()).toMatchObject({ passed: 4, failed: 0 });
  });

  test('to the DNS namespace given by name, and the DNS workload named by dnsWorkloadName', () => {
    const { graph } = graphOf({ allowDns: true, dns: { dnsNamespace: NamespaceSelector.named('dns-system') }, dnsWorkloadName: 'kube-dns' });
    graph.addService('a', byLabel('a'));

    expect(graph.expectations().map(line)).toEqual([
      'shop/a -> dns-system/kube-dns UDP/53 allowed',
      'shop/a -> dns-system/kube-dns TCP/53 allowed',
    ]);
    expect(graph.verify().failed).toBe(0);
  });

  test('none with allowDns false, and DNS is then really denied', () => {
    // GIVEN
    const { chart, graph } = graphOf({ allowDns: false });
    graph.addService('a', byLabel('a'));

    // THEN no DNS expectation, and the default-deny alone denies DNS
    expect(graph.expectations()).toEqual([]);
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

    // THEN
    expect(graph.expectations().map(line)).toEqual([
      'shop/a -> ip:10.20.0.0 TCP/5432 allowed',
      'shop/a -> ip:10.21.0.0 TCP/5432 denied',
      'shop/b -> ip:10.20.0.0 TCP/5432 denied',
      'shop/b -> ip:10.21.0.0 TCP/5432 denied',
    ]);
    expect(graph.verify().failed).toBe(0);
  });

  test('a CIDR at the top of the address space has no address past it; a host CIDR is its address', () => {
    const { graph } = graphOf();
    const a = graph.addService('a', byLabel('a'));

    graph.allowCidr(a, '255.255.255.0/24', Port.tcp(1));
    graph.allowCidr(a, '198.51.100.7/32', Port.tcp(1));

    expect(graph.expectations().map(line)).toEqual([
      'shop/a -> ip:255.255.255.0 TCP/1 allowed',
      'shop/a -> ip:198.51.100.7 TCP/1 allowed',
      'shop/a -> ip:198.51.100.8 TCP/1 denied',
    ]);
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
    // 15 addresses x 2 ports x 2 clients (a and b; x is not in an owned namespace)
    expect(external).toHaveLength(60);
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
    expect(graph.verify().failed).toBe(0);
  });

  test('more excepted ranges are probed too, and the public probe inside one is denied', () => {
    const { graph } = graphOf();
    const a = graph.addService('a', byLabel('a'));

    graph.allowExternalHttps(a, { exceptCidrs: ['203.0.113.0/24'] });

    expect(graph.expectations().filter((e) => e.to.startsWith('ip:203.0.11')).map(line)).toEqual([
      'shop/a -> ip:203.0.113.10 TCP/443 denied',
      'shop/a -> ip:203.0.113.0 TCP/443 denied',
      'shop/a -> ip:203.0.114.0 TCP/443 allowed',
    ]);
    expect(graph.verify()).toMatchObject({ passed: 15, failed: 0 });
  });

  test('IPv6 internet probes with ipv6', () => {
    const { graph } = graphOf();
    const a = graph.addService('a', byLabel('a'));

    graph.allowExternalHttps(a, { ipv6: true });

    const allowed = graph.expectations().filter((e) => e.allowed).map((e) => e.to);
    expect(allowed).toEqual(expect.arrayContaining(['ip:203.0.113.10', 'ip:2001:db8::10']));
    expect(allowed).not.toContain('ip:fd00:ec2::254');
    expect(allowed).not.toContain('ip:fe80::1');
    expect(graph.expectations().filter((e) => e.to === 'ip:fe80::1').map(line)).toEqual(['shop/a -> ip:fe80::1 TCP/443 denied']);
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
    expect(text.split('\n').slice(0, 4)).toEqual([
      '# What the ServiceGraph c/g must allow and deny: 20 flows,',
      '# generated by expectationsFile(). Declared calls are allowed; every other flow here is denied.',
      'expectations:',
      '  - { from: "shop/a", to: "shop/a", port: 80, protocol: TCP, allowed: false }',
    ]);
    const parsed = parseExpectations(text, 'graph.yaml').map((l) => l.expectation);
    expect(parsed).toEqual(graph.expectations());
    expect(parsed).toHaveLength(4 * 3 + 2 * 2 + 2 * 2);
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

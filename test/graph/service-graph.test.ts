import { App, Chart, Testing } from 'cdk8s';
import * as kplus from 'cdk8s-plus-28';
import { AllowFrom, AllowTo, DefaultDeny, GraphPairResult, GraphService, LabelExpression, Peer, Port, Selector, ServiceGraph } from '../../src';
import { netpolMatchers } from '../../src/jest';
import { synthPolicies } from '../support/synth';
import { thrown } from '../support/thrown';

expect.extend(netpolMatchers);

const NAME_LABEL = 'kubernetes.io/metadata.name';

interface Shop {
  readonly app: App;
  readonly chart: Chart;
  readonly graph: ServiceGraph;
  readonly frontendDeployment: kplus.Deployment;
  readonly frontend: GraphService;
  readonly api: GraphService;
  readonly billing: GraphService;
  readonly ledger: GraphService;
}

/**
 * A small representative graph: it owns shop and payments.
 *
 * - frontend: a Deployment in shop (workload service), container port 8080 named http
 * - api: pods app=api in shop (selector service)
 * - billing: pods app=billing in payments
 * - ledger: pods app=ledger in finance, which the graph does NOT own
 * - prometheus: the default scraper, monitoring (not owned), declared by allowScrape()
 *
 * Calls: frontend -> api 8080 then again 8443 (the repeat adds a port), api -> billing 9000
 * (cross-namespace), billing -> ledger 5432 (foreign server), ledger -> billing 9000 (foreign
 * client), api to the internet on 443, billing to 10.20.0.0/16 on 5432, prometheus scrapes api on 9090.
 */
function shop(): Shop {
  const app = Testing.app();
  const chart = new Chart(app, 'shop', { namespace: 'shop' });
  const frontendDeployment = new kplus.Deployment(chart, 'frontend', {
    metadata: { name: 'frontend' },
    podMetadata: { labels: { app: 'frontend' } },
    containers: [{ name: 'web', image: 'example.com/frontend', ports: [{ number: 8080, name: 'http' }] }],
  });
  const graph = new ServiceGraph(chart, 'mesh', { namespaces: ['shop', 'payments'] });
  const frontend = graph.addService('frontend', { workload: frontendDeployment });
  const api = graph.addService('api', { pods: Selector.labels({ app: 'api' }) });
  const billing = graph.addService('billing', { pods: Selector.labels({ app: 'billing' }), namespace: 'payments' });
  const ledger = graph.addService('ledger', { pods: Selector.labels({ app: 'ledger' }), namespace: 'finance' });
  graph.allow(frontend, api, Port.tcp(8080));
  graph.allow(api, billing, Port.tcp(9000));
  graph.allow(billing, ledger, Port.tcp(5432));
  graph.allow(ledger, billing, Port.tcp(9000));
  graph.allow(frontend, api, Port.tcp(8443));
  graph.allowExternalHttps(api);
  graph.allowCidr(billing, '10.20.0.0/16', Port.tcp(5432));
  graph.allowScrape(api, Port.tcp(9090));
  return { app, chart, graph, frontendDeployment, frontend, api, billing, ledger };
}

function policy(policies: any[], namespace: string, name: string): any {
  const found = policies.filter((p) => p.metadata.namespace === namespace && p.metadata.name === name);
  expect(found).toHaveLength(1);
  return found[0];
}

/** A pair of verify()'s report, as the matcher's failures read: `from -> to: allows <actual>, declared <declared>`. */
const pairLine = (r: GraphPairResult) => `${r.from} -> ${r.to}: allows ${r.actual}, declared ${r.declared}`;

/** The ports of a call or external call as text, e.g. ['TCP/8080']. */
const portTexts = (ports: Port[]) => ports.map((p) => p.toString());

describe('ServiceGraph', () => {
  test('writes default-deny, DNS and both sides of every call, as the NetworkPolicy spec reads them', () => {
    // GIVEN / WHEN
    const { chart, frontendDeployment } = shop();

    // THEN
    const policies = synthPolicies(chart);
    expect(policies).toMatchSnapshot();

    // same namespace: a bare podSelector (the frontend's own selector labels)
    expect(policy(policies, 'shop', 'mesh-frontend-to-api').spec).toEqual({
      podSelector: { matchLabels: frontendDeployment.matchLabels },
      policyTypes: ['Egress'],
      egress: [{ to: [{ podSelector: { matchLabels: { app: 'api' } } }], ports: [{ port: 8080, protocol: 'TCP' }, { port: 8443, protocol: 'TCP' }] }],
    });
    expect(policy(policies, 'shop', 'mesh-api-from-frontend').spec.ingress).toEqual([
      { from: [{ podSelector: { matchLabels: frontendDeployment.matchLabels } }], ports: [{ port: 8080, protocol: 'TCP' }, { port: 8443, protocol: 'TCP' }] },
    ]);
    // across namespaces: namespaceSelector on the immutable name label AND podSelector, in one peer
    expect(policy(policies, 'shop', 'mesh-api-to-billing').spec.egress).toEqual([{
      to: [{ namespaceSelector: { matchLabels: { [NAME_LABEL]: 'payments' } }, podSelector: { matchLabels: { app: 'billing' } } }],
      ports: [{ port: 9000, protocol: 'TCP' }],
    }]);
    expect(policy(policies, 'payments', 'mesh-billing-from-api').spec.ingress).toEqual([{
      from: [{ namespaceSelector: { matchLabels: { [NAME_LABEL]: 'shop' } }, podSelector: { matchLabels: { app: 'api' } } }],
      ports: [{ port: 9000, protocol: 'TCP' }],
    }]);
    expect(policy(policies, 'shop', 'mesh-api-from-prometheus').spec.ingress).toEqual([{
      from: [{ namespaceSelector: { matchLabels: { [NAME_LABEL]: 'monitoring' } }, podSelector: { matchLabels: { 'app.kubernetes.io/name': 'prometheus' } } }],
      ports: [{ port: 9090, protocol: 'TCP' }],
    }]);
    // default-deny isolates both directions for every pod of each owned namespace
    for (const namespace of ['shop', 'payments']) {
      expect(policy(policies, namespace, 'mesh-default-deny').spec).toEqual({ podSelector: {}, policyTypes: ['Ingress', 'Egress'] });
      expect(policy(policies, namespace, 'mesh-allow-dns').spec.egress[0].ports).toEqual([{ port: 53, protocol: 'UDP' }, { port: 53, protocol: 'TCP' }]);
    }
    expect(policy(policies, 'payments', 'mesh-billing-to-10.20.0.0-16').spec.egress).toEqual([
      { to: [{ ipBlock: { cidr: '10.20.0.0/16' } }], ports: [{ port: 5432, protocol: 'TCP' }] },
    ]);
  });

  test('policy names and namespaces read as the calls, and only owned namespaces get policies', () => {
    const { chart } = shop();

    const written = synthPolicies(chart).map((p) => `${p.metadata.namespace}/${p.metadata.name}`).sort();

    expect(written).toEqual([
      'payments/mesh-allow-dns',
      'payments/mesh-billing-from-api',
      'payments/mesh-billing-from-ledger',
      'payments/mesh-billing-to-10.20.0.0-16',
      'payments/mesh-billing-to-ledger',
      'payments/mesh-default-deny',
      'shop/mesh-allow-dns',
      'shop/mesh-api-from-frontend',
      'shop/mesh-api-from-prometheus',
      'shop/mesh-api-to-billing',
      'shop/mesh-api-to-internet',
      'shop/mesh-default-deny',
      'shop/mesh-frontend-to-api',
    ]);
    // ledger (finance) and prometheus (monitoring) are not owned: no ledger-from-billing, no prometheus-to-api
    expect(written.filter((p) => p.startsWith('finance/') || p.startsWith('monitoring/'))).toEqual([]);
  });

  test('repeating an identical allow changes neither the policies nor the calls', () => {
    // GIVEN
    const { chart, graph, frontend, api, billing } = shop();
    const before = JSON.stringify(chart.toJson());
    const callsBefore = graph.calls.map((c) => [c.client.node.id, c.server.node.id, portTexts(c.ports)]);

    // WHEN
    graph.allow(frontend, api, Port.tcp(8443), Port.tcp(8080));
    graph.allow(api, billing, Port.tcp(9000));
    graph.allowCidr(billing, '10.20.0.0/16', Port.tcp(5432));
    graph.allowExternalHttps(api);

    // THEN
    expect(JSON.stringify(chart.toJson())).toBe(before);
    expect(graph.calls.map((c) => [c.client.node.id, c.server.node.id, portTexts(c.ports)])).toEqual(callsBefore);
    expect(graph.externalCalls).toHaveLength(2);
  });

  test('a repeated allowCidr adds its new ports to the same policy', () => {
    const { chart, graph, billing } = shop();

    graph.allowCidr(billing, '10.20.0.0/16', Port.tcp(6432), Port.tcp(5432), Port.tcp(6432));

    expect(policy(synthPolicies(chart), 'payments', 'mesh-billing-to-10.20.0.0-16').spec.egress).toEqual([
      { to: [{ ipBlock: { cidr: '10.20.0.0/16' } }], ports: [{ port: 5432, protocol: 'TCP' }, { port: 6432, protocol: 'TCP' }] },
    ]);
    expect(portTexts(graph.externalCalls[1].ports)).toEqual(['TCP/5432', 'TCP/6432']);
  });

  test('a repeated allow adds each new port once, to both policies', () => {
    const { chart, graph, api, billing } = shop();

    graph.allow(api, billing, Port.udp(9000), Port.tcp(9000), Port.udp(9000));

    expect(portTexts(graph.calls[1].ports)).toEqual(['TCP/9000', 'UDP/9000']);
    const policies = synthPolicies(chart);
    const ports = [{ port: 9000, protocol: 'TCP' }, { port: 9000, protocol: 'UDP' }];
    expect(policy(policies, 'shop', 'mesh-api-to-billing').spec.egress.map((r: any) => r.ports)).toEqual([ports]);
    expect(policy(policies, 'payments', 'mesh-billing-from-api').spec.ingress.map((r: any) => r.ports)).toEqual([ports]);
    expect(graph.verify().failed).toBe(0);
  });

  test('services, calls and externalCalls list the declarations in order', () => {
    const { graph, frontendDeployment } = shop();

    expect(graph.namespaces).toEqual(['shop', 'payments']);
    expect(graph.services.map((s) => [s.node.id, s.endpoint])).toEqual([
      ['frontend', 'shop/frontend'],
      ['api', 'shop/api'],
      ['billing', 'payments/billing'],
      ['ledger', 'finance/ledger'],
      ['prometheus', 'monitoring/prometheus'],
    ]);
    expect(graph.services[0].workload).toBe(frontendDeployment);
    expect(graph.services[1].workload).toBeUndefined();
    expect(graph.scraper).toBe(graph.services[4]);
    expect(graph.calls.map((c) => [c.client.node.id, c.server.node.id, portTexts(c.ports)])).toEqual([
      ['frontend', 'api', ['TCP/8080', 'TCP/8443']],
      ['api', 'billing', ['TCP/9000']],
      ['billing', 'ledger', ['TCP/5432']],
      ['ledger', 'billing', ['TCP/9000']],
      ['prometheus', 'api', ['TCP/9090']],
    ]);
    expect(graph.externalCalls.map((e) => [e.client.node.id, e.cidrs, e.except, portTexts(e.ports)])).toEqual([
      ['api', ['0.0.0.0/0'], ['10.0.0.0/8', '172.16.0.0/12', '192.168.0.0/16', '169.254.0.0/16', '100.64.0.0/10'], ['TCP/443']],
      ['billing', ['10.20.0.0/16'], [], ['TCP/5432']],
    ]);
    // the getters return copies
    graph.services.pop();
    graph.calls.pop();
    expect(graph.services).toHaveLength(5);
    expect(graph.calls).toHaveLength(5);
  });

  test('the namespaces default to the Chart\'s, and labels and annotations go on every policy', () => {
    const chart = new Chart(Testing.app(), 'c', { namespace: 'shop' });
    const graph = new ServiceGraph(chart, 'g', { labels: { team: 'shop' }, annotations: { 'example.com/owner': 'shop team' } });
    const a = graph.addService('a', { pods: Selector.labels({ app: 'a' }) });
    const b = graph.addService('b', { pods: Selector.labels({ app: 'b' }) });
    graph.allow(a, b, Port.tcp(80));

    expect(graph.namespaces).toEqual(['shop']);
    const policies = synthPolicies(chart);
    expect(policies.map((p) => p.metadata)).toEqual(['g-default-deny', 'g-allow-dns', 'g-a-to-b', 'g-b-from-a'].map((name) => ({
      name, namespace: 'shop', labels: { team: 'shop' }, annotations: { 'example.com/owner': 'shop team' },
    })));
  });

  test('verify() proves the representative graph, and so does the matcher', () => {
    const { graph } = shop();

    const report = graph.verify();

    // 5 services, 25 ordered pairs; ledger and prometheus are both foreign, so their 4 pairs
    // (ledger->ledger, ledger->prometheus, prometheus->ledger, prometheus->prometheus) are skipped: 21 pairs.
    // DNS: the 3 services of owned namespaces to kube-system/coredns: 3.
    // Outside: api's HTTPS to 0.0.0.0/0 less the 5 non-public ranges is the 6 ranges between them; billing's
    // 10.20.0.0/16 is 1; frontend reaches no address, and nothing comes in: 7. Total 21 + 3 + 7 = 31.
    expect(report.failed).toBe(0);
    expect(report.passed).toBe(31);
    expect(report.results).toHaveLength(31);
    // What is allowed, exactly as declared: the calls (frontend -> api twice, adding 8443), DNS and the external
    // dependencies; the 16 other pairs allow nothing.
    expect(report.results.filter((r) => !r.actual.isEmpty).map(pairLine)).toEqual([
      'shop/frontend -> shop/api: allows TCP 8080, 8443, declared TCP 8080, 8443',
      'shop/api -> payments/billing: allows TCP 9000, declared TCP 9000',
      'payments/billing -> finance/ledger: allows TCP 5432, declared TCP 5432',
      'finance/ledger -> payments/billing: allows TCP 9000, declared TCP 9000',
      'monitoring/prometheus -> shop/api: allows TCP 9090, declared TCP 9090',
      'shop/frontend -> kube-system/coredns: allows TCP 53, UDP 53, declared TCP 53, UDP 53',
      'shop/api -> kube-system/coredns: allows TCP 53, UDP 53, declared TCP 53, UDP 53',
      'payments/billing -> kube-system/coredns: allows TCP 53, UDP 53, declared TCP 53, UDP 53',
      ...['0.0.0.0-9.255.255.255', '11.0.0.0-100.63.255.255', '100.128.0.0-169.253.255.255', '169.255.0.0-172.15.255.255',
        '172.32.0.0-192.167.255.255', '192.169.0.0-255.255.255.255'].map((range) => `shop/api -> ip:${range}: allows TCP 443, declared TCP 443`),
      'payments/billing -> ip:10.20.0.0-10.20.255.255: allows TCP 5432, declared TCP 5432',
    ]);
    expect(graph).toAllowExactlyTheDeclaredCalls();
    expect(() => expect(graph).not.toAllowExactlyTheDeclaredCalls())
      .toThrow('Expected shop/mesh not to allow exactly its declared calls, but all 31 pairs allow exactly what is declared.');
  });
});

describe('the proof catches mistakes', () => {
  test('a hand-written policy letting everyone into a service', () => {
    // GIVEN a correct graph
    const { chart, graph } = shop();
    expect(graph.verify().failed).toBe(0);

    // WHEN someone adds an allow-all ingress to api
    new AllowFrom(chart, 'open-api', { pods: Selector.labels({ app: 'api' }), from: [Peer.anyone()], ports: [Port.allPorts()] });

    // THEN the pairs into api whose egress nothing stops are reported: ledger and prometheus are foreign
    // (egress unrestricted), so they now reach api on every port of every protocol (prometheus declared TCP 9090 of it);
    // and every address outside, IPv4 (one range: the same answer everywhere) and IPv6 (two, around the IPv4-mapped
    // block, whose addresses are IPv4's), which the old probes never looked at. frontend, api and billing are still stopped by their own egress policies.
    const report = graph.verify();
    const failed = report.results.filter((r) => !r.ok);
    expect(failed.map(pairLine)).toEqual([
      'finance/ledger -> shop/api: allows all connections, declared nothing',
      'monitoring/prometheus -> shop/api: allows all connections, declared TCP 9090',
      'ip:0.0.0.0-255.255.255.255 -> shop/api: allows all connections, declared nothing',
      'ip:::-::fffe:ffff:ffff -> shop/api: allows all connections, declared nothing',
      'ip:::1:0:0:0-ffff:ffff:ffff:ffff:ffff:ffff:ffff:ffff -> shop/api: allows all connections, declared nothing',
    ]);
    expect(String(failed[1].actual.subtract(failed[1].declared))).toBe('TCP 1-9089, 9091-65535, all UDP, all SCTP');
    // the 31 pairs of the proved graph, less the 2 that now differ, and the 3 incoming ranges, listed now that they allow something
    expect(report.results).toHaveLength(31 + 3);
    expect(report.failed).toBe(5);
    expect(report.passed).toBe(31 - 2);
    // only extra connections: nothing declared is missing
    expect(failed.every((r) => r.declared.isSubsetOf(r.actual))).toBe(true);
    expect(graph).not.toAllowExactlyTheDeclaredCalls();
    const message = thrown(() => expect(graph).toAllowExactlyTheDeclaredCalls());
    expect(message).toContain('Expected shop/mesh to allow exactly its declared calls, but 5 of 34 pairs differ:\n\n');
    expect(message).toMatch(/\n {2}finance\/ledger -> shop\/api: allows all connections that is not declared \(allows all connections, declared nothing\)\. .*shop\/open-api/);
    expect(message).not.toContain('more.');
  });

  test('a hand-written policy widening egress', () => {
    // GIVEN
    const { chart, graph, frontendDeployment } = shop();

    // WHEN frontend may connect to every pod of the cluster on 9000
    new AllowTo(chart, 'frontend-anywhere', { pods: Selector.fromWorkload(frontendDeployment), to: [Peer.allPodsInCluster()], ports: [Port.tcp(9000)] });

    // THEN only the foreign servers are reached, and the DNS pods (kube-system is foreign too), on TCP 9000:
    // in owned namespaces the ingress side still denies (api lets frontend in on 8080 and 8443 only)
    const failures = graph.verify().results.filter((r) => !r.ok).map(pairLine);
    expect(failures).toEqual([
      'shop/frontend -> finance/ledger: allows TCP 9000, declared nothing',
      'shop/frontend -> monitoring/prometheus: allows TCP 9000, declared nothing',
      'shop/frontend -> kube-system/coredns: allows TCP 53, 9000, UDP 53, declared TCP 53, UDP 53',
    ]);
    expect(graph).not.toAllowExactlyTheDeclaredCalls();
    expect(() => expect(graph).toAllowExactlyTheDeclaredCalls()).toThrow(
      /but 3 of 31 pairs differ:\n\n {2}shop\/frontend -> finance\/ledger: allows TCP 9000 that is not declared \(allows TCP 9000, declared nothing\)\. .*shop\/frontend-anywhere/,
    );
  });

  test('a declared call broken by a default-deny in the foreign namespace, in another chart of the app', () => {
    // GIVEN
    const { app, graph } = shop();

    // WHEN finance isolates its pods in both directions
    const finance = new Chart(app, 'finance', { namespace: 'finance' });
    new DefaultDeny(finance, 'deny');

    // THEN the two calls with ledger are denied on ledger's side
    const report = graph.verify();
    const failures = report.results.filter((r) => !r.ok);
    expect(failures.map(pairLine)).toEqual([
      'payments/billing -> finance/ledger: allows nothing, declared TCP 5432',
      'finance/ledger -> payments/billing: allows nothing, declared TCP 9000',
    ]);
    // only missing connections: nothing extra is allowed
    expect(failures.every((r) => r.actual.isEmpty && !r.declared.isEmpty)).toBe(true);
    expect(failures[0].reason).toMatch(/finance\/deny/);
    expect(() => expect(graph).toAllowExactlyTheDeclaredCalls())
      .toThrow(/payments\/billing -> finance\/ledger: denies TCP 5432 that is declared \(allows nothing, declared TCP 5432\)\. .*finance\/deny/);
  });

  test('services on different label keys are trusted to be different pods; a pod labelled for both shows in verify', () => {
    // GIVEN web (app=web) and batch (tier=batch): no key in common, so the graph cannot tell them apart
    const chart = new Chart(Testing.app(), 'c', { namespace: 'shop' });
    const graph = new ServiceGraph(chart, 'g', { allowDns: false });
    const web = graph.addService('web', { pods: Selector.labels({ app: 'web' }) });
    graph.addService('batch', { pods: Selector.labels({ tier: 'batch' }) });
    const db = graph.addService('db', { pods: Selector.labels({ app: 'db' }) });
    graph.allow(web, db, Port.tcp(5432));
    expect(graph.verify().failed).toBe(0);

    // WHEN the batch Deployment's pods also carry app=web
    new kplus.Deployment(chart, 'batch-deployment', {
      metadata: { name: 'batch' },
      podMetadata: { labels: { tier: 'batch', app: 'web' } },
      containers: [{ image: 'batch' }],
    });

    // THEN batch may call db too, and the proof says so
    expect(graph.verify().results.filter((r) => !r.ok).map(pairLine)).toEqual([
      'shop/batch -> shop/db: allows TCP 5432, declared nothing',
    ]);
  });

  test('the matcher lists 20 failures and summarizes the rest', () => {
    // GIVEN
    const { chart, graph } = shop();

    // WHEN every pod of shop and payments may go anywhere on anything
    new AllowTo(chart, 'open-egress', { pods: Selector.all(), to: [Peer.anyone()], ports: [Port.allPorts()] });
    new AllowTo(chart, 'open-egress-payments', { namespace: 'payments', pods: Selector.all(), to: [Peer.anyone()], ports: [Port.allPorts()] });

    // THEN every pair whose other side is open or lets them in differs; those into shop and payments do not, as their
    // ingress allows only the declared calls. frontend and api to ledger and prometheus (foreign: open), and billing to
    // both: 6. DNS from each: 3. Outside (IPv6 is two ranges, around the IPv4-mapped block): frontend declares nothing,
    // so all of IPv4 and IPv6: 3; api declares TCP 443 on the 6 public ranges and nothing on the 5 non-public ones
    // between them: 11 IPv4 ranges and IPv6: 13; billing declares TCP 5432 on 10.20.0.0/16: the ranges below it, it,
    // and above it, and IPv6: 5. Total 30.
    const report = graph.verify();
    expect(report.failed).toBe(30);
    const message = thrown(() => expect(graph).toAllowExactlyTheDeclaredCalls());
    expect(message.split('\n').filter((line) => line.startsWith('  ') && line.includes(' -> '))).toHaveLength(20);
    expect(message).toContain(`\n... and ${report.failed - 20} more.`);
  });
});

describe('errors', () => {
  test('allow() without ports, or with something that is not a Port', () => {
    const { graph, frontend, api } = shop();
    expect(() => graph.allow(frontend, api))
      .toThrow('shop/mesh: allow(frontend, api) has no ports: list them, or pass Port.allPorts() to allow every port explicitly.');
    expect(() => graph.allow(frontend, api, Port.tcp(80), 8080 as unknown as Port))
      .toThrow('shop/mesh: allow(frontend, api): port #2 is not a Port (8080); use Port.tcp(), Port.named(), ...');
  });

  test('allow() with a service of another graph, or no service at all', () => {
    const { chart, graph, api } = shop();
    const other = new ServiceGraph(chart, 'other', { namespaces: ['shop'] });
    const stranger = other.addService('stranger', { pods: Selector.labels({ app: 'stranger' }) });

    expect(() => graph.allow(stranger, api, Port.tcp(80)))
      .toThrow('shop/mesh: allow(): the client must be a service of this graph (from graph.addService()), got shop/other/stranger.');
    expect(() => graph.allow(api, stranger, Port.tcp(80)))
      .toThrow('shop/mesh: allow(): the server must be a service of this graph (from graph.addService()), got shop/other/stranger.');
    expect(() => graph.allow(undefined as unknown as GraphService, api, Port.tcp(80)))
      .toThrow('shop/mesh: allow(): the client must be a service of this graph (from graph.addService()), got undefined.');
    expect(() => graph.allowScrape(stranger, Port.tcp(80))).toThrow(/the server must be a service of this graph/);
  });

  test('allow() between two services of namespaces the graph does not own', () => {
    const { graph, ledger } = shop();
    expect(() => graph.allow(ledger, graph.scraper!, Port.tcp(80))).toThrow(
      'shop/mesh: allow(ledger, prometheus): the graph owns neither finance nor monitoring (it owns shop, payments), so it would write no policy for this call.',
    );
    expect(graph.calls).toHaveLength(5);
  });

  test('allowExternalHttps() and allowCidr() need a client in an owned namespace', () => {
    const { graph, ledger } = shop();
    const notOwned = 'ledger is in namespace finance, which the graph does not own (it owns shop, payments), so it writes no egress policy there.';
    expect(() => graph.allowExternalHttps(ledger)).toThrow(`shop/mesh: allowExternalHttps(): ${notOwned}`);
    expect(() => graph.allowCidr(ledger, '10.0.0.0/8', Port.tcp(1))).toThrow(`shop/mesh: allowCidr(): ${notOwned}`);
  });

  test('allowCidr() refuses /0, an invalid CIDR and no ports', () => {
    const { graph, billing } = shop();
    for (const cidr of ['0.0.0.0/0', '::/0']) {
      expect(() => graph.allowCidr(billing, cidr, Port.tcp(443))).toThrow(
        `shop/mesh: allowCidr(billing, "${cidr}") would allow every address, cloud metadata endpoints and private ranges included; use allowExternalHttps() for the internet.`,
      );
    }
    expect(() => graph.allowCidr(billing, '10.20.0.0', Port.tcp(443)))
      .toThrow(/^shop\/mesh: allowCidr\(billing\): invalid CIDR "10\.20\.0\.0": the CIDR mask is missing/);
    expect(() => graph.allowCidr(billing, '10.20.0.300/16', Port.tcp(443)))
      .toThrow(/^shop\/mesh: allowCidr\(billing\): invalid CIDR "10\.20\.0\.300\/16": /);
    expect(() => graph.allowCidr(billing, '10.30.0.0/16'))
      .toThrow('shop/mesh: allowCidr(billing, "10.30.0.0/16") has no ports: list them, or pass Port.allPorts() to allow every port explicitly.');
  });

  test('allowExternalHttps() twice with different options', () => {
    const { graph, api } = shop();
    graph.allowExternalHttps(api); // same options: nothing to do
    expect(() => graph.allowExternalHttps(api, { ports: [Port.tcp(8443)] }))
      .toThrow('shop/mesh: allowExternalHttps(api) was already called with other options (ports TCP/443; exceptCidrs none; ipv6 false), '
        + 'now ports TCP/8443; exceptCidrs none; ipv6 false; call it once per service.');
    expect(() => graph.allowExternalHttps(api, { ipv6: true })).toThrow(/was already called with other options/);
  });

  test('allowExternalHttps() again with the same options spelled differently is the same call', () => {
    const { graph, api, frontend } = shop();
    graph.allowExternalHttps(api, { ports: [Port.HTTPS], ipv6: false }); // the fixture's call, defaults spelled out
    graph.allowExternalHttps(frontend, { exceptCidrs: ['192.0.2.0/24', '198.51.100.0/24'] });
    graph.allowExternalHttps(frontend, { exceptCidrs: ['198.51.100.0/24', '192.0.2.0/24'] });
    expect(graph.externalCalls.map((e) => e.client.node.id)).toEqual(['api', 'billing', 'frontend']);
  });

  test('service ids that would name policies alike', () => {
    const { graph, api, frontend } = shop();
    expect(() => graph.addService('Api', { pods: Selector.labels({ app: 'api2' }) })).toThrow(
      'shop/mesh: the service ids "api" and "Api" would both name policies "mesh-api-..."; give the service another id.',
    );
    // a service named internet: a call to it is named like the internet policy of the same client
    const internet = graph.addService('internet', { pods: Selector.labels({ app: 'internet' }) });
    graph.allow(frontend, internet, Port.tcp(80));
    expect(() => graph.allowExternalHttps(frontend)).toThrow(
      'shop/mesh: allowExternalHttps(frontend) would write the policy shop/mesh-frontend-to-internet, which allow(frontend, internet) writes; rename one of the services.',
    );
    expect(graph.node.tryFindChild('frontend')!.node.tryFindChild('External-internet')).toBeUndefined();
    // the same call again is no clash: it claims the names it already has
    graph.allow(frontend, api, Port.tcp(8080));
    expect(graph.calls.filter((c) => c.client === frontend).map((c) => `${c.server.node.id} ${c.ports.join(',')}`))
      .toEqual(['api TCP/8080,TCP/8443', 'internet TCP/80']);
  });

  test('two calls whose policy names collide', () => {
    const chart = new Chart(Testing.app(), 'c', { namespace: 'shop' });
    const graph = new ServiceGraph(chart, 'g', { allowDns: false });
    const [a, aToB, bToC, c] = ['a', 'a-to-b', 'b-to-c', 'c'].map((id) => graph.addService(id, { pods: Selector.labels({ app: id }) }));
    graph.allow(a, bToC, Port.tcp(80));
    expect(() => graph.allow(aToB, c, Port.tcp(80))).toThrow(
      'c/g: allow(a-to-b, c) would write the policy shop/g-a-to-b-to-c, which allow(a, b-to-c) writes; rename one of the services.',
    );
    expect(graph.calls).toHaveLength(1);
  });

  test('services whose selectors can select the same pods', () => {
    const { graph } = shop();
    // the canary's pods are also api's pods
    expect(() => graph.addService('canary', { pods: Selector.labels({ app: 'api', track: 'canary' }) })).toThrow(
      'shop/mesh/canary: services "api" and "canary" can select the same pods in shop (e.g. a pod labelled {"app":"api","track":"canary"}): '
      + 'such a pod would get the calls of both. Make their selectors exclusive.',
    );
    // In-sets that share a value
    expect(() => graph.addService('either', { pods: Selector.expressions([LabelExpression.in('app', ['api', 'web'])]) }))
      .toThrow(/services "api" and "either" can select the same pods in shop \(e.g. a pod labelled \{"app":"api"\}\)/);
    // every pod of the namespace
    expect(() => graph.addService('everyone', { pods: Selector.all() })).toThrow(/services "frontend" and "everyone" can select the same pods/);
    // a selector matching the labels of a workload service's pods
    expect(() => graph.addService('web', { pods: Selector.labels({ app: 'frontend' }) }))
      .toThrow(/services "frontend" and "web" can select the same pods in shop \(e.g. a pod labelled \{"app":"frontend","cdk8s.io\/metadata.addr":/);
    // exclusive: NotIn keeps them apart, and other namespaces never overlap
    graph.addService('stable', { pods: Selector.of({ labels: { app: 'api2' }, expressions: [LabelExpression.notIn('track', ['canary'])] }) });
    graph.addService('canary2', { pods: Selector.labels({ app: 'api2', track: 'canary' }) });
    graph.addService('api-elsewhere', { pods: Selector.labels({ app: 'api' }), namespace: 'payments' });
    // the failed services left nothing in the tree
    for (const id of ['canary', 'either', 'everyone', 'web']) expect(graph.node.tryFindChild(id)).toBeUndefined();
  });

  test('a service id used twice, or one workload declared twice', () => {
    const { graph, frontendDeployment } = shop();
    expect(() => graph.addService('api', { pods: Selector.labels({ app: 'api2' }) })).toThrow(
      'shop/mesh: there is already a service (or part of the graph) with the id "api"; give the service another id.',
    );
    expect(() => graph.addService('Namespace-shop', { pods: Selector.labels({ app: 'x' }) })).toThrow(/already a service \(or part of the graph\) with the id "Namespace-shop"/);
    expect(() => graph.addService('api2', { pods: Selector.labels({ app: 'api2' }), name: 'api' })).toThrow(
      'shop/mesh/api2: services "api" and "api2" are both shop/api; declare each workload once.',
    );
    expect(() => graph.addService('web', { workload: frontendDeployment })).toThrow(
      'shop/mesh/web: services "frontend" and "web" are both shop/frontend; declare each workload once.',
    );
    expect(graph.services).toHaveLength(5);
  });

  test('a service needs exactly one of workload and pods', () => {
    const { graph, frontendDeployment } = shop();
    const message = 'give the service\'s `workload` (a Deployment, StatefulSet, ...) or its `pods` (a Selector), and not both.';
    expect(() => graph.addService('both', { workload: frontendDeployment, pods: Selector.labels({ app: 'x' }) })).toThrow(`shop/mesh/both: ${message}`);
    expect(() => graph.addService('neither', {})).toThrow(`shop/mesh/neither: ${message}`);
  });

  test('a service namespace that contradicts its workload', () => {
    const { graph, frontendDeployment } = shop();
    expect(() => graph.addService('web', { workload: frontendDeployment, namespace: 'payments' }))
      .toThrow('shop/mesh/web: namespace is "payments" but the workload shop/frontend is in namespace "shop".');
  });

  test('a service without a namespace anywhere', () => {
    const chart = new Chart(Testing.app(), 'nameless');
    const graph = new ServiceGraph(chart, 'g', { namespaces: ['shop'] });
    expect(() => graph.addService('a', { pods: Selector.labels({ app: 'a' }) }))
      .toThrow('nameless/g/a: the service has no namespace: set `namespace`, or the namespace of its workload or Chart.');
  });

  test('a graph that owns no namespace', () => {
    const message = 'say which namespaces the graph owns: set `namespaces`, or the Chart\'s namespace.';
    expect(() => new ServiceGraph(new Chart(Testing.app(), 'nameless'), 'g')).toThrow(`nameless/g: ${message}`);
    expect(() => new ServiceGraph(new Chart(Testing.app(), 'c', { namespace: 'shop' }), 'g', { namespaces: [] })).toThrow(`c/g: ${message}`);
    expect(() => new ServiceGraph(Testing.chart(), 'g', { namespaces: ['Shop'] })).toThrow('Invalid namespace name "Shop" in test/g (namespaces): it must be a DNS-1123 label');
  });

  test('dns options with allowDns false', () => {
    expect(() => new ServiceGraph(Testing.chart(), 'g', { namespaces: ['shop'], allowDns: false, dns: { dnsPods: Selector.labels({ app: 'dns' }) } }))
      .toThrow('test/g: `dns` options are given but allowDns is false; remove one of them.');
  });
});

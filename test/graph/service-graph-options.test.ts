import { Chart, Testing } from 'cdk8s';
import * as kplus from 'cdk8s-plus-28';
import { Port, Selector, ServiceGraph, ServiceGraphProps } from '../../src';

function graphOf(props: ServiceGraphProps = {}) {
  const chart = new Chart(Testing.app(), 'c', { namespace: 'shop' });
  const graph = new ServiceGraph(chart, 'g', props);
  return { chart, graph };
}

const policyNames = (chart: Chart) => Testing.synth(chart).map((o: any) => `${o.metadata.namespace}/${o.metadata.name}`);

describe('the scraper', () => {
  test('is undefined until allowScrape() declares it; reading it declares nothing', () => {
    const { graph } = graphOf({ allowDns: false });
    const api = graph.addService('api', { pods: Selector.labels({ app: 'api' }) });
    expect(graph.scraper).toBeUndefined();
    expect(graph.services.map((s) => s.endpoint)).toEqual(['shop/api']);

    graph.allowScrape(api, Port.tcp(9090));
    expect(graph.scraper?.endpoint).toBe('monitoring/prometheus');
    expect(graph.services.map((s) => s.endpoint)).toEqual(['shop/api', 'monitoring/prometheus']);
  });

  test('by default, a service already declared as monitoring/prometheus is the scraper, whatever its id', () => {
    const { chart, graph } = graphOf({ allowDns: false });
    const api = graph.addService('api', { pods: Selector.labels({ app: 'api' }) });
    const prom = graph.addService('prom', { namespace: 'monitoring', name: 'prometheus', pods: Selector.labels({ 'app.kubernetes.io/name': 'prometheus' }) });

    graph.allowScrape(api, Port.tcp(9090));

    expect(graph.scraper).toBe(prom);
    expect(graph.services).toHaveLength(2);
    expect(policyNames(chart)).toEqual(['shop/g-default-deny', 'shop/g-api-from-prom']);
  });

  test('the scraper prop: a service named after its workload, reused when already declared', () => {
    // GIVEN our own Prometheus Deployment
    const chart = new Chart(Testing.app(), 'c', { namespace: 'shop' });
    const monitoring = new Chart(chart.node.scope!, 'monitoring', { namespace: 'monitoring' });
    const prometheus = new kplus.Deployment(monitoring, 'prometheus', { metadata: { name: 'prom-server' }, containers: [{ image: 'prometheus' }] });
    const graph = new ServiceGraph(chart, 'g', { allowDns: false, scraper: { workload: prometheus } });
    const api = graph.addService('api', { pods: Selector.labels({ app: 'api' }) });

    // WHEN it scrapes api
    graph.allowScrape(api, Port.tcp(9090));

    // THEN the scraper is the service prom-server, which names the policy
    expect(graph.scraper?.endpoint).toBe('monitoring/prom-server');
    expect(graph.scraper?.node.id).toBe('prom-server');
    expect(policyNames(chart)).toEqual(['shop/g-default-deny', 'shop/g-api-from-prom-server']);

    // and a graph that declared that workload itself reuses it
    const other = new ServiceGraph(chart, 'h', { allowDns: false, scraper: { workload: prometheus } });
    const declared = other.addService('metrics', { workload: prometheus });
    const web = other.addService('web', { pods: Selector.labels({ app: 'web' }) });
    other.allowScrape(web, Port.tcp(9090));
    expect(other.scraper).toBe(declared);
  });

  test('a scraper prop that fails leaves the graph as it was', () => {
    const { graph } = graphOf({ allowDns: false, scraper: { namespace: 'Bad_Namespace', pods: Selector.labels({ app: 'p' }) } });
    const api = graph.addService('api', { pods: Selector.labels({ app: 'api' }) });
    expect(() => graph.allowScrape(api, Port.tcp(9090))).toThrow('Invalid namespace name "Bad_Namespace" in c/g/scraper (namespace)');
    expect(graph.node.tryFindChild('scraper')).toBeUndefined();
    expect(graph.services).toHaveLength(1);
    expect(graph.scraper).toBeUndefined();
  });
});

describe('DNS options', () => {
  test('dnsWorkloadName names DNS in the expectations; it must be a valid name, and needs allowDns', () => {
    const { graph } = graphOf({ dnsWorkloadName: 'kube-dns' });
    graph.addService('a', { pods: Selector.labels({ app: 'a' }) });
    expect(new Set(graph.expectations().filter((e) => e.port === 53).map((e) => e.to))).toEqual(new Set(['kube-system/kube-dns']));

    expect(() => graphOf({ dnsWorkloadName: 'Core_DNS' })).toThrow(/^c\/g: invalid dnsWorkloadName "Core_DNS": it /);
    expect(() => graphOf({ allowDns: false, dnsWorkloadName: 'kube-dns' }))
      .toThrow('c/g: `dnsWorkloadName` is given but allowDns is false; remove one of them.');
  });
});

describe('namespaces', () => {
  test('is a copy: changing it changes nothing the graph owns', () => {
    const { graph } = graphOf({ namespaces: ['shop', 'payments'] });
    graph.namespaces.push('finance');
    expect(graph.namespaces).toEqual(['shop', 'payments']);
    const ledger = graph.addService('ledger', { pods: Selector.labels({ app: 'ledger' }), namespace: 'finance' });
    expect(() => graph.allowCidr(ledger, '10.0.0.0/8', Port.tcp(5432))).toThrow(/ledger is in namespace finance, which the graph does not own/);
  });
});

describe('verify() and the workloads of the manifests', () => {
  test('a workload named as a service but whose pods its selector does not match is an error, not a silent proof about other pods', () => {
    // GIVEN a service api (app=api) and a Deployment named api whose pods are labelled app=api-v2
    const { chart, graph } = graphOf({ allowDns: false });
    graph.addService('api', { pods: Selector.labels({ app: 'api' }) });
    new kplus.Deployment(chart, 'api', { metadata: { name: 'api' }, podMetadata: { labels: { app: 'api-v2' } }, containers: [{ image: 'api' }] });

    // THEN
    expect(() => graph.verify()).toThrow(
      /^c\/g: verify\(\): the Deployment shop\/api in the manifests has pods labelled \{"app":"api-v2","cdk8s.io\/metadata.addr":"[^"]+"\}, which the selector of shop\/api \(app=api\) does not match/,
    );
  });

  test('a workload named as a service whose pods it selects is used, not stood in for', () => {
    const { chart, graph } = graphOf({ allowDns: false });
    const api = graph.addService('api', { pods: Selector.labels({ app: 'api' }) });
    const web = graph.addService('web', { pods: Selector.labels({ app: 'web' }) });
    graph.allow(web, api, Port.tcp(8080));
    new kplus.Deployment(chart, 'api', { metadata: { name: 'api' }, podMetadata: { labels: { app: 'api' } }, containers: [{ image: 'api' }] });
    // A stand-in beside it would make "shop/api" ambiguous (two Deployments of that name), and verify() would throw.
    const report = graph.verify();
    expect(report.failed).toBe(0);
    // web -> api is exactly the call, on the Deployment's pods; nothing else reaches api
    expect(report.results.filter((r) => r.to === 'shop/api' && !r.actual.isEmpty).map((r) => `${r.from} -> ${r.to}: allows ${r.actual}, declared ${r.declared}`))
      .toEqual(['shop/web -> shop/api: allows TCP 8080, declared TCP 8080']);
  });
});

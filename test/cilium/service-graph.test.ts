import { Chart, Testing } from 'cdk8s';
import { HttpRule, PolicyTarget, Port, Selector, ServiceGraph } from '../../src';
import { netpolMatchers } from '../../src/jest';
import { assertValidCustomResource } from '../support/crd-schema';

expect.extend(netpolMatchers);

function graphOn(target: PolicyTarget): { chart: Chart; graph: ServiceGraph } {
  const app = Testing.app();
  PolicyTarget.set(app, target);
  const chart = new Chart(app, 'shop', { namespace: 'shop' });
  return { chart, graph: new ServiceGraph(chart, 'mesh') };
}

function policy(chart: Chart, name: string): any {
  const objects = Testing.synth(chart);
  objects.forEach(assertValidCustomResource);
  const found = objects.filter((o) => o.metadata.name === name);
  expect(found).toHaveLength(1);
  return found[0];
}

describe('ServiceGraph on Cilium', () => {
  test('allowHttp: HTTP rules at the server, L3/L4 at the client; verify() proves the port and says the requests are not proven', () => {
    const { chart, graph } = graphOn(PolicyTarget.CILIUM);
    const web = graph.addService('web', { pods: Selector.labels({ app: 'web' }) });
    const api = graph.addService('api', { pods: Selector.labels({ app: 'api' }) });
    graph.allowHttp(web, api, Port.tcp(8080), HttpRule.get('/public/.*'));
    graph.allowHttp(web, api, Port.tcp(8080), HttpRule.of({ method: 'POST', path: '/orders' }), HttpRule.get('/public/.*'));
    expect(policy(chart, 'mesh-api-from-web').spec.ingress).toEqual([{
      fromEndpoints: [{ matchLabels: { app: 'web' } }],
      toPorts: [{ ports: [{ port: '8080', protocol: 'TCP' }], rules: { http: [{ method: 'GET', path: '/public/.*' }] } }],
    }, {
      fromEndpoints: [{ matchLabels: { app: 'web' } }],
      toPorts: [{ ports: [{ port: '8080', protocol: 'TCP' }], rules: { http: [{ method: 'POST', path: '/orders' }, { method: 'GET', path: '/public/.*' }] } }],
    }]);
    expect(policy(chart, 'mesh-web-to-api').spec.egress).toEqual([
      { toEndpoints: [{ matchLabels: { app: 'api' } }], toPorts: [{ ports: [{ port: '8080', protocol: 'TCP' }] }] },
    ]);
    expect(graph.calls.map((c) => [String(c.ports), String(c.httpPorts), c.http?.map(String)])).toEqual([['TCP/8080', 'TCP/8080', ['GET /public/.*', 'POST /orders']]]);
    const report = graph.verify();
    expect(report.failed).toBe(0);
    expect(report.passed).toBeGreaterThan(0);
    expect(report.notCovered).toEqual([
      'shop/web -> shop/api on TCP/8080: the ports are proven, not which HTTP requests pass (GET /public/.*; POST /orders)',
    ]);
  });

  test('allow() and allowHttp() on the same port of a pair are refused, in either order (the HTTP rules would do nothing)', () => {
    const { graph } = graphOn(PolicyTarget.CILIUM);
    const web = graph.addService('web', { pods: Selector.labels({ app: 'web' }) });
    const api = graph.addService('api', { pods: Selector.labels({ app: 'api' }) });
    graph.allow(web, api, Port.tcp(8080));
    expect(() => graph.allowHttp(web, api, Port.tcp(8080), HttpRule.get('/'))).toThrow(
      'shop/mesh: allowHttp(web, api) on TCP/8080: the pair has every request on that port already; Cilium lets every request through',
    );
    graph.allowHttp(web, api, Port.tcp(9090), HttpRule.get('/metrics'));
    expect(() => graph.allow(web, api, Port.tcp(9090))).toThrow('shop/mesh: allow(web, api) on TCP/9090: the pair has HTTP rules on that port already');
    expect(() => graph.allowHttp(web, api, Port.tcp(7070))).toThrow('allowHttp(web, api) has no HTTP rules; use allow() for every request.');
  });

  test('allowDnsNames and allowApiServer: one policy each per client, repeats add ports; both listed as not covered', () => {
    const { chart, graph } = graphOn(PolicyTarget.CILIUM);
    const payments = graph.addService('payments', { pods: Selector.labels({ app: 'payments' }) });
    graph.allowDnsNames(payments, ['api.stripe.com', '*.stripe.network'], Port.HTTPS);
    graph.allowApiServer(payments, Port.tcp(443), Port.tcp(6443));
    graph.allowApiServer(payments, Port.tcp(6443));
    const names = policy(chart, 'mesh-payments-to-dns-names').spec.egress;
    expect(names[0]).toEqual({
      toFQDNs: [{ matchName: 'api.stripe.com' }, { matchPattern: '*.stripe.network' }],
      toPorts: [{ ports: [{ port: '443', protocol: 'TCP' }] }],
    });
    expect(names[1].toPorts[0].rules).toEqual({ dns: [{ matchName: 'api.stripe.com' }, { matchPattern: '*.stripe.network' }] });
    expect(policy(chart, 'mesh-payments-to-apiserver').spec.egress).toEqual([
      { toEntities: ['kube-apiserver'], toPorts: [{ ports: [{ port: '443', protocol: 'TCP' }, { port: '6443', protocol: 'TCP' }] }] },
    ]);
    expect(graph.verify().notCovered).toEqual([
      'shop/payments -> DNS names api.stripe.com, *.stripe.network on TCP/443: not in the proof yet',
      'shop/payments -> the kube-apiserver entity on TCP/443, TCP/6443: not in the proof yet',
    ]);
  });

  test('on the Kubernetes target each Cilium-only call is an error naming the graph, the feature and the target', () => {
    const { graph } = graphOn(PolicyTarget.KUBERNETES);
    const web = graph.addService('web', { pods: Selector.labels({ app: 'web' }) });
    const api = graph.addService('api', { pods: Selector.labels({ app: 'api' }) });
    expect(() => graph.allowHttp(web, api, Port.tcp(8080), HttpRule.get('/'))).toThrow(
      'shop/mesh: allowHttp(web, api): L7 HTTP rules need the Cilium target: networking.k8s.io/v1 NetworkPolicy has none.',
    );
    expect(() => graph.allowDnsNames(web, ['api.stripe.com'], Port.HTTPS)).toThrow('shop/mesh: allowDnsNames(web): DNS names need the Cilium target');
    expect(() => graph.allowApiServer(web, Port.tcp(443))).toThrow('shop/mesh: allowApiServer(web): Cilium entities need the Cilium target');
    // nothing was left behind: the graph still declares and writes only what it did before
    expect(graph.calls).toEqual([]);
    expect(graph.ciliumDependencies).toEqual([]);
    expect(graph.verify()).toMatchObject({ failed: 0, notCovered: [] });
  });
});

describe('toAllowExactlyTheDeclaredCalls and what the proof does not cover', () => {
  test('fails, listing them, unless acceptNotCovered says they are known', () => {
    const { graph } = graphOn(PolicyTarget.CILIUM);
    const web = graph.addService('web', { pods: Selector.labels({ app: 'web' }) });
    graph.allowApiServer(web, Port.tcp(443));
    expect(() => expect(graph).toAllowExactlyTheDeclaredCalls()).toThrow(
      'the proof does not cover 1 declaration(s) yet:\n  shop/web -> the kube-apiserver entity on TCP/443: not in the proof yet\nPass { acceptNotCovered: true } once you know.',
    );
    expect(graph).toAllowExactlyTheDeclaredCalls({ acceptNotCovered: true });
  });
});

import { Chart, Testing } from 'cdk8s';
import * as kplus from 'cdk8s-plus-28';
import { AllowFrom, AllowTo, DefaultDeny, Peer, Port, Protocol, Selector, ServiceGraph } from '../../src';
import { Analyzer } from '../../src/analysis/analyzer';
import { netpolMatchers } from '../../src/jest';

expect.extend(netpolMatchers);

/** frontend -> api:8080 allowed both ways under a default deny; api -> db not allowed. */
function shop(scope: Construct = Testing.app()): { chart: Chart; frontend: kplus.Deployment; api: kplus.Deployment; db: kplus.StatefulSet } {
  const chart = new Chart(scope, 'shop', { namespace: 'shop' });
  const container = (name: string, port: number) => [{ name, image: `example.com/${name}`, ports: [{ number: port, name: 'serve' }] }];
  const frontend = new kplus.Deployment(chart, 'frontend', { metadata: { name: 'frontend' }, podMetadata: { labels: { app: 'frontend' } }, containers: container('frontend', 8080) });
  const api = new kplus.Deployment(chart, 'api', { metadata: { name: 'api' }, podMetadata: { labels: { app: 'api' } }, containers: container('api', 8080) });
  const db = new kplus.StatefulSet(chart, 'db', {
    metadata: { name: 'db' },
    podMetadata: { labels: { app: 'db' } },
    containers: container('db', 5432),
    service: new kplus.Service(chart, 'db-service', { ports: [{ port: 5432 }] }),
  });
  new DefaultDeny(chart, 'deny');
  new AllowTo(chart, 'frontend-to-api', { pods: Selector.labels({ app: 'frontend' }), to: [Peer.pods(Selector.labels({ app: 'api' }))], ports: [Port.tcp(8080)] });
  new AllowFrom(chart, 'api-from-frontend', { pods: Selector.labels({ app: 'api' }), from: [Peer.pods(Selector.labels({ app: 'frontend' }))], ports: [Port.tcp(8080)] });
  return { chart, frontend, api, db };
}

type Construct = ConstructorParameters<typeof Chart>[0];

describe('toAllowTraffic / toDenyTraffic', () => {
  test('pass on a Chart with endpoints written as strings', () => {
    const { chart } = shop();
    expect(chart).toAllowTraffic({ from: 'shop/frontend', to: 'shop/api', port: 8080 });
    expect(chart).toDenyTraffic({ from: 'shop/frontend', to: 'shop/api', port: 9090 });
    expect(chart).toDenyTraffic({ from: 'shop/api', to: 'shop/db', port: 5432 });
  });

  test('name endpoints by the cdk8s-plus workloads themselves', () => {
    const { chart, frontend, api, db } = shop();
    expect(chart).toAllowTraffic({ from: frontend, to: api, port: 8080 });
    expect(chart).toDenyTraffic({ from: api, to: db, port: 5432 });
    expect(chart).not.toAllowTraffic({ from: frontend, to: db, port: 5432 });
  });

  test('accept an App, an Analyzer and synthesized objects', () => {
    const app = Testing.app();
    const { chart } = shop(app);
    const flow = { from: 'shop/frontend', to: 'shop/api', port: 8080 };
    expect(app).toAllowTraffic(flow);
    expect(Analyzer.fromChart(chart)).toAllowTraffic(flow);
    expect(Testing.synth(chart)).toAllowTraffic(flow);
  });

  test('a failing toAllowTraffic explains which side denied and why', () => {
    const { chart } = shop();
    expect(() => expect(chart).toAllowTraffic({ from: 'shop/api', to: 'shop/db', port: 5432 }))
      .toThrow(/Expected shop\/api -> shop\/db on TCP 5432 to be allowed, but it is denied:[\s\S]*DENIED[\s\S]*shop\/deny: no egress rules/);
  });

  test('a failing toDenyTraffic names the rule that allows the flow', () => {
    const { chart } = shop();
    expect(() => expect(chart).toDenyTraffic({ from: 'shop/frontend', to: 'shop/api', port: 8080 }))
      .toThrow(/to be denied, but it is allowed:[\s\S]*allowed by shop\/api-from-frontend spec\.ingress\[0\]/);
  });

  test('a failing .not says the flow must not be what was asked', () => {
    const { chart } = shop();
    expect(() => expect(chart).not.toAllowTraffic({ from: 'shop/frontend', to: 'shop/api', port: 8080 }))
      .toThrow(/Expected shop\/frontend -> shop\/api on TCP 8080 not to be allowed, but it is allowed/);
  });

  test('protocol as the enum or a string', () => {
    const { chart } = shop();
    expect(chart).toDenyTraffic({ from: 'shop/frontend', to: 'shop/api', port: 8080, protocol: Protocol.UDP });
    expect(chart).toDenyTraffic({ from: 'shop/frontend', to: 'shop/api', port: 8080, protocol: 'SCTP' });
  });

  test('bad input fails with the analyzer message', () => {
    const { chart } = shop();
    expect(() => expect(chart).toAllowTraffic({ from: 'shop/frontnd', to: 'shop/api', port: 8080 })).toThrow(/Unknown endpoint "shop\/frontnd".*Did you mean shop\/frontend/);
    expect(() => expect({ not: 'a chart' } as never).toAllowTraffic({ from: 'a/b', to: 'c/d', port: 1 })).toThrow(/expect a cdk8s Chart or App, an Analyzer, or an array/);
  });
});

describe('toAllowExactlyTheDeclaredCalls', () => {
  test('anything but a ServiceGraph is refused with what it got', () => {
    const { chart } = shop();
    expect(() => expect(chart).toAllowExactlyTheDeclaredCalls()).toThrow('toAllowExactlyTheDeclaredCalls expects a ServiceGraph, got the construct shop.');
    expect(() => expect(undefined).toAllowExactlyTheDeclaredCalls()).toThrow('toAllowExactlyTheDeclaredCalls expects a ServiceGraph, got undefined.');
    expect(() => expect(null).toAllowExactlyTheDeclaredCalls()).toThrow('toAllowExactlyTheDeclaredCalls expects a ServiceGraph, got null.');
    expect(() => expect({ verify: () => ({ results: [], passed: 0, failed: 0 }) }).toAllowExactlyTheDeclaredCalls())
      .toThrow('toAllowExactlyTheDeclaredCalls expects a ServiceGraph, got an object (verify).');
    // .not does not turn the refusal into a pass
    expect(() => expect('shop/graph').not.toAllowExactlyTheDeclaredCalls()).toThrow('toAllowExactlyTheDeclaredCalls expects a ServiceGraph, got the string "shop/graph".');
  });

  test('passes on a ServiceGraph whose policies allow exactly its calls, and fails under .not', () => {
    const chart = new Chart(Testing.app(), 'c', { namespace: 'shop' });
    const graph = new ServiceGraph(chart, 'g');
    graph.allow(graph.addService('a', { pods: Selector.labels({ app: 'a' }) }), graph.addService('b', { pods: Selector.labels({ app: 'b' }) }), Port.tcp(80));

    expect(graph).toAllowExactlyTheDeclaredCalls();
    // 4 pairs (a and b, both ways and to themselves) and a and b to coredns: 6; no address range, as neither
    // declares nor is allowed anything outside
    expect(() => expect(graph).not.toAllowExactlyTheDeclaredCalls())
      .toThrow('Expected c/g not to allow exactly its declared calls, but all 6 pairs allow exactly what is declared.');
  });

  test('fails with every pair whose allowed connections differ, what is extra or missing, and why', () => {
    // GIVEN a graph declaring a -> b on TCP 80, and a hand-written policy letting every pod of shop into b on UDP 5000
    const chart = new Chart(Testing.app(), 'c', { namespace: 'shop' });
    const graph = new ServiceGraph(chart, 'g', { allowDns: false });
    graph.allow(graph.addService('a', { pods: Selector.labels({ app: 'a' }) }), graph.addService('b', { pods: Selector.labels({ app: 'b' }) }), Port.tcp(80));
    new AllowFrom(chart, 'b-from-shop', { pods: Selector.labels({ app: 'b' }), from: [Peer.pods(Selector.all())], ports: [Port.udp(5000)] });

    // THEN nothing changes: the graph's default-deny stops a's and b's egress on UDP 5000
    expect(graph).toAllowExactlyTheDeclaredCalls();

    // WHEN a's egress lets it out on UDP too
    new AllowTo(chart, 'a-out-udp', { pods: Selector.labels({ app: 'a' }), to: [Peer.pods(Selector.all())], ports: [Port.udpRange(1, 65535)] });

    // THEN a -> b differs: UDP 5000 is extra (both sides allow it); a -> a does not (a lets nothing in)
    expect(() => expect(graph).toAllowExactlyTheDeclaredCalls()).toThrow(new RegExp(
      '^Expected c/g to allow exactly its declared calls, but 1 of 4 pairs differ:\n\n'
      + '  shop/a -> shop/b: allows UDP 5000 that is not declared \\(allows TCP 80, UDP 5000, declared TCP 80\\)\\. '
      + 'Egress: .*shop/a-out-udp.* Ingress: .*shop/b-from-shop',
    ));
  });
});

import { Chart, Testing } from 'cdk8s';
import * as kplus from 'cdk8s-plus-28';
import { AllowFrom, NamespaceSelector, Peer, Port, Selector } from '../../src';
import { policyNamed } from '../support/synth';

describe('AllowFrom', () => {
  test('allows the peers to reach the pods on the ports', () => {
    const chart = new Chart(Testing.app(), 'test', { namespace: 'production' });

    new AllowFrom(chart, 'api-from-frontend', {
      pods: Selector.labels({ app: 'api-server' }),
      from: [Peer.pods(Selector.labels({ app: 'frontend' }))],
      ports: [Port.tcp(8080)],
    });

    const policy = policyNamed(chart, 'api-from-frontend');
    expect(policy).toMatchSnapshot();
    expect(policy.spec.policyTypes).toEqual(['Ingress']);
    expect(policy.spec.ingress).toEqual([{
      from: [{ podSelector: { matchLabels: { app: 'frontend' } } }],
      ports: [{ port: 8080, protocol: 'TCP' }],
    }]);
  });

  test('two peers are an OR; podsIn is an AND', () => {
    const chart = Testing.chart();
    new AllowFrom(chart, 'web', {
      pods: Selector.labels({ app: 'web' }),
      from: [
        Peer.podsIn(NamespaceSelector.named('ingress-nginx'), Selector.labels({ 'app.kubernetes.io/name': 'ingress-nginx' })),
        Peer.namespaces(NamespaceSelector.labels({ team: 'web' })),
      ],
      ports: [Port.named('http'), Port.tcpRange(8000, 8100)],
    });
    const policy = policyNamed(chart, 'web');
    expect(policy).toMatchSnapshot();
    expect(policy.spec.ingress[0].from).toHaveLength(2);
    expect(Object.keys(policy.spec.ingress[0].from[0]).sort()).toEqual(['namespaceSelector', 'podSelector']);
    expect(policy.spec.ingress[0].ports[1]).toEqual({ port: 8000, endPort: 8100, protocol: 'TCP' });
  });

  test('a cdk8s-plus workload as the pods and as the peer', () => {
    // GIVEN two workloads in different namespaces
    const app = Testing.app();
    const prod = new Chart(app, 'prod', { namespace: 'production' });
    const web = new Chart(app, 'web', { namespace: 'web' });
    const api = new kplus.Deployment(prod, 'api', { containers: [{ image: 'api', portNumber: 8080 }] });
    const frontend = new kplus.Deployment(web, 'frontend', { containers: [{ image: 'frontend' }] });

    // WHEN
    new AllowFrom(prod, 'api-from-frontend', {
      pods: Selector.fromWorkload(api),
      from: [Peer.workload(frontend)],
      ports: [Port.tcp(8080)],
    });

    // THEN the peer is matched in the frontend's namespace
    const policy = policyNamed(prod, 'api-from-frontend');
    expect(policy.spec.podSelector).toEqual({ matchLabels: api.matchLabels });
    expect(policy.spec.ingress[0].from).toEqual([{
      namespaceSelector: { matchLabels: { 'kubernetes.io/metadata.name': 'web' } },
      podSelector: { matchLabels: frontend.matchLabels },
    }]);
  });

  test('everyone needs Peer.anyone()', () => {
    const chart = Testing.chart();
    new AllowFrom(chart, 'public', { pods: Selector.labels({ app: 'web' }), from: [Peer.anyone()], ports: [Port.HTTPS] });
    expect(policyNamed(chart, 'public').spec.ingress).toEqual([{ ports: [{ port: 443, protocol: 'TCP' }] }]);
  });

  test('missing or empty props are errors', () => {
    const chart = Testing.chart();
    expect(() => new AllowFrom(chart, 'a', { pods: Selector.all(), from: [], ports: [Port.tcp(80)] }))
      .toThrow(/test\/a: ingress rule has no peers/);
    expect(() => new AllowFrom(chart, 'b', { from: [Peer.anyone()], ports: [Port.tcp(80)] } as any))
      .toThrow(/test\/b: the `pods` prop is required/);
    expect(() => new AllowFrom(chart, 'c', { pods: Selector.all(), from: [Peer.anyone()] } as any))
      .toThrow(/test\/c: the `ports` prop is required/);
  });

  test('more sources can be added through the policy, idempotently', () => {
    const chart = Testing.chart();
    const allow = new AllowFrom(chart, 'api', { pods: Selector.labels({ app: 'api' }), from: [Peer.pods(Selector.labels({ app: 'a' }))], ports: [Port.tcp(80)] });
    expect(allow.policy.addIngressRule({ peers: [Peer.pods(Selector.labels({ app: 'a' }))], ports: [Port.tcp(80)] })).toBe(false);
    expect(allow.policy.addIngressRule({ peers: [Peer.pods(Selector.labels({ app: 'b' }))], ports: [Port.tcp(81)] })).toBe(true);
    expect(policyNamed(chart, 'api').spec.ingress).toHaveLength(2);
  });
});

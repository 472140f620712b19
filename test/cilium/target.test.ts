import { App, Chart, Testing } from 'cdk8s';
import {
  AllowFrom, AllowTo, DefaultDeny, NamespaceBaseline, NamespaceSelector, NetworkPolicy, Peer, PolicyTarget, Port, Selector,
} from '../../src';
import { assertValidCustomResource } from '../support/crd-schema';

/** Synthesizes the chart; every Cilium object is checked against the Cilium CRD schema. */
function synthCilium(chart: Chart): any[] {
  const objects = Testing.synth(chart);
  for (const object of objects.filter((o) => o.apiVersion === 'cilium.io/v2')) assertValidCustomResource(object);
  return objects;
}

function ciliumChart(): Chart {
  const app = Testing.app();
  PolicyTarget.set(app, PolicyTarget.CILIUM);
  return new Chart(app, 'shop', { namespace: 'shop' });
}

const web = Selector.labels({ app: 'web' });

describe('choosing the target', () => {
  test('the default is networking.k8s.io/v1', () => {
    const chart = Testing.chart();
    const policy = new DefaultDeny(chart, 'deny');
    expect(policy.target).toBe(PolicyTarget.KUBERNETES);
    expect(Testing.synth(chart)[0]).toMatchObject({ apiVersion: 'networking.k8s.io/v1', kind: 'NetworkPolicy' });
  });

  test('set on the App, every construct below emits CiliumNetworkPolicy', () => {
    const chart = ciliumChart();
    new NamespaceBaseline(chart, 'baseline');
    const objects = synthCilium(chart);
    expect(objects.length).toBeGreaterThan(1);
    expect(objects.map((o) => `${o.apiVersion} ${o.kind}`)).toEqual(objects.map(() => 'cilium.io/v2 CiliumNetworkPolicy'));
  });

  test('set on a Chart, only that Chart; the target prop wins over both', () => {
    const app = Testing.app();
    const cilium = new Chart(app, 'cilium', { namespace: 'a' });
    PolicyTarget.set(cilium, PolicyTarget.CILIUM);
    const plain = new Chart(app, 'plain', { namespace: 'b' });
    new DefaultDeny(cilium, 'deny');
    new DefaultDeny(plain, 'deny');
    new DefaultDeny(cilium, 'v1', { target: PolicyTarget.KUBERNETES });
    expect(Testing.synth(cilium).map((o) => o.kind)).toEqual(['CiliumNetworkPolicy', 'NetworkPolicy']);
    expect(Testing.synth(plain).map((o) => o.kind)).toEqual(['NetworkPolicy']);
  });

  test('setting it after children exist is an error naming them', () => {
    const app = new App();
    new Chart(app, 'early');
    expect(() => PolicyTarget.set(app, PolicyTarget.CILIUM)).toThrow(
      'the App: set the policy target before adding children (it has "early"): they were created for the target in force then.',
    );
  });

  test('a value that is not a PolicyTarget is an error naming the construct', () => {
    const chart = Testing.chart();
    expect(() => new DefaultDeny(chart, 'deny', { target: 'cilium' as any })).toThrow(
      'test/deny: `target` must be a PolicyTarget (PolicyTarget.KUBERNETES or PolicyTarget.CILIUM), got cilium.',
    );
    expect(() => PolicyTarget.set(new App(), 'cilium' as any)).toThrow('cilium is not a PolicyTarget');
  });

  test('the targets are immutable values', () => {
    expect(() => { (PolicyTarget as any).CILIUM = PolicyTarget.KUBERNETES; }).toThrow(TypeError);
    expect(() => { (PolicyTarget.CILIUM as any).kind = 'NetworkPolicy'; }).toThrow(TypeError);
    expect(PolicyTarget.CILIUM.toString()).toBe('cilium (cilium.io/v2 CiliumNetworkPolicy)');
  });

  test('a v1 NetworkPolicy and a CiliumNetworkPolicy of the same name do not clash; two of one kind do', () => {
    const chart = ciliumChart();
    new DefaultDeny(chart, 'deny');
    new DefaultDeny(chart, 'deny-v1', { name: 'deny', target: PolicyTarget.KUBERNETES });
    expect(Testing.synth(chart).map((o) => `${o.kind} ${o.metadata.name}`)).toEqual(['CiliumNetworkPolicy deny', 'NetworkPolicy deny']);
    new DefaultDeny(chart, 'again', { name: 'deny' });
    expect(() => Testing.synth(chart)).toThrow('two CiliumNetworkPolicies are named "deny" in namespace "shop"');
  });
});

describe('the Cilium form of each intent', () => {
  test('isolation without rules is an empty rule: default deny, nothing allowed', () => {
    const chart = ciliumChart();
    new DefaultDeny(chart, 'deny');
    expect(synthCilium(chart)[0].spec).toEqual({ endpointSelector: {}, ingress: [{}], egress: [{}] });
  });

  test('pods of the own namespace: the selector as is (Cilium limits it to the policy\'s namespace)', () => {
    const chart = ciliumChart();
    new AllowFrom(chart, 'from-web', { pods: Selector.labels({ app: 'api' }), from: [Peer.pods(web)], ports: [Port.tcp(8080)] });
    expect(synthCilium(chart)[0].spec).toEqual({
      endpointSelector: { matchLabels: { app: 'api' } },
      ingress: [{ fromEndpoints: [{ matchLabels: { app: 'web' } }], toPorts: [{ ports: [{ port: '8080', protocol: 'TCP' }] }] }],
    });
  });

  test('namespaces by name become io.kubernetes.pod.namespace; by label, namespace labels plus "any namespace"', () => {
    const chart = ciliumChart();
    new AllowTo(chart, 'out', {
      pods: web,
      to: [
        Peer.podsInNamespace('payments', Selector.labels({ app: 'api' })),
        Peer.namespaces(NamespaceSelector.labels({ team: 'data' })),
        Peer.podsIn(NamespaceSelector.named('a', 'b'), Selector.all()),
        Peer.allPodsInCluster(),
      ],
      ports: [Port.tcp(443)],
    });
    expect(synthCilium(chart)[0].spec.egress[0].toEndpoints).toEqual([
      { matchLabels: { 'app': 'api', 'k8s:io.kubernetes.pod.namespace': 'payments' } },
      {
        matchLabels: { 'k8s:io.cilium.k8s.namespace.labels.team': 'data' },
        matchExpressions: [{ key: 'k8s:io.kubernetes.pod.namespace', operator: 'Exists' }],
      },
      { matchExpressions: [{ key: 'k8s:io.kubernetes.pod.namespace', operator: 'In', values: ['a', 'b'] }] },
      { matchExpressions: [{ key: 'k8s:io.kubernetes.pod.namespace', operator: 'Exists' }] },
    ]);
  });

  test('pods and addresses in one v1 rule are one Cilium rule each (one peer kind per rule), same ports', () => {
    const chart = ciliumChart();
    new AllowTo(chart, 'out', {
      pods: web,
      to: [Peer.pods(Selector.labels({ app: 'db' })), Peer.ipBlock('10.0.0.0/8', ['10.1.0.0/16'])],
      ports: [Port.tcp(5432), Port.udpRange(6000, 6010)],
    });
    const toPorts = [{ ports: [{ port: '5432', protocol: 'TCP' }, { port: '6000', protocol: 'UDP', endPort: 6010 }] }];
    expect(synthCilium(chart)[0].spec.egress).toEqual([
      { toEndpoints: [{ matchLabels: { app: 'db' } }], toPorts },
      { toCIDRSet: [{ cidr: '10.0.0.0/8', except: ['10.1.0.0/16'] }], toPorts },
    ]);
  });

  test('everyone is the "all" entity; every port is no toPorts; every port of a protocol is port "0"', () => {
    const chart = ciliumChart();
    const policy = new NetworkPolicy(chart, 'open', { pods: web });
    policy.addIngressRule({ peers: [Peer.anyone()], ports: [Port.allTcp()] });
    policy.addEgressRule({ peers: [Peer.pods(Selector.all())], ports: [Port.allPorts()] });
    expect(synthCilium(chart)[0].spec).toEqual({
      endpointSelector: { matchLabels: { app: 'web' } },
      ingress: [{ fromEntities: ['all'], toPorts: [{ ports: [{ port: '0', protocol: 'TCP' }] }] }],
      egress: [{ toEndpoints: [{}] }],
    });
  });

  test('named ports stay named (Cilium resolves them against the destination pod)', () => {
    const chart = ciliumChart();
    new AllowFrom(chart, 'metrics', { pods: web, from: [Peer.pods(Selector.labels({ app: 'prom' }))], ports: [Port.named('metrics')] });
    expect(synthCilium(chart)[0].spec.ingress[0].toPorts).toEqual([{ ports: [{ port: 'metrics', protocol: 'TCP' }] }]);
  });
});

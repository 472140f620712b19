import { ApiObject, Chart, Testing } from 'cdk8s';
import * as kplus from 'cdk8s-plus-28';
import { Construct } from 'constructs';
import { IPeer, NetworkPolicy, Peer, PeerConfig, PolicyType, Port, Selector } from '../src';
import { policyNamed, synthPolicies } from './support/synth';

const frontend = () => Peer.pods(Selector.labels({ app: 'frontend' }));

describe('NetworkPolicy', () => {
  test('renders explicit policyTypes, rules and a name derived from the id', () => {
    // GIVEN
    const chart = new Chart(Testing.app(), 'test', { namespace: 'production' });

    // WHEN
    new NetworkPolicy(chart, 'ApiServer', {
      pods: Selector.labels({ app: 'api-server' }),
      ingress: [{ peers: [frontend()], ports: [Port.tcp(8080)] }],
      egress: [{ peers: [Peer.pods(Selector.labels({ app: 'postgres' }))], ports: [Port.tcp(5432)] }],
    });

    // THEN
    const policies = synthPolicies(chart);
    expect(policies).toMatchSnapshot();
    expect(policies).toHaveLength(1);
    expect(policies[0].metadata).toEqual({ name: 'api-server', namespace: 'production' });
    expect(policies[0].spec.policyTypes).toEqual(['Ingress', 'Egress']);
  });

  test('repeating the same rule is idempotent', () => {
    const chart = Testing.chart();
    const policy = new NetworkPolicy(chart, 'api', { pods: Selector.labels({ app: 'api' }) });

    expect(policy.addIngressRule({ peers: [frontend()], ports: [Port.tcp(8080)] })).toBe(true);
    expect(policy.addIngressRule({ peers: [frontend()], ports: [Port.tcp(8080)] })).toBe(false);
    expect(policy.addIngressRule({ peers: [frontend(), frontend()], ports: [Port.tcp(8080), Port.tcp(8080)] })).toBe(false);
    // the same peers and ports in another order are the same allow
    const backend = Peer.pods(Selector.labels({ app: 'backend' }));
    expect(policy.addIngressRule({ peers: [frontend(), backend], ports: [Port.tcp(8080), Port.tcp(9090)] })).toBe(true);
    expect(policy.addIngressRule({ peers: [backend, frontend()], ports: [Port.tcp(9090), Port.tcp(8080)] })).toBe(false);

    const spec = policyNamed(chart, 'api').spec;
    expect(spec.ingress).toHaveLength(2);
    expect(spec.ingress[0]).toEqual(
      { from: [{ podSelector: { matchLabels: { app: 'frontend' } } }], ports: [{ port: 8080, protocol: 'TCP' }] },
    );
  });

  test('rules added after creation are rendered', () => {
    const chart = Testing.chart();
    const policy = new NetworkPolicy(chart, 'api', { isolate: [PolicyType.INGRESS] });
    policy.addEgressRule({ peers: [Peer.ipBlock('203.0.113.0/24')], ports: [Port.HTTPS] });

    const spec = policyNamed(chart, 'api').spec;
    expect(spec.policyTypes).toEqual(['Ingress', 'Egress']);
    expect(spec.ingress).toBeUndefined();
    expect(spec.egress).toEqual([{ to: [{ ipBlock: { cidr: '203.0.113.0/24' } }], ports: [{ port: 443, protocol: 'TCP' }] }]);
  });

  test('Peer.anyone() and Port.allPorts() render a rule without from and ports', () => {
    const chart = Testing.chart();
    new NetworkPolicy(chart, 'open', { ingress: [{ peers: [Peer.anyone()], ports: [Port.allPorts()] }] });

    expect(policyNamed(chart, 'open').spec.ingress).toEqual([{}]);
  });

  test('a custom name and metadata are used as given', () => {
    const chart = Testing.chart();
    new NetworkPolicy(chart, 'x', {
      name: 'custom.name',
      namespace: 'team-a',
      labels: { team: 'a' },
      annotations: { 'example.com/owner': 'team a' },
      isolate: [PolicyType.EGRESS],
    });

    expect(policyNamed(chart, 'custom.name').metadata).toEqual({
      name: 'custom.name',
      namespace: 'team-a',
      labels: { team: 'a' },
      annotations: { 'example.com/owner': 'team a' },
    });
  });

  test('names are derived from the path below the chart, skipping Resource ids', () => {
    // GIVEN a user construct wrapping a policy
    class Team extends Construct {
      constructor(scope: Construct, id: string) {
        super(scope, id);
        new NetworkPolicy(this, 'HTTPSEgress', { isolate: [PolicyType.EGRESS] });
        new NetworkPolicy(this, 'Resource', { isolate: [PolicyType.INGRESS] });
      }
    }
    const chart = Testing.chart();

    // WHEN
    new Team(chart, 'PaymentsTeam');

    // THEN
    expect(synthPolicies(chart).map((p) => p.metadata.name).sort()).toEqual(['payments-team', 'payments-team-https-egress']);
  });

  describe('selecting the pods of a cdk8s-plus workload', () => {
    test('puts the policy in the workload namespace', () => {
      const app = Testing.app();
      const chart = new Chart(app, 'prod', { namespace: 'production' });
      const other = new Chart(app, 'other');
      const api = new kplus.Deployment(chart, 'api', { containers: [{ image: 'api', portNumber: 8080 }] });

      const policy = new NetworkPolicy(other, 'api', { pods: Selector.fromWorkload(api), isolate: [PolicyType.INGRESS] });

      expect(policy.namespace).toBe('production');
      expect(synthPolicies(other)[0].spec.podSelector).toEqual({
        matchLabels: { 'cdk8s.io/metadata.addr': api.matchLabels['cdk8s.io/metadata.addr'] },
      });
    });

    test('refuses another namespace than the workload', () => {
      const chart = new Chart(Testing.app(), 'prod', { namespace: 'production' });
      const api = new kplus.Deployment(chart, 'api', { containers: [{ image: 'api' }] });

      expect(() => new NetworkPolicy(chart, 'api-policy', { namespace: 'staging', pods: Selector.fromWorkload(api) }))
        .toThrow(/prod\/api-policy: the policy is in namespace "staging" but its pods \(prod\/api\) are in namespace "production"/);
    });
  });

  describe('errors', () => {
    test('an empty peer list is an error, never an allow-all', () => {
      const chart = Testing.chart();
      expect(() => new NetworkPolicy(chart, 'p', { ingress: [{ peers: [], ports: [Port.tcp(80)] }] }))
        .toThrow(/test\/p: ingress rule has no peers: an empty peer list would allow every source.*Peer.anyone\(\)/);
      expect(() => new NetworkPolicy(chart, 'q', { egress: [{ peers: [], ports: [Port.tcp(80)] }] }))
        .toThrow(/test\/q: egress rule has no peers: an empty peer list would allow every destination/);
    });

    test('an empty port list is an error', () => {
      expect(() => new NetworkPolicy(Testing.chart(), 'p', { ingress: [{ peers: [frontend()], ports: [] }] }))
        .toThrow(/test\/p: ingress rule has no ports: .*Port.allPorts\(\)/);
    });

    test('anyone combined with other peers is an error', () => {
      expect(() => new NetworkPolicy(Testing.chart(), 'p', { ingress: [{ peers: [Peer.anyone(), frontend()], ports: [Port.tcp(80)] }] }))
        .toThrow(/combines anyone with other peers \(pods app=frontend\)/);
    });

    test('allPorts combined with other ports is an error', () => {
      expect(() => new NetworkPolicy(Testing.chart(), 'p', { ingress: [{ peers: [frontend()], ports: [Port.allPorts(), Port.tcp(80)] }] }))
        .toThrow(/combines Port.allPorts\(\) with other ports \(TCP\/80\)/);
    });

    test('a named port towards an ipBlock on egress is an error', () => {
      expect(() => new NetworkPolicy(Testing.chart(), 'p', {
        egress: [{ peers: [Peer.ipBlock('203.0.113.0/24')], ports: [Port.named('https')] }],
      })).toThrow(/uses the named port TCP\/https with the ipBlock peer 203.0.113.0\/24/);
    });

    test('a named port on ingress from an ipBlock is fine: it names the selected pod\'s port', () => {
      const chart = Testing.chart();
      new NetworkPolicy(chart, 'p', { ingress: [{ peers: [Peer.ipBlock('203.0.113.0/24')], ports: [Port.named('https')] }] });
      expect(policyNamed(chart, 'p').spec.ingress[0].ports).toEqual([{ port: 'https', protocol: 'TCP' }]);
    });

    test('an invalid name, namespace or label is reported with the construct path', () => {
      const chart = Testing.chart();
      expect(() => new NetworkPolicy(chart, 'a', { name: 'Bad_Name' })).toThrow(/test\/a: invalid policy name "Bad_Name"/);
      expect(() => new NetworkPolicy(chart, 'b', { namespace: 'Prod' })).toThrow(/Invalid namespace name "Prod" in test\/b/);
      expect(() => new NetworkPolicy(chart, 'c', { labels: { team: '-a' } })).toThrow(/Invalid label value "-a" for key "team" in test\/c \(labels\)/);
    });

    test('a policy that does nothing fails at synth', () => {
      const chart = Testing.chart();
      new NetworkPolicy(chart, 'empty');
      expect(() => Testing.synth(chart)).toThrow(/\[test\/empty\] the policy has no rules and isolates no direction/);
    });

    test('two policies with the same name in one namespace fail at synth, naming both', () => {
      // GIVEN two charts that share a namespace
      const app = Testing.app();
      const a = new Chart(app, 'a', { namespace: 'production' });
      const b = new Chart(app, 'b', { namespace: 'production' });

      // WHEN both define "default-deny"
      new NetworkPolicy(a, 'default-deny', { isolate: [PolicyType.INGRESS] });
      new NetworkPolicy(b, 'default-deny', { isolate: [PolicyType.INGRESS] });

      // THEN
      expect(() => Testing.synth(a)).toThrow(
        /two NetworkPolicies are named "default-deny" in namespace "production".*a\/default-deny and b\/default-deny/,
      );
    });

    test('the same name in two namespaces is fine', () => {
      const app = Testing.app();
      const a = new Chart(app, 'a', { namespace: 'production' });
      const b = new Chart(app, 'b', { namespace: 'staging' });
      new NetworkPolicy(a, 'default-deny', { isolate: [PolicyType.INGRESS] });
      new NetworkPolicy(b, 'default-deny', { isolate: [PolicyType.INGRESS] });
      expect(synthPolicies(a).map((p) => p.metadata.namespace)).toEqual(['production']);
      expect(synthPolicies(b).map((p) => p.metadata.namespace)).toEqual(['staging']);
    });
  });
});

describe('rules with the same peers merge', () => {
  const backend = () => Peer.pods(Selector.labels({ app: 'backend' }));
  const FRONTEND = { podSelector: { matchLabels: { app: 'frontend' } } };
  const BACKEND = { podSelector: { matchLabels: { app: 'backend' } } };
  const tcp = (port: number) => ({ port, protocol: 'TCP' });

  test('the same peers in another order are one rule, with the ports of both', () => {
    // GIVEN
    const chart = Testing.chart();
    const policy = new NetworkPolicy(chart, 'api', { pods: Selector.labels({ app: 'api' }) });

    // WHEN
    const first = policy.addIngressRule({ peers: [frontend(), backend()], ports: [Port.tcp(80)] });
    const second = policy.addIngressRule({ peers: [backend(), frontend(), backend()], ports: [Port.tcp(443)] });

    // THEN the first rule's peer order is kept
    expect([first, second]).toEqual([true, true]);
    const spec = policyNamed(chart, 'api').spec;
    expect(spec).toMatchSnapshot();
    expect(spec.ingress).toEqual([{ from: [FRONTEND, BACKEND], ports: [tcp(80), tcp(443)] }]);
  });

  test('ports are unioned in order: the earlier ports first, then the new ones as given', () => {
    const chart = Testing.chart();
    const policy = new NetworkPolicy(chart, 'api', { egress: [{ peers: [frontend()], ports: [Port.tcp(80), Port.tcp(443)] }] });

    expect(policy.addEgressRule({ peers: [frontend()], ports: [Port.tcp(443), Port.udp(9090), Port.tcp(80), Port.tcp(8080)] })).toBe(true);
    expect(policy.addEgressRule({ peers: [frontend()], ports: [Port.tcp(8080), Port.udp(9090)] })).toBe(false);
    expect(policy.addEgressRule({ peers: [frontend()], ports: [Port.tcpRange(30000, 30100)] })).toBe(true);

    expect(policyNamed(chart, 'api').spec.egress).toEqual([{
      to: [FRONTEND],
      ports: [tcp(80), tcp(443), { port: 9090, protocol: 'UDP' }, tcp(8080), { port: 30000, endPort: 30100, protocol: 'TCP' }],
    }]);
  });

  test('Port.allPorts() absorbs the ports of the rule, and every later port', () => {
    const chart = Testing.chart();
    const policy = new NetworkPolicy(chart, 'api', { ingress: [{ peers: [frontend()], ports: [Port.tcp(80)] }] });

    expect(policy.addIngressRule({ peers: [frontend()], ports: [Port.allPorts()] })).toBe(true);
    expect(policy.addIngressRule({ peers: [frontend()], ports: [Port.tcp(443)] })).toBe(false);
    expect(policy.addIngressRule({ peers: [frontend()], ports: [Port.allPorts()] })).toBe(false);

    expect(policyNamed(chart, 'api').spec.ingress).toEqual([{ from: [FRONTEND] }]);
  });

  test('a rule on every port first: later ports add nothing', () => {
    const chart = Testing.chart();
    const policy = new NetworkPolicy(chart, 'api', { ingress: [{ peers: [frontend()], ports: [Port.allPorts()] }] });

    expect(policy.addIngressRule({ peers: [frontend()], ports: [Port.tcp(443), Port.udp(53)] })).toBe(false);

    expect(policyNamed(chart, 'api').spec.ingress).toEqual([{ from: [FRONTEND] }]);
  });

  test('different peers stay separate rules, even when one includes the other', () => {
    const chart = Testing.chart();
    const policy = new NetworkPolicy(chart, 'api', {});

    expect(policy.addIngressRule({ peers: [frontend()], ports: [Port.tcp(80)] })).toBe(true);
    expect(policy.addIngressRule({ peers: [frontend(), backend()], ports: [Port.tcp(80)] })).toBe(true);
    expect(policy.addIngressRule({ peers: [backend()], ports: [Port.tcp(443)] })).toBe(true);
    expect(policy.addIngressRule({ peers: [frontend()], ports: [Port.tcp(8080)] })).toBe(true);

    expect(policyNamed(chart, 'api').spec.ingress).toEqual([
      { from: [FRONTEND], ports: [tcp(80), tcp(8080)] },
      { from: [FRONTEND, BACKEND], ports: [tcp(80)] },
      { from: [BACKEND], ports: [tcp(443)] },
    ]);
  });

  test('Peer.anyone() rules merge with each other only', () => {
    const chart = Testing.chart();
    const policy = new NetworkPolicy(chart, 'open', {});

    expect(policy.addIngressRule({ peers: [Peer.anyone()], ports: [Port.tcp(80)] })).toBe(true);
    expect(policy.addIngressRule({ peers: [frontend()], ports: [Port.tcp(443)] })).toBe(true);
    expect(policy.addIngressRule({ peers: [Peer.anyone()], ports: [Port.tcp(443)] })).toBe(true);

    expect(policyNamed(chart, 'open').spec.ingress).toEqual([
      { ports: [tcp(80), tcp(443)] },
      { from: [FRONTEND], ports: [tcp(443)] },
    ]);
  });

  test('peers are compared as rendered: the same pods by two factories are the same peer', () => {
    const chart = new Chart(Testing.app(), 'c', { namespace: 'production' });
    const policy = new NetworkPolicy(chart, 'api', {});

    policy.addIngressRule({ peers: [frontend()], ports: [Port.tcp(80)] });
    expect(policy.addIngressRule({ peers: [Peer.podsInNamespace('production', Selector.labels({ app: 'frontend' }))], ports: [Port.tcp(443)] })).toBe(true);
    // the same labels in another namespace are other pods
    expect(policy.addIngressRule({ peers: [Peer.podsInNamespace('staging', Selector.labels({ app: 'frontend' }))], ports: [Port.tcp(443)] })).toBe(true);

    expect(policyNamed(chart, 'api').spec.ingress).toEqual([
      { from: [FRONTEND], ports: [tcp(80), tcp(443)] },
      { from: [{ namespaceSelector: { matchLabels: { 'kubernetes.io/metadata.name': 'staging' } }, ...FRONTEND }], ports: [tcp(443)] },
    ]);
  });

  test('ingress and egress rules never merge with each other', () => {
    const chart = Testing.chart();
    const policy = new NetworkPolicy(chart, 'api', {});

    expect(policy.addIngressRule({ peers: [frontend()], ports: [Port.tcp(80)] })).toBe(true);
    expect(policy.addEgressRule({ peers: [frontend()], ports: [Port.tcp(80)] })).toBe(true);
    expect(policy.addEgressRule({ peers: [frontend()], ports: [Port.tcp(443)] })).toBe(true);

    const spec = policyNamed(chart, 'api').spec;
    expect(spec.policyTypes).toEqual(['Ingress', 'Egress']);
    expect(spec.ingress).toEqual([{ from: [FRONTEND], ports: [tcp(80)] }]);
    expect(spec.egress).toEqual([{ to: [FRONTEND], ports: [tcp(80), tcp(443)] }]);
  });

  test('rules given at creation merge the same way', () => {
    const chart = Testing.chart();
    new NetworkPolicy(chart, 'api', {
      ingress: [
        { peers: [frontend()], ports: [Port.tcp(80)] },
        { peers: [backend()], ports: [Port.tcp(80)] },
        { peers: [frontend()], ports: [Port.tcp(443)] },
      ],
    });

    expect(policyNamed(chart, 'api').spec.ingress).toEqual([
      { from: [FRONTEND], ports: [tcp(80), tcp(443)] },
      { from: [BACKEND], ports: [tcp(80)] },
    ]);
  });

  test('a rejected rule leaves the policy unchanged', () => {
    const chart = Testing.chart();
    const policy = new NetworkPolicy(chart, 'api', { ingress: [{ peers: [frontend()], ports: [Port.tcp(80)] }] });

    expect(() => policy.addIngressRule({ peers: [frontend()], ports: [Port.allPorts(), Port.tcp(443)] })).toThrow(/combines Port\.allPorts\(\) with other ports/);

    expect(policyNamed(chart, 'api').spec.ingress).toEqual([{ from: [FRONTEND], ports: [tcp(80)] }]);
  });
});

describe('custom peers are held to the API server rules', () => {
  const custom = (config: PeerConfig): IPeer => ({ toPeerConfig: () => config });
  const rule = (peer: IPeer) => ({ ingress: [{ peers: [peer], ports: [Port.tcp(80)] }] });

  test('a custom peer renders like ours', () => {
    // GIVEN a platform team's own peer
    const ingressController = custom({
      description: 'the ingress controller',
      peer: { namespaceSelector: { matchLabels: { 'kubernetes.io/metadata.name': 'ingress' } } },
    });
    const chart = Testing.chart();

    // WHEN
    new NetworkPolicy(chart, 'web', rule(ingressController));

    // THEN
    expect(policyNamed(chart, 'web').spec.ingress[0].from).toEqual([
      { namespaceSelector: { matchLabels: { 'kubernetes.io/metadata.name': 'ingress' } } },
    ]);
  });

  test('a custom peer that forgets `peer` is an error, not an allow-all', () => {
    expect(() => new NetworkPolicy(Testing.chart(), 'p', rule(custom({ description: 'ingress controller' }))))
      .toThrow(/test\/p: ingress rule: the peer "ingress controller" renders no `peer`: set `anyone: true` to mean everyone/);
  });

  test('`anyone: true` from a custom peer means everyone', () => {
    const chart = Testing.chart();
    new NetworkPolicy(chart, 'p', rule(custom({ description: 'the world', anyone: true })));
    expect(policyNamed(chart, 'p').spec.ingress).toEqual([{ ports: [{ port: 80, protocol: 'TCP' }] }]);
  });

  test.each([
    [{ description: 'x', anyone: true, peer: { podSelector: {} } }, /the peer "x" sets both `anyone` and `peer`/],
    [{ description: 'x', peer: {} }, /the peer "x" is empty: it must specify a podSelector, a namespaceSelector or an ipBlock/],
    [{ description: 'x', peer: { ipBlock: { cidr: '10.0.0.0/8' }, podSelector: {} } }, /the peer "x" combines ipBlock with podSelector/],
    [{ description: 'x', peer: { ipBlock: { cidr: '10.0.0.1/8' } } }, /the peer "x" is invalid: Invalid CIDR "10.0.0.1\/8".*did you mean "10.0.0.0\/8"/],
    [{ description: 'x', peer: { podSelector: { matchLabels: { 'BAD KEY': 'v' } } } }, /the peer "x" is invalid: Invalid label key "BAD KEY"/],
    [{ description: 'x', peer: { podSelector: {}, ports: [] } as any }, /the peer "x" has unknown fields ports/],
  ])('rejects %j', (config, message) => {
    expect(() => new NetworkPolicy(Testing.chart(), 'p', rule(custom(config as PeerConfig)))).toThrow(message);
  });
});

test('annotation keys are checked case-insensitively, as the API server does', () => {
  const chart = Testing.chart();
  new NetworkPolicy(chart, 'p', { isolate: [PolicyType.INGRESS], annotations: { 'Example.COM/Owner': 'Team A' } });
  expect(policyNamed(chart, 'p').metadata.annotations).toEqual({ 'Example.COM/Owner': 'Team A' });
  expect(() => new NetworkPolicy(chart, 'q', { annotations: { 'bad key': 'x' } })).toThrow(/Invalid label key "bad key" in test\/q \(annotations\)/);
});

describe('NetworkPolicy is the ApiObject of its manifest', () => {
  test('instanceof NetworkPolicy is true for policies only, not for every ApiObject', () => {
    // GIVEN a chart with a Deployment and a policy
    const chart = Testing.chart();
    new kplus.Deployment(chart, 'web', { containers: [{ image: 'web' }] });
    const policy = new NetworkPolicy(chart, 'deny', { isolate: [PolicyType.INGRESS] });

    // THEN only the policy is a NetworkPolicy, though both are ApiObjects
    const apiObjects = chart.node.findAll().filter((c) => ApiObject.isApiObject(c));
    expect(apiObjects.length).toBeGreaterThan(1);
    expect(apiObjects.filter((c) => c instanceof NetworkPolicy)).toEqual([policy]);
    expect(apiObjects.filter((c) => NetworkPolicy.isNetworkPolicy(c))).toEqual([policy]);
    expect(policy instanceof ApiObject).toBe(true);
    expect(policy.apiObject).toBe(policy);
  });

  test.each([
    ['a named port to an ipBlock', { egress: [{ peers: [Peer.ipBlock('10.0.0.0/8')], ports: [Port.named('http')] }] }],
    ['allPorts with another port', { ingress: [{ peers: [Peer.anyone()], ports: [Port.allPorts(), Port.tcp(80)] }] }],
    ['an unknown policy type', { isolate: ['Both' as PolicyType] }],
    ['a rule without peers', { ingress: [{ peers: [], ports: [Port.tcp(80)] }] }],
  ])('a policy that fails (%s) leaves nothing in the tree to synthesize', (_, props) => {
    const chart = Testing.chart();
    expect(() => new NetworkPolicy(chart, 'bad', props)).toThrow(/^test\/bad: /);
    expect(chart.node.children).toEqual([]);
    expect(Testing.synth(chart)).toEqual([]);
  });
});

import { Chart, Testing } from 'cdk8s';
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

import { Testing } from 'cdk8s';
import { CiliumEntity, CiliumNetworkPolicy, HttpRule, Peer, PolicyTarget, Port, Selector } from '../../src';
import { assertValidCustomResource } from '../support/crd-schema';

function synthOne(make: (chart: ReturnType<typeof Testing.chart>) => void): any {
  const chart = Testing.chart();
  make(chart);
  const objects = Testing.synth(chart);
  objects.forEach(assertValidCustomResource);
  expect(objects).toHaveLength(1);
  return objects[0];
}

describe('CiliumNetworkPolicy', () => {
  test('deny rules, default deny off and a description, emitted for Cilium whatever the target above', () => {
    const policy = synthOne((chart) => new CiliumNetworkPolicy(chart, 'no-metadata', {
      namespace: 'shop',
      description: 'No pod reads the cloud metadata service',
      egressDeny: [{ peers: [Peer.ipBlock('169.254.169.254/32')], ports: [Port.allPorts()] }],
      defaultDeny: { egress: false },
    }));
    expect(policy).toEqual({
      apiVersion: 'cilium.io/v2',
      kind: 'CiliumNetworkPolicy',
      metadata: { name: 'no-metadata', namespace: 'shop' },
      spec: {
        endpointSelector: {},
        description: 'No pod reads the cloud metadata service',
        enableDefaultDeny: { egress: false },
        egressDeny: [{ toCIDRSet: [{ cidr: '169.254.169.254/32' }] }],
      },
    });
  });

  test('allows and denies side by side; deny rules take pods, entities and ports', () => {
    const policy = synthOne((chart) => {
      const cnp = new CiliumNetworkPolicy(chart, 'api', {
        pods: Selector.labels({ app: 'api' }),
        ingress: [{ peers: [Peer.anyone()], ports: [Port.tcp(8080)], http: [HttpRule.get('/public/.*')] }],
      });
      cnp.addIngressDenyRule({ peers: [Peer.entity(CiliumEntity.WORLD)], ports: [Port.tcp(8080)] });
      cnp.addEgressDenyRule({ peers: [Peer.pods(Selector.labels({ app: 'db' }))], ports: [Port.allPorts()] });
    });
    expect(policy.spec).toEqual({
      endpointSelector: { matchLabels: { app: 'api' } },
      ingress: [{ fromEntities: ['all'], toPorts: [{ ports: [{ port: '8080', protocol: 'TCP' }], rules: { http: [{ method: 'GET', path: '/public/.*' }] } }] }],
      ingressDeny: [{ fromEntities: ['world'], toPorts: [{ ports: [{ port: '8080', protocol: 'TCP' }] }] }],
      egressDeny: [{ toEndpoints: [{ matchLabels: { app: 'db' } }] }],
    });
  });

  test('a deny-only policy is not "a policy that does nothing"', () => {
    const policy = synthOne((chart) => new CiliumNetworkPolicy(chart, 'deny', { ingressDeny: [{ peers: [Peer.anyone()], ports: [Port.tcp(22)] }] }));
    expect(policy.spec.ingressDeny).toEqual([{ fromEntities: ['all'], toPorts: [{ ports: [{ port: '22', protocol: 'TCP' }] }] }]);
    const chart = Testing.chart();
    new CiliumNetworkPolicy(chart, 'empty');
    expect(() => Testing.synth(chart)).toThrow('the policy has no rules and isolates no direction, so it does nothing');
  });

  test.each([
    ['the Kubernetes target', { target: PolicyTarget.KUBERNETES }, 'a CiliumNetworkPolicy is always emitted for Cilium; leave `target` out'],
    ['an unknown defaultDeny field', { defaultDeny: { ingres: false } }, '`defaultDeny` has the unknown field "ingres"; the fields are ingress and egress.'],
    ['a defaultDeny that is not a boolean', { defaultDeny: { egress: 'no' } }, '`defaultDeny.egress` must be true or false, got "no".'],
    ['a description that is not a string', { description: 42 }, '`description` must be a string of at most 1024 characters.'],
    ['a DNS name in a deny rule', { egressDeny: [{ peers: [Peer.dnsName('evil.example.com')], ports: [Port.HTTPS] }] },
      'test/x: egress deny rule: evil.example.com is a DNS name; Cilium\'s deny rules take pods, addresses and entities only.'],
    ['HTTP rules in a deny rule', { ingressDeny: [{ peers: [Peer.anyone()], ports: [Port.HTTP], http: [HttpRule.get('/')] }] },
      'test/x: ingress deny rule: deny rules have no HTTP rules (Cilium denies at L3/L4 only)'],
    ['an empty peer list', { egressDeny: [{ peers: [], ports: [Port.HTTPS] }] }, 'test/x: egress deny rule has no peers'],
  ])('%s is an error naming the construct', (_, props, message) => {
    expect(() => new CiliumNetworkPolicy(Testing.chart(), 'x', props as any)).toThrow(message);
  });
});

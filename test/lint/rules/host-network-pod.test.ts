import { cnp, defaultDeny, deployment, findingsOf, policy } from '../lint-fixtures';

const RULE = 'host-network-pod';
const agent = (hostNetwork = true) => deployment('infra', 'node-agent', { app: 'node-agent' }, { hostNetwork, ports: [{ containerPort: 9100 }] });

describe(RULE, () => {
  test('Compliance: a hostNetwork pod no policy selects or names', () => {
    const elsewhere = policy('shop', 'allow-web', {
      podSelector: {},
      ingress: [{ from: [{ podSelector: { matchLabels: { app: 'web' } } }] }],
    });
    expect(findingsOf([agent(), defaultDeny('shop'), elsewhere], RULE)).toEqual([]);
  });

  test('Noncompliance: a policy selects the hostNetwork pod', () => {
    const findings = findingsOf([agent(), defaultDeny('infra')], RULE);
    expect(findings.map((f) => [f.object, f.field, f.severity, f.message])).toEqual([[
      'Deployment infra/node-agent',
      'spec.template.spec.hostNetwork',
      'warning',
      'Deployment infra/node-agent runs with hostNetwork: true and is selected by infra/default-deny; '
      + 'most network plugins do not apply policies to host-network pods and see their traffic as the node\'s, '
      + 'so these policies may not restrict or allow what they say for it.',
    ]]);
  });

  test('a pod peer matching it is enough, and is named with its field', () => {
    const scrapeAgents = policy('monitoring', 'prometheus-out', {
      podSelector: { matchLabels: { app: 'prometheus' } },
      policyTypes: ['Egress'],
      egress: [{ to: [{ namespaceSelector: {}, podSelector: { matchLabels: { app: 'node-agent' } } }], ports: [{ port: 9100 }] }],
    });
    const findings = findingsOf([agent(), scrapeAgents], RULE);
    expect(findings.map((f) => f.message)).toEqual([
      'Deployment infra/node-agent runs with hostNetwork: true and is matched by the peer monitoring/prometheus-out spec.egress[0].to[0] '
      + '(pods app=node-agent in every namespace); most network plugins do not apply policies to host-network pods and see their traffic as the node\'s, '
      + 'so these policies may not restrict or allow what they say for it.',
    ]);
  });

  test('selected and matched: both are listed', () => {
    const sameNamespace = policy('infra', 'same-namespace', { podSelector: {}, ingress: [{ from: [{ podSelector: {} }] }] });
    const [finding] = findingsOf([agent(), sameNamespace], RULE);
    expect(finding.message).toContain('is selected by infra/same-namespace and matched by the peer infra/same-namespace spec.ingress[0].from[0] (all pods in namespace infra);');
  });

  test('the same policies on a pod without hostNetwork: no finding', () => {
    expect(findingsOf([agent(false), defaultDeny('infra')], RULE)).toEqual([]);
  });

  test('ipBlock peers never match pods, so they do not count', () => {
    const byAddress = policy('shop', 'from-nodes', { podSelector: {}, ingress: [{ from: [{ ipBlock: { cidr: '10.0.0.0/8' } }] }] });
    expect(findingsOf([agent(), byAddress], RULE)).toEqual([]);
  });
});

describe(`${RULE}: Cilium policies`, () => {
  test('Noncompliance: a CiliumNetworkPolicy selecting a hostNetwork pod; Compliance: one selecting other pods', () => {
    const selecting = cnp('infra', 'agent', { endpointSelector: { matchLabels: { app: 'node-agent' } }, ingress: [{}] });
    const findings = findingsOf([agent(), selecting], RULE);
    expect(findings.map((f) => f.message)).toEqual([expect.stringContaining('is selected by CiliumNetworkPolicy infra/agent;')]);
    expect(findingsOf([agent(), cnp('infra', 'other', { endpointSelector: { matchLabels: { app: 'other' } }, ingress: [{}] })], RULE)).toEqual([]);
  });
});

import { cnp, deployment, findingsOf, policy } from '../lint-fixtures';

const RULE = 'named-port-ip-block';

function egress(rule: any, spec: any = {}): any[] {
  return [
    deployment('shop', 'web', { app: 'web' }, { ports: [{ containerPort: 8443, name: 'https' }] }),
    policy('shop', 'web-egress', { podSelector: { matchLabels: { app: 'web' } }, policyTypes: ['Egress'], egress: [rule], ...spec }),
  ];
}

describe(RULE, () => {
  test('Compliance: a numbered port to an ipBlock, a named port to pods', () => {
    expect(findingsOf(egress({ to: [{ ipBlock: { cidr: '203.0.113.0/24' } }], ports: [{ port: 443 }] }), RULE)).toEqual([]);
    expect(findingsOf(egress({ to: [{ podSelector: { matchLabels: { app: 'api' } } }], ports: [{ port: 'https' }] }), RULE)).toEqual([]);
  });

  test('Noncompliance: a named port to an ipBlock never matches', () => {
    const findings = findingsOf(egress({ to: [{ ipBlock: { cidr: '203.0.113.0/24' } }], ports: [{ port: 'https' }] }), RULE);
    expect(findings.map((f) => [f.object, f.field, f.severity, f.message, f.fix])).toEqual([[
      'NetworkPolicy shop/web-egress',
      'spec.egress[0].ports[0].port',
      'error',
      'spec.egress[0] allows egress to ipBlock 203.0.113.0/24 on the named port "https", which never matches an address outside the cluster.',
      'Replace "https" with the port number the external service listens on.',
    ]]);
  });

  test('a rule mixing pod and ipBlock peers: the name still works for the pods, so the fix splits the rule', () => {
    const [finding] = findingsOf(egress({ to: [{ podSelector: {} }, { ipBlock: { cidr: '203.0.113.0/24' } }], ports: [{ port: 'https' }] }), RULE);
    expect(finding.message).toContain('(it still applies to the rule\'s pod peers)');
    expect(finding.fix).toBe('Replace "https" with the port number the external service listens on, in a rule of its own for the ipBlock peers.');
  });

  test('ingress from an ipBlock to a named port is meaningful (the name resolves on the selected pod): not flagged', () => {
    const ingress = [
      deployment('shop', 'web', { app: 'web' }, { ports: [{ containerPort: 8443, name: 'https' }] }),
      policy('shop', 'web-in', { podSelector: { matchLabels: { app: 'web' } }, ingress: [{ from: [{ ipBlock: { cidr: '0.0.0.0/0' } }], ports: [{ port: 'https' }] }] }),
    ];
    expect(findingsOf(ingress, RULE)).toEqual([]);
  });

  test('egress rules of a policy that does not isolate egress have no effect: not flagged', () => {
    expect(findingsOf(egress({ to: [{ ipBlock: { cidr: '203.0.113.0/24' } }], ports: [{ port: 'https' }] }, { policyTypes: ['Ingress'] }), RULE)).toEqual([]);
  });
});

describe(`${RULE}: Cilium policies`, () => {
  test('Noncompliance: toCIDR with a named port; Compliance: the number', () => {
    const spec = (port: string) => ({ endpointSelector: {}, egress: [{ toCIDR: ['203.0.113.0/24'], toPorts: [{ ports: [{ port, protocol: 'TCP' }] }] }] });
    const findings = findingsOf([cnp('shop', 'out', spec('https'))], RULE);
    expect(findings.map((f) => [f.object, f.field])).toEqual([['CiliumNetworkPolicy shop/out', 'spec.egress[0].toPorts[0].ports[0].port']]);
    expect(findingsOf([cnp('shop', 'out', spec('443'))], RULE)).toEqual([]);
  });
});

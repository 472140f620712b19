import { ccnp, cnp, deployment, findingsOf, lint, policy } from '../lint-fixtures';

const RULE = 'allow-all-rule';

const web = deployment('shop', 'web', { app: 'web' });

/** Ingress to `app: web` by the given rules. */
function webIngress(ingress: any[], annotations?: Record<string, string>): any {
  return policy('shop', 'web-ingress', { podSelector: { matchLabels: { app: 'web' } }, policyTypes: ['Ingress'], ingress }, annotations);
}

describe('allow-all-rule', () => {
  test('Compliance: named peers, and an ipBlock narrower than the internet', () => {
    const named = webIngress([
      { from: [{ podSelector: { matchLabels: { app: 'api' } } }, { namespaceSelector: { matchLabels: { team: 'x' } } }], ports: [{ port: 80 }] },
      { from: [{ ipBlock: { cidr: '203.0.113.0/24' } }, { ipBlock: { cidr: '0.0.0.0/0', except: ['10.0.0.0/8'] } }] },
      { from: [{ namespaceSelector: {}, podSelector: { matchLabels: { app: 'prometheus' } } }] },
    ]);
    expect(findingsOf([web, named], RULE)).toEqual([]);
  });

  test('Noncompliance: an ingress rule without from, on every port', () => {
    const [finding, ...rest] = findingsOf([web, webIngress([{}])], RULE);
    expect(rest).toEqual([]);
    expect(finding).toMatchObject({
      object: 'NetworkPolicy shop/web-ingress',
      field: 'spec.ingress[0]',
      severity: 'warning',
      message: 'spec.ingress[0] has no from: it allows ingress to pods app=web from every source, in the cluster or outside it, on every port.',
    });
  });

  test('an empty `from: []` is everyone too, and the ports narrowing it are named', () => {
    const [finding] = findingsOf([web, webIngress([{ from: [], ports: [{ port: 443 }, { protocol: 'UDP', port: 443 }] }])], RULE);
    expect(finding).toMatchObject({
      field: 'spec.ingress[0].from',
      message: 'spec.ingress[0] has an empty from: it allows ingress to pods app=web from every source, in the cluster or outside it, on TCP 443, UDP 443.',
    });
  });

  test('an egress rule without to', () => {
    const dns = policy('shop', 'dns', { podSelector: {}, policyTypes: ['Egress'], egress: [{ ports: [{ protocol: 'UDP', port: 53 }] }] });
    expect(findingsOf([web, dns], RULE).map((f) => f.message)).toEqual([
      'spec.egress[0] has no to: it allows egress from every pod of namespace shop to every destination, in the cluster or outside it, on UDP 53.',
    ]);
  });

  test('namespaceSelector: {} with an empty or absent podSelector: every pod of the cluster', () => {
    const rule = { from: [{ namespaceSelector: {} }, { namespaceSelector: {}, podSelector: {} }], ports: [{ port: 8080 }] };
    const findings = findingsOf([web, webIngress([rule])], RULE);
    expect(findings.map((f) => [f.field, f.message])).toEqual([
      ['spec.ingress[0].from[0]', 'spec.ingress[0].from[0] (namespaceSelector: {}) allows ingress to pods app=web from every pod in every namespace of the cluster, on TCP 8080.'],
      ['spec.ingress[0].from[1]', 'spec.ingress[0].from[1] (namespaceSelector: {}) allows ingress to pods app=web from every pod in every namespace of the cluster, on TCP 8080.'],
    ]);
  });

  test('a podSelector: {} without namespaceSelector is the policy\'s own namespace: not everyone', () => {
    expect(findingsOf([web, webIngress([{ from: [{ podSelector: {} }] }])], RULE)).toEqual([]);
  });

  test('ingress from 0.0.0.0/0 or ::/0 without except', () => {
    const findings = findingsOf([web, webIngress([{ from: [{ ipBlock: { cidr: '0.0.0.0/0' } }, { ipBlock: { cidr: '::/0' } }], ports: [{ port: 443 }] }])], RULE);
    expect(findings.map((f) => [f.field, f.message])).toEqual([
      ['spec.ingress[0].from[0].ipBlock', 'spec.ingress[0].from[0] (ipBlock 0.0.0.0/0) allows ingress to pods app=web from every IPv4 address, the whole internet, on TCP 443.'],
      ['spec.ingress[0].from[1].ipBlock', 'spec.ingress[0].from[1] (ipBlock ::/0) allows ingress to pods app=web from every IPv6 address, the whole internet, on TCP 443.'],
    ]);
  });

  test('egress to 0.0.0.0/0, with or without except, is not this rule\'s business', () => {
    const internet = policy('shop', 'internet', {
      podSelector: {},
      policyTypes: ['Egress'],
      egress: [{ to: [{ ipBlock: { cidr: '0.0.0.0/0', except: ['169.254.0.0/16'] } }, { ipBlock: { cidr: '::/0' } }], ports: [{ port: 443 }] }],
    });
    expect(findingsOf([web, internet], RULE)).toEqual([]);
  });

  test('rules of a direction the policy does not isolate have no effect: not flagged', () => {
    const ingressOnly = policy('shop', 'ingress-only', { podSelector: {}, policyTypes: ['Ingress'], egress: [{}] });
    expect(findingsOf([web, ingressOnly], RULE)).toEqual([]);
  });

  test('an acknowledgement on the policy moves the finding to the acknowledged ones, with the reason', () => {
    const reason = 'ingress controller: must accept the internet';
    const report = lint([web, webIngress([{ ports: [{ port: 443 }] }], { 'acknowledge.cdk8s-netpol.io/allow-all-rule': reason })]);
    expect(report.findings.filter((f) => f.ruleId === RULE)).toEqual([]);
    const acknowledged = report.acknowledged.filter((f) => f.ruleId === RULE);
    expect(acknowledged.map((f) => [f.object, f.acknowledgedBecause])).toEqual([['NetworkPolicy shop/web-ingress', reason]]);
    expect(report.findings.filter((f) => f.ruleId === 'acknowledgement-invalid')).toEqual([]);
  });
});

describe(`${RULE}: Cilium policies`, () => {
  test('Compliance: endpoints of the policy\'s namespace, egress to world', () => {
    const p = cnp('shop', 'web', { endpointSelector: {}, ingress: [{ fromEndpoints: [{}] }], egress: [{ toEntities: ['world'] }] });
    expect(findingsOf([web, p], RULE)).toEqual([]);
  });

  test('Noncompliance: the all entity, ingress from world, the cluster entity and every pod of every namespace', () => {
    const p = cnp('shop', 'web', {
      endpointSelector: { matchLabels: { app: 'web' } },
      ingress: [
        { fromEntities: ['all'] },
        { fromEntities: ['world', 'cluster'], toPorts: [{ ports: [{ port: '443', protocol: 'TCP' }] }] },
        { fromEndpoints: [{ matchExpressions: [{ key: 'k8s:io.kubernetes.pod.namespace', operator: 'Exists' }] }] },
        { fromCIDR: ['0.0.0.0/0'] },
      ],
    });
    const findings = findingsOf([web, p], RULE);
    expect(findings.map((f) => [f.object, f.field])).toEqual([
      ['CiliumNetworkPolicy shop/web', 'spec.ingress[0].fromEntities[0]'],
      ['CiliumNetworkPolicy shop/web', 'spec.ingress[1].fromEntities[0]'],
      ['CiliumNetworkPolicy shop/web', 'spec.ingress[1].fromEntities[1]'],
      ['CiliumNetworkPolicy shop/web', 'spec.ingress[2].fromEndpoints[0]'],
      ['CiliumNetworkPolicy shop/web', 'spec.ingress[3].fromCIDR[0]'],
    ]);
    expect(findings[0].message).toBe('spec.ingress[0].fromEntities[0] (the all entity) allows ingress to pods app=web from everyone: '
      + 'every pod of every namespace, every node and every address outside the cluster, on every port.');
  });

  test('fromEndpoints: [{}] is every pod only in a cluster-wide policy', () => {
    expect(findingsOf([web, ccnp('all-pods', { endpointSelector: {}, ingress: [{ fromEndpoints: [{}] }] })], RULE).map((f) => f.message))
      .toEqual(['spec.ingress[0].fromEndpoints[0] (endpoint selector {}) allows ingress to every pod of the cluster from every pod in every namespace of the cluster, on every port.']);
  });
});

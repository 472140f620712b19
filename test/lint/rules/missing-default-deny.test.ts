import { ccnp, cnp, defaultDeny, deployment, findingsOf, kubeDns, lint, namespace, policy } from '../lint-fixtures';

const RULE = 'missing-default-deny';

const web = deployment('shop', 'web', { app: 'web' });
const api = deployment('shop', 'api', { app: 'api' });

describe('missing-default-deny', () => {
  test('Compliance: a default-deny both ways', () => {
    expect(findingsOf([web, api, defaultDeny('shop')], RULE)).toEqual([]);
  });

  test('Noncompliance: no policy at all, one finding per direction on the namespace', () => {
    const findings = findingsOf([namespace('shop'), web, api], RULE);
    expect(findings.map((f) => [f.object, f.field, f.file])).toEqual([
      ['Namespace shop', undefined, undefined],
      ['Namespace shop', undefined, undefined],
    ]);
    expect(findings.map((f) => f.message).sort()).toEqual([
      'Namespace shop has no default-deny for egress (a NetworkPolicy with podSelector: {} and policyTypes including Egress): '
        + 'its 2 workloads (shop/web, shop/api) are not isolated for egress: they can connect anywhere.',
      'Namespace shop has no default-deny for ingress (a NetworkPolicy with podSelector: {} and policyTypes including Ingress): '
        + 'its 2 workloads (shop/web, shop/api) are not isolated for ingress: any source can connect to them.',
    ]);
    expect(findings[0].fix).toBe('Add a NetworkPolicy to namespace shop with podSelector: {} and policyTypes: [Ingress, Egress] '
      + '(new DefaultDeny(chart, \'default-deny\', { namespace: \'shop\' })), then allow what its workloads need. '
      + 'If the namespace must stay open, acknowledge the finding on its Namespace object.');
  });

  test('a namespace without a Namespace object: the fix says to declare it to acknowledge', () => {
    const [finding] = findingsOf([web], RULE);
    expect(finding.object).toBe('Namespace shop');
    expect(finding.location).toBe('Namespace shop');
    expect(finding.fix).toContain('declare its Namespace object in the manifests and acknowledge the finding there.');
  });

  test('the acknowledgement goes on the Namespace object', () => {
    const open = namespace('shop', {}, { 'acknowledge.cdk8s-netpol.io/missing-default-deny': 'legacy namespace, migrating in Q3' });
    const report = lint([open, web]);
    expect(report.findings.filter((f) => f.ruleId === RULE)).toEqual([]);
    expect(report.acknowledged.filter((f) => f.ruleId === RULE).map((f) => f.acknowledgedBecause)).toEqual(['legacy namespace, migrating in Q3', 'legacy namespace, migrating in Q3']);
  });

  test('a namespace with only policies and no workloads: no finding', () => {
    expect(findingsOf([web, defaultDeny('shop'), policy('billing', 'p', { podSelector: { matchLabels: { app: 'x' } } })], RULE)).toEqual([]);
  });

  test('an ingress-only default-deny: exactly one finding, for egress', () => {
    const denyIngress = policy('shop', 'deny-ingress', { podSelector: {}, policyTypes: ['Ingress'] });
    const findings = findingsOf([web, denyIngress], RULE);
    expect(findings).toHaveLength(1);
    expect(findings[0].message).toContain('no default-deny for egress');
    expect(findings[0].fix).toContain('policyTypes: [Egress] (new DefaultDeny(chart, \'default-deny-egress\', { namespace: \'shop\', ingress: false }))');
  });

  test('policyTypes absent with `egress: []` does not isolate egress (the API server defaults to Ingress only)', () => {
    const findings = findingsOf([web, policy('shop', 'deny', { podSelector: {}, egress: [] })], RULE);
    expect(findings.map((f) => f.message.slice(0, 52))).toEqual(['Namespace shop has no default-deny for egress (a Net']);
  });

  test('policyTypes absent with a non-empty egress list isolates egress too', () => {
    const both = policy('shop', 'dns-only', { podSelector: {}, egress: [{ ports: [{ protocol: 'UDP', port: 53 }] }] });
    expect(findingsOf([web, both], RULE)).toEqual([]);
  });

  test('an empty-podSelector policy with rules counts: it isolates every pod', () => {
    const sameNamespace = policy('shop', 'same-namespace', {
      podSelector: {}, policyTypes: ['Ingress', 'Egress'], ingress: [{ from: [{ podSelector: {} }] }], egress: [{ to: [{ podSelector: {} }] }],
    });
    expect(findingsOf([web, sameNamespace], RULE)).toEqual([]);
  });

  test('policies that select every workload but not by an empty selector: the finding says future workloads are open', () => {
    const perApp = policy('shop', 'per-app', { podSelector: { matchExpressions: [{ key: 'app', operator: 'Exists' }] }, policyTypes: ['Ingress'] });
    const findings = findingsOf([web, api, perApp, policy('shop', 'deny-egress', { podSelector: {}, policyTypes: ['Egress'] })], RULE);
    expect(findings.map((f) => f.message)).toEqual([
      'Namespace shop has no default-deny for ingress (a NetworkPolicy with podSelector: {} and policyTypes including Ingress): '
        + 'other policies isolate all its 2 workloads for ingress today, but a workload added or relabelled later will not be.',
    ]);
  });

  test('some workloads isolated by other policies: names the open ones', () => {
    const apiOnly = policy('shop', 'api-only', { podSelector: { matchLabels: { app: 'api' } }, policyTypes: ['Ingress', 'Egress'] });
    expect(findingsOf([web, api, apiOnly], RULE).map((f) => f.message).sort()).toEqual([
      'Namespace shop has no default-deny for egress (a NetworkPolicy with podSelector: {} and policyTypes including Egress): '
        + '1 of its 2 workloads (shop/web) is not isolated for egress: it can connect anywhere.',
      'Namespace shop has no default-deny for ingress (a NetworkPolicy with podSelector: {} and policyTypes including Ingress): '
        + '1 of its 2 workloads (shop/web) is not isolated for ingress: any source can connect to it.',
    ]);
  });

  test('kube-system is judged like any namespace when its workloads are in the manifests', () => {
    expect(findingsOf([web, defaultDeny('shop'), kubeDns()], RULE).map((f) => f.object)).toEqual(['Namespace kube-system', 'Namespace kube-system']);
  });

  test('a default-deny in another namespace does not count', () => {
    expect(findingsOf([web, defaultDeny('billing')], RULE)).toHaveLength(2);
  });
});

describe(`${RULE}: Cilium policies`, () => {
  test('Compliance: a CiliumNetworkPolicy with endpointSelector: {} and empty rules both ways is a default-deny', () => {
    expect(findingsOf([web, cnp('shop', 'default-deny', { endpointSelector: {}, ingress: [{}], egress: [{}] })], RULE)).toEqual([]);
  });

  test('Noncompliance: a Cilium default deny of one direction leaves the other missing', () => {
    const findings = findingsOf([web, cnp('shop', 'default-deny', { endpointSelector: {}, ingress: [{}] })], RULE);
    expect(findings.map((f) => f.message.slice(0, 50))).toEqual(['Namespace shop has no default-deny for egress (a N']);
  });

  test('a cluster-wide policy selecting the namespace counts; enableDefaultDeny false does not', () => {
    const byName = ccnp('baseline', { endpointSelector: { matchLabels: { 'k8s:io.kubernetes.pod.namespace': 'shop' } }, ingress: [{}], egress: [{}] });
    expect(findingsOf([web, byName], RULE)).toEqual([]);
    const everywhere = ccnp('baseline', { endpointSelector: {}, ingress: [{}], egress: [{}] });
    expect(findingsOf([web, everywhere], RULE)).toEqual([]);
    const notDeny = cnp('shop', 'p', { endpointSelector: {}, ingress: [{ fromEntities: ['cluster'] }], enableDefaultDeny: { ingress: false } });
    expect(findingsOf([web, notDeny], RULE)).toHaveLength(2);
  });
});

import { adminPolicy, clusterPolicy, findingsOf, namespaceNamed, pod } from '../lint-fixtures';

const RULE = 'cluster-priority-tie';
const PODS = [pod('shop', 'web', { app: 'web' }), pod('shop', 'api', { app: 'api' }), pod('ops', 'prom', { app: 'prom' })];
const DENY_OPS = [{ action: 'Deny', to: [namespaceNamed('ops')] }];
const ACCEPT_OPS = [{ action: 'Accept', to: [namespaceNamed('ops')] }];

describe(RULE, () => {
  test('Compliance: equal priorities in different tiers, or different priorities in one tier', () => {
    expect(findingsOf([...PODS,
      clusterPolicy('deny', 'Admin', 10, { subject: namespaceNamed('shop'), egress: DENY_OPS }),
      clusterPolicy('accept', 'Baseline', 10, { subject: namespaceNamed('shop'), egress: ACCEPT_OPS }),
      clusterPolicy('later', 'Admin', 11, { subject: namespaceNamed('shop'), egress: ACCEPT_OPS })], RULE)).toEqual([]);
  });

  test('Noncompliance: equal priorities, a pod both apply to, rules in the same direction', () => {
    const findings = findingsOf([...PODS,
      clusterPolicy('deny-ops', 'Admin', 10, { subject: namespaceNamed('shop'), egress: DENY_OPS }),
      clusterPolicy('accept-ops', 'Admin', 10, { subject: { pods: { namespaceSelector: {}, podSelector: { matchLabels: { app: 'web' } } } }, egress: ACCEPT_OPS })], RULE);
    expect(findings.map((f) => [f.object, f.field, f.severity])).toEqual([['ClusterNetworkPolicy deny-ops', 'spec.priority', 'warning']]);
    expect(findings[0].message).toBe('ClusterNetworkPolicy deny-ops has priority 10 in the Admin tier, as ClusterNetworkPolicy accept-ops does, '
      + 'and both apply to shop/web, with rules for egress in both: the API leaves the order of equal priorities undefined '
      + '(the implementation can apply either policy to a connection both match), so which one\'s rules come first is up to the CNI. '
      + 'The analyzer assumed ClusterNetworkPolicy accept-ops first (it orders ties by kind, then name).');
    expect(findings[0].fix).toBe('Give ClusterNetworkPolicy accept-ops and ClusterNetworkPolicy deny-ops different priorities, the one whose rules must win the lower.');
  });

  test('no shared pod, or no shared direction: no finding', () => {
    const web = { pods: { namespaceSelector: {}, podSelector: { matchLabels: { app: 'web' } } } };
    const api = { pods: { namespaceSelector: {}, podSelector: { matchLabels: { app: 'api' } } } };
    expect(findingsOf([...PODS,
      clusterPolicy('a', 'Admin', 10, { subject: web, egress: DENY_OPS }),
      clusterPolicy('b', 'Admin', 10, { subject: api, egress: ACCEPT_OPS })], RULE)).toEqual([]);
    expect(findingsOf([...PODS,
      clusterPolicy('a', 'Admin', 10, { subject: web, egress: DENY_OPS }),
      clusterPolicy('b', 'Admin', 10, { subject: web, ingress: [{ action: 'Deny', from: [namespaceNamed('ops')] }] })], RULE)).toEqual([]);
  });

  test('without pods: a subject of every pod, or equal selectors, overlap; an AdminNetworkPolicy ties with a ClusterNetworkPolicy of the Admin tier', () => {
    const findings = findingsOf([
      clusterPolicy('everyone', 'Baseline', 5, { subject: { namespaces: {} }, ingress: [{ action: 'Deny', from: [{ namespaces: {} }] }] }),
      clusterPolicy('shop', 'Baseline', 5, { subject: namespaceNamed('shop'), ingress: [{ action: 'Accept', from: [{ namespaces: {} }] }] }),
      adminPolicy('tenants', 7, { subject: namespaceNamed('shop'), egress: [{ action: 'Deny', to: [namespaceNamed('ops')] }] }),
      clusterPolicy('tenants', 'Admin', 7, { subject: namespaceNamed('shop'), egress: ACCEPT_OPS }),
      clusterPolicy('other', 'Admin', 7, { subject: namespaceNamed('ops'), egress: ACCEPT_OPS }),
    ], RULE);
    expect(findings.map((f) => f.object)).toEqual(['ClusterNetworkPolicy shop', 'ClusterNetworkPolicy tenants']);
    expect(findings[0].message).toContain('as ClusterNetworkPolicy everyone does, and their subjects overlap (every pod in every namespace; ');
    expect(findings[1].message).toContain('as AdminNetworkPolicy tenants does, and their subjects overlap (every pod in namespaces kubernetes.io/metadata.name=shop; '
      + 'every pod in namespaces kubernetes.io/metadata.name=shop)');
    expect(findings[1].message).toContain('The analyzer assumed AdminNetworkPolicy tenants first');
  });

  test('host-network pods are subjects of neither', () => {
    expect(findingsOf([pod('ops', 'agent', { app: 'agent' }, [], { hostNetwork: true }),
      clusterPolicy('a', 'Admin', 10, { subject: namespaceNamed('ops'), egress: DENY_OPS }),
      clusterPolicy('b', 'Admin', 10, { subject: { pods: { namespaceSelector: {}, podSelector: { matchLabels: { app: 'agent' } } } }, egress: ACCEPT_OPS })], RULE)).toEqual([]);
  });
});

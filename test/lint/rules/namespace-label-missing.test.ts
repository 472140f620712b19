import { allowDns, cnp, deployment, findingsOf, namespace, policy } from '../lint-fixtures';

const RULE = 'namespace-label-missing';

/** Egress from every pod of shop to the pods `k8s-app: kube-dns` of the namespaces `namespaceSelector` selects. */
function dnsBy(namespaceSelector: any): any {
  return policy('shop', 'allow-dns', {
    podSelector: {},
    policyTypes: ['Egress'],
    egress: [{ to: [{ namespaceSelector, podSelector: { matchLabels: { 'k8s-app': 'kube-dns' } } }], ports: [{ protocol: 'UDP', port: 53 }] }],
  });
}

const web = deployment('shop', 'web', { app: 'web' });

describe('namespace-label-missing', () => {
  test('Compliance: a selector by kubernetes.io/metadata.name, which every namespace carries', () => {
    expect(findingsOf([web, allowDns('shop')], RULE)).toEqual([]);
  });

  test('Noncompliance: `name: kube-system` without any Namespace object, with the name label as the fix', () => {
    const [finding, ...rest] = findingsOf([web, dnsBy({ matchLabels: { name: 'kube-system' } })], RULE);
    expect(rest).toEqual([]);
    expect(finding).toMatchObject({
      object: 'NetworkPolicy shop/allow-dns',
      field: 'spec.egress[0].to[0].namespaceSelector',
      severity: 'warning',
      message: 'spec.egress[0].to[0] (pods k8s-app=kube-dns in namespaces name=kube-system) requires the namespace label "name", '
        + 'which no namespace in the manifests carries: the peer matches no namespace, so it allows nothing.',
      fix: 'Select by kubernetes.io/metadata.name, which every namespace carries: matchLabels: { kubernetes.io/metadata.name: kube-system }. '
        + 'If a Namespace managed elsewhere does carry the label, declare it with its labels in the manifests or acknowledge the finding.',
    });
  });

  test('a declared Namespace carrying the key: no finding', () => {
    expect(findingsOf([web, namespace('kube-system', { name: 'kube-system' }), dnsBy({ matchLabels: { name: 'kube-system' } })], RULE)).toEqual([]);
  });

  test('a key carried by some namespace, whatever the value: left to selector-matches-nothing', () => {
    expect(findingsOf([web, namespace('tools', { name: 'tools' }), dnsBy({ matchLabels: { name: 'kube-system' } })], RULE)).toEqual([]);
  });

  test('matchExpressions NotIn and DoesNotExist on a missing key match every namespace: no finding', () => {
    const notIn = dnsBy({ matchExpressions: [{ key: 'env', operator: 'NotIn', values: ['prod'] }] });
    const doesNotExist = dnsBy({ matchExpressions: [{ key: 'env', operator: 'DoesNotExist' }] });
    expect(findingsOf([web, notIn], RULE)).toEqual([]);
    expect(findingsOf([web, doesNotExist], RULE)).toEqual([]);
  });

  test('matchExpressions In and Exists on a missing key are requirements', () => {
    const [inFinding] = findingsOf([web, dnsBy({ matchExpressions: [{ key: 'namespace', operator: 'In', values: ['kube-system', 'dns'] }] })], RULE);
    expect(inFinding.fix).toContain('matchExpressions: [{ key: kubernetes.io/metadata.name, operator: In, values: [dns, kube-system] }]');
    const [exists] = findingsOf([web, dnsBy({ matchExpressions: [{ key: 'name', operator: 'Exists' }] })], RULE);
    // Nothing to select by name: the fix is to add the label.
    expect(exists.fix).toBe('Add "name" to the Namespace objects the peer is meant to match (declare namespaces managed elsewhere with their labels), '
      + 'or select them by a label they carry.');
  });

  test('a custom key whose value names a namespace of the manifests: suggests the name label', () => {
    const [finding] = findingsOf([web, deployment('payments', 'api', { app: 'api' }), dnsBy({ matchLabels: { team: 'payments' } })], RULE);
    expect(finding.message).toContain('requires the namespace label "team"');
    expect(finding.fix).toContain('matchLabels: { kubernetes.io/metadata.name: payments }');
  });

  test('several missing keys: one finding naming them all', () => {
    const findings = findingsOf([web, dnsBy({ matchLabels: { tier: 'infra', zone: 'a' } })], RULE);
    expect(findings.map((f) => f.message)).toEqual([
      'spec.egress[0].to[0] (pods k8s-app=kube-dns in namespaces tier=infra, zone=a) requires the namespace labels "tier", "zone", '
        + 'which no namespace in the manifests carries: the peer matches no namespace, so it allows nothing.',
    ]);
  });

  test('peers without namespaceSelector and ipBlocks are not concerned', () => {
    const local = policy('shop', 'local', {
      podSelector: {},
      ingress: [{ from: [{ podSelector: { matchLabels: { name: 'x' } } }, { ipBlock: { cidr: '10.0.0.0/8' } }] }],
    });
    expect(findingsOf([web, local], RULE)).toEqual([]);
  });

  test('ingress peers are checked too', () => {
    const fromMonitoring = policy('shop', 'scrape', {
      podSelector: {},
      ingress: [{ from: [{ namespaceSelector: { matchLabels: { name: 'monitoring' } } }] }],
    });
    const [finding] = findingsOf([web, fromMonitoring], RULE);
    expect(finding.field).toBe('spec.ingress[0].from[0].namespaceSelector');
    expect(finding.fix).toContain('matchLabels: { kubernetes.io/metadata.name: monitoring }');
  });
});

describe(`${RULE}: Cilium policies`, () => {
  const dns = (matchLabels: Record<string, string>) => cnp('shop', 'allow-dns', {
    endpointSelector: {},
    egress: [{ toEndpoints: [{ matchLabels: { ...matchLabels, 'k8s-app': 'kube-dns' } }], toPorts: [{ ports: [{ port: '53', protocol: 'UDP' }] }] }],
  });

  test('Noncompliance: io.cilium.k8s.namespace.labels.name, a label nobody sets, with the namespace key as the fix', () => {
    const findings = findingsOf([web, dns({ 'k8s:io.cilium.k8s.namespace.labels.name': 'kube-system' })], RULE);
    expect(findings.map((f) => [f.object, f.field])).toEqual([['CiliumNetworkPolicy shop/allow-dns', 'spec.egress[0].toEndpoints[0]']]);
    expect(findings[0].message).toContain('requires the namespace label "name" (io.cilium.k8s.namespace.labels.name), which no namespace in the manifests carries: '
      + 'the peer matches no pod, so it allows nothing.');
    expect(findings[0].fix).toContain('matchLabels: { k8s:io.kubernetes.pod.namespace: kube-system }');
  });

  test('Compliance: the namespace name key, or a namespace label a declared Namespace carries', () => {
    expect(findingsOf([web, dns({ 'k8s:io.kubernetes.pod.namespace': 'kube-system' })], RULE)).toEqual([]);
    expect(findingsOf([web, namespace('kube-system', { name: 'kube-system' }), dns({ 'k8s:io.cilium.k8s.namespace.labels.name': 'kube-system' })], RULE)).toEqual([]);
  });
});

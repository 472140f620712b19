import { allowDns, cnp, defaultDeny, deployment, findingsOf, kubeDns, namespace, policy } from '../lint-fixtures';

const RULE = 'selector-matches-nothing';

const web = deployment('shop', 'web', { app: 'web' });
const api = deployment('shop', 'api', { app: 'api' });

/** Ingress to `app: api` from the peer. */
function apiFrom(peer: any, podSelector: any = { matchLabels: { app: 'api' } }): any {
  return policy('shop', 'api-ingress', { podSelector, ingress: [{ from: [peer], ports: [{ port: 8080 }] }] });
}

describe('selector-matches-nothing', () => {
  test('Compliance: selectors that match workloads', () => {
    expect(findingsOf([web, api, defaultDeny('shop'), apiFrom({ podSelector: { matchLabels: { app: 'web' } } })], RULE)).toEqual([]);
  });

  test('Noncompliance: a peer podSelector with a typo', () => {
    const [finding, ...rest] = findingsOf([web, api, apiFrom({ podSelector: { matchLabels: { app: 'wbe' } } })], RULE);
    expect(rest).toEqual([]);
    expect(finding).toMatchObject({
      object: 'NetworkPolicy shop/api-ingress',
      field: 'spec.ingress[0].from[0].podSelector',
      message: 'spec.ingress[0].from[0].podSelector (app=wbe) matches none of the 2 workloads in namespace shop, '
        + 'so the peer (pods app=wbe in namespace shop) allows nothing; pods there carry app=web.',
      fix: 'Did you mean app=web? Correct the podSelector to labels the peer pods carry (Peer.workload() selects a workload by its own labels), '
        + 'or remove the peer if those pods are gone.',
    });
  });

  test('a policy podSelector matching nothing vs something', () => {
    const [finding, ...rest] = findingsOf([web, api, apiFrom({ podSelector: { matchLabels: { app: 'web' } } }, { matchLabels: { app: 'apj' } })], RULE);
    expect(rest).toEqual([]);
    expect(finding).toMatchObject({
      object: 'NetworkPolicy shop/api-ingress',
      field: 'spec.podSelector',
      message: 'spec.podSelector (app=apj) matches none of the 2 workloads in namespace shop, so the policy applies to no pod; pods there carry app=api.',
      fix: 'Did you mean app=api? Correct the podSelector to labels of the pods the policy is meant for '
        + '(Selector.fromWorkload() reads them from a workload), or delete the policy if those pods are gone.',
    });
    expect(findingsOf([web, api, apiFrom({ podSelector: { matchLabels: { app: 'web' } } })], RULE)).toEqual([]);
  });

  test('a selector on a label no pod carries says so', () => {
    const [finding] = findingsOf([web, policy('shop', 'p', { podSelector: { matchLabels: { tier: 'db' } } })], RULE);
    expect(finding.message).toBe('spec.podSelector (tier=db) matches no pod of the only workload in namespace shop (shop/web), '
      + 'so the policy applies to no pod; no pod there carries the label "tier".');
  });

  test('empty selectors are never dangling', () => {
    const everyone = policy('shop', 'all', { podSelector: {}, ingress: [{ from: [{ podSelector: {} }, { namespaceSelector: {}, podSelector: {} }] }] });
    expect(findingsOf([web, everyone], RULE)).toEqual([]);
  });

  test('a policy in a namespace without workloads in the manifests is not judged', () => {
    expect(findingsOf([web, policy('billing', 'p', { podSelector: { matchLabels: { app: 'x' } } })], RULE)).toEqual([]);
  });

  test('a peer in kube-system, whose pods are not in the manifests, is not judged', () => {
    const dnsTypo = policy('shop', 'dns', {
      podSelector: {},
      policyTypes: ['Egress'],
      egress: [{ to: [{ namespaceSelector: { matchLabels: { 'kubernetes.io/metadata.name': 'kube-system' } }, podSelector: { matchLabels: { 'k8s-app': 'kube-dsn' } } }] }],
    });
    expect(findingsOf([web, allowDns('shop'), dnsTypo], RULE)).toEqual([]);
    // With kube-system's pods in the manifests, the typo shows.
    const [finding] = findingsOf([web, kubeDns(), dnsTypo], RULE);
    expect(finding).toMatchObject({
      field: 'spec.egress[0].to[0].podSelector',
      message: 'spec.egress[0].to[0].podSelector (k8s-app=kube-dsn) matches no pod of the only workload in namespace kube-system (kube-system/coredns), '
        + 'so the peer (pods k8s-app=kube-dsn in namespaces kubernetes.io/metadata.name=kube-system) allows nothing; pods there carry k8s-app=kube-dns.',
    });
  });

  test('a peer in its own namespace is judged without a typo: the namespace\'s workloads are all there', () => {
    const [finding] = findingsOf([web, api, apiFrom({ podSelector: { matchLabels: { app: 'batch' } } })], RULE);
    expect(finding.message).toBe('spec.ingress[0].from[0].podSelector (app=batch) matches none of the 2 workloads in namespace shop, '
      + 'so the peer (pods app=batch in namespace shop) allows nothing; pods there carry app=api, app=web.');
  });

  test('a peer in other namespaces is judged only for a typo: those namespaces may be in the manifests in part only', () => {
    const named = apiFrom({ namespaceSelector: { matchExpressions: [{ key: 'kubernetes.io/metadata.name', operator: 'In', values: ['a', 'b'] }] }, podSelector: { matchLabels: { app: 'batch' } } });
    expect(findingsOf([web, api, deployment('a', 'other', { app: 'other' }), deployment('b', 'more', { app: 'more' }), named], RULE)).toEqual([]);
    const typo = apiFrom({ namespaceSelector: { matchLabels: { 'kubernetes.io/metadata.name': 'a' } }, podSelector: { matchLabels: { app: 'othre' } } });
    expect(findingsOf([web, api, deployment('a', 'other', { app: 'other' }), typo], RULE).map((f) => f.message)).toEqual([
      'spec.ingress[0].from[0].podSelector (app=othre) matches no pod of the only workload in namespace a (a/other), '
        + 'so the peer (pods app=othre in namespaces kubernetes.io/metadata.name=a) allows nothing; pods there carry app=other.',
    ]);
  });

  test('AllowDns\'s peer while kube-system holds other workloads but not CoreDNS: not judged (CoreDNS runs outside the manifests)', () => {
    const dns = policy('shop', 'dns', {
      podSelector: {},
      policyTypes: ['Egress'],
      egress: [{
        to: [{ namespaceSelector: { matchLabels: { 'kubernetes.io/metadata.name': 'kube-system' } }, podSelector: { matchLabels: { 'k8s-app': 'kube-dns' } } }],
        ports: [{ protocol: 'UDP', port: 53 }, { protocol: 'TCP', port: 53 }],
      }],
    });
    expect(findingsOf([web, api, deployment('kube-system', 'metrics-server', { 'k8s-app': 'metrics-server' }), dns], RULE)).toEqual([]);
  });

  test('`namespaceSelector: {}` with the usual kube-dns labels, kube-system not in the manifests: not judged', () => {
    const dns = policy('shop', 'dns', {
      podSelector: {},
      policyTypes: ['Egress'],
      egress: [{ to: [{ namespaceSelector: {}, podSelector: { matchLabels: { 'k8s-app': 'kube-dns' } } }], ports: [{ protocol: 'UDP', port: 53 }] }],
    });
    expect(findingsOf([web, api, dns], RULE)).toEqual([]);
  });

  test('a peer selecting namespaces by labels is reported when the pods there carry a label a typo away', () => {
    const anyTeam = apiFrom({ namespaceSelector: { matchLabels: { team: 'x' } }, podSelector: { matchLabels: { app: 'clinet' } } });
    const objects = [web, api, namespace('a', { team: 'x' }), namespace('b', { team: 'x' }), deployment('a', 'client', { app: 'client' })];
    expect(findingsOf([...objects, anyTeam], RULE).map((f) => f.message)).toEqual([
      'spec.ingress[0].from[0].podSelector (app=clinet) matches no pod of the only workload in namespace a (a/client), '
        + 'so the peer (pods app=clinet in namespaces team=x) allows nothing; pods there carry app=client.',
    ]);
    // Nothing close: the pods may be in a namespace team=x outside the manifests.
    const other = apiFrom({ namespaceSelector: { matchLabels: { team: 'x' } }, podSelector: { matchLabels: { app: 'batch' } } });
    expect(findingsOf([...objects, other], RULE)).toEqual([]);
  });

  test('a typo in the label key counts too', () => {
    const anyNamespace = apiFrom({ namespaceSelector: {}, podSelector: { matchLabels: { ap: 'web' } } });
    const [finding] = findingsOf([web, api, anyNamespace], RULE);
    expect(finding.fix).toMatch(/^Did you mean app=web\? /);
  });

  test('a namespace name that matches nothing is not judged, even one edit away: team-b beside team-a is as likely as a typo', () => {
    const objects = [web, api, deployment('production', 'client', { app: 'client' }), deployment('team-a', 'client', { app: 'client' })];
    expect(findingsOf([...objects, apiFrom({ namespaceSelector: { matchLabels: { 'kubernetes.io/metadata.name': 'prodution' } } })], RULE)).toEqual([]);
    expect(findingsOf([...objects, apiFrom({ namespaceSelector: { matchLabels: { 'kubernetes.io/metadata.name': 'team-b' } } })], RULE)).toEqual([]);
  });

  test('a namespace label value one edit from an existing one is reported, with the close value', () => {
    const objects = [web, api, namespace('production', { env: 'prod' }), deployment('production', 'client', { app: 'client' })];
    const [finding, ...rest] = findingsOf([...objects, apiFrom({ namespaceSelector: { matchLabels: { env: 'prd' } } })], RULE);
    expect(rest).toEqual([]);
    expect(finding).toMatchObject({
      object: 'NetworkPolicy shop/api-ingress',
      field: 'spec.ingress[0].from[0].namespaceSelector',
      message: 'spec.ingress[0].from[0].namespaceSelector (env=prd) matches no namespace in the manifests, '
        + 'so the peer (all pods in namespaces env=prd) allows nothing: close to env=prod.',
    });
  });

  test('a namespace name far from every namespace of the manifests may be outside them: not judged', () => {
    expect(findingsOf([web, api, apiFrom({ namespaceSelector: { matchLabels: { 'kubernetes.io/metadata.name': 'monitoring' } } })], RULE)).toEqual([]);
  });

  test('a label missing from every namespace is left to namespace-label-missing', () => {
    const objects = [web, api, apiFrom({ namespaceSelector: { matchLabels: { name: 'shop' } } })];
    expect(findingsOf(objects, RULE)).toEqual([]);
    expect(findingsOf(objects, 'namespace-label-missing')).toHaveLength(1);
  });

  test('declared namespaces selected by name whose labels contradict the selector', () => {
    const objects = [web, api, namespace('tools', { team: 'platform' })];
    const [finding] = findingsOf([...objects, apiFrom({ namespaceSelector: { matchLabels: { 'kubernetes.io/metadata.name': 'tools', 'team': 'ops' } } })], RULE);
    expect(finding.message).toBe('spec.ingress[0].from[0].namespaceSelector (kubernetes.io/metadata.name=tools, team=ops) matches no namespace in the manifests, '
      + 'so the peer (all pods in namespaces kubernetes.io/metadata.name=tools, team=ops) allows nothing: Namespace tools carries team=platform.');
  });
});

describe('selector-matches-nothing: Cilium policies', () => {
  const pods = [deployment('shop', 'web', { app: 'web' }), deployment('shop', 'client', { app: 'client' })];

  test('Noncompliance: an endpointSelector and a peer with a typo', () => {
    const findings = findingsOf([...pods, cnp('shop', 'web', {
      endpointSelector: { matchLabels: { app: 'wbe' } },
      ingress: [{ fromEndpoints: [{ matchLabels: { app: 'clinet' } }] }],
    })], 'selector-matches-nothing');
    expect(findings.map((f) => [f.object, f.field])).toEqual([
      ['CiliumNetworkPolicy shop/web', 'spec.endpointSelector'],
      ['CiliumNetworkPolicy shop/web', 'spec.ingress[0].fromEndpoints[0]'],
    ]);
    expect(findings[0].message).toBe('spec.endpointSelector (app=wbe) matches none of the 2 workloads in namespace shop, so the policy applies to no pod; pods there carry app=web.');
    expect(findings[1].fix).toMatch(/^Did you mean app=client\? /);
  });

  test('Compliance: selectors of pods that are there; peers in other namespaces are not judged', () => {
    const fine = cnp('shop', 'web', {
      endpointSelector: { matchLabels: { app: 'web' } },
      ingress: [{ fromEndpoints: [{ matchLabels: { app: 'client' } }, { matchLabels: { 'k8s:io.kubernetes.pod.namespace': 'ops', 'app': 'clinet' } }] }],
    });
    expect(findingsOf([...pods, fine], 'selector-matches-nothing')).toEqual([]);
  });
});

import { allowDns, ccnp, ciliumDnsRule, cnp, defaultDeny, deployment, findingsOf, kubeDns, lint, policy } from '../lint-fixtures';

const RULE = 'dns-egress-blocked';
const web = () => deployment('shop', 'web', { app: 'web' });

describe(RULE, () => {
  test('Compliance: default-deny with DNS allowed on UDP and TCP 53', () => {
    expect(findingsOf([web(), defaultDeny('shop'), allowDns('shop')], RULE)).toEqual([]);
  });

  test('Noncompliance: default-deny without a DNS allow, one finding per pod naming both protocols', () => {
    const findings = findingsOf([web(), defaultDeny('shop')], RULE);
    expect(findings.map((f) => [f.object, f.field, f.severity])).toEqual([['Deployment shop/web', undefined, 'error']]);
    expect(findings[0].message).toBe(
      'Deployment shop/web cannot reach cluster DNS (kube-system pods k8s-app=kube-dns, not in the manifests) on UDP 53 or TCP 53, '
      + 'so its name lookups fail. '
      + 'Egress from shop/web is denied: it is isolated by shop/default-deny and no rule matches (shop/default-deny has no egress rules (it denies)).',
    );
    expect(findings[0].fix).toBe(
      'Allow egress from shop/web to kube-system pods k8s-app=kube-dns on UDP 53 and TCP 53 (AllowDns allows UDP and TCP 53 for a whole namespace).',
    );
  });

  test('DNS allowed on UDP only: exactly one finding, for TCP', () => {
    const findings = findingsOf([web(), defaultDeny('shop'), allowDns('shop', ['UDP'])], RULE);
    expect(findings).toHaveLength(1);
    expect(findings[0].message).toBe(
      'Deployment shop/web cannot reach cluster DNS (kube-system pods k8s-app=kube-dns, not in the manifests) on TCP 53 (UDP 53 works), '
      + 'so lookups whose answers do not fit in a UDP packet (large records, DNSSEC) fail intermittently. '
      + 'Egress from shop/web is denied: it is isolated by shop/default-deny, shop/allow-dns and no rule matches '
      + '(shop/default-deny has no egress rules (it denies); shop/allow-dns: spec.egress[0] port UDP 53 does not match TCP 53).',
    );
  });

  test('a namespaceSelector on a label nobody sets (name: kube-system) matches no namespace: both protocols fail', () => {
    const dns = policy('shop', 'allow-dns', {
      podSelector: {},
      policyTypes: ['Egress'],
      egress: [{
        to: [{ namespaceSelector: { matchLabels: { name: 'kube-system' } }, podSelector: { matchLabels: { 'k8s-app': 'kube-dns' } } }],
        ports: [{ protocol: 'UDP', port: 53 }, { protocol: 'TCP', port: 53 }],
      }],
    });
    const findings = findingsOf([web(), dns], RULE);
    expect(findings.map((f) => f.message.match(/on (UDP 53 or TCP 53|\w+ 53)/)![1])).toEqual(['UDP 53 or TCP 53']);
    expect(findings[0].message).toContain('peer pods k8s-app=kube-dns in namespaces name=kube-system does not match kube-system/kube-dns');
  });

  test('a pod not isolated for egress is not flagged', () => {
    const ingressOnly = policy('shop', 'deny-in', { podSelector: {}, policyTypes: ['Ingress'] });
    expect(findingsOf([web(), ingressOnly], RULE)).toEqual([]);
  });

  test('an egress policy selecting other pods only leaves this one alone (and is judged for the pods it selects)', () => {
    const other = policy('shop', 'lock-db', { podSelector: { matchLabels: { app: 'db' } }, policyTypes: ['Egress'] });
    expect(findingsOf([web(), other], RULE).map((f) => f.object)).toEqual(['NetworkPolicy shop/lock-db']);
  });

  describe('kube-dns in the manifests', () => {
    test('Compliance: egress allowed and kube-system not isolated', () => {
      expect(findingsOf([web(), kubeDns(), defaultDeny('shop'), allowDns('shop')], RULE)).toEqual([]);
    });

    test('Noncompliance: the DNS pods\' ingress denies the lookups although egress allows them', () => {
      const findings = findingsOf([web(), kubeDns(), defaultDeny('shop'), allowDns('shop'), defaultDeny('kube-system')], RULE);
      // The DNS pods themselves are isolated for egress but not flagged: they are DNS.
      expect(findings.map((f) => f.object)).toEqual(['Deployment shop/web']);
      expect(findings[0].message).toBe(
        'Deployment shop/web cannot reach cluster DNS (kube-system/coredns) on UDP 53 or TCP 53, so its name lookups fail. '
        + 'Ingress to kube-system/coredns is denied: it is isolated by kube-system/default-deny and no rule matches (kube-system/default-deny has no ingress rules (it denies)).',
      );
      expect(findings[0].fix).toBe('Allow ingress to kube-system/coredns from shop/web on UDP 53 and TCP 53: cluster DNS must accept lookups from every pod.');
    });

    test('the DNS pods accepting lookups from every namespace fix it', () => {
      const acceptDns = policy('kube-system', 'accept-dns', {
        podSelector: { matchLabels: { 'k8s-app': 'kube-dns' } },
        policyTypes: ['Ingress'],
        ingress: [{ from: [{ namespaceSelector: {} }], ports: [{ protocol: 'UDP', port: 53 }, { protocol: 'TCP', port: 53 }] }],
      });
      const objects = [web(), kubeDns(), defaultDeny('shop'), allowDns('shop'), defaultDeny('kube-system'), acceptDns];
      expect(findingsOf(objects, RULE)).toEqual([]);
    });

    test('a named-port egress allow resolves against the real DNS pods\' ports', () => {
      const named = policy('shop', 'allow-dns', {
        podSelector: {},
        policyTypes: ['Egress'],
        egress: [{ to: [{ namespaceSelector: {}, podSelector: { matchLabels: { 'k8s-app': 'kube-dns' } } }], ports: [{ protocol: 'UDP', port: 'dns' }] }],
      });
      const findings = findingsOf([web(), kubeDns(), named], RULE);
      expect(findings.map((f) => f.message.match(/on (\w+ 53) \((\w+ 53 \w+)\)/)!.slice(1))).toEqual([['TCP 53', 'UDP 53 works']]);
    });
  });

  test('an acknowledgement on the workload moves the finding to report.acknowledged with its reason', () => {
    const acknowledged = deployment('shop', 'web', { app: 'web' }, {
      annotations: { 'acknowledge.cdk8s-netpol.io/dns-egress-blocked': 'uses IP addresses only, never resolves names' },
    });
    const report = lint([acknowledged, defaultDeny('shop')]);
    expect(report.findings.filter((f) => f.ruleId === RULE)).toEqual([]);
    const moved = report.acknowledged.filter((f) => f.ruleId === RULE);
    expect(moved.map((f) => [f.object, f.acknowledgedBecause])).toEqual([
      ['Deployment shop/web', 'uses IP addresses only, never resolves names'],
    ]);
  });

  describe('policies without their pods in the manifests (the workloads come from Helm or another repository)', () => {
    test('Noncompliance: a default-deny that forgets DNS, and no pod at all (the seeds\' incident 1): one finding on the policy', () => {
      const findings = findingsOf([defaultDeny('shop')], RULE);
      expect(findings.map((f) => [f.object, f.field, f.severity])).toEqual([['NetworkPolicy shop/default-deny', 'spec.podSelector', 'error']]);
      expect(findings[0].message).toBe(
        'NetworkPolicy shop/default-deny isolates every pod of namespace shop for egress (no such pod is in the manifests: judged for the pods it selects), '
        + 'and they cannot reach cluster DNS (kube-system pods k8s-app=kube-dns, not in the manifests) on UDP 53 or TCP 53, so their name lookups fail. '
        + 'Egress from every pod of namespace shop is denied: it is isolated by shop/default-deny and no rule matches '
        + '(shop/default-deny has no egress rules (it denies)).',
      );
      expect(findings[0].fix).toBe('Allow egress from every pod of namespace shop to kube-system pods k8s-app=kube-dns on UDP 53 and TCP 53 '
        + '(AllowDns allows UDP and TCP 53 for a whole namespace).');
    });

    test('Compliance: a default-deny with DNS allowed, and no pod at all', () => {
      expect(findingsOf([defaultDeny('shop'), allowDns('shop')], RULE)).toEqual([]);
    });

    test('DNS allowed on UDP only: one finding for TCP, naming the policies that isolate', () => {
      const findings = findingsOf([defaultDeny('shop'), allowDns('shop', ['UDP'])], RULE);
      expect(findings.map((f) => f.object)).toEqual(['NetworkPolicy shop/allow-dns']);
      expect(findings[0].message).toMatch(/^NetworkPolicies shop\/allow-dns, shop\/default-deny isolate every pod of namespace shop for egress .* on TCP 53 \(UDP 53 works\), so lookups whose answers/);
    });

    test('DNS allowed for some pods only: the other pods the default-deny selects are flagged, those pods are not', () => {
      const dnsForWeb = policy('shop', 'web-dns', {
        podSelector: { matchLabels: { app: 'web' } },
        policyTypes: ['Egress'],
        egress: [{ to: [{ namespaceSelector: {}, podSelector: { matchLabels: { 'k8s-app': 'kube-dns' } } }], ports: [{ protocol: 'UDP', port: 53 }, { protocol: 'TCP', port: 53 }] }],
      });
      const findings = findingsOf([defaultDeny('shop'), dnsForWeb], RULE);
      expect(findings.map((f) => f.message.slice(0, f.message.indexOf(' for egress')))).toEqual(['NetworkPolicy shop/default-deny isolates every pod of namespace shop']);
    });

    test('an acknowledgement on the policy moves the finding', () => {
      const deny = policy('shop', 'default-deny', { podSelector: {}, policyTypes: ['Ingress', 'Egress'] }, {
        'acknowledge.cdk8s-netpol.io/dns-egress-blocked': 'batch jobs that never resolve names',
      });
      const report = lint([deny]);
      expect(report.findings.filter((f) => f.ruleId === RULE)).toEqual([]);
      expect(report.acknowledged.filter((f) => f.ruleId === RULE).map((f) => f.object)).toEqual(['NetworkPolicy shop/default-deny']);
    });

    test('a policy selecting cluster DNS itself in kube-system is not judged as a client of DNS', () => {
      const lockDns = policy('kube-system', 'lock-dns', { podSelector: { matchLabels: { 'k8s-app': 'kube-dns' } }, policyTypes: ['Egress'] });
      expect(findingsOf([lockDns], RULE)).toEqual([]);
    });
  });
});

describe(`${RULE}: Cilium policies`, () => {
  test('Noncompliance: a CiliumNetworkPolicy with egress rules and no DNS allow isolates and breaks lookups, like a NetworkPolicy', () => {
    const findings = findingsOf([web(), cnp('shop', 'web-out', { endpointSelector: {}, egress: [{ toEntities: ['world'], toPorts: [{ ports: [{ port: '443', protocol: 'TCP' }] }] }] })], RULE);
    expect(findings.map((f) => [f.object, f.severity])).toEqual([['Deployment shop/web', 'error']]);
    expect(findings[0].message).toContain('Deployment shop/web cannot reach cluster DNS (kube-system pods k8s-app=kube-dns, not in the manifests) on UDP 53 or TCP 53');
    expect(findings[0].message).toContain('CiliumNetworkPolicy shop/web-out');
  });

  test('Compliance: the Cilium DNS rule (through the DNS proxy) allows the lookups', () => {
    expect(findingsOf([web(), cnp('shop', 'web-out', { endpointSelector: {}, egress: [ciliumDnsRule([{ matchPattern: '*' }])] })], RULE)).toEqual([]);
  });

  test('an egressDeny-only policy isolates too; enableDefaultDeny egress false does not', () => {
    const deny = { endpointSelector: {}, egressDeny: [{ toCIDR: ['169.254.169.254/32'] }] };
    expect(findingsOf([web(), cnp('shop', 'no-metadata', deny)], RULE).map((f) => f.object)).toEqual(['Deployment shop/web']);
    expect(findingsOf([web(), cnp('shop', 'no-metadata', { ...deny, enableDefaultDeny: { egress: false } })], RULE)).toEqual([]);
  });

  test('pods a CiliumNetworkPolicy or a cluster-wide one selects and the manifests do not hold are judged', () => {
    const findings = findingsOf([cnp('shop', 'lock-db', { endpointSelector: { matchLabels: { app: 'db' } }, egress: [{}] })], RULE);
    expect(findings.map((f) => [f.object, f.field])).toEqual([['CiliumNetworkPolicy shop/lock-db', 'spec.endpointSelector']]);
    expect(findings[0].message).toMatch(/^CiliumNetworkPolicy shop\/lock-db isolates pods app=db in namespace shop for egress \(no such pod is in the manifests/);
    const clusterWide = ccnp('lock', { endpointSelector: { matchLabels: { 'k8s:io.kubernetes.pod.namespace': 'billing' } }, egress: [{}] });
    expect(findingsOf([clusterWide], RULE).map((f) => f.object)).toEqual(['CiliumClusterwideNetworkPolicy lock']);
  });
});

import { adminPolicy, clusterPolicy, defaultDeny, deployment, findingsOf, kubeDns, namespaceNamed, policy } from '../lint-fixtures';

const RULE = 'admin-accept-overrides-default-deny';
const WEB = deployment('shop', 'web', { app: 'web' });
const PROM = deployment('ops', 'prom', { app: 'prom' });
const DNS_PEER = { pods: { namespaceSelector: { matchLabels: { 'kubernetes.io/metadata.name': 'kube-system' } }, podSelector: { matchLabels: { 'k8s-app': 'kube-dns' } } } };
const DNS_PORTS = [{ udp: { destinationPort: { number: 53 } } }, { tcp: { destinationPort: { number: 53 } } }];
const alwaysDns = (extra: any[] = []) => clusterPolicy('always-dns', 'Admin', 5, {
  subject: { namespaces: {} },
  egress: [...extra, { name: 'dns', action: 'Accept', to: [DNS_PEER], protocols: DNS_PORTS }],
});
const allowTcpDns = policy('shop', 'allow-tcp-dns', {
  podSelector: {},
  policyTypes: ['Egress'],
  egress: [{ to: [{ namespaceSelector: { matchLabels: { 'kubernetes.io/metadata.name': 'kube-system' } }, podSelector: { matchLabels: { 'k8s-app': 'kube-dns' } } }], ports: [{ protocol: 'TCP', port: 53 }] }],
});

describe(RULE, () => {
  test('Compliance: the namespace allows what the Admin tier accepts; a pod no policy isolates has no default deny to override', () => {
    const allowDns = policy('shop', 'allow-dns', { ...allowTcpDns.spec, egress: [{ ...allowTcpDns.spec.egress[0], ports: [{ protocol: 'UDP', port: 53 }, { protocol: 'TCP', port: 53 }] }] });
    expect(findingsOf([WEB, kubeDns(), defaultDeny('shop'), allowDns, alwaysDns()], RULE)).toEqual([]);
    expect(findingsOf([WEB, kubeDns(), alwaysDns()], RULE)).toEqual([]);
  });

  test('Noncompliance: an Admin Accept of what the namespace\'s default deny leaves denied, with the exact connections', () => {
    const findings = findingsOf([WEB, kubeDns(), defaultDeny('shop'), allowTcpDns, alwaysDns()], RULE);
    expect(findings.map((f) => [f.object, f.field, f.severity])).toEqual([['ClusterNetworkPolicy always-dns', 'spec.egress[0]', 'warning']]);
    expect(findings[0].message).toBe('ClusterNetworkPolicy always-dns spec.egress[0] ("dns") accepts egress that the namespaces\' policies deny, and an Admin Accept is final: '
      + 'NetworkPolicy shop/allow-tcp-dns, NetworkPolicy shop/default-deny isolate shop/web for egress, yet it accepts e.g. egress from shop/web to kube-system/coredns on UDP 53.');
  });

  test('what an earlier rule of the Admin tier decides is not the Accept\'s: a Deny before it leaves nothing to override', () => {
    const denyDns = { action: 'Deny', to: [DNS_PEER], protocols: [{ udp: { destinationPort: { number: 53 } } }] };
    expect(findingsOf([WEB, kubeDns(), defaultDeny('shop'), allowTcpDns, alwaysDns([denyDns])], RULE)).toEqual([]);
    const earlierPolicy = adminPolicy('no-dns', 1, { subject: { namespaces: {} }, egress: [{ action: 'Deny', to: [DNS_PEER], ports: [{ portNumber: { protocol: 'UDP', port: 53 } }] }] });
    expect(findingsOf([WEB, kubeDns(), defaultDeny('shop'), allowTcpDns, alwaysDns(), earlierPolicy], RULE)).toEqual([]);
  });

  test('ingress, and the other ends that are not pods: address ranges cut by the CIDRs, nodes', () => {
    const scrape = clusterPolicy('scrape', 'Admin', 10, { subject: namespaceNamed('shop'), ingress: [{ action: 'Accept', from: [namespaceNamed('ops')] }] });
    const ingress = findingsOf([WEB, PROM, defaultDeny('shop'), scrape], RULE);
    expect(ingress.map((f) => f.message)).toEqual(['ClusterNetworkPolicy scrape spec.ingress[0] accepts ingress that the namespaces\' policies deny, and an Admin Accept is final: '
      + 'NetworkPolicy shop/default-deny isolates shop/web for ingress, yet it accepts e.g. ingress to shop/web from ops/prom on all connections.']);
    const https = policy('shop', 'https', { podSelector: {}, policyTypes: ['Egress'], egress: [{ to: [{ ipBlock: { cidr: '0.0.0.0/0', except: ['10.0.0.0/8'] } }], ports: [{ protocol: 'TCP', port: 443 }] }] });
    const out = clusterPolicy('out', 'Admin', 10, {
      subject: namespaceNamed('shop'),
      egress: [
        { action: 'Accept', to: [{ networks: ['0.0.0.0/0'] }], protocols: [{ tcp: { destinationPort: { number: 443 } } }] },
        { action: 'Accept', to: [{ nodes: {} }], protocols: [{ tcp: { destinationPort: { number: 6443 } } }] },
      ],
    });
    const egress = findingsOf([WEB, https, out], RULE);
    expect(egress.map((f) => [f.field, f.message.replace(/.* yet it accepts e\.g\. /, '')])).toEqual([
      ['spec.egress[0]', 'egress from shop/web to ip:10.0.0.0-10.255.255.255 on TCP 443.'],
      ['spec.egress[1]', 'egress from shop/web to entity:host on TCP 6443.'],
    ]);
  });

  test('without cluster DNS in the manifests: the stand-in every cluster runs', () => {
    const findings = findingsOf([WEB, defaultDeny('shop'), alwaysDns()], RULE);
    expect(findings.map((f) => f.message.replace(/.* yet it accepts e\.g\. /, ''))).toEqual(['egress from shop/web to kube-system/kube-dns on TCP 53, UDP 53.']);
  });

  test('without the pods: a stand-in for the pods the default deny selects, named by what it stands for', () => {
    const findings = findingsOf([kubeDns(), defaultDeny('shop'), alwaysDns()], RULE);
    expect(findings.map((f) => f.message)).toEqual(['ClusterNetworkPolicy always-dns spec.egress[0] ("dns") accepts egress that the namespaces\' policies deny, and an Admin Accept is final: '
      + 'NetworkPolicy shop/default-deny isolates every pod of namespace shop for egress, yet it accepts e.g. egress from every pod of namespace shop to kube-system/coredns on TCP 53, UDP 53.']);
  });
});

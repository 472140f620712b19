import { cnp, deployment, findingsOf, policy } from '../lint-fixtures';

const RULE = 'http-rule-moot';
const api = () => deployment('shop', 'api', { app: 'api' }, { ports: [{ containerPort: 8080 }] });
const fe = () => deployment('shop', 'fe', { app: 'fe' });
const API = { matchLabels: { app: 'api' } };
const FE = { matchLabels: { app: 'fe' } };
const TCP_8080 = [{ port: '8080', protocol: 'TCP' }];
const httpFromFe = { fromEndpoints: [FE], toPorts: [{ ports: TCP_8080, rules: { http: [{ method: 'GET', path: '/public/.*' }] } }] };

describe(RULE, () => {
  test('Compliance: only L7-bearing rules allow fe on 8080; another peer on 8080 without L7 leaves fe limited', () => {
    const other = { fromEndpoints: [{ matchLabels: { app: 'ops' } }], toPorts: [{ ports: TCP_8080 }] };
    expect(findingsOf([api(), fe(), cnp('shop', 'api', { endpointSelector: API, ingress: [httpFromFe, other] })], RULE)).toEqual([]);
  });

  test('Noncompliance: an L3-only rule of the same policy allows fe on every port', () => {
    const findings = findingsOf([api(), fe(), cnp('shop', 'api', { endpointSelector: API, ingress: [httpFromFe, { fromEndpoints: [FE] }] })], RULE);
    expect(findings.map((f) => [f.object, f.field, f.severity])).toEqual([['CiliumNetworkPolicy shop/api', 'spec.ingress[0].toPorts[0].rules.http', 'warning']]);
    expect(findings[0].message).toBe('spec.ingress[0].toPorts[0] limits the HTTP requests on TCP 8080 from endpoints: pods app=fe in namespace shop, '
      + 'but spec.ingress[1] allows ingress from endpoints: pods app=fe in namespace shop on every port without L7 rules for the same pods (shop/api): '
      + 'Cilium then lets every request through, so these HTTP rules restrict nothing for those peers.');
  });

  test('a wider peer on the same port in another policy (fromEntities: [all], a NetworkPolicy with no from) voids it too', () => {
    const all = cnp('shop', 'public', { endpointSelector: {}, ingress: [{ fromEntities: ['all'], toPorts: [{ ports: [{ port: '8000', endPort: 9000, protocol: 'TCP' }] }] }] });
    const findings = findingsOf([api(), fe(), cnp('shop', 'api', { endpointSelector: API, ingress: [httpFromFe] }), all], RULE);
    expect(findings.map((f) => f.message)).toEqual([expect.stringContaining('but CiliumNetworkPolicy shop/public spec.ingress[0] allows ingress from entity all')]);
    const v1 = policy('shop', 'open', { podSelector: {}, policyTypes: ['Ingress'], ingress: [{ ports: [{ port: 8080 }] }] });
    expect(findingsOf([api(), fe(), cnp('shop', 'api', { endpointSelector: API, ingress: [httpFromFe] }), v1], RULE).map((f) => f.message))
      .toEqual([expect.stringContaining('but NetworkPolicy shop/open spec.ingress[0] allows ingress from every peer on TCP 8080 without L7 rules')]);
  });

  test('near misses: another port, another protocol, pods the policy does not select', () => {
    const otherPort = cnp('shop', 'other', { endpointSelector: API, ingress: [{ fromEndpoints: [FE], toPorts: [{ ports: [{ port: '9090', protocol: 'TCP' }] }] }] });
    const otherPods = cnp('shop', 'other', { endpointSelector: FE, ingress: [{ fromEndpoints: [FE], toPorts: [{ ports: TCP_8080 }] }] });
    const udp = cnp('shop', 'other', { endpointSelector: API, ingress: [{ fromEndpoints: [FE], toPorts: [{ ports: [{ port: '8080', protocol: 'UDP' }] }] }] });
    for (const other of [otherPort, otherPods, udp]) {
      expect(findingsOf([api(), fe(), cnp('shop', 'api', { endpointSelector: API, ingress: [httpFromFe] }), other], RULE)).toEqual([]);
    }
  });

  test('DNS rules are not judged (an L4 DNS allow beside them is the usual setup)', () => {
    const dns = { toEndpoints: [{ matchLabels: { 'k8s:io.kubernetes.pod.namespace': 'kube-system', 'k8s-app': 'kube-dns' } }] };
    const withL7 = { ...dns, toPorts: [{ ports: [{ port: '53', protocol: 'ANY' }], rules: { dns: [{ matchPattern: '*' }] } }] };
    const withoutL7 = { ...dns, toPorts: [{ ports: [{ port: '53', protocol: 'ANY' }] }] };
    expect(findingsOf([api(), cnp('shop', 'dns', { endpointSelector: {}, egress: [withL7, withoutL7] })], RULE)).toEqual([]);
  });
});

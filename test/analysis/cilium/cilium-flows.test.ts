import { Analyzer } from '../../../src/analysis/analyzer';
import { dnsNameRegExp, dnsPatternRegExp } from '../../../src/analysis/dns-pattern';
import { formatExpectationsFile, parseExpectations } from '../../../src/analysis/expectations-file';
import { IcmpVersion } from '../../../src/analysis/flow';
import { Protocol } from '../../../src/protocol';

// Entities, DNS names, ICMP and HTTP requests in flows, judged as Cilium does
// (notes/cilium-semantics.md: R6.7, R7, R9, R10.4).

function pod(namespace: string, name: string, labels: Record<string, string>): any {
  return { apiVersion: 'v1', kind: 'Pod', metadata: { name, namespace, labels }, spec: { containers: [{ name: 'c', image: 'c' }] } };
}
const PODS = [pod('shop', 'api', { app: 'api' }), pod('shop', 'fe', { app: 'fe' }), pod('ops', 'prom', { app: 'prom' })];
function cnp(name: string, spec: any, namespace = 'shop'): any {
  return { apiVersion: 'cilium.io/v2', kind: 'CiliumNetworkPolicy', metadata: { name, namespace }, spec };
}
function netpol(name: string, spec: any, namespace = 'shop'): any {
  return { apiVersion: 'networking.k8s.io/v1', kind: 'NetworkPolicy', metadata: { name, namespace }, spec };
}
function analyze(...policies: any[]): Analyzer {
  return Analyzer.fromManifests([...structuredClone(PODS), ...policies]);
}
const API = { matchLabels: { app: 'api' } };
const FE = { matchLabels: { app: 'fe' } };
const tcp = (port: string) => ({ ports: [{ port, protocol: 'TCP' }] });
const KUBE_DNS = { matchLabels: { 'k8s:io.kubernetes.pod.namespace': 'kube-system', 'k8s-app': 'kube-dns' } };
/** Egress to cluster DNS on 53 with a DNS rule for each pattern. */
const dnsRule = (...patterns: Array<{ matchName?: string; matchPattern?: string }>) =>
  ({ toEndpoints: [KUBE_DNS], toPorts: [{ ports: [{ port: '53', protocol: 'ANY' }], rules: { dns: patterns } }] });

describe('entities as flow endpoints', () => {
  test('toEntities: kube-apiserver matches entity:kube-apiserver only; cluster takes in every entity; world none', () => {
    const a = analyze(
      cnp('apiserver', { endpointSelector: API, egress: [{ toEntities: ['kube-apiserver'], toPorts: [tcp('443')] }] }),
      cnp('cluster', { endpointSelector: FE, egress: [{ toEntities: ['cluster'] }] }),
      cnp('world', { endpointSelector: { matchLabels: { app: 'prom' } }, egress: [{ toEntities: ['world'] }] }, 'ops'),
    );
    expect(a.isAllowed({ from: 'shop/api', to: 'entity:kube-apiserver', port: 443 })).toBe(true);
    expect(a.isAllowed({ from: 'shop/api', to: 'entity:kube-apiserver', port: 6443 })).toBe(false);
    expect(a.isAllowed({ from: 'shop/api', to: 'entity:host', port: 443 })).toBe(false);
    expect(a.isAllowed({ from: 'shop/api', to: 'entity:remote-node', port: 443 })).toBe(false);
    for (const entity of ['kube-apiserver', 'host', 'remote-node']) {
      expect(a.isAllowed({ from: 'shop/fe', to: `entity:${entity}`, port: 10250 })).toBe(true);
      expect(a.isAllowed({ from: 'ops/prom', to: `entity:${entity}`, port: 10250 })).toBe(false);
    }
    const explanation = a.explain({ from: 'shop/api', to: 'entity:kube-apiserver', port: 443 });
    expect(explanation.egress.allowedBy).toEqual({ policy: 'CiliumNetworkPolicy shop/apiserver', rule: 'spec.egress[0]', peer: 'entity kube-apiserver (entity:kube-apiserver)', port: 'TCP 443' });
    expect(explanation.ingress.reason).toBe('Ingress to entity:kube-apiserver is not restricted: entity:kube-apiserver is not a pod: policies that apply to nodes (Cilium host policies) are not evaluated.');
    expect(a.connections('shop/api', 'entity:kube-apiserver').toString()).toBe('TCP 443');
    expect(a.connections('shop/fe', 'entity:remote-node').toString()).toBe('all connections');
  });

  test('endpoint selectors: a reserved: key selects the entity; a selector Cilium scopes to pods never does', () => {
    const a = analyze(
      cnp('reserved', { endpointSelector: API, egress: [{ toEndpoints: [{ matchLabels: { 'reserved:kube-apiserver': '' } }] }] }),
      cnp('pods', { endpointSelector: FE, egress: [{ toEndpoints: [{}] }, { toEndpoints: [{ matchExpressions: [{ key: 'io.kubernetes.pod.namespace', operator: 'Exists' }] }] }] }),
    );
    expect(a.isAllowed({ from: 'shop/api', to: 'entity:kube-apiserver', port: 443 })).toBe(true);
    expect(a.isAllowed({ from: 'shop/api', to: 'entity:host', port: 443 })).toBe(false);
    expect(a.isAllowed({ from: 'shop/fe', to: 'entity:kube-apiserver', port: 443 })).toBe(false);
    expect(a.isAllowed({ from: 'shop/fe', to: 'ops/prom', port: 443 })).toBe(true);
  });

  test('ingress from the pod\'s own node (entity:host) is always allowed, even past a deny; remote nodes are judged', () => {
    const a = analyze(
      cnp('lock', { endpointSelector: API, ingress: [{}], ingressDeny: [{ fromEntities: ['all'] }] }),
      netpol('v1-lock', { podSelector: {}, policyTypes: ['Ingress'] }),
    );
    const host = a.explain({ from: 'entity:host', to: 'shop/api', port: 8080 });
    expect(host.allowed).toBe(true);
    expect(host.ingress.reason).toContain('from its own node (entity:host) is always allowed: Kubernetes NetworkPolicy cannot block a pod\'s resident node');
    expect(host.ingress.reason).toContain('--allow-localhost=policy');
    expect(a.connections('entity:host', 'shop/fe').toString()).toBe('all connections');
    expect(a.isAllowed({ from: 'entity:remote-node', to: 'shop/api', port: 8080 })).toBe(false);
    expect(a.isAllowed({ from: 'entity:remote-node', to: 'shop/fe', port: 8080 })).toBe(false);
  });

  test('v1: no peer but an empty one matches a node or the API server (ipBlock does not), and the explanation says it depends on the CNI', () => {
    const a = analyze(
      netpol('to-world', { podSelector: { matchLabels: { app: 'api' } }, policyTypes: ['Egress'], egress: [{ to: [{ ipBlock: { cidr: '0.0.0.0/0' } }] }] }),
      netpol('to-anyone', { podSelector: { matchLabels: { app: 'fe' } }, policyTypes: ['Egress'], egress: [{ ports: [{ port: 443 }] }] }),
    );
    const denied = a.explain({ from: 'shop/api', to: 'entity:kube-apiserver', port: 443 });
    expect(denied.allowed).toBe(false);
    expect(denied.egress.reason).toContain('Whether NetworkPolicy (v1) rules match entity:kube-apiserver depends on the CNI');
    expect(a.isAllowed({ from: 'shop/api', to: 'ip:203.0.113.9', port: 443 })).toBe(true);
    const allowed = a.explain({ from: 'shop/fe', to: 'entity:kube-apiserver', port: 443 });
    expect(allowed.allowed).toBe(true);
    expect(allowed.egress.reason).toContain('depends on the CNI');
    expect(a.isAllowed({ from: 'shop/fe', to: 'entity:kube-apiserver', port: 80 })).toBe(false);
  });

  test('bad input: an unknown entity, and a flow with no pod at either end', () => {
    const a = analyze();
    expect(() => a.isAllowed({ from: 'shop/api', to: 'entity:world', port: 443 })).toThrow('"entity:world" is not an endpoint: unknown entity "world": a flow may start or end at entity:kube-apiserver, entity:host, entity:remote-node.');
    expect(() => a.isAllowed({ from: 'entity:host', to: 'ip:1.1.1.1', port: 443 })).toThrow('has no pod at either end');
    expect(() => a.isAllowed({ from: 'entity:host', to: 'entity:remote-node', port: 443 })).toThrow('has no pod at either end');
  });
});

describe('DNS names: toFQDNs matches an address looked up by a name it matches, through Cilium\'s DNS proxy', () => {
  const STRIPE = { toFQDNs: [{ matchName: 'api.stripe.com' }], toPorts: [tcp('443')] };

  test('the name matches and a DNS rule covers it: allowed; without host, or another name: denied', () => {
    const a = analyze(cnp('stripe', { endpointSelector: API, egress: [dnsRule({ matchPattern: '*.stripe.com' }), STRIPE] }));
    const explanation = a.explain({ from: 'shop/api', to: 'ip:203.0.113.7', host: 'API.Stripe.com.', port: 443 });
    expect(explanation.allowed).toBe(true);
    expect(explanation.host).toBe('API.Stripe.com.');
    expect(explanation.egress.allowedBy).toMatchObject({ rule: 'spec.egress[1]', peer: 'DNS name api.stripe.com' });
    expect(explanation.reason).toContain('shop/api -> ip:203.0.113.7 (API.Stripe.com.) on TCP 443');
    expect(a.isAllowed({ from: 'shop/api', to: 'ip:203.0.113.7', port: 443 })).toBe(false);
    expect(a.isAllowed({ from: 'shop/api', to: 'ip:203.0.113.7', host: 'api.stripe.com', port: 80 })).toBe(false);
    expect(a.isAllowed({ from: 'shop/api', to: 'ip:203.0.113.7', host: 'files.stripe.com', port: 443 })).toBe(false);
    // The connection sets are by address: a name never adds to them.
    expect(a.connections('shop/api', 'ip:203.0.113.7').toString()).toBe('nothing');
  });

  test('no DNS rule on the way to cluster DNS: the proxy never sees the lookup, so the name is denied, and the explanation says why', () => {
    const a = analyze(cnp('stripe', {
      endpointSelector: API,
      egress: [{ toEndpoints: [KUBE_DNS], toPorts: [{ ports: [{ port: '53', protocol: 'UDP' }] }] }, STRIPE],
    }));
    const explanation = a.explain({ from: 'shop/api', to: 'ip:203.0.113.7', host: 'api.stripe.com', port: 443 });
    expect(explanation.allowed).toBe(false);
    expect(explanation.egress.reason).toContain('DNS-name peers (toFQDNs) cannot match api.stripe.com: no DNS rule (rules.dns) is on shop/api\'s egress to cluster DNS on port 53');
  });

  test('a DNS rule that does not cover the name: the proxy refuses the lookup', () => {
    const a = analyze(cnp('stripe', { endpointSelector: API, egress: [dnsRule({ matchName: 'files.stripe.com' }), STRIPE] }));
    const explanation = a.explain({ from: 'shop/api', to: 'ip:203.0.113.7', host: 'api.stripe.com', port: 443 });
    expect(explanation.allowed).toBe(false);
    expect(explanation.egress.reason).toContain('do not allow looking up api.stripe.com: Cilium\'s DNS proxy refuses the query');
  });

  test('the source cannot reach DNS at all', () => {
    const a = analyze(cnp('stripe', { endpointSelector: API, egress: [STRIPE] }));
    expect(a.explain({ from: 'shop/api', to: 'ip:203.0.113.7', host: 'api.stripe.com', port: 443 }).egress.reason)
      .toContain('shop/api cannot reach cluster DNS on port 53 at all');
  });

  test('an L4-only DNS allow beside the DNS rule makes its name limit moot: the proxy still sees every answer', () => {
    const a = analyze(
      cnp('stripe', { endpointSelector: API, egress: [dnsRule({ matchName: 'files.stripe.com' }), STRIPE] }),
      cnp('dns', { endpointSelector: {}, egress: [{ toEndpoints: [KUBE_DNS], toPorts: [{ ports: [{ port: '53', protocol: 'UDP' }] }] }] }),
    );
    expect(a.isAllowed({ from: 'shop/api', to: 'ip:203.0.113.7', host: 'api.stripe.com', port: 443 })).toBe(true);
  });

  test('a real kube-dns in the manifests is the DNS server: its own ingress policy counts', () => {
    const kubeDns = pod('kube-system', 'coredns', { 'k8s-app': 'kube-dns' });
    const a = Analyzer.fromManifests([...structuredClone(PODS), kubeDns,
      cnp('stripe', { endpointSelector: API, egress: [dnsRule({ matchPattern: '*' }), STRIPE] }),
      cnp('dns-lock', { endpointSelector: { matchLabels: { 'k8s-app': 'kube-dns' } }, ingress: [{}] }, 'kube-system')]);
    expect(a.explain({ from: 'shop/api', to: 'ip:203.0.113.7', host: 'api.stripe.com', port: 443 }).egress.reason).toContain('cannot reach cluster DNS');
  });

  test('patterns, as Cilium\'s code reads them: * stays within one label, a leading **. spans labels, a leading * without a dot does not', () => {
    const matches = (pattern: string, name: string) => dnsPatternRegExp(pattern).test(`${name}.`);
    expect(matches('*.stripe.com', 'api.stripe.com')).toBe(true);
    expect(matches('*.stripe.com', 'a.b.stripe.com')).toBe(false);
    expect(matches('*.stripe.com', 'stripe.com')).toBe(false);
    expect(matches('**.stripe.com', 'a.b.stripe.com')).toBe(true);
    expect(matches('**.stripe.com', 'stripe.com')).toBe(false);
    expect(matches('*stripe.com', 'stripe.com')).toBe(true);
    expect(matches('*stripe.com', 'mystripe.com')).toBe(true);
    expect(matches('*stripe.com', 'www.stripe.com')).toBe(false);
    expect(matches('sub*.x.io', 'subzone.x.io')).toBe(true);
    expect(matches('*', 'any.thing.at.all')).toBe(true);
    expect(matches('*.STRIPE.com.', 'api.stripe.com')).toBe(true);
    expect(dnsNameRegExp('API.stripe.com').test('api.stripe.com.')).toBe(true);
    expect(dnsNameRegExp('api.stripe.com').test('apixstripe.com.')).toBe(false);
  });

  test('a pattern peer in a flow', () => {
    const a = analyze(cnp('stripe', { endpointSelector: API, egress: [dnsRule({ matchPattern: '**.stripe.com' }), { toFQDNs: [{ matchPattern: '*.stripe.com' }] }] }));
    expect(a.isAllowed({ from: 'shop/api', to: 'ip:203.0.113.7', host: 'api.stripe.com', port: 443 })).toBe(true);
    expect(a.isAllowed({ from: 'shop/api', to: 'ip:203.0.113.7', host: 'a.b.stripe.com', port: 443 })).toBe(false);
  });

  test('bad input: host without an address, or not a DNS name', () => {
    const a = analyze();
    expect(() => a.isAllowed({ from: 'shop/api', to: 'shop/fe', host: 'api.stripe.com', port: 443 })).toThrow('Invalid host "api.stripe.com" in the flow shop/api -> shop/fe: the DNS name the source looked up needs "to" to be an address');
    expect(() => a.isAllowed({ from: 'shop/api', to: 'ip:1.1.1.1', host: 'bad name', port: 443 })).toThrow('Invalid host "bad name" in the flow shop/api -> ip:1.1.1.1: a DNS name has at most 253 characters');
  });
});

describe('ICMP', () => {
  test('Cilium: an L3-only rule admits ICMP; toPorts (ANY included) never; icmps by number or name, per family', () => {
    const a = analyze(
      cnp('l3', { endpointSelector: API, ingress: [{ fromEndpoints: [FE] }, { fromEndpoints: [{ matchLabels: { app: 'x' } }], toPorts: [{ ports: [{ port: '0', protocol: 'ANY' }] }] }] }),
      cnp('icmp', { endpointSelector: FE, ingress: [{ fromEntities: ['world'], icmps: [{ fields: [{ type: 'EchoRequest' }, { family: 'IPv6', type: 'EchoRequest' }, { type: 0 }] }] }] }),
    );
    expect(a.isAllowed({ from: 'shop/fe', to: 'shop/api', icmp: {} })).toBe(true);
    expect(a.isAllowed({ from: 'shop/fe', to: 'shop/api', icmp: { version: IcmpVersion.ICMPV6, type: 135 } })).toBe(true);
    expect(a.isAllowed({ from: 'ip:198.51.100.1', to: 'shop/fe', icmp: { type: 8 } })).toBe(true);
    expect(a.isAllowed({ from: 'ip:198.51.100.1', to: 'shop/fe', icmp: { type: 0 } })).toBe(true);
    expect(a.isAllowed({ from: 'ip:198.51.100.1', to: 'shop/fe', icmp: { type: 3 } })).toBe(false);
    expect(a.isAllowed({ from: 'ip:2001:db8::1', to: 'shop/fe', icmp: { version: IcmpVersion.ICMPV6 } })).toBe(true);
    expect(a.isAllowed({ from: 'ip:2001:db8::1', to: 'shop/fe', icmp: { version: IcmpVersion.ICMPV6, type: 129 } })).toBe(false);
    const denied = a.explain({ from: 'ip:198.51.100.1', to: 'shop/fe', icmp: { type: 3 } });
    expect(denied.protocol).toBe('ICMP');
    expect(denied.icmpType).toBe(3);
    expect(denied.port).toBeUndefined();
    expect(denied.reason).toContain('on ICMP type 3');
    expect(denied.ingress.reason).toContain('it admits ICMP type 8 (EchoRequest) or ICMPv6 type 128 (EchoRequest) or ICMP type 0, not ICMP type 3');
    // ICMP is not in the connection sets: the icmps rule admits no TCP, UDP or SCTP.
    expect(a.connections('ip:198.51.100.1', 'shop/fe').toString()).toBe('nothing');
  });

  test('Cilium: a deny without ports denies ICMP; one with ports does not', () => {
    const a = analyze(
      cnp('open', { endpointSelector: API, ingress: [{ fromEntities: ['all'] }] }),
      cnp('no-fe', { endpointSelector: API, ingressDeny: [{ fromEndpoints: [FE] }, { fromEndpoints: [{ matchLabels: { app: 'prom' }, matchExpressions: [{ key: 'io.kubernetes.pod.namespace', operator: 'Exists' }] }], toPorts: [{ ports: [{ port: '0', protocol: 'ANY' }] }] }] }),
    );
    expect(a.explain({ from: 'shop/fe', to: 'shop/api', icmp: {} }).ingress.deniedBy).toMatchObject({ rule: 'spec.ingressDeny[0]', port: 'every protocol' });
    expect(a.isAllowed({ from: 'ops/prom', to: 'shop/api', icmp: {} })).toBe(true);
    expect(a.isAllowed({ from: 'ops/prom', to: 'shop/api', port: 80 })).toBe(false);
  });

  test('v1: a rule without ports admits ICMP; a rule with ports (TCP, UDP or SCTP) never does', () => {
    const a = analyze(
      netpol('no-ports', { podSelector: API, ingress: [{ from: [{ podSelector: FE }] }] }),
      netpol('ports', { podSelector: API, ingress: [{ from: [{ namespaceSelector: {} }], ports: [{ port: 9090 }] }] }),
    );
    expect(a.isAllowed({ from: 'shop/fe', to: 'shop/api', icmp: {} })).toBe(true);
    const denied = a.explain({ from: 'ops/prom', to: 'shop/api', icmp: {} });
    expect(denied.allowed).toBe(false);
    expect(denied.ingress.reason).toContain('it admits TCP 9090 (a port: no ICMP), not ICMP type 8');
  });

  test('bad input: ICMPv6 to an IPv4 address, a port with ICMP, a name of the other family in a policy', () => {
    const a = analyze();
    expect(() => a.isAllowed({ from: 'shop/api', to: 'ip:1.1.1.1', icmp: { version: IcmpVersion.ICMPV6 } })).toThrow('Invalid ICMPv6 flow in the flow shop/api -> ip:1.1.1.1: ICMPv6 is IPv6, but ip:1.1.1.1 is an IPv4 address.');
    expect(() => a.isAllowed({ from: 'shop/api', to: 'shop/fe', port: 80, icmp: {} })).toThrow('Invalid port 80 in the flow shop/api -> shop/fe: an ICMP flow has no port.');
    expect(() => a.isAllowed({ from: 'shop/api', to: 'shop/fe', icmp: { type: 256 } })).toThrow('Invalid ICMP type 256 in the flow shop/api -> shop/fe: an ICMP type is a whole number from 0 to 255');
    expect(() => analyze(cnp('bad', { endpointSelector: {}, ingress: [{ icmps: [{ fields: [{ type: 'PacketTooBig' }] }] }] })))
      .toThrow('spec.ingress[0].icmps[0].fields[0].type: "PacketTooBig": the type must be a number from 0 to 255 or an IPv4 ICMP type name');
  });
});

describe('HTTP requests: the L7 rules on the port decide', () => {
  const PUBLIC = { fromEndpoints: [FE], toPorts: [{ ...tcp('8080'), rules: { http: [{ method: 'GET', path: '/public(/.*)?' }, { method: 'POST', path: '/orders' }] } }] };

  test('a request some rule matches (method and path, whole values) passes; others get 403', () => {
    const a = analyze(cnp('l7', { endpointSelector: API, ingress: [PUBLIC] }));
    const ok = a.explain({ from: 'shop/fe', to: 'shop/api', port: 8080, http: { method: 'GET', path: '/public/a' } });
    expect(ok.allowed).toBe(true);
    expect(ok.http).toEqual({ method: 'GET', path: '/public/a' });
    expect(ok.ingress.reason).toContain('The HTTP request GET /public/a matches GET /public(/.*)? (CiliumNetworkPolicy shop/l7 spec.ingress[0])');
    expect(a.isAllowed({ from: 'shop/fe', to: 'shop/api', port: 8080, http: { method: 'POST', path: '/orders' } })).toBe(true);
    expect(a.isAllowed({ from: 'shop/fe', to: 'shop/api', port: 8080, http: { method: 'GET', path: '/publicity' } })).toBe(false);
    expect(a.isAllowed({ from: 'shop/fe', to: 'shop/api', port: 8080, http: { method: 'GETX', path: '/public' } })).toBe(false);
    const denied = a.explain({ from: 'shop/fe', to: 'shop/api', port: 8080, http: { method: 'DELETE', path: '/orders' } });
    expect(denied.allowed).toBe(false);
    expect(denied.ingress.reason).toContain('But the HTTP request DELETE /orders matches none of the L7 rules on it, HTTP GET /public(/.*)? or POST /orders (CiliumNetworkPolicy shop/l7 spec.ingress[0]): Cilium\'s proxy answers it with 403.');
    expect(denied.reason).toContain('on TCP 8080 (HTTP DELETE /orders)');
  });

  test('without a request, the connection is allowed and the limit is said', () => {
    const a = analyze(cnp('l7', { endpointSelector: API, ingress: [PUBLIC] }));
    const explanation = a.explain({ from: 'shop/fe', to: 'shop/api', port: 8080 });
    expect(explanation.allowed).toBe(true);
    expect(explanation.ingress.l7).toBe('HTTP GET /public(/.*)? or POST /orders (CiliumNetworkPolicy shop/l7 spec.ingress[0])');
    expect(explanation.ingress.reason).toContain('Requests on it are limited to HTTP GET /public(/.*)? or POST /orders');
    expect(a.connections('shop/fe', 'shop/api').toString()).toBe('TCP 8080');
  });

  test('an L4-only allow of the same peer on the same port, in any policy, makes the L7 rules moot; a rule for other peers does not', () => {
    const moot = analyze(
      cnp('l7', { endpointSelector: API, ingress: [PUBLIC] }),
      netpol('v1', { podSelector: API, ingress: [{ from: [{ podSelector: FE }], ports: [{ port: 8080 }] }] }),
    );
    const explanation = moot.explain({ from: 'shop/fe', to: 'shop/api', port: 8080, http: { method: 'DELETE', path: '/x' } });
    expect(explanation.allowed).toBe(true);
    expect(explanation.ingress.reason).toContain('Its L7 rules are moot for this peer: shop/v1 spec.ingress[0] allows TCP 8080 without L7 rules, so every request passes.');
    const notMoot = analyze(cnp('l7', { endpointSelector: API, ingress: [PUBLIC, { fromEndpoints: [{ matchLabels: { app: 'prom' }, matchExpressions: [{ key: 'io.kubernetes.pod.namespace', operator: 'Exists' }] }] }] }));
    expect(notMoot.isAllowed({ from: 'shop/fe', to: 'shop/api', port: 8080, http: { method: 'DELETE', path: '/x' } })).toBe(false);
    expect(notMoot.isAllowed({ from: 'ops/prom', to: 'shop/api', port: 8080, http: { method: 'DELETE', path: '/x' } })).toBe(true);
  });

  test('a rule that needs a header or a host matches no request of a flow; http: [] and an empty entry admit every request', () => {
    const a = analyze(cnp('l7', {
      endpointSelector: API,
      ingress: [
        { fromEndpoints: [FE], toPorts: [{ ...tcp('8080'), rules: { http: [{ method: 'GET', headers: ['X-Token'] }] } }] },
        { fromEndpoints: [FE], toPorts: [{ ...tcp('8081'), rules: { http: [] } }] },
        { fromEndpoints: [FE], toPorts: [{ ...tcp('8082'), rules: { http: [{}] } }] },
      ],
    }));
    const explanation = a.explain({ from: 'shop/fe', to: 'shop/api', port: 8080, http: { method: 'GET', path: '/' } });
    expect(explanation.allowed).toBe(false);
    expect(explanation.ingress.reason).toContain('rules that need a host or a header, GET any path (with header X-Token), match no request of a flow');
    expect(a.isAllowed({ from: 'shop/fe', to: 'shop/api', port: 8081, http: { method: 'PUT', path: '/' } })).toBe(true);
    expect(a.isAllowed({ from: 'shop/fe', to: 'shop/api', port: 8082, http: { method: 'PUT', path: '/' } })).toBe(true);
  });

  test('egress L7 rules limit the source side; enableDefaultDeny false does not lift L7 limits', () => {
    const a = analyze(cnp('l7-out', {
      endpointSelector: FE,
      enableDefaultDeny: { egress: false },
      egress: [{ toEndpoints: [API], toPorts: [{ ...tcp('8080'), rules: { http: [{ method: 'GET' }] } }] }],
    }));
    expect(a.isAllowed({ from: 'shop/fe', to: 'shop/api', port: 8080, http: { method: 'GET', path: '/' } })).toBe(true);
    expect(a.isAllowed({ from: 'shop/fe', to: 'shop/api', port: 8080, http: { method: 'POST', path: '/' } })).toBe(false);
    expect(a.isAllowed({ from: 'shop/fe', to: 'shop/api', port: 9090, http: { method: 'POST', path: '/' } })).toBe(true);
  });

  test('bad input: HTTP on UDP, a method that is not a token, a path without "/"; an HTTP rule whose regex RE2 rejects', () => {
    const a = analyze();
    expect(() => a.isAllowed({ from: 'shop/fe', to: 'shop/api', port: 53, protocol: Protocol.UDP, http: { method: 'GET', path: '/' } })).toThrow('Invalid HTTP request in the flow shop/fe -> shop/api: an HTTP request needs TCP, not UDP.');
    expect(() => a.isAllowed({ from: 'shop/fe', to: 'shop/api', port: 80, http: { method: 'G T', path: '/' } })).toThrow('the method must be an HTTP method token');
    expect(() => a.isAllowed({ from: 'shop/fe', to: 'shop/api', port: 80, http: { method: 'GET', path: 'x' } })).toThrow('the path must start with "/"');
    expect(() => analyze(cnp('bad', { endpointSelector: {}, ingress: [{ toPorts: [{ ...tcp('80'), rules: { http: [{ path: '/(?=x)' }] } }] }] })))
      .toThrow('spec.ingress[0].toPorts[0].rules.http[0].path: "/(?=x)": the path must be an RE2 regular expression (Envoy matches it)');
  });
});

describe('the expectations file: one reader and one writer', () => {
  test('entities, names, ICMP and HTTP requests round-trip; the defaults are filled in', () => {
    const expectations = [
      { from: 'shop/api', to: 'entity:kube-apiserver', port: 443, protocol: Protocol.TCP, allowed: true },
      { from: 'shop/api', to: 'ip:203.0.113.7', port: 443, protocol: Protocol.TCP, host: 'api.stripe.com', allowed: true },
      { from: 'shop/fe', to: 'shop/api', port: 8080, protocol: Protocol.TCP, http: { method: 'GET', path: '/ab' }, allowed: false },
      { from: 'shop/fe', to: 'shop/api', icmp: { version: IcmpVersion.ICMPV6, type: 129 }, allowed: false },
    ];
    const text = formatExpectationsFile(expectations, ['header']);
    expect(text.split('\n')[5]).toBe('  - { from: "shop/fe", to: "shop/api", protocol: ICMPv6, icmpType: 129, allowed: false }');
    expect(parseExpectations(text, 'x.yaml').map((e) => e.expectation)).toEqual(expectations);
    const defaults = parseExpectations('expectations:\n  - { from: a/b, to: c/d, protocol: ICMP, allowed: true }\n', 'y.yaml');
    expect(defaults[0].expectation).toEqual({ from: 'a/b', to: 'c/d', icmp: { version: 'ICMP', type: 8 }, allowed: true });
  });
});

describe('entities: the connection sets agree with point queries', () => {
  test('on every pair of pods and entities, every port the policies name, with entity peers, reserved selectors, v1 rules and denies', () => {
    const a = analyze(
      cnp('api', {
        endpointSelector: API,
        ingress: [{ fromEntities: ['remote-node'], toPorts: [tcp('10250')] }, { fromEndpoints: [{ matchLabels: { 'reserved:kube-apiserver': '' } }] }],
        egress: [{ toEntities: ['cluster'] }],
        egressDeny: [{ toEntities: ['host'], toPorts: [tcp('22')] }],
      }),
      netpol('fe', { podSelector: FE, policyTypes: ['Ingress', 'Egress'], ingress: [{ ports: [{ port: 8080 }] }], egress: [{ to: [{ ipBlock: { cidr: '0.0.0.0/0' } }] }] }),
    );
    const ends = ['shop/api', 'shop/fe', 'ops/prom', 'entity:kube-apiserver', 'entity:host', 'entity:remote-node'];
    let checked = 0;
    for (const from of ends) {
      for (const to of ends) {
        if (from.startsWith('entity:') && to.startsWith('entity:')) continue;
        const set = a.connections(from, to);
        for (const port of [21, 22, 23, 8080, 10250]) {
          expect(`${from} -> ${to} ${port}: ${set.allows(port)}`).toBe(`${from} -> ${to} ${port}: ${a.isAllowed({ from, to, port })}`);
          checked++;
        }
      }
    }
    expect(checked).toBe(5 * (6 * 6 - 3 * 3));
    expect(a.connections('entity:remote-node', 'shop/api').toString()).toBe('TCP 10250');
    expect(a.connections('entity:kube-apiserver', 'shop/api').toString()).toBe('all connections');
    expect(a.connections('entity:host', 'shop/api').toString()).toBe('all connections');
    expect(a.connections('shop/api', 'entity:host').toString()).toBe('TCP 1-21, 23-65535, all UDP, all SCTP');
    expect(a.connections('shop/fe', 'entity:kube-apiserver').toString()).toBe('nothing');
    expect(a.connections('entity:remote-node', 'shop/fe').toString()).toBe('TCP 8080');
    expect(a._explainConnections('entity:host', 'shop/fe')).toBe('Egress: not restricted (entity:host is not a pod; host policies are not evaluated). Ingress: always allowed from the pod\'s own node (entity:host).');
  });
});

/**
 * The tiers, rule by rule, as the network-policy-api types say: Admin
 * (priorities ascending, rules in order, first match decides, Pass to the
 * next tier), the NetworkPolicy tier, Baseline only where no NetworkPolicy
 * isolates the direction; networks matching pods by their addresses; named
 * ports. Each case is checked by point query, connection set and explanation.
 */
import { Analyzer } from '../../../src/analysis/analyzer';
import { Evaluator } from '../../../src/analysis/evaluator';
import { Direction, IcmpVersion } from '../../../src/analysis/flow';
import { Protocol } from '../../../src/protocol';
import { clusterDnsEndpoints } from '../../../src/review/cluster-dns';

function pod(namespace: string, name: string, labels: Record<string, string>, extra: any = {}): any {
  return {
    apiVersion: 'v1',
    kind: 'Pod',
    metadata: { name, namespace, labels },
    spec: { containers: [{ name: 'c', image: 'c', ports: extra.ports }], ...(extra.hostNetwork ? { hostNetwork: true } : {}) },
    ...(extra.ips ? { status: { podIPs: extra.ips.map((ip: string) => ({ ip })) } } : {}),
  };
}
// shop/api (10.1.0.5, http=8080, dns=UDP 5353), shop/fe (10.1.0.6), ops/prom (10.2.0.9), ops/node-agent (host network), kube-system/dns.
const PODS = [
  { apiVersion: 'v1', kind: 'Namespace', metadata: { name: 'shop', labels: { tenant: 'a' } } },
  { apiVersion: 'v1', kind: 'Namespace', metadata: { name: 'ops', labels: { tenant: 'platform' } } },
  pod('shop', 'api', { app: 'api' }, { ips: ['10.1.0.5'], ports: [{ name: 'http', containerPort: 8080 }, { name: 'metrics', containerPort: 9090, protocol: 'UDP' }] }),
  pod('shop', 'fe', { app: 'fe' }, { ips: ['10.1.0.6'] }),
  pod('ops', 'prom', { app: 'prom' }, { ips: ['10.2.0.9', 'fd00::9'] }),
  pod('ops', 'node-agent', { app: 'agent' }, { hostNetwork: true }),
  pod('kube-system', 'dns', { 'k8s-app': 'kube-dns' }),
];
const cnp = (name: string, tier: 'Admin' | 'Baseline', priority: number, spec: any): any =>
  ({ apiVersion: 'policy.networking.k8s.io/v1alpha2', kind: 'ClusterNetworkPolicy', metadata: { name }, spec: { tier, priority, ...spec } });
const anp = (name: string, priority: number, spec: any): any =>
  ({ apiVersion: 'policy.networking.k8s.io/v1alpha1', kind: 'AdminNetworkPolicy', metadata: { name }, spec: { priority, ...spec } });
const banp = (spec: any): any =>
  ({ apiVersion: 'policy.networking.k8s.io/v1alpha1', kind: 'BaselineAdminNetworkPolicy', metadata: { name: 'default' }, spec });
const np = (namespace: string, name: string, spec: any): any =>
  ({ apiVersion: 'networking.k8s.io/v1', kind: 'NetworkPolicy', metadata: { name, namespace }, spec });

const ALL_PODS = { namespaces: {} };
const SHOP = { namespaces: { matchLabels: { 'kubernetes.io/metadata.name': 'shop' } } };
const API = { pods: { namespaceSelector: {}, podSelector: { matchLabels: { app: 'api' } } } };
const FROM_OPS = [{ namespaces: { matchLabels: { tenant: 'platform' } } }];
const tcp = (number: number) => ({ tcp: { destinationPort: { number } } });

function analyze(...policies: any[]): Analyzer {
  return Analyzer.fromManifests([...structuredClone(PODS), ...policies]);
}
const str = (a: Analyzer, from: string, to: string) => a.connections(from, to).toString();
const allowed = (a: Analyzer, from: string, to: string, port: number, protocol = Protocol.TCP) => a.isAllowed({ from, to, port, protocol });

describe('the Admin tier', () => {
  test('Accept wins over a NetworkPolicy that isolates the pod; Deny wins over a NetworkPolicy that allows', () => {
    const a = analyze(
      cnp('ops-in', 'Admin', 10, { subject: SHOP, ingress: [{ action: 'Accept', from: FROM_OPS, protocols: [tcp(8080)] }] }),
      cnp('no-fe', 'Admin', 20, { subject: API, ingress: [{ action: 'Deny', from: [{ pods: { namespaceSelector: {}, podSelector: { matchLabels: { app: 'fe' } } } }] }] }),
      np('shop', 'deny-all', { podSelector: {}, policyTypes: ['Ingress'] }),
      np('shop', 'fe-to-api', { podSelector: { matchLabels: { app: 'api' } }, ingress: [{ from: [{ podSelector: { matchLabels: { app: 'fe' } } }] }] }),
    );
    expect(allowed(a, 'ops/prom', 'shop/api', 8080)).toBe(true);
    expect(allowed(a, 'ops/prom', 'shop/api', 8081)).toBe(false);
    expect(str(a, 'ops/prom', 'shop/api')).toBe('TCP 8080');
    expect(allowed(a, 'shop/fe', 'shop/api', 8080)).toBe(false);
    expect(str(a, 'shop/fe', 'shop/api')).toBe('nothing');
    const accepted = a.explain({ from: 'ops/prom', to: 'shop/api', port: 8080 });
    expect(accepted.ingress.tiers).toEqual(['Admin: ClusterNetworkPolicy ops-in spec.ingress[0] Accept']);
    expect(accepted.ingress.allowedBy).toEqual({ policy: 'ClusterNetworkPolicy ops-in', rule: 'spec.ingress[0]', peer: 'every pod in namespaces tenant=platform', port: 'TCP 8080' });
    const denied = a.explain({ from: 'shop/fe', to: 'shop/api', port: 8080 });
    expect(denied.ingress.deniedBy?.policy).toBe('ClusterNetworkPolicy no-fe');
    expect(denied.reason).toContain('denied in the Admin tier by ClusterNetworkPolicy no-fe spec.ingress[0]');
  });

  test('priorities ascending: the lower number decides, whatever the input order', () => {
    const deny = cnp('deny', 'Admin', 50, { subject: SHOP, egress: [{ action: 'Deny', to: [{ networks: ['0.0.0.0/0'] }] }] });
    const accept = cnp('accept', 'Admin', 40, { subject: SHOP, egress: [{ action: 'Accept', to: [{ networks: ['8.8.8.0/24'] }], protocols: [{ udp: { destinationPort: { number: 53 } } }] }] });
    for (const a of [analyze(deny, accept), analyze(accept, deny)]) {
      expect(allowed(a, 'shop/fe', 'ip:8.8.8.8', 53, Protocol.UDP)).toBe(true);
      expect(allowed(a, 'shop/fe', 'ip:8.8.8.8', 53)).toBe(false);
      expect(str(a, 'shop/fe', 'ip:8.8.8.8')).toBe('UDP 53');
      expect(str(a, 'shop/fe', 'ip:9.9.9.9')).toBe('nothing');
    }
    const later = analyze(deny, { ...accept, spec: { ...accept.spec, priority: 60 } });
    expect(str(later, 'shop/fe', 'ip:8.8.8.8')).toBe('nothing');
  });

  test('rules in order within a policy: the first match decides, the later rule only gets what is left', () => {
    const a = analyze(cnp('ordered', 'Admin', 1, {
      subject: API,
      ingress: [
        { action: 'Deny', from: FROM_OPS, protocols: [tcp(9090)] },
        { action: 'Accept', from: FROM_OPS, protocols: [{ tcp: { destinationPort: { range: { start: 9000, end: 9100 } } } }] },
        { action: 'Deny', from: FROM_OPS },
      ],
    }));
    expect(str(a, 'ops/prom', 'shop/api')).toBe('TCP 9000-9089, 9091-9100');
    expect(allowed(a, 'ops/prom', 'shop/api', 9090)).toBe(false);
    expect(allowed(a, 'ops/prom', 'shop/api', 9091)).toBe(true);
    expect(a.explain({ from: 'ops/prom', to: 'shop/api', port: 9090 }).ingress.deniedBy?.rule).toBe('spec.ingress[0]');
    expect(a.explain({ from: 'ops/prom', to: 'shop/api', port: 9091 }).ingress.allowedBy?.rule).toBe('spec.ingress[1]');
  });

  test('Pass hands the traffic to the NetworkPolicy tier, skipping the rest of the Admin tier', () => {
    const pass = cnp('pass-tenant', 'Admin', 1, { subject: SHOP, egress: [{ action: 'Pass', to: [SHOP] }] });
    const deny = cnp('deny-rest', 'Admin', 2, { subject: SHOP, egress: [{ action: 'Deny', to: [ALL_PODS] }] });
    const a = analyze(pass, deny);
    expect(str(a, 'shop/fe', 'shop/api')).toBe('all connections');
    expect(str(a, 'shop/fe', 'ops/prom')).toBe('nothing');
    // with a NetworkPolicy that isolates egress, the passed traffic gets what it allows
    const b = analyze(pass, deny, np('shop', 'fe-out', { podSelector: { matchLabels: { app: 'fe' } }, policyTypes: ['Egress'], egress: [{ ports: [{ port: 8080 }] }] }));
    expect(str(b, 'shop/fe', 'shop/api')).toBe('TCP 8080');
    expect(str(b, 'shop/fe', 'ops/prom')).toBe('nothing');
    const explained = b.explain({ from: 'shop/fe', to: 'shop/api', port: 8080 });
    expect(explained.egress.tiers).toEqual(['Admin: ClusterNetworkPolicy pass-tenant spec.egress[0] Pass', 'NetworkPolicy: allowed by shop/fe-out spec.egress[0]']);
    expect(explained.egress.reason).toContain('The Admin tier passes it on');
  });

  test('an AdminNetworkPolicy (v1alpha1) takes part: Allow is Accept, ports are portNumber/portRange/namedPort', () => {
    const a = analyze(
      anp('allow-http', 5, { subject: { pods: { namespaceSelector: {}, podSelector: { matchLabels: { app: 'api' } } } }, ingress: [{ action: 'Allow', from: [{ namespaces: {} }], ports: [{ namedPort: 'http' }, { portRange: { start: 7000, end: 7001 } }, { portNumber: { port: 6000 } }] }] }),
      anp('deny-rest', 6, { subject: { namespaces: {} }, ingress: [{ action: 'Deny', from: [{ namespaces: {} }] }] }),
    );
    // portNumber and portRange without a protocol are TCP (the CRD's default)
    expect(str(a, 'shop/fe', 'shop/api')).toBe('TCP 6000, 7000-7001, 8080');
    expect(str(a, 'shop/api', 'shop/fe')).toBe('nothing');
    expect(a.explain({ from: 'shop/fe', to: 'shop/api', port: 8080 }).ingress.allowedBy?.policy).toBe('AdminNetworkPolicy allow-http');
  });
});

describe('the Baseline tier', () => {
  const baselineDeny = cnp('baseline-deny', 'Baseline', 10, { subject: ALL_PODS, ingress: [{ action: 'Deny', from: [ALL_PODS] }] });

  test('is reached where no NetworkPolicy isolates the direction, and not where one does', () => {
    const a = analyze(baselineDeny, np('shop', 'api-in', { podSelector: { matchLabels: { app: 'api' } }, ingress: [{ ports: [{ port: 8080 }] }] }));
    // shop/api is isolated for ingress by a NetworkPolicy: the baseline is not reached
    expect(str(a, 'shop/fe', 'shop/api')).toBe('TCP 8080');
    // shop/fe is not: the baseline denies
    expect(str(a, 'shop/api', 'shop/fe')).toBe('nothing');
    // egress is not touched by the baseline (it has no egress rules)
    expect(str(a, 'shop/api', 'ip:1.1.1.1')).toBe('all connections');
    const explained = a.explain({ from: 'shop/api', to: 'shop/fe', port: 80 });
    expect(explained.ingress.tiers).toEqual(['Baseline: ClusterNetworkPolicy baseline-deny spec.ingress[0] Deny']);
    expect(explained.ingress.reason).toContain('the Baseline tier decides: it is denied by ClusterNetworkPolicy baseline-deny spec.ingress[0]');
  });

  test('a Pass in the Admin tier reaches the Baseline tier when no NetworkPolicy isolates', () => {
    const a = analyze(cnp('pass', 'Admin', 1, { subject: ALL_PODS, ingress: [{ action: 'Pass', from: [ALL_PODS] }] }), baselineDeny);
    expect(str(a, 'shop/fe', 'shop/api')).toBe('nothing');
    expect(a.explain({ from: 'shop/fe', to: 'shop/api', port: 80 }).ingress.tiers).toEqual([
      'Admin: ClusterNetworkPolicy pass spec.ingress[0] Pass',
      'Baseline: ClusterNetworkPolicy baseline-deny spec.ingress[0] Deny',
    ]);
  });

  test('Accept and Pass in the Baseline tier stop it; a BaselineAdminNetworkPolicy comes after the Baseline ClusterNetworkPolicies', () => {
    const a = analyze(
      cnp('dns', 'Baseline', 1, { subject: ALL_PODS, ingress: [{ action: 'Accept', from: FROM_OPS, protocols: [tcp(8080)] }] }),
      cnp('pass-shop', 'Baseline', 2, { subject: ALL_PODS, ingress: [{ action: 'Pass', from: [SHOP] }] }),
      banp({ subject: { namespaces: {} }, ingress: [{ action: 'Deny', from: [{ namespaces: {} }] }] }),
    );
    expect(str(a, 'ops/prom', 'shop/api')).toBe('TCP 8080');
    expect(str(a, 'shop/fe', 'shop/api')).toBe('all connections');
    expect(str(a, 'shop/fe', 'ops/prom')).toBe('all connections');
    expect(str(a, 'ops/prom', 'shop/fe')).toBe('TCP 8080');
  });
});

describe('peers', () => {
  test('networks match addresses outside the cluster and pods by status.podIPs', () => {
    const a = analyze(cnp('no-10', 'Admin', 1, { subject: { namespaces: { matchLabels: { tenant: 'a' } } }, egress: [{ action: 'Deny', to: [{ networks: ['10.2.0.0/16', 'fd00::/64'] }] }] }));
    expect(str(a, 'shop/fe', 'ops/prom')).toBe('nothing');
    expect(str(a, 'shop/fe', 'ip:10.2.3.4')).toBe('nothing');
    expect(str(a, 'shop/fe', 'ip:10.3.0.1')).toBe('all connections');
    // a pod whose addresses the manifests do not give is not matched
    expect(str(a, 'shop/fe', 'kube-system/dns')).toBe('all connections');
    expect(a.explain({ from: 'shop/fe', to: 'ops/prom', port: 80 }).egress.deniedBy?.peer).toBe('networks 10.2.0.0/16, fd00::/64');
    // connectivity() splits the address space at the networks' edges: the range in between is left out
    const ranges = a.connectivity().filter((p) => p.from === 'shop/fe' && p.to.startsWith('ip:')).map((p) => p.to);
    expect(ranges).toEqual([
      'ip:0.0.0.0-10.1.255.255', 'ip:10.3.0.0-255.255.255.255',
      // (IPv4-mapped IPv6 addresses are IPv4's)
      'ip:::-::fffe:ffff:ffff', 'ip:::1:0:0:0-fcff:ffff:ffff:ffff:ffff:ffff:ffff:ffff', 'ip:fd00:0:0:1::-ffff:ffff:ffff:ffff:ffff:ffff:ffff:ffff',
    ]);
  });

  test('pods and namespaces peers and subjects leave host-network pods out', () => {
    const a = analyze(cnp('deny-ops', 'Admin', 1, { subject: ALL_PODS, egress: [{ action: 'Deny', to: [FROM_OPS[0]] }] }));
    expect(str(a, 'shop/fe', 'ops/prom')).toBe('nothing');
    expect(str(a, 'shop/fe', 'ops/node-agent')).toBe('all connections');
    // the host-network pod is not a subject either
    expect(str(a, 'ops/node-agent', 'ops/prom')).toBe('all connections');
  });

  test('a named port resolves on the destination pod, whatever its protocol; no rule without protocols misses ICMP', () => {
    const a = analyze(cnp('named', 'Admin', 1, {
      subject: API,
      ingress: [{ action: 'Accept', from: [ALL_PODS], protocols: [{ destinationNamedPort: 'metrics' }] }, { action: 'Deny', from: [ALL_PODS] }],
    }));
    expect(str(a, 'shop/fe', 'shop/api')).toBe('UDP 9090');
    expect(a.isAllowed({ from: 'shop/fe', to: 'shop/api', icmp: { version: IcmpVersion.ICMP, type: 8 } })).toBe(false);
    expect(a.isAllowed({ from: 'shop/api', to: 'shop/fe', icmp: { version: IcmpVersion.ICMP, type: 8 } })).toBe(true);
  });
});

describe('stand-ins', () => {
  test('the cluster DNS stand-in gets the Admin tier (cluster-wide, above all), not the Baseline tier (which depends on unknown NetworkPolicies)', () => {
    const objects = [
      pod('shop', 'fe', { app: 'fe' }),
      cnp('no-dns', 'Admin', 1, { subject: { namespaces: { matchLabels: { 'kubernetes.io/metadata.name': 'kube-system' } } }, ingress: [{ action: 'Deny', from: [SHOP] }] }),
      cnp('base', 'Baseline', 1, { subject: ALL_PODS, ingress: [{ action: 'Deny', from: [ALL_PODS] }] }),
    ];
    const model = Analyzer.fromManifests(objects)._model;
    const [dns] = clusterDnsEndpoints(model);
    expect(dns.index).toBe(-1);
    const side = model.sideOf(dns, Direction.INGRESS);
    expect(side.admin.map((p) => p.name)).toEqual(['no-dns']);
    expect(side.baseline).toEqual([]);
    const fe = model.endpoints.find((e) => e.name === 'fe')!;
    const evaluator = new Evaluator(model);
    const flow = { from: { kind: 'endpoint' as const, endpoint: fe, text: 'shop/fe' }, to: { kind: 'endpoint' as const, endpoint: dns, text: 'kube-system/kube-dns' }, port: 53, protocol: Protocol.UDP };
    expect(evaluator.isAllowed(flow)).toBe(false);
    expect(evaluator.explain(flow).ingress.tiers).toEqual(['Admin: ClusterNetworkPolicy no-dns spec.ingress[0] Deny']);
  });
});

describe('input', () => {
  test('what the API server would reject is bad input, naming the field', () => {
    expect(() => analyze(cnp('bad', 'Admin', 1001, { subject: ALL_PODS }))).toThrow(/spec\.priority: 1001: the priority must be a whole number from 0 to 1000/);
    expect(() => analyze(cnp('bad', 'Middle' as any, 1, { subject: ALL_PODS }))).toThrow(/spec\.tier: "Middle": the tier must be "Admin" or "Baseline"/);
    expect(() => analyze(cnp('bad', 'Admin', 1, { subject: { namespaces: {}, pods: { podSelector: {} } } }))).toThrow(/the subject must set exactly one of namespaces, pods/);
    expect(() => analyze(cnp('bad', 'Admin', 1, { subject: ALL_PODS, egress: [{ action: 'Allow', to: [ALL_PODS] }] }))).toThrow(/action: "Allow": the action must be Accept, Deny, Pass/);
    expect(() => analyze(cnp('bad', 'Admin', 1, { subject: ALL_PODS, egress: [{ action: 'Deny', to: [{ networks: ['10.0.0.0/8'] }], protocols: [{ destinationNamedPort: 'http' }] }] })))
      .toThrow(/a named port cannot be used with networks/);
    expect(() => analyze(cnp('bad', 'Admin', 1, { subject: ALL_PODS, egress: [{ action: 'Deny', to: [{ domainNames: ['example.com'] }] }] }))).toThrow(/domainNames peers are only allowed in Accept rules/);
    expect(() => analyze(cnp('bad', 'Admin', 1, { subject: ALL_PODS, ingress: [{ action: 'Deny', from: [{ networks: ['10.0.0.0/8'] }] }] }))).toThrow(/unknown field "networks"/);
    expect(() => analyze(cnp('bad', 'Admin', 1, { subject: ALL_PODS, ingress: [{ action: 'Deny', from: [ALL_PODS], protocols: [{ tcp: { destinationPort: { range: { start: 90, end: 80 } } } }] }] })))
      .toThrow(/the start port must be less than the end port/);
    expect(() => analyze(banp({ subject: ALL_PODS }), { ...banp({ subject: ALL_PODS }), metadata: { name: 'other' } })).toThrow(/must be named "default"/);
    expect(() => analyze({ ...pod('shop', 'ip', {}), status: { podIPs: [{ ip: '10.0.0.300' }] } })).toThrow(/status\.podIPs\[0\]\.ip: "10\.0\.0\.300": a pod IP must be an IPv4 or IPv6 address/);
  });

  test('the policies are listed after the NetworkPolicy tier, in tier order', () => {
    const a = analyze(cnp('b', 'Baseline', 1, { subject: ALL_PODS, ingress: [{ action: 'Deny', from: [ALL_PODS] }] }), cnp('a', 'Admin', 9, { subject: ALL_PODS, ingress: [{ action: 'Pass', from: [ALL_PODS] }] }), np('shop', 'x', { podSelector: {} }));
    expect(a.policies).toEqual(['shop/x', 'ClusterNetworkPolicy a', 'ClusterNetworkPolicy b']);
    expect(a.warnings.join('\n')).not.toContain('not analyzed');
  });
});

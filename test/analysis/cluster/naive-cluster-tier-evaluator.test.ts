/**
 * Hand-written cases for the naive evaluator of the cluster policy tiers
 * (test/support/naive-cluster-tier-evaluator.ts): the oracle of the property
 * test beside this file, checked here on its own, with the API text each case
 * rests on.
 */
import { ClusterTierFlow, naiveClusterTierIsAllowed } from '../../support/naive-cluster-tier-evaluator';

// shop/api (app=api, ports http=8080 TCP and dns=53 UDP, IP 10.244.1.5), shop/fe (app=fe, IP 10.244.2.7),
// ops/prom (app=prom, no status), ops/agent (hostNetwork), shop/web (a Deployment, app=fe); namespace ops has team=platform.
interface PodExtra { readonly ports?: any[]; readonly ip?: string; readonly hostNetwork?: boolean }
function pod(namespace: string, name: string, labels: Record<string, string>, extra: PodExtra = {}): any {
  const object: any = {
    apiVersion: 'v1',
    kind: 'Pod',
    metadata: { name, namespace, labels },
    spec: { containers: [{ name: 'c', image: 'c', ...(extra.ports ? { ports: extra.ports } : {}) }], ...(extra.hostNetwork ? { hostNetwork: true } : {}) },
  };
  if (extra.ip) object.status = { podIP: extra.ip, podIPs: [{ ip: extra.ip }] };
  return object;
}
const CLUSTER = [
  { apiVersion: 'v1', kind: 'Namespace', metadata: { name: 'ops', labels: { team: 'platform' } } },
  pod('shop', 'api', { app: 'api' }, { ports: [{ name: 'http', containerPort: 8080 }, { name: 'dns', containerPort: 53, protocol: 'UDP' }], ip: '10.244.1.5' }),
  pod('shop', 'fe', { app: 'fe' }, { ip: '10.244.2.7' }),
  pod('ops', 'prom', { app: 'prom' }),
  pod('ops', 'agent', { app: 'agent' }, { hostNetwork: true }),
  {
    apiVersion: 'apps/v1',
    kind: 'Deployment',
    metadata: { name: 'web', namespace: 'shop' },
    spec: { selector: { matchLabels: { app: 'fe' } }, template: { metadata: { labels: { app: 'fe' } }, spec: { containers: [{ name: 'c', image: 'c' }] } } },
  },
];

const SHOP = { matchLabels: { 'kubernetes.io/metadata.name': 'shop' } };
const API = { pods: { namespaceSelector: {}, podSelector: { matchLabels: { app: 'api' } } } };

function cnp(name: string, tier: 'Admin' | 'Baseline', priority: number, spec: any): any {
  return { apiVersion: 'policy.networking.k8s.io/v1alpha2', kind: 'ClusterNetworkPolicy', metadata: { name }, spec: { tier, priority, ...spec } };
}
function anp(name: string, priority: number, spec: any): any {
  return { apiVersion: 'policy.networking.k8s.io/v1alpha1', kind: 'AdminNetworkPolicy', metadata: { name }, spec: { priority, ...spec } };
}
function banp(spec: any): any {
  return { apiVersion: 'policy.networking.k8s.io/v1alpha1', kind: 'BaselineAdminNetworkPolicy', metadata: { name: 'default' }, spec };
}
function np(namespace: string, name: string, spec: any): any {
  return { apiVersion: 'networking.k8s.io/v1', kind: 'NetworkPolicy', metadata: { name, namespace }, spec };
}
function allowed(policies: any[], flow: ClusterTierFlow): boolean {
  return naiveClusterTierIsAllowed([...CLUSTER, ...policies], flow);
}

describe('the naive evaluator of the cluster policy tiers', () => {
  test('the Admin tier decides before a NetworkPolicy: Deny beats its allow, Accept beats its isolation', () => {
    const isolateApi = np('shop', 'only-prom', { podSelector: { matchLabels: { app: 'api' } }, ingress: [{ from: [{ namespaceSelector: {}, podSelector: { matchLabels: { app: 'prom' } } }] }] });
    const admin = cnp('admin', 'Admin', 10, {
      subject: API,
      ingress: [
        { action: 'Deny', from: [{ namespaces: { matchLabels: { team: 'platform' } } }] },
        { action: 'Accept', from: [{ namespaces: SHOP }] },
      ],
    });
    // GIVEN the NetworkPolicy alone: prom in, fe out
    expect(allowed([isolateApi], { from: 'ops/prom', to: 'shop/api', port: 8080 })).toBe(true);
    expect(allowed([isolateApi], { from: 'shop/fe', to: 'shop/api', port: 8080 })).toBe(false);
    // THEN the Admin tier reverses both
    expect(allowed([isolateApi, admin], { from: 'ops/prom', to: 'shop/api', port: 8080 })).toBe(false);
    expect(allowed([isolateApi, admin], { from: 'shop/fe', to: 'shop/api', port: 8080 })).toBe(true);
  });

  test('Pass skips the rest of the Admin tier and goes to the NetworkPolicy tier', () => {
    const policies = [
      anp('pass-shop', 5, { subject: { namespaces: SHOP }, ingress: [{ action: 'Pass', from: [{ namespaces: SHOP }] }] }),
      cnp('deny-all', 'Admin', 6, { subject: { namespaces: {} }, ingress: [{ action: 'Deny', from: [{ namespaces: {} }] }] }),
    ];
    // fe -> api passes, and no NetworkPolicy isolates api: allowed; prom -> api is denied by the later policy
    expect(allowed(policies, { from: 'shop/fe', to: 'shop/api', port: 8080 })).toBe(true);
    expect(allowed(policies, { from: 'ops/prom', to: 'shop/api', port: 8080 })).toBe(false);
    // a NetworkPolicy isolating api decides what passed
    const isolate = np('shop', 'deny-in', { podSelector: {}, policyTypes: ['Ingress'] });
    expect(allowed([...policies, isolate], { from: 'shop/fe', to: 'shop/api', port: 8080 })).toBe(false);
  });

  test('priorities order the tier across both API versions, whatever the order of the objects', () => {
    const deny = cnp('deny', 'Admin', 20, { subject: API, ingress: [{ action: 'Deny', from: [{ namespaces: {} }] }] });
    const allowSpec = { subject: { pods: { namespaceSelector: {}, podSelector: { matchLabels: { app: 'api' } } } }, ingress: [{ action: 'Allow', from: [{ namespaces: {} }] }] };
    expect(allowed([deny, anp('allow', 10, allowSpec)], { from: 'shop/fe', to: 'shop/api', port: 8080 })).toBe(true);
    expect(allowed([anp('allow', 30, allowSpec), deny], { from: 'shop/fe', to: 'shop/api', port: 8080 })).toBe(false);
  });

  test('within a policy the first matching rule decides: a rule whose ports do not match is skipped', () => {
    const policy = cnp('rules', 'Admin', 1, {
      subject: API,
      ingress: [
        { action: 'Accept', from: [{ namespaces: SHOP }], protocols: [{ tcp: { destinationPort: { range: { start: 8000, end: 8080 } } } }] },
        { action: 'Deny', from: [{ namespaces: {} }] },
      ],
    });
    expect(allowed([policy], { from: 'shop/fe', to: 'shop/api', port: 8080 })).toBe(true);
    expect(allowed([policy], { from: 'shop/fe', to: 'shop/api', port: 8081 })).toBe(false);
    expect(allowed([policy], { from: 'shop/fe', to: 'shop/api', port: 8080, protocol: 'UDP' })).toBe(false);
    expect(allowed([policy], { from: 'shop/fe', to: 'shop/api', protocol: 'ICMP' })).toBe(false);
    // no protocols: every port of every protocol, ICMP too
    const all = cnp('all', 'Admin', 0, { subject: API, ingress: [{ action: 'Accept', from: [{ namespaces: SHOP }] }] });
    expect(allowed([all, policy], { from: 'shop/fe', to: 'shop/api', protocol: 'ICMP' })).toBe(true);
  });

  test('the Baseline tier is reached only when no NetworkPolicy isolates the pod for the direction', () => {
    const baseline = cnp('base', 'Baseline', 1, { subject: { namespaces: SHOP }, egress: [{ action: 'Deny', to: [{ namespaces: {} }] }] });
    expect(allowed([baseline], { from: 'shop/fe', to: 'ops/prom', port: 80 })).toBe(false);
    // an ingress-only NetworkPolicy does not isolate egress: the Baseline still denies
    const ingressOnly = np('shop', 'in', { podSelector: {}, policyTypes: ['Ingress'], ingress: [{}] });
    expect(allowed([baseline, ingressOnly], { from: 'shop/fe', to: 'ops/prom', port: 80 })).toBe(false);
    // an egress NetworkPolicy overrides it
    const egress = np('shop', 'out', { podSelector: {}, policyTypes: ['Egress'], egress: [{ ports: [{ port: 80 }] }] });
    expect(allowed([baseline, egress], { from: 'shop/fe', to: 'ops/prom', port: 80 })).toBe(true);
    expect(allowed([baseline, egress], { from: 'shop/fe', to: 'ops/prom', port: 81 })).toBe(false);
  });

  test('Baseline ClusterNetworkPolicies come before the BaselineAdminNetworkPolicy; a Pass there goes to the default', () => {
    const denyAll = banp({ subject: { namespaces: {} }, ingress: [{ action: 'Deny', from: [{ namespaces: {} }] }] });
    expect(allowed([denyAll], { from: 'shop/fe', to: 'shop/api', port: 8080 })).toBe(false);
    const pass = cnp('pass', 'Baseline', 999, { subject: API, ingress: [{ action: 'Pass', from: [{ pods: { podSelector: { matchLabels: { app: 'fe' } } } }] }] });
    expect(allowed([denyAll, pass], { from: 'shop/fe', to: 'shop/api', port: 8080 })).toBe(true);
    expect(allowed([denyAll, pass], { from: 'ops/prom', to: 'shop/api', port: 8080 })).toBe(false);
    // an Admin Pass reaches the Baseline tier too
    const adminPass = anp('admin-pass', 1, { subject: { namespaces: {} }, ingress: [{ action: 'Pass', from: [{ namespaces: {} }] }] });
    expect(allowed([denyAll, adminPass], { from: 'ops/prom', to: 'shop/api', port: 8080 })).toBe(false);
  });

  test('networks match addresses and the status IPs of Pods, not workloads or Pods without status', () => {
    const policy = cnp('pods-net', 'Admin', 1, { subject: { namespaces: {} }, egress: [{ action: 'Deny', to: [{ networks: ['10.244.1.0/24', '203.0.113.0/24'] }] }] });
    expect(allowed([policy], { from: 'ops/prom', to: 'shop/api', port: 8080 })).toBe(false); // 10.244.1.5
    expect(allowed([policy], { from: 'ops/prom', to: 'shop/fe', port: 8080 })).toBe(true); // 10.244.2.7
    expect(allowed([policy], { from: 'ops/prom', to: 'shop/web', port: 8080 })).toBe(true); // a Deployment: no IP
    expect(allowed([policy], { from: 'ops/prom', to: 'ip:203.0.113.9', port: 443 })).toBe(false);
    expect(allowed([policy], { from: 'ops/prom', to: 'ip:198.51.100.1', port: 443 })).toBe(true);
    // v1alpha1 networks, egress only: the same
    const old = anp('old', 2, { subject: { namespaces: {} }, egress: [{ action: 'Deny', to: [{ networks: ['10.244.2.7/32'] }] }] });
    expect(allowed([old], { from: 'ops/prom', to: 'shop/fe', port: 80 })).toBe(false);
    // an ip: end has no side: ingress from it is not judged by the subject's egress
    expect(allowed([policy], { from: 'ip:203.0.113.9', to: 'ops/prom', port: 80 })).toBe(true);
  });

  test('named ports: the destination pod\'s container port of that name, on its protocol; never an address', () => {
    const policy = cnp('named', 'Admin', 1, {
      subject: { namespaces: {} },
      egress: [
        { action: 'Accept', to: [{ namespaces: {} }], protocols: [{ destinationNamedPort: 'http' }, { destinationNamedPort: 'dns' }] },
        { action: 'Deny', to: [{ namespaces: {} }, { networks: ['0.0.0.0/0'] }] },
      ],
    });
    expect(allowed([policy], { from: 'shop/fe', to: 'shop/api', port: 8080 })).toBe(true);
    expect(allowed([policy], { from: 'shop/fe', to: 'shop/api', port: 53, protocol: 'UDP' })).toBe(true);
    expect(allowed([policy], { from: 'shop/fe', to: 'shop/api', port: 53, protocol: 'TCP' })).toBe(false);
    expect(allowed([policy], { from: 'shop/fe', to: 'ops/prom', port: 8080 })).toBe(false); // prom names no port
    const old = anp('old', 0, {
      subject: { namespaces: {} },
      egress: [{ action: 'Allow', to: [{ networks: ['0.0.0.0/0'] }], ports: [{ namedPort: 'http' }, { portNumber: { protocol: 'UDP', port: 53 } }] }],
    });
    expect(allowed([old, policy], { from: 'shop/fe', to: 'ip:8.8.8.8', port: 8080 })).toBe(false);
    expect(allowed([old, policy], { from: 'shop/fe', to: 'ip:8.8.8.8', port: 53, protocol: 'UDP' })).toBe(true);
  });

  test('host-network pods: no subject selects them and no namespaces or pods peer matches them', () => {
    const policy = cnp('all', 'Admin', 1, {
      subject: { namespaces: {} },
      ingress: [{ action: 'Deny', from: [{ namespaces: {} }] }],
      egress: [{ action: 'Deny', to: [{ pods: { namespaceSelector: {}, podSelector: {} } }] }],
    });
    expect(allowed([policy], { from: 'ops/agent', to: 'ops/prom', port: 80 })).toBe(true);
    expect(allowed([policy], { from: 'ops/prom', to: 'shop/fe', port: 80 })).toBe(false);
    expect(allowed([policy], { from: 'ops/prom', to: 'ops/agent', port: 80 })).toBe(true);
  });

  test('loopback, ingress from the node, and nodes peers', () => {
    const policy = cnp('deny', 'Admin', 1, {
      subject: { namespaces: {} },
      ingress: [{ action: 'Deny', from: [{ namespaces: {} }] }],
      egress: [{ action: 'Deny', to: [{ nodes: {} }] }, { action: 'Accept', to: [{ nodes: { matchLabels: { role: 'x' } } }] }],
    });
    expect(allowed([policy], { from: 'shop/api', to: 'shop/api', port: 8080 })).toBe(true);
    expect(allowed([policy], { from: 'shop/web', to: 'shop/web', port: 8080 })).toBe(false); // replicas of a workload are not loopback
    expect(allowed([policy], { from: 'entity:host', to: 'shop/api', port: 8080 })).toBe(true);
    expect(allowed([policy], { from: 'shop/api', to: 'entity:host', port: 10250 })).toBe(false);
    expect(allowed([policy], { from: 'shop/api', to: 'entity:remote-node', port: 10250 })).toBe(false);
    expect(allowed([policy], { from: 'shop/api', to: 'entity:kube-apiserver', port: 443 })).toBe(true);
  });
});

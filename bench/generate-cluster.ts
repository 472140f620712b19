/* eslint-disable no-bitwise -- the PRNG at the end is bit arithmetic */
/**
 * A generated cluster for the benchmark: namespaces with team/env labels, pods
 * and workloads of several kinds with tier labels and named ports, and ten
 * policies per namespace mixing every feature the analyzer evaluates (default
 * deny, AND peers, namespace selectors, matchExpressions, named ports, endPort
 * ranges, ipBlocks with except in both families). Deterministic for a seed.
 */
export interface ClusterShape {
  readonly namespaces: number;
  readonly podsPerNamespace: number;
  readonly policiesPerNamespace: number;
  readonly seed: number;
}

const TIERS = ['web', 'api', 'db', 'cache', 'worker'];
const KINDS = ['Deployment', 'Deployment', 'Deployment', 'StatefulSet', 'DaemonSet', 'Pod', 'Job', 'CronJob', 'ReplicaSet', 'ReplicationController'];

export function generateCluster(shape: ClusterShape): any[] {
  const random = mulberry32(shape.seed);
  const pick = <T>(items: readonly T[]): T => items[Math.floor(random() * items.length)];
  const objects: any[] = [];
  for (let n = 0; n < shape.namespaces; n++) {
    const ns = `ns-${String(n).padStart(3, '0')}`;
    objects.push({ apiVersion: 'v1', kind: 'Namespace', metadata: { name: ns, labels: { team: `team-${n % 20}`, env: n % 3 === 0 ? 'prod' : 'staging' } } });
    for (let p = 0; p < shape.podsPerNamespace; p++) {
      objects.push(workload(pick(KINDS), ns, `app-${p}`, { app: `app-${p}`, tier: TIERS[p % TIERS.length] }));
    }
    const policies = namespacePolicies(ns, n, shape, pick, random);
    objects.push(...policies.slice(0, shape.policiesPerNamespace));
  }
  return objects;
}

function workload(kind: string, namespace: string, name: string, labels: Record<string, string>): any {
  const podSpec = {
    containers: [{
      name: 'main',
      image: 'example.com/app:1',
      ports: [
        { name: 'http', containerPort: 8080 },
        { name: 'metrics', containerPort: 9090 },
        { name: 'grpc', containerPort: 9000, protocol: 'UDP' },
      ],
    }],
  };
  const template = { metadata: { labels }, spec: podSpec };
  const metadata = { name, namespace };
  switch (kind) {
    case 'Pod':
      return { apiVersion: 'v1', kind, metadata: { ...metadata, labels }, spec: podSpec };
    case 'CronJob':
      return { apiVersion: 'batch/v1', kind, metadata, spec: { schedule: '* * * * *', jobTemplate: { spec: { template } } } };
    case 'Job':
      return { apiVersion: 'batch/v1', kind, metadata, spec: { template } };
    case 'ReplicationController':
      return { apiVersion: 'v1', kind, metadata, spec: { selector: labels, template } };
    default:
      return { apiVersion: 'apps/v1', kind, metadata, spec: { selector: { matchLabels: labels }, template } };
  }
}

function namespacePolicies(ns: string, n: number, shape: ClusterShape, pick: <T>(items: readonly T[]) => T, random: () => number): any[] {
  const policy = (name: string, spec: any) => ({ apiVersion: 'networking.k8s.io/v1', kind: 'NetworkPolicy', metadata: { name, namespace: ns }, spec });
  const tier = (t: string) => ({ matchLabels: { tier: t } });
  const someApp = () => `app-${Math.floor(random() * shape.podsPerNamespace)}`;
  return [
    policy('default-deny', { podSelector: {}, policyTypes: ['Ingress', 'Egress'] }),
    policy('allow-dns', {
      podSelector: {},
      policyTypes: ['Egress'],
      egress: [{
        to: [{ namespaceSelector: { matchLabels: { 'kubernetes.io/metadata.name': 'kube-system' } }, podSelector: { matchLabels: { 'k8s-app': 'kube-dns' } } }],
        ports: [{ protocol: 'UDP', port: 53 }, { protocol: 'TCP', port: 53 }],
      }],
    }),
    policy('web-from-anyone', { podSelector: tier('web'), ingress: [{ ports: [{ port: 8080 }] }] }),
    policy('api-from-web', { podSelector: tier('api'), ingress: [{ from: [{ podSelector: tier('web') }], ports: [{ port: 'http' }] }] }),
    policy('db-from-team-api', {
      podSelector: tier('db'),
      ingress: [{ from: [{ namespaceSelector: { matchLabels: { team: `team-${n % 20}` } }, podSelector: tier('api') }], ports: [{ port: 5432 }, { port: 8080 }] }],
    }),
    policy('web-to-api', { podSelector: tier('web'), policyTypes: ['Egress'], egress: [{ to: [{ podSelector: tier('api') }], ports: [{ port: 8080 }, { port: 'http' }] }] }),
    policy('api-to-prod', { podSelector: tier('api'), policyTypes: ['Egress'], egress: [{ to: [{ namespaceSelector: { matchLabels: { env: 'prod' } } }], ports: [{ port: 8000, endPort: 8100 }] }] }),
    policy('metrics-from-monitoring', {
      podSelector: { matchExpressions: [{ key: 'tier', operator: 'In', values: ['api', 'db'] }] },
      ingress: [{ from: [{ namespaceSelector: { matchLabels: { 'kubernetes.io/metadata.name': 'ns-000' } } }], ports: [{ port: 'metrics' }] }],
    }),
    policy('worker-egress-internet', {
      podSelector: tier('worker'),
      policyTypes: ['Egress'],
      egress: [{
        to: [
          { ipBlock: { cidr: '0.0.0.0/0', except: ['10.0.0.0/8', '172.16.0.0/12', '192.168.0.0/16', '169.254.0.0/16'] } },
          { ipBlock: { cidr: '::/0', except: ['fc00::/7', 'fe80::/10'] } },
        ],
        ports: [{ port: 443 }],
      }],
    }),
    policy('partners', {
      podSelector: { matchExpressions: [{ key: 'tier', operator: 'NotIn', values: ['db'] }] },
      ingress: [{
        from: [{ podSelector: { matchLabels: { app: someApp() } } }, { namespaceSelector: { matchLabels: { team: `team-${pick([1, 2, 3])}` } } }],
        ports: [{ port: 8080 }, { protocol: 'UDP', port: 9000 }],
      }],
    }),
  ];
}

/** A small, seedable PRNG so every run benchmarks the same cluster. */
export function mulberry32(seed: number): () => number {
  let state = seed >>> 0;
  return () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

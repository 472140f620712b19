/**
 * Random small clusters for property tests: namespaces with labels, pods and
 * workloads of every kind with labels and (named) container ports, and
 * NetworkPolicies using every feature, with the external addresses and the
 * ports worth probing (every port named, and the ports next to each).
 */
import * as fc from 'fast-check';
import { NaiveFlow } from './naive-evaluator';

export type ProtocolName = 'TCP' | 'UDP' | 'SCTP';

export const PROTOCOLS: ProtocolName[] = ['TCP', 'UDP', 'SCTP'];

// ---------------------------------------------------------------------------
// Vocabularies: small, so that selectors match often.

export const NAMESPACE_NAMES = ['default', 'alpha', 'beta', 'kube-system'];
export const POD_KEYS = ['app', 'tier', 'example.com/role'];
export const POD_VALUES = ['web', 'api', 'db', ''];
export const NAMESPACE_KEYS = ['team', 'name', 'kubernetes.io/metadata.name'];
export const NAMESPACE_VALUES = ['red', 'blue', 'default', 'alpha', 'beta', 'kube-system', 'gamma'];
const KINDS = ['Pod', 'Deployment', 'StatefulSet', 'DaemonSet', 'ReplicaSet', 'ReplicationController', 'Job', 'CronJob'];
export const CONTAINER_PORTS = [53, 80, 443, 8080, 9090];
export const PORT_NAMES = ['http', 'metrics', 'dns', 'grpc'];
export const POLICY_PORTS = [1, 53, 80, 443, 8080, 9090, 65535];

/** Canonical networks and, for each, the networks strictly inside it (valid `except` entries). */
const NETWORKS: Record<string, string[]> = {
  '0.0.0.0/0': ['10.0.0.0/8', '10.1.0.0/16', '10.1.2.0/24', '10.1.2.3/32', '192.168.0.0/16', '192.168.1.0/24', '203.0.113.0/24', '203.0.113.128/25', '203.0.113.7/32'],
  '10.0.0.0/8': ['10.1.0.0/16', '10.1.2.0/24', '10.1.2.3/32'],
  '10.1.0.0/16': ['10.1.2.0/24', '10.1.2.3/32'],
  '10.1.2.3/32': [],
  '192.168.0.0/16': ['192.168.1.0/24'],
  '203.0.113.0/24': ['203.0.113.128/25', '203.0.113.7/32'],
  '203.0.113.128/25': [],
  '::/0': ['2001:db8::/32', '2001:db8:1::/48', '2001:db8:1::5/128', 'fd00::/8', 'fd00:1::/32', '64:ff9b::/96'],
  '2001:db8::/32': ['2001:db8:1::/48', '2001:db8:1::5/128'],
  '2001:db8:1::/48': ['2001:db8:1::5/128'],
  'fd00::/8': ['fd00:1::/32'],
  '64:ff9b::/96': ['64:ff9b::c000:207/128'],
};

const EXTERNAL_IPS = [
  '10.1.2.3', '10.1.9.9', '10.200.0.1', '192.168.1.20', '203.0.113.7', '203.0.113.200', '8.8.8.8',
  '2001:db8:1::5', '2001:db8:1:0:0:0:0:6', '2001:db8:2::1', 'fd00:1::1', 'fd12::1', '64:ff9b::192.0.2.7', '2606:4700::1111',
];

// ---------------------------------------------------------------------------
// Arbitraries

function labelsArb(keys: string[], values: string[]): fc.Arbitrary<Record<string, string>> {
  const model: Record<string, fc.Arbitrary<string>> = {};
  for (const key of keys) {
    model[key] = fc.constantFrom(...values);
  }
  return fc.record(model, { requiredKeys: [] }) as fc.Arbitrary<Record<string, string>>;
}

function selectorArb(keys: string[], values: string[]): fc.Arbitrary<any> {
  const expression = fc.oneof(
    fc.record({
      key: fc.constantFrom(...keys),
      operator: fc.constantFrom('In', 'NotIn'),
      values: fc.uniqueArray(fc.constantFrom(...values), { minLength: 1, maxLength: 2 }),
    }),
    fc.record({
      key: fc.constantFrom(...keys),
      operator: fc.constantFrom('Exists', 'DoesNotExist'),
    }),
  );
  return fc.record({
    matchLabels: labelsArb(keys, values),
    matchExpressions: fc.array(expression, { maxLength: 2 }),
  }, { requiredKeys: [] });
}

export const podSelectorArb = selectorArb(POD_KEYS, POD_VALUES);
export const namespaceSelectorArb = selectorArb(NAMESPACE_KEYS, NAMESPACE_VALUES);

export const ipBlockArb: fc.Arbitrary<any> = fc.constantFrom(...Object.keys(NETWORKS)).chain((cidr) => {
  const inside = NETWORKS[cidr];
  if (inside.length === 0) {
    return fc.constant({ cidr });
  }
  return fc.record({
    cidr: fc.constant(cidr),
    except: fc.uniqueArray(fc.constantFrom(...inside), { maxLength: 2 }),
  }, { requiredKeys: ['cidr'] });
});

const peerArb: fc.Arbitrary<any> = fc.oneof(
  fc.record({ podSelector: podSelectorArb }),
  fc.record({ namespaceSelector: namespaceSelectorArb }),
  fc.record({ podSelector: podSelectorArb, namespaceSelector: namespaceSelectorArb }),
  fc.record({ ipBlock: ipBlockArb }),
);

const portRangeArb: fc.Arbitrary<any> = fc.tuple(fc.constantFrom(...POLICY_PORTS), fc.constantFrom(0, 1, 10, 1000))
  .map(([port, width]) => ({ port, endPort: Math.min(65535, port + width) }));

const portEntryArb: fc.Arbitrary<any> = fc.tuple(
  fc.option(fc.constantFrom(...PROTOCOLS), { nil: undefined }),
  fc.oneof(
    fc.constant({}), // protocol only (or nothing: all TCP ports)
    fc.record({ port: fc.constantFrom(...POLICY_PORTS) }),
    portRangeArb,
    fc.record({ port: fc.constantFrom(...PORT_NAMES, 'web') }),
  ),
).map(([protocol, port]) => (protocol === undefined ? { ...port } : { protocol, ...port }));

function ruleArb(peersKey: 'from' | 'to'): fc.Arbitrary<any> {
  return fc.record({
    [peersKey]: fc.array(peerArb, { maxLength: 3 }),
    ports: fc.array(portEntryArb, { maxLength: 3 }),
  }, { requiredKeys: [] });
}

const policyTypesArb = fc.option(
  fc.constantFrom<string[]>([], ['Ingress'], ['Egress'], ['Ingress', 'Egress'], ['Egress', 'Ingress']),
  { nil: undefined },
);

const policyArb = fc.record({
  namespaceIndex: fc.nat(),
  omitNamespace: fc.boolean(),
  // Often every pod of the namespace, so that policies isolate something.
  podSelector: fc.oneof(fc.constant({}), podSelectorArb),
  policyTypes: policyTypesArb,
  ingress: fc.option(fc.array(ruleArb('from'), { maxLength: 3 }), { nil: undefined }),
  egress: fc.option(fc.array(ruleArb('to'), { maxLength: 3 }), { nil: undefined }),
});

const containerPortArb = fc.record({
  containerPort: fc.constantFrom(...CONTAINER_PORTS),
  protocol: fc.option(fc.constantFrom(...PROTOCOLS), { nil: undefined }),
  name: fc.option(fc.constantFrom(...PORT_NAMES), { nil: undefined }),
});

const endpointArb = fc.record({
  kind: fc.constantFrom(...KINDS),
  namespaceIndex: fc.nat(),
  omitNamespace: fc.boolean(),
  labels: labelsArb(POD_KEYS, POD_VALUES),
  containers: fc.array(fc.array(containerPortArb, { maxLength: 3 }), { minLength: 1, maxLength: 2 }),
});

const namespaceArb = fc.record({
  name: fc.constantFrom(...NAMESPACE_NAMES),
  hasObject: fc.boolean(),
  labels: labelsArb(NAMESPACE_KEYS, NAMESPACE_VALUES),
});

export interface Cluster {
  readonly objects: any[];
  readonly endpoints: string[];
  readonly externals: string[];
  readonly probes: Array<[number, ProtocolName]>;
}

/** Renders containers with unique port names per pod and unique port/protocol per container. */
function renderContainers(containers: Array<Array<{ containerPort: number; protocol?: string; name?: string }>>): any[] {
  const names = new Set<string>();
  return containers.map((ports, i) => {
    const seen = new Set<string>();
    const rendered: any[] = [];
    for (const p of ports) {
      const key = `${p.containerPort}/${p.protocol ?? 'TCP'}`;
      if (seen.has(key) || (p.name !== undefined && names.has(p.name))) {
        continue;
      }
      seen.add(key);
      const port: any = { containerPort: p.containerPort };
      if (p.name !== undefined) {
        names.add(p.name);
        port.name = p.name;
      }
      if (p.protocol !== undefined) {
        port.protocol = p.protocol;
      }
      rendered.push(port);
    }
    const container: any = { name: `c${i}`, image: 'nginx' };
    if (rendered.length > 0) {
      container.ports = rendered;
    }
    return container;
  });
}

function metadataFor(name: string, namespace: string, omitNamespace: boolean): any {
  return namespace === 'default' && omitNamespace ? { name } : { name, namespace };
}

function renderEndpoint(
  kind: string, name: string, namespace: string, omitNamespace: boolean, labels: Record<string, string>, containers: any[],
): any {
  const metadata = metadataFor(name, namespace, omitNamespace);
  const podMetadata = Object.keys(labels).length > 0 ? { labels } : {};
  const podSpec = { containers };
  if (kind === 'Pod') {
    return { apiVersion: 'v1', kind, metadata: { ...metadata, ...podMetadata }, spec: podSpec };
  }
  const template = { metadata: podMetadata, spec: podSpec };
  switch (kind) {
    case 'ReplicationController':
      return { apiVersion: 'v1', kind, metadata, spec: { selector: labels, template } };
    case 'Job':
      return { apiVersion: 'batch/v1', kind, metadata, spec: { template: { ...template, spec: { ...podSpec, restartPolicy: 'Never' } } } };
    case 'CronJob':
      return {
        apiVersion: 'batch/v1',
        kind,
        metadata,
        spec: {
          schedule: '*/5 * * * *',
          jobTemplate: { spec: { template: { ...template, spec: { ...podSpec, restartPolicy: 'Never' } } } },
        },
      };
    default:
      return { apiVersion: 'apps/v1', kind, metadata, spec: { selector: { matchLabels: labels }, template } };
  }
}

export const clusterArb: fc.Arbitrary<Cluster> = fc.record({
  namespaces: fc.uniqueArray(namespaceArb, { minLength: 1, maxLength: 4, selector: (n) => n.name }),
  endpoints: fc.array(endpointArb, { minLength: 1, maxLength: 6 }),
  policies: fc.array(policyArb, { maxLength: 5, size: 'medium' }),
  externals: fc.shuffledSubarray(EXTERNAL_IPS, { minLength: 2, maxLength: 3 }),
}).chain(({ namespaces, endpoints, policies, externals }) => {
  const objects: any[] = [];
  for (const namespace of namespaces) {
    if (namespace.hasObject) {
      const metadata: any = { name: namespace.name };
      if (Object.keys(namespace.labels).length > 0) {
        metadata.labels = namespace.labels;
      }
      objects.push({ apiVersion: 'v1', kind: 'Namespace', metadata });
    }
  }
  const names: string[] = [];
  const ports = new Set<number>([80]);
  endpoints.forEach((e, i) => {
    const namespace = namespaces[e.namespaceIndex % namespaces.length].name;
    const name = `${e.kind.toLowerCase()}-${i}`; // unique in the whole cluster
    const containers = renderContainers(e.containers);
    for (const c of containers) {
      for (const p of c.ports ?? []) {
        ports.add(p.containerPort);
      }
    }
    objects.push(renderEndpoint(e.kind, name, namespace, e.omitNamespace, e.labels, containers));
    names.push(`${namespace}/${name}`);
  });
  policies.forEach((p, i) => {
    const namespace = namespaces[p.namespaceIndex % namespaces.length].name;
    const spec: any = { podSelector: p.podSelector };
    if (p.policyTypes !== undefined) spec.policyTypes = p.policyTypes;
    if (p.ingress !== undefined) spec.ingress = p.ingress;
    if (p.egress !== undefined) spec.egress = p.egress;
    for (const rule of [...(p.ingress ?? []), ...(p.egress ?? [])]) {
      for (const entry of rule.ports ?? []) {
        if (typeof entry.port === 'number') {
          ports.add(entry.port);
          ports.add(Math.max(1, entry.port - 1));
          if (entry.endPort !== undefined) {
            ports.add(entry.endPort);
            ports.add(Math.min(65535, entry.endPort + 1));
          }
        }
      }
    }
    objects.push({
      apiVersion: 'networking.k8s.io/v1',
      kind: 'NetworkPolicy',
      metadata: metadataFor(`np-${i}`, namespace, p.omitNamespace),
      spec,
    });
  });
  const pool: Array<[number, ProtocolName]> = [];
  for (const port of [...ports].sort((a, b) => a - b)) {
    for (const protocol of PROTOCOLS) {
      pool.push([port, protocol]);
    }
  }
  return fc.uniqueArray(fc.constantFrom(...pool), { minLength: 3, maxLength: 5, selector: ([port, protocol]) => `${port}/${protocol}` })
    .map((probes) => ({ objects, endpoints: names, externals: externals.map((ip) => `ip:${ip}`), probes }));
});

/** Every flow between all endpoints and external addresses (no ip -> ip), on every probe. */
export function flowsOf(cluster: Cluster): NaiveFlow[] {
  const all = [...cluster.endpoints, ...cluster.externals];
  const flows: NaiveFlow[] = [];
  for (const from of all) {
    for (const to of all) {
      if (from.startsWith('ip:') && to.startsWith('ip:')) {
        continue;
      }
      for (const [port, protocol] of cluster.probes) {
        flows.push({ from, to, port, protocol });
      }
    }
  }
  return flows;
}


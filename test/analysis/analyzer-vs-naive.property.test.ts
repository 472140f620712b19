import * as fc from 'fast-check';
import { Analyzer } from '../../src/analysis/analyzer';
import { Protocol } from '../../src/protocol';
import { NaiveFlow, naiveIsAllowed } from '../support/naive-evaluator';
import { assertValidNetworkPolicy } from '../support/synth';

type ProtocolName = 'TCP' | 'UDP' | 'SCTP';

const PROTOCOLS: ProtocolName[] = ['TCP', 'UDP', 'SCTP'];

// ---------------------------------------------------------------------------
// Vocabularies: small, so that selectors match often.

const NAMESPACE_NAMES = ['default', 'alpha', 'beta', 'kube-system'];
const POD_KEYS = ['app', 'tier', 'example.com/role'];
const POD_VALUES = ['web', 'api', 'db', ''];
const NAMESPACE_KEYS = ['team', 'name', 'kubernetes.io/metadata.name'];
const NAMESPACE_VALUES = ['red', 'blue', 'default', 'alpha', 'beta', 'kube-system', 'gamma'];
const KINDS = ['Pod', 'Deployment', 'StatefulSet', 'DaemonSet', 'ReplicaSet', 'ReplicationController', 'Job', 'CronJob'];
const CONTAINER_PORTS = [53, 80, 443, 8080, 9090];
const PORT_NAMES = ['http', 'metrics', 'dns', 'grpc'];
const POLICY_PORTS = [1, 53, 80, 443, 8080, 9090, 65535];

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

const podSelectorArb = selectorArb(POD_KEYS, POD_VALUES);
const namespaceSelectorArb = selectorArb(NAMESPACE_KEYS, NAMESPACE_VALUES);

const ipBlockArb: fc.Arbitrary<any> = fc.constantFrom(...Object.keys(NETWORKS)).chain((cidr) => {
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

interface Cluster {
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

const clusterArb: fc.Arbitrary<Cluster> = fc.record({
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
function flowsOf(cluster: Cluster): NaiveFlow[] {
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

// ---------------------------------------------------------------------------
// The property

describe('Analyzer agrees with the naive evaluator', () => {
  test('the generated NetworkPolicies match the Kubernetes schema', () => {
    for (const cluster of fc.sample(clusterArb, 100)) {
      for (const object of cluster.objects) {
        assertValidNetworkPolicy(object);
        for (const rule of [...(object.spec?.ingress ?? []), ...(object.spec?.egress ?? [])]) {
          for (const entry of rule.ports ?? []) {
            if (entry.endPort !== undefined) {
              expect(typeof entry.port).toBe('number');
              expect(entry.endPort).toBeGreaterThanOrEqual(entry.port);
            }
          }
        }
      }
    }
  });

  test('on random small clusters, for every flow', () => {
    fc.assert(
      fc.property(clusterArb, (cluster) => {
        // The analyzer gets its own copy, so it cannot change what the naive evaluator sees.
        const analyzer = Analyzer.fromManifests(structuredClone(cluster.objects));
        const disagreements: string[] = [];
        for (const flow of flowsOf(cluster)) {
          const analyzerFlow = { from: flow.from, to: flow.to, port: flow.port, protocol: Protocol[flow.protocol ?? 'TCP'] };
          const expected = naiveIsAllowed(cluster.objects, flow);
          const actual = analyzer.isAllowed(analyzerFlow);
          if (actual !== expected) {
            disagreements.push(
              `${flow.from} -> ${flow.to} ${flow.protocol}/${flow.port}: analyzer ${actual ? 'allows' : 'denies'}, naive ${expected ? 'allows' : 'denies'}; ` +
              `analyzer reason: ${analyzer.explain(analyzerFlow).reason}`,
            );
          }
        }
        if (disagreements.length > 0) {
          throw new Error(`${disagreements.length} disagreement(s):\n${disagreements.slice(0, 5).join('\n')}`);
        }
      }),
      { numRuns: 1000 },
    );
  }, 30_000);
});

// ---------------------------------------------------------------------------
// The naive evaluator on its own, with hand-checked examples.

function ns(name: string, labels?: Record<string, string>): any {
  return { apiVersion: 'v1', kind: 'Namespace', metadata: labels ? { name, labels } : { name } };
}

function pod(namespace: string, name: string, labels: Record<string, string>, ports: any[] = []): any {
  return {
    apiVersion: 'v1',
    kind: 'Pod',
    metadata: { name, namespace, labels },
    spec: { containers: [{ name: 'main', image: 'nginx', ports }] },
  };
}

function policy(namespace: string, name: string, spec: any): any {
  return { apiVersion: 'networking.k8s.io/v1', kind: 'NetworkPolicy', metadata: { name, namespace }, spec };
}

const denyAllIngress = (namespace: string) => policy(namespace, 'deny-ingress', { podSelector: {}, policyTypes: ['Ingress'] });

describe('naiveIsAllowed', () => {
  const base = [
    ns('prod', { team: 'red' }),
    ns('dev', { team: 'blue' }),
    pod('prod', 'web', { app: 'web' }),
    pod('prod', 'api', { app: 'api' }, [{ name: 'http', containerPort: 8080 }, { name: 'dns', containerPort: 53, protocol: 'UDP' }]),
    pod('dev', 'web', { app: 'web' }),
    pod('dev', 'tool', { app: 'tool' }),
  ];

  test('without policies everything is allowed', () => {
    expect(naiveIsAllowed(base, { from: 'prod/web', to: 'dev/tool', port: 1234, protocol: 'UDP' })).toBe(true);
    expect(naiveIsAllowed(base, { from: 'ip:8.8.8.8', to: 'prod/api', port: 80 })).toBe(true);
    expect(naiveIsAllowed(base, { from: 'prod/api', to: 'ip:2001:db8::1', port: 443 })).toBe(true);
  });

  test('a deny-all-ingress policy isolates ingress only', () => {
    const objects = [...base, denyAllIngress('prod')];
    expect(naiveIsAllowed(objects, { from: 'dev/web', to: 'prod/api', port: 8080 })).toBe(false);
    expect(naiveIsAllowed(objects, { from: 'prod/web', to: 'prod/api', port: 8080 })).toBe(false);
    expect(naiveIsAllowed(objects, { from: 'prod/api', to: 'dev/web', port: 8080 })).toBe(true);
    expect(naiveIsAllowed(objects, { from: 'ip:8.8.8.8', to: 'prod/web', port: 80 })).toBe(false);
  });

  test('namespaceSelector + podSelector in one peer is an AND; two peers are an OR', () => {
    const and = policy('prod', 'and', {
      podSelector: { matchLabels: { app: 'api' } },
      ingress: [{ from: [{ namespaceSelector: { matchLabels: { team: 'blue' } }, podSelector: { matchLabels: { app: 'web' } } }] }],
    });
    const or = policy('prod', 'or', {
      podSelector: { matchLabels: { app: 'api' } },
      ingress: [{ from: [{ namespaceSelector: { matchLabels: { team: 'blue' } } }, { podSelector: { matchLabels: { app: 'web' } } }] }],
    });
    const flows = ['dev/web', 'dev/tool', 'prod/web'].map((from) => ({ from, to: 'prod/api', port: 8080 }));
    expect(flows.map((f) => naiveIsAllowed([...base, and], f))).toEqual([true, false, false]);
    expect(flows.map((f) => naiveIsAllowed([...base, or], f))).toEqual([true, true, true]);
  });

  test('policies are additive: the union of their rules', () => {
    const fromWeb80 = policy('prod', 'web-80', {
      podSelector: { matchLabels: { app: 'api' } },
      ingress: [{ from: [{ podSelector: { matchLabels: { app: 'web' } } }], ports: [{ port: 80 }] }],
    });
    const fromDev443 = policy('prod', 'dev-443', {
      podSelector: {},
      ingress: [{ from: [{ namespaceSelector: { matchLabels: { 'kubernetes.io/metadata.name': 'dev' } } }], ports: [{ protocol: 'TCP', port: 443 }] }],
    });
    const objects = [...base, fromWeb80, fromDev443];
    expect(naiveIsAllowed(objects, { from: 'prod/web', to: 'prod/api', port: 80 })).toBe(true);
    expect(naiveIsAllowed(objects, { from: 'prod/web', to: 'prod/api', port: 443 })).toBe(false);
    expect(naiveIsAllowed(objects, { from: 'dev/tool', to: 'prod/api', port: 443 })).toBe(true);
    expect(naiveIsAllowed(objects, { from: 'dev/tool', to: 'prod/api', port: 443, protocol: 'UDP' })).toBe(false);
    expect(naiveIsAllowed(objects, { from: 'dev/tool', to: 'prod/api', port: 80 })).toBe(false);
    // prod/web is selected only by dev-443
    expect(naiveIsAllowed(objects, { from: 'dev/tool', to: 'prod/web', port: 443 })).toBe(true);
    expect(naiveIsAllowed(objects, { from: 'prod/api', to: 'prod/web', port: 80 })).toBe(false);
  });

  test('a flow needs egress at the source AND ingress at the destination', () => {
    const denyEgress = policy('dev', 'deny-egress', { podSelector: {}, policyTypes: ['Egress'] });
    const objects = [...base, denyEgress];
    expect(naiveIsAllowed(objects, { from: 'dev/web', to: 'prod/api', port: 8080 })).toBe(false);
    expect(naiveIsAllowed(objects, { from: 'prod/web', to: 'dev/web', port: 8080 })).toBe(true);
    expect(naiveIsAllowed(objects, { from: 'ip:8.8.8.8', to: 'dev/web', port: 80 })).toBe(true);
    expect(naiveIsAllowed(objects, { from: 'dev/web', to: 'ip:8.8.8.8', port: 80 })).toBe(false);
  });

  test('policyTypes defaulting: egress: [] isolates nothing; policyTypes Egress with no rules denies', () => {
    const emptyEgress = policy('dev', 'empty-egress', { podSelector: {}, egress: [] });
    expect(naiveIsAllowed([...base, emptyEgress], { from: 'dev/web', to: 'prod/api', port: 8080 })).toBe(true);
    expect(naiveIsAllowed([...base, emptyEgress], { from: 'prod/api', to: 'dev/web', port: 8080 })).toBe(false); // still Ingress
    const declared = policy('dev', 'declared', { podSelector: {}, policyTypes: ['Egress'], egress: [] });
    expect(naiveIsAllowed([...base, declared], { from: 'dev/web', to: 'prod/api', port: 8080 })).toBe(false);
    expect(naiveIsAllowed([...base, declared], { from: 'prod/api', to: 'dev/web', port: 8080 })).toBe(true);
    const egressRule = policy('dev', 'rule', { podSelector: {}, egress: [{ ports: [{ port: 53, protocol: 'UDP' }] }] });
    expect(naiveIsAllowed([...base, egressRule], { from: 'dev/web', to: 'ip:10.0.0.10', port: 53, protocol: 'UDP' })).toBe(true);
    expect(naiveIsAllowed([...base, egressRule], { from: 'dev/web', to: 'ip:10.0.0.10', port: 53 })).toBe(false);
  });

  test('policyTypes [Egress] ignores ingress rules; empty peers and ports mean everyone and every port', () => {
    const egressOnly = policy('prod', 'egress-only', { podSelector: {}, policyTypes: ['Egress'], ingress: [{ from: [{ podSelector: {} }] }] });
    expect(naiveIsAllowed([...base, egressOnly], { from: 'dev/web', to: 'prod/api', port: 8080 })).toBe(true);
    const everyone = policy('prod', 'everyone', { podSelector: {}, policyTypes: ['Ingress'], ingress: [{ from: [], ports: [] }] });
    expect(naiveIsAllowed([...base, denyAllIngress('prod'), everyone], { from: 'ip:198.51.100.1', to: 'prod/api', port: 9, protocol: 'SCTP' })).toBe(true);
    const nothing = policy('prod', 'nothing', { podSelector: {}, ingress: [{ from: [{ podSelector: {} }] }] });
    expect(naiveIsAllowed([...base, nothing], { from: 'ip:198.51.100.1', to: 'prod/api', port: 80 })).toBe(false);
    expect(naiveIsAllowed([...base, nothing], { from: 'prod/web', to: 'prod/api', port: 80 })).toBe(true);
    expect(naiveIsAllowed([...base, nothing], { from: 'dev/web', to: 'prod/api', port: 80 })).toBe(false);
  });

  test('namespaces: kubernetes.io/metadata.name always, a name label never by itself', () => {
    const objects = [
      pod('kube-system', 'coredns', { k8s: 'dns' }),
      pod('prod', 'web', { app: 'web' }),
      policy('prod', 'dns', {
        podSelector: {},
        policyTypes: ['Egress'],
        egress: [{ to: [{ namespaceSelector: { matchLabels: { name: 'kube-system' } } }] }],
      }),
    ];
    expect(naiveIsAllowed(objects, { from: 'prod/web', to: 'kube-system/coredns', port: 53, protocol: 'UDP' })).toBe(false);
    const fixed = [...objects.slice(0, 2), policy('prod', 'dns', {
      podSelector: {},
      policyTypes: ['Egress'],
      egress: [{ to: [{ namespaceSelector: { matchExpressions: [{ key: 'kubernetes.io/metadata.name', operator: 'In', values: ['kube-system'] }] } }] }],
    })];
    expect(naiveIsAllowed(fixed, { from: 'prod/web', to: 'kube-system/coredns', port: 53, protocol: 'UDP' })).toBe(true);
    // A Namespace object cannot override the metadata.name label.
    const lying = [...fixed, ns('kube-system', { 'kubernetes.io/metadata.name': 'other' })];
    expect(naiveIsAllowed(lying, { from: 'prod/web', to: 'kube-system/coredns', port: 53, protocol: 'UDP' })).toBe(true);
  });

  test('ipBlock: cidr minus except, both families, never pods', () => {
    const objects = [...base, policy('prod', 'out', {
      podSelector: {},
      policyTypes: ['Egress'],
      egress: [{
        to: [
          { ipBlock: { cidr: '0.0.0.0/0', except: ['10.0.0.0/8', '192.168.0.0/16'] } },
          { ipBlock: { cidr: '2001:db8::/32', except: ['2001:db8:1::/48'] } },
        ],
      }],
    })];
    const to = (ip: string) => naiveIsAllowed(objects, { from: 'prod/web', to: `ip:${ip}`, port: 443 });
    expect(to('8.8.8.8')).toBe(true);
    expect(to('10.1.2.3')).toBe(false);
    expect(to('192.168.255.255')).toBe(false);
    expect(to('2001:db8:2::1')).toBe(true);
    expect(to('2001:0db8:0001:0000:0000:0000:0000:0001')).toBe(false);
    expect(to('2001:db9::1')).toBe(false);
    expect(to('::ffff:8.8.8.8')).toBe(false); // IPv6, outside 2001:db8::/32
    expect(naiveIsAllowed(objects, { from: 'prod/web', to: 'dev/web', port: 443 })).toBe(false);
  });

  test('ports: endPort ranges are inclusive; named ports resolve on the destination pod, with its protocol', () => {
    const ranged = policy('prod', 'ranged', { podSelector: {}, ingress: [{ ports: [{ port: 8000, endPort: 8080 }] }] });
    expect([7999, 8000, 8080, 8081].map((port) => naiveIsAllowed([...base, ranged], { from: 'dev/web', to: 'prod/api', port }))).toEqual([false, true, true, false]);
    const named = policy('prod', 'named', { podSelector: {}, ingress: [{ ports: [{ port: 'http' }, { port: 'dns', protocol: 'UDP' }] }] });
    const objects = [...base, named];
    expect(naiveIsAllowed(objects, { from: 'dev/web', to: 'prod/api', port: 8080 })).toBe(true);
    expect(naiveIsAllowed(objects, { from: 'dev/web', to: 'prod/api', port: 8080, protocol: 'UDP' })).toBe(false);
    expect(naiveIsAllowed(objects, { from: 'dev/web', to: 'prod/api', port: 53, protocol: 'UDP' })).toBe(true);
    expect(naiveIsAllowed(objects, { from: 'dev/web', to: 'prod/api', port: 53 })).toBe(false);
    expect(naiveIsAllowed(objects, { from: 'dev/web', to: 'prod/web', port: 8080 })).toBe(false); // prod/web has no port named http
    const namedEgress = policy('dev', 'named-egress', { podSelector: {}, egress: [{ ports: [{ port: 'http' }] }] });
    expect(naiveIsAllowed([...base, namedEgress], { from: 'dev/web', to: 'prod/api', port: 8080 })).toBe(true);
    expect(naiveIsAllowed([...base, namedEgress], { from: 'dev/web', to: 'ip:8.8.8.8', port: 8080 })).toBe(false);
  });

  test('selectors: NotIn and DoesNotExist match pods without the key; empty label values', () => {
    const objects = [
      pod('x', 'plain', {}),
      pod('x', 'blank', { app: '' }),
      pod('x', 'db', { app: 'db' }),
      pod('x', 'server', { role: 'server' }),
      policy('x', 'not-db', { podSelector: {}, ingress: [{ from: [{ podSelector: { matchExpressions: [{ key: 'app', operator: 'NotIn', values: ['db'] }] } }] }] }),
    ];
    expect(['plain', 'blank', 'db'].map((name) => naiveIsAllowed(objects, { from: `x/${name}`, to: 'x/server', port: 5432 }))).toEqual([true, true, false]);
    const blank = [...objects.slice(0, 4), policy('x', 'blank', { podSelector: {}, ingress: [{ from: [{ podSelector: { matchLabels: { app: '' } } }] }] })];
    expect(['plain', 'blank', 'db'].map((name) => naiveIsAllowed(blank, { from: `x/${name}`, to: 'x/server', port: 1 }))).toEqual([false, true, false]);
    const missing = [...objects.slice(0, 4), policy('x', 'missing', { podSelector: {}, ingress: [{ from: [{ podSelector: { matchExpressions: [{ key: 'app', operator: 'DoesNotExist' }] } }] }] })];
    expect(['plain', 'blank', 'db'].map((name) => naiveIsAllowed(missing, { from: `x/${name}`, to: 'x/server', port: 1 }))).toEqual([true, false, false]);
  });

  test('workloads: template labels and ports; default namespace; self flows', () => {
    const cron = {
      apiVersion: 'batch/v1',
      kind: 'CronJob',
      metadata: { name: 'backup' },
      spec: { schedule: '@daily', jobTemplate: { spec: { template: { metadata: { labels: { app: 'backup' } }, spec: { containers: [{ name: 'b', image: 'b' }] } } } } },
    };
    const deploy = {
      apiVersion: 'apps/v1',
      kind: 'Deployment',
      metadata: { name: 'api', namespace: 'default', labels: { app: 'wrong' } },
      spec: {
        selector: { matchLabels: { app: 'api' } },
        template: { metadata: { labels: { app: 'api' } }, spec: { containers: [{ name: 'a', image: 'a', ports: [{ name: 'http', containerPort: 8080 }] }] } },
      },
    };
    const single = { apiVersion: 'v1', kind: 'Pod', metadata: { name: 'single', labels: { app: 'api' } }, spec: { containers: [] } };
    const onlyBackup = {
      apiVersion: 'networking.k8s.io/v1',
      kind: 'NetworkPolicy',
      metadata: { name: 'only-backup' },
      spec: { podSelector: { matchLabels: { app: 'api' } }, ingress: [{ from: [{ podSelector: { matchLabels: { app: 'backup' } } }], ports: [{ port: 'http' }] }] },
    };
    const objects = [cron, deploy, single, onlyBackup];
    expect(naiveIsAllowed(objects, { from: 'default/backup', to: 'default/api', port: 8080 })).toBe(true);
    expect(naiveIsAllowed(objects, { from: 'default/backup', to: 'default/api', port: 8081 })).toBe(false);
    expect(naiveIsAllowed(objects, { from: 'default/api', to: 'default/api', port: 8080 })).toBe(false); // replica to replica
    expect(naiveIsAllowed(objects, { from: 'default/single', to: 'default/single', port: 8080 })).toBe(true); // loopback
    expect(naiveIsAllowed(objects, { from: 'default/backup', to: 'default/single', port: 8080 })).toBe(false); // no port named http
  });

  test('unknown endpoints and ip -> ip flows are errors', () => {
    expect(() => naiveIsAllowed(base, { from: 'prod/nope', to: 'prod/web', port: 80 })).toThrow(/no Pod or workload/);
    expect(() => naiveIsAllowed(base, { from: 'ip:1.2.3.4', to: 'ip:5.6.7.8', port: 80 })).toThrow(/two external/);
    expect(() => naiveIsAllowed(base, { from: 'ip:1.2.3', to: 'prod/web', port: 80 })).toThrow(/not an IP/);
  });
});

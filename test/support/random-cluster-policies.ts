/**
 * Random cluster-scoped policies of the network-policy-api over the
 * vocabularies of random-cluster.ts: ClusterNetworkPolicies
 * (policy.networking.k8s.io/v1alpha2) of both tiers with every action,
 * AdminNetworkPolicies and an optional BaselineAdminNetworkPolicy (v1alpha1),
 * with subjects by namespaces and by pods, peers by namespaces, pods and
 * networks, and ports by number, range and name (or none). Every policy of a
 * tier has its own priority: the API leaves the order of equal priorities
 * undefined.
 *
 * `clusterWithTiersArb` puts them into a random cluster of random-cluster.ts,
 * decorated (a copy: the cluster's own arbitrary is unchanged) with Pods that
 * have addresses in `status.podIPs` and some `hostNetwork: true` pods, and
 * mixes in a random subset of its NetworkPolicies and, sometimes, random
 * Cilium policies, so that the tiers meet.
 */
import * as fc from 'fast-check';
import { ciliumPoliciesArb } from './random-cilium-policies';
import {
  clusterArb, CONTAINER_PORTS, NAMESPACE_NAMES, namespaceSelectorArb, POD_KEYS, POD_VALUES, podSelectorArb,
  POLICY_PORTS, PORT_NAMES, PROTOCOLS, ProtocolName,
} from './random-cluster';

/** The address of the `index`-th Pod given one (IPv4 and IPv6): inside 10.244.0.0/16 and fd00:10:244::/64, never an address the cluster probes. */
function podAddresses(index: number): [string, string] {
  return [`10.244.${1 + (index % 2)}.${10 + index}`, `fd00:10:244::${(16 + index).toString(16)}`];
}

/**
 * The CIDRs of `networks` peers: some hold pod addresses only, some the
 * cluster's external addresses only (random-cluster.ts EXTERNAL_IPS), some both.
 */
export const NETWORK_CIDRS = [
  // pod addresses
  '10.244.0.0/16', '10.244.1.0/24', '10.244.2.0/24', '10.244.1.10/32', 'fd00:10:244::/64', 'fd00:10:244::11/128',
  // both
  '10.0.0.0/8', '0.0.0.0/0', '::/0', 'fd00::/8',
  // external addresses
  '10.1.0.0/16', '192.168.0.0/16', '203.0.113.0/24', '8.8.8.8/32', '2001:db8::/32',
];

// ---------------------------------------------------------------------------
// Pieces shared by both API versions

/** Often every namespace, so that subjects and peers select something. */
const namespacesArb: fc.Arbitrary<any> = fc.oneof({ weight: 1, arbitrary: fc.constant({}) }, { weight: 1, arbitrary: namespaceSelectorArb });
const podsSelectorArb: fc.Arbitrary<any> = fc.oneof(fc.constant({}), podSelectorArb);

/** `pods`: v1alpha1 requires the namespace selector, v1alpha2 does not. */
function namespacedPodArb(namespaceSelectorRequired: boolean): fc.Arbitrary<any> {
  return fc.record({
    namespaceSelector: namespacesArb,
    podSelector: podsSelectorArb,
  }, { requiredKeys: namespaceSelectorRequired ? ['namespaceSelector', 'podSelector'] : ['podSelector'] });
}

function subjectArb(namespaceSelectorRequired: boolean): fc.Arbitrary<any> {
  return fc.oneof(
    namespacesArb.map((namespaces) => ({ namespaces })),
    namespacedPodArb(namespaceSelectorRequired).map((pods) => ({ pods })),
  );
}

/** A peer: namespaces, pods, or (egress only) networks and, now and then, nodes (every node, or by labels no node is known to have). */
function peerArb(egress: boolean, namespaceSelectorRequired: boolean): fc.Arbitrary<any> {
  const peers: Array<fc.Arbitrary<any>> = [
    namespacesArb.map((namespaces) => ({ namespaces })),
    namespacedPodArb(namespaceSelectorRequired).map((pods) => ({ pods })),
  ];
  if (egress) {
    peers.push(fc.uniqueArray(fc.constantFrom(...NETWORK_CIDRS), { minLength: 1, maxLength: 2 }).map((networks) => ({ networks })));
    return fc.oneof(...peers.map((arbitrary) => ({ weight: 3, arbitrary })), { weight: 2, arbitrary: fc.constantFrom({ nodes: {} }, { nodes: {} }, { nodes: { matchLabels: { 'node-role.kubernetes.io/edge': '' } } }) });
  }
  return fc.oneof(...peers);
}

/** A range start..end, start < end (both APIs reject start >= end). */
const rangeArb = fc.tuple(fc.constantFrom(...POLICY_PORTS.filter((p) => p < 65535)), fc.constantFrom(1, 10, 1000))
  .map(([start, width]) => ({ start, end: Math.min(65535, start + width) }));

const protocolNameArb = fc.constantFrom<ProtocolName>(...PROTOCOLS);

/**
 * A rule: an action, 1-2 peers and, sometimes, ports (`portsKey`). A named
 * port does not go with a networks or nodes peer (the CRDs' validation: "there
 * are no namedPorts for networks/nodes").
 */
function ruleArb(
  egress: boolean, actions: string[], namespaceSelectorRequired: boolean,
  portsKey: string, portArb: fc.Arbitrary<any>, isNamed: (entry: any) => boolean,
): fc.Arbitrary<any> {
  return fc.record({
    action: fc.constantFrom(...actions),
    peers: fc.array(peerArb(egress, namespaceSelectorRequired), { minLength: 1, maxLength: 2 }),
    ports: fc.option(fc.array(portArb, { minLength: 1, maxLength: 3 }), { nil: undefined, freq: 2 }),
  }).map(({ action, peers, ports }) => {
    const rule: any = { action, [egress ? 'to' : 'from']: peers };
    const kept = peers.some((p) => p.networks !== undefined || p.nodes !== undefined) ? ports?.filter((p) => !isNamed(p)) : ports;
    if (kept !== undefined && kept.length > 0) rule[portsKey] = kept;
    return rule;
  });
}

/** ingress and egress, each absent or 1-3 rules (an absent list does not affect the direction). */
function rulesArb(rule: (egress: boolean) => fc.Arbitrary<any>): fc.Arbitrary<any> {
  return fc.record({
    ingress: fc.option(fc.array(rule(false), { minLength: 1, maxLength: 3 }), { nil: undefined, freq: 4 }),
    egress: fc.option(fc.array(rule(true), { minLength: 1, maxLength: 3 }), { nil: undefined, freq: 4 }),
  }).map((rules) => JSON.parse(JSON.stringify(rules))); // no key for what is not given
}

// ---------------------------------------------------------------------------
// v1alpha2 ClusterNetworkPolicy

/** `protocols` entries: tcp/udp/sctp with a number or a range, or a destination named port. */
const protocolArb: fc.Arbitrary<any> = fc.oneof(
  fc.tuple(protocolNameArb, fc.constantFrom(...POLICY_PORTS)).map(([p, number]) => ({ [p.toLowerCase()]: { destinationPort: { number } } })),
  fc.tuple(protocolNameArb, rangeArb).map(([p, range]) => ({ [p.toLowerCase()]: { destinationPort: { range } } })),
  fc.constantFrom(...PORT_NAMES, 'web').map((destinationNamedPort) => ({ destinationNamedPort })),
);

function cnpRuleArb(egress: boolean): fc.Arbitrary<any> {
  return ruleArb(egress, ['Accept', 'Deny', 'Pass'], false, 'protocols', protocolArb, (p) => p.destinationNamedPort !== undefined);
}

/** The spec of a ClusterNetworkPolicy without its tier and priority. */
const cnpBodyArb = fc.tuple(subjectArb(false), rulesArb(cnpRuleArb)).map(([subject, rules]) => ({ subject, ...rules }));

// ---------------------------------------------------------------------------
// v1alpha1 AdminNetworkPolicy and BaselineAdminNetworkPolicy

/** `ports` entries: portNumber, portRange (protocol defaults to TCP), namedPort. */
const v1alpha1PortArb: fc.Arbitrary<any> = fc.oneof(
  fc.record({ protocol: protocolNameArb, port: fc.constantFrom(...POLICY_PORTS) }).map((portNumber) => ({ portNumber })),
  fc.tuple(fc.option(protocolNameArb, { nil: undefined }), rangeArb)
    .map(([protocol, range]) => ({ portRange: protocol === undefined ? range : { protocol, ...range } })),
  fc.constantFrom(...PORT_NAMES, 'web').map((namedPort) => ({ namedPort })),
);

function v1alpha1RuleArb(actions: string[]): (egress: boolean) => fc.Arbitrary<any> {
  return (egress) => ruleArb(egress, actions, true, 'ports', v1alpha1PortArb, (p) => p.namedPort !== undefined);
}

const anpBodyArb = fc.tuple(subjectArb(true), rulesArb(v1alpha1RuleArb(['Allow', 'Deny', 'Pass']))).map(([subject, rules]) => ({ subject, ...rules }));
const banpBodyArb = fc.tuple(subjectArb(true), rulesArb(v1alpha1RuleArb(['Allow', 'Deny']))).map(([subject, rules]) => ({ subject, ...rules }));

// ---------------------------------------------------------------------------
// The policies together

/**
 * 0-3 Admin and 0-3 Baseline ClusterNetworkPolicies, 0-2 AdminNetworkPolicies
 * and sometimes the BaselineAdminNetworkPolicy `default`; every policy has its
 * own priority (so no tier depends on how equal priorities are ordered), in an
 * order unrelated to that of the objects.
 */
export const clusterPoliciesArb: fc.Arbitrary<any[]> = fc.record({
  admin: fc.array(cnpBodyArb, { maxLength: 3 }),
  baseline: fc.array(cnpBodyArb, { maxLength: 3 }),
  anps: fc.array(anpBodyArb, { maxLength: 2 }),
  banp: fc.option(banpBodyArb, { nil: undefined, freq: 3 }),
  priorities: fc.uniqueArray(fc.integer({ min: 0, max: 1000 }), { minLength: 8, maxLength: 8 }),
}).map(({ admin, baseline, anps, banp, priorities }) => {
  const objects: any[] = [];
  let next = 0;
  const cnp = (tier: string) => (body: any) => {
    const i = next++;
    objects.push({
      apiVersion: 'policy.networking.k8s.io/v1alpha2',
      kind: 'ClusterNetworkPolicy',
      metadata: { name: `cnp-${i}` },
      spec: { tier, priority: priorities[i], ...body },
    });
  };
  admin.forEach(cnp('Admin'));
  baseline.forEach(cnp('Baseline'));
  for (const [i, body] of anps.entries()) {
    objects.push({
      apiVersion: 'policy.networking.k8s.io/v1alpha1',
      kind: 'AdminNetworkPolicy',
      metadata: { name: `anp-${i}` },
      spec: { priority: priorities[next++], ...body },
    });
  }
  if (banp !== undefined) {
    objects.push({ apiVersion: 'policy.networking.k8s.io/v1alpha1', kind: 'BaselineAdminNetworkPolicy', metadata: { name: 'default' }, spec: banp });
  }
  return objects;
});

// ---------------------------------------------------------------------------
// The cluster

/** A Pod with addresses (or none), maybe on the host network; its container ports name the ports the policies name. */
const extraPodArb = fc.record({
  namespace: fc.constantFrom(...NAMESPACE_NAMES),
  labels: fc.dictionary(fc.constantFrom(...POD_KEYS), fc.constantFrom(...POD_VALUES), { maxKeys: 2 }),
  ports: fc.uniqueArray(fc.record({
    name: fc.constantFrom(...PORT_NAMES),
    containerPort: fc.constantFrom(...CONTAINER_PORTS),
    protocol: fc.option(protocolNameArb, { nil: undefined }),
  }), { maxLength: 3, selector: (p) => p.name }),
  status: fc.constantFrom('none', 'podIP', 'podIPs', 'dual'),
  hostNetwork: fc.nat(4).map((n) => n === 0),
});

/** How a Pod of the cluster (or an extra one) shows its addresses. */
function statusOf(form: string, index: number): any {
  const [v4, v6] = podAddresses(index);
  switch (form) {
    case 'podIP': return { podIP: v4 };
    case 'podIPs': return { podIP: v4, podIPs: [{ ip: v4 }] };
    case 'dual': return { podIP: v4, podIPs: [{ ip: v4 }, { ip: v6 }] };
    default: return undefined;
  }
}

/** A random cluster, NetworkPolicies, Cilium policies and cluster policies, with the ports worth probing. */
export interface ClusterWithTiers {
  /** Every object: the cluster's, decorated, its NetworkPolicies kept, the Cilium and the cluster policies. */
  readonly objects: any[];
  readonly endpoints: string[];
  readonly externals: string[];
  /** An entity end (`entity:host`...) to probe, when no Cilium policy is there (the naive Cilium evaluator knows no entities); else none. */
  readonly entities: string[];
  readonly ciliumPolicies: any[];
  readonly clusterPolicies: any[];
  /** The (port, protocol) pairs to probe: the cluster's, some the cluster policies name (and those next to them) on their protocols, a few more. */
  readonly probes: Array<[number, ProtocolName]>;
}

/** The ports the cluster policies name, on their protocols, with the ones just outside each number and range. */
function portsNamedBy(policies: any[]): Array<[number, ProtocolName]> {
  const probes: Array<[number, ProtocolName]> = [];
  const add = (protocol: ProtocolName, start: number, end: number) => {
    for (const port of new Set([start, end, Math.max(1, start - 1), Math.min(65535, end + 1)])) probes.push([port, protocol]);
  };
  for (const policy of policies) {
    for (const rule of [...(policy.spec.ingress ?? []), ...(policy.spec.egress ?? [])]) {
      for (const entry of [...(rule.protocols ?? []), ...(rule.ports ?? [])]) {
        for (const protocol of PROTOCOLS) {
          const destination = entry[protocol.toLowerCase()]?.destinationPort;
          if (destination?.number !== undefined) add(protocol, destination.number, destination.number);
          if (destination?.range !== undefined) add(protocol, destination.range.start, destination.range.end);
        }
        if (entry.portNumber !== undefined) add(entry.portNumber.protocol, entry.portNumber.port, entry.portNumber.port);
        if (entry.portRange !== undefined) add(entry.portRange.protocol ?? 'TCP', entry.portRange.start, entry.portRange.end);
      }
    }
  }
  return probes;
}

export const clusterWithTiersArb: fc.Arbitrary<ClusterWithTiers> = clusterArb.chain((cluster) => {
  const podCount = cluster.objects.filter((o) => o.kind === 'Pod').length;
  const templated = cluster.objects.filter((o) => o.kind !== 'Pod' && o.spec?.template !== undefined).length;
  const namespaces = [...new Set(cluster.endpoints.map((e) => e.split('/')[0]))];
  return fc.record({
    statuses: fc.array(fc.constantFrom('none', 'podIP', 'podIPs', 'dual'), { minLength: podCount, maxLength: podCount }),
    hostNetwork: fc.array(fc.nat(5).map((n) => n === 0), { minLength: podCount + templated, maxLength: podCount + templated }),
    extraPods: fc.array(extraPodArb, { minLength: 1, maxLength: 2 }),
    keepNetworkPolicies: fc.oneof(fc.constant(undefined), fc.array(fc.boolean(), { minLength: 8, maxLength: 8 }), fc.constant([])),
    ciliumPolicies: fc.oneof(
      { weight: 3, arbitrary: fc.constant<any[]>([]) },
      { weight: 1, arbitrary: ciliumPoliciesArb(namespaces.length ? namespaces : NAMESPACE_NAMES) },
    ),
    clusterPolicies: clusterPoliciesArb,
    boundaryPicks: fc.array(fc.nat(), { minLength: 6, maxLength: 8 }),
    otherPicks: fc.array(fc.tuple(fc.nat(), protocolNameArb), { minLength: 2, maxLength: 3 }),
    entity: fc.constantFrom('entity:host', 'entity:remote-node', 'entity:kube-apiserver'),
  }).map(({ statuses, hostNetwork, extraPods, keepNetworkPolicies, ciliumPolicies, clusterPolicies, boundaryPicks, otherPicks, entity }) => {
    const objects: any[] = [];
    let podIndex = 0;
    let hostIndex = 0;
    let networkPolicyIndex = 0;
    for (const original of cluster.objects) {
      const object = structuredClone(original);
      if (object.kind === 'NetworkPolicy') {
        // all of them, a random subset or none: a pod the tier leaves alone reaches the Baseline tier
        if (keepNetworkPolicies !== undefined && !keepNetworkPolicies[networkPolicyIndex++ % 8]) continue;
      } else if (object.kind === 'Pod') {
        const status = statusOf(statuses[podIndex], podIndex);
        if (status !== undefined) object.status = status;
        podIndex++;
        if (hostNetwork[hostIndex++]) object.spec.hostNetwork = true;
      } else if (object.spec?.template !== undefined) {
        if (hostNetwork[hostIndex++]) object.spec.template.spec.hostNetwork = true;
      }
      objects.push(object);
    }
    const endpoints = [...cluster.endpoints];
    const containerPorts: number[] = [];
    for (const [i, pod] of extraPods.entries()) {
      const name = `pod-ip-${i}`;
      const ports = pod.ports.map((p) => (p.protocol === undefined ? { name: p.name, containerPort: p.containerPort } : p));
      containerPorts.push(...ports.map((p) => p.containerPort));
      const object: any = {
        apiVersion: 'v1',
        kind: 'Pod',
        metadata: { name, namespace: pod.namespace, ...(Object.keys(pod.labels).length ? { labels: pod.labels } : {}) },
        spec: { containers: [{ name: 'c', image: 'nginx', ...(ports.length ? { ports } : {}) }], ...(pod.hostNetwork ? { hostNetwork: true } : {}) },
      };
      const status = statusOf(pod.status, podIndex++);
      if (status !== undefined) object.status = status;
      objects.push(object);
      endpoints.push(`${pod.namespace}/${name}`);
    }
    objects.push(...ciliumPolicies, ...clusterPolicies);
    // The cluster's probes; some of the ports the cluster policies name and their neighbours, on their protocols;
    // and a few among the container ports and the policy ports, on any protocol.
    const probes = new Map(cluster.probes.map(([p, proto]) => [`${p}/${proto}`, [p, proto] as [number, ProtocolName]]));
    const add = ([port, protocol]: [number, ProtocolName]) => probes.set(`${port}/${protocol}`, [port, protocol]);
    const boundaries = portsNamedBy(clusterPolicies);
    if (boundaries.length > 0) boundaryPicks.forEach((n) => add(boundaries[n % boundaries.length]));
    const others = [...new Set([...containerPorts, ...POLICY_PORTS])];
    otherPicks.forEach(([n, protocol]) => add([others[n % others.length], protocol]));
    return {
      objects,
      endpoints,
      externals: cluster.externals,
      entities: ciliumPolicies.length === 0 ? [entity] : [],
      ciliumPolicies,
      clusterPolicies,
      probes: [...probes.values()],
    };
  });
});

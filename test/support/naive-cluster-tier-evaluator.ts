/*
 * A deliberately naive evaluator of the policy tiers of the network-policy-api
 * around the NetworkPolicy tier, written from the API text (the field
 * descriptions of the CRDs in test/data/crds/network-policy-api/, i.e. the doc
 * comments of apis/v1alpha2/clusternetworkpolicy_types.go and of
 * apis/v1alpha1/*_types.go at v0.1.7), sharing no code with src/: an oracle
 * for tests. It scans every object on every call.
 *
 * A flow is allowed when its egress side (at the source pod) and its ingress
 * side (at the destination pod) are both allowed. One side goes through:
 *
 * 1. The Admin tier: ClusterNetworkPolicies (policy.networking.k8s.io/v1alpha2)
 *    with `spec.tier: Admin` and AdminNetworkPolicies (v1alpha1) together,
 *    those whose subject selects the pod, by ascending `spec.priority`; in a
 *    policy, its rules of that direction in order. The first rule whose peer
 *    matches the other end and whose ports match decides: Accept (v1alpha1:
 *    Allow) allows the side, Deny denies it, Pass goes to the next tier.
 *    ("Accept: ... No further egress ClusterNetworkPolicy or NetworkPolicy
 *    rules will be processed but any ingress rules at the destination do
 *    apply"; "Pass: Skips all further ClusterNetworkPolicy rules in the
 *    current tier ... and passes evaluation to the next tier.")
 * 2. The NetworkPolicy tier: v1 NetworkPolicies and Cilium policies, by the
 *    naive evaluators beside this file. When a policy of the tier isolates the
 *    pod for the direction, its verdict is final ("v1.NetworkPolicy always
 *    makes a final decision for selected pods. Further evaluation only happens
 *    for Pods not selected by a v1.NetworkPolicy."). Otherwise a matching
 *    Cilium deny rule denies, and evaluation goes on.
 * 3. The Baseline tier: ClusterNetworkPolicies with `spec.tier: Baseline` by
 *    ascending priority, then the BaselineAdminNetworkPolicy (v1alpha1, the
 *    singleton `default`); the first matching rule decides as above, a Pass
 *    going on to the default.
 * 4. The default: allowed ("the default kubernetes policy is applied, which
 *    says that all pods can communicate with each other").
 *
 * Modelling choices where the API says nothing or is about what manifests
 * cannot show:
 * - A single Pod to itself (loopback) is allowed; ingress from `entity:host`
 *   is allowed; an `ip:` or `entity:` end has no side of its own (allowed).
 * - Pods with `hostNetwork: true` are never selected by a subject, nor matched
 *   by a `namespaces` or `pods` peer ("Note that host-networked pods are not
 *   included in subject selection" / "in this type of peer").
 * - `networks` peers match `ip:` addresses in a CIDR and Pods whose
 *   `status.podIPs[].ip` or `status.podIP` is in one ("cluster-internal
 *   traffic will be checked against the rule as well"); a workload, or a Pod
 *   without a status, matches no network.
 * - `nodes: {}` matches `entity:host` and `entity:remote-node`; a non-empty
 *   node selector matches nothing (node labels are unknown). `domainNames`
 *   matches nothing (a flow here names no host).
 * - No `protocols` (v1alpha2) / `ports` (v1alpha1): every port of every
 *   protocol, ICMP too. Otherwise only the TCP, UDP and SCTP ports listed; a
 *   named port (`destinationNamedPort`, v1alpha1 `namedPort`) matches a
 *   container port of that name of the destination pod, with that container
 *   port's protocol, and never an address or entity.
 * - A peer with none of the known fields (which the API says to fail closed
 *   on) is not modelled: the CRDs require exactly one field (minProperties
 *   and maxProperties 1, unknown fields pruned), the analyzer rejects such a
 *   peer as bad input, so no answer on it could be compared; the evaluator
 *   throws when it meets one.
 * - Equal priorities in a tier keep the order of `objects` (the API leaves it
 *   undefined: callers should not depend on it).
 */
import { naiveTierSide } from './naive-cilium-evaluator';
import { cidrContainsBits, Endpoint, ipToBits, namespaceLabels, PodEndpoint, podSpecAndLabels, resolveEndpoint, selectorMatches } from './naive-evaluator';

/** A connection to judge: TCP, UDP or SCTP on `port` (TCP by default), or ICMP (any message). */
export interface ClusterTierFlow {
  readonly from: string;
  readonly to: string;
  /** The destination port; not used for ICMP. */
  readonly port?: number;
  readonly protocol?: 'TCP' | 'UDP' | 'SCTP' | 'ICMP';
}

type Direction = 'Ingress' | 'Egress';
type Action = 'allow' | 'deny' | 'pass';

/** An end of a flow, with what the cluster tiers need to know about it. */
type End =
  | { readonly kind: 'ip'; readonly bits: string; readonly endpoint: Endpoint }
  | { readonly kind: 'entity'; readonly entity: string; readonly endpoint: Endpoint }
  | {
    readonly kind: 'pod';
    readonly endpoint: PodEndpoint;
    readonly hostNetwork: boolean;
    /** The addresses of `status` (a Pod's only), as bit strings; read when a networks peer asks. */
    readonly ips: () => string[];
  };

type PodEnd = Extract<End, { kind: 'pod' }>;

const ENTITIES = ['host', 'remote-node', 'kube-apiserver'];
const CILIUM_KINDS = ['CiliumNetworkPolicy', 'CiliumClusterwideNetworkPolicy'];
const PEER_FIELDS = ['namespaces', 'pods', 'networks', 'nodes', 'domainNames'];

/** Which tier decided a side: a cluster tier's rule, the NetworkPolicy tier, the default, or none (no policy can restrict the side). */
export type DecidedBy = 'Admin' | 'NetworkPolicy' | 'Baseline' | 'default' | 'unrestricted';

/** The verdict on a flow, with the tier that decided each side. */
export interface ClusterTierDecision {
  readonly allowed: boolean;
  readonly egress: DecidedBy;
  /** Undefined when egress denied the flow already. */
  readonly ingress?: DecidedBy;
}

/** Whether the policies of every tier among `objects` allow `flow`. */
export function naiveClusterTierIsAllowed(objects: any[], flow: ClusterTierFlow): boolean {
  return naiveClusterTierDecision(objects, flow).allowed;
}

/** The verdict on `flow` by the policies of every tier among `objects`, and which tier decided each side. */
export function naiveClusterTierDecision(objects: any[], flow: ClusterTierFlow): ClusterTierDecision {
  const protocol = flow.protocol ?? 'TCP';
  const port = protocol === 'ICMP' ? 0 : flow.port;
  if (port === undefined) {
    throw new Error(`naive cluster tier evaluator: a ${protocol} flow needs a port: ${flow.from} -> ${flow.to}`);
  }
  const hasCilium = objects.some((o) => CILIUM_KINDS.includes(o?.kind));
  const source = resolveEnd(objects, flow.from, hasCilium);
  const destination = resolveEnd(objects, flow.to, hasCilium);
  if (source.kind !== 'pod' && destination.kind !== 'pod') {
    throw new Error(`naive cluster tier evaluator: a flow between two ends outside the pods is not a cluster flow: ${flow.from} -> ${flow.to}`);
  }
  if (protocol === 'ICMP' && hasCilium) {
    throw new Error('naive cluster tier evaluator: ICMP with Cilium policies is not modelled (the naive Cilium evaluator judges ports only)');
  }
  if (source.kind === 'pod' && destination.kind === 'pod' && source.endpoint.kind === 'Pod' && destination.endpoint.kind === 'Pod'
    && source.endpoint.namespace === destination.endpoint.namespace && source.endpoint.name === destination.endpoint.name) {
    return { allowed: true, egress: 'unrestricted', ingress: 'unrestricted' }; // loopback
  }
  const judged: Judged = { port, protocol, destination };
  const egress: Side = source.kind === 'pod' ? side(objects, 'Egress', source, destination, judged) : { allowed: true, by: 'unrestricted' };
  if (!egress.allowed) return { allowed: false, egress: egress.by };
  const ingress: Side = destination.kind !== 'pod' || (source.kind === 'entity' && source.entity === 'host') // from the pod's own node
    ? { allowed: true, by: 'unrestricted' }
    : side(objects, 'Ingress', destination, source, judged);
  return { allowed: ingress.allowed, egress: egress.by, ingress: ingress.by };
}

interface Side {
  readonly allowed: boolean;
  readonly by: DecidedBy;
}

/** What the port matching of every rule needs: the port, the protocol and the destination (for named ports). */
interface Judged {
  readonly port: number;
  readonly protocol: string;
  readonly destination: End;
}

function side(objects: any[], direction: Direction, self: PodEnd, other: End, judged: Judged): Side {
  const admin = tierAction(adminTier(objects), direction, self, other, judged);
  if (admin === 'allow' || admin === 'deny') return { allowed: admin === 'allow', by: 'Admin' };
  // No Admin rule matched, or one passed: the NetworkPolicy tier.
  const tier = naiveTierSide(objects, direction, self.endpoint, other.endpoint, judged.port, judged.protocol);
  if (tier.isolated) return { allowed: tier.allowed && !tier.denied, by: 'NetworkPolicy' };
  if (tier.denied) return { allowed: false, by: 'NetworkPolicy' };
  // Not isolated: the Baseline tier, then the default (allowed).
  const baseline = tierAction(baselineTier(objects), direction, self, other, judged);
  if (baseline === 'allow' || baseline === 'deny') return { allowed: baseline === 'allow', by: 'Baseline' };
  return { allowed: true, by: 'default' };
}

/** The Admin tier, by ascending priority (a stable sort: equal priorities keep their order). */
function adminTier(objects: any[]): any[] {
  const policies = objects.filter((o) => (o?.kind === 'ClusterNetworkPolicy' && o.spec?.tier === 'Admin') || o?.kind === 'AdminNetworkPolicy');
  return byPriority(policies);
}

/** The Baseline tier: its ClusterNetworkPolicies by ascending priority, then the BaselineAdminNetworkPolicy. */
function baselineTier(objects: any[]): any[] {
  const policies = objects.filter((o) => o?.kind === 'ClusterNetworkPolicy' && o.spec?.tier === 'Baseline');
  return [...byPriority(policies), ...objects.filter((o) => o?.kind === 'BaselineAdminNetworkPolicy')];
}

function byPriority(policies: any[]): any[] {
  return policies.map((policy, index) => ({ policy, index }))
    .sort((a, b) => (a.policy.spec.priority - b.policy.spec.priority) || (a.index - b.index))
    .map((p) => p.policy);
}

/** The action of the first rule of the tier that matches, or undefined when none does. */
function tierAction(policies: any[], direction: Direction, self: PodEnd, other: End, judged: Judged): Action | undefined {
  for (const policy of policies) {
    const spec = policy.spec ?? {};
    if (!subjectSelects(spec.subject, self)) continue;
    const rules: any[] = (direction === 'Ingress' ? spec.ingress : spec.egress) ?? [];
    for (const rule of rules) {
      const action = actionOf(rule.action);
      const peers: any[] = (direction === 'Ingress' ? rule.from : rule.to) ?? [];
      if (!peers.some((peer) => peerMatches(peer, other))) continue;
      const portsMatch = policy.kind === 'ClusterNetworkPolicy'
        ? protocolsMatch(rule.protocols, judged) : v1alpha1PortsMatch(rule.ports, judged);
      if (portsMatch) return action;
    }
  }
  return undefined;
}

function actionOf(text: unknown): Action {
  switch (text) {
    case 'Accept':
    case 'Allow':
      return 'allow';
    case 'Deny':
      return 'deny';
    case 'Pass':
      return 'pass';
    default:
      throw new Error(`naive cluster tier evaluator: unknown action ${JSON.stringify(text)}`);
  }
}

function isSet(value: unknown): boolean {
  return value !== undefined && value !== null;
}

/** A subject selects pods by namespace labels, or by namespace and pod labels; never host-network pods. */
function subjectSelects(subject: any, pod: PodEnd): boolean {
  if (pod.hostNetwork) return false;
  if (isSet(subject?.namespaces)) return selectorMatches(subject.namespaces, pod.endpoint.namespaceLabels);
  if (isSet(subject?.pods)) return namespacedPodMatches(subject.pods, pod);
  return false;
}

/** `pods`: a namespace selector (absent or empty: every namespace) AND a pod selector (empty: every pod). */
function namespacedPodMatches(pods: any, pod: PodEnd): boolean {
  return selectorMatches(pods.namespaceSelector ?? {}, pod.endpoint.namespaceLabels)
    && selectorMatches(pods.podSelector ?? {}, pod.endpoint.labels);
}

function peerMatches(peer: any, other: End): boolean {
  if (isSet(peer?.namespaces)) {
    return other.kind === 'pod' && !other.hostNetwork && selectorMatches(peer.namespaces, other.endpoint.namespaceLabels);
  }
  if (isSet(peer?.pods)) {
    return other.kind === 'pod' && !other.hostNetwork && namespacedPodMatches(peer.pods, other);
  }
  if (isSet(peer?.networks)) {
    const addresses = other.kind === 'ip' ? [other.bits] : other.kind === 'pod' ? other.ips() : [];
    return (peer.networks as string[]).some((cidr) => addresses.some((bits) => cidrContainsBits(cidr, bits)));
  }
  if (isSet(peer?.nodes)) {
    const everyNode = Object.keys(peer.nodes.matchLabels ?? {}).length === 0 && (peer.nodes.matchExpressions ?? []).length === 0;
    return everyNode && other.kind === 'entity' && (other.entity === 'host' || other.entity === 'remote-node');
  }
  if (isSet(peer?.domainNames)) return false; // the flow names no host
  throw new Error(`naive cluster tier evaluator: a peer with none of ${PEER_FIELDS.join(', ')} is not modelled: ${JSON.stringify(peer)}`);
}

/** v1alpha2 `protocols`: absent, everything; otherwise any entry (OR), of TCP, UDP and SCTP only. */
function protocolsMatch(protocols: any[] | undefined, judged: Judged): boolean {
  if (!isSet(protocols)) return true;
  return protocols!.some((entry) => {
    if (isSet(entry?.destinationNamedPort)) return namedPortMatches(entry.destinationNamedPort, judged);
    const key = judged.protocol.toLowerCase();
    if (!['tcp', 'udp', 'sctp'].includes(key) || !isSet(entry?.[key])) return false;
    const destinationPort = entry[key].destinationPort;
    if (!isSet(destinationPort)) return true; // not valid (minProperties 1); read as every port of the protocol
    if (isSet(destinationPort.range)) return judged.port >= destinationPort.range.start && judged.port <= destinationPort.range.end;
    return judged.port === destinationPort.number;
  });
}

/** v1alpha1 `ports`: absent, everything; otherwise any entry (OR): portNumber, portRange or namedPort. */
function v1alpha1PortsMatch(ports: any[] | undefined, judged: Judged): boolean {
  if (!isSet(ports)) return true;
  return ports!.some((entry) => {
    if (isSet(entry?.portNumber)) {
      return (entry.portNumber.protocol ?? 'TCP') === judged.protocol && entry.portNumber.port === judged.port;
    }
    if (isSet(entry?.portRange)) {
      const range = entry.portRange;
      return (range.protocol ?? 'TCP') === judged.protocol && judged.port >= range.start && judged.port <= range.end;
    }
    if (isSet(entry?.namedPort)) return namedPortMatches(entry.namedPort, judged);
    return false;
  });
}

/** A container port of the destination pod with that name, on its protocol and number. */
function namedPortMatches(name: string, judged: Judged): boolean {
  const destination = judged.destination;
  if (destination.kind !== 'pod') return false;
  return destination.endpoint.containerPorts.some((cp) =>
    cp?.name === name && (cp?.protocol ?? 'TCP') === judged.protocol && cp?.containerPort === judged.port);
}

// ---------------------------------------------------------------------------
// Ends

function resolveEnd(objects: any[], text: string, hasCilium: boolean): End {
  if (text.startsWith('entity:')) {
    const entity = text.slice('entity:'.length);
    if (!ENTITIES.includes(entity)) throw new Error(`naive cluster tier evaluator: unknown entity ${text}`);
    if (hasCilium) throw new Error(`naive cluster tier evaluator: ${text} with Cilium policies is not modelled`);
    // An address no ipBlock contains (no bits: no CIDR has its family), selected by no selector.
    return { kind: 'entity', entity, endpoint: { external: true, bits: '' } };
  }
  const endpoint = resolveEndpoint(objects, text);
  if (endpoint.external) return { kind: 'ip', bits: endpoint.bits, endpoint };
  endpoint.namespaceLabels = namespaceLabels(objects, endpoint.namespace);
  const object = objects.find((o) => o?.kind === endpoint.kind && o?.metadata?.name === endpoint.name
    && (o?.metadata?.namespace || 'default') === endpoint.namespace);
  return { kind: 'pod', endpoint, hostNetwork: podSpecAndLabels(object)?.spec.hostNetwork === true, ips: () => statusAddresses(object) };
}

/** A Pod's `status.podIP` and `status.podIPs[].ip`, as bit strings; none for a workload. */
function statusAddresses(object: any): string[] {
  if (object?.kind !== 'Pod') return [];
  const texts: string[] = [...(object.status?.podIPs ?? []).map((p: any) => p?.ip), object.status?.podIP].filter((ip) => typeof ip === 'string');
  return texts.map((ip) => {
    const bits = ipToBits(ip);
    if (bits === undefined) throw new Error(`naive cluster tier evaluator: not an IP address in a Pod's status: ${ip}`);
    return bits;
  });
}

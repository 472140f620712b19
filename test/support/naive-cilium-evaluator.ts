/*
 * A deliberately naive evaluator of the NetworkPolicy tier with Cilium's
 * policies in it: networking.k8s.io/v1 NetworkPolicy, CiliumNetworkPolicy and
 * CiliumClusterwideNetworkPolicy (cilium.io/v2), at L3/L4. Written from
 * Cilium's documentation and sources as /work/notes/cilium-semantics.md cites
 * them (docs/cilium.md and docs/analyzer.md "Cilium policies" summarize them),
 * sharing no code with src/: an oracle for tests and benchmarks. It scans
 * every policy on every call.
 *
 * One side (egress at the source, ingress at the destination) is allowed when
 * no deny rule of a Cilium policy matches, and either no policy of either kind
 * isolates the pod for that direction or an allow rule of either kind matches.
 * L7 rules count as allowing their port (requests are not judged here);
 * toFQDNs peers match no address; host policies (nodeSelector) are skipped.
 */
import {
  cidrContainsBits, Endpoint, Labels, naiveV1Side, NaiveFlow, namespaceLabels, PodEndpoint, resolveEndpoint, selectorMatches,
} from './naive-evaluator';

const CILIUM_KINDS = ['CiliumNetworkPolicy', 'CiliumClusterwideNetworkPolicy'];
const NAMESPACE_KEY = 'io.kubernetes.pod.namespace';
const NAMESPACE_LABELS_PREFIX = 'io.cilium.k8s.namespace.labels.';

/** Whether the policies among `objects` (v1 and Cilium) allow `flow`. */
export function naiveTierIsAllowed(objects: any[], flow: NaiveFlow): boolean {
  const protocol = flow.protocol ?? 'TCP';
  const source = resolveEndpoint(objects, flow.from);
  const destination = resolveEndpoint(objects, flow.to);
  for (const endpoint of [source, destination]) {
    if (!endpoint.external) endpoint.namespaceLabels = namespaceLabels(objects, endpoint.namespace);
  }
  if (!source.external && !destination.external && source.kind === 'Pod' && destination.kind === 'Pod'
    && source.namespace === destination.namespace && source.name === destination.name) {
    return true; // loopback
  }
  const side = (direction: 'Ingress' | 'Egress', pod: PodEndpoint, other: Endpoint) => {
    const verdict = naiveTierSide(objects, direction, pod, other, flow.port, protocol);
    if (verdict.denied) return false;
    return !verdict.isolated || verdict.allowed;
  };
  return (source.external || side('Egress', source, destination))
    && (destination.external || side('Ingress', destination, source));
}

/**
 * One side of a flow by the NetworkPolicy tier (v1 and Cilium policies among
 * `objects`): whether a policy of either kind isolates `pod` for `direction`,
 * whether an allow rule of either kind matches, and whether a Cilium deny rule
 * matches (exported for the evaluator of the tiers around this one). `pod` is
 * the source for Egress and the destination for Ingress; `other` is the far
 * end.
 */
export function naiveTierSide(
  objects: any[], direction: 'Ingress' | 'Egress', pod: PodEndpoint, other: Endpoint, port: number, protocol: string,
): { isolated: boolean; allowed: boolean; denied: boolean } {
  const v1 = objects.filter((o) => o?.kind === 'NetworkPolicy');
  const cilium = objects.filter((o) => CILIUM_KINDS.includes(o?.kind));
  const a = naiveV1Side(v1, direction, pod, other, port, protocol);
  const b = ciliumSide(cilium, direction, pod, other, port, protocol);
  return { isolated: a.isolated || b.isolated, allowed: a.allowed || b.allowed, denied: b.denied };
}

/** The labels of a pod's Cilium identity: its own, and those Cilium adds. */
function identityOf(pod: PodEndpoint): Labels {
  const labels: Labels = {};
  for (const [key, value] of Object.entries(pod.labels)) {
    if (!key.startsWith('io.cilium.k8s')) labels[key] = value; // Cilium's own keys cannot be set by a pod
  }
  for (const [key, value] of Object.entries(pod.namespaceLabels)) labels[`${NAMESPACE_LABELS_PREFIX}${key}`] = value;
  labels[NAMESPACE_KEY] = pod.namespace;
  labels['io.cilium.k8s.policy.serviceaccount'] = pod.serviceAccount;
  labels['io.cilium.k8s.policy.cluster'] = 'default';
  return labels;
}

/** A selector's keys without their source prefix (`k8s:`, `any:`): every label of a pod identity comes from Kubernetes. */
function unprefixed(selector: any): any {
  const strip = (key: string) => key.replace(/^(k8s|any):/, '');
  const matchLabels: Labels = {};
  for (const [key, value] of Object.entries(selector?.matchLabels ?? {})) matchLabels[strip(key)] = value as string;
  const matchExpressions = (selector?.matchExpressions ?? []).map((e: any) => ({ ...e, key: strip(e.key) }));
  return { matchLabels, matchExpressions };
}

function selectorKeys(selector: any): string[] {
  return [...Object.keys(selector.matchLabels), ...selector.matchExpressions.map((e: any) => e.key)];
}

function specsOf(policy: any): any[] {
  return [...(policy.spec ? [policy.spec] : []), ...(policy.specs ?? [])];
}

function ciliumSide(
  policies: any[], direction: 'Ingress' | 'Egress', pod: PodEndpoint, other: Endpoint, port: number, protocol: string,
): { isolated: boolean; allowed: boolean; denied: boolean } {
  const identity = identityOf(pod);
  const destination = direction === 'Ingress' ? pod : other;
  const [allowField, denyField] = direction === 'Ingress' ? ['ingress', 'ingressDeny'] : ['egress', 'egressDeny'];
  let isolated = false;
  let allowed = false;
  let denied = false;
  for (const policy of policies) {
    const namespace = policy.kind === 'CiliumNetworkPolicy' ? (policy.metadata?.namespace || 'default') : undefined;
    for (const spec of specsOf(policy)) {
      if (spec.nodeSelector !== undefined) continue; // a host policy: not about pods
      if (namespace !== undefined && pod.namespace !== namespace) continue;
      if (!selectorMatches(unprefixed(spec.endpointSelector), identity)) continue;
      const allows: any[] | undefined = spec[allowField];
      const denies: any[] | undefined = spec[denyField];
      const explicit = spec.enableDefaultDeny?.[direction === 'Ingress' ? 'ingress' : 'egress'];
      if (explicit !== undefined ? explicit : (allows?.length ?? 0) > 0 || (denies?.length ?? 0) > 0) isolated = true;
      for (const rule of allows ?? []) {
        if (ruleMatches(rule, direction, namespace, other, destination, port, protocol)) allowed = true;
      }
      for (const rule of denies ?? []) {
        if (ruleMatches(rule, direction, namespace, other, destination, port, protocol)) denied = true;
      }
    }
  }
  return { isolated, allowed, denied };
}

function ruleMatches(
  rule: any, direction: 'Ingress' | 'Egress', namespace: string | undefined, other: Endpoint, destination: Endpoint, port: number, protocol: string,
): boolean {
  const side = direction === 'Ingress' ? 'from' : 'to';
  const peerFields = ['Endpoints', 'CIDR', 'CIDRSet', 'Entities', ...(side === 'to' ? ['FQDNs'] : [])].map((f) => `${side}${f}`);
  const given = peerFields.filter((f) => rule[f] !== undefined && rule[f] !== null);
  let peerOk: boolean;
  if (given.length === 0) {
    // no peer: any peer when the rule has ports; an empty rule ({}) matches nothing
    peerOk = rule.toPorts !== undefined || rule.icmps !== undefined;
  } else {
    // an explicitly empty list selects nothing
    peerOk = given.every((f) => rule[f].length > 0) && given.some((f) => fieldMatches(f.slice(side.length), rule[f], namespace, other));
  }
  if (!peerOk) return false;
  if (rule.toPorts === undefined) return rule.icmps === undefined; // an ICMP-only rule allows no TCP/UDP/SCTP
  return rule.toPorts.some((entry: any) => (entry.ports ?? []).length === 0
    || entry.ports.some((p: any) => portMatches(p, destination, port, protocol)));
}

function fieldMatches(field: string, values: any[], namespace: string | undefined, other: Endpoint): boolean {
  switch (field) {
    case 'Endpoints':
      return !other.external && values.some((selector) => endpointMatches(selector, namespace, other));
    case 'CIDR':
      return other.external && values.some((cidr) => cidrContainsBits(cidr, other.bits));
    case 'CIDRSet':
      return other.external && values.some((set) => cidrContainsBits(set.cidr, other.bits)
        && !(set.except ?? []).some((e: string) => cidrContainsBits(e, other.bits)));
    case 'Entities':
      return values.some((entity) => entity === 'all' || (entity === 'world' ? other.external : entity === 'cluster' && !other.external));
    default:
      return false; // FQDNs: no address is known to come from a name here
  }
}

/**
 * An endpoint selector of a peer, with the namespace Cilium adds: a selector
 * that names no namespace is limited to the policy's namespace (a
 * CiliumNetworkPolicy) unless it selects by namespace labels, or to pods of
 * any namespace (a clusterwide policy).
 */
function endpointMatches(raw: any, namespace: string | undefined, pod: PodEndpoint): boolean {
  const selector = unprefixed(raw);
  const keys = selectorKeys(selector);
  if (!keys.includes(NAMESPACE_KEY)) {
    if (namespace === undefined) {
      // clusterwide: pods of every namespace (all have the label)
    } else if (!keys.some((k) => k.startsWith(NAMESPACE_LABELS_PREFIX)) && pod.namespace !== namespace) {
      return false;
    }
  }
  return selectorMatches(selector, identityOf(pod));
}

function portMatches(entry: any, destination: Endpoint, port: number, protocol: string): boolean {
  const entryProtocol = entry.protocol ?? 'ANY';
  if (entryProtocol !== 'ANY' && entryProtocol !== protocol) return false;
  const text = entry.port === undefined ? '0' : String(entry.port);
  if (/^[0-9]+$/.test(text)) {
    const first = Number(text);
    if (first === 0) return true;
    return entry.endPort === undefined ? port === first : port >= first && port <= entry.endPort;
  }
  // a named port, resolved against the destination pod's container ports
  return !destination.external && destination.containerPorts.some((cp) =>
    cp?.name === text && (cp?.protocol ?? 'TCP') === protocol && cp?.containerPort === port);
}

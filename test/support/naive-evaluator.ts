/*
 * A deliberately naive NetworkPolicy evaluator, written straight from the
 * networking.k8s.io/v1 NetworkPolicy API documentation and docs/DESIGN.md.
 *
 * It is an oracle for tests and benchmarks of src/analysis: it shares NO code
 * with src/ (its own label selectors, its own IP parsing with addresses as bit
 * strings), keeps no index and no cache, and scans every object and every
 * NetworkPolicy on every call. Clarity over speed; but the work per call stays
 * linear in the number of objects plus the number of policy rules.
 */

/** A connection to judge. `protocol` defaults to TCP. */
export interface NaiveFlow {
  readonly from: string;
  readonly to: string;
  readonly port: number;
  readonly protocol?: 'TCP' | 'UDP' | 'SCTP';
}

/** The kinds whose pods come from `spec.template`. */
const TEMPLATE_KINDS = ['Deployment', 'StatefulSet', 'DaemonSet', 'ReplicaSet', 'ReplicationController', 'Job'];

/** The label every namespace carries, set by the API server. */
const NAMESPACE_NAME_LABEL = 'kubernetes.io/metadata.name';

export type Labels = Record<string, string>;

/** A resolved endpoint of a flow. */
export type Endpoint =
  | { readonly external: true; readonly bits: string }
  | {
    readonly external: false;
    readonly kind: string;
    readonly namespace: string;
    readonly name: string;
    /** The labels of the pod (the template's for a workload). */
    readonly labels: Labels;
    /** The container ports of the pod (the template's for a workload). */
    readonly containerPorts: any[];
    /** The pod's service account (`default` when the spec names none). */
    readonly serviceAccount: string;
    /** The labels of the pod's namespace. */
    namespaceLabels: Labels;
  };

export type PodEndpoint = Extract<Endpoint, { external: false }>;

/**
 * Whether the NetworkPolicies among `objects` allow `flow`.
 *
 * A flow is allowed iff egress is allowed at the source AND ingress is allowed
 * at the destination. An `ip:` source has no egress side, an `ip:` destination
 * has no ingress side. A single Pod talking to itself is loopback (allowed).
 */
export function naiveIsAllowed(objects: any[], flow: NaiveFlow): boolean {
  const protocol = flow.protocol ?? 'TCP';
  const source = resolveEndpoint(objects, flow.from);
  const destination = resolveEndpoint(objects, flow.to);
  if (source.external && destination.external) {
    throw new Error(`naive evaluator: a flow between two external addresses is not a cluster flow: ${flow.from} -> ${flow.to}`);
  }

  // Namespace labels: one scan of the objects per call (not one per rule).
  for (const endpoint of [source, destination]) {
    if (!endpoint.external) {
      endpoint.namespaceLabels = namespaceLabels(objects, endpoint.namespace);
    }
  }

  if (!source.external && !destination.external && source.kind === 'Pod' && destination.kind === 'Pod'
    && source.namespace === destination.namespace && source.name === destination.name) {
    return true;
  }

  const policies = objects.filter((o) => o?.kind === 'NetworkPolicy');

  const egressOk = source.external
    || sideAllows(naiveV1Side(policies, 'Egress', source, destination, flow.port, protocol));
  if (!egressOk) {
    return false;
  }
  const ingressOk = destination.external
    || sideAllows(naiveV1Side(policies, 'Ingress', destination, source, flow.port, protocol));
  return ingressOk;
}

/**
 * One side of a flow by the v1 NetworkPolicies: whether any isolates `pod` for
 * `direction`, and whether any rule of those allows the flow (exported for the
 * evaluators that combine v1 policies with other kinds in one tier). `pod` is
 * the pod whose isolation is checked (the source for Egress, the destination
 * for Ingress); `other` is the far end. The destination of the flow (for named
 * ports) is `pod` for Ingress and `other` for Egress.
 */
/** A side passes when no policy isolates it or a rule of one allows the flow. */
function sideAllows(side: { isolated: boolean; allowed: boolean }): boolean {
  return side.allowed || !side.isolated;
}

export function naiveV1Side(
  policies: any[],
  direction: 'Ingress' | 'Egress',
  pod: PodEndpoint,
  other: Endpoint,
  port: number,
  protocol: string,
): { isolated: boolean; allowed: boolean } {
  const destination = direction === 'Ingress' ? pod : other;
  let isolated = false;
  for (const policy of policies) {
    if (policyNamespace(policy) !== pod.namespace) {
      continue;
    }
    const spec = policy.spec ?? {};
    if (!selectorMatches(spec.podSelector ?? {}, pod.labels)) {
      continue;
    }
    if (!effectivePolicyTypes(spec).includes(direction)) {
      continue;
    }
    isolated = true;
    const rules: any[] = (direction === 'Ingress' ? spec.ingress : spec.egress) ?? [];
    for (const rule of rules) {
      const peers = direction === 'Ingress' ? rule?.from : rule?.to;
      if (peersMatch(peers, policyNamespace(policy), other) && portsMatch(rule?.ports, destination, port, protocol)) {
        return { isolated: true, allowed: true };
      }
    }
  }
  return { isolated, allowed: false };
}

/** spec.policyTypes if non-empty; else Ingress, plus Egress when spec.egress is a non-empty list. */
function effectivePolicyTypes(spec: any): string[] {
  if (Array.isArray(spec.policyTypes) && spec.policyTypes.length > 0) {
    return spec.policyTypes;
  }
  const types = ['Ingress'];
  if (Array.isArray(spec.egress) && spec.egress.length > 0) {
    types.push('Egress');
  }
  return types;
}

/** Absent or empty peers: everyone, including external addresses. Otherwise any peer (OR). */
function peersMatch(peers: any[] | undefined, policyNs: string, other: Endpoint): boolean {
  if (peers === undefined || peers === null || peers.length === 0) {
    return true;
  }
  return peers.some((peer) => peerMatches(peer, policyNs, other));
}

function peerMatches(peer: any, policyNs: string, other: Endpoint): boolean {
  if (peer?.ipBlock) {
    if (!other.external) {
      return false; // ipBlock never selects pods
    }
    const cidr = peer.ipBlock.cidr;
    if (!cidrContainsBits(cidr, other.bits)) {
      return false;
    }
    const excepts: string[] = peer.ipBlock.except ?? [];
    return !excepts.some((e) => cidrContainsBits(e, other.bits));
  }
  const hasPods = peer?.podSelector !== undefined && peer?.podSelector !== null;
  const hasNamespaces = peer?.namespaceSelector !== undefined && peer?.namespaceSelector !== null;
  if (!hasPods && !hasNamespaces) {
    return false; // an empty peer is rejected by the API server; it selects nothing here
  }
  if (other.external) {
    return false; // selectors select pods only
  }
  if (hasNamespaces) {
    if (!selectorMatches(peer.namespaceSelector, other.namespaceLabels)) {
      return false;
    }
  } else if (other.namespace !== policyNs) {
    return false; // podSelector alone: pods in the policy's own namespace
  }
  if (hasPods) {
    return selectorMatches(peer.podSelector, other.labels);
  }
  return true;
}

/** Absent or empty ports: all ports and protocols. Otherwise any entry (OR). */
function portsMatch(ports: any[] | undefined, destination: Endpoint, port: number, protocol: string): boolean {
  if (ports === undefined || ports === null || ports.length === 0) {
    return true;
  }
  return ports.some((entry) => portEntryMatches(entry, destination, port, protocol));
}

function portEntryMatches(entry: any, destination: Endpoint, port: number, protocol: string): boolean {
  const entryProtocol = entry?.protocol ?? 'TCP';
  if (entryProtocol !== protocol) {
    return false;
  }
  const entryPort = entry?.port;
  if (entryPort === undefined || entryPort === null) {
    return true; // every port of this protocol
  }
  if (typeof entryPort === 'number') {
    if (entry.endPort === undefined || entry.endPort === null) {
      return port === entryPort;
    }
    return port >= entryPort && port <= entry.endPort;
  }
  // A named port: resolved against the destination pod's container ports.
  if (destination.external) {
    return false;
  }
  return destination.containerPorts.some((cp) =>
    cp?.name === entryPort && (cp?.protocol ?? 'TCP') === protocol && cp?.containerPort === port);
}

// ---------------------------------------------------------------------------
// Label selectors

/**
 * A LabelSelector: every matchLabels pair AND every matchExpression.
 * An empty selector matches everything.
 */
export function selectorMatches(selector: any, labels: Labels): boolean {
  const matchLabels: Labels = selector?.matchLabels ?? {};
  for (const key of Object.keys(matchLabels)) {
    if (!hasLabel(labels, key) || labels[key] !== matchLabels[key]) {
      return false;
    }
  }
  const expressions: any[] = selector?.matchExpressions ?? [];
  for (const expression of expressions) {
    const key = expression.key;
    const values: string[] = expression.values ?? [];
    const present = hasLabel(labels, key);
    switch (expression.operator) {
      case 'In':
        if (!present || !values.includes(labels[key])) return false;
        break;
      case 'NotIn':
        if (present && values.includes(labels[key])) return false;
        break;
      case 'Exists':
        if (!present) return false;
        break;
      case 'DoesNotExist':
        if (present) return false;
        break;
      default:
        throw new Error(`naive evaluator: unknown selector operator ${expression.operator}`);
    }
  }
  return true;
}

function hasLabel(labels: Labels, key: string): boolean {
  return Object.prototype.hasOwnProperty.call(labels, key);
}

// ---------------------------------------------------------------------------
// Objects

function objectNamespace(object: any): string {
  return object?.metadata?.namespace || 'default';
}

function policyNamespace(policy: any): string {
  return objectNamespace(policy);
}

/** The Namespace object's labels (if any) plus always kubernetes.io/metadata.name. */
export function namespaceLabels(objects: any[], namespace: string): Labels {
  const labels: Labels = {};
  for (const object of objects) {
    if (object?.kind === 'Namespace' && object?.metadata?.name === namespace) {
      Object.assign(labels, object.metadata.labels ?? {});
    }
  }
  labels[NAMESPACE_NAME_LABEL] = namespace;
  return labels;
}

/** The pod template of a Pod or workload, or undefined for other kinds. */
export function podSpecAndLabels(object: any): { labels: Labels; spec: any } | undefined {
  if (object?.kind === 'Pod') {
    return { labels: object.metadata?.labels ?? {}, spec: object.spec ?? {} };
  }
  let template: any;
  if (TEMPLATE_KINDS.includes(object?.kind)) {
    template = object.spec?.template;
  } else if (object?.kind === 'CronJob') {
    template = object.spec?.jobTemplate?.spec?.template;
  } else {
    return undefined;
  }
  return { labels: template?.metadata?.labels ?? {}, spec: template?.spec ?? {} };
}

export function resolveEndpoint(objects: any[], text: string): Endpoint {
  if (text.startsWith('ip:')) {
    const bits = ipToBits(text.slice(3));
    if (bits === undefined) {
      throw new Error(`naive evaluator: not an IP address: ${text}`);
    }
    return { external: true, bits };
  }
  const slash = text.indexOf('/');
  if (slash < 0 || text.indexOf('/', slash + 1) >= 0) {
    throw new Error(`naive evaluator: endpoint must be <namespace>/<name> or ip:<address>: ${text}`);
  }
  const namespace = text.slice(0, slash);
  const name = text.slice(slash + 1);
  for (const object of objects) {
    if (object?.metadata?.name !== name || objectNamespace(object) !== namespace) {
      continue;
    }
    const pod = podSpecAndLabels(object);
    if (!pod) {
      continue;
    }
    const containerPorts: any[] = [];
    for (const container of pod.spec.containers ?? []) {
      containerPorts.push(...(container.ports ?? []));
    }
    return {
      external: false,
      kind: object.kind,
      namespace,
      name,
      labels: pod.labels,
      containerPorts,
      serviceAccount: pod.spec.serviceAccountName ?? pod.spec.serviceAccount ?? 'default',
      namespaceLabels: {},
    };
  }
  throw new Error(`naive evaluator: no Pod or workload named ${text}`);
}

// ---------------------------------------------------------------------------
// IP addresses as bit strings ('0'/'1', 32 long for IPv4, 128 for IPv6)

function toBits(value: number, width: number): string {
  return value.toString(2).padStart(width, '0');
}

function ipv4ToBits(text: string): string | undefined {
  const parts = text.split('.');
  if (parts.length !== 4) {
    return undefined;
  }
  let bits = '';
  for (const part of parts) {
    if (!/^(0|[1-9][0-9]{0,2})$/.test(part) || Number(part) > 255) {
      return undefined;
    }
    bits += toBits(Number(part), 8);
  }
  return bits;
}

function ipv6ToBits(text: string): string | undefined {
  // A dotted IPv4 tail counts as two groups.
  let groups: string[];
  const halves = text.split('::');
  if (halves.length > 2) {
    return undefined;
  }
  const split = (s: string): string[] | undefined => {
    if (s === '') {
      return [];
    }
    const out: string[] = [];
    const raw = s.split(':');
    for (let i = 0; i < raw.length; i++) {
      const g = raw[i];
      if (i === raw.length - 1 && g.includes('.')) {
        const v4 = ipv4ToBits(g);
        if (v4 === undefined) {
          return undefined;
        }
        out.push(v4.slice(0, 16), v4.slice(16));
      } else if (/^[0-9a-fA-F]{1,4}$/.test(g)) {
        out.push(toBits(parseInt(g, 16), 16));
      } else {
        return undefined;
      }
    }
    return out;
  };
  if (halves.length === 2) {
    const head = split(halves[0]);
    const tail = split(halves[1]);
    if (head === undefined || tail === undefined || head.length + tail.length > 7) {
      return undefined;
    }
    const zeros = new Array(8 - head.length - tail.length).fill(toBits(0, 16));
    groups = [...head, ...zeros, ...tail];
  } else {
    const all = split(text);
    if (all === undefined || all.length !== 8) {
      return undefined;
    }
    groups = all;
  }
  return groups.join('');
}

/** The address as a bit string, or undefined when it is not an IPv4 or IPv6 address. */
export function ipToBits(text: string): string | undefined {
  return text.includes(':') ? ipv6ToBits(text) : ipv4ToBits(text);
}

/** Whether the address `bits` is inside `cidr` (same family and same first prefix bits). */
export function cidrContainsBits(cidr: string, bits: string): boolean {
  const [address, prefixText, ...rest] = String(cidr).split('/');
  if (rest.length > 0 || prefixText === undefined || !/^[0-9]{1,3}$/.test(prefixText)) {
    throw new Error(`naive evaluator: not a CIDR: ${cidr}`);
  }
  const network = ipToBits(address);
  const prefix = Number(prefixText);
  if (network === undefined || prefix > network.length) {
    throw new Error(`naive evaluator: not a CIDR: ${cidr}`);
  }
  if (network.length !== bits.length) {
    return false; // IPv4 and IPv6 never contain each other
  }
  return network.slice(0, prefix) === bits.slice(0, prefix);
}

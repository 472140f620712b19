/**
 * Translates networking.k8s.io/v1 NetworkPolicies into CiliumNetworkPolicies
 * that say the same, written from the two specifications (not from the
 * analyzer): a v1 policy isolates the directions of its effective
 * policyTypes; a CNP says so with enableDefaultDeny. A v1 rule's peers become
 * one Cilium rule per peer kind (Cilium takes one L3 kind per rule):
 * podSelector -> fromEndpoints (the policy's namespace is implied);
 * namespaceSelector -> a selector on `io.cilium.k8s.namespace.labels.*` (or
 * `io.kubernetes.pod.namespace Exists` for every namespace); ipBlock ->
 * fromCIDRSet; no peers -> fromEntities: [all] (or, with ports, no peer at all).
 * A v1 port has TCP by default; Cilium's default is ANY, so the protocol is
 * always written; a missing port is "0".
 */

const NS_LABELS = 'io.cilium.k8s.namespace.labels.';

function effectiveTypes(spec: any): Set<string> {
  if (Array.isArray(spec.policyTypes) && spec.policyTypes.length > 0) return new Set(spec.policyTypes);
  const types = new Set(['Ingress']);
  if (Array.isArray(spec.egress) && spec.egress.length > 0) types.add('Egress');
  return types;
}

/** A selector with every key under a prefix (k8s:, any:, or a namespace-labels prefix). */
function prefixed(selector: any, prefix: string): { matchLabels: Record<string, string>; matchExpressions: any[] } {
  const matchLabels: Record<string, string> = {};
  for (const [k, v] of Object.entries(selector?.matchLabels ?? {})) matchLabels[`${prefix}${k}`] = v as string;
  const matchExpressions = (selector?.matchExpressions ?? []).map((e: any) => ({ ...e, key: `${prefix}${e.key}` }));
  return { matchLabels, matchExpressions };
}

function isEmptySelector(selector: any): boolean {
  return Object.keys(selector?.matchLabels ?? {}).length === 0 && (selector?.matchExpressions ?? []).length === 0;
}

function endpointSelector(peer: any, variant: number): any {
  const sourcePrefix = ['', 'k8s:', 'any:'][variant % 3];
  const pods = prefixed(peer.podSelector, sourcePrefix);
  if (peer.namespaceSelector !== undefined) {
    if (isEmptySelector(peer.namespaceSelector)) {
      pods.matchExpressions.push({ key: `${sourcePrefix}io.kubernetes.pod.namespace`, operator: 'Exists' });
    } else {
      const namespaces = prefixed(peer.namespaceSelector, NS_LABELS);
      Object.assign(pods.matchLabels, namespaces.matchLabels);
      pods.matchExpressions.push(...namespaces.matchExpressions);
    }
  }
  return pods;
}

function ciliumPorts(ports: any[]): any[] {
  return [{
    ports: ports.map((p) => {
      const entry: any = { protocol: p.protocol ?? 'TCP', port: p.port === undefined ? '0' : String(p.port) };
      if (p.endPort !== undefined) entry.endPort = p.endPort;
      return entry;
    }),
  }];
}

function translateRule(rule: any, direction: 'ingress' | 'egress', variant: number): any[] {
  const [endpoints, cidrs, entities] = direction === 'ingress' ? ['fromEndpoints', 'fromCIDRSet', 'fromEntities'] : ['toEndpoints', 'toCIDRSet', 'toEntities'];
  const peers: any[] = rule[direction === 'ingress' ? 'from' : 'to'] ?? [];
  const ports: any[] = rule.ports ?? [];
  const toPorts = ports.length > 0 ? { toPorts: ciliumPorts(ports) } : {};
  if (peers.length === 0) {
    // Everyone: the entity all; with ports, a rule without a peer says the same.
    return ports.length > 0 && variant % 2 === 0 ? [toPorts] : [{ [entities]: ['all'], ...toPorts }];
  }
  const result: any[] = [];
  const pods = peers.filter((p) => p.ipBlock === undefined);
  const blocks = peers.filter((p) => p.ipBlock !== undefined);
  if (pods.length > 0) result.push({ [endpoints]: pods.map((p, i) => endpointSelector(p, variant + i)), ...toPorts });
  const cidrRule = (block: any) => ({ cidr: block.cidr, ...(block.except ? { except: block.except } : {}) });
  if (blocks.length > 0) result.push({ [cidrs]: blocks.map((p) => cidrRule(p.ipBlock)), ...toPorts });
  return result;
}

/** The objects, with every NetworkPolicy replaced by a CiliumNetworkPolicy that says the same. */
export function translateToCilium(objects: readonly any[]): any[] {
  let variant = 0;
  return objects.map((object) => {
    if (object.kind !== 'NetworkPolicy') return object;
    const spec = object.spec;
    const types = effectiveTypes(spec);
    const cilium: any = {
      endpointSelector: prefixed(spec.podSelector, variant % 2 === 0 ? '' : 'k8s:'),
      enableDefaultDeny: { ingress: types.has('Ingress'), egress: types.has('Egress') },
    };
    for (const direction of ['ingress', 'egress'] as const) {
      const type = direction === 'ingress' ? 'Ingress' : 'Egress';
      if (!types.has(type)) continue;
      cilium[direction] = (spec[direction] ?? []).flatMap((rule: any) => translateRule(rule, direction, variant++));
    }
    if (cilium.ingress === undefined && cilium.egress === undefined) cilium.ingress = [];
    // Half of them in the specs list form.
    const body = variant++ % 2 === 0 ? { spec: cilium } : { specs: [cilium] };
    return { apiVersion: 'cilium.io/v2', kind: 'CiliumNetworkPolicy', metadata: object.metadata, ...body };
  });
}

/*
 * The CiliumNetworkPolicy (cilium.io/v2) form of a policy written for
 * networking.k8s.io/v1: the same connections, in Cilium's terms. Every rule
 * here follows Cilium's semantics (pkg/policy/api, and the namespace
 * injection of pkg/k8s/apis/cilium.io/utils), not a loose equivalent:
 *
 * - A peer selector without a namespace key is limited by Cilium to the
 *   policy's namespace, as a v1 `podSelector` alone is.
 * - v1 selects namespaces by the Namespace object's labels; Cilium gives each
 *   pod its namespace's name as `io.kubernetes.pod.namespace` and its labels
 *   as `io.cilium.k8s.namespace.labels.<key>`. A selector that names no
 *   namespace by name also carries `io.kubernetes.pod.namespace Exists`: every
 *   pod has it, and any namespace key turns the injection off, in every Cilium
 *   version (older ones injected the policy's namespace beside namespace labels).
 * - Cilium allows one kind of peer per rule (endpoints, CIDRs or entities), so
 *   a v1 rule with pods and ipBlocks becomes one rule per kind, same ports.
 * - A v1 rule without peers (everyone) is the `all` entity.
 * - A direction isolated without rules is `ingress: [{}]` / `egress: [{}]`:
 *   in Cilium an empty rule turns default-deny on and allows nothing
 *   (the opposite of v1, where `ingress: [{}]` allows everything).
 * - CIDR rules never match pods in Cilium; v1 ipBlocks are meant for
 *   addresses outside the cluster too (see docs/cilium.md).
 *
 * What only Cilium says comes on top: entities (`toEntities`), DNS names
 * (`toFQDNs`, with the DNS rule Cilium needs to learn their addresses), HTTP
 * rules on a rule's ports (`toPorts[].rules.http`).
 */
import type { CiliumPeerConfig } from './cilium-peer-config';
import { NAMESPACE_NAME_LABEL } from '../kube/namespace-name-label';
import type { K8sLabelSelector, K8sLabelSelectorRequirement, K8sNetworkPolicyPeer } from '../kube/types';

/** The label Cilium gives every pod: the name of its namespace. */
export const CILIUM_NAMESPACE_KEY = 'k8s:io.kubernetes.pod.namespace';
/** The prefix of the labels Cilium gives every pod: its namespace's labels. */
export const CILIUM_NAMESPACE_LABELS_PREFIX = 'k8s:io.cilium.k8s.namespace.labels.';

/** A v1 port entry as rendered (`protocol`, `port`, `endPort`). */
export interface V1Port {
  readonly protocol?: string;
  readonly port?: number | string;
  readonly endPort?: number;
}

/** One rule as rendered: peers, ports (undefined: every port) and HTTP rules on them. */
export interface V1Rule {
  /** v1 peers; with no `ciliumPeers` either, undefined means everyone. */
  readonly peers?: readonly K8sNetworkPolicyPeer[];
  /** Entities and DNS names. */
  readonly ciliumPeers?: readonly CiliumPeerConfig[];
  readonly ports?: readonly V1Port[];
  /** `rules.http` on every port of the rule. */
  readonly http?: readonly object[];
}

/** Where cluster DNS runs: DNS names need its L7 DNS rule. */
export interface DnsServer {
  readonly namespace: string;
  readonly labels: { readonly [key: string]: string };
}

/** The parts of a policy the Cilium spec is made from. */
export interface V1Policy {
  readonly podSelector: K8sLabelSelector;
  readonly isolatesIngress: boolean;
  readonly isolatesEgress: boolean;
  readonly ingress: readonly V1Rule[];
  readonly egress: readonly V1Rule[];
  /** `spec.description` (Cilium only). */
  readonly description?: string;
  /** Cluster DNS, for the lookups of DNS-name peers. */
  readonly dnsServer: DnsServer;
}

type CiliumRule = Record<string, unknown>;

/** The `spec` of the CiliumNetworkPolicy that allows what `policy` does. */
export function ciliumSpecOf(policy: V1Policy): Record<string, unknown> {
  const spec: Record<string, unknown> = { endpointSelector: policy.podSelector };
  if (policy.description !== undefined) spec.description = policy.description;
  if (policy.isolatesIngress) spec.ingress = rulesOf(policy.ingress, 'from');
  if (policy.isolatesEgress) {
    const egress = rulesOf(policy.egress, 'to');
    const names = policy.egress.flatMap((r) => r.ciliumPeers ?? []).filter((p) => p.entity === undefined);
    if (names.length) egress.push(dnsVisibilityRule(names, policy.dnsServer));
    spec.egress = egress;
  }
  return spec;
}

/**
 * Egress to cluster DNS on 53 (UDP and TCP) through Cilium's DNS proxy, for
 * exactly these names: Cilium learns what a name resolves to from the lookups
 * its proxy sees, so a DNS-name peer without this rule never matches an
 * address. Names only: another policy that allows DNS without L7 rules (such
 * as AllowDns) lifts the limit to every name, as Cilium lets any L3/L4 allow do.
 */
function dnsVisibilityRule(names: readonly CiliumPeerConfig[], server: DnsServer): CiliumRule {
  const dns = new Map<string, object>();
  for (const match of names.map(fqdnMatchOf)) dns.set(JSON.stringify(match), match);
  return {
    toEndpoints: [{ matchLabels: { ...server.labels, [CILIUM_NAMESPACE_KEY]: server.namespace } }],
    toPorts: [{ ports: [{ port: '53', protocol: 'UDP' }, { port: '53', protocol: 'TCP' }], rules: { dns: [...dns.values()] } }],
  };
}

/** Deny rules (`ingressDeny` / `egressDeny`): peers and ports only, as Cilium allows. */
export function ciliumDenyRulesOf(rules: readonly V1Rule[], side: 'from' | 'to'): CiliumRule[] {
  return rules.flatMap((rule) => ciliumRulesOf(rule, side));
}

function rulesOf(rules: readonly V1Rule[], side: 'from' | 'to'): CiliumRule[] {
  if (rules.length === 0) {
    // isolated, nothing allowed: an empty rule turns default-deny on and allows nothing
    return [{}];
  }
  return rules.flatMap((rule) => ciliumRulesOf(rule, side));
}

function ciliumRulesOf(rule: V1Rule, side: 'from' | 'to'): CiliumRule[] {
  const toPorts = rule.ports === undefined ? undefined : [{
    ports: rule.ports.map(ciliumPortOf),
    ...(rule.http ? { rules: { http: rule.http.map((h) => ({ ...h })) } } : {}),
  }];
  const withPorts = (peer: CiliumRule): CiliumRule => (toPorts ? { ...peer, toPorts } : peer);
  const ciliumPeers = rule.ciliumPeers ?? [];
  if (rule.peers === undefined && ciliumPeers.length === 0) {
    return [withPorts({ [`${side}Entities`]: ['all'] })];
  }
  const entities = ciliumPeers.filter((p) => p.entity !== undefined).map((p) => p.entity!);
  const fqdns = ciliumPeers.filter((p) => p.entity === undefined)
    .map(fqdnMatchOf);
  const v1Peers = rule.peers ?? [];
  const endpoints = v1Peers.filter((p) => !p.ipBlock).map(endpointSelectorOf);
  const cidrs = v1Peers.filter((p) => p.ipBlock).map((p) => (p.ipBlock!.except?.length
    ? { cidr: p.ipBlock!.cidr, except: [...p.ipBlock!.except] }
    : { cidr: p.ipBlock!.cidr }));
  const out: CiliumRule[] = [];
  if (endpoints.length) out.push(withPorts({ [`${side}Endpoints`]: endpoints }));
  if (cidrs.length) out.push(withPorts({ [`${side}CIDRSet`]: cidrs }));
  if (entities.length) out.push(withPorts({ [`${side}Entities`]: entities }));
  if (fqdns.length) out.push(withPorts({ toFQDNs: fqdns }));
  return out;
}

/** A v1 pod peer as a Cilium endpoint selector (see the file's comment). */
export function endpointSelectorOf(peer: K8sNetworkPolicyPeer): K8sLabelSelector {
  const pods = peer.podSelector ?? {};
  if (peer.namespaceSelector === undefined) {
    // the policy's namespace: Cilium adds it to a selector that names none
    return copySelector(pods);
  }
  const labels: { [key: string]: string } = { ...pods.matchLabels };
  const expressions: K8sLabelSelectorRequirement[] = (pods.matchExpressions ?? []).map(copyRequirement);
  let namesNamespace = false;
  for (const [key, value] of Object.entries(peer.namespaceSelector.matchLabels ?? {})) {
    const ciliumKey = namespaceKeyOf(key);
    namesNamespace ||= ciliumKey === CILIUM_NAMESPACE_KEY;
    labels[ciliumKey] = value;
  }
  for (const requirement of peer.namespaceSelector.matchExpressions ?? []) {
    const ciliumKey = namespaceKeyOf(requirement.key);
    namesNamespace ||= ciliumKey === CILIUM_NAMESPACE_KEY;
    expressions.push({ ...copyRequirement(requirement), key: ciliumKey });
  }
  if (!namesNamespace) {
    expressions.push({ key: CILIUM_NAMESPACE_KEY, operator: 'Exists' });
  }
  return selector(labels, expressions);
}

/** A DNS-name peer as a `toFQDNs` (and `rules.dns`) entry. */
function fqdnMatchOf(peer: CiliumPeerConfig): { matchName: string } | { matchPattern: string } {
  return peer.dnsName !== undefined ? { matchName: peer.dnsName } : { matchPattern: peer.dnsPattern! };
}

function namespaceKeyOf(namespaceLabel: string): string {
  return namespaceLabel === NAMESPACE_NAME_LABEL ? CILIUM_NAMESPACE_KEY : `${CILIUM_NAMESPACE_LABELS_PREFIX}${namespaceLabel}`;
}

function ciliumPortOf(port: V1Port): Record<string, unknown> {
  // v1 leaves out `port` for every port of a protocol; Cilium's word for it is port "0"
  const out: Record<string, unknown> = { port: port.port === undefined ? '0' : String(port.port), protocol: port.protocol ?? 'TCP' };
  if (port.endPort !== undefined) out.endPort = port.endPort;
  return out;
}

function copySelector(s: K8sLabelSelector): K8sLabelSelector {
  return selector({ ...s.matchLabels }, (s.matchExpressions ?? []).map(copyRequirement));
}

function selector(labels: { [key: string]: string }, expressions: K8sLabelSelectorRequirement[]): K8sLabelSelector {
  return {
    matchLabels: Object.keys(labels).length ? labels : undefined,
    matchExpressions: expressions.length ? expressions : undefined,
  };
}

function copyRequirement(r: K8sLabelSelectorRequirement): K8sLabelSelectorRequirement {
  return r.values === undefined ? { key: r.key, operator: r.operator } : { key: r.key, operator: r.operator, values: [...r.values] };
}

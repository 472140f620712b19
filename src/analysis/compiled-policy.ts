import { Protocol } from '../protocol';
import { Direction } from './flow';
import { LabelMatcher } from './label-matcher';
import { FieldPath, ManifestObject } from './manifest-object';
import { ParsedCidr } from '../validation/cidr';

/** A peer that selects pods: by namespace (labels, or the policy's own) and pod labels. */
export interface PodPeer {
  readonly kind: 'pods';
  /** Namespaces whose pods the peer selects; undefined means the policy's own namespace. */
  readonly namespaces?: LabelMatcher;
  /** The policy's namespace, used when `namespaces` is undefined. */
  readonly ownNamespace: string;
  readonly pods: LabelMatcher;
  /** Readable form, e.g. `pods app=web in namespace shop`. */
  readonly text: string;
  /** Identity of what the peer selects, shared by equal peers of different policies. */
  readonly key: string;
  /** Where the peer is in the policy, e.g. `spec.ingress[0].from[1]`. */
  readonly path: FieldPath;
  /**
   * True for the pod peers of cluster policies (ClusterNetworkPolicy,
   * AdminNetworkPolicy): "host-networked pods are not included".
   */
  readonly excludesHostNetwork?: boolean;
}

/** A peer that selects addresses outside the cluster. */
export interface IpPeer {
  readonly kind: 'ip';
  readonly cidr: ParsedCidr;
  readonly except: readonly ParsedCidr[];
  readonly text: string;
  /** Where the peer is in the policy, e.g. `spec.egress[0].to[0]`. */
  readonly path: FieldPath;
}

/** One entry of `from` or `to` of a NetworkPolicy. */
export type CompiledPeer = PodPeer | IpPeer;

/**
 * A Cilium endpoint selector (`fromEndpoints`/`toEndpoints`): a label selector
 * over the identity labels of a pod (its own labels and those Cilium adds,
 * see `identityLabels`), ANDed with the namespace Cilium injects.
 */
export interface IdentityPeer {
  readonly kind: 'identity';
  readonly selector: LabelMatcher;
  /** The namespace a namespaced policy pins the peer to; undefined when the selector names one itself. */
  readonly namespace?: string;
  /**
   * True when Cilium adds no namespace constraint to the selector (it has a
   * `reserved:` key, or names the namespace itself, or, in a namespaced
   * policy, selects by namespace labels): it may then select identities that
   * are not pods (entities), by their reserved labels. Otherwise it selects
   * pods only (getEndpointSelector).
   */
  readonly unscoped: boolean;
  readonly text: string;
  /** Identity of what the peer selects, shared by equal peers of different policies. */
  readonly key: string;
  readonly path: FieldPath;
}

/**
 * A Cilium entity (`fromEntities`/`toEntities`): whether it takes in the pods
 * (`cluster`, `all`) and the addresses outside the cluster (`world`, `all`);
 * which of the flow entities (`entity:host`...) it takes in is `entities`.
 */
export interface EntityPeer {
  readonly kind: 'entity';
  readonly entity: string;
  readonly pods: boolean;
  readonly addresses: boolean;
  /** The flow entities it matches (`kube-apiserver`, `host`, `remote-node`). */
  readonly entities: readonly string[];
  readonly text: string;
  readonly path: FieldPath;
}

/**
 * A Cilium DNS-name peer (`toFQDNs` `matchName` or `matchPattern`): it
 * matches an address outside the cluster only when the flow says which name
 * the source looked up, the name matches, and the source's DNS lookups of it
 * went through Cilium's DNS proxy (see `dns-visibility.ts`).
 */
export interface FqdnPeer {
  readonly kind: 'fqdn';
  /** The name or pattern, as written. */
  readonly selector: string;
  /** True for `matchPattern`, false for `matchName`. */
  readonly pattern: boolean;
  /** The names it matches: lower case, with a trailing dot. */
  readonly names: RegExp;
  readonly text: string;
  readonly path: FieldPath;
  /**
   * True when the name matches whatever resolver the source used (a
   * ClusterNetworkPolicy `domainNames` peer); false when the lookup must have
   * gone through Cilium's DNS proxy (`toFQDNs`).
   */
  readonly anyLookup?: boolean;
}

/**
 * A `networks` peer of a cluster policy: CIDRs that match addresses outside
 * the cluster and, as the API says ("cluster-internal traffic will be checked
 * against the rule as well"), pods whose addresses (`status.podIPs`) fall
 * inside them.
 */
export interface NetworkPeer {
  readonly kind: 'network';
  readonly cidrs: readonly ParsedCidr[];
  readonly text: string;
  /** Identity of what the peer selects, shared by equal peers of different policies. */
  readonly key: string;
  readonly path: FieldPath;
}

/**
 * A peer that matches no endpoint or address the analyzer models, e.g. nodes
 * by labels (`toNodes`) or Services; `text` says why.
 */
export interface UnmatchedPeer {
  readonly kind: 'unmatched';
  readonly text: string;
  readonly path: FieldPath;
}

/** A peer of any policy kind (the NetworkPolicy tier's, and cluster policies' `networks`). */
export type TierPeer = CompiledPeer | IdentityPeer | EntityPeer | FqdnPeer | NetworkPeer | UnmatchedPeer;

/** One entry of `ports`. */
export interface CompiledPort {
  readonly protocol: Protocol;
  /** The port number; undefined with `name` undefined means every port of the protocol. */
  readonly port?: number;
  /** The last port of a range (inclusive). */
  readonly endPort?: number;
  /** A named port, resolved against the destination pod's container ports. */
  readonly name?: string;
  readonly text: string;
  /** Where the entry is in the policy, e.g. `spec.egress[0].ports[1]`. */
  readonly path: FieldPath;
  /**
   * L7 rules on the port (Cilium `rules.http`/`rules.dns`), described: the
   * port counts as allowed for connections, and the rules restrict requests.
   */
  readonly l7?: string;
  /** The HTTP rules on the port (Cilium `rules.http`), when it has some. */
  readonly http?: readonly HttpRuleSpec[];
  /** The DNS rules on the port (Cilium `rules.dns`): the names whose lookups pass, as patterns. */
  readonly dns?: readonly DnsRuleSpec[];
}

/**
 * One Cilium HTTP rule: a request passes when every field set matches
 * (method and path as whole-value RE2 regexes, as Envoy matches them).
 */
export interface HttpRuleSpec {
  readonly method?: RegExp;
  readonly path?: RegExp;
  /**
   * What the rule demands that a flow's request (method and path only) cannot
   * show: a `host` or a header; such a rule matches no request of a flow.
   */
  readonly needs?: string;
  /** Readable form, e.g. `GET /public/.*`. */
  readonly text: string;
}

/** One Cilium DNS rule (`matchName` or `matchPattern`). */
export interface DnsRuleSpec {
  readonly names: RegExp;
  readonly text: string;
}

/**
 * One ICMP type a Cilium `icmps` rule names: the family (4 for ICMP, 6 for
 * ICMPv6) and the type number (names resolved as Cilium does).
 */
export interface IcmpField {
  readonly family: 4 | 6;
  readonly type: number;
  readonly text: string;
}

/** One allow or deny rule, of any policy kind of the NetworkPolicy tier. */
export interface TierRule {
  /** Field path as text, e.g. `spec.ingress[0]`. */
  readonly path: string;
  /** The same field path, as keys and indexes (for locating the rule in its file). */
  readonly fieldPath: FieldPath;
  /** The peers; undefined means every peer; an empty list, none. */
  readonly peers?: readonly TierPeer[];
  /** The ports; undefined means every port of every protocol; an empty list, none. */
  readonly ports?: readonly CompiledPort[];
  /**
   * The ICMP types (Cilium `icmps`), when the rule names some; `ports` is then
   * empty. Without it, a rule with `ports` undefined admits every protocol,
   * ICMP included, and one with ports admits no ICMP.
   */
  readonly icmps?: readonly IcmpField[];
}

/** One ingress or egress rule of a NetworkPolicy. */
export interface CompiledRule extends TierRule {
  /** The peers; undefined when `from`/`to` is absent or empty: everyone. */
  readonly peers?: readonly CompiledPeer[];
  /** The ports; undefined when `ports` is absent or empty: every port and protocol. */
  readonly ports?: readonly CompiledPort[];
}

/** The policy kinds of the NetworkPolicy tier. */
export type PolicyKind = 'NetworkPolicy' | 'CiliumNetworkPolicy' | 'CiliumClusterwideNetworkPolicy';

/**
 * Which endpoints a policy applies to: those whose labels (their own for a
 * NetworkPolicy, their identity labels for Cilium) match the selector, in the
 * namespace when one is given.
 */
export interface PolicySubject {
  readonly selector: LabelMatcher;
  /** The namespace of the selected pods; undefined for a cluster-wide policy. */
  readonly namespace?: string;
  /** Match the identity labels (Cilium) rather than the pod labels. */
  readonly identity: boolean;
}

/**
 * A policy of the NetworkPolicy tier, of any kind, ready to evaluate: it
 * applies to its subject in a direction when it isolates that direction or
 * has rules for it; deny rules win over every allow; allows add up; an
 * isolated endpoint gets only what some allow rule admits.
 */
export interface TierPolicy {
  readonly kind: PolicyKind;
  /**
   * How explanations name it: `<namespace>/<name>` for a NetworkPolicy,
   * `CiliumNetworkPolicy <namespace>/<name>`, `CiliumClusterwideNetworkPolicy <name>`.
   * The specs of one Cilium object share it (their rule paths differ).
   */
  readonly id: string;
  /** The namespace; undefined for a cluster-wide policy. */
  readonly namespace?: string;
  readonly name: string;
  readonly subject: PolicySubject;
  /** The directions in which the policy puts its subject into default deny. */
  readonly isolates: ReadonlySet<Direction>;
  /** The directions whose rules are enforced: those isolated, and (Cilium) those with rules. */
  readonly applies: ReadonlySet<Direction>;
  readonly ingress: readonly TierRule[];
  readonly egress: readonly TierRule[];
  readonly ingressDeny: readonly TierRule[];
  readonly egressDeny: readonly TierRule[];
  /** Where the policy came from, e.g. `netpol.yaml:3`. */
  readonly origin: string;
  /** The object as loaded (annotations, line numbers of fields). */
  readonly source: ManifestObject;
  /**
   * Where the rule is in the object: `['specs', 1]` for the second entry of a
   * Cilium policy's `specs`.
   * @default ['spec']
   */
  readonly specPath?: FieldPath;
}

/** A validated NetworkPolicy, ready to evaluate. */
export interface CompiledPolicy extends TierPolicy {
  readonly kind: 'NetworkPolicy';
  /** `<namespace>/<name>`. */
  readonly id: string;
  readonly namespace: string;
  readonly podSelector: LabelMatcher;
  /** The effective policyTypes (after the API server's defaulting). */
  readonly isolates: ReadonlySet<Direction>;
  readonly ingress: readonly CompiledRule[];
  readonly egress: readonly CompiledRule[];
}

/** The allow rules of a policy in one direction. */
export function rulesOf<P extends TierPolicy>(policy: P, direction: Direction): P['ingress'] {
  return direction === Direction.INGRESS ? policy.ingress : policy.egress;
}

/** The deny rules of a policy in one direction. */
export function denyRulesOf(policy: TierPolicy, direction: Direction): readonly TierRule[] {
  return direction === Direction.INGRESS ? policy.ingressDeny : policy.egressDeny;
}

/** Every rule of a policy, allow and deny, both directions. */
export function allRulesOf(policy: TierPolicy): readonly TierRule[] {
  return [...policy.ingress, ...policy.egress, ...policy.ingressDeny, ...policy.egressDeny];
}

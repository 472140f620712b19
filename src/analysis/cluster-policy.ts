import { TierPeer, TierRule } from './compiled-policy';
import { Direction } from './flow';
import { LabelMatcher } from './label-matcher';
import { ManifestObject } from './manifest-object';

/** The cluster-scoped policy kinds of the Admin and Baseline tiers. */
export type ClusterPolicyKind = 'ClusterNetworkPolicy' | 'AdminNetworkPolicy' | 'BaselineAdminNetworkPolicy';

/** The tiers around the NetworkPolicy tier: Admin above it, Baseline below it. */
export type ClusterTierName = 'Admin' | 'Baseline';

/**
 * What a rule does with the traffic it matches: Accept (v1alpha1 `Allow`)
 * decides "allowed" and skips every lower tier, Deny decides "denied", Pass
 * skips the rest of the tier and hands the traffic to the next one.
 */
export type ClusterAction = 'Accept' | 'Deny' | 'Pass';

/** A peer of a cluster policy rule: pods (never host-network ones), networks, nodes (as entities) or domain names. */
export type ClusterPeer = TierPeer;

/** One ingress or egress rule of a cluster policy, matched in order. */
export interface ClusterRule extends TierRule {
  readonly action: ClusterAction;
  /** The rule's `name`, when it has one. */
  readonly name?: string;
  /** The peers (`from`/`to`): the API requires at least one. */
  readonly peers: readonly ClusterPeer[];
}

/**
 * The pods a cluster policy applies to: in the namespaces `namespaces`
 * selects, those `pods` selects; host-network pods never ("host-networked
 * pods are not included in subject selection").
 */
export interface ClusterSubject {
  readonly namespaces: LabelMatcher;
  readonly pods: LabelMatcher;
  /** Readable form, e.g. `pods app=web in namespaces tenant=a`. */
  readonly text: string;
}

/**
 * A ClusterNetworkPolicy (v1alpha2), AdminNetworkPolicy or
 * BaselineAdminNetworkPolicy (v1alpha1), ready to evaluate: in its tier,
 * policies are taken by ascending priority and their rules in order; the
 * first rule whose peer and protocols match the traffic decides.
 */
export interface ClusterPolicy {
  readonly kind: ClusterPolicyKind;
  readonly tier: ClusterTierName;
  /**
   * The priority (0-1000; lower first). A BaselineAdminNetworkPolicy, which
   * has none, is ordered after every Baseline ClusterNetworkPolicy (1001).
   */
  readonly priority: number;
  readonly name: string;
  /** How explanations name it: `<kind> <name>`. */
  readonly id: string;
  readonly subject: ClusterSubject;
  readonly ingress: readonly ClusterRule[];
  readonly egress: readonly ClusterRule[];
  /** Where the policy came from, e.g. `platform.yaml:3`. */
  readonly origin: string;
  readonly source: ManifestObject;
}

/** The rules of a cluster policy in one direction. */
export function clusterRulesOf(policy: ClusterPolicy, direction: Direction): readonly ClusterRule[] {
  return direction === Direction.INGRESS ? policy.ingress : policy.egress;
}

/** Orders the policies of a tier: by priority, then kind and name (the API leaves equal priorities undefined; lint reports them). */
export function compareClusterPolicies(a: ClusterPolicy, b: ClusterPolicy): number {
  if (a.priority !== b.priority) return a.priority - b.priority;
  if (a.kind !== b.kind) return a.kind < b.kind ? -1 : 1;
  return a.name < b.name ? -1 : a.name > b.name ? 1 : 0;
}

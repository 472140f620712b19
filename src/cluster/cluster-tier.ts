/**
 * The tiers of a ClusterNetworkPolicy (policy.networking.k8s.io/v1alpha2).
 */
export enum ClusterTier {
  /**
   * Above NetworkPolicies: decided first, by ascending priority and rule
   * order; Accept and Deny are final, Pass hands the connection on to the
   * namespaces' NetworkPolicies.
   */
  ADMIN = 'Admin',
  /**
   * Below NetworkPolicies: reached only for a direction that no NetworkPolicy
   * isolates, so a namespace's own policies override it (defaults).
   */
  BASELINE = 'Baseline',
}

/**
 * What a ClusterNetworkPolicy rule does with the connections it matches.
 */
export enum ClusterRuleAction {
  /** Allowed; lower tiers and NetworkPolicies are not consulted. */
  ACCEPT = 'Accept',
  /** Denied; lower tiers and NetworkPolicies are not consulted. */
  DENY = 'Deny',
  /** Handed on: the next tier decides (Admin: the NetworkPolicies, then Baseline). */
  PASS = 'Pass',
}

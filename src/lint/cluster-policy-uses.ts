import { CniSupport, PolicyFeature } from './cni-support';
import { ClusterPolicy, ClusterPolicyKind } from '../analysis/cluster-policy';
import { CLUSTER_POLICY_APIS } from '../analysis/compile-cluster-policy';
import { FieldPath } from '../analysis/manifest-object';

/*
 * What of a cluster-scoped policy (ClusterNetworkPolicy, AdminNetworkPolicy,
 * BaselineAdminNetworkPolicy) a CNI may not read: the kind itself, and
 * implementation limits narrower than the API's (docs/cni.md sources them).
 */

/** One use of a feature some CNI may not enforce, before that CNI's notes are added. */
export interface FeatureUse {
  readonly feature: PolicyFeature;
  readonly field: FieldPath;
  /** What the policy does there, as a sentence. */
  readonly what: string;
  readonly fix: string;
  /** The value a gap's `limit` is compared with (e.g. the priority): the gap applies when it is above the limit. */
  readonly value?: number;
}

/** The feature each cluster policy kind is. */
export const KIND_FEATURES: Readonly<Record<ClusterPolicyKind, PolicyFeature>> = {
  ClusterNetworkPolicy: PolicyFeature.CLUSTER_NETWORK_POLICY,
  AdminNetworkPolicy: PolicyFeature.ADMIN_NETWORK_POLICY,
  BaselineAdminNetworkPolicy: PolicyFeature.BASELINE_ADMIN_NETWORK_POLICY,
};

/** The uses in one cluster policy: its kind, and (AdminNetworkPolicy) its priority. */
export function clusterPolicyUses(policy: ClusterPolicy, support: CniSupport): FeatureUse[] {
  const api = CLUSTER_POLICY_APIS.get(policy.kind)!;
  const uses: FeatureUse[] = [{
    feature: KIND_FEATURES[policy.kind],
    field: ['kind'],
    what: `${policy.id} is ${/^[AEIOU]/.test(policy.kind) ? 'an' : 'a'} ${policy.kind} (${api}).`,
    fix: kindFix(policy, support),
  }];
  if (policy.kind === 'AdminNetworkPolicy') {
    uses.push({
      feature: PolicyFeature.ADMIN_NETWORK_POLICY_PRIORITY,
      field: ['spec', 'priority'],
      what: `${policy.id} has priority ${policy.priority}.`,
      fix: `Give ${policy.id} a priority ${support.displayName} supports (see docs/cni.md), keeping the order of the Admin policies.`,
      value: policy.priority,
    });
  }
  return uses;
}

function kindFix(policy: ClusterPolicy, support: CniSupport): string {
  const name = support.displayName;
  if (policy.kind === 'ClusterNetworkPolicy') {
    return `Run a ${name} release that reads ClusterNetworkPolicy, with the feature enabled where it is opt-in (see docs/cni.md); `
      + `where ${name} reads only the v1alpha1 kinds, write ${policy.tier === 'Admin' ? 'an AdminNetworkPolicy' : 'the BaselineAdminNetworkPolicy'} instead.`;
  }
  return `Rewrite ${policy.id} as a ClusterNetworkPolicy (${CLUSTER_POLICY_APIS.get('ClusterNetworkPolicy')}) with tier ${policy.tier} where ${name} reads that kind, `
    + `or run a ${name} release that reads ${policy.kind}, with the feature enabled where it is opt-in (see docs/cni.md).`;
}

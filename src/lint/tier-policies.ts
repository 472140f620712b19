import { ClusterModel } from '../analysis/cluster-model';
import { rulesOf, TierPolicy, TierRule } from '../analysis/compiled-policy';
import { Endpoint } from '../analysis/endpoint';
import { Direction } from '../analysis/flow';
import { FieldPath } from '../analysis/manifest-object';
import { subjectMatches } from '../analysis/matching';

/*
 * What rules ask of the NetworkPolicy tier, whatever the policy kind: which
 * policies isolate a pod, which pods a policy selects, and the raw fields of a
 * Cilium rule (its specs share one object). networking.k8s.io/v1 policies and
 * Cilium's sit side by side in `model.tierPolicies`.
 */

/** The Cilium policy kinds. */
export function isCilium(policy: TierPolicy): boolean {
  return policy.kind !== 'NetworkPolicy';
}

/** Where the policy's rule is in its object: `['spec']`, or `['specs', i]` for an entry of a Cilium policy's `specs`. */
export function specPathOf(policy: TierPolicy): FieldPath {
  return policy.specPath ?? ['spec'];
}

/** The value at `path` in the policy's object (undefined when a step is missing). */
export function rawAt(policy: TierPolicy, path: FieldPath): any {
  let node: any = policy.source.object;
  for (const key of path) {
    if (node === undefined || node === null) return undefined;
    node = node[key];
  }
  return node;
}

/** The rule as written (`spec`, or the entry of `specs`). */
export function rawSpec(policy: TierPolicy): any {
  return rawAt(policy, specPathOf(policy)) ?? {};
}

/** The rule's subject selector field: `spec.podSelector` for a NetworkPolicy, `<spec>.endpointSelector` for Cilium. */
export function subjectField(policy: TierPolicy): FieldPath {
  return isCilium(policy) ? [...specPathOf(policy), 'endpointSelector'] : ['spec', 'podSelector'];
}

/** The endpoints of the manifests the policy applies to (its namespace, its selector). */
export function selectedEndpoints(model: ClusterModel, policy: TierPolicy): Endpoint[] {
  const candidates = policy.namespace === undefined ? model.endpoints : model.endpointsIn(policy.namespace);
  return candidates.filter((e) => subjectMatches(model, policy.subject, e));
}

/** The policies of any kind that put the endpoint into default deny for the direction. */
export function isolatingPolicies(model: ClusterModel, endpoint: Endpoint, direction: Direction): TierPolicy[] {
  return model.sideOf(endpoint, direction).policies.filter((p) => p.isolates.has(direction));
}

/** Each Cilium object once, with the policies its rules (`spec`, `specs[i]`) became, in input order. */
export function ciliumObjects(model: ClusterModel): TierPolicy[][] {
  const bySource = new Map<object, TierPolicy[]>();
  for (const policy of model.tierPolicies) {
    if (!isCilium(policy)) continue;
    const group = bySource.get(policy.source) ?? [];
    group.push(policy);
    bySource.set(policy.source, group);
  }
  return [...bySource.values()];
}

/** One policy per object: a NetworkPolicy, or the first rule of each Cilium object (for findings about the object). */
export function policyObjects(model: ClusterModel): TierPolicy[] {
  return [...model.policies, ...ciliumObjects(model).map((group) => group[0])];
}

/** `ingress` or `egress`, as a field name and in messages. */
export function way(direction: Direction): 'ingress' | 'egress' {
  return direction === Direction.INGRESS ? 'ingress' : 'egress';
}

/** The rule as written, at its field path. */
export function rawRule(policy: TierPolicy, rule: TierRule): any {
  return rawAt(policy, rule.fieldPath) ?? {};
}

/** Every rule of every Cilium policy, with its policy and direction, for the directions the policy has rules in. */
export function* ciliumRules(model: ClusterModel): Generator<{ policy: TierPolicy; direction: Direction; rule: TierRule }> {
  for (const policy of model.tierPolicies) {
    if (!isCilium(policy)) continue;
    for (const direction of [Direction.INGRESS, Direction.EGRESS]) {
      if (!policy.applies.has(direction)) continue;
      for (const rule of rulesOf(policy, direction)) yield { policy, direction, rule };
    }
  }
}

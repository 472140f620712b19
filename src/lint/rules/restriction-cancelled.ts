import { ClusterModel } from '../../analysis/cluster-model';
import { rulesOf, TierPolicy, TierRule } from '../../analysis/compiled-policy';
import { Endpoint } from '../../analysis/endpoint';
import { Direction } from '../../analysis/flow';
import { formatPath } from '../../analysis/manifest-object';
import { LintRule, RuleFinding } from '../lint-rule';
import { Severity } from '../severity';
import { policyName, policySubject } from '../subject';
import { isolatingPolicies, selectedEndpoints, subjectField } from '../tier-policies';

/** How many workloads a message names. */
const MAX_LISTED = 3;

/**
 * Flags a policy whose rule allows every peer on every port in a direction
 * while another policy restricts (isolates) some of the same pods in that
 * direction. Policies are additive: a connection is allowed when any policy
 * selecting the pod allows it, so the other policy's restriction, a
 * default-deny included, no longer limits anything for those pods. One finding
 * per (rule, restricting policy), on the policy with the allow-all rule.
 * An allow-all rule that overlaps no other policy cancels nothing:
 * allow-all-rule reports it.
 *
 * Policies of every kind count, on either side: a Cilium rule that allows the
 * `all` entity without toPorts allows everything, and a CiliumNetworkPolicy
 * isolates the pods it has rules for. Deny rules (Cilium) still apply: only
 * the restriction of default deny is cancelled.
 */
export const restrictionCancelled: LintRule = {
  id: 'restriction-cancelled',
  severity: Severity.WARNING,
  summary: 'A policy allows every peer on every port to pods that another policy restricts, so that restriction (a default-deny included) has no effect on them.',
  rationale: 'NetworkPolicies are additive: traffic to (or from) a pod is allowed when any policy selecting it allows it. '
    + 'A rule with no from/to and no ports (in a Cilium policy: the all entity without toPorts) allows everything in its direction, '
    + 'so every other policy, of any kind, that isolates the same pods '
    + 'in that direction restricts nothing for them. This is how a broad "temporary" policy silently undoes a default-deny.',
  fix: 'Narrow the allow-all rule to the peers and ports the pods need, or narrow its policy\'s podSelector so it does not select '
    + 'the restricted pods. If the pods must be open, remove them from the restricting policy so the policies say what is enforced.',
  check: ({ model }) => {
    const findings: RuleFinding[] = [];
    for (const cancelling of model.tierPolicies) {
      const selected = selectedEndpoints(model, cancelling);
      for (const direction of [Direction.INGRESS, Direction.EGRESS]) {
        // A rule of a direction its policy does not enforce has no effect.
        if (!cancelling.applies.has(direction)) continue;
        const ingress = direction === Direction.INGRESS;
        const way = ingress ? 'ingress' : 'egress';
        for (const rule of rulesOf(cancelling, direction)) {
          if (!allowsEverything(rule)) continue;
          for (const [restricting, affected] of restrictedBy(model, selected, cancelling, direction)) {
            findings.push({
              subject: policySubject(cancelling),
              field: rule.fieldPath,
              message: `${rule.path} allows ${way} ${ingress ? 'from' : 'to'} anyone on every port ${ingress ? 'to' : 'from'} pods that `
                + `${describe(restricting, direction)} isolates for ${way}: that restriction no longer limits ${way} `
                + `${ingress ? 'to' : 'from'} ${list(affected.map((e) => e.displayName))} (policies are additive).`,
              fix: `Narrow ${rule.path} to the peers and ports the pods need, or change ${formatPath(subjectField(cancelling))} `
                + `(${cancelling.subject.selector.text}) so it does not select the pods of ${policyName(restricting)}.`,
            });
          }
        }
      }
    }
    return findings;
  },
};

/** No peers and no ports (NetworkPolicy), or the all entity without toPorts (Cilium). */
function allowsEverything(rule: TierRule): boolean {
  if (rule.ports !== undefined) return false;
  return rule.peers === undefined || rule.peers.some((p) => p.kind === 'entity' && p.entity === 'all');
}

/** The other policies that isolate some of the endpoints in the direction, each with the endpoints it isolates, in model order. */
function restrictedBy(
  model: ClusterModel, endpoints: readonly Endpoint[], cancelling: TierPolicy, direction: Direction,
): Map<TierPolicy, Endpoint[]> {
  const result = new Map<TierPolicy, Endpoint[]>();
  for (const endpoint of endpoints) {
    for (const policy of isolatingPolicies(model, endpoint, direction)) {
      // The same object (another rule of one Cilium policy) is not another policy.
      if (policy.source === cancelling.source) continue;
      const isolated = result.get(policy) ?? [];
      isolated.push(endpoint);
      result.set(policy, isolated);
    }
  }
  return result;
}

/** `NetworkPolicy shop/default-deny` or `the default-deny NetworkPolicy shop/default-deny`. */
function describe(policy: TierPolicy, direction: Direction): string {
  // A default-deny allows nothing in the direction: no rules, or (Cilium) only rules with no peer or no port.
  const allowsNothing = rulesOf(policy, direction).every((r) => r.peers?.length === 0 || r.ports?.length === 0);
  const denyAll = policy.subject.selector.matchesAll && allowsNothing;
  return `${denyAll ? 'the default-deny ' : ''}${policyName(policy)}`;
}

function list(items: readonly string[]): string {
  const shown = items.slice(0, MAX_LISTED);
  return shown.join(', ') + (items.length > shown.length ? ` and ${items.length - shown.length} more` : '');
}

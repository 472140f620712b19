import { CompiledPolicy, rulesOf } from '../../analysis/compiled-policy';
import { Endpoint } from '../../analysis/endpoint';
import { Direction } from '../../analysis/flow';
import { LintRule, RuleFinding } from '../lint-rule';
import { Severity } from '../severity';
import { policySubject } from '../subject';

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
 */
export const restrictionCancelled: LintRule = {
  id: 'restriction-cancelled',
  severity: Severity.WARNING,
  summary: 'A policy allows every peer on every port to pods that another policy restricts, so that restriction (a default-deny included) has no effect on them.',
  rationale: 'NetworkPolicies are additive: traffic to (or from) a pod is allowed when any policy selecting it allows it. '
    + 'A rule with no from/to and no ports allows everything in its direction, so every other policy that isolates the same pods '
    + 'in that direction restricts nothing for them. This is how a broad "temporary" policy silently undoes a default-deny.',
  fix: 'Narrow the allow-all rule to the peers and ports the pods need, or narrow its policy\'s podSelector so it does not select '
    + 'the restricted pods. If the pods must be open, remove them from the restricting policy so the policies say what is enforced.',
  check: ({ model }) => {
    const findings: RuleFinding[] = [];
    for (const cancelling of model.policies) {
      const selected = model.endpointsIn(cancelling.namespace).filter((e) => cancelling.podSelector.matches(e.labels));
      for (const direction of [Direction.INGRESS, Direction.EGRESS]) {
        // A rule of a direction its policy does not isolate has no effect.
        if (!cancelling.isolates.has(direction)) continue;
        const ingress = direction === Direction.INGRESS;
        const way = ingress ? 'ingress' : 'egress';
        for (const rule of rulesOf(cancelling, direction)) {
          if (rule.peers !== undefined || rule.ports !== undefined) continue;
          for (const [restricting, affected] of restrictedBy(selected, cancelling, direction, model.policiesFor.bind(model))) {
            findings.push({
              subject: policySubject(cancelling),
              field: rule.fieldPath,
              message: `${rule.path} allows ${way} ${ingress ? 'from' : 'to'} anyone on every port ${ingress ? 'to' : 'from'} pods that `
                + `${describe(restricting, direction)} isolates for ${way}: that restriction no longer limits ${way} `
                + `${ingress ? 'to' : 'from'} ${list(affected.map((e) => e.displayName))} (policies are additive).`,
              fix: `Narrow ${rule.path} to the peers and ports the pods need, or change spec.podSelector (${cancelling.podSelector.text}) `
                + `so it does not select the pods of NetworkPolicy ${restricting.id}.`,
            });
          }
        }
      }
    }
    return findings;
  },
};

/** The other policies that isolate some of the endpoints in the direction, each with the endpoints it isolates, in model order. */
function restrictedBy(
  endpoints: readonly Endpoint[],
  cancelling: CompiledPolicy,
  direction: Direction,
  policiesFor: (endpoint: Endpoint, direction: Direction) => readonly CompiledPolicy[],
): Map<CompiledPolicy, Endpoint[]> {
  const result = new Map<CompiledPolicy, Endpoint[]>();
  for (const endpoint of endpoints) {
    for (const policy of policiesFor(endpoint, direction)) {
      if (policy === cancelling) continue;
      const isolated = result.get(policy) ?? [];
      isolated.push(endpoint);
      result.set(policy, isolated);
    }
  }
  return result;
}

/** `NetworkPolicy shop/default-deny` or `the default-deny NetworkPolicy shop/default-deny`. */
function describe(policy: CompiledPolicy, direction: Direction): string {
  const denyAll = policy.podSelector.matchesAll && rulesOf(policy, direction).length === 0;
  return `${denyAll ? 'the default-deny ' : ''}NetworkPolicy ${policy.id}`;
}

function list(items: readonly string[]): string {
  const shown = items.slice(0, MAX_LISTED);
  return shown.join(', ') + (items.length > shown.length ? ` and ${items.length - shown.length} more` : '');
}

import { rulesOf } from '../../analysis/compiled-policy';
import { Direction } from '../../analysis/flow';
import { LintRule, RuleFinding } from '../lint-rule';
import { Severity } from '../severity';
import { policySubject } from '../subject';
import { isCilium, rawRule, way } from '../tier-policies';

/** The fields of an allow rule that name peers or ports: with none of them set, the rule allows nothing. */
const PEER_OR_PORT_FIELDS = [
  'fromEndpoints', 'fromCIDR', 'fromCIDRSet', 'fromEntities', 'fromNodes', 'fromGroups',
  'toEndpoints', 'toCIDR', 'toCIDRSet', 'toEntities', 'toNodes', 'toGroups', 'toServices', 'toFQDNs',
  'toPorts', 'icmps',
];

/**
 * Points out empty allow rules in Cilium policies (`ingress: [{}]`,
 * `egress: [{}]`, or a rule whose peer and port fields are all absent or
 * empty lists): in Cilium such a rule allows nothing and puts the pods into
 * default deny for the direction, the opposite of NetworkPolicy, where
 * `ingress: [{}]` allows everything. It is the documented way to write a
 * default deny (and what the constructs emit for one), so the finding is
 * information for a reader coming from NetworkPolicy, never a failure.
 */
export const ciliumEmptyRule: LintRule = {
  id: 'cilium-empty-rule',
  severity: Severity.INFO,
  summary: 'A Cilium policy has an empty allow rule (ingress: [{}] or egress: [{}]): in Cilium it denies everything in that direction, '
    + 'the opposite of the same rule in a NetworkPolicy.',
  rationale: 'In a NetworkPolicy, ingress: [{}] is a rule without from and ports: it allows every source on every port. '
    + 'In a CiliumNetworkPolicy the same rule selects no peer: it allows nothing, and since the policy has an ingress rule, its pods enter default deny. '
    + 'That is the right way to write a default deny in Cilium, and a silent outage for a policy ported from NetworkPolicy by copying its rules.',
  fix: 'Keep it if a default deny is meant (acknowledge the finding, or leave it: it never fails a run). '
    + 'To allow everyone instead, write fromEntities: [all] (or toEntities: [all]); to allow a set of peers, name them.',
  check: ({ model }) => {
    const findings: RuleFinding[] = [];
    for (const policy of model.tierPolicies) {
      if (!isCilium(policy)) continue;
      for (const direction of [Direction.INGRESS, Direction.EGRESS]) {
        const name = way(direction);
        const rules = rulesOf(policy, direction);
        for (const rule of rules) {
          const raw = rawRule(policy, rule);
          const given = PEER_OR_PORT_FIELDS.filter((f) => raw[f] !== undefined && raw[f] !== null);
          if (given.some((f) => !Array.isArray(raw[f]) || raw[f].length > 0)) continue;
          const others = rules.length > 1 ? ` (the policy's other ${name} rules allow what they name; this one adds nothing)` : '';
          findings.push({
            subject: policySubject(policy),
            field: rule.fieldPath,
            message: `${rule.path} is an empty rule${given.length ? ` (${given.map((f) => `${f}: []`).join(', ')})` : ''}: `
              + `in a Cilium policy it allows no ${name} and puts the pods the policy selects into default deny for ${name}${others}; `
              + `in a NetworkPolicy, ${name}: [{}] would allow all ${name}.`,
          });
        }
      }
    }
    return findings;
  },
};

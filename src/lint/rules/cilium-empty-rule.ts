import { rulesOf, TierRule } from '../../analysis/compiled-policy';
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
      // One finding per rule of the policy (its empty rules of both directions together): a default deny is usually both.
      const empty: Array<{ rule: TierRule; name: 'ingress' | 'egress'; given: string[]; others: boolean }> = [];
      for (const direction of [Direction.INGRESS, Direction.EGRESS]) {
        const rules = rulesOf(policy, direction);
        for (const rule of rules) {
          const raw = rawRule(policy, rule);
          const given = PEER_OR_PORT_FIELDS.filter((f) => raw[f] !== undefined && raw[f] !== null);
          if (given.some((f) => !Array.isArray(raw[f]) || raw[f].length > 0)) continue;
          empty.push({ rule, name: way(direction), given, others: rules.length > 1 });
        }
      }
      if (empty.length === 0) continue;
      const described = empty.map(({ rule, given }) => `${rule.path}${given.length ? ` (${given.map((f) => `${f}: []`).join(', ')})` : ''}`);
      const directions = [...new Set(empty.map((e) => e.name))];
      const both = directions.join(' and ');
      const others = empty.some((e) => e.others) ? ' (beside the policy\'s other rules of that direction, which allow what they name, it adds nothing)' : '';
      findings.push({
        subject: policySubject(policy),
        field: empty[0].rule.fieldPath,
        message: `${described.join(' and ')} ${empty.length === 1 ? 'is an empty rule' : 'are empty rules'}: `
          + `in a Cilium policy ${empty.length === 1 ? 'it allows' : 'they allow'} no ${both} and put${empty.length === 1 ? 's' : ''} the pods the policy selects `
          + `into default deny for ${both}${others}; in a NetworkPolicy, ${directions.map((d) => `${d}: [{}]`).join(' and ')} would allow all ${both}.`,
      });
    }
    return findings;
  },
};

import { Direction } from '../../analysis/flow';
import { LintRule, RuleFinding } from '../lint-rule';
import { Severity } from '../severity';
import { policyName, policySubject } from '../subject';
import { ciliumObjects, isolatingPolicies, rawSpec, selectedEndpoints, specPathOf, way } from '../tier-policies';

/** How many pods a message names. */
const MAX_LISTED = 3;

/**
 * Flags Cilium policies with deny rules (`ingressDeny`/`egressDeny`) and no
 * allow rules for that direction that do not turn default deny off
 * (`enableDefaultDeny: {<direction>: false}`). Cilium puts the pods a policy
 * selects into default deny for every direction it has rules for, deny rules
 * included: such a policy does not just deny what it names, it drops
 * everything in that direction that no other policy allows. When the
 * manifests hold pods that nothing else isolates, the message names them:
 * they lose all their traffic in that direction.
 */
export const denyOnlyIsolates: LintRule = {
  id: 'deny-only-isolates',
  severity: Severity.WARNING,
  summary: 'A Cilium policy has ingressDeny or egressDeny rules but no allow rules for that direction and no enableDefaultDeny false for it: '
    + 'its pods enter default deny, so everything not allowed elsewhere is dropped, not only what it denies.',
  rationale: 'A deny-only policy reads like "block these, leave the rest alone", but Cilium isolates every pod a policy selects for each direction '
    + 'the policy has rules for, deny rules included (unless enableDefaultDeny turns it off for that direction, Cilium 1.16 or later). '
    + 'A policy meant to keep pods from the metadata endpoint then cuts all their egress, DNS included, where no other policy allows it.',
  fix: 'Add enableDefaultDeny: { ingress: false } or { egress: false } to the policy (CiliumNetworkPolicy defaultDeny in the constructs) '
    + 'so it only denies; or keep the isolation on purpose and allow what the pods need.',
  check: ({ model }) => {
    const findings: RuleFinding[] = [];
    for (const policy of ciliumObjects(model).flat()) {
      const spec = rawSpec(policy);
      for (const direction of [Direction.INGRESS, Direction.EGRESS]) {
        const name = way(direction);
        const denies = spec[`${name}Deny`];
        if (!Array.isArray(denies) || denies.length === 0) continue;
        if (Array.isArray(spec[name]) && spec[name].length > 0) continue;
        if (!policy.isolates.has(direction)) continue;
        const selected = selectedEndpoints(model, policy);
        // Pods nothing else isolates: this policy alone takes away all their traffic in the direction.
        const alone = selected.filter((e) => isolatingPolicies(model, e, direction).every((p) => p.source === policy.source));
        const cut = alone.length > 0
          ? ` Nothing else isolates ${list(alone.map((e) => e.displayName))} for ${name}: ${alone.length === 1 ? 'it loses' : 'they lose'} all ${name}`
            + `${direction === Direction.EGRESS ? ', DNS included' : ''}.`
          : '';
        findings.push({
          subject: policySubject(policy),
          field: [...specPathOf(policy), `${name}Deny`],
          message: `${policyName(policy)} has ${name}Deny rules and no ${name} rules, without enableDefaultDeny.${name}: false: `
            + `Cilium puts the pods it selects into default deny for ${name}, so every ${name} connection no other policy allows is dropped, `
            + `not only what ${name}Deny names.${cut}`,
          fix: `Add enableDefaultDeny: { ${name}: false } to ${policyName(policy)} if it is only meant to deny (Cilium 1.16 or later); `
            + `otherwise allow what its pods need for ${name}.`,
        });
      }
    }
    return findings;
  },
};

function list(items: readonly string[]): string {
  const shown = items.slice(0, MAX_LISTED);
  return shown.join(', ') + (items.length > shown.length ? ` and ${items.length - shown.length} more` : '');
}

import { rulesOf } from '../../analysis/compiled-policy';
import { Direction } from '../../analysis/flow';
import { LintRule, RuleFinding } from '../lint-rule';
import { Severity } from '../severity';
import { policySubject } from '../subject';

/**
 * Flags egress rules whose destinations are ipBlocks and whose ports are
 * named. A named port resolves against the destination pod's container ports;
 * an address outside the cluster has none, so the entry matches nothing.
 * In an ingress rule the destination is the selected pod, so a named port
 * with ipBlock sources is meaningful and not flagged. Cilium's `toCIDR` and
 * `toCIDRSet` peers are judged the same way (Cilium resolves named ports on the
 * destination endpoint too).
 */
export const namedPortIpBlock: LintRule = {
  id: 'named-port-ip-block',
  severity: Severity.ERROR,
  summary: 'An egress rule to ipBlock (or Cilium CIDR) peers names a port: named ports resolve on destination pods, so they never match an address outside the cluster.',
  rationale: 'The rule looks like it allows traffic to the addresses on that port, but the named port matches nothing there: '
    + 'the traffic is denied (or, on CNIs that handle named ports differently, behaves unpredictably).',
  fix: 'Use the port number (e.g. 443) for ipBlock destinations; keep named ports for pod peers.',
  check: ({ model }) => {
    const findings: RuleFinding[] = [];
    for (const policy of model.tierPolicies) {
      // Egress rules of a policy that does not enforce egress have no effect.
      if (!policy.applies.has(Direction.EGRESS)) continue;
      for (const rule of rulesOf(policy, Direction.EGRESS)) {
        const blocks = (rule.peers ?? []).filter((p) => p.kind === 'ip');
        if (blocks.length === 0) continue;
        for (const port of (rule.ports ?? []).filter((p) => p.name !== undefined)) {
          const onlyBlocks = blocks.length === rule.peers!.length;
          findings.push({
            subject: policySubject(policy),
            field: [...port.path, 'port'],
            message: `${rule.path} allows egress to ${blocks.map((b) => b.text).join(', ')} on the named port "${port.name}", `
              + `which never matches an address outside the cluster${onlyBlocks ? '' : ' (it still applies to the rule\'s pod peers)'}.`,
            fix: `Replace "${port.name}" with the port number the external service listens on${onlyBlocks ? '' : ', in a rule of its own for the ipBlock peers'}.`,
          });
        }
      }
    }
    return findings;
  },
};

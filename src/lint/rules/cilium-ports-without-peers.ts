import { Direction } from '../../analysis/flow';
import { LintRule, RuleFinding } from '../lint-rule';
import { Severity } from '../severity';
import { policySubject } from '../subject';
import { ciliumRules, rawRule, way } from '../tier-policies';

/**
 * Flags allow rules of Cilium policies that give ports (`toPorts`, or ICMP
 * types with `icmps`) and no peer: Cilium reads a missing peer as every
 * identity, so the ports are open to every pod of every namespace (even in a
 * namespaced CiliumNetworkPolicy, which otherwise keeps endpoint peers in its
 * own namespace), to the nodes and to the whole internet. When that is the
 * intent, `fromEntities: [all]` says so.
 */
export const ciliumPortsWithoutPeers: LintRule = {
  id: 'cilium-ports-without-peers',
  severity: Severity.WARNING,
  summary: 'An allow rule of a Cilium policy has toPorts (or icmps) but no peer: it allows those ports from (or to) everyone, '
    + 'every namespace, the nodes and the internet included.',
  rationale: 'A CiliumNetworkPolicy keeps endpoint peers in its own namespace, so a rule that only lists ports looks local; '
    + 'but with no fromEndpoints, fromEntities, fromCIDR... Cilium applies the ports to every identity: pods of all namespaces, '
    + 'the host and remote nodes, and every address outside the cluster.',
  fix: 'Name the peers the ports are for (fromEndpoints, fromEntities: [cluster], toFQDNs...); '
    + 'if everyone must reach them, write fromEntities: [all] (toEntities: [all]) so the rule says so, and acknowledge allow-all-rule.',
  check: ({ model }) => {
    const findings: RuleFinding[] = [];
    for (const { policy, direction, rule } of ciliumRules(model)) {
      if (rule.peers !== undefined) continue;
      const name = way(direction);
      const fromTo = direction === Direction.INGRESS ? 'from' : 'to';
      const raw = rawRule(policy, rule);
      const field = Array.isArray(raw.toPorts) && raw.toPorts.length > 0 ? 'toPorts' : 'icmps';
      const ports = rule.ports === undefined ? 'every port' : rule.ports.length === 0 ? 'the ICMP types it lists' : rule.ports.map((p) => p.text).join(', ');
      findings.push({
        subject: policySubject(policy),
        field: [...rule.fieldPath, field],
        message: `${rule.path} has ${field} and no peer: it allows ${name} on ${ports} ${fromTo} every pod of every namespace`
          + `${policy.namespace === undefined ? '' : ` (not only ${policy.namespace})`}, the nodes and every address outside the cluster.`,
      });
    }
    return findings;
  },
};

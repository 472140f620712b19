import { ClusterModel } from './cluster-model';
import { denyRulesOf, rulesOf } from './compiled-policy';
import { ResolvedEndpoint } from './endpoint-resolver';
import { Direction } from './flow';
import { rulePeersMatch } from './matching';
import { isLoopbackPair, localHostIngress } from './pair-connections';
import { rulePortSet } from './port-sets';

/**
 * Why a pair is allowed what it is, for a connection set rather than one
 * port: on each side, the rules whose peers match the other end and what
 * their ports admit, or that the side is not isolated, or that no rule
 * matches. The text names policies and rules, not the endpoints, so it holds
 * for every pair that the same rules decide.
 */
export function explainConnections(model: ClusterModel, from: ResolvedEndpoint, to: ResolvedEndpoint): string {
  if (isLoopbackPair(from, to)) return 'Loopback (a Pod talking to itself) is never restricted.';
  return `${describeSide(model, Direction.EGRESS, from, to)} ${describeSide(model, Direction.INGRESS, to, from)}`;
}

function describeSide(model: ClusterModel, direction: Direction, self: ResolvedEndpoint, other: ResolvedEndpoint): string {
  const sideName = direction === Direction.EGRESS ? 'Egress' : 'Ingress';
  if (self.kind === 'ip') return `${sideName}: not restricted (outside the cluster).`;
  if (self.kind === 'entity') return `${sideName}: not restricted (${self.text} is not a pod; host policies are not evaluated).`;
  if (direction === Direction.INGRESS && localHostIngress(other)) return `${sideName}: always allowed from the pod's own node (entity:host).`;
  const side = model.sideOf(self.endpoint, direction);
  const policies = side.policies;
  if (policies.length === 0) return `${sideName}: not isolated (no NetworkPolicy selects it for ${direction}).`;
  const destination = direction === Direction.EGRESS ? other : self;
  const deniedBy: string[] = [];
  for (const policy of policies) {
    for (const rule of denyRulesOf(policy, direction)) {
      if (!rulePeersMatch(model, rule, other)) continue;
      const ports = rulePortSet(rule, destination);
      if (!ports.isEmpty) deniedBy.push(`${policy.id} ${rule.path} (${ports})`);
    }
  }
  const denied = deniedBy.length === 0 ? '' : ` Denied by ${deniedBy.join('; ')} (deny rules win over every allow).`;
  if (!side.isolated) return `${sideName}: not isolated (no policy selecting it puts it into default deny for ${direction}).${denied}`;
  const allowedBy: string[] = [];
  for (const policy of policies) {
    for (const rule of rulesOf(policy, direction)) {
      if (!rulePeersMatch(model, rule, other)) continue;
      const ports = rulePortSet(rule, destination);
      const l7 = rule.ports?.find((p) => p.l7 !== undefined)?.l7;
      if (!ports.isEmpty) allowedBy.push(`${policy.id} ${rule.path} (${ports}${l7 ? `; ${l7}` : ''})`);
    }
  }
  const isolatedBy = [...new Set(policies.filter((p) => p.isolates.has(direction)).map((p) => p.id))];
  if (allowedBy.length === 0) return `${sideName}: isolated by ${isolatedBy.join(', ')}, and no rule matches.${denied}`;
  return `${sideName}: allowed by ${allowedBy.join('; ')}.${denied}`;
}

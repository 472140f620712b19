import { ClusterModel } from './cluster-model';
import { rulesOf } from './compiled-policy';
import { ResolvedEndpoint } from './endpoint-resolver';
import { Direction } from './flow';
import { rulePeersMatch } from './matching';
import { isLoopbackPair } from './pair-connections';
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
  const side = direction === Direction.EGRESS ? 'Egress' : 'Ingress';
  if (self.kind !== 'endpoint') return `${side}: not restricted (outside the cluster).`;
  const policies = model.policiesFor(self.endpoint, direction);
  if (policies.length === 0) return `${side}: not isolated (no NetworkPolicy selects it for ${direction}).`;
  const destination = direction === Direction.EGRESS ? other : self;
  const allowedBy: string[] = [];
  for (const policy of policies) {
    for (const rule of rulesOf(policy, direction)) {
      if (!rulePeersMatch(model, rule, other)) continue;
      const ports = rulePortSet(rule, destination);
      if (!ports.isEmpty) allowedBy.push(`${policy.id} ${rule.path} (${ports})`);
    }
  }
  if (allowedBy.length === 0) return `${side}: isolated by ${policies.map((p) => p.id).join(', ')}, and no rule matches.`;
  return `${side}: allowed by ${allowedBy.join('; ')}.`;
}

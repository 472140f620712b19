import { ClusterModel } from './cluster-model';
import { rulesOf } from './compiled-policy';
import { ConnectionSet } from './connection-set';
import { ResolvedEndpoint } from './endpoint-resolver';
import { Direction } from './flow';
import { rulePeersMatch } from './matching';
import { rulePortSet } from './port-sets';

/** A single Pod talking to itself: loopback, which NetworkPolicy never restricts. */
export function isLoopbackPair(from: ResolvedEndpoint, to: ResolvedEndpoint): boolean {
  return from.kind === 'endpoint' && to.kind === 'endpoint' && from.endpoint === to.endpoint && from.endpoint.isPod;
}

/**
 * What one side allows, exactly: egress at the source (`self` = source,
 * `other` = destination) or ingress at the destination (`self` =
 * destination, `other` = source). Everything when `self` is outside the
 * cluster or no policy isolates it in that direction; otherwise the union,
 * over every rule of every policy that selects it (policies are additive),
 * of the rule's ports (resolved against the destination) where a peer of
 * the rule matches `other`.
 */
export function sideConnections(model: ClusterModel, direction: Direction, self: ResolvedEndpoint, other: ResolvedEndpoint): ConnectionSet {
  if (self.kind !== 'endpoint') return ConnectionSet.all();
  const policies = model.policiesFor(self.endpoint, direction);
  if (policies.length === 0) return ConnectionSet.all();
  const destination = direction === Direction.EGRESS ? other : self;
  let result = ConnectionSet.none();
  for (const policy of policies) {
    for (const rule of rulesOf(policy, direction)) {
      if (rulePeersMatch(model, rule, other)) result = result.union(rulePortSet(rule, destination));
    }
  }
  return result;
}

/**
 * Every connection `from` may open to `to`: egress allowed at the source AND
 * ingress allowed at the destination; everything for loopback.
 */
export function pairConnections(model: ClusterModel, from: ResolvedEndpoint, to: ResolvedEndpoint): ConnectionSet {
  if (isLoopbackPair(from, to)) return ConnectionSet.all();
  const egress = sideConnections(model, Direction.EGRESS, from, to);
  if (egress.isEmpty) return egress;
  return egress.intersect(sideConnections(model, Direction.INGRESS, to, from));
}

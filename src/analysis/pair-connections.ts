import { ClusterModel, EndpointSide } from './cluster-model';
import { clusterTierDecision } from './cluster-tier-rules';
import { denyRulesOf, rulesOf } from './compiled-policy';
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
 * Ingress at a pod from its own node (`entity:host`): always allowed. The
 * Kubernetes documentation says pods cannot block access from their resident
 * node (kubelet probes), and Cilium allows traffic from the local host by
 * default (`--allow-localhost`, notes §7: `cluster` includes `host`, and
 * local-host traffic is allowed unless `--allow-localhost=policy`).
 */
export function localHostIngress(source: ResolvedEndpoint): boolean {
  return source.kind === 'entity' && source.entity === 'host';
}

/**
 * What one side allows, exactly: egress at the source (`self` = source,
 * `other` = destination) or ingress at the destination (`self` =
 * destination, `other` = source), through the tiers. Everything when `self`
 * is outside the cluster. Otherwise: what the Admin tier accepts, plus, of
 * what it neither accepts nor denies (passed or unmatched), what the lower
 * tiers allow: the NetworkPolicy tier when it isolates the side (its verdict
 * is final), else the NetworkPolicy tier's deny rules and then the Baseline
 * tier (whatever it does not deny is allowed).
 */
export function sideConnections(model: ClusterModel, direction: Direction, self: ResolvedEndpoint, other: ResolvedEndpoint): ConnectionSet {
  if (self.kind !== 'endpoint') return ConnectionSet.all();
  if (direction === Direction.INGRESS && localHostIngress(other)) return ConnectionSet.all();
  const side = model.sideOf(self.endpoint, direction);
  const destination = direction === Direction.EGRESS ? other : self;
  const admin = clusterTierDecision(model, side.admin, direction, other, destination);
  const rest = ConnectionSet.all().subtract(admin.accepted).subtract(admin.denied);
  if (rest.isEmpty) return admin.accepted;
  let lower = networkPolicyTierConnections(model, side, direction, other, destination);
  if (!side.isolated && side.baseline.length > 0 && !lower.isEmpty) {
    lower = lower.subtract(clusterTierDecision(model, side.baseline, direction, other, destination).denied);
  }
  return admin.accepted.union(rest.intersect(lower));
}

/**
 * What the NetworkPolicy tier allows on one side: when no policy isolates
 * it, everything; otherwise the union, over every allow rule of every policy
 * that applies to it (policies are additive, whatever their kind), of the
 * rule's ports (resolved against the destination) where a peer of the rule
 * matches `other`. Then the ports of every deny rule (Cilium) whose peer
 * matches `other` are taken out: deny wins over any allow.
 */
export function networkPolicyTierConnections(
  model: ClusterModel, side: EndpointSide, direction: Direction, other: ResolvedEndpoint, destination: ResolvedEndpoint,
): ConnectionSet {
  if (side.policies.length === 0) return ConnectionSet.all();
  let result = side.isolated ? ConnectionSet.none() : ConnectionSet.all();
  for (const policy of side.policies) {
    if (!side.isolated) break;
    for (const rule of rulesOf(policy, direction)) {
      if (rulePeersMatch(model, rule, other)) result = result.union(rulePortSet(rule, destination));
    }
  }
  for (const policy of side.policies) {
    for (const rule of denyRulesOf(policy, direction)) {
      if (!result.isEmpty && rulePeersMatch(model, rule, other)) result = result.subtract(rulePortSet(rule, destination));
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

import { ClusterModel, EndpointSide } from './cluster-model';
import { ClusterPolicy } from './cluster-policy';
import { describeClusterRule, walkClusterTier } from './cluster-tier-rules';
import { denyRulesOf, rulesOf } from './compiled-policy';
import { ConnectionSet } from './connection-set';
import { ResolvedEndpoint } from './endpoint-resolver';
import { Direction } from './flow';
import { rulePeersMatch } from './matching';
import { isLoopbackPair, localHostIngress } from './pair-connections';
import { rulePortSet } from './port-sets';

/**
 * Why a pair is allowed what it is, for a connection set rather than one
 * port: on each side, the rules whose peers match the other end and what
 * their ports admit, or that the side is not isolated, or that no rule
 * matches. Where cluster policies apply to a side, the tiers in order: the
 * Admin tier's rules that take some connections (Accept, Deny or Pass), the
 * NetworkPolicy tier's part of the rest, and where no NetworkPolicy isolates
 * the side, the Baseline tier's. The text names policies and rules, not the
 * endpoints, so it holds for every pair that the same rules decide.
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
  const destination = direction === Direction.EGRESS ? other : self;
  if (side.admin.length === 0 && side.baseline.length === 0) {
    return `${sideName}: ${describeNetworkPolicyTier(model, side, direction, other, destination, ConnectionSet.none())}`;
  }
  // The tiers in order: what the Admin tier decides, then of the rest what the NetworkPolicy tier
  // does, then (where no NetworkPolicy isolates the side) what the Baseline tier decides.
  const admin = describeClusterTier(model, side.admin, direction, other, destination, ConnectionSet.none());
  const steps = side.admin.length === 0 ? [] : [`Admin tier: ${admin.text}`];
  if (admin.decided.isAll) return `${sideName}: ${steps[0]}; the lower tiers are not reached.`;
  steps.push(`NetworkPolicy tier: ${describeNetworkPolicyTier(model, side, direction, other, destination, admin.decided).replace(/\.$/, '')}`);
  if (!side.isolated && side.baseline.length > 0) {
    steps.push(`Baseline tier: ${describeClusterTier(model, side.baseline, direction, other, destination, admin.decided).text}`);
  }
  return `${sideName}: ${steps.join('; ')}.`;
}

/**
 * The rules of a cluster tier that take some of the connections, in the
 * tier's order (each takes what no earlier rule took, nor `decided`, what a
 * higher tier decided): `ClusterNetworkPolicy tenants spec.egress[1]
 * ("other-tenants") Deny (all connections)`. `decided` comes back with what
 * this tier accepted or denied (a Pass decides nothing in it).
 */
function describeClusterTier(
  model: ClusterModel, policies: readonly ClusterPolicy[], direction: Direction, other: ResolvedEndpoint, destination: ResolvedEndpoint,
  decided: ConnectionSet,
): { readonly text: string; readonly decided: ConnectionSet } {
  const steps: string[] = [];
  let final = decided;
  walkClusterTier(model, policies, direction, other, destination, (policy, rule, taken) => {
    if (rule.action !== 'Pass') final = final.union(taken);
    steps.push(`${describeClusterRule(policy, rule)} ${rule.action} (${taken})`);
  }, decided);
  const text = steps.length > 0 ? steps.join(', then ') : `no rule of ${policies.map((p) => p.id).join(', ')} matches`;
  return { text, decided: final };
}

/**
 * The NetworkPolicy tier's part, of the connections a higher tier did not
 * decide (`decided`): the rules whose peers match the other end and what
 * their ports admit, or that the side is not isolated, or that no rule matches.
 */
function describeNetworkPolicyTier(
  model: ClusterModel, side: EndpointSide, direction: Direction, other: ResolvedEndpoint, destination: ResolvedEndpoint, decided: ConnectionSet,
): string {
  const policies = side.policies;
  if (policies.length === 0) return `not isolated (no NetworkPolicy selects it for ${direction}).`;
  const deniedBy: string[] = [];
  for (const policy of policies) {
    for (const rule of denyRulesOf(policy, direction)) {
      if (!rulePeersMatch(model, rule, other)) continue;
      const ports = rulePortSet(rule, destination).subtract(decided);
      if (!ports.isEmpty) deniedBy.push(`${policy.id} ${rule.path} (${ports})`);
    }
  }
  const denied = deniedBy.length === 0 ? '' : ` Denied by ${deniedBy.join('; ')} (deny rules win over every allow).`;
  if (!side.isolated) return `not isolated (no policy selecting it puts it into default deny for ${direction}).${denied}`;
  const allowedBy: string[] = [];
  for (const policy of policies) {
    for (const rule of rulesOf(policy, direction)) {
      if (!rulePeersMatch(model, rule, other)) continue;
      const ports = rulePortSet(rule, destination).subtract(decided);
      const l7 = rule.ports?.find((p) => p.l7 !== undefined)?.l7;
      if (!ports.isEmpty) allowedBy.push(`${policy.id} ${rule.path} (${ports}${l7 ? `; ${l7}` : ''})`);
    }
  }
  const isolatedBy = [...new Set(policies.filter((p) => p.isolates.has(direction)).map((p) => p.id))];
  if (allowedBy.length === 0) return `isolated by ${isolatedBy.join(', ')}, and no rule matches.${denied}`;
  return `allowed by ${allowedBy.join('; ')}.${denied}`;
}

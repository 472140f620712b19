import { ClusterPolicy, ClusterRule, clusterRulesOf } from './cluster-policy';
import { ConnectionSet } from './connection-set';
import { Direction } from './flow';
import { LabelSource, matchedIcmpText, peerMatches, portMatches, rulePeersMatch, Traffic } from './matching';
import { rulePortSet } from './port-sets';
import { ResolvedEndpoint } from './resolved-endpoint';

/** The rule of an Admin or Baseline tier that decided a flow, with the peer and port entry that matched. */
export interface ClusterRuleMatch {
  readonly policy: ClusterPolicy;
  readonly rule: ClusterRule;
  readonly peer: string;
  readonly port: string;
}

/**
 * The first rule, in the tier's order (policies by ascending priority, rules
 * as written), whose peer matches the other end and whose protocols match the
 * traffic: it decides the side in that tier (Accept, Deny or Pass). Undefined
 * when no rule matches: the traffic goes on to the next tier.
 */
export function firstClusterRule(
  model: LabelSource, policies: readonly ClusterPolicy[], direction: Direction,
  other: ResolvedEndpoint, traffic: Traffic, destination: ResolvedEndpoint,
): ClusterRuleMatch | undefined {
  for (const policy of policies) {
    for (const rule of clusterRulesOf(policy, direction)) {
      const port = traffic.icmp !== undefined ? matchedIcmpText(rule, traffic.icmp)
        : rule.ports === undefined ? 'every port' : rule.ports.find((p) => portMatches(p, traffic.port, traffic.protocol, destination))?.text;
      if (port === undefined) continue;
      const peer = rule.peers.find((p) => peerMatches(model, p, other));
      if (peer !== undefined) return { policy, rule, peer: peer.text, port };
    }
  }
  return undefined;
}

/** What a tier decides over every connection of one side: what it accepts and what it denies (the rest passes on). */
export interface TierDecision {
  readonly accepted: ConnectionSet;
  readonly denied: ConnectionSet;
}

const UNDECIDED: TierDecision = { accepted: ConnectionSet.none(), denied: ConnectionSet.none() };

/**
 * `firstClusterRule` over connection sets: each rule in order takes the
 * connections it matches that no earlier rule took, and accepts, denies or
 * passes them.
 */
export function clusterTierDecision(
  model: LabelSource, policies: readonly ClusterPolicy[], direction: Direction,
  other: ResolvedEndpoint, destination: ResolvedEndpoint,
): TierDecision {
  if (policies.length === 0) return UNDECIDED;
  let accepted = ConnectionSet.none();
  let denied = ConnectionSet.none();
  walkClusterTier(model, policies, direction, other, destination, (_policy, rule, taken) => {
    if (rule.action === 'Accept') accepted = accepted.union(taken);
    else if (rule.action === 'Deny') denied = denied.union(taken);
  });
  return { accepted, denied };
}

/**
 * A cluster tier's rules in order, as the API orders them: each rule whose
 * peers match `other` takes the connections it matches that no earlier rule
 * took, nor `start` (what a higher tier decided); `visit` sees each rule that
 * takes some, with what it took, whatever its action (a Pass takes too). The
 * one walk behind decisions, explanations and lint, so that they cannot drift.
 */
export function walkClusterTier(
  model: LabelSource, policies: readonly ClusterPolicy[], direction: Direction,
  other: ResolvedEndpoint, destination: ResolvedEndpoint,
  visit: (policy: ClusterPolicy, rule: ClusterRule, taken: ConnectionSet) => void,
  start: ConnectionSet = ConnectionSet.none(),
): void {
  let decided = start;
  for (const policy of policies) {
    for (const rule of clusterRulesOf(policy, direction)) {
      if (decided.isAll) return;
      if (!rulePeersMatch(model, rule, other)) continue;
      const taken = rulePortSet(rule, destination).subtract(decided);
      if (taken.isEmpty) continue;
      decided = decided.union(taken);
      visit(policy, rule, taken);
    }
  }
}

/** How explanations name a rule: `ClusterNetworkPolicy platform spec.egress[0] ("allow-dns")`. */
export function describeClusterRule(policy: ClusterPolicy, rule: ClusterRule): string {
  return `${policy.id} ${rule.path}${rule.name ? ` (${JSON.stringify(rule.name)})` : ''}`;
}

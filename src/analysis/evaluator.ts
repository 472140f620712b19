import { Protocol } from '../protocol';
import { ClusterModel } from './cluster-model';
import { CompiledPort, denyRulesOf, rulesOf, TierPolicy, TierRule } from './compiled-policy';
import { ResolvedEndpoint } from './endpoint-resolver';
import { FlowExplanation, PolicyMismatch, RuleMatch, RuleMismatch, SideExplanation } from './explanation';
import { Direction } from './flow';
import { peerMatches, portMatches, rulePeersMatch, rulePortsMatch } from './matching';
import { isLoopbackPair } from './pair-connections';

/** A flow with both endpoints resolved. */
export interface ResolvedFlow {
  readonly from: ResolvedEndpoint;
  readonly to: ResolvedEndpoint;
  readonly port: number;
  readonly protocol: Protocol;
}

/**
 * Judges flows exactly as the NetworkPolicy specification (and Cilium's, for
 * its policies) says: egress allowed at the source AND ingress allowed at the
 * destination; a side is denied when a deny rule (Cilium) of a policy that
 * applies to the pod matches the flow; otherwise allowed when no policy
 * selecting the pod isolates that direction, or when some allow rule of some
 * such policy (policies are additive, whatever their kind) has a peer
 * matching the other end AND a port matching the flow.
 */
export class Evaluator {
  constructor(private readonly model: ClusterModel) {}

  public isAllowed(flow: ResolvedFlow): boolean {
    if (isLoopbackPair(flow.from, flow.to)) return true;
    return this.sideAllows(Direction.EGRESS, flow) && this.sideAllows(Direction.INGRESS, flow);
  }

  public explain(flow: ResolvedFlow): FlowExplanation {
    const loopback = isLoopbackPair(flow.from, flow.to);
    const egress = this.explainSide(Direction.EGRESS, flow, loopback);
    const ingress = this.explainSide(Direction.INGRESS, flow, loopback);
    const allowed = egress.allowed && ingress.allowed;
    const flowText = `${flow.from.text} -> ${flow.to.text} on ${flow.protocol} ${flow.port}`;
    const reason = `${allowed ? 'allowed' : 'denied'}: ${flowText}. ${decidingReason({ loopback, egress, ingress })}`;
    return { from: flow.from.text, to: flow.to.text, port: flow.port, protocol: flow.protocol, allowed, loopback, reason, egress, ingress };
  }

  private sideAllows(direction: Direction, flow: ResolvedFlow): boolean {
    const self = direction === Direction.EGRESS ? flow.from : flow.to;
    if (self.kind !== 'endpoint') return true;
    const side = this.model.sideOf(self.endpoint, direction);
    if (side.policies.length === 0) return true;
    const other = direction === Direction.EGRESS ? flow.to : flow.from;
    const matches = (rule: TierRule) => rulePortsMatch(rule, flow.port, flow.protocol, flow.to) && rulePeersMatch(this.model, rule, other);
    if (side.policies.some((policy) => denyRulesOf(policy, direction).some(matches))) return false;
    if (!side.isolated) return true;
    return side.policies.some((policy) => rulesOf(policy, direction).some(matches));
  }

  /** The first rule of the policies (deny or allow) whose peer and port match the flow. */
  private firstMatch(
    policies: readonly TierPolicy[], rulesOfPolicy: (p: TierPolicy) => readonly TierRule[], other: ResolvedEndpoint, flow: ResolvedFlow,
  ): RuleMatch | undefined {
    for (const policy of policies) {
      for (const rule of rulesOfPolicy(policy)) {
        const port = rule.ports === undefined ? 'every port' : describeMatchedPort(rule.ports.find((p) => portMatches(p, flow.port, flow.protocol, flow.to)));
        const peer = rule.peers === undefined ? 'everyone' : rule.peers.find((p) => peerMatches(this.model, p, other))?.text;
        if (port !== undefined && peer !== undefined) return { policy: policy.id, rule: rule.path, peer, port };
      }
    }
    return undefined;
  }

  private explainSide(direction: Direction, flow: ResolvedFlow, loopback: boolean): SideExplanation {
    const self = direction === Direction.EGRESS ? flow.from : flow.to;
    const other = direction === Direction.EGRESS ? flow.to : flow.from;
    const what = direction === Direction.EGRESS ? `egress from ${self.text}` : `ingress to ${self.text}`;
    const base = { direction, endpoint: self.text, unmatched: [] as PolicyMismatch[] };
    if (loopback) {
      return { ...base, enforced: false, isolated: false, selectingPolicies: [], allowed: true, reason: 'Loopback is never restricted.' };
    }
    if (self.kind !== 'endpoint') {
      return {
        ...base,
        enforced: false,
        isolated: false,
        selectingPolicies: [],
        allowed: true,
        reason: `${capitalize(what)} is not restricted: ${self.text} is outside the cluster, where no NetworkPolicy applies.`,
      };
    }
    const side = this.model.sideOf(self.endpoint, direction);
    const policies = side.policies;
    const selectingPolicies = [...new Set(policies.filter((p) => p.isolates.has(direction)).map((p) => p.id))];
    if (policies.length === 0) {
      return {
        ...base,
        enforced: true,
        isolated: false,
        selectingPolicies,
        allowed: true,
        reason: `${capitalize(what)} is not isolated: no NetworkPolicy selecting it has ${direction} in its policyTypes.`,
      };
    }
    const deniedBy = this.firstMatch(policies, (p) => denyRulesOf(p, direction), other, flow);
    if (deniedBy) {
      return {
        ...base,
        enforced: true,
        isolated: side.isolated,
        selectingPolicies,
        allowed: false,
        deniedBy,
        reason: `${capitalize(what)} is denied by ${deniedBy.policy} ${deniedBy.rule} (peer: ${deniedBy.peer}; port: ${deniedBy.port}): a deny rule wins over every allow.`,
      };
    }
    if (!side.isolated) {
      return {
        ...base,
        enforced: true,
        isolated: false,
        selectingPolicies,
        allowed: true,
        reason: `${capitalize(what)} is not isolated: ${[...new Set(policies.map((p) => p.id))].join(', ')} select${policies.length === 1 ? 's' : ''} it without default deny for ${direction.toLowerCase()} (enableDefaultDeny), and no deny rule matches.`,
      };
    }
    const allowedBy = this.firstMatch(policies, (p) => rulesOf(p, direction), other, flow);
    if (allowedBy) {
      return {
        ...base,
        enforced: true,
        isolated: true,
        selectingPolicies,
        allowed: true,
        allowedBy,
        reason: `${capitalize(what)} is allowed by ${allowedBy.policy} ${allowedBy.rule} (peer: ${allowedBy.peer}; port: ${allowedBy.port}).`,
      };
    }
    const unmatched: PolicyMismatch[] = [];
    for (const policy of policies) {
      const rules: RuleMismatch[] = [];
      for (const rule of rulesOf(policy, direction)) {
        const port = rule.ports === undefined ? 'every port' : rule.ports.find((p) => portMatches(p, flow.port, flow.protocol, flow.to))?.text;
        const peer = rule.peers === undefined ? 'everyone' : rule.peers.find((p) => peerMatches(this.model, p, other))?.text;
        const peers = rule.peers?.map((p) => p.text) ?? [];
        const ports = rule.ports?.map((p) => describePortFor(p, flow.to)) ?? [];
        rules.push(ruleMismatch(rule.path, peer !== undefined, port !== undefined, peers, ports, other.text, flow));
      }
      const reason = rules.length === 0
        ? `${policy.id} has no ${direction.toLowerCase()}${policy.kind === 'NetworkPolicy' ? '' : ' allow'} rules (it denies)`
        : `${policy.id}: ${rules.map((r) => `${r.rule} ${r.reason}`).join('; ')}`;
      unmatched.push({ policy: policy.id, rules, reason });
    }
    return {
      ...base,
      enforced: true,
      isolated: true,
      selectingPolicies,
      allowed: false,
      unmatched,
      reason: `${capitalize(what)} is denied: it is isolated by ${selectingPolicies.join(', ')} and no rule matches (${unmatched.map((u) => u.reason).join('; ')}).`,
    };
  }
}

/**
 * What decided a verdict, without the verdict and the flow: loopback, both
 * sides when allowed, or the side(s) that denied.
 */
export function decidingReason(explanation: Pick<FlowExplanation, 'loopback' | 'egress' | 'ingress'>): string {
  const { loopback, egress, ingress } = explanation;
  if (loopback) return 'It is loopback (a pod talking to itself), which NetworkPolicy never restricts.';
  const sides = egress.allowed && ingress.allowed ? [egress, ingress] : [egress, ingress].filter((s) => !s.allowed);
  return sides.map((s) => s.reason).join(' ');
}

function ruleMismatch(
  rule: string, peerMatched: boolean, portMatched: boolean, peers: string[], ports: string[], other: string, flow: ResolvedFlow,
): RuleMismatch {
  const parts: string[] = [];
  if (!peerMatched) parts.push(peers.length === 0 ? 'it has no peer (it allows nothing)' : `peer ${peers.join(' or ')} does not match ${other}`);
  if (!portMatched) parts.push(ports.length === 0 ? 'it has no TCP, UDP or SCTP port' : `port ${ports.join(' or ')} does not match ${flow.protocol} ${flow.port}`);
  return { rule, peerMatched, portMatched, reason: parts.join(', and ') };
}

function capitalize(text: string): string {
  return text.charAt(0).toUpperCase() + text.slice(1);
}

/** The port entry that matched, with its L7 rules when it has some; undefined when none matched. */
function describeMatchedPort(port: CompiledPort | undefined): string | undefined {
  if (port === undefined) return undefined;
  return port.l7 === undefined ? port.text : `${port.text}; ${port.l7}`;
}

/** A port entry, with what a named port resolves to on the destination (the usual surprise). */
function describePortFor(port: CompiledPort, destination: ResolvedEndpoint): string {
  if (port.name === undefined) return port.text;
  if (destination.kind !== 'endpoint') return `${port.text} (named ports never match addresses outside the cluster)`;
  const found = destination.endpoint.ports.filter((p) => p.name === port.name);
  if (found.length === 0) return `${port.text} (${destination.text} has no container port of that name)`;
  return `${port.text} (on ${destination.text}: ${found.map((p) => `${p.protocol} ${p.port}`).join(', ')})`;
}

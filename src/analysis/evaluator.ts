import { Protocol } from '../protocol';
import { ClusterModel } from './cluster-model';
import { CompiledPort, rulesOf } from './compiled-policy';
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
 * Judges flows exactly as the NetworkPolicy specification says: egress allowed
 * at the source AND ingress allowed at the destination; a side is allowed when
 * no policy selecting the pod isolates that direction, or when some rule of
 * some such policy (policies are additive) has a peer matching the other end
 * AND a port matching the flow.
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
    const policies = this.model.policiesFor(self.endpoint, direction);
    if (policies.length === 0) return true;
    const other = direction === Direction.EGRESS ? flow.to : flow.from;
    for (const policy of policies) {
      for (const rule of rulesOf(policy, direction)) {
        if (rulePortsMatch(rule, flow.port, flow.protocol, flow.to) && rulePeersMatch(this.model, rule, other)) {
          return true;
        }
      }
    }
    return false;
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
    const policies = this.model.policiesFor(self.endpoint, direction);
    const selectingPolicies = policies.map((p) => p.id);
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
    const unmatched: PolicyMismatch[] = [];
    for (const policy of policies) {
      const rules: RuleMismatch[] = [];
      for (const rule of rulesOf(policy, direction)) {
        const port = rule.ports === undefined ? 'every port' : rule.ports.find((p) => portMatches(p, flow.port, flow.protocol, flow.to))?.text;
        const peer = rule.peers === undefined ? 'everyone' : rule.peers.find((p) => peerMatches(this.model, p, other))?.text;
        if (port !== undefined && peer !== undefined) {
          const allowedBy: RuleMatch = { policy: policy.id, rule: rule.path, peer, port };
          return {
            ...base,
            enforced: true,
            isolated: true,
            selectingPolicies,
            allowed: true,
            allowedBy,
            reason: `${capitalize(what)} is allowed by ${policy.id} ${rule.path} (peer: ${peer}; port: ${port}).`,
          };
        }
        const peers = rule.peers?.map((p) => p.text) ?? [];
        const ports = rule.ports?.map((p) => describePortFor(p, flow.to)) ?? [];
        rules.push(ruleMismatch(rule.path, peer !== undefined, port !== undefined, peers, ports, other.text, flow));
      }
      const reason = rules.length === 0
        ? `${policy.id} has no ${direction.toLowerCase()} rules (it denies)`
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
  if (!peerMatched) parts.push(`peer ${peers.join(' or ')} does not match ${other}`);
  if (!portMatched) parts.push(`port ${ports.join(' or ')} does not match ${flow.protocol} ${flow.port}`);
  return { rule, peerMatched, portMatched, reason: parts.join(', and ') };
}

function capitalize(text: string): string {
  return text.charAt(0).toUpperCase() + text.slice(1);
}

/** A port entry, with what a named port resolves to on the destination (the usual surprise). */
function describePortFor(port: CompiledPort, destination: ResolvedEndpoint): string {
  if (port.name === undefined) return port.text;
  if (destination.kind !== 'endpoint') return `${port.text} (named ports never match addresses outside the cluster)`;
  const found = destination.endpoint.ports.filter((p) => p.name === port.name);
  if (found.length === 0) return `${port.text} (${destination.text} has no container port of that name)`;
  return `${port.text} (on ${destination.text}: ${found.map((p) => `${p.protocol} ${p.port}`).join(', ')})`;
}

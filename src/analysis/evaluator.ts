import { ClusterModel, EndpointSide } from './cluster-model';
import { ClusterRuleMatch, describeClusterRule, firstClusterRule } from './cluster-tier-rules';
import { CompiledPort, denyRulesOf, rulesOf, TierPolicy, TierRule } from './compiled-policy';
import { ResolvedEndpoint } from './endpoint-resolver';
import { FlowExplanation, PolicyMismatch, RuleMatch, RuleMismatch, SideExplanation } from './explanation';
import { Direction, HttpRequest, IcmpVersion } from './flow';
import { admittingHttpRule, describeL7Entries, l7Limit } from './l7-rules';
import { matchedIcmpText, peerMatches, portMatches, rulePeersMatch, ruleTrafficMatches, Traffic } from './matching';
import { isLoopbackPair, localHostIngress } from './pair-connections';

/** A flow with both endpoints resolved (the looked-up name, if any, is on `to`). */
export interface ResolvedFlow extends Traffic {
  readonly from: ResolvedEndpoint;
  readonly to: ResolvedEndpoint;
  /** One HTTP request on the connection, when the flow gives one. */
  readonly http?: HttpRequest;
}

/** The protocol of the flow as flows write it: TCP, UDP, SCTP, ICMP or ICMPv6. */
export function flowProtocol(flow: Traffic): string {
  if (flow.icmp === undefined) return flow.protocol;
  return flow.icmp.family === 4 ? IcmpVersion.ICMP : IcmpVersion.ICMPV6;
}

/** What the flow carries, in words: `TCP 80`, `TCP 80 (HTTP GET /public)`, `ICMP type 8`. */
export function describeTraffic(flow: Traffic & { readonly http?: HttpRequest }): string {
  if (flow.icmp !== undefined) return `${flowProtocol(flow)} type ${flow.icmp.type}`;
  return `${flow.protocol} ${flow.port}${flow.http ? ` (HTTP ${flow.http.method} ${flow.http.path})` : ''}`;
}

/** The destination in words, with the name the source looked up: `ip:1.2.3.4 (api.stripe.com)`. */
function describeDestination(to: ResolvedEndpoint): string {
  return to.kind === 'ip' && to.host ? `${to.text} (${to.host.text})` : to.text;
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
    const flowText = `${flow.from.text} -> ${describeDestination(flow.to)} on ${describeTraffic(flow)}`;
    const reason = `${allowed ? 'allowed' : 'denied'}: ${flowText}. ${decidingReason({ loopback, egress, ingress })}`;
    const host = flow.to.kind === 'ip' && flow.to.host ? { host: flow.to.host.text } : {};
    return {
      from: flow.from.text,
      to: flow.to.text,
      ...(flow.icmp === undefined ? { port: flow.port } : {}),
      protocol: flowProtocol(flow),
      ...(flow.icmp !== undefined ? { icmpType: flow.icmp.type } : {}),
      ...host,
      ...(flow.http ? { http: { method: flow.http.method, path: flow.http.path } } : {}),
      allowed,
      loopback,
      reason,
      egress,
      ingress,
    };
  }

  /** The verdict of one side at L3/L4 alone (no HTTP request), for DNS lookups. */
  public l4Allows(from: ResolvedEndpoint, to: ResolvedEndpoint, traffic: Traffic): boolean {
    const flow: ResolvedFlow = { from, to, port: traffic.port, protocol: traffic.protocol, icmp: traffic.icmp };
    return this.isAllowed(flow);
  }

  private sideAllows(direction: Direction, flow: ResolvedFlow): boolean {
    const self = direction === Direction.EGRESS ? flow.from : flow.to;
    if (self.kind !== 'endpoint') return true;
    const other = direction === Direction.EGRESS ? flow.to : flow.from;
    if (direction === Direction.INGRESS && localHostIngress(other)) return true;
    const side = this.model.sideOf(self.endpoint, direction);
    const admin = firstClusterRule(this.model, side.admin, direction, other, flow, flow.to);
    if (admin !== undefined && admin.rule.action !== 'Pass') return admin.rule.action === 'Accept';
    if (side.policies.length > 0) {
      const matches = (rule: TierRule) => ruleTrafficMatches(rule, flow, flow.to) && rulePeersMatch(this.model, rule, other);
      if (side.policies.some((policy) => denyRulesOf(policy, direction).some(matches))) return false;
      if (side.isolated && !side.policies.some((policy) => rulesOf(policy, direction).some(matches))) return false;
    }
    if (!side.isolated && firstClusterRule(this.model, side.baseline, direction, other, flow, flow.to)?.rule.action === 'Deny') return false;
    if (flow.http === undefined || side.policies.length === 0) return true;
    const limit = l7Limit(this.model, side.policies, direction, other, flow, flow.to);
    return !limit.limited || admittingHttpRule(limit.entries, flow.http) !== undefined;
  }

  /** The first rule of the policies (deny or allow) whose peer and port match the flow. */
  private firstMatch(
    policies: readonly TierPolicy[], rulesOfPolicy: (p: TierPolicy) => readonly TierRule[], other: ResolvedEndpoint, flow: ResolvedFlow,
  ): RuleMatch | undefined {
    for (const policy of policies) {
      for (const rule of rulesOfPolicy(policy)) {
        const port = flow.icmp !== undefined ? matchedIcmpText(rule, flow.icmp)
          : rule.ports === undefined ? 'every port' : describeMatchedPort(rule.ports.find((p) => portMatches(p, flow.port, flow.protocol, flow.to)));
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
    // A side no policy can restrict: allowed, for the reason given.
    const unrestricted = (reason: string): SideExplanation =>
      ({ ...base, enforced: false, isolated: false, selectingPolicies: [], allowed: true, reason });
    if (loopback) {
      return unrestricted('Loopback is never restricted.');
    }
    if (self.kind !== 'endpoint') {
      const where = self.kind === 'ip' ? 'is outside the cluster, where no NetworkPolicy applies'
        : 'is not a pod: policies that apply to nodes (Cilium host policies) are not evaluated';
      return unrestricted(`${capitalize(what)} is not restricted: ${self.text} ${where}.`);
    }
    if (direction === Direction.INGRESS && localHostIngress(other)) {
      return unrestricted(`${capitalize(what)} from its own node (entity:host) is always allowed: Kubernetes NetworkPolicy cannot block a pod's `
        + 'resident node (kubelet probes), and Cilium allows it by default (--allow-localhost; only with --allow-localhost=policy do policies apply to it).');
    }
    const side = this.model.sideOf(self.endpoint, direction);
    // Without cluster policies, the NetworkPolicy tier alone decides: no tier path to give.
    if (side.admin.length === 0 && side.baseline.length === 0) return this.explainNetworkPolicyTier(direction, flow, side, base, what, other);
    const tiers: string[] = [];
    const admin = firstClusterRule(this.model, side.admin, direction, other, flow, flow.to);
    const adminRule = admin ? describeClusterRule(admin.policy, admin.rule) : '';
    if (admin !== undefined) {
      if (admin.rule.action !== 'Pass') {
        const accepted = admin.rule.action === 'Accept';
        const rule = withPeerAndPort(adminRule, admin);
        const match = ruleMatchOf(admin);
        const step = `Admin: ${adminRule} ${accepted ? 'Accept' : 'Deny'}`;
        return {
          ...base,
          enforced: true,
          isolated: side.isolated,
          selectingPolicies: [],
          allowed: accepted,
          ...(accepted ? { allowedBy: match } : { deniedBy: match }),
          tiers: [step],
          reason: `${capitalize(what)} is ${accepted ? 'accepted' : 'denied'} in the Admin tier by ${rule}: no NetworkPolicy or Baseline rule is consulted.`,
        };
      }
      tiers.push(`Admin: ${adminRule} Pass`);
    } else if (side.admin.length > 0) {
      tiers.push(`Admin: no rule of ${side.admin.map((p) => p.id).join(', ')} matches`);
    }
    const adminNote = admin === undefined ? (side.admin.length > 0 ? `No Admin-tier rule (${side.admin.map((p) => p.id).join(', ')}) matches. ` : '')
      : `The Admin tier passes it on (${adminRule}, peer: ${admin.peer}; port: ${admin.port}). `;
    const decided = this.explainNetworkPolicyTier(direction, flow, side, base, what, other);
    if (decided.isolated || decided.deniedBy !== undefined) {
      tiers.push(`NetworkPolicy: ${decided.allowed ? 'allowed' : 'denied'}${decided.allowedBy ? ` by ${decided.allowedBy.policy} ${decided.allowedBy.rule}` : decided.deniedBy ? ` by ${decided.deniedBy.policy} ${decided.deniedBy.rule}` : ''}`);
      return withTiers(decided, tiers, adminNote);
    }
    if (side.policies.length > 0) tiers.push('NetworkPolicy: not isolated');
    const baseline = firstClusterRule(this.model, side.baseline, direction, other, flow, flow.to);
    if (baseline === undefined) {
      if (side.baseline.length > 0) tiers.push(`Baseline: no rule of ${side.baseline.map((p) => p.id).join(', ')} matches`);
      return withTiers(decided, tiers, adminNote);
    }
    const action = baseline.rule.action;
    const baselineRule = describeClusterRule(baseline.policy, baseline.rule);
    tiers.push(`Baseline: ${baselineRule} ${action}`);
    const rule = withPeerAndPort(baselineRule, baseline);
    if (action === 'Deny') {
      return {
        ...decided,
        allowed: false,
        deniedBy: ruleMatchOf(baseline),
        tiers,
        reason: `${adminNote}${capitalize(what)} is not isolated by any NetworkPolicy, so the Baseline tier decides: it is denied by ${rule}.`,
      };
    }
    const verdict = action === 'Accept' ? `accepted by ${rule}` : `passed by ${rule}, so the default applies: allowed`;
    const explained = withTiers(decided, tiers, adminNote, ` No NetworkPolicy isolates it, so the Baseline tier decides: ${verdict}.`);
    if (action !== 'Accept') return explained;
    return { ...explained, allowedBy: ruleMatchOf(baseline) };
  }

  /** The NetworkPolicy tier's verdict on one side (the endpoint is a pod of the model). */
  private explainNetworkPolicyTier(
    direction: Direction, flow: ResolvedFlow, side: EndpointSide, base: Pick<SideExplanation, 'direction' | 'endpoint' | 'unmatched'>,
    what: string, other: ResolvedEndpoint,
  ): SideExplanation {
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
    const cni = cniNote(policies, other);
    if (!side.isolated) {
      const l4 = `${capitalize(what)} is not isolated: ${[...new Set(policies.map((p) => p.id))].join(', ')} select${policies.length === 1 ? 's' : ''} it without default deny for ${direction.toLowerCase()} (enableDefaultDeny), and no deny rule matches.`;
      const open: SideExplanation = { ...base, enforced: true, isolated: false, selectingPolicies, allowed: true, reason: l4 };
      return this.withL7(open, policies, direction, other, flow);
    }
    const allowedBy = this.firstMatch(policies, (p) => rulesOf(p, direction), other, flow);
    if (allowedBy) {
      const l4 = `${capitalize(what)} is allowed by ${allowedBy.policy} ${allowedBy.rule} (peer: ${allowedBy.peer}; port: ${allowedBy.port}).${cni}`;
      const allowed: SideExplanation = { ...base, enforced: true, isolated: true, selectingPolicies, allowed: true, allowedBy, reason: l4 };
      return this.withL7(allowed, policies, direction, other, flow);
    }
    const unmatched: PolicyMismatch[] = [];
    for (const policy of policies) {
      const rules: RuleMismatch[] = [];
      for (const rule of rulesOf(policy, direction)) {
        const portMatched = ruleTrafficMatches(rule, flow, flow.to);
        const peer = rule.peers === undefined ? 'everyone' : rule.peers.find((p) => peerMatches(this.model, p, other))?.text;
        const peers = rule.peers?.map((p) => p.text) ?? [];
        const ports = rule.icmps !== undefined ? rule.icmps.map((f) => f.text) : rule.ports?.map((p) => (flow.icmp !== undefined ? `${p.text} (a port: no ICMP)` : describePortFor(p, flow.to))) ?? [];
        rules.push(ruleMismatch(rule.path, peer !== undefined, portMatched, peers, ports, other.text, flow));
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
      reason: `${capitalize(what)} is denied: it is isolated by ${selectingPolicies.join(', ')} and no rule matches (${unmatched.map((u) => u.reason).join('; ')}).${cni}${fqdnNote(flow, direction)}`,
    };
  }

  /**
   * A side allowed at L3/L4, with the L7 limit on it: with an HTTP request,
   * allowed only when an HTTP rule admits it (Cilium answers others with 403);
   * without one, allowed (the connection opens), with the limit said.
   */
  private withL7(
    side: SideExplanation, policies: readonly TierPolicy[], direction: Direction, other: ResolvedEndpoint, flow: ResolvedFlow,
  ): SideExplanation {
    const limit = l7Limit(this.model, policies, direction, other, flow, flow.to);
    if (!limit.limited) {
      if (limit.moot === undefined || flow.http === undefined) return side;
      return { ...side, reason: `${side.reason} Its L7 rules are moot for this peer: ${limit.moot}, so every request passes.` };
    }
    const l7 = describeL7Entries(limit.entries);
    if (flow.http === undefined) {
      return { ...side, l7, reason: `${side.reason} Requests on it are limited to ${l7}; give an HTTP request (http:) to check one.` };
    }
    const request = `${flow.http.method} ${flow.http.path}`;
    const admitted = admittingHttpRule(limit.entries, flow.http);
    if (admitted) {
      return { ...side, l7, reason: `${side.reason} The HTTP request ${request} matches ${admitted.rule.text} (${admitted.entry.policy} ${admitted.entry.rule}).` };
    }
    const needs = limit.entries.flatMap((e) => e.port.http ?? []).filter((r) => r.needs !== undefined);
    const needsText = needs.length ? ` (rules that need a host or a header, ${needs.map((r) => r.text).join('; ')}, match no request of a flow, which has a method and a path only)` : '';
    return {
      ...side,
      allowed: false,
      l7,
      reason: `${side.reason} But the HTTP request ${request} matches none of the L7 rules on it, ${l7}${needsText}: Cilium's proxy answers it with 403.`,
    };
  }
}

/** A deciding Admin- or Baseline-tier rule as reasons name it: the rule, then the peer and port it matched by. */
function withPeerAndPort(described: string, match: ClusterRuleMatch): string {
  return `${described} (peer: ${match.peer}; port: ${match.port})`;
}

/** What an Admin- or Baseline-tier rule that decided a side matched, as explanations give it. */
function ruleMatchOf(match: ClusterRuleMatch): RuleMatch {
  return { policy: match.policy.id, rule: match.rule.path, peer: match.peer, port: match.port };
}

/** The side's explanation with the tier path, and what the Admin tier and the Baseline tier said. */
function withTiers(side: SideExplanation, tiers: string[], before: string, after = ''): SideExplanation {
  return { ...side, tiers, reason: `${before}${side.reason}${after}` };
}

/**
 * When the other end is a node or the API server and a NetworkPolicy (v1)
 * applies: the specification leaves such traffic to the implementation.
 */
function cniNote(policies: readonly TierPolicy[], other: ResolvedEndpoint): string {
  if (other.kind !== 'entity' || !policies.some((p) => p.kind === 'NetworkPolicy')) return '';
  return ` Whether NetworkPolicy (v1) rules match ${other.text} depends on the CNI: the specification leaves traffic to and from nodes and the API server to the implementation; here only a rule without peers (everyone) matches it, and no ipBlock does (Calico, for one, matches node addresses with ipBlock).`;
}

/** Why a DNS-name peer did not match an address looked up by name, on egress. */
function fqdnNote(flow: ResolvedFlow, direction: Direction): string {
  if (direction !== Direction.EGRESS || flow.to.kind !== 'ip' || flow.to.host === undefined || flow.to.host.visible) return '';
  return ` DNS-name peers (toFQDNs) cannot match ${flow.to.host.text}: ${flow.to.host.reason}.`;
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
  if (!portMatched && flow.icmp !== undefined) parts.push(ports.length === 0 ? 'it admits no ICMP' : `it admits ${ports.join(' or ')}, not ${describeTraffic(flow)}`);
  else if (!portMatched) parts.push(ports.length === 0 ? 'it has no TCP, UDP or SCTP port' : `port ${ports.join(' or ')} does not match ${describeTraffic({ port: flow.port, protocol: flow.protocol, icmp: flow.icmp })}`);
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

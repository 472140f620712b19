import { Protocol } from '../protocol';
import { ClusterModel } from './cluster-model';
import { CompiledPort, HttpRuleSpec, rulesOf, TierPolicy, TierRule } from './compiled-policy';
import { ConnectionSet } from './connection-set';
import { ResolvedEndpoint } from './endpoint-resolver';
import { Direction, HttpRequest } from './flow';
import { portMatches, rulePeersMatch, Traffic } from './matching';
import { portEntrySet } from './port-sets';

/** An allow rule's port entry that carries L7 rules, with where it is. */
export interface L7Entry {
  readonly policy: string;
  readonly rule: string;
  readonly port: CompiledPort;
}

/**
 * The L7 limit on one side of a connection: none (every request passes), or
 * the entries whose rules decide (a request passes when one of them admits it).
 */
export type L7Limit =
  | { readonly limited: false; readonly moot?: string }
  | { readonly limited: true; readonly entries: readonly L7Entry[] };

/**
 * The L7 limit Cilium puts on the connection, on the side given by
 * `direction` (cilium/cilium layer7.rst; notes R10.4): L7 rules are kept per
 * peer selector, and for a peer X on port P
 * - an allow rule covering (X, P) without L7 rules (an L3-only rule, a port
 *   entry without `rules`, or `http: []`, "all traffic is permitted") makes
 *   every L7 rule on P moot for X: every request passes;
 * - otherwise X is limited to the union of the L7 rules of every allow rule
 *   that covers (X, P).
 * This holds whether or not the side is in default deny: "EnableDefaultDeny
 * does not apply to layer-7 policy" (intro.rst).
 */
export function l7Limit(
  model: ClusterModel, policies: readonly TierPolicy[], direction: Direction,
  other: ResolvedEndpoint, traffic: Traffic, destination: ResolvedEndpoint,
): L7Limit {
  if (traffic.icmp !== undefined) return { limited: false };
  const entries: L7Entry[] = [];
  let moot: string | undefined;
  for (const policy of policies) {
    for (const rule of rulesOf(policy, direction)) {
      if (!rulePeersMatch(model, rule, other)) continue;
      if (rule.ports === undefined) {
        moot ??= `${policy.id} ${rule.path} allows every port without L7 rules`;
        continue;
      }
      for (const port of rule.ports) {
        if (!portMatches(port, traffic.port, traffic.protocol, destination)) continue;
        const rules = port.http ?? port.dns;
        if (rules === undefined || rules.length === 0) moot ??= `${policy.id} ${rule.path} allows ${port.text} without L7 rules`;
        else entries.push({ policy: policy.id, rule: rule.path, port });
      }
    }
  }
  if (entries.length === 0) return { limited: false };
  if (moot !== undefined) return { limited: false, moot };
  return { limited: true, entries };
}

/** Does the HTTP rule admit the request? Every field it sets must match the whole value; a rule that needs a host or a header admits none of a flow's requests. */
export function httpRuleAdmits(rule: HttpRuleSpec, request: HttpRequest): boolean {
  if (rule.needs !== undefined) return false;
  return (rule.method === undefined || rule.method.test(request.method)) && (rule.path === undefined || rule.path.test(request.path));
}

/** The first entry and HTTP rule that admit the request; undefined when none does. */
export function admittingHttpRule(entries: readonly L7Entry[], request: HttpRequest): { entry: L7Entry; rule: HttpRuleSpec } | undefined {
  for (const entry of entries) {
    const rule = entry.port.http?.find((r) => httpRuleAdmits(r, request));
    if (rule) return { entry, rule };
  }
  return undefined;
}

/** The limit in words: `HTTP GET /public (CiliumNetworkPolicy shop/api spec.ingress[0])`, joined by "or". */
export function describeL7Entries(entries: readonly L7Entry[]): string {
  return entries.map((e) => `${e.port.l7} (${e.policy} ${e.rule})`).join(' or ');
}

/** A run of TCP ports whose requests Cilium HTTP rules limit, and those rules. */
export interface HttpLimit {
  readonly first: number;
  readonly last: number;
  /** The rules, e.g. `HTTP GET /public or POST /orders`; both sides' joined by "and" when both limit. */
  readonly text: string;
}

/** True when some policy of the model has HTTP rules: only then can a pair have HTTP limits. */
export function modelHasHttpRules(model: ClusterModel): boolean {
  const limits = (rule: TierRule) => rule.ports?.some((port) => port.http !== undefined && port.http.length > 0);
  return model.tierPolicies.some((p) => p.ingress.some(limits) || p.egress.some(limits));
}

/**
 * The TCP ports of `allowed` (the pair's connection set) whose requests
 * Cilium HTTP rules limit, on either side, with the rules: the L7 limit of
 * `l7Limit`, computed on every run of ports on which every port entry of the
 * rules that match the pair is uniform (so the answer is exact, not sampled),
 * and merged where the rules are the same.
 */
export function httpLimitsOf(model: ClusterModel, from: ResolvedEndpoint, to: ResolvedEndpoint, allowed: ConnectionSet): HttpLimit[] {
  const tcp = allowed.portRanges(Protocol.TCP);
  if (tcp.length === 0) return [];
  const sides: Array<{ direction: Direction; policies: readonly TierPolicy[]; other: ResolvedEndpoint }> = [];
  if (from.kind === 'endpoint') sides.push({ direction: Direction.EGRESS, policies: model.sideOf(from.endpoint, Direction.EGRESS).policies, other: to });
  if (to.kind === 'endpoint') sides.push({ direction: Direction.INGRESS, policies: model.sideOf(to.endpoint, Direction.INGRESS).policies, other: from });
  const cuts = new Set<number>([1, 65536]);
  let someHttp = false;
  for (const side of sides) {
    for (const policy of side.policies) {
      for (const rule of rulesOf(policy, side.direction)) {
        if (rule.ports === undefined || !rulePeersMatch(model, rule, side.other)) continue;
        for (const port of rule.ports) {
          if (port.protocol !== Protocol.TCP) continue;
          if (port.http !== undefined && port.http.length > 0) someHttp = true;
          for (const range of portEntrySet(port, to).portRanges(Protocol.TCP)) {
            cuts.add(range.first);
            cuts.add(range.last + 1);
          }
        }
      }
    }
  }
  if (!someHttp) return [];
  const bounds = [...cuts].sort((a, b) => a - b);
  const limits: HttpLimit[] = [];
  for (const allowedRange of tcp) {
    for (let i = 0; i + 1 < bounds.length; i++) {
      const first = Math.max(bounds[i], allowedRange.first);
      const last = Math.min(bounds[i + 1] - 1, allowedRange.last);
      if (first > last) continue;
      const texts: string[] = [];
      for (const side of sides) {
        const limit = l7Limit(model, side.policies, side.direction, side.other, { port: first, protocol: Protocol.TCP }, to);
        if (limit.limited && limit.entries.some((e) => e.port.http !== undefined)) texts.push(limit.entries.map((e) => e.port.l7).join(' or '));
      }
      if (texts.length === 0) continue;
      const text = texts.join(' and ');
      const previous = limits[limits.length - 1];
      if (previous && previous.last + 1 === first && previous.text === text) limits[limits.length - 1] = { ...previous, last };
      else limits.push({ first, last, text });
    }
  }
  return limits;
}

/**
 * A connection set with its HTTP limits: `TCP 80 (HTTP GET /)` when one limit
 * covers the whole set, else the set and each limit, `TCP 80, 443 (TCP 80: HTTP GET /)`.
 */
export function describeWithHttpLimits(allowed: ConnectionSet, limits: readonly HttpLimit[]): string {
  if (limits.length === 0) return allowed.toString();
  if (limits.length === 1 && allowed.isSameAs(ConnectionSet.ports(Protocol.TCP, limits[0].first, limits[0].last))) return `${allowed} (${limits[0].text})`;
  const ranges = limits.map((l) => `${ConnectionSet.ports(Protocol.TCP, l.first, l.last)}: ${l.text}`);
  return `${allowed} (${ranges.join('; ')})`;
}

import { ClusterModel } from './cluster-model';
import { Endpoint } from './endpoint';
import { entityProblem } from './flow-fields';
import { AnalysisInputError } from './input-error';
import { ResolvedEndpoint } from './resolved-endpoint';
import { escapeTerminal } from '../text/escape';
import { formatIp, parseIp, unmapIpv4 } from '../validation/cidr';

/** An endpoint of a flow: a pod or workload of the model, an address outside the cluster, or an entity. */
// The types live in their own file (matching.ts needs them and sits below this resolver); importers may take them from either.
export type { LookedUpName, ResolvedEndpoint } from './resolved-endpoint';

const IP_PREFIX = 'ip:';
const ENTITY_PREFIX = 'entity:';

/**
 * Resolves the endpoint notation of flows and expectations files:
 * `<namespace>/<name>`, `<namespace>/<kind>/<name>` (kind case-insensitive) or
 * `ip:<address>`. Unknown and ambiguous names fail with the close matches.
 */
export class EndpointResolver {
  private readonly cache = new Map<string, ResolvedEndpoint>();

  constructor(private readonly model: ClusterModel) {}

  public resolve(text: string): ResolvedEndpoint {
    const cached = this.cache.get(text);
    if (cached) return cached;
    const resolved = this.resolveUncached(text);
    this.cache.set(text, resolved);
    return resolved;
  }

  private resolveUncached(text: string): ResolvedEndpoint {
    if (typeof text !== 'string' || text.trim() === '') {
      throw new AnalysisInputError(`An endpoint must be "<namespace>/<name>", "<namespace>/<kind>/<name>" or "ip:<address>", got ${JSON.stringify(text)}.`);
    }
    if (text.startsWith(ENTITY_PREFIX)) {
      const problem = entityProblem(text);
      if (problem) throw new AnalysisInputError(`${quoted(text)} is not an endpoint: ${problem}.`);
      return { kind: 'entity', entity: text.slice(ENTITY_PREFIX.length), text };
    }
    if (text.startsWith(IP_PREFIX)) {
      const address = text.slice(IP_PREFIX.length);
      const parsed = parseIp(address);
      if (!parsed) {
        throw new AnalysisInputError(`${quoted(text)} is not an address: after "ip:" write an IPv4 or IPv6 address such as ip:203.0.113.7 or ip:2001:db8::1 (no prefix length).`);
      }
      // ::ffff:8.8.8.8 is 8.8.8.8: judged as IPv6 it would miss every IPv4 ipBlock.
      const ip = unmapIpv4(parsed);
      return { kind: 'ip', family: ip.family, value: ip.value, text: `ip:${formatIp(ip.family, ip.value)}` };
    }
    const parts = text.split('/');
    if (parts.length === 2) {
      const [namespace, name] = parts;
      const candidates = this.model.endpointsNamed(namespace, name);
      if (candidates.length === 1) return this.wrap(candidates[0]);
      if (candidates.length > 1) {
        throw new AnalysisInputError(`${quoted(text)} is ambiguous: ${candidates.map((c) => `${c.id} (${c.kind})`).join(', ')} share that name; write <namespace>/<kind>/<name>, e.g. ${candidates[0].id}.`);
      }
      throw this.unknown(text, namespace, name);
    }
    if (parts.length === 3) {
      const [namespace, kind, name] = parts;
      const candidates = this.model.endpointsNamed(namespace, name).filter((e) => e.kind.toLowerCase() === kind.toLowerCase());
      if (candidates.length === 1) return this.wrap(candidates[0]);
      throw this.unknown(text, namespace, name, kind);
    }
    throw new AnalysisInputError(`${quoted(text)} is not an endpoint: write "<namespace>/<name>", "<namespace>/<kind>/<name>", "ip:<address>" or "entity:<entity>".`);
  }

  private wrap(endpoint: Endpoint): ResolvedEndpoint {
    return { kind: 'endpoint', endpoint, text: endpoint.displayName };
  }

  private unknown(text: string, namespace: string, name: string, kind?: string): AnalysisInputError {
    const what = kind ? `no ${escapeTerminal(kind)} named ${quoted(name)}` : `no Pod or workload named ${quoted(name)}`;
    const known = this.model.namespaces.has(namespace)
      ? `in namespace ${quoted(namespace)}`
      : `in namespace ${quoted(namespace)} (no such namespace; known: ${[...this.model.namespaces.keys()].join(', ') || 'none'})`;
    const close = closeMatches(text, this.model.endpoints.flatMap((e) => [e.displayName, e.id]));
    const hint = close.length ? ` Did you mean ${close.join(', ')}?` : '';
    return new AnalysisInputError(`Unknown endpoint ${quoted(text)}: ${what} ${known}.${hint}`);
  }
}

/** User text in a message: quoted, escaped for a terminal, and cut short (a name may be a megabyte long). */
function quoted(text: string): string {
  const escaped = escapeTerminal(text);
  return escaped.length > 100 ? `"${escaped.slice(0, 60)}..." (${text.length} characters)` : `"${escaped}"`;
}

/** More edits than this make no useful suggestion, whatever the length. */
const MAX_SUGGESTION_DISTANCE = 10;

/**
 * The candidates closest to `text` by edit distance (at most a third of its
 * length, and at most 10), or with the same name. The work is bounded: a
 * candidate whose length differs by more than the limit cannot be that close
 * and is skipped, and the distance is computed in a band of that width.
 */
export function closeMatches(text: string, candidates: readonly string[]): string[] {
  const lower = text.toLowerCase();
  const tail = lower.slice(lower.lastIndexOf('/') + 1);
  const limit = Math.min(MAX_SUGGESTION_DISTANCE, Math.max(2, Math.floor(text.length / 3)));
  const scored: Array<{ c: string; score: number }> = [];
  for (const c of new Set(candidates)) {
    const other = c.toLowerCase();
    if (other.slice(other.lastIndexOf('/') + 1) === tail) {
      scored.push({ c, score: other === lower ? 0 : 1 });
      continue;
    }
    const distance = boundedEditDistance(lower, other, limit);
    if (distance <= limit) scored.push({ c, score: distance });
  }
  return scored
    .sort((a, b) => a.score - b.score || (a.c < b.c ? -1 : 1))
    .slice(0, 3)
    .map((s) => s.c);
}

/** The edit distance of `a` and `b` when it is at most `limit`, else `limit + 1` (Ukkonen's band: O(limit x length)). */
function boundedEditDistance(a: string, b: string, limit: number): number {
  const outside = limit + 1;
  if (Math.abs(a.length - b.length) > limit) return outside;
  // Two rows, reused; cells outside the band hold `outside`.
  let previous = new Int32Array(b.length + 1).fill(outside);
  let current = new Int32Array(b.length + 1).fill(outside);
  for (let j = 0; j <= Math.min(b.length, limit); j++) previous[j] = j;
  for (let i = 1; i <= a.length; i++) {
    const low = Math.max(1, i - limit);
    const high = Math.min(b.length, i + limit);
    current[low - 1] = low === 1 && i <= limit ? i : outside;
    let best = current[low - 1];
    const letter = a.charCodeAt(i - 1);
    // Plain comparisons: this loop is the whole cost.
    for (let j = low; j <= high; j++) {
      let value = previous[j - 1] + (letter === b.charCodeAt(j - 1) ? 0 : 1);
      if (previous[j] + 1 < value) value = previous[j] + 1;
      if (current[j - 1] + 1 < value) value = current[j - 1] + 1;
      if (value > outside) value = outside;
      current[j] = value;
      if (value < best) best = value;
    }
    if (high < b.length) current[high + 1] = outside;
    if (best > limit) return outside;
    [previous, current] = [current, previous];
  }
  return previous[b.length];
}

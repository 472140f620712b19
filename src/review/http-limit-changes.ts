import { Analyzer } from '../analysis/analyzer';
import { ConnectionPair } from '../analysis/connection-pair';
import { EndpointResolver } from '../analysis/endpoint-resolver';
import { describeWithHttpLimits, HttpLimit, httpLimitsOf, modelHasHttpRules } from '../analysis/l7-rules';

/** A pair of pods or workloads whose Cilium HTTP limits differ between two manifest sets. */
export interface HttpLimitChange {
  readonly from: string;
  readonly to: string;
  /** What the old manifests allowed, with its HTTP limits, e.g. `TCP 8080 (HTTP GET /public)`; `nothing` when nothing. */
  readonly before: string;
  /** What the new manifests allow, written the same way. */
  readonly after: string;
}

/**
 * The pairs of pods and workloads (by name, in the listing order of the new
 * manifests, then the pairs the old ones had alone) whose HTTP limits differ:
 * a limit added, lifted (made moot, or its rules removed) or changed. The
 * connection sets are compared by ReachabilityDiff; this adds what they
 * cannot carry. Whether new rules admit more requests than the old ones is
 * not decided (regexes do not compare exactly), so every change is listed.
 * Address ranges are left out: the two sides split them differently.
 */
export function httpLimitChanges(before: Analyzer, after: Analyzer): HttpLimitChange[] {
  if (!modelHasHttpRules(before._model) && !modelHasHttpRules(after._model)) return [];
  const limitsOf = (analyzer: Analyzer) => {
    const resolver = new EndpointResolver(analyzer._model);
    const result = new Map<string, { pair: ConnectionPair; limits: HttpLimit[] }>();
    for (const pair of analyzer.connectivity()) {
      if (pair.from.startsWith('ip:') || pair.to.startsWith('ip:')) continue;
      const limits = httpLimitsOf(analyzer._model, resolver.resolve(pair.from), resolver.resolve(pair.to), pair.allowed);
      result.set(`${pair.from} -> ${pair.to}`, { pair, limits });
    }
    return result;
  };
  const old = limitsOf(before);
  const now = limitsOf(after);
  const keyOf = (limits: readonly HttpLimit[]) => limits.map((l) => `${l.first}-${l.last}:${l.text}`).join('|');
  const describe = (entry?: { pair: ConnectionPair; limits: HttpLimit[] }) => (entry ? describeWithHttpLimits(entry.pair.allowed, entry.limits) : 'nothing');
  const changes: HttpLimitChange[] = [];
  for (const key of new Set([...now.keys(), ...old.keys()])) {
    const a = old.get(key);
    const b = now.get(key);
    if (keyOf(a?.limits ?? []) === keyOf(b?.limits ?? [])) continue;
    const [from, to] = key.split(' -> ');
    changes.push({ from, to, before: describe(a), after: describe(b) });
  }
  return changes;
}

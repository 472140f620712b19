/*
 * The Cilium HTTP limits of listed pairs, for the reports that show them
 * (`list`, `matrix`): `TCP 8080 (HTTP GET /public)`.
 */
import { ClusterModel } from '../analysis/cluster-model';
import { ConnectionPair } from '../analysis/connection-pair';
import { EndpointResolver, ResolvedEndpoint } from '../analysis/endpoint-resolver';
import { HttpLimit, httpLimitsOf, modelHasHttpRules } from '../analysis/l7-rules';
import { IpFamily, parseIp } from '../validation/cidr';

/** The HTTP limits of each pair that has some (Cilium HTTP rules): an address range stands for each of its addresses, which policies treat alike. */
export function httpLimitsOfPairs(model: ClusterModel, pairs: readonly ConnectionPair[]): Map<ConnectionPair, HttpLimit[]> {
  const result = new Map<ConnectionPair, HttpLimit[]>();
  if (!modelHasHttpRules(model)) return result;
  const resolver = new EndpointResolver(model);
  const resolve = (end: string): ResolvedEndpoint => {
    const range = addressRange(end);
    if (range === undefined) return resolver.resolve(end);
    return { kind: 'ip', family: range.family as IpFamily, value: range.first, text: end };
  };
  for (const pair of pairs) {
    const limits = httpLimitsOf(model, resolve(pair.from), resolve(pair.to), pair.allowed);
    if (limits.length > 0) result.set(pair, limits);
  }
  return result;
}

/** The range of `ip:<first>-<last>` or `ip:<address>`, as listings write it; undefined for a pod or workload. */
export function addressRange(end: string): { family: number; first: bigint; last: bigint } | undefined {
  if (!end.startsWith('ip:')) return undefined;
  // IPv6 addresses hold colons but never a dash.
  const [firstText, lastText = firstText] = end.slice('ip:'.length).split('-');
  const first = parseIp(firstText);
  const last = parseIp(lastText);
  if (!first || !last) throw new Error(`Not an address range: ${end}`);
  return { family: first.family, first: first.value, last: last.value };
}

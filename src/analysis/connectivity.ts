import { AddressRange, compareAddressRanges, formatAddressRange, IP_FAMILIES, splitAddressSpace } from './address-range';
import { ClusterModel } from './cluster-model';
import { compareText } from './compare-text';
import { allRulesOf } from './compiled-policy';
import { ConnectionPair } from './connection-pair';
import { ConnectionPool } from './connection-pool';
import { ConnectivityEngine } from './connectivity-engine';
import { Endpoint } from './endpoint';
import { ParsedCidr } from '../validation/cidr';

/** The CIDRs (cidrs and excepts) of every ipBlock (and Cilium CIDR rule, and cluster policy `networks`) of the model's policies. */
export function ipBlockEdges(model: ClusterModel): ParsedCidr[] {
  const cidrs: ParsedCidr[] = [];
  const rules = [...model.tierPolicies.flatMap(allRulesOf), ...model.clusterPolicies.flatMap((p) => [...p.ingress, ...p.egress])];
  for (const rule of rules) {
    for (const peer of rule.peers ?? []) {
      if (peer.kind === 'ip') cidrs.push(peer.cidr, ...peer.except);
      else if (peer.kind === 'network') cidrs.push(...peer.cidrs);
    }
  }
  return cidrs;
}

/** The address space of both families, split where any ipBlock of the CIDRs changes. */
export function addressSegments(cidrs: readonly ParsedCidr[]): AddressRange[] {
  return IP_FAMILIES.flatMap((family) => splitAddressSpace(family, cidrs));
}

/**
 * Runs of consecutive segments with the same value, as merged ranges; values
 * that `keep` rejects (e.g. the empty set) are dropped.
 */
export function mergeSegments<T>(
  segments: readonly AddressRange[], values: readonly T[], same: (a: T, b: T) => boolean, keep: (value: T) => boolean,
): Array<{ range: AddressRange; value: T }> {
  const runs: Array<{ range: AddressRange; value: T }> = [];
  segments.forEach((segment, i) => {
    const value = values[i];
    if (!keep(value)) return;
    const last = runs[runs.length - 1];
    if (last && last.range.family === segment.family && last.range.last + 1n === segment.first && same(last.value, value)) {
      last.range = { family: segment.family, first: last.range.first, last: segment.last };
    } else {
      runs.push({ range: segment, value });
    }
  });
  return runs;
}

/** Pods and workloads by namespace, then name: the order of every listing. */
export function sortEndpoints(endpoints: readonly Endpoint[]): Endpoint[] {
  return [...endpoints].sort((a, b) => compareText(a.namespace, b.namespace) || compareText(a.displayName, b.displayName));
}

/**
 * Every pair of the model with a non-empty connection set: pod or workload
 * to pod or workload (a single Pod to itself, loopback, is left out; a
 * workload to itself, one replica to another, is in), and each of them to and
 * from the ranges of addresses outside the cluster, merged where the answer
 * is the same. Sources come in order (pods and workloads by namespace and
 * name, then address ranges), and destinations likewise.
 */
export function listConnectivity(model: ClusterModel, engine?: ConnectivityEngine): ConnectionPair[] {
  const computed = engine ?? new ConnectivityEngine(model, new ConnectionPool());
  const pool = computed.pool;
  const order = sortEndpoints(model.endpoints);
  const segments = addressSegments(ipBlockEdges(model));
  const outgoing = new Map<number, Array<{ range: AddressRange; value: number }>>();
  const incoming = new Map<number, Array<{ range: AddressRange; value: number }>>();
  // Ranges repeat across classes and members: write each once.
  const texts = new Map<string, string>();
  const textOf = (range: AddressRange) => {
    const key = `${range.family}:${range.first}:${range.last}`;
    let text = texts.get(key);
    if (text === undefined) texts.set(key, (text = formatAddressRange(range)));
    return text;
  };
  const keep = (id: number) => id !== ConnectionPool.EMPTY;
  const same = (a: number, b: number) => a === b;
  for (const c of computed.classes) {
    outgoing.set(c.index, mergeSegments(segments, segments.map((s) => computed.toRangeId(c.index, s)), same, keep));
    incoming.set(c.index, mergeSegments(segments, segments.map((s) => computed.fromRangeId(c.index, s)), same, keep));
  }
  // For each source class, its destinations with some connection, in listing order: only non-empty pairs are visited.
  const rank = new Map<Endpoint, number>(order.map((e, i) => [e, i]));
  const destinations = new Map<number, Array<{ to: Endpoint; id: number }>>();
  const destinationsOf = (a: number) => {
    let list = destinations.get(a);
    if (!list) {
      list = [];
      for (const b of computed.classes) {
        const id = computed.pairId(a, b.index);
        if (id !== ConnectionPool.EMPTY) for (const to of b.members) list.push({ to, id });
      }
      list.sort((x, y) => rank.get(x.to)! - rank.get(y.to)!);
      destinations.set(a, list);
    }
    return list;
  };
  const pairs: ConnectionPair[] = [];
  for (const from of order) {
    const a = computed.classOf[from.index];
    for (const { to, id } of destinationsOf(a)) {
      if (from === to && from.isPod) continue;
      pairs.push({ from: from.displayName, to: to.displayName, allowed: pool.set(id) });
    }
    for (const run of outgoing.get(a)!) pairs.push({ from: from.displayName, to: textOf(run.range), allowed: pool.set(run.value) });
  }
  const fromOutside: Array<{ range: AddressRange; to: Endpoint; value: number }> = [];
  order.forEach((to) => {
    for (const run of incoming.get(computed.classOf[to.index])!) fromOutside.push({ range: run.range, to, value: run.value });
  });
  // Stable sort: for one range, destinations stay in endpoint order.
  fromOutside.sort((x, y) => compareAddressRanges(x.range, y.range) || (x.range.last < y.range.last ? -1 : x.range.last > y.range.last ? 1 : 0));
  for (const f of fromOutside) pairs.push({ from: textOf(f.range), to: f.to.displayName, allowed: pool.set(f.value) });
  return pairs;
}

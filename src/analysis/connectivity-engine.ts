import { AddressRange } from './address-range';
import { ClusterModel, EndpointSide } from './cluster-model';
import { ClusterPolicy, clusterRulesOf } from './cluster-policy';
import { allRulesOf, denyRulesOf, IdentityPeer, NetworkPeer, PodPeer, rulesOf, TierPolicy, TierRule } from './compiled-policy';
import { ConnectionPool } from './connection-pool';
import { ConnectionSet } from './connection-set';
import { Endpoint } from './endpoint';
import { ResolvedEndpoint } from './endpoint-resolver';
import { Direction } from './flow';
import { peerMatches } from './matching';
import { sideConnections } from './pair-connections';
import { rulePortSet, ruleHasNamedPorts } from './port-sets';
import { formatIp } from '../validation/cidr';

/**
 * Endpoints that no policy can tell apart: the same policies select them in
 * each direction, the same pod peers select them, and their named container
 * ports are the same. Every pair of members of two classes is allowed the
 * same connections (Cilium calls such a class an identity), so the engine
 * works on classes, and the cost follows the structure of the policies
 * rather than the number of pods.
 */
export interface EndpointClass {
  readonly index: number;
  /** The members, in model order; the first stands for the class. */
  readonly members: readonly Endpoint[];
}

/**
 * The exact connection sets of every pair of a model, computed once per pair
 * of endpoint classes: per source class, what its egress rules admit to each
 * destination class; per destination class, what its ingress rules admit from
 * each source class; the pair gets their intersection. Sets are interned in a
 * ConnectionPool (which two engines may share, so that a diff compares ids).
 *
 * Addresses outside the cluster are judged per range by the exact side
 * evaluation (`sideConnections`) at one address of the range: callers pass
 * ranges on which every ipBlock is uniform (`splitAddressSpace`).
 */
export class ConnectivityEngine {
  public readonly classes: EndpointClass[] = [];
  /** For each endpoint index, its class index. */
  public readonly classOf: Int32Array;
  private readonly size: number;
  /**
   * `pairs[a * size + b]`: the id of the connections from class a to class b, computed on the first
   * question (a caller that only groups endpoints, as a lint rule does, never pays for them).
   */
  private pairs: Int32Array | undefined;
  /** What computing the pairs needs from the grouping, until they are computed. */
  private peerMembers: Map<string, number[]> | undefined;
  /**
   * Per class, what its side toward addresses depends on: the egress side, and
   * the ingress side with the class's named ports (addresses have none). Classes
   * that share one share their answers for every range.
   */
  private readonly egressRangeKeys: string[] = [];
  private readonly ingressRangeKeys: string[] = [];
  private readonly rangeIds = new Map<string, number>();

  constructor(private readonly model: ClusterModel, public readonly pool: ConnectionPool) {
    this.classOf = new Int32Array(model.endpoints.length);
    this.peerMembers = this.groupEndpoints();
    this.size = this.classes.length;
  }

  /** The id of the connections from every member of class `from` to every other member of class `to`. */
  public pairId(from: number, to: number): number {
    if (this.pairs === undefined) {
      this.pairs = this.computePairs(this.peerMembers!);
      this.peerMembers = undefined;
    }
    return this.pairs[from * this.size + to];
  }

  /** The id of the connections class `from` may open to the addresses of the range (egress at the source only). */
  public toRangeId(from: number, range: AddressRange): number {
    return this.rangeId(`o${this.egressRangeKeys[from]}`, range, () => sideConnections(this.model, Direction.EGRESS, this.representative(from), addressOf(range)));
  }

  /** The id of the connections the addresses of the range may open to class `to` (ingress at the destination only). */
  public fromRangeId(to: number, range: AddressRange): number {
    return this.rangeId(`i${this.ingressRangeKeys[to]}`, range, () => sideConnections(this.model, Direction.INGRESS, this.representative(to), addressOf(range)));
  }

  private rangeId(side: string, range: AddressRange, compute: () => ConnectionSet): number {
    const key = `${side}@${range.family}:${range.first}`;
    let id = this.rangeIds.get(key);
    if (id === undefined) this.rangeIds.set(key, (id = this.pool.id(compute())));
    return id;
  }

  private representative(index: number): ResolvedEndpoint {
    const endpoint = this.classes[index].members[0];
    return { kind: 'endpoint', endpoint, text: endpoint.displayName };
  }

  /**
   * Groups endpoints into classes by what policies can see of them, and
   * returns, for each distinct pod peer of the policies, the classes it selects.
   */
  private groupEndpoints(): Map<string, number[]> {
    const model = this.model;
    const peerEndpoints = new Map<string, number[]>();
    const peersOfEndpoint: number[][] = model.endpoints.map(() => []);
    const peerKeys: string[] = [];
    const rules = [...model.tierPolicies.flatMap(allRulesOf), ...model.clusterPolicies.flatMap((p) => [...p.ingress, ...p.egress])];
    for (const rule of rules) {
      for (const peer of rule.peers ?? []) {
        if ((peer.kind !== 'pods' && peer.kind !== 'identity' && peer.kind !== 'network') || peerEndpoints.has(peer.key)) continue;
        const selected = this.selectedBy(peer);
        peerEndpoints.set(peer.key, selected);
        for (const e of selected) peersOfEndpoint[e].push(peerKeys.length);
        peerKeys.push(peer.key);
      }
    }
    const sideKey = this.sideKeys();
    const byKey = new Map<string, number>();
    for (const endpoint of model.endpoints) {
      const i = endpoint.index;
      const named = endpoint.ports.filter((p) => p.name !== undefined).map((p) => `${p.name}/${p.protocol}/${p.port}`).sort().join(',');
      const egress = sideKey(model.egressSides[i]);
      const ingress = `${sideKey(model.ingressSides[i])}|${named}`;
      const key = `${egress}|${ingress}|${peersOfEndpoint[i].join(',')}`;
      let index = byKey.get(key);
      if (index === undefined) {
        index = this.classes.length;
        byKey.set(key, index);
        this.classes.push({ index, members: [] });
        this.egressRangeKeys.push(egress);
        this.ingressRangeKeys.push(ingress);
      }
      (this.classes[index].members as Endpoint[]).push(endpoint);
      this.classOf[i] = index;
    }
    const peerClasses = new Map<string, number[]>();
    for (const [key, endpoints] of peerEndpoints) {
      peerClasses.set(key, [...new Set(endpoints.map((e) => this.classOf[e]))]);
    }
    return peerClasses;
  }

  /** A key per side that two endpoints share when every tier treats their sides alike. */
  private sideKeys(): (side: EndpointSide) => string {
    const policyIndex = new Map<TierPolicy, number>(this.model.tierPolicies.map((p, i) => [p, i]));
    const clusterIndex = new Map<ClusterPolicy, number>(this.model.clusterPolicies.map((p, i) => [p, i]));
    return (side) => `${side.isolated ? 'i' : 'o'}${side.policies.map((p) => policyIndex.get(p)).join(',')}`
      + `|a${side.admin.map((p) => clusterIndex.get(p)).join(',')}|b${side.baseline.map((p) => clusterIndex.get(p)).join(',')}`;
  }

  /** The endpoints a pod peer selects: in the namespaces it selects (its own, by default), those whose labels match; for a network peer, the pods with an address in it. */
  private selectedBy(peer: PodPeer | IdentityPeer | NetworkPeer): number[] {
    const model = this.model;
    if (peer.kind === 'identity' || peer.kind === 'network') {
      const candidates = peer.kind === 'identity' && peer.namespace !== undefined ? model.endpointsIn(peer.namespace) : model.endpoints;
      return candidates.filter((e) => peerMatches(model, peer, { kind: 'endpoint', endpoint: e, text: e.displayName })).map((e) => e.index);
    }
    const namespaces = peer.namespaces
      ? [...model.namespaces.values()].filter((ns) => peer.namespaces!.matchesAll || peer.namespaces!.matches(ns.labels)).map((ns) => ns.name)
      : [peer.ownNamespace];
    const selected: number[] = [];
    for (const namespace of namespaces) {
      for (const endpoint of model.endpointsIn(namespace)) {
        if (peer.excludesHostNetwork && endpoint.hostNetwork) continue;
        if (peer.pods.matchesAll || peer.pods.matches(endpoint.labels)) selected.push(endpoint.index);
      }
    }
    return selected;
  }

  /**
   * One side's row through the tiers, indexed by the other end's class (the
   * destination class for egress, the source class for ingress): what the
   * Admin tier accepts, plus, of what it leaves undecided, what the
   * NetworkPolicy tier allows (final when it isolates the side), less, when
   * it does not, what the Baseline tier denies. Null when no policy of any
   * tier applies (everything).
   */
  private tieredRow(
    side: EndpointSide, direction: Direction, targetsOf: (rule: TierRule) => readonly number[], portsTo: (rule: TierRule, other: number) => number,
  ): Int32Array | null {
    const pool = this.pool;
    const size = this.size;
    if (side.policies.length === 0 && side.admin.length === 0 && side.baseline.length === 0) return null;
    // ConnectionPool.EMPTY is 0: an isolated side starts with nothing, an open one with everything.
    const row = new Int32Array(size).fill(side.isolated ? ConnectionPool.EMPTY : ConnectionPool.ALL);
    for (const policy of side.policies) {
      if (!side.isolated) break;
      for (const rule of rulesOf(policy, direction)) {
        for (const other of targetsOf(rule)) {
          const ports = portsTo(rule, other);
          if (ports !== ConnectionPool.EMPTY) row[other] = pool.union(row[other], ports);
        }
      }
    }
    for (const policy of side.policies) {
      for (const rule of denyRulesOf(policy, direction)) {
        for (const other of targetsOf(rule)) row[other] = pool.subtract(row[other], portsTo(rule, other));
      }
    }
    if (!side.isolated && side.baseline.length > 0) {
      const baseline = this.tierDecision(side.baseline, direction, targetsOf, portsTo);
      for (let other = 0; other < size; other++) {
        if (baseline.denied[other] !== ConnectionPool.EMPTY) row[other] = pool.subtract(row[other], baseline.denied[other]);
      }
    }
    if (side.admin.length > 0) {
      const admin = this.tierDecision(side.admin, direction, targetsOf, portsTo);
      for (let other = 0; other < size; other++) {
        const accepted = admin.accepted[other];
        if (accepted === ConnectionPool.EMPTY && admin.denied[other] === ConnectionPool.EMPTY) continue;
        const undecided = pool.subtract(pool.subtract(ConnectionPool.ALL, accepted), admin.denied[other]);
        row[other] = pool.union(accepted, pool.intersect(undecided, row[other]));
      }
    }
    return row;
  }

  /** An Admin or Baseline tier over classes: first match in order; what it accepts and denies, by the other end's class. */
  private tierDecision(
    policies: readonly ClusterPolicy[], direction: Direction,
    targetsOf: (rule: TierRule) => readonly number[], portsTo: (rule: TierRule, other: number) => number,
  ): { accepted: Int32Array; denied: Int32Array } {
    const pool = this.pool;
    const accepted = new Int32Array(this.size);
    const denied = new Int32Array(this.size);
    const decided = new Int32Array(this.size);
    for (const policy of policies) {
      for (const rule of clusterRulesOf(policy, direction)) {
        for (const other of targetsOf(rule)) {
          const taken = pool.subtract(portsTo(rule, other), decided[other]);
          if (taken === ConnectionPool.EMPTY) continue;
          decided[other] = pool.union(decided[other], taken);
          if (rule.action === 'Accept') accepted[other] = pool.union(accepted[other], taken);
          else if (rule.action === 'Deny') denied[other] = pool.union(denied[other], taken);
        }
      }
    }
    return { accepted, denied };
  }

  private computePairs(peerClasses: Map<string, number[]>): Int32Array {
    const size = this.size;
    const pool = this.pool;
    const everyClass = this.classes.map((c) => c.index);
    const targetsOf = (rule: TierRule): readonly number[] => {
      if (rule.peers === undefined) return everyClass;
      const targets = new Set<number>();
      for (const peer of rule.peers) {
        if (peer.kind === 'pods' || peer.kind === 'identity' || peer.kind === 'network') for (const c of peerClasses.get(peer.key)!) targets.add(c);
        else if (peer.kind === 'entity' && peer.pods) return everyClass;
      }
      return [...targets];
    };
    // The ports of a rule towards a destination class: one id, unless the rule names ports.
    // (Egress rows take the destination from the target class, ingress columns from the column's own class.)
    const portIds = new Map<TierRule, number>();
    const portsTo = (rule: TierRule, destination: number): number => {
      const fixed = portIds.get(rule);
      if (fixed !== undefined) return fixed;
      const id = pool.id(rulePortSet(rule, this.representative(destination)));
      if (!ruleHasNamedPorts(rule)) portIds.set(rule, id);
      return id;
    };

    // Egress: one row per distinct egress side (null: no policy of any tier applies, everything).
    const sideKey = this.sideKeys();
    const egressRows = new Map<string, Int32Array | null>();
    const egressOf = this.classes.map((c) => {
      const side = this.model.egressSides[c.members[0].index];
      const key = sideKey(side);
      if (!egressRows.has(key)) {
        egressRows.set(key, this.tieredRow(side, Direction.EGRESS, targetsOf, (rule, to) => portsTo(rule, to)));
      }
      return egressRows.get(key)!;
    });

    const pairs = new Int32Array(size * size);
    for (let to = 0; to < size; to++) {
      // Ingress at the destination: what each source class may open to it.
      const side = this.model.ingressSides[this.classes[to].members[0].index];
      const column = this.tieredRow(side, Direction.INGRESS, targetsOf, (rule) => portsTo(rule, to));
      for (let from = 0; from < size; from++) {
        const egress = egressOf[from];
        const out = egress === null ? ConnectionPool.ALL : egress[to];
        pairs[from * size + to] = column === null ? out : pool.intersect(out, column[from]);
      }
    }
    return pairs;
  }
}

/** An address that stands for the whole range (every ipBlock treats the range alike). */
export function addressOf(range: AddressRange): ResolvedEndpoint {
  return { kind: 'ip', family: range.family, value: range.first, text: `ip:${formatIp(range.family, range.first)}` };
}

import { AddressRange } from './address-range';
import { ClusterModel } from './cluster-model';
import { CompiledPolicy, CompiledRule, PodPeer } from './compiled-policy';
import { ConnectionPool } from './connection-pool';
import { Endpoint } from './endpoint';
import { ResolvedEndpoint } from './endpoint-resolver';
import { Direction } from './flow';
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
  /** `pairs[a * size + b]`: the id of the connections from class a to class b. */
  private readonly pairs: Int32Array;

  constructor(private readonly model: ClusterModel, public readonly pool: ConnectionPool) {
    this.classOf = new Int32Array(model.endpoints.length);
    const peerMembers = this.groupEndpoints();
    this.size = this.classes.length;
    this.pairs = this.computePairs(peerMembers);
  }

  /** The id of the connections from every member of class `from` to every other member of class `to`. */
  public pairId(from: number, to: number): number {
    return this.pairs[from * this.size + to];
  }

  /** The id of the connections class `from` may open to the addresses of the range (egress at the source only). */
  public toRangeId(from: number, range: AddressRange): number {
    return this.pool.id(sideConnections(this.model, Direction.EGRESS, this.representative(from), addressOf(range)));
  }

  /** The id of the connections the addresses of the range may open to class `to` (ingress at the destination only). */
  public fromRangeId(to: number, range: AddressRange): number {
    return this.pool.id(sideConnections(this.model, Direction.INGRESS, this.representative(to), addressOf(range)));
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
    for (const policy of model.policies) {
      for (const rule of [...policy.ingress, ...policy.egress]) {
        for (const peer of rule.peers ?? []) {
          if (peer.kind !== 'pods' || peerEndpoints.has(peer.key)) continue;
          const selected = this.selectedBy(peer);
          peerEndpoints.set(peer.key, selected);
          for (const e of selected) peersOfEndpoint[e].push(peerKeys.length);
          peerKeys.push(peer.key);
        }
      }
    }
    const policyIndex = new Map<CompiledPolicy, number>(model.policies.map((p, i) => [p, i]));
    const byKey = new Map<string, number>();
    for (const endpoint of model.endpoints) {
      const i = endpoint.index;
      const named = endpoint.ports.filter((p) => p.name !== undefined).map((p) => `${p.name}/${p.protocol}/${p.port}`).sort();
      const key = [
        model.egressPolicies[i].map((p) => policyIndex.get(p)).join(','),
        model.ingressPolicies[i].map((p) => policyIndex.get(p)).join(','),
        peersOfEndpoint[i].join(','),
        named.join(','),
      ].join('|');
      let index = byKey.get(key);
      if (index === undefined) {
        index = this.classes.length;
        byKey.set(key, index);
        this.classes.push({ index, members: [] });
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

  /** The endpoints a pod peer selects: in the namespaces it selects (its own, by default), those whose labels match. */
  private selectedBy(peer: PodPeer): number[] {
    const model = this.model;
    const namespaces = peer.namespaces
      ? [...model.namespaces.values()].filter((ns) => peer.namespaces!.matchesAll || peer.namespaces!.matches(ns.labels)).map((ns) => ns.name)
      : [peer.ownNamespace];
    const selected: number[] = [];
    for (const namespace of namespaces) {
      for (const endpoint of model.endpointsIn(namespace)) {
        if (peer.pods.matchesAll || peer.pods.matches(endpoint.labels)) selected.push(endpoint.index);
      }
    }
    return selected;
  }

  private computePairs(peerClasses: Map<string, number[]>): Int32Array {
    const size = this.size;
    const pool = this.pool;
    const everyClass = this.classes.map((c) => c.index);
    const targetsOf = (rule: CompiledRule): readonly number[] => {
      if (rule.peers === undefined) return everyClass;
      const targets = new Set<number>();
      for (const peer of rule.peers) {
        if (peer.kind === 'pods') for (const c of peerClasses.get(peer.key)!) targets.add(c);
      }
      return [...targets];
    };
    // The ports of a rule towards a destination class: one id, unless the rule names ports.
    const portIds = new Map<CompiledRule, number>();
    const portsTo = (rule: CompiledRule, destination: number): number => {
      const fixed = portIds.get(rule);
      if (fixed !== undefined) return fixed;
      const id = pool.id(rulePortSet(rule, this.representative(destination)));
      if (!ruleHasNamedPorts(rule)) portIds.set(rule, id);
      return id;
    };

    // Egress: one row per distinct set of egress policies (null: not isolated, everything).
    const egressRows = new Map<string, Int32Array | null>();
    const egressOf = this.classes.map((c) => {
      const policies = this.model.egressPolicies[c.members[0].index];
      const key = policies.map((p) => p.id).join('\n');
      if (!egressRows.has(key)) {
        if (policies.length === 0) {
          egressRows.set(key, null);
        } else {
          const row = new Int32Array(size); // ConnectionPool.EMPTY is 0
          for (const policy of policies) {
            for (const rule of policy.egress) {
              for (const to of targetsOf(rule)) row[to] = pool.union(row[to], portsTo(rule, to));
            }
          }
          egressRows.set(key, row);
        }
      }
      return egressRows.get(key)!;
    });

    const pairs = new Int32Array(size * size);
    for (let to = 0; to < size; to++) {
      // Ingress at the destination: what each source class may open to it.
      const policies = this.model.ingressPolicies[this.classes[to].members[0].index];
      let column: Int32Array | null = null;
      if (policies.length > 0) {
        column = new Int32Array(size);
        for (const policy of policies) {
          for (const rule of policy.ingress) {
            const ports = portsTo(rule, to);
            if (ports === ConnectionPool.EMPTY) continue;
            for (const from of targetsOf(rule)) column[from] = pool.union(column[from], ports);
          }
        }
      }
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

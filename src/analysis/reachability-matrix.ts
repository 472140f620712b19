import { Protocol } from '../protocol';
import { Bitset } from './bitset';
import { ClusterModel } from './cluster-model';
import { CompiledPeer, CompiledPolicy, CompiledRule } from './compiled-policy';
import { ConnectionPool } from './connection-pool';
import { ConnectivityEngine } from './connectivity-engine';
import { Endpoint } from './endpoint';
import { ResolvedEndpoint } from './endpoint-resolver';
import { numberedPortMatches, portMatches, rulePortsMatch } from './matching';

/**
 * Every endpoint-to-endpoint verdict for one port and protocol, computed with
 * bitsets instead of flow by flow: the set each peer selects is computed once
 * (shared by equal peers of different policies), the destinations each policy
 * lets a pod reach once per policy, and the sources each pod accepts once per
 * pod. Row `s` holds the destinations `s` can reach.
 */
export class ReachabilityMatrix {
  /** Computes the matrix for `port`/`protocol` over every endpoint of the model. */
  public static compute(model: ClusterModel, port: number, protocol: Protocol): ReachabilityMatrix {
    return new ReachabilityMatrix(model, port, protocol);
  }

  /** `rows[s]`: the destinations endpoint `s` may open a connection to. */
  public readonly rows: Bitset[];
  private readonly size: number;
  private readonly all: Bitset;
  private readonly none: Bitset;
  private readonly peerSets = new Map<string, Bitset>();

  private constructor(private readonly model: ClusterModel, private readonly port: number, private readonly protocol: Protocol) {
    this.size = model.endpoints.length;
    this.all = Bitset.full(this.size);
    this.none = new Bitset(this.size);
    if (model.tierPolicies.length > model.policies.length || model.clusterPolicies.length > 0) {
      // Cilium policies (identities, entities, deny rules) or cluster policies (tiers): read the rows off the exact connection sets.
      this.rows = this.rowsFromConnections();
      return;
    }
    const egress = this.egressRows();
    const ingressSources = this.ingressColumns();
    // rows[s] = egress[s] AND (s is in ingressSources[d]) for each d: transpose the ingress side.
    const accepted = model.endpoints.map(() => new Bitset(this.size));
    ingressSources.forEach((sources, d) => sources.forEach((s) => accepted[s].add(d)));
    this.rows = egress.map((row, s) => {
      const result = row.and(accepted[s]);
      // A single Pod talking to itself is loopback: never restricted.
      if (model.endpoints[s].isPod) result.add(s);
      return result;
    });
  }

  private rowsFromConnections(): Bitset[] {
    const engine = new ConnectivityEngine(this.model, new ConnectionPool());
    const allows = new Map<number, boolean>();
    const allowed = (id: number) => {
      let answer = allows.get(id);
      if (answer === undefined) allows.set(id, (answer = engine.pool.set(id).allows(this.port, this.protocol)));
      return answer;
    };
    return this.model.endpoints.map((from) => {
      const row = new Bitset(this.size);
      for (const to of this.model.endpoints) {
        if ((from === to && from.isPod) || allowed(engine.pairId(engine.classOf[from.index], engine.classOf[to.index]))) row.add(to.index);
      }
      return row;
    });
  }

  public isAllowed(from: number, to: number): boolean {
    return this.rows[from].has(to);
  }

  /** The number of allowed ordered pairs. */
  public countAllowed(): number {
    return this.rows.reduce((total, row) => total + row.count(), 0);
  }

  private egressRows(): Bitset[] {
    const perPolicy = new Map<CompiledPolicy, Bitset>();
    return this.model.endpoints.map((endpoint) => {
      const policies = this.model.egressPolicies[endpoint.index];
      if (policies.length === 0) return this.all;
      const row = new Bitset(this.size);
      for (const policy of policies) {
        let reach = perPolicy.get(policy);
        if (!reach) {
          reach = new Bitset(this.size);
          for (const rule of policy.egress) reach.orAnd(this.peersOf(rule), this.destinationsMatchingPorts(rule));
          perPolicy.set(policy, reach);
        }
        row.or(reach);
      }
      return row;
    });
  }

  private ingressColumns(): Bitset[] {
    return this.model.endpoints.map((endpoint) => {
      const policies = this.model.ingressPolicies[endpoint.index];
      if (policies.length === 0) return this.all;
      const destination: ResolvedEndpoint = { kind: 'endpoint', endpoint, text: endpoint.displayName };
      const sources = new Bitset(this.size);
      for (const policy of policies) {
        for (const rule of policy.ingress) {
          if (rulePortsMatch(rule, this.port, this.protocol, destination)) sources.or(this.peersOf(rule));
        }
      }
      return sources;
    });
  }

  /** The endpoints a rule's peers select (absent peers: everyone). */
  private peersOf(rule: CompiledRule): Bitset {
    if (rule.peers === undefined) return this.all;
    if (rule.peers.length === 1) return this.peerSet(rule.peers[0]);
    const union = new Bitset(this.size);
    for (const peer of rule.peers) union.or(this.peerSet(peer));
    return union;
  }

  private peerSet(peer: CompiledPeer): Bitset {
    if (peer.kind === 'ip') return this.none;
    let set = this.peerSets.get(peer.key);
    if (set) return set;
    set = new Bitset(this.size);
    const namespaces = peer.namespaces
      ? [...this.model.namespaces.values()].filter((ns) => peer.namespaces!.matches(ns.labels)).map((ns) => ns.name)
      : [peer.ownNamespace];
    for (const namespace of namespaces) {
      for (const endpoint of this.model.endpointsIn(namespace)) {
        if (peer.pods.matches(endpoint.labels)) set.add(endpoint.index);
      }
    }
    this.peerSets.set(peer.key, set);
    return set;
  }

  /** The destinations for which some port entry of an egress rule matches (named ports depend on the destination). */
  private destinationsMatchingPorts(rule: CompiledRule): Bitset {
    if (rule.ports === undefined) return this.all;
    const named = new Bitset(this.size);
    for (const entry of rule.ports) {
      if (entry.protocol !== this.protocol) continue;
      if (entry.name === undefined) {
        if (numberedPortMatches(entry, this.port)) return this.all;
        continue;
      }
      this.model.endpoints.forEach((endpoint: Endpoint) => {
        if (portMatches(entry, this.port, this.protocol, { kind: 'endpoint', endpoint, text: endpoint.displayName })) named.add(endpoint.index);
      });
    }
    return named;
  }
}

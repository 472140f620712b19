import { clusterDnsEndpoints, isClusterDns } from './cluster-dns';
import { AddressRange } from '../analysis/address-range';
import { ClusterModel } from '../analysis/cluster-model';
import { compareText } from '../analysis/compare-text';
import { ConnectionPool } from '../analysis/connection-pool';
import { ConnectionSet } from '../analysis/connection-set';
import { addressSegments, ipBlockEdges, mergeSegments } from '../analysis/connectivity';
import { ConnectivityEngine } from '../analysis/connectivity-engine';
import { Endpoint } from '../analysis/endpoint';
import { ResolvedEndpoint } from '../analysis/endpoint-resolver';
import { FlowPort } from '../analysis/flow-port';
import { describeWithHttpLimits, httpLimitsOf, modelHasHttpRules } from '../analysis/l7-rules';
import { namePairs } from '../analysis/name-connections';
import { pairConnections } from '../analysis/pair-connections';
import { sortPorts } from '../analysis/port-inventory';
import { formatIp } from '../validation/cidr';

/** What a node stands for. */
export type FlowNodeKind = 'workload' | 'dns' | 'address-range' | 'dns-name';

/** A node of the flow graph: a pod or workload, cluster DNS, a range of addresses outside the cluster, or a DNS name (Cilium). */
export interface FlowNode {
  /** Letters, digits and underscores only, derived from what the node stands for: stable across runs and inputs. */
  readonly id: string;
  /** What the node stands for, which decides its shape. */
  readonly kind: FlowNodeKind;
  /** `<namespace>/<name>` for a pod or workload (as in flows); the range (`10.0.0.0/8`, `0.0.0.0-9.255.255.255`). */
  readonly name: string;
  /** The text to show: the name without its namespace, or the range. */
  readonly label: string;
  /** The namespace; undefined outside the cluster. */
  readonly namespace?: string;
  /** For the cluster DNS stand-in, which the manifests do not contain. */
  readonly synthetic: boolean;
}

/** Connections `from` may open to `to`: every allowed connection of the pair on one edge. */
export interface FlowEdge {
  /** The id of the node that opens the connections. */
  readonly from: string;
  /** The id of the node that accepts them. */
  readonly to: string;
  /** Exactly what the pair allows (within the ports the graph is restricted to); never empty. */
  readonly connections: ConnectionSet;
  /**
   * The connections, written as `ConnectionSet.toString()`: `TCP 8080, UDP 53`, `all connections`; between pods
   * whose requests Cilium HTTP rules limit, with the limits: `TCP 8080 (HTTP GET /public)`.
   */
  readonly label: string;
}

/** Nodes in one namespace, or outside the cluster. */
export interface FlowGroup {
  /** Undefined for the nodes outside the cluster. */
  readonly namespace?: string;
  /** Pods and workloads by name; address ranges by family, then address. */
  readonly nodes: readonly FlowNode[];
}

/** The allowed flows of a cluster, for drawing. */
export interface FlowGraph {
  /** Namespaces by name, then the nodes outside the cluster. */
  readonly groups: readonly FlowGroup[];
  /** Every node, in group order. */
  readonly nodes: readonly FlowNode[];
  /** By source, then destination, in node order. */
  readonly edges: readonly FlowEdge[];
  /** The ports every edge is restricted to, by protocol then number; undefined when edges show every connection. */
  readonly restrictedTo?: readonly FlowPort[];
}

/** The id of the cluster DNS stand-in, when the manifests contain no DNS pods. */
export const SYNTHETIC_DNS_ID = 'cluster_dns';

/**
 * The flows the NetworkPolicies allow, as a graph: pods and workloads grouped
 * by namespace; cluster DNS (the manifests' kube-dns pods, or a stand-in
 * that only receives edges, since its own policies are unknown); and the
 * addresses outside the cluster as ranges: the coarsest split of both address
 * spaces on which every pod and workload is allowed the same connections to
 * and from outside, so every address is in exactly one node and none is
 * sampled. Each edge carries the exact set of connections of its pair.
 *
 * @param ports when given, every edge is restricted to these ports (and the
 * address ranges split only where that restricted view differs)
 */
export function buildFlowGraph(model: ClusterModel, ports?: readonly FlowPort[]): FlowGraph {
  return new FlowGraphBuilder(model, ports).build();
}

class FlowGraphBuilder {
  private readonly engine: ConnectivityEngine;
  private readonly pool: ConnectionPool;
  private readonly restrictedTo?: FlowPort[];
  /** The id of the union of the ports the edges are restricted to; undefined when they are not. */
  private readonly limit?: number;
  private readonly edges: FlowEdge[] = [];
  /** Whether any policy has HTTP rules: only then are edge labels worth the look-up. */
  private readonly hasHttpRules: boolean;

  constructor(private readonly model: ClusterModel, ports: readonly FlowPort[] | undefined) {
    this.pool = new ConnectionPool();
    this.engine = new ConnectivityEngine(model, this.pool);
    this.hasHttpRules = modelHasHttpRules(model);
    if (ports !== undefined) {
      this.restrictedTo = sortPorts(ports);
      this.limit = this.pool.id(ports.reduce((set, p) => set.union(ConnectionSet.ports(p.protocol, p.port)), ConnectionSet.none()));
    }
  }

  public build(): FlowGraph {
    const synthetic = clusterDnsEndpoints(this.model).filter((e) => e.index < 0);
    const endpoints = [...this.model.endpoints, ...synthetic]
      .sort((a, b) => compareText(a.namespace, b.namespace) || compareText(a.displayName, b.displayName));
    const nodeOf = new Map<Endpoint, FlowNode>(endpoints.map((e) => [e, endpointNode(e)]));
    const workloads = endpoints.filter((e) => e.index >= 0);

    for (const source of workloads) {
      for (const destination of workloads) {
        // Loopback, which NetworkPolicy never restricts, is not a flow worth drawing.
        if (source === destination && source.isPod) continue;
        const id = this.engine.pairId(this.engine.classOf[source.index], this.engine.classOf[destination.index]);
        this.addEdge(nodeOf.get(source)!, nodeOf.get(destination)!, id, source, destination);
      }
      // The stand-in's namespace policies are unknown: the source's egress decides, and on the
      // stand-in's side only the Admin tier, which is cluster-wide (ClusterModel.sideOf).
      for (const dns of synthetic) {
        this.addEdge(nodeOf.get(source)!, nodeOf.get(dns)!, this.pool.id(pairConnections(this.model, wrap(source), wrap(dns))));
      }
    }
    const outside = [...this.outsideEdges(workloads, nodeOf), ...this.nameEdges(nodeOf)];

    const groups: FlowGroup[] = [];
    for (const e of endpoints) {
      const last = groups[groups.length - 1];
      if (last?.namespace === e.namespace) (last.nodes as FlowNode[]).push(nodeOf.get(e)!);
      else groups.push({ namespace: e.namespace, nodes: [nodeOf.get(e)!] });
    }
    if (outside.length > 0) groups.push({ nodes: outside });
    const nodes = groups.flatMap((g) => g.nodes);
    const order = new Map(nodes.map((n, i) => [n.id, i]));
    const edges = this.edges.sort((a, b) => order.get(a.from)! - order.get(b.from)! || order.get(a.to)! - order.get(b.to)!);
    return { groups, nodes, edges, restrictedTo: this.restrictedTo };
  }

  /**
   * Edges to and from the address ranges: the segments on which every
   * ipBlock is uniform, merged where every endpoint class is allowed the
   * same (restricted) connections both ways. Returns the ranges with an edge.
   */
  private outsideEdges(workloads: readonly Endpoint[], nodeOf: ReadonlyMap<Endpoint, FlowNode>): FlowNode[] {
    const segments = addressSegments(ipBlockEdges(this.model));
    const classes = this.engine.classes.map((c) => c.index);
    const egress = classes.map((c) => segments.map((s) => this.restrict(this.engine.toRangeId(c, s))));
    const ingress = classes.map((c) => segments.map((s) => this.restrict(this.engine.fromRangeId(c, s))));
    const signature = segments.map((_, i) => classes.map((c) => `${egress[c][i]}/${ingress[c][i]}`).join(','));
    const runs = mergeSegments(segments, segments.map((_, i) => i), (a, b) => signature[a] === signature[b], () => true);
    const used: FlowNode[] = [];
    for (const run of runs) {
      const node = rangeNode(run.range);
      const before = this.edges.length;
      for (const workload of workloads) {
        const c = this.engine.classOf[workload.index];
        this.addEdge(nodeOf.get(workload)!, node, egress[c][run.value]);
        this.addEdge(node, nodeOf.get(workload)!, ingress[c][run.value]);
      }
      if (this.edges.length > before) used.push(node);
    }
    return used;
  }

  /**
   * A node per DNS name the pods' egress names (Cilium toFQDNs matchName),
   * with an edge from each pod to what it may open to the name's addresses,
   * whichever they are (as `list` shows them). Returns the names with an edge.
   */
  private nameEdges(nodeOf: ReadonlyMap<Endpoint, FlowNode>): FlowNode[] {
    const byName = new Map<string, FlowNode>();
    const byDisplayName = new Map([...nodeOf.entries()].map(([e, n]) => [e.displayName, n]));
    for (const pair of namePairs(this.model)) {
      const node: FlowNode = byName.get(pair.to) ?? { id: `n_${escapeId(pair.to)}`, kind: 'dns-name', name: pair.to, label: pair.to, synthetic: false };
      const before = this.edges.length;
      this.addEdge(byDisplayName.get(pair.from)!, node, this.pool.id(pair.allowed));
      if (this.edges.length > before) byName.set(pair.to, node);
    }
    return [...byName.values()].sort((a, b) => compareText(a.name, b.name));
  }

  /** The id of the connections within the ports the graph is restricted to. */
  private restrict(id: number): number {
    return this.limit === undefined ? id : this.pool.intersect(id, this.limit);
  }

  /** An edge, labelled with its connections and, between pods with Cilium HTTP rules, the requests they limit. */
  private addEdge(from: FlowNode, to: FlowNode, id: number, source?: Endpoint, destination?: Endpoint): void {
    const restricted = this.restrict(id);
    if (restricted === ConnectionPool.EMPTY) return;
    const connections = this.pool.set(restricted);
    const limits = source && destination && this.hasHttpRules ? httpLimitsOf(this.model, wrap(source), wrap(destination), connections) : [];
    this.edges.push({ from: from.id, to: to.id, connections, label: describeWithHttpLimits(connections, limits) });
  }
}

function endpointNode(endpoint: Endpoint): FlowNode {
  const short = endpoint.displayName.slice(endpoint.namespace.length + 1);
  if (endpoint.index < 0) {
    return { id: SYNTHETIC_DNS_ID, kind: 'dns', name: endpoint.displayName, label: `${short} (cluster DNS, not in the manifests)`, namespace: endpoint.namespace, synthetic: true };
  }
  const dns = isClusterDns(endpoint);
  return {
    id: `w_${escapeId(endpoint.id)}`,
    kind: dns ? 'dns' : 'workload',
    name: endpoint.displayName,
    label: dns ? `${short} (cluster DNS)` : short,
    namespace: endpoint.namespace,
    synthetic: false,
  };
}

/**
 * `ip_` then the range's text with `.` and `:` written `_`, `/` written `m`
 * and `-` written `_to_`: `ip_10_0_0_0m8`, `ip_0_0_0_0_to_9_255_255_255`.
 * One-to-one: neither `m` nor `t` is a hex digit, and an IPv4 address has
 * three separators and never two in a row, which an IPv6 one always has
 * more of or contains (`::`).
 */
function rangeId(text: string): string {
  return `ip_${text.replace(/[.:]/g, '_').replace('/', 'm').replace('-', '_to_')}`;
}

function rangeNode(range: AddressRange): FlowNode {
  const text = describeRange(range);
  return { id: rangeId(text), kind: 'address-range', name: text, label: text, synthetic: false };
}

/** The CIDR when the range is exactly one (`10.0.0.0/8`, `::/0`), else `<first>-<last>`. */
export function describeRange(range: AddressRange): string {
  const bits = range.family === 4 ? 32 : 128;
  const size = (range.last - range.first + 1n).toString(2);
  const first = formatIp(range.family, range.first);
  // A CIDR: a power of two addresses (a one then zeros, in binary), starting on a multiple of its size.
  if (/^10*$/.test(size) && range.first % BigInt(`0b${size}`) === 0n) {
    return `${first}/${bits - (size.length - 1)}`;
  }
  return `${first}-${formatIp(range.family, range.last)}`;
}

/**
 * Keeps ASCII letters and digits and writes any other character as `_<hex>_`:
 * one-to-one (so ids never collide), and valid in Mermaid and DOT.
 */
export function escapeId(text: string): string {
  return text.replace(/[^A-Za-z0-9]/gu, (c) => `_${c.codePointAt(0)!.toString(16)}_`);
}

function wrap(endpoint: Endpoint): ResolvedEndpoint {
  return { kind: 'endpoint', endpoint, text: endpoint.displayName };
}

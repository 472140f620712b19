import { clusterDnsEndpoints, isClusterDns } from './cluster-dns';
import { ipBlocksNamedBy, NamedIpBlock } from './ip-blocks';
import { ClusterModel } from '../analysis/cluster-model';
import { CompiledRule, rulesOf } from '../analysis/compiled-policy';
import { Endpoint } from '../analysis/endpoint';
import { ResolvedEndpoint } from '../analysis/endpoint-resolver';
import { Evaluator } from '../analysis/evaluator';
import { Direction } from '../analysis/flow';
import { FlowPort } from '../analysis/flow-port';
import { rulePeersMatch, rulePortsMatch } from '../analysis/matching';
import { portsNamedBy, sortPorts } from '../analysis/port-inventory';
import { ReachabilityMatrix } from '../analysis/reachability-matrix';
import { compareText } from '../internal/compare-text';
import { formatIp } from '../validation/cidr';

/** What a node stands for. */
export type FlowNodeKind = 'workload' | 'dns' | 'ip-block' | 'any-address';

/** A node of the flow graph: a pod or workload, cluster DNS, an ipBlock, or every address. */
export interface FlowNode {
  /** Letters, digits and underscores only, derived from what the node stands for: stable across runs and inputs. */
  readonly id: string;
  /** What the node stands for, which decides its shape. */
  readonly kind: FlowNodeKind;
  /** `<namespace>/<name>` for a pod or workload (as in flows); the ipBlock; `any address`. */
  readonly name: string;
  /** The text to show: the name without its namespace, the ipBlock, `any address`. */
  readonly label: string;
  /** The namespace; undefined outside the cluster. */
  readonly namespace?: string;
  /** For the cluster DNS stand-in, which the manifests do not contain. */
  readonly synthetic: boolean;
}

/** Connections `from` may open to `to`: every allowed port of the pair on one edge. */
export interface FlowEdge {
  /** The id of the node that opens the connections. */
  readonly from: string;
  /** The id of the node that accepts them. */
  readonly to: string;
  /** Every port of every protocol is allowed: both sides allow the pair without a port list. */
  readonly allPorts: boolean;
  /**
   * The checked ports allowed on this edge, by protocol then number; for an
   * ipBlock, without those the edge to or from `any address` already shows.
   */
  readonly ports: readonly FlowPort[];
  /** `all ports`, or the ports, e.g. `TCP 8080, UDP 53`. */
  readonly label: string;
}

/** Nodes in one namespace, or outside the cluster. */
export interface FlowGroup {
  /** Undefined for the nodes outside the cluster. */
  readonly namespace?: string;
  /** Sorted by name. */
  readonly nodes: readonly FlowNode[];
}

/** The allowed flows of a cluster, for drawing. */
export interface FlowGraph {
  /** Namespaces by name, then the nodes outside the cluster; nodes by name. */
  readonly groups: readonly FlowGroup[];
  /** Every node, in group order. */
  readonly nodes: readonly FlowNode[];
  /** By source, then destination, in node order. */
  readonly edges: readonly FlowEdge[];
  /** The ports whose verdicts the edges show. */
  readonly ports: readonly FlowPort[];
}

/** The id of the node standing for every address outside the cluster. */
export const ANY_ADDRESS_ID = 'any_address';
/** The id of the cluster DNS stand-in, when the manifests contain no DNS pods. */
export const SYNTHETIC_DNS_ID = 'cluster_dns';

/** `everyone`: the peer of a rule without `from`/`to`, which alone covers every address. */
const EVERY_ADDRESS = 'every address';
type Counterpart = ResolvedEndpoint | typeof EVERY_ADDRESS;
/** Stands for an address outside the cluster where only "is it a pod?" matters (named ports never match one). */
const SOME_ADDRESS: ResolvedEndpoint = { kind: 'ip', family: 4, value: 0n, text: EVERY_ADDRESS };

/**
 * The flows the NetworkPolicies allow, as a graph: pods and workloads grouped
 * by namespace; cluster DNS (the manifests' kube-dns pods, or a stand-in
 * that only receives edges, since its own policies are unknown); each
 * distinct ipBlock of the policies, judged by one address that stands for
 * it; and `any address`, so that a pod free to reach (or be reached from)
 * every address is one edge, not one per ipBlock.
 *
 * @param ports the ports to check; by default every port a container
 * declares or a policy names, and the DNS ports
 */
export function buildFlowGraph(model: ClusterModel, ports?: readonly FlowPort[]): FlowGraph {
  return new FlowGraphBuilder(model, ports).build();
}

class FlowGraphBuilder {
  private readonly evaluator: Evaluator;
  private readonly dns: Endpoint[];
  private readonly ports: readonly FlowPort[];
  private readonly edges: FlowEdge[] = [];

  constructor(private readonly model: ClusterModel, ports: readonly FlowPort[] | undefined) {
    this.evaluator = new Evaluator(model);
    this.dns = clusterDnsEndpoints(model);
    this.ports = ports ?? uniquePorts([...portsNamedBy(model), ...this.dns.flatMap((e) => e.ports)]);
  }

  public build(): FlowGraph {
    const synthetic = this.dns.filter((e) => e.index < 0);
    const endpoints = [...this.model.endpoints, ...synthetic]
      .sort((a, b) => compareText(a.namespace, b.namespace) || compareText(a.displayName, b.displayName));
    const nodeOf = new Map<Endpoint, FlowNode>(endpoints.map((e) => [e, endpointNode(e)]));
    const workloads = endpoints.filter((e) => e.index >= 0);

    this.podEdges(workloads, nodeOf);
    for (const source of workloads.map(wrap)) {
      for (const dns of synthetic) {
        const to = wrap(dns);
        this.addEdge(nodeOf.get(source.endpoint)!, nodeOf.get(dns)!, this.pairPorts(source, to), [], this.everyPort(source, to));
      }
    }
    const outside = this.outsideEdges(workloads, nodeOf);

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
    return { groups, nodes, edges, ports: this.ports };
  }

  /** Pod to pod, with one bitset matrix per port rather than flow by flow. */
  private podEdges(workloads: readonly Endpoint[], nodeOf: ReadonlyMap<Endpoint, FlowNode>): void {
    const matrices = this.ports.map((p) => ReachabilityMatrix.compute(this.model, p.port, p.protocol));
    for (const source of workloads) {
      for (const destination of workloads) {
        // Loopback, which NetworkPolicy never restricts, is not a flow worth drawing.
        if (source === destination && source.isPod) continue;
        const allowed = this.ports.filter((_, i) => matrices[i].isAllowed(source.index, destination.index));
        const all = allowed.length === this.ports.length && this.everyPort(wrap(source), wrap(destination));
        this.addEdge(nodeOf.get(source)!, nodeOf.get(destination)!, allowed, [], all);
      }
    }
  }

  /** Edges to and from `any address` and the ipBlocks; returns the nodes that have some. */
  private outsideEdges(workloads: readonly Endpoint[], nodeOf: ReadonlyMap<Endpoint, FlowNode>): FlowNode[] {
    const any: FlowNode = { id: ANY_ADDRESS_ID, kind: 'any-address', name: 'any address', label: 'any address', synthetic: false };
    const blocks = ipBlocksNamedBy(this.model).map((block) => ({
      node: { id: ipBlockId(block), kind: 'ip-block', name: block.text, label: block.text, synthetic: false } as FlowNode,
      address: block.representative && ipEndpoint(block.representative.family, block.representative.value),
    }));
    for (const workload of workloads) {
      const node = nodeOf.get(workload)!;
      const self = wrap(workload);
      for (const direction of [Direction.EGRESS, Direction.INGRESS]) {
        const ends = (outsider: FlowNode): [FlowNode, FlowNode] => (direction === Direction.EGRESS ? [node, outsider] : [outsider, node]);
        const anyAll = this.sideAllows(direction, self, EVERY_ADDRESS);
        const anyPorts = anyAll ? this.ports : this.ports.filter((p) => this.sideAllows(direction, self, EVERY_ADDRESS, p));
        this.addEdge(...ends(any), anyPorts, [], anyAll);
        // Every ipBlock is inside "any address": drawing them too would repeat the edge.
        if (anyAll) continue;
        for (const block of blocks) {
          if (!block.address) continue;
          const [source, destination] = direction === Direction.EGRESS ? [self, block.address] : [block.address, self];
          this.addEdge(...ends(block.node), this.pairPorts(source, destination), anyPorts, this.everyPort(source, destination));
        }
      }
    }
    const used = new Set(this.edges.flatMap((e) => [e.from, e.to]));
    return [any, ...blocks.map((b) => b.node)].filter((n) => used.has(n.id));
  }

  private addEdge(from: FlowNode, to: FlowNode, allowed: readonly FlowPort[], shownElsewhere: readonly FlowPort[], allPorts: boolean): void {
    const ports = allowed.filter((p) => !shownElsewhere.includes(p));
    if (ports.length === 0 && !allPorts) return;
    const label = allPorts ? 'all ports' : ports.map((p) => `${p.protocol} ${p.port}`).join(', ');
    this.edges.push({ from: from.id, to: to.id, allPorts, ports, label });
  }

  /** The checked ports allowed from `from` to `to`, judged by the analyzer. */
  private pairPorts(from: ResolvedEndpoint, to: ResolvedEndpoint): FlowPort[] {
    return this.ports.filter((p) => this.evaluator.isAllowed({ from, to, port: p.port, protocol: p.protocol }));
  }

  /** Both sides allow the pair on every port: not isolated, or a rule without `ports` whose peers match. */
  private everyPort(from: ResolvedEndpoint, to: ResolvedEndpoint): boolean {
    return this.sideAllows(Direction.EGRESS, from, to) && this.sideAllows(Direction.INGRESS, to, from);
  }

  /**
   * Whether one side allows traffic with `other`, on `port` or (undefined) on
   * every port. The evaluator judges one address; "every address" is a
   * question about rules, answered here: only a rule without peers covers it.
   */
  private sideAllows(direction: Direction, self: ResolvedEndpoint, other: Counterpart, port?: FlowPort): boolean {
    if (self.kind !== 'endpoint') return true;
    const policies = this.model.policiesFor(self.endpoint, direction);
    if (policies.length === 0) return true;
    const destination = direction === Direction.EGRESS ? (other === EVERY_ADDRESS ? SOME_ADDRESS : other) : self;
    const peersMatch = (rule: CompiledRule) => (other === EVERY_ADDRESS ? rule.peers === undefined : rulePeersMatch(this.model, rule, other));
    const portsMatch = (rule: CompiledRule) =>
      (port === undefined ? rule.ports === undefined : rulePortsMatch(rule, port.port, port.protocol, destination));
    return policies.some((policy) => rulesOf(policy, direction).some((rule) => portsMatch(rule) && peersMatch(rule)));
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
 * Keeps ASCII letters and digits and writes any other character as `_<hex>_`:
 * one-to-one (so ids never collide), and valid in Mermaid and DOT.
 */
export function escapeId(text: string): string {
  return text.replace(/[^A-Za-z0-9]/gu, (c) => `_${c.codePointAt(0)!.toString(16)}_`);
}

/**
 * `ip_` then the CIDR and its excepts, with `.` and `:` written `_` and `/`
 * written `m`: `ip_0_0_0_0m0_10_0_0_0m8` for 0.0.0.0/0 except 10.0.0.0/8.
 * One-to-one on canonical CIDRs: the prefix ends each one, and only IPv6 has
 * other than four groups.
 */
function ipBlockId(block: NamedIpBlock): string {
  return `ip_${[block.cidr, ...block.except].map((c) => c.text.replace(/[.:]/g, '_').replace('/', 'm')).join('_')}`;
}

function wrap(endpoint: Endpoint): ResolvedEndpoint & { kind: 'endpoint' } {
  return { kind: 'endpoint', endpoint, text: endpoint.displayName };
}

function ipEndpoint(family: 4 | 6, value: bigint): ResolvedEndpoint {
  return { kind: 'ip', family, value, text: `ip:${formatIp(family, value)}` };
}

function uniquePorts(ports: readonly FlowPort[]): FlowPort[] {
  const byKey = new Map(ports.map((p) => [`${p.protocol}/${p.port}`, { port: p.port, protocol: p.protocol }]));
  return sortPorts([...byKey.values()]);
}


import type { App, Chart } from 'cdk8s';
import { Protocol } from '../protocol';
import { ClusterModel } from './cluster-model';
import { ConnectionPair } from './connection-pair';
import { ConnectionPool } from './connection-pool';
import { ConnectionSet } from './connection-set';
import { listConnectivity } from './connectivity';
import { ConnectivityEngine } from './connectivity-engine';
import { lookUpName } from './dns-visibility';
import { EndpointResolver, ResolvedEndpoint } from './endpoint-resolver';
import { ResolvedFlow, Evaluator, flowProtocol } from './evaluator';
import { explainConnections } from './explain-connections';
import { FlowExplanation } from './explanation';
import { Flow, HttpRequest, IcmpVersion } from './flow';
import { dnsNameProblem, ECHO_REQUEST, httpRequestOf, httpRequestProblem, icmpTypeProblem, isIcmpVersion } from './flow-fields';
import { FlowPort } from './flow-port';
import { AnalyzerFromFilesOptions } from './from-files-options';
import { AnalysisInputError } from './input-error';
import { loadManifestFiles } from './load-files';
import { flattenLists, ManifestObject } from './manifest-object';
import { Traffic } from './matching';
import { isLoopbackPair, pairConnections } from './pair-connections';
import { portsNamedBy } from './port-inventory';
import { ReachabilityTable } from './reachability-table';
import { readLimits } from './read-limits';
import { Expectation, ExpectationResult, VerificationReport } from './verification';
import { escapeTerminal } from '../text/escape';
import { isProtocol, portNumberProblem } from '../validation/ports';

/**
 * A pod or workload the analyzer knows, as seen in the manifests.
 */
export interface EndpointInfo {
  /** `<namespace>/<name>`, or `<namespace>/<kind>/<name>` when the name alone is ambiguous. */
  readonly name: string;
  /** `<namespace>/<kind>/<name>`, unique. */
  readonly id: string;
  /** The namespace. */
  readonly namespace: string;
  /** The object's kind: Pod, Deployment, StatefulSet... */
  readonly kind: string;
  /** The pod labels (the pod template's, for a workload). */
  readonly labels: { [key: string]: string };
}

/**
 * Answers "can A reach B on port P, and why?" for a set of Kubernetes manifests,
 * exactly as the NetworkPolicy specification says, without a cluster.
 *
 * Workloads stand for the pods their template creates; namespaces always carry
 * `kubernetes.io/metadata.name`; NetworkPolicies are validated with the API
 * server's rules, and invalid input fails with the file, object, field and value.
 *
 * @example
 * const analyzer = Analyzer.fromChart(chart);
 * analyzer.isAllowed({ from: 'shop/frontend', to: 'shop/api', port: 8080 });
 */
export class Analyzer {
  /**
   * Analyzes plain Kubernetes objects, e.g. the output of `Testing.synth(chart)`.
   * `List` kinds are flattened; kinds that neither run pods nor are NetworkPolicies are ignored.
   */
  public static fromManifests(manifests: any[]): Analyzer {
    if (!Array.isArray(manifests)) {
      throw new AnalysisInputError(`Analyzer.fromManifests expects an array of Kubernetes objects, got ${describeArgument(manifests)}.`);
    }
    return new Analyzer(manifests.flatMap((object, i) => flattenLists({ object, origin: `manifest #${i + 1}` })));
  }

  /**
   * Analyzes YAML or JSON manifest files; folders are read recursively for
   * `*.yaml`, `*.yml` and `*.json`. Only regular files are read (never a FIFO
   * or a device), each within `options.maxFileSize`.
   * @param paths files and folders: a list, even of one
   * @param options limits on what is read
   */
  public static fromFiles(paths: string[], options: AnalyzerFromFilesOptions = {}): Analyzer {
    if (!Array.isArray(paths) || paths.some((p) => typeof p !== 'string')) {
      throw new AnalysisInputError(`Analyzer.fromFiles expects an array of file or folder paths (strings), got ${describeArgument(paths)}.`);
    }
    const maxFileSize = options?.maxFileSize;
    if (maxFileSize !== undefined && !(Number.isSafeInteger(maxFileSize) && maxFileSize >= 1)) {
      throw new AnalysisInputError(`Analyzer.fromFiles: maxFileSize must be a whole number of bytes, at least 1, got ${describeArgument(maxFileSize)}.`);
    }
    return new Analyzer(loadManifestFiles(paths, readLimits(maxFileSize)));
  }

  /** Analyzes what a cdk8s Chart synthesizes (running its validations). */
  public static fromChart(chart: Chart): Analyzer {
    if (typeof (chart as { toJson?: unknown } | null)?.toJson !== 'function') {
      throw new AnalysisInputError(`Analyzer.fromChart expects a cdk8s Chart, got ${describeArgument(chart)}.`);
    }
    return new Analyzer(objectsOf(chart));
  }

  /** Analyzes what every Chart of a cdk8s App synthesizes (running their validations). */
  public static fromApp(app: App): Analyzer {
    if (!Array.isArray((app as { charts?: unknown } | null)?.charts)) {
      throw new AnalysisInputError(`Analyzer.fromApp expects a cdk8s App, got ${describeArgument(app)}.`);
    }
    return new Analyzer(app.charts.flatMap(objectsOf));
  }

  /**
   * Analyzes objects that already carry their origin (used by `NetpolChecks`,
   * which names each object by its construct path).
   * @internal
   */
  public static _fromEntries(entries: ManifestObject[]): Analyzer {
    return new Analyzer(entries);
  }

  /** @internal */
  public readonly _model: ClusterModel;
  private readonly resolver: EndpointResolver;
  private readonly evaluator: Evaluator;
  private engine?: ConnectivityEngine;

  private constructor(entries: ManifestObject[]) {
    this._model = ClusterModel.build(entries);
    this.resolver = new EndpointResolver(this._model);
    this.evaluator = new Evaluator(this._model);
  }

  /** Notes about the input that did not stop the analysis (e.g. a NetworkPolicy of another API group, which is not analyzed). */
  public get warnings(): string[] {
    return [...this._model.warnings];
  }

  /** The pods and workloads, in input order. */
  public get endpoints(): EndpointInfo[] {
    return this._model.endpoints.map((e) => ({ name: e.displayName, id: e.id, namespace: e.namespace, kind: e.kind, labels: { ...e.labels } }));
  }

  /** The namespaces: declared by a Namespace object, or used by an object. */
  public get namespaces(): string[] {
    return [...this._model.namespaces.keys()];
  }

  /** Objects of kinds the analyzer does not use (Service, ConfigMap...), counted by kind. */
  public get ignoredKinds(): { [kind: string]: number } {
    // Without a prototype: a kind named `constructor` or `toString` finds only its own count.
    return Object.assign(Object.create(null), Object.fromEntries(this._model.summary.ignoredKinds));
  }

  /**
   * The policies: NetworkPolicies as `<namespace>/<name>`, Cilium ones as
   * `CiliumNetworkPolicy <namespace>/<name>` or `CiliumClusterwideNetworkPolicy <name>`,
   * cluster policies as `ClusterNetworkPolicy <name>`, `AdminNetworkPolicy <name>`
   * or `BaselineAdminNetworkPolicy default` (in tier order, after the others).
   */
  public get policies(): string[] {
    return [...new Set([...this._model.tierPolicies.map((p) => p.id), ...this._model.clusterPolicies.map((p) => p.id)])];
  }

  /**
   * Every port some container declares or some NetworkPolicy names (a range
   * contributes its first and last port), by protocol then number: the ports
   * worth checking when nobody says which.
   */
  public get ports(): FlowPort[] {
    return portsNamedBy(this._model);
  }

  /**
   * Every pod-or-workload to pod-or-workload verdict on one port, at once.
   * @param port the destination port (1-65535)
   * @param protocol the protocol; default TCP
   */
  public reachability(port: number, protocol?: Protocol): ReachabilityTable {
    const chosen = protocol ?? Protocol.TCP;
    if (!isProtocol(chosen)) {
      throw new AnalysisInputError(`Invalid protocol ${JSON.stringify(protocol)}: use TCP, UDP or SCTP.`);
    }
    const problem = portNumberProblem(port);
    if (problem) throw new AnalysisInputError(`Invalid port ${JSON.stringify(port)}: ${problem}.`);
    return ReachabilityTable._compute(this._model, port, chosen);
  }

  /** Whether the flow is allowed: egress at the source AND ingress at the destination. */
  public isAllowed(flow: Flow): boolean {
    return this.evaluator.isAllowed(this.resolve(flow));
  }

  /** The verdict on the flow, with the policies, rules, peers and ports that decided it. */
  public explain(flow: Flow): FlowExplanation {
    return this.evaluator.explain(this.resolve(flow));
  }

  /**
   * Every connection `from` may open to `to`, exactly: per protocol, the
   * allowed port ranges (named ports resolved against the destination, endPort
   * ranges included), egress at the source AND ingress at the destination.
   * Endpoints are written as in flows; one of them may be `ip:<address>`.
   *
   * @example
   * const shop = Analyzer.fromChart(chart);
   * shop.connections('shop/frontend', 'shop/api').toString(); // 'TCP 8080'
   */
  public connections(from: string, to: string): ConnectionSet {
    const resolved = this.resolveEnds(from, to);
    return pairConnections(this._model, resolved.from, resolved.to);
  }

  /**
   * Every pair with some allowed connection, and what it allows: pod or
   * workload to pod or workload (a single Pod to itself, loopback, is left
   * out), and each of them to and from address ranges outside the cluster
   * (`ip:<first>-<last>`), split where an ipBlock edge changes the answer and
   * merged where it does not, so that every address is covered and none is
   * sampled. Sources in order (by namespace and name, then ranges), then
   * destinations likewise.
   */
  public connectivity(): ConnectionPair[] {
    return listConnectivity(this._model, this._connectivityEngine());
  }

  /**
   * @internal `connections()` through the engine (every pair computed once):
   * for callers that ask about many pairs of one model.
   */
  public _connectionsOfMany(from: string, to: string): ConnectionSet {
    const ends = this.resolveEnds(from, to);
    if (ends.from.kind !== 'endpoint' || ends.to.kind !== 'endpoint' || ends.from.endpoint.index < 0 || ends.to.endpoint.index < 0
      || isLoopbackPair(ends.from, ends.to)) {
      return pairConnections(this._model, ends.from, ends.to);
    }
    const engine = this._connectivityEngine();
    return engine.pool.set(engine.pairId(engine.classOf[ends.from.endpoint.index], engine.classOf[ends.to.endpoint.index]));
  }

  /** @internal Why `from` may open what it may to `to`: the rules on each side (see explainConnections). */
  public _explainConnections(from: string, to: string): string {
    const ends = this.resolveEnds(from, to);
    return explainConnections(this._model, ends.from, ends.to);
  }

  /** @internal The exact connection sets of every pair of endpoint classes, computed once. */
  public _connectivityEngine(pool?: ConnectionPool): ConnectivityEngine {
    if (pool) return new ConnectivityEngine(this._model, pool);
    this.engine ??= new ConnectivityEngine(this._model, new ConnectionPool());
    return this.engine;
  }

  /** Checks each expectation against the manifests. */
  public verify(expectations: Expectation[]): VerificationReport {
    const results = expectations.map((e): ExpectationResult => {
      const explanation = this.explain(e);
      return {
        from: e.from,
        to: e.to,
        ...(explanation.port !== undefined ? { port: explanation.port } : {}),
        protocol: explanation.protocol,
        ...(explanation.icmpType !== undefined ? { icmpType: explanation.icmpType } : {}),
        ...(e.host !== undefined ? { host: e.host } : {}),
        ...(explanation.http !== undefined ? { http: explanation.http } : {}),
        expected: e.allowed,
        actual: explanation.allowed,
        ok: e.allowed === explanation.allowed,
        reason: explanation.reason,
      };
    });
    const passed = results.filter((r) => r.ok).length;
    return { results, passed, failed: results.length - passed };
  }

  private resolve(flow: Flow): ResolvedFlow {
    if (!flow || typeof flow !== 'object') {
      throw new AnalysisInputError(`A flow must be an object with from, to and port, got ${JSON.stringify(flow)}.`);
    }
    const where = `in the flow ${escapeTerminal(String(flow.from))} -> ${escapeTerminal(String(flow.to))}`;
    /** Throws `<what> in the flow <from> -> <to>: <problem>.` */
    const fail = (what: string, problem: string): never => {
      throw new AnalysisInputError(`${what} ${where}: ${problem}.`);
    };
    let traffic: Traffic;
    if (flow.icmp !== undefined && flow.icmp !== null) {
      const version = flow.icmp.version ?? IcmpVersion.ICMP;
      if (!isIcmpVersion(version)) fail(`Invalid ICMP version ${JSON.stringify(version)}`, 'use ICMP or ICMPv6');
      const type = flow.icmp.type ?? ECHO_REQUEST[version];
      const typeProblem = icmpTypeProblem(type);
      if (typeProblem) fail(`Invalid ICMP type ${JSON.stringify(type)}`, typeProblem);
      if (flow.port !== undefined) fail(`Invalid port ${JSON.stringify(flow.port)}`, 'an ICMP flow has no port');
      if (flow.protocol !== undefined) fail(`Invalid protocol ${JSON.stringify(flow.protocol)}`, 'an ICMP flow has no transport protocol');
      traffic = { port: 0, protocol: Protocol.TCP, icmp: { family: version === IcmpVersion.ICMP ? 4 : 6, type } };
    } else {
      const protocol = flow.protocol ?? Protocol.TCP;
      if (!isProtocol(protocol)) fail(`Invalid protocol ${JSON.stringify(flow.protocol)}`, 'use TCP, UDP or SCTP');
      const portProblem = portNumberProblem(flow.port as number);
      if (portProblem) fail(`Invalid port ${JSON.stringify(flow.port)}`, portProblem);
      traffic = { port: flow.port!, protocol };
    }
    let http: HttpRequest | undefined;
    if (flow.http !== undefined && flow.http !== null) {
      const problem = httpRequestProblem(flow.http);
      if (problem) fail('Invalid HTTP request', problem);
      if (traffic.icmp !== undefined || traffic.protocol !== Protocol.TCP) fail('Invalid HTTP request', `an HTTP request needs TCP, not ${traffic.icmp ? flowProtocol(traffic) : traffic.protocol}`);
      http = httpRequestOf(flow.http);
    }
    const ends = this.resolveEnds(flow.from, flow.to);
    const from = ends.from;
    let to = ends.to;
    for (const end of [from, to]) {
      if (end.kind === 'ip' && traffic.icmp !== undefined && end.family !== traffic.icmp.family) {
        fail(`Invalid ${flowProtocol(traffic)} flow`, `${traffic.icmp.family === 4 ? 'ICMP is IPv4' : 'ICMPv6 is IPv6'}, but ${end.text} is an IPv${end.family} address`);
      }
    }
    if (flow.host !== undefined && flow.host !== null) {
      const problem = dnsNameProblem(flow.host);
      if (problem) fail(`Invalid host ${JSON.stringify(flow.host)}`, problem);
      if (to.kind !== 'ip') fail(`Invalid host ${JSON.stringify(flow.host)}`, `the DNS name the source looked up needs "to" to be an address, ip:<address>, not ${to.text}`);
      const host = lookUpName(this._model, (a, b, t) => this.evaluator.l4Allows(a, b, t), from, flow.host);
      to = { ...to as Extract<ResolvedEndpoint, { kind: 'ip' }>, host };
    }
    return { from, to, ...traffic, ...(http ? { http } : {}) };
  }

  private resolveEnds(fromText: string, toText: string): { from: ResolvedEndpoint; to: ResolvedEndpoint } {
    const from = this.resolver.resolve(fromText);
    const to = this.resolver.resolve(toText);
    if (from.kind === 'ip' && to.kind === 'ip') {
      throw new AnalysisInputError(`The flow ${fromText} -> ${toText} is between two addresses outside the cluster; NetworkPolicy only governs flows from or to a pod.`);
    }
    if (from.kind !== 'endpoint' && to.kind !== 'endpoint') {
      throw new AnalysisInputError(`The flow ${escapeTerminal(fromText)} -> ${escapeTerminal(toText)} has no pod at either end; policies of the manifests only govern flows from or to a pod.`);
    }
    return { from, to };
  }
}

/** A wrong argument for messages: `the string "a/path"`, `null`, `an object`. */
function describeArgument(value: unknown): string {
  if (value === null) return 'null';
  if (Array.isArray(value)) return 'an array holding a non-string';
  if (typeof value === 'string') return `the string ${JSON.stringify(value.length > 80 ? `${value.slice(0, 77)}...` : value)}`;
  if (typeof value === 'object') return 'an object';
  return `${typeof value} ${String(value)}`;
}

function objectsOf(chart: Chart): ManifestObject[] {
  return chart.toJson().flatMap((object: any) =>
    flattenLists({ object, origin: `chart ${chart.node.path}` }),
  );
}

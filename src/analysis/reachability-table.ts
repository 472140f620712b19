import { Protocol } from '../protocol';
import { ClusterModel } from './cluster-model';
import { compareText } from './compare-text';
import { Endpoint } from './endpoint';
import { AnalysisInputError } from './input-error';
import { ReachabilityMatrix } from './reachability-matrix';

/**
 * Which pod or workload may open a connection to which, on one port and
 * protocol: every pair at once, computed with bitsets. Endpoints are ordered
 * by namespace, then name, so rows and columns come grouped by namespace.
 */
export class ReachabilityTable {
  /** @internal */
  public static _compute(model: ClusterModel, port: number, protocol: Protocol): ReachabilityTable {
    return new ReachabilityTable(model, ReachabilityMatrix.compute(model, port, protocol), port, protocol);
  }

  /** The pods and workloads (`<namespace>/<name>`), grouped by namespace and sorted. */
  public readonly endpoints: string[];
  private readonly order: Endpoint[];
  private readonly byName = new Map<string, Endpoint>();

  private constructor(
    model: ClusterModel,
    private readonly matrix: ReachabilityMatrix,
    /** The destination port. */
    public readonly port: number,
    /** The protocol. */
    public readonly protocol: Protocol,
  ) {
    this.order = [...model.endpoints].sort((a, b) => compareText(a.namespace, b.namespace) || compareText(a.displayName, b.displayName));
    this.endpoints = this.order.map((e) => e.displayName);
    for (const e of model.endpoints) {
      this.byName.set(e.displayName, e);
      this.byName.set(e.id, e);
    }
  }

  /** Whether `from` may open a connection to `to` (names as in `endpoints`, or `<namespace>/<kind>/<name>`). */
  public isAllowed(from: string, to: string): boolean {
    return this.matrix.isAllowed(this.lookup(from).index, this.lookup(to).index);
  }

  /** The destinations `from` may reach, in `endpoints` order. */
  public destinationsOf(from: string): string[] {
    const row = this.matrix.rows[this.lookup(from).index];
    return this.order.filter((e) => row.has(e.index)).map((e) => e.displayName);
  }

  /** @internal The destinations of `from` by id (`<namespace>/<kind>/<name>`), which stay the same whatever else the manifests hold. */
  public _destinationIdsOf(from: string): string[] {
    const row = this.matrix.rows[this.lookup(from).index];
    return this.order.filter((e) => row.has(e.index)).map((e) => e.id);
  }

  /** The number of allowed ordered pairs (a pod or workload to itself included). */
  public get allowedCount(): number {
    return this.matrix.countAllowed();
  }

  private lookup(name: string): Endpoint {
    const endpoint = this.byName.get(name);
    if (!endpoint) {
      throw new AnalysisInputError(`Unknown endpoint "${name}" in the reachability table for ${this.protocol} ${this.port}: use one of ${this.endpoints.slice(0, 5).join(', ')}${this.endpoints.length > 5 ? ', ...' : ''}.`);
    }
    return endpoint;
  }
}


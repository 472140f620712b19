import { AddressRange, formatAddressRange } from '../analysis/address-range';
import { Analyzer } from '../analysis/analyzer';
import { ClusterModel } from '../analysis/cluster-model';
import { compareText } from '../analysis/compare-text';
import { ConnectionPool } from '../analysis/connection-pool';
import { ConnectionSet } from '../analysis/connection-set';
import { addressSegments, ipBlockEdges, mergeSegments } from '../analysis/connectivity';
import { addressOf, ConnectivityEngine } from '../analysis/connectivity-engine';
import { Endpoint } from '../analysis/endpoint';
import { ResolvedEndpoint } from '../analysis/endpoint-resolver';
import { explainConnections } from '../analysis/explain-connections';
import { AnalysisInputError } from '../analysis/input-error';

/**
 * Whether a pod or workload of a changed pair exists on one side of a diff only.
 */
export enum EndpointChange {
  /** Only in the new manifests: every connection it may open or accept is newly allowed. */
  ADDED = 'added',
  /** Only in the old manifests: every connection it could open or accept is newly denied. */
  REMOVED = 'removed',
}

/**
 * A pair of endpoints whose allowed connections differ between two manifest sets.
 */
export interface ConnectionChange {
  /**
   * The client: `<namespace>/<name>` (`<namespace>/<kind>/<name>` when
   * ambiguous), or a range of addresses outside the cluster,
   * `ip:<first>-<last>` (`ip:<address>` for one address).
   */
  readonly from: string;
  /** The server, written the same way. */
  readonly to: string;
  /** What the old manifests allowed from `from` to `to`. */
  readonly before: ConnectionSet;
  /** What the new manifests allow. */
  readonly after: ConnectionSet;
  /** `after` minus `before`: what a reviewer must look at. */
  readonly newlyAllowed: ConnectionSet;
  /** `before` minus `after`. */
  readonly newlyDenied: ConnectionSet;
  /**
   * What decides `after`, from the new manifests: on each side, the rules that
   * allow, or that the side is not isolated, or that no rule matches (for an
   * address range, at its first address); for a removed pod or workload, that it is gone.
   */
  readonly why: string;
  /**
   * Set when the source exists on one side only.
   * @default - the source is in both manifest sets (or is an address range)
   */
  readonly fromChange?: EndpointChange;
  /**
   * Set when the destination exists on one side only.
   * @default - the destination is in both manifest sets (or is an address range)
   */
  readonly toChange?: EndpointChange;
}

/** The counts of a diff. */
export interface DiffSummary {
  /** Changed pairs with some connection newly allowed. */
  readonly pairsNewlyAllowed: number;
  /** Changed pairs with some connection newly denied (a pair may count in both). */
  readonly pairsNewlyDenied: number;
}

/** A pod or workload of either side, matched by id. */
interface UnionEndpoint {
  readonly id: string;
  readonly namespace: string;
  name: string;
  readonly before?: Endpoint;
  readonly after?: Endpoint;
  /** Its class on each side; -1 where it is absent. */
  readonly classes: readonly [number, number];
  rank: number;
}

/** Endpoints in the same class on both sides: every pair of members of two of them changes alike. */
interface JointClass {
  readonly classes: readonly [number, number];
  readonly members: UnionEndpoint[];
}

interface Found {
  readonly change: ConnectionChange;
  readonly key: readonly [number, number];
}

/**
 * What a change to the manifests does to connectivity, exactly: for every
 * pair of pods and workloads, and every pod or workload with every range of
 * addresses outside the cluster (both ways), the connections allowed before
 * and after, compared as sets over every port of TCP, UDP and SCTP. Nothing is
 * sampled: a change on a port no manifest names, or to part of an ipBlock,
 * shows.
 *
 * Pods and workloads are matched by `<namespace>/<kind>/<name>`. One present
 * on one side only has no connections on the other: all of its connections
 * are newly allowed (added) or newly denied (removed). A single Pod talking
 * to itself (loopback, never restricted) is left out. Address ranges are split
 * at the edges of every ipBlock of either side and merged where the change is
 * the same, so the ranges listed for one endpoint never overlap and cover every
 * address whose connections changed.
 *
 * @example
 * const diff = ReachabilityDiff.between(Analyzer.fromFiles(['main/dist']), Analyzer.fromFiles(['dist']));
 * for (const change of diff.newlyAllowed) {
 *   console.log(`${change.from} -> ${change.to}: ${change.newlyAllowed.toString()}`);
 * }
 */
export class ReachabilityDiff {
  /**
   * Compares what `after` allows with what `before` allows.
   * @param before the manifests before the change (e.g. the target branch)
   * @param after the manifests after the change (e.g. the pull request)
   */
  public static between(before: Analyzer, after: Analyzer): ReachabilityDiff {
    if (!(before instanceof Analyzer) || !(after instanceof Analyzer)) {
      throw new AnalysisInputError('ReachabilityDiff.between expects two Analyzers: the manifests before the change and after it.');
    }
    return new ReachabilityDiff(before, after);
  }

  /** Every changed pair, by source then destination (pods and workloads by namespace and name, then address ranges). */
  public readonly changes: ConnectionChange[];
  /** The pods and workloads compared (of either side). */
  public readonly endpointsCompared: number;
  /** The address ranges compared: the address space split at every ipBlock edge of either side. */
  public readonly addressRangesCompared: number;

  private constructor(before: Analyzer, after: Analyzer) {
    const pool = new ConnectionPool();
    const engines = [before._connectivityEngine(pool), after._connectivityEngine(pool)] as const;
    const models = [before._model, after._model] as const;
    const endpoints = unionEndpoints(models, engines);
    const joints = jointClasses(endpoints);
    const segments = addressSegments([...ipBlockEdges(models[0]), ...ipBlockEdges(models[1])]);
    this.endpointsCompared = endpoints.length;
    this.addressRangesCompared = segments.length;
    const found: Found[] = [];
    const compare = new PairComparison(models[1], engines, pool, endpoints.length, segments, found);
    for (const source of joints) {
      for (const destination of joints) compare.endpoints(source, destination);
      compare.outside(source);
    }
    // Stable: pairs with the same keys keep the order they were found in.
    found.sort((a, b) => a.key[0] - b.key[0] || a.key[1] - b.key[1]);
    this.changes = found.map((f) => f.change);
  }

  /** The changed pairs with some connection newly allowed. */
  public get newlyAllowed(): ConnectionChange[] {
    return this.changes.filter((c) => !c.newlyAllowed.isEmpty);
  }

  /** The changed pairs with some connection newly denied. */
  public get newlyDenied(): ConnectionChange[] {
    return this.changes.filter((c) => !c.newlyDenied.isEmpty);
  }

  /** True when some connection is newly allowed: the change opens something a reviewer should look at. */
  public get hasNewlyAllowed(): boolean {
    return this.changes.some((c) => !c.newlyAllowed.isEmpty);
  }

  /** How many pairs newly allow and newly deny something. */
  public get summary(): DiffSummary {
    return { pairsNewlyAllowed: this.newlyAllowed.length, pairsNewlyDenied: this.newlyDenied.length };
  }

  /**
   * The report CI tools parse (`cdk8s-netpol diff --format json`):
   * `{"changes": [{"from", "to", "before", "after", "newlyAllowed", "newlyDenied", "why", "fromChange"?, "toChange"?}],
   * "summary": {"pairsNewlyAllowed", "pairsNewlyDenied"}}`, each connection set as
   * `{"TCP": [[first, last], ...], ...}`.
   */
  public toJson(): any {
    return {
      changes: this.changes.map((c) => ({
        from: c.from,
        to: c.to,
        before: c.before.toJson(),
        after: c.after.toJson(),
        newlyAllowed: c.newlyAllowed.toJson(),
        newlyDenied: c.newlyDenied.toJson(),
        why: c.why,
        ...(c.fromChange ? { fromChange: c.fromChange } : {}),
        ...(c.toChange ? { toChange: c.toChange } : {}),
      })),
      summary: this.summary,
    };
  }
}

/** Compares pairs on both sides and records the changes, with their reasons. */
class PairComparison {
  private readonly whyCache = new Map<string, string>();

  constructor(
    private readonly after: ClusterModel,
    private readonly engines: readonly [ConnectivityEngine, ConnectivityEngine],
    private readonly pool: ConnectionPool,
    private readonly endpointCount: number,
    private readonly segments: readonly AddressRange[],
    private readonly found: Found[],
  ) {}

  /** Every member of `source` to every member of `destination`: one comparison for all of them. */
  public endpoints(source: JointClass, destination: JointClass): void {
    const [b, a] = [0, 1].map((side) => {
      const from = source.classes[side];
      const to = destination.classes[side];
      return from < 0 || to < 0 ? ConnectionPool.EMPTY : this.engines[side].pairId(from, to);
    });
    if (a === b) return;
    const sets = this.sets(b, a);
    for (const u of source.members) {
      for (const v of destination.members) {
        // A Pod talking to itself is loopback, allowed whenever it exists: no policy changed it.
        if (u === v && (u.after ?? u.before)!.isPod) continue;
        const why = this.why(u, v, () => `${source.classes[1]}>${destination.classes[1]}`);
        this.record({ from: u.name, to: v.name, ...sets, why, ...changeOf('fromChange', u), ...changeOf('toChange', v) }, u.rank, v.rank);
      }
    }
  }

  /** Every member of the class with every address range, both ways. */
  public outside(joint: JointClass): void {
    for (const outgoing of [true, false]) {
      const values = this.segments.map((segment) => [0, 1].map((side) => {
        const c = joint.classes[side];
        if (c < 0) return ConnectionPool.EMPTY;
        return outgoing ? this.engines[side].toRangeId(c, segment) : this.engines[side].fromRangeId(c, segment);
      }));
      const rep = joint.members[0];
      // The reason at each changed segment: runs merge only where the reason is the same too.
      const reasons = values.map(([b, a], i) => (a === b ? '' : this.rangeWhy(rep, this.segments[i], outgoing)));
      const runs = mergeSegments(this.segments, values.map((v, i) => ({ b: v[0], a: v[1], why: reasons[i], index: i })),
        (x, y) => x.b === y.b && x.a === y.a && x.why === y.why, (v) => v.a !== v.b);
      for (const run of runs) {
        const sets = this.sets(run.value.b, run.value.a);
        const range = formatAddressRange(run.range);
        const rangeRank = this.endpointCount + run.value.index;
        for (const member of joint.members) {
          const why = member.after ? run.value.why : `${member.name} is not in the new manifests.`;
          if (outgoing) this.record({ from: member.name, to: range, ...sets, why, ...changeOf('fromChange', member) }, member.rank, rangeRank);
          else this.record({ from: range, to: member.name, ...sets, why, ...changeOf('toChange', member) }, rangeRank, member.rank);
        }
      }
    }
  }

  private record(change: ConnectionChange, from: number, to: number): void {
    this.found.push({ change, key: [from, to] });
  }

  private sets(b: number, a: number): Pick<ConnectionChange, 'before' | 'after' | 'newlyAllowed' | 'newlyDenied'> {
    const before = this.pool.set(b);
    const after = this.pool.set(a);
    return { before, after, newlyAllowed: after.subtract(before), newlyDenied: before.subtract(after) };
  }

  /** The reason for a pair of pods or workloads, shared by every pair of the same two classes of the new side. */
  private why(u: UnionEndpoint, v: UnionEndpoint, classKey: () => string): string {
    const gone = [u, v].filter((e) => !e.after).map((e) => e.name);
    if (gone.length > 0) return `${[...new Set(gone)].join(' and ')} ${new Set(gone).size === 1 ? 'is' : 'are'} not in the new manifests.`;
    const key = classKey();
    let why = this.whyCache.get(key);
    if (why === undefined) {
      why = explainConnections(this.after, wrap(u.after!), wrap(v.after!));
      this.whyCache.set(key, why);
    }
    return why;
  }

  private rangeWhy(member: UnionEndpoint, segment: AddressRange, outgoing: boolean): string {
    if (!member.after) return '';
    const self = wrap(member.after);
    const address = addressOf(segment);
    return outgoing ? explainConnections(this.after, self, address) : explainConnections(this.after, address, self);
  }
}

function wrap(endpoint: Endpoint): ResolvedEndpoint {
  return { kind: 'endpoint', endpoint, text: endpoint.displayName };
}

function changeOf(field: 'fromChange' | 'toChange', endpoint: UnionEndpoint): Partial<ConnectionChange> {
  if (!endpoint.before) return { [field]: EndpointChange.ADDED };
  if (!endpoint.after) return { [field]: EndpointChange.REMOVED };
  return {};
}

/**
 * The pods and workloads of both sides, sorted by namespace then name. Each is
 * named as the new side names it (or the old side, when removed), unless two
 * of them would then share a name: those are named by id.
 */
function unionEndpoints(models: readonly [ClusterModel, ClusterModel], engines: readonly [ConnectivityEngine, ConnectivityEngine]): UnionEndpoint[] {
  const byId = new Map<string, { before?: Endpoint; after?: Endpoint }>();
  models.forEach((model, side) => {
    for (const e of model.endpoints) {
      const entry = byId.get(e.id) ?? {};
      if (side === 0) entry.before = e;
      else entry.after = e;
      byId.set(e.id, entry);
    }
  });
  const all: UnionEndpoint[] = [...byId].map(([id, { before, after }]) => {
    const info = (after ?? before)!;
    return {
      id,
      namespace: info.namespace,
      name: info.displayName,
      before,
      after,
      classes: [before ? engines[0].classOf[before.index] : -1, after ? engines[1].classOf[after.index] : -1] as const,
      rank: 0,
    };
  });
  const count = new Map<string, number>();
  for (const e of all) count.set(e.name, (count.get(e.name) ?? 0) + 1);
  for (const e of all) if (count.get(e.name)! > 1) e.name = e.id;
  all.sort((x, y) => compareText(x.namespace, y.namespace) || compareText(x.name, y.name) || compareText(x.id, y.id));
  all.forEach((e, i) => (e.rank = i));
  return all;
}

function jointClasses(endpoints: readonly UnionEndpoint[]): JointClass[] {
  const byKey = new Map<string, JointClass>();
  for (const e of endpoints) {
    const key = `${e.classes[0]}|${e.classes[1]}`;
    let joint = byKey.get(key);
    if (!joint) {
      joint = { classes: e.classes, members: [] };
      byKey.set(key, joint);
    }
    joint.members.push(e);
  }
  return [...byKey.values()];
}

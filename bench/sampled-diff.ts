/**
 * The diff as it was before connection sets: every port either side names and
 * the first address of each ipBlock, compared pair by pair. Kept only so that
 * `npm run bench` can measure the exact diff beside it on the same data; it
 * misses changes on ports nobody names and inside address ranges.
 */
import { Analyzer, EndpointInfo } from '../src/analysis/analyzer';
import { compareText } from '../src/analysis/compare-text';
import { decidingReason } from '../src/analysis/evaluator';
import { FlowPort } from '../src/analysis/flow-port';
import { AnalysisInputError } from '../src/analysis/input-error';
import { sortPorts } from '../src/analysis/port-inventory';
import { ReachabilityTable } from '../src/analysis/reachability-table';
import { Protocol } from '../src/protocol';
import { formatIp, IpFamily } from '../src/validation/cidr';

/**
 * Whether a pod or workload of a changed flow exists on one side of a diff only.
 */
export enum EndpointChange {
  /** Only in the new manifests: every flow it may open or accept is newly allowed. */
  ADDED = 'added',
  /** Only in the old manifests: every flow it could open or accept is newly denied. */
  REMOVED = 'removed',
}

/**
 * A flow whose verdict differs between two manifest sets.
 */
export interface FlowChange {
  /** The client: `<namespace>/<name>` (`<namespace>/<kind>/<name>` when ambiguous) or `ip:<address>`. */
  readonly from: string;
  /** The server, written the same way. */
  readonly to: string;
  /** The destination port. */
  readonly port: number;
  /** The protocol. */
  readonly protocol: Protocol;
  /**
   * What decides the new verdict, from the new manifests: the rules on both sides
   * that now allow the flow, or the side(s) that now deny it; for a flow of a
   * removed pod or workload, that it is gone.
   */
  readonly why: string;
  /**
   * Set when the source exists on one side only.
   * @default - the source is in both manifest sets (or is an `ip:` address)
   */
  readonly fromChange?: EndpointChange;
  /**
   * Set when the destination exists on one side only.
   * @default - the destination is in both manifest sets (or is an `ip:` address)
   */
  readonly toChange?: EndpointChange;
}

/** A pod or workload of either side, matched by id. */
interface UnionEndpoint {
  readonly id: string;
  readonly namespace: string;
  name: string;
  readonly before?: EndpointInfo;
  readonly after?: EndpointInfo;
}

/** An end of a flow: a pod or workload of either side, or a probe address (`ip:<address>`). */
type Side = string | UnionEndpoint;

/** Notes a flow's verdict on both sides (a change when they differ). */
type Recorder = (from: Side, to: Side, was: boolean, is: boolean) => void;

const NOTHING: ReadonlySet<string> = new Set();

/** The manifests before and after the change. */
interface Sides {
  readonly before: Analyzer;
  readonly after: Analyzer;
}

/** A probe address outside the cluster: the first address of an ipBlock cidr or except. */
interface Probe {
  readonly family: IpFamily;
  readonly value: bigint;
  readonly text: string;
}

/**
 * What changes between two manifest sets: the flows newly allowed and newly
 * denied, for review before the change is applied.
 *
 * Pods and workloads are matched by `<namespace>/<kind>/<name>`. Every pair of
 * them is compared on every port either side names (`Analyzer.ports`); so is
 * each of them, as a client and as a server, with the first address of every
 * `ipBlock` cidr and except either side names, so that narrowing an except or
 * widening a cidr shows. One present on one side only has no flows on the
 * other: the flows of an added workload are newly allowed, those of a removed
 * one newly denied, and the change says which endpoint was added or removed.
 * A single Pod talking to itself (loopback, never restricted) is left out.
 *
 * @example
 * const diff = ReachabilityDiff.between(Analyzer.fromFiles(['main/dist']), Analyzer.fromFiles(['dist']));
 * if (diff.hasNewlyAllowed) console.log(diff.newlyAllowed.map((c) => `${c.from} -> ${c.to} ${c.port}/${c.protocol}`));
 */
export class SampledDiff {
  /**
   * Compares what `after` allows with what `before` allows.
   * @param before the manifests before the change (e.g. the target branch)
   * @param after the manifests after the change (e.g. the pull request)
   */
  public static between(before: Analyzer, after: Analyzer): SampledDiff {
    if (!(before instanceof Analyzer) || !(after instanceof Analyzer)) {
      throw new AnalysisInputError('SampledDiff.between expects two Analyzers: the manifests before the change and after it.');
    }
    return new SampledDiff(before, after);
  }

  /** The flows the new manifests allow and the old ones did not, by port, source, then destination. */
  public readonly newlyAllowed: FlowChange[] = [];
  /** The flows the old manifests allowed and the new ones do not, by port, source, then destination. */
  public readonly newlyDenied: FlowChange[] = [];
  /** The ports compared: every port either side names, by protocol then number. */
  public readonly ports: FlowPort[];
  /** The addresses outside the cluster compared (`ip:<address>`): the first address of every ipBlock cidr and except. */
  public readonly addresses: string[];

  // The analyzers are not kept: the diff is plain data, and JSON.stringify(diff) is its report.
  private constructor(before: Analyzer, after: Analyzer) {
    const sides: Sides = { before, after };
    const seen = new Map<string, FlowPort>();
    for (const p of [...before.ports, ...after.ports]) seen.set(`${p.protocol}/${p.port}`, p);
    this.ports = sortPorts([...seen.values()]);
    const endpoints = unionEndpoints(before.endpoints, after.endpoints);
    const probes = probesOf(before, after);
    this.addresses = probes.map((p) => p.text);
    // Rank pods and workloads first, then addresses, so that changes sort by port, source, then destination.
    const rank = new Map<string, number>([...endpoints.map((e) => e.id), ...this.addresses].map((key, i) => [key, i]));
    const found: Array<{ readonly allowed: boolean; readonly key: readonly number[]; readonly change: FlowChange }> = [];
    this.ports.forEach((port, p) => {
      const record = (from: Side, to: Side, was: boolean, is: boolean) => {
        if (was === is) return;
        found.push({ allowed: is, key: [p, rank.get(idOf(from))!, rank.get(idOf(to))!], change: changeBetween(sides, from, to, port) });
      };
      comparePods(sides, endpoints, port, record);
      compareAddresses(sides, endpoints, probes, port, record);
    });
    found.sort((a, b) => a.key[0] - b.key[0] || a.key[1] - b.key[1] || a.key[2] - b.key[2]);
    for (const f of found) (f.allowed ? this.newlyAllowed : this.newlyDenied).push(f.change);
  }

  /** True when some flow is newly allowed: the change opens something a reviewer should look at. */
  public get hasNewlyAllowed(): boolean {
    return this.newlyAllowed.length > 0;
  }
}

/**
 * Pod-to-pod, with one bitset table per side: only the destinations allowed on
 * either side are visited, not every pair.
 */
function comparePods(sides: Sides, endpoints: readonly UnionEndpoint[], port: FlowPort, record: Recorder): void {
  const byId = new Map(endpoints.map((e) => [e.id, e]));
  const beforeRows = rowsOf(sides.before, sides.before.reachability(port.port, port.protocol));
  const afterRows = rowsOf(sides.after, sides.after.reachability(port.port, port.protocol));
  for (const from of endpoints) {
    const was = beforeRows.get(from.id) ?? NOTHING;
    const is = afterRows.get(from.id) ?? NOTHING;
    for (const to of new Set([...was, ...is])) {
      // A Pod talking to itself is loopback, allowed whenever it exists: no policy changed it.
      if (to === from.id && from.id.split('/')[1] === 'pod') continue;
      record(from, byId.get(to)!, was.has(to), is.has(to));
    }
  }
}

/** Each pod and workload as a client of each probe address, and each probe address as a client of them. */
function compareAddresses(sides: Sides, endpoints: readonly UnionEndpoint[], probes: readonly Probe[], port: FlowPort, record: Recorder): void {
  const on = (side: keyof Sides, from: Side, to: Side) => presentIn(from, side) && presentIn(to, side)
    && sides[side].isAllowed({ from: idOf(from), to: idOf(to), port: port.port, protocol: port.protocol });
  for (const endpoint of endpoints) {
    for (const probe of probes) {
      record(endpoint, probe.text, on('before', endpoint, probe.text), on('after', endpoint, probe.text));
      record(probe.text, endpoint, on('before', probe.text, endpoint), on('after', probe.text, endpoint));
    }
  }
}

function changeBetween(sides: Sides, from: Side, to: Side, port: FlowPort): FlowChange {
  const fromChange = changeOf(from);
  const toChange = changeOf(to);
  return {
    from: nameOf(from),
    to: nameOf(to),
    port: port.port,
    protocol: port.protocol,
    why: whyNow(sides.after, from, to, port),
    ...(fromChange ? { fromChange } : {}),
    ...(toChange ? { toChange } : {}),
  };
}

/** The new manifests' reason for the new verdict; a removed endpoint has none, only its absence. */
function whyNow(after: Analyzer, from: Side, to: Side, port: FlowPort): string {
  const gone = [from, to].filter((e) => !presentIn(e, 'after')).map(nameOf);
  if (gone.length > 0) {
    return `${gone.join(' and ')} ${gone.length === 1 ? 'is' : 'are'} not in the new manifests.`;
  }
  return decidingReason(after.explain({ from: idOf(from), to: idOf(to), port: port.port, protocol: port.protocol }));
}

/** Each source's destinations, by id: display names may differ between the sides. */
function rowsOf(analyzer: Analyzer, table: ReachabilityTable): Map<string, Set<string>> {
  return new Map(analyzer.endpoints.map((e) => [e.id, new Set(table._destinationIdsOf(e.id))]));
}

/**
 * The pods and workloads of both sides, sorted by namespace then name. Each is
 * named as the new side names it (or the old side, when removed), unless two
 * of them would then share a name: those are named by id.
 */
function unionEndpoints(before: readonly EndpointInfo[], after: readonly EndpointInfo[]): UnionEndpoint[] {
  const byId = new Map<string, UnionEndpoint>();
  const beforeById = new Map(before.map((e) => [e.id, e]));
  const afterById = new Map(after.map((e) => [e.id, e]));
  for (const id of new Set([...beforeById.keys(), ...afterById.keys()])) {
    const b = beforeById.get(id);
    const a = afterById.get(id);
    const info = (a ?? b)!;
    byId.set(id, { id, namespace: info.namespace, name: info.name, before: b, after: a });
  }
  const all = [...byId.values()];
  const count = new Map<string, number>();
  for (const e of all) count.set(e.name, (count.get(e.name) ?? 0) + 1);
  for (const e of all) if (count.get(e.name)! > 1) e.name = e.id;
  return all.sort((x, y) => compareText(x.namespace, y.namespace) || compareText(x.name, y.name) || compareText(x.id, y.id));
}

/** The first address of every ipBlock cidr and except of either side, IPv4 first, in address order. */
function probesOf(...analyzers: Analyzer[]): Probe[] {
  const found = new Map<string, Probe>();
  for (const analyzer of analyzers) {
    for (const policy of analyzer._model.policies) {
      for (const rule of [...policy.egress, ...policy.ingress]) {
        for (const peer of rule.peers ?? []) {
          if (peer.kind !== 'ip') continue;
          for (const block of [peer.cidr, ...peer.except]) {
            const text = `ip:${formatIp(block.family, block.network)}`;
            found.set(text, { family: block.family, value: block.network, text });
          }
        }
      }
    }
  }
  return [...found.values()].sort((a, b) => a.family - b.family || (a.value < b.value ? -1 : a.value > b.value ? 1 : 0));
}

function presentIn(endpoint: Side, side: keyof Sides): boolean {
  return typeof endpoint === 'string' || endpoint[side] !== undefined;
}

function idOf(endpoint: Side): string {
  return typeof endpoint === 'string' ? endpoint : endpoint.id;
}

function nameOf(endpoint: Side): string {
  return typeof endpoint === 'string' ? endpoint : endpoint.name;
}

function changeOf(endpoint: Side): EndpointChange | undefined {
  if (typeof endpoint === 'string') return undefined;
  if (!endpoint.before) return EndpointChange.ADDED;
  if (!endpoint.after) return EndpointChange.REMOVED;
  return undefined;
}


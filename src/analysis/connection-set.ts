import { AnalysisInputError } from './input-error';
import { Protocol } from '../protocol';

/** The protocols a connection set covers, in the order it lists them. */
const PROTOCOLS: readonly Protocol[] = [Protocol.TCP, Protocol.UDP, Protocol.SCTP];
const MIN_PORT = 1;
const MAX_PORT = 65535;

/** Sorted, disjoint, non-adjacent inclusive intervals, flattened: `[first0, last0, first1, last1, ...]`. */
type Intervals = readonly number[];

const NO_PORTS: Intervals = Object.freeze([]);
const ALL_PORTS: Intervals = Object.freeze([MIN_PORT, MAX_PORT]);

/**
 * An inclusive range of ports, e.g. `{ first: 8000, last: 8100 }`; one port has `first === last`.
 */
export interface PortRange {
  /** The first port of the range (1-65535). */
  readonly first: number;
  /** The last port of the range, at least `first`. */
  readonly last: number;
}

/**
 * A set of connections: for each protocol (TCP, UDP, SCTP), a set of
 * destination ports, kept as sorted, disjoint port ranges. It is what an
 * analysis answers for a pair of endpoints: every connection one may open to
 * the other, exactly (`TCP 8080, UDP 53`, `all connections`,
 * `TCP 1-8079, 8081-65535`), never a sample of ports.
 *
 * Connection sets are values: immutable, compared with `isSameAs`.
 *
 * @example
 * const web = ConnectionSet.ports(Protocol.TCP, 8080).union(ConnectionSet.ports(Protocol.UDP, 53));
 * web.toString(); // 'TCP 8080, UDP 53'
 * ConnectionSet.all().subtract(ConnectionSet.ports(Protocol.TCP, 8080)).allows(8081); // true
 */
export class ConnectionSet {
  /** Every port of every protocol. */
  public static all(): ConnectionSet {
    return shared.all!;
  }

  /** No connection at all. */
  public static none(): ConnectionSet {
    return shared.none!;
  }

  /**
   * One port, or the ports `first` to `last`, of one protocol.
   * @param protocol the protocol
   * @param first the port (1-65535)
   * @param last the last port of a range, inclusive; default: `first`
   */
  public static ports(protocol: Protocol, first: number, last?: number): ConnectionSet {
    const end = last ?? first;
    checkProtocol(protocol);
    for (const [what, value] of [['port', first], ['last port', end]] as const) {
      if (!Number.isInteger(value) || value < MIN_PORT || value > MAX_PORT) {
        throw new AnalysisInputError(`Invalid ${what} ${JSON.stringify(value)}: a port is a whole number from ${MIN_PORT} to ${MAX_PORT}.`);
      }
    }
    if (end < first) throw new AnalysisInputError(`Invalid port range ${first}-${end}: the last port is below the first.`);
    return ConnectionSet._of({ [protocol]: [first, end] });
  }

  /** Every port of one protocol. */
  public static protocol(protocol: Protocol): ConnectionSet {
    checkProtocol(protocol);
    return ConnectionSet._of({ [protocol]: ALL_PORTS });
  }

  /**
   * Reads the JSON form that `toJson` writes (and the CLI's `diff`/`list` print):
   * `{"TCP": [[1, 65535]], "UDP": [[53, 53]]}`. Ranges may overlap or touch; they are merged.
   */
  public static fromJson(json: { [protocol: string]: number[][] }): ConnectionSet {
    if (typeof json !== 'object' || json === null || Array.isArray(json)) {
      throw new AnalysisInputError(`A connection set must be an object mapping TCP, UDP or SCTP to [first, last] port ranges, got ${JSON.stringify(json)}.`);
    }
    let result = ConnectionSet.none();
    for (const [protocol, ranges] of Object.entries(json)) {
      checkProtocol(protocol);
      if (!Array.isArray(ranges)) throw new AnalysisInputError(`The ${protocol} ports of a connection set must be a list of [first, last] ranges, got ${JSON.stringify(ranges)}.`);
      for (const range of ranges) {
        if (!Array.isArray(range) || range.length !== 2) {
          throw new AnalysisInputError(`A ${protocol} port range must be [first, last], got ${JSON.stringify(range)}.`);
        }
        result = result.union(ConnectionSet.ports(protocol as Protocol, range[0], range[1]));
      }
    }
    return result;
  }

  /** @internal Builds a set from per-protocol interval lists that are already normalized. */
  public static _of(byProtocol: { readonly [protocol: string]: Intervals }): ConnectionSet {
    const lists = PROTOCOLS.map((p) => byProtocol[p] ?? NO_PORTS);
    if (lists.every((l) => l.length === 0) && shared.none) return shared.none;
    return new ConnectionSet(lists);
  }

  /**
   * @internal A text that two sets share exactly when they are equal (for
   * interning and maps), e.g. `TCP:80-80,443-443|UDP:|SCTP:`.
   */
  public readonly _key: string;
  private readonly lists: readonly Intervals[];

  private constructor(lists: readonly Intervals[]) {
    this.lists = Object.freeze(lists.map((l) => Object.freeze([...l])));
    this._key = PROTOCOLS.map((p, i) => `${p}:${intervalsKey(this.lists[i])}`).join('|');
    Object.freeze(this);
  }

  /** True when the set allows no connection. */
  public get isEmpty(): boolean {
    return this.lists.every((l) => l.length === 0);
  }

  /** True when the set allows every port of every protocol. */
  public get isAll(): boolean {
    return this.lists.every((l) => l.length === 2 && l[0] === MIN_PORT && l[1] === MAX_PORT);
  }

  /**
   * Whether the set allows the port.
   * @param port the destination port
   * @param protocol the protocol; default TCP
   */
  public allows(port: number, protocol?: Protocol): boolean {
    const list = this.lists[PROTOCOLS.indexOf(protocol ?? Protocol.TCP)];
    if (list === undefined) return false;
    for (let i = 0; i < list.length; i += 2) {
      if (port < list[i]) return false;
      if (port <= list[i + 1]) return true;
    }
    return false;
  }

  /** The allowed ports of one protocol, as sorted, disjoint ranges (none when it allows none). */
  public portRanges(protocol: Protocol): PortRange[] {
    const list = this.lists[PROTOCOLS.indexOf(protocol)] ?? NO_PORTS;
    const ranges: PortRange[] = [];
    for (let i = 0; i < list.length; i += 2) ranges.push({ first: list[i], last: list[i + 1] });
    return ranges;
  }

  /** The protocols with at least one allowed port, in the order TCP, UDP, SCTP. */
  public get protocols(): Protocol[] {
    return PROTOCOLS.filter((_, i) => this.lists[i].length > 0);
  }

  /** Every connection of this set or the other. */
  public union(other: ConnectionSet): ConnectionSet {
    return this.combine(other, (a, b) => a || b);
  }

  /** The connections of both sets. */
  public intersect(other: ConnectionSet): ConnectionSet {
    return this.combine(other, (a, b) => a && b);
  }

  /** The connections of this set that the other does not allow. */
  public subtract(other: ConnectionSet): ConnectionSet {
    return this.combine(other, (a, b) => a && !b);
  }

  /** True when both sets allow exactly the same connections. */
  public isSameAs(other: ConnectionSet): boolean {
    return other instanceof ConnectionSet && other._key === this._key;
  }

  /** True when every connection of this set is also in the other. */
  public isSubsetOf(other: ConnectionSet): boolean {
    return this.subtract(other).isEmpty;
  }

  /**
   * The JSON form of the CLI's reports: each protocol with an allowed port maps
   * to its sorted, disjoint, inclusive `[first, last]` ranges; a protocol left
   * out allows nothing. `{}` is the empty set.
   */
  public toJson(): { [protocol: string]: number[][] } {
    const json: { [protocol: string]: number[][] } = {};
    PROTOCOLS.forEach((p, i) => {
      const list = this.lists[i];
      if (list.length === 0) return;
      const ranges: number[][] = [];
      for (let j = 0; j < list.length; j += 2) ranges.push([list[j], list[j + 1]]);
      json[p] = ranges;
    });
    return json;
  }

  /**
   * A readable form: `all connections`, `nothing`, or each protocol with its
   * ports, e.g. `TCP 8080, UDP 53`, `TCP 1-8079, 8081-65535`, `all TCP, UDP 53`.
   */
  public toString(): string {
    if (this.isEmpty) return 'nothing';
    if (this.isAll) return 'all connections';
    return PROTOCOLS.map((p, i) => describeIntervals(p, this.lists[i])).filter((t) => t !== '').join(', ');
  }

  private combine(other: ConnectionSet, keep: (inThis: boolean, inOther: boolean) => boolean): ConnectionSet {
    if (!(other instanceof ConnectionSet)) {
      throw new AnalysisInputError(`Expected a ConnectionSet, got ${JSON.stringify(other)}.`);
    }
    return ConnectionSet._of(Object.fromEntries(PROTOCOLS.map((p, i) => [p, combineIntervals(this.lists[i], other.lists[i], keep)])));
  }
}

/** The two sets every analysis uses most, made once (sets are immutable). */
const shared: { none?: ConnectionSet; all?: ConnectionSet } = {};
shared.none = ConnectionSet._of({});
shared.all = ConnectionSet._of(Object.fromEntries(PROTOCOLS.map((p) => [p, ALL_PORTS])));

function checkProtocol(protocol: unknown): void {
  if (!PROTOCOLS.includes(protocol as Protocol)) {
    throw new AnalysisInputError(`Invalid protocol ${JSON.stringify(protocol)}: use TCP, UDP or SCTP.`);
  }
}

function intervalsKey(list: Intervals): string {
  const parts: string[] = [];
  for (let i = 0; i < list.length; i += 2) parts.push(`${list[i]}-${list[i + 1]}`);
  return parts.join(',');
}

function describeIntervals(protocol: Protocol, list: Intervals): string {
  if (list.length === 0) return '';
  if (list.length === 2 && list[0] === MIN_PORT && list[1] === MAX_PORT) return `all ${protocol}`;
  const parts: string[] = [];
  for (let i = 0; i < list.length; i += 2) parts.push(list[i] === list[i + 1] ? `${list[i]}` : `${list[i]}-${list[i + 1]}`);
  return `${protocol} ${parts.join(', ')}`;
}

/**
 * A boolean combination of two interval lists, by a sweep over their
 * boundaries: between two consecutive boundaries membership in each list is
 * constant, so the result is decided once per elementary segment. Adjacent
 * result intervals are merged, so equal sets have equal lists.
 */
function combineIntervals(a: Intervals, b: Intervals, keep: (inA: boolean, inB: boolean) => boolean): Intervals {
  // Boundaries are "starts": a list's membership changes at first and at last + 1.
  const points = new Set<number>([MIN_PORT]);
  for (const list of [a, b]) {
    for (let i = 0; i < list.length; i += 2) {
      points.add(list[i]);
      if (list[i + 1] < MAX_PORT) points.add(list[i + 1] + 1);
    }
  }
  const starts = [...points].sort((x, y) => x - y);
  const result: number[] = [];
  let ia = 0;
  let ib = 0;
  for (let s = 0; s < starts.length; s++) {
    const start = starts[s];
    const end = s + 1 < starts.length ? starts[s + 1] - 1 : MAX_PORT;
    while (ia < a.length && a[ia + 1] < start) ia += 2;
    while (ib < b.length && b[ib + 1] < start) ib += 2;
    const inA = ia < a.length && a[ia] <= start;
    const inB = ib < b.length && b[ib] <= start;
    if (!keep(inA, inB)) continue;
    if (result.length > 0 && result[result.length - 1] === start - 1) result[result.length - 1] = end;
    else result.push(start, end);
  }
  return result;
}

import { ConnectionSet } from './connection-set';

/**
 * Keys two ids into one small integer: with ids below 2^15 the key stays a V8
 * small integer, so memo lookups allocate nothing (a heap number per lookup
 * made garbage collection half the cost of a large analysis).
 */
const PAIR = 2 ** 15;

/** The operations the pool memoizes, made once (not a closure per lookup). */
type Combine = (x: ConnectionSet, y: ConnectionSet) => ConnectionSet;
const union: Combine = (x, y) => x.union(y);
const intersect: Combine = (x, y) => x.intersect(y);
const subtract: Combine = (x, y) => x.subtract(y);

/**
 * Interns connection sets as small integers, with memoized union,
 * intersection and difference: an analysis of thousands of endpoints meets only a handful of
 * distinct sets, so combining them by id turns each set operation after the
 * first into one map lookup, and equal sets have equal ids.
 */
export class ConnectionPool {
  /** The id of the empty set. */
  public static readonly EMPTY = 0;
  /** The id of the set of every connection. */
  public static readonly ALL = 1;

  private readonly sets: ConnectionSet[] = [];
  private readonly ids = new Map<string, number>();
  private readonly unions = new Map<number | string, number>();
  private readonly intersections = new Map<number | string, number>();
  private readonly differences = new Map<number | string, number>();

  constructor() {
    this.id(ConnectionSet.none());
    this.id(ConnectionSet.all());
  }

  /** The id of the set, the same for every equal set. */
  public id(set: ConnectionSet): number {
    const known = this.ids.get(set._key);
    if (known !== undefined) return known;
    const id = this.sets.length;
    this.sets.push(set);
    this.ids.set(set._key, id);
    return id;
  }

  /** The set with this id. */
  public set(id: number): ConnectionSet {
    return this.sets[id];
  }

  /** The id of the union of two sets given by id. */
  public union(a: number, b: number): number {
    if (a === b || b === ConnectionPool.EMPTY || a === ConnectionPool.ALL) return a;
    if (a === ConnectionPool.EMPTY || b === ConnectionPool.ALL) return b;
    return this.memo(this.unions, a, b, false, union);
  }

  /** The id of the intersection of two sets given by id. */
  public intersect(a: number, b: number): number {
    if (a === b || b === ConnectionPool.ALL || a === ConnectionPool.EMPTY) return a;
    if (a === ConnectionPool.ALL || b === ConnectionPool.EMPTY) return b;
    return this.memo(this.intersections, a, b, false, intersect);
  }

  /** The id of the set `a` without the connections of `b` (both given by id). */
  public subtract(a: number, b: number): number {
    if (a === ConnectionPool.EMPTY || b === ConnectionPool.EMPTY) return a;
    if (a === b || b === ConnectionPool.ALL) return ConnectionPool.EMPTY;
    return this.memo(this.differences, a, b, true, subtract);
  }

  /**
   * `combine(a, b)` by id, computed once per pair: keyed on the pair as given
   * when `ordered` (subtraction), else on the pair sorted, so that `a, b` and
   * `b, a` share one entry (union and intersection are commutative).
   */
  private memo(
    table: Map<number | string, number>, a: number, b: number, ordered: boolean, combine: Combine,
  ): number {
    const key = ordered || a < b ? pairKey(a, b) : pairKey(b, a);
    let result = table.get(key);
    if (result === undefined) {
      result = this.id(combine(this.sets[a], this.sets[b]));
      table.set(key, result);
    }
    return result;
  }
}

/** The memo key of the pair of ids in this order: a small integer while both are below 2^15. */
function pairKey(first: number, second: number): number | string {
  return first < PAIR && second < PAIR ? first * PAIR + second : `${first},${second}`;
}

import { ConnectionSet } from './connection-set';

/**
 * Keys two ids into one small integer: with ids below 2^15 the key stays a V8
 * small integer, so memo lookups allocate nothing (a heap number per lookup
 * made garbage collection half the cost of a large analysis).
 */
const PAIR = 2 ** 15;

/**
 * Interns connection sets as small integers, with memoized union and
 * intersection: an analysis of thousands of endpoints meets only a handful of
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
    return this.memo(this.unions, a, b, (x, y) => x.union(y));
  }

  /** The id of the intersection of two sets given by id. */
  public intersect(a: number, b: number): number {
    if (a === b || b === ConnectionPool.ALL || a === ConnectionPool.EMPTY) return a;
    if (a === ConnectionPool.ALL || b === ConnectionPool.EMPTY) return b;
    return this.memo(this.intersections, a, b, (x, y) => x.intersect(y));
  }

  /** The id of the set `a` without the connections of `b` (both given by id). */
  public subtract(a: number, b: number): number {
    if (a === ConnectionPool.EMPTY || b === ConnectionPool.EMPTY) return a;
    if (a === b || b === ConnectionPool.ALL) return ConnectionPool.EMPTY;
    // Ordered (a minus b is not b minus a): a small integer while both ids are below 2^15.
    const key = a < PAIR && b < PAIR ? a * PAIR + b : `${a}-${b}`;
    let result = this.differences.get(key);
    if (result === undefined) {
      result = this.id(this.sets[a].subtract(this.sets[b]));
      this.differences.set(key, result);
    }
    return result;
  }

  private memo(table: Map<number | string, number>, a: number, b: number, combine: (x: ConnectionSet, y: ConnectionSet) => ConnectionSet): number {
    const key = pairKey(a, b);
    let result = table.get(key);
    if (result === undefined) {
      result = this.id(combine(this.sets[a], this.sets[b]));
      table.set(key, result);
    }
    return result;
  }
}

/** The memo key of an unordered pair of ids (operations are commutative). */
function pairKey(a: number, b: number): number | string {
  const [low, high] = a < b ? [a, b] : [b, a];
  return high < PAIR ? low * PAIR + high : `${low},${high}`;
}

/* eslint-disable no-bitwise -- a bitset is bit arithmetic */

/** A fixed-size set of small integers (endpoint indexes), 32 per word. */
export class Bitset {
  public static full(size: number): Bitset {
    const set = new Bitset(size);
    set.words.fill(0xffffffff);
    const tail = size % 32;
    if (tail !== 0) set.words[set.words.length - 1] = (1 << tail) - 1;
    return set;
  }

  public readonly words: Uint32Array;

  constructor(public readonly size: number) {
    this.words = new Uint32Array(Math.ceil(size / 32));
  }

  public has(i: number): boolean {
    return (this.words[i >>> 5] & (1 << (i & 31))) !== 0;
  }

  public add(i: number): void {
    this.words[i >>> 5] |= 1 << (i & 31);
  }

  /** this |= other */
  public or(other: Bitset): void {
    const a = this.words;
    const b = other.words;
    for (let w = 0; w < a.length; w++) a[w] |= b[w];
  }

  /** this |= (x & y), without allocating. */
  public orAnd(x: Bitset, y: Bitset): void {
    const a = this.words;
    for (let w = 0; w < a.length; w++) a[w] |= x.words[w] & y.words[w];
  }

  /** A new set: this & other. */
  public and(other: Bitset): Bitset {
    const result = new Bitset(this.size);
    for (let w = 0; w < result.words.length; w++) result.words[w] = this.words[w] & other.words[w];
    return result;
  }

  /** Calls `visit` for every member, in increasing order. */
  public forEach(visit: (i: number) => void): void {
    const words = this.words;
    for (let w = 0; w < words.length; w++) {
      let word = words[w];
      while (word !== 0) {
        const low = word & -word;
        visit(w * 32 + 31 - Math.clz32(low));
        word ^= low;
      }
    }
  }

  /** The number of members. */
  public count(): number {
    let total = 0;
    for (let w = 0; w < this.words.length; w++) {
      let v = this.words[w];
      v -= (v >>> 1) & 0x55555555;
      v = (v & 0x33333333) + ((v >>> 2) & 0x33333333);
      total += (((v + (v >>> 4)) & 0x0f0f0f0f) * 0x01010101) >>> 24;
    }
    return total;
  }
}

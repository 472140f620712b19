import * as fc from 'fast-check';
import { ConnectionSet } from '../../src/analysis/connection-set';
import { Protocol } from '../../src/protocol';

const PROTOCOLS = [Protocol.TCP, Protocol.UDP, Protocol.SCTP];

/** The naive model: one bit per port and protocol (index 0 unused). Plain loops: the suite runs it on every property run. */
type Bits = Record<Protocol, Uint8Array>;

function bitsOf(set: ConnectionSet): Bits {
  const bits = {} as Bits;
  for (const p of PROTOCOLS) {
    bits[p] = new Uint8Array(65536);
    for (const r of set.portRanges(p)) bits[p].fill(1, r.first, r.last + 1);
  }
  return bits;
}

/** The operations of the model, one plain loop each: per-element callbacks are slow in Jest's sandbox. */
type Operation = 'union' | 'intersect' | 'subtract';

function combine(a: Bits, b: Bits, operation: Operation): Bits {
  const result = {} as Bits;
  for (const p of PROTOCOLS) {
    const [x, y, out] = [a[p], b[p], new Uint8Array(65536)];
    if (operation === 'union') for (let i = 1; i < 65536; i++) out[i] = x[i] === 1 || y[i] === 1 ? 1 : 0;
    else if (operation === 'intersect') for (let i = 1; i < 65536; i++) out[i] = x[i] === 1 && y[i] === 1 ? 1 : 0;
    else for (let i = 1; i < 65536; i++) out[i] = x[i] === 1 && y[i] === 0 ? 1 : 0;
    result[p] = out;
  }
  return result;
}

function sameBits(a: Bits, b: Bits): boolean {
  for (const p of PROTOCOLS) {
    const [x, y] = [a[p], b[p]];
    for (let i = 1; i < 65536; i++) if (x[i] !== y[i]) return false;
  }
  return true;
}

/** Whether every port of every protocol has the value. */
function everyPortIs(bits: Bits, value: number): boolean {
  for (const p of PROTOCOLS) {
    const x = bits[p];
    for (let i = 1; i < 65536; i++) if (x[i] !== value) return false;
  }
  return true;
}

// Edges of the port space are where off-by-one mistakes hide, so ports near them are likely.
const portArb = fc.oneof(fc.integer({ min: 1, max: 65535 }), fc.constantFrom(1, 2, 53, 54, 65534, 65535), fc.integer({ min: 50, max: 60 }));
const widthArb = fc.oneof(fc.constant(0), fc.integer({ min: 0, max: 5 }), fc.integer({ min: 0, max: 70000 }));
const rangeArb = fc.tuple(fc.constantFrom(...PROTOCOLS), portArb, widthArb)
  .map(([protocol, first, width]) => ConnectionSet.ports(protocol, first, Math.min(65535, first + width)));
const setArb = fc.oneof(
  { weight: 1, arbitrary: fc.constantFrom(ConnectionSet.all(), ConnectionSet.none(), ConnectionSet.protocol(Protocol.UDP)) },
  { weight: 5, arbitrary: fc.array(rangeArb, { maxLength: 6 }).map((ranges) => ranges.reduce((a, b) => a.union(b), ConnectionSet.none())) },
);

describe('ConnectionSet agrees with a bit-per-port model', () => {
  test('union, intersect and subtract', () => {
    fc.assert(fc.property(setArb, setArb, (a, b) => {
      const [x, y] = [bitsOf(a), bitsOf(b)];
      expect(sameBits(bitsOf(a.union(b)), combine(x, y, 'union'))).toBe(true);
      expect(sameBits(bitsOf(a.intersect(b)), combine(x, y, 'intersect'))).toBe(true);
      expect(sameBits(bitsOf(a.subtract(b)), combine(x, y, 'subtract'))).toBe(true);
    }), { numRuns: 200 });
  });

  test('isSameAs, isEmpty, isAll, isSubsetOf, allows and the JSON form', () => {
    fc.assert(fc.property(setArb, setArb, portArb, fc.constantFrom(...PROTOCOLS), (a, b, port, protocol) => {
      const [x, y] = [bitsOf(a), bitsOf(b)];
      expect(a.isSameAs(b)).toBe(sameBits(x, y));
      expect(a.isEmpty).toBe(everyPortIs(x, 0));
      expect(a.isAll).toBe(everyPortIs(x, 1));
      expect(a.allows(port, protocol)).toBe(x[protocol][port] === 1);
      expect(ConnectionSet.fromJson(a.toJson()).isSameAs(a)).toBe(true);
      expect(a.isSubsetOf(b)).toBe(sameBits(combine(x, y, 'subtract'), bitsOf(ConnectionSet.none())));
    }), { numRuns: 200 });
  });

  test('ranges come out sorted, disjoint and not touching, so equal sets print alike', () => {
    fc.assert(fc.property(setArb, (a) => {
      for (const p of PROTOCOLS) {
        const ranges = a.portRanges(p);
        ranges.forEach((r, i) => {
          expect(r.first).toBeLessThanOrEqual(r.last);
          if (i > 0) expect(r.first).toBeGreaterThan(ranges[i - 1].last + 1);
        });
      }
    }), { numRuns: 200 });
  });
});

describe('ConnectionSet', () => {
  test('reads as the CLI prints it', () => {
    const tcp8080 = ConnectionSet.ports(Protocol.TCP, 8080);
    expect(tcp8080.union(ConnectionSet.ports(Protocol.UDP, 53)).toString()).toBe('TCP 8080, UDP 53');
    expect(ConnectionSet.all().toString()).toBe('all connections');
    expect(ConnectionSet.none().toString()).toBe('nothing');
    expect(ConnectionSet.protocol(Protocol.TCP).subtract(tcp8080).toString()).toBe('TCP 1-8079, 8081-65535');
    expect(ConnectionSet.protocol(Protocol.TCP).union(ConnectionSet.ports(Protocol.UDP, 53)).toString()).toBe('all TCP, UDP 53');
  });

  test('the JSON form lists only protocols with ports, as [first, last] pairs', () => {
    const set = ConnectionSet.ports(Protocol.TCP, 8000, 8100).union(ConnectionSet.ports(Protocol.TCP, 443));
    expect(set.toJson()).toEqual({ TCP: [[443, 443], [8000, 8100]] });
    expect(ConnectionSet.none().toJson()).toEqual({});
    expect(ConnectionSet.all().toJson()).toEqual({ TCP: [[1, 65535]], UDP: [[1, 65535]], SCTP: [[1, 65535]] });
  });

  test('adjacent ranges merge', () => {
    const set = ConnectionSet.ports(Protocol.TCP, 80, 89).union(ConnectionSet.ports(Protocol.TCP, 90, 99));
    expect(set.portRanges(Protocol.TCP)).toEqual([{ first: 80, last: 99 }]);
    expect(set.isSameAs(ConnectionSet.ports(Protocol.TCP, 80, 99))).toBe(true);
  });

  test('bad ports, ranges and protocols are refused with the value', () => {
    expect(() => ConnectionSet.ports(Protocol.TCP, 0)).toThrow('Invalid port 0: a port is a whole number from 1 to 65535.');
    expect(() => ConnectionSet.ports(Protocol.TCP, 80, 70000)).toThrow('Invalid last port 70000');
    expect(() => ConnectionSet.ports(Protocol.TCP, 90, 80)).toThrow('Invalid port range 90-80: the last port is below the first.');
    expect(() => ConnectionSet.ports('tcp' as Protocol, 80)).toThrow('Invalid protocol "tcp": use TCP, UDP or SCTP.');
    expect(() => ConnectionSet.fromJson({ TCP: [[80]] })).toThrow('A TCP port range must be [first, last], got [80].');
    expect(() => ConnectionSet.fromJson({ ICMP: [[1, 2]] })).toThrow('Invalid protocol "ICMP"');
  });

  test('is immutable', () => {
    const set = ConnectionSet.ports(Protocol.TCP, 80);
    expect(() => ((set.portRanges(Protocol.TCP) as any)[0].first = 1)).not.toThrow();
    expect(set.allows(80)).toBe(true);
    expect(set.allows(1)).toBe(false);
    expect(Object.isFrozen(set)).toBe(true);
  });
});

import { isIPv4, isIPv6 } from 'net';

/**
 * Addresses as numbers, parsed with Node's own checks and a plain expansion:
 * a second implementation beside the analyzer's, for property tests that read
 * `ip:<first>-<last>` ranges back.
 */
export interface AddressValue {
  readonly family: 4 | 6;
  readonly value: bigint;
}

export function parseAddress(text: string): AddressValue {
  if (isIPv4(text)) return { family: 4, value: text.split('.').reduce((v, octet) => v * 256n + BigInt(octet), 0n) };
  if (!isIPv6(text)) throw new Error(`not an address: ${text}`);
  const halves = text.split('::').map((half) => (half === '' ? [] : half.split(':')).flatMap(expandGroup));
  const groups = halves.length === 1 ? halves[0] : [...halves[0], ...Array(8 - halves[0].length - halves[1].length).fill(0), ...halves[1]];
  return { family: 6, value: groups.reduce((v, g) => v * 65536n + BigInt(g), 0n) };
}

/** A group of an IPv6 address; an embedded IPv4 address (the last 32 bits) is two groups. */
function expandGroup(group: string): number[] {
  if (!isIPv4(group)) return [parseInt(group, 16)];
  const [a, b, c, d] = group.split('.').map(Number);
  return [a * 256 + b, c * 256 + d];
}

/** Whether `ip:<first>-<last>` (or `ip:<address>`) holds `ip:<address>`. */
export function rangeHolds(range: string, address: string): boolean {
  const [first, last] = range.slice(3).split('-');
  const [a, f, l] = [parseAddress(address.slice(3)), parseAddress(first), parseAddress(last ?? first)];
  return a.family === f.family && f.value <= a.value && a.value <= l.value;
}

import { cidrSize, formatIp, IpFamily, ParsedCidr } from '../validation/cidr';

const BITS: Readonly<Record<IpFamily, number>> = { 4: 32, 6: 128 };

/** An inclusive range of addresses of one family, outside the cluster. */
export interface AddressRange {
  readonly family: IpFamily;
  readonly first: bigint;
  readonly last: bigint;
}

/** Both families, IPv4 first: the order ranges are listed in. */
export const IP_FAMILIES: readonly IpFamily[] = [4, 6];

/**
 * The IPv4-mapped IPv6 addresses, `::ffff:0:0/96`: each is the IPv4 address it
 * maps (the kernel sends IPv4 to it, and point queries judge it so), so the
 * IPv6 ranges leave this block out and the IPv4 ranges stand for it.
 */
export const IPV4_MAPPED: AddressRange = { family: 6, first: 0xffff00000000n, last: 0xffffffffffffn };

/**
 * `ip:<first>-<last>`, or `ip:<address>` for a single address: how endpoints
 * outside the cluster are written in `list` and `diff` reports.
 */
export function formatAddressRange(range: AddressRange): string {
  const first = formatIp(range.family, range.first);
  return range.first === range.last ? `ip:${first}` : `ip:${first}-${formatIp(range.family, range.last)}`;
}

/**
 * Splits the address space of a family at the edges of the CIDRs: within each
 * returned range every CIDR either contains every address or none, so any
 * ipBlock (a cidr minus excepts) decides the whole range the same way. The
 * ranges are sorted, disjoint and cover the space, but for IPv6's IPv4-mapped
 * block (`IPV4_MAPPED`), which the IPv4 ranges stand for.
 */
export function splitAddressSpace(family: IpFamily, cidrs: Iterable<ParsedCidr>): AddressRange[] {
  const end = 2n ** BigInt(BITS[family]);
  const starts = new Set<bigint>([0n]);
  if (family === 6) starts.add(IPV4_MAPPED.first).add(IPV4_MAPPED.last + 1n);
  for (const cidr of cidrs) {
    if (cidr.family !== family) continue;
    starts.add(cidr.network);
    const after = cidr.network + cidrSize(cidr);
    if (after < end) starts.add(after);
  }
  const sorted = [...starts].sort((a, b) => (a < b ? -1 : a > b ? 1 : 0));
  return sorted
    .map((first, i) => ({ family, first, last: i + 1 < sorted.length ? sorted[i + 1] - 1n : end - 1n }))
    .filter((range) => !(range.family === 6 && range.first >= IPV4_MAPPED.first && range.last <= IPV4_MAPPED.last));
}

/** Orders ranges by family, then first address. */
export function compareAddressRanges(a: AddressRange, b: AddressRange): number {
  if (a.family !== b.family) return a.family - b.family;
  return a.first < b.first ? -1 : a.first > b.first ? 1 : 0;
}

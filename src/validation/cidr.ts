/* eslint-disable no-bitwise -- address arithmetic on bigints is the point of this module */
/**
 * IPv4/IPv6 addresses and CIDRs, parsed as strictly as Go's net.ParseCIDR
 * (which the API server uses): no leading zeros in IPv4 octets, no zones;
 * and, like the API server's strict validation, no IPv4-mapped IPv6 CIDRs.
 * Addresses are bigints so both families share one code path.
 */

/** An IP address family. */
export type IpFamily = 4 | 6;

/** A parsed, canonical CIDR. */
export interface ParsedCidr {
  readonly family: IpFamily;
  /** The network address (host bits are zero). */
  readonly network: bigint;
  readonly prefix: number;
  /** Canonical text, e.g. "10.0.0.0/8" or "fc00::/7". */
  readonly text: string;
}

const BITS: Record<IpFamily, number> = { 4: 32, 6: 128 };

/** Parses an IPv4 or IPv6 address; returns undefined when it is not one. */
export function parseIp(text: string): { family: IpFamily; value: bigint } | undefined {
  if (typeof text !== 'string') {
    return undefined;
  }
  if (text.includes(':')) {
    const value = parseIpv6(text);
    return value === undefined ? undefined : { family: 6, value };
  }
  const value = parseIpv4(text);
  return value === undefined ? undefined : { family: 4, value };
}

function parseIpv4(text: string): bigint | undefined {
  const parts = text.split('.');
  if (parts.length !== 4) {
    return undefined;
  }
  let value = 0n;
  for (const part of parts) {
    // Go rejects leading zeros ("010" could be read as octal): so do we.
    if (!/^(0|[1-9][0-9]{0,2})$/.test(part)) {
      return undefined;
    }
    const octet = Number(part);
    if (octet > 255) {
      return undefined;
    }
    value = (value << 8n) | BigInt(octet);
  }
  return value;
}

function parseIpv6(text: string): bigint | undefined {
  let body = text;
  // An embedded IPv4 address may stand for the last 32 bits (e.g. ::ffff:10.0.0.1):
  // rewrite it as two hex groups so one grammar handles both forms.
  const lastColon = body.lastIndexOf(':');
  const last = body.slice(lastColon + 1);
  if (last.includes('.')) {
    const v4 = parseIpv4(last);
    if (v4 === undefined) {
      return undefined;
    }
    body = `${body.slice(0, lastColon + 1)}${(v4 >> 16n).toString(16)}:${(v4 & 0xffffn).toString(16)}`;
  }
  const halves = body.split('::');
  if (halves.length > 2) {
    return undefined;
  }
  const head = parseGroups(halves[0]);
  const rest = halves.length === 2 ? parseGroups(halves[1]) : [];
  if (head === undefined || rest === undefined) {
    return undefined;
  }
  let groups = head;
  if (halves.length === 2) {
    const missing = 8 - head.length - rest.length;
    if (missing < 1) {
      return undefined;
    }
    groups = [...head, ...new Array<bigint>(missing).fill(0n), ...rest];
  }
  if (groups.length !== 8) {
    return undefined;
  }
  return groups.reduce((acc, g) => (acc << 16n) | g, 0n);
}

function parseGroups(text: string): bigint[] | undefined {
  if (text === '') {
    return [];
  }
  const groups: bigint[] = [];
  for (const group of text.split(':')) {
    if (!/^[0-9A-Fa-f]{1,4}$/.test(group)) {
      return undefined;
    }
    groups.push(BigInt(parseInt(group, 16)));
  }
  return groups;
}

/** Formats an address canonically (RFC 5952 for IPv6). */
export function formatIp(family: IpFamily, value: bigint): string {
  if (family === 4) {
    return [24n, 16n, 8n, 0n].map((s) => ((value >> s) & 0xffn).toString()).join('.');
  }
  const groups: number[] = [];
  for (let i = 7; i >= 0; i--) {
    groups.push(Number((value >> BigInt(i * 16)) & 0xffffn));
  }
  // the longest run (of two or more) of zero groups becomes "::"
  let bestStart = -1;
  let bestLen = 1;
  for (let i = 0; i < 8; ) {
    if (groups[i] !== 0) {
      i++;
      continue;
    }
    let j = i;
    while (j < 8 && groups[j] === 0) j++;
    if (j - i > bestLen) {
      bestStart = i;
      bestLen = j - i;
    }
    i = j;
  }
  const hex = groups.map((g) => g.toString(16));
  if (bestStart < 0) {
    return hex.join(':');
  }
  return `${hex.slice(0, bestStart).join(':')}::${hex.slice(bestStart + bestLen).join(':')}`;
}

/** How strictly to parse a CIDR. */
export interface ParseCidrOptions {
  /**
   * Accept host bits after the prefix (the API server does, and masks them), reporting
   * them as `hostBits` instead of a problem. The constructs reject them; the analyzer,
   * reading manifests a cluster accepted, does not.
   */
  readonly allowHostBits?: boolean;
}

/** Parses a CIDR, or explains (with a suggested fix) why it is not one. */
export function parseCidr(text: string, options: ParseCidrOptions = {}): { cidr?: ParsedCidr; problem?: string; hostBits?: string } {
  if (typeof text !== 'string' || text.trim() === '') {
    return { problem: 'a CIDR must be a non-empty string such as "10.0.0.0/8"' };
  }
  const slash = text.indexOf('/');
  if (slash < 0) {
    const ip = parseIp(text);
    if (ip) {
      const suggestion = isIpv4Mapped(ip.family, ip.value) ? `${formatIp(4, ip.value & 0xffffffffn)}/32` : `${text}/${BITS[ip.family]}`;
      return { problem: `the CIDR mask is missing: did you mean "${suggestion}"?` };
    }
    return { problem: 'it is not an IPv4 or IPv6 CIDR such as "10.0.0.0/8" or "2001:db8::/32"' };
  }
  const ip = parseIp(text.slice(0, slash));
  if (!ip) {
    return { problem: `"${text.slice(0, slash)}" is not an IPv4 or IPv6 address` };
  }
  const bits = BITS[ip.family];
  const maskText = text.slice(slash + 1);
  if (!/^(0|[1-9][0-9]{0,2})$/.test(maskText) || Number(maskText) > bits) {
    const fix = /^0+[0-9]+$/.test(maskText) && Number(maskText) <= bits
      ? `: did you mean "${text.slice(0, slash)}/${Number(maskText)}"?`
      : '';
    return { problem: `the prefix length "${maskText}" must be a number from 0 to ${bits} without leading zeros${fix}` };
  }
  const prefix = Number(maskText);
  const hostBits = BigInt(bits - prefix);
  const network = (ip.value >> hostBits) << hostBits;
  if (isIpv4Mapped(ip.family, ip.value)) {
    // Go reads an IPv4-mapped address (::ffff:a.b.c.d) as IPv4, other parsers as IPv6. The API
    // server warns that it will become invalid, and its strict validation rejects it: so do we.
    const fix = prefix >= 96 ? `: did you mean "${formatIp(4, network & 0xffffffffn)}/${prefix - 96}"?` : ' form';
    return { problem: `"${text.slice(0, slash)}" is an IPv4-mapped IPv6 address, which is ambiguous; write IPv4 CIDRs in IPv4${fix}` };
  }
  const canonical = `${formatIp(ip.family, network)}/${prefix}`;
  if (network !== ip.value) {
    if (options.allowHostBits) {
      return { cidr: { family: ip.family, network, prefix, text: canonical }, hostBits: `host bits are set after the /${prefix} prefix; it means "${canonical}"` };
    }
    return { problem: `host bits are set after the /${prefix} prefix: did you mean "${canonical}"?` };
  }
  return { cidr: { family: ip.family, network, prefix, text: canonical } };
}

/**
 * The address a packet really has: an IPv4-mapped IPv6 address (::ffff:a.b.c.d)
 * is the IPv4 address a.b.c.d, as the kernel and Kubernetes treat it.
 */
export function unmapIpv4(ip: { family: IpFamily; value: bigint }): { family: IpFamily; value: bigint } {
  return isIpv4Mapped(ip.family, ip.value) ? { family: 4, value: ip.value & 0xffffffffn } : ip;
}

/** True for an IPv4-mapped IPv6 address (::ffff:0:0/96), Go's `Is4In6`. */
function isIpv4Mapped(family: IpFamily, value: bigint): boolean {
  return family === 6 && value >> 32n === 0xffffn;
}

/** True when `inner` lies inside `outer` (same family, at least as long a prefix). */
export function cidrContains(outer: ParsedCidr, inner: ParsedCidr): boolean {
  return inner.prefix >= outer.prefix && cidrContainsIp(outer, inner.family, inner.network);
}

/** How many addresses the CIDR holds (a power of two). */
export function cidrSize(cidr: ParsedCidr): bigint {
  return 2n ** BigInt(BITS[cidr.family] - cidr.prefix);
}

/** The first address past the CIDR, or undefined when it ends the address space. */
export function addressAfter(cidr: ParsedCidr): bigint | undefined {
  const next = cidr.network + cidrSize(cidr);
  return next < 2n ** BigInt(BITS[cidr.family]) ? next : undefined;
}

/** True when the address lies inside the CIDR. */
export function cidrContainsIp(outer: ParsedCidr, family: IpFamily, value: bigint): boolean {
  if (outer.family !== family) {
    return false;
  }
  const shift = BigInt(BITS[family] - outer.prefix);
  return value >> shift === outer.network >> shift;
}

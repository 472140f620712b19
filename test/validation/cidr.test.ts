import * as fc from 'fast-check';
import { cidrContains, cidrContainsIp, formatIp, IpFamily, parseCidr, ParsedCidr, parseIp } from '../../src/validation/cidr';

/** Parses a CIDR the test knows to be valid. */
function cidr(text: string): ParsedCidr {
  const parsed = parseCidr(text);
  if (!parsed.cidr) {
    throw new Error(`test setup: ${text} should be a valid CIDR: ${parsed.problem}`);
  }
  return parsed.cidr;
}

describe('parseIp', () => {
  test('reads an IPv4 address', () => {
    expect(parseIp('10.0.0.1')).toEqual({ family: 4, value: 0x0a000001n });
    expect(parseIp('255.255.255.255')).toEqual({ family: 4, value: 0xffffffffn });
  });

  test('reads IPv6 addresses in every textual form', () => {
    expect(parseIp('::')).toEqual({ family: 6, value: 0n });
    expect(parseIp('::1')).toEqual({ family: 6, value: 1n });
    expect(parseIp('2001:DB8::0001')).toEqual({ family: 6, value: 0x20010db8000000000000000000000001n });
    expect(parseIp('1:2:3:4:5:6:7:8')).toEqual({ family: 6, value: 0x00010002000300040005000600070008n });
    expect(parseIp('64:ff9b::192.0.2.33')).toEqual({ family: 6, value: 0x0064ff9b0000000000000000c0000221n });
  });

  test.each([
    '', '10.0.0', '10.0.0.0.0', '010.0.0.1', '10.0.0.256', '10.0.0.-1', '10.0.0.1 ', ' 10.0.0.1', '0x0a.0.0.1',
    '1:::2', '1::2::3', ':1:2:3:4:5:6:7', '1:2:3:4:5:6:7:', '1:2:3:4:5:6:7:8:9', '1:2:3:4:5:6:7:8::', '12345::', 'g::',
    'fe80::1%eth0', '::10.0.0.256', '1.2.3.4::', '::1.2.3.4:5',
  ])('%p is not an address', (text) => {
    expect(parseIp(text)).toBeUndefined();
  });
});

describe('formatIp', () => {
  test.each([
    [0n, '::'],
    [1n, '::1'],
    [0x20010db8000000000000000000000000n, '2001:db8::'],
    [0x20010db8000000010000000000000000n, '2001:db8:0:1::'],
    // the longest run of zero groups is compressed
    [0x20010db8000000000001000000000000n, '2001:db8:0:0:1::'],
    // of two equally long runs, the first is compressed
    [0x20010db8000000000001000000000001n, '2001:db8::1:0:0:1'],
    // a single zero group is not compressed
    [0x20010db8000000010001000100010001n, '2001:db8:0:1:1:1:1:1'],
    [0xfe800000000000000000000000000000n, 'fe80::'],
  ])('IPv6 %s is written %s (RFC 5952)', (value, text) => {
    expect(formatIp(6, value)).toBe(text);
  });

  test('IPv4 is dotted decimal', () => {
    expect(formatIp(4, 0xc0a80107n)).toBe('192.168.1.7');
    expect(formatIp(4, 0n)).toBe('0.0.0.0');
  });
});

describe('parseCidr: valid CIDRs, canonical text', () => {
  test.each([
    ['10.0.0.0/8', 4, 0x0a000000n, 8, '10.0.0.0/8'],
    ['0.0.0.0/0', 4, 0n, 0, '0.0.0.0/0'],
    ['192.168.1.7/32', 4, 0xc0a80107n, 32, '192.168.1.7/32'],
    ['169.254.0.0/16', 4, 0xa9fe0000n, 16, '169.254.0.0/16'],
    ['2001:DB8:0:0::/32', 6, 0x20010db8n * 2n ** 96n, 32, '2001:db8::/32'],
    ['2001:0db8:0000:0000:0000:0000:0000:0000/32', 6, 0x20010db8n * 2n ** 96n, 32, '2001:db8::/32'],
    ['::/0', 6, 0n, 0, '::/0'],
    ['::1/128', 6, 1n, 128, '::1/128'],
    ['FC00::/7', 6, 0xfcn * 2n ** 120n, 7, 'fc00::/7'],
    ['fe80::/10', 6, 0xfe80n * 2n ** 112n, 10, 'fe80::/10'],
    ['2001:db8:0:1:0:0:0:0/64', 6, 0x20010db800000001n * 2n ** 64n, 64, '2001:db8:0:1::/64'],
    ['::10.0.0.1/128', 6, 0x0a000001n, 128, '::a00:1/128'],
  ])('%s -> %s', (text, family, network, prefix, canonical) => {
    expect(parseCidr(text)).toEqual({ cidr: { family, network, prefix, text: canonical } });
  });

  test('the canonical text parses to the same CIDR', () => {
    // GIVEN a non-canonical spelling
    const first = cidr('2001:0DB8:0000:0000:0000:0000:0000:0000/32');

    // WHEN its canonical text is parsed again
    const second = cidr(first.text);

    // THEN nothing changes
    expect(second).toEqual(first);
    expect(second.text).toBe('2001:db8::/32');
  });
});

describe('parseCidr: what the API server rejects', () => {
  test.each([
    ['10.0.0.1', '10.0.0.1/32'],
    ['0.0.0.0', '0.0.0.0/32'],
    ['2001:db8::1', '2001:db8::1/128'],
    ['::', '::/128'],
  ])('a missing mask on %s suggests %s', (text, suggestion) => {
    expect(parseCidr(text)).toEqual({ problem: `the CIDR mask is missing: did you mean "${suggestion}"?` });
  });

  test.each([
    ['10.0.0.1/8', 8, '10.0.0.0/8'],
    ['192.168.1.7/24', 24, '192.168.1.0/24'],
    ['255.255.255.255/0', 0, '0.0.0.0/0'],
    ['2001:db8::1/32', 32, '2001:db8::/32'],
    ['2001:DB8:0:0:0:0:0:1/64', 64, '2001:db8::/64'],
    ['fe80::1/10', 10, 'fe80::/10'],
    ['::1/0', 0, '::/0'],
  ])('host bits set in %s suggest the canonical network', (text, prefix, canonical) => {
    expect(parseCidr(text)).toEqual({ problem: `host bits are set after the /${prefix} prefix: did you mean "${canonical}"?` });
  });

  test.each([
    ['010.0.0.0/8', '010.0.0.0'],
    ['10.00.0.0/16', '10.00.0.0'],
    ['256.0.0.0/8', '256.0.0.0'],
    ['10.0.0.300/32', '10.0.0.300'],
    ['10.0.0/8', '10.0.0'],
    ['10.0.0.0.0/8', '10.0.0.0.0'],
    ['not-a-cidr/8', 'not-a-cidr'],
    ['/8', ''],
    ['1:::2/64', '1:::2'],
    ['1::2::3/64', '1::2::3'],
    ['1:2:3:4:5:6:7:8:9/64', '1:2:3:4:5:6:7:8:9'],
    ['1:2:3:4:5:6:7:8::/64', '1:2:3:4:5:6:7:8::'],
    ['12345::/16', '12345::'],
    ['g::/16', 'g::'],
    ['fe80::1%eth0/64', 'fe80::1%eth0'],
    ['::ffff:10.0.0.256/104', '::ffff:10.0.0.256'],
  ])('%s: the address part is rejected', (text, address) => {
    expect(parseCidr(text)).toEqual({ problem: `"${address}" is not an IPv4 or IPv6 address` });
  });

  test.each([
    ['10.0.0.0/33', '33', 32],
    ['10.0.0.0/-1', '-1', 32],
    ['10.0.0.0/08', '08', 32],
    ['10.0.0.0/', '', 32],
    ['10.0.0.0/8/8', '8/8', 32],
    ['10.0.0.0/ 8', ' 8', 32],
    ['2001:db8::/129', '129', 128],
    ['::/1000', '1000', 128],
    ['::/x', 'x', 128],
  ])('%s: the prefix length is rejected', (text, mask, bits) => {
    const fix = text === '10.0.0.0/08' ? ': did you mean "10.0.0.0/8"?' : '';
    expect(parseCidr(text)).toEqual({ problem: `the prefix length "${mask}" must be a number from 0 to ${bits} without leading zeros${fix}` });
  });

  test.each(['garbage', 'localhost', '10.0.0.0.0', '1:::2'])('%p is not a CIDR at all', (text) => {
    expect(parseCidr(text)).toEqual({ problem: 'it is not an IPv4 or IPv6 CIDR such as "10.0.0.0/8" or "2001:db8::/32"' });
  });

  test.each(['', '   ', undefined, 42])('%p is not a non-empty string', (text) => {
    expect(parseCidr(text as string)).toEqual({ problem: 'a CIDR must be a non-empty string such as "10.0.0.0/8"' });
  });

  test.each([
    ['::ffff:10.0.0.0/104', '::ffff:10.0.0.0', '10.0.0.0/8'],
    ['::ffff:a00:0/104', '::ffff:a00:0', '10.0.0.0/8'],
    ['::FFFF:192.168.1.7/128', '::FFFF:192.168.1.7', '192.168.1.7/32'],
    ['::ffff:10.1.2.3/104', '::ffff:10.1.2.3', '10.0.0.0/8'],
    ['::ffff:0.0.0.0/96', '::ffff:0.0.0.0', '0.0.0.0/0'],
  ])('the IPv4-mapped IPv6 CIDR %s is rejected in favour of %s', (text, address, suggestion) => {
    expect(parseCidr(text)).toEqual({
      problem: `"${address}" is an IPv4-mapped IPv6 address, which is ambiguous; write IPv4 CIDRs in IPv4: did you mean "${suggestion}"?`,
    });
  });

  test('an IPv4-mapped CIDR shorter than /96 is rejected without a suggestion', () => {
    expect(parseCidr('::ffff:0:0/80')).toEqual({
      problem: '"::ffff:0:0" is an IPv4-mapped IPv6 address, which is ambiguous; write IPv4 CIDRs in IPv4 form',
    });
  });

  test('a missing mask on an IPv4-mapped address suggests the IPv4 host', () => {
    expect(parseCidr('::ffff:10.0.0.1')).toEqual({ problem: 'the CIDR mask is missing: did you mean "10.0.0.1/32"?' });
  });
});

describe('cidrContains', () => {
  test.each([
    ['10.0.0.0/8', '10.1.0.0/16', true],
    ['10.0.0.0/8', '10.0.0.0/8', true],
    ['10.0.0.0/8', '10.255.255.255/32', true],
    ['0.0.0.0/0', '203.0.113.0/24', true],
    ['10.0.0.0/16', '10.0.0.0/8', false],
    ['10.0.0.0/8', '11.0.0.0/16', false],
    ['172.16.0.0/12', '172.32.0.0/16', false],
    ['2001:db8::/32', '2001:db8:ffff::/48', true],
    ['2001:db8::/32', '2001:db9::/48', false],
    ['::/0', 'fe80::/10', true],
    ['0.0.0.0/0', '::/0', false],
    ['::/0', '10.0.0.0/8', false],
  ])('%s contains %s: %s', (outer, inner, expected) => {
    expect(cidrContains(cidr(outer), cidr(inner))).toBe(expected);
  });

  test.each([
    ['10.0.0.0/8', '10.20.30.40', true],
    ['10.0.0.0/8', '11.0.0.0', false],
    ['10.0.0.0/8', '::a00:1', false],
    ['fc00::/7', 'fd12::1', true],
    ['fc00::/7', 'fe80::1', false],
  ])('%s contains the address %s: %s', (outer, address, expected) => {
    const ip = parseIp(address)!;
    expect(cidrContainsIp(cidr(outer), ip.family, ip.value)).toBe(expected);
  });
});

describe('properties (fast-check)', () => {
  const WIDTH: Record<IpFamily, number> = { 4: 32, 6: 128 };

  /** An address as a bit string; IPv6 addresses often have runs of zero groups. */
  const addressBits = (family: IpFamily): fc.Arbitrary<string> => (family === 4
    ? fc.array(fc.boolean(), { minLength: 32, maxLength: 32 }).map((bs) => bs.map((b) => (b ? '1' : '0')).join(''))
    : fc.array(fc.oneof(fc.constant(0), fc.integer({ min: 0, max: 0xffff })), { minLength: 8, maxLength: 8 })
      .map((groups) => groups.map((g) => g.toString(2).padStart(16, '0')).join('')));

  const familyBitsPrefix = fc.constantFrom<IpFamily>(4, 6).chain((family) =>
    fc.tuple(fc.constant(family), addressBits(family), fc.integer({ min: 0, max: WIDTH[family] })));

  /** Zeroes every bit after the prefix, with string slicing only. */
  const networkOf = (bits: string, prefix: number): string => bits.slice(0, prefix) + '0'.repeat(bits.length - prefix);

  /** Naive text of an address: dotted decimal, or eight uncompressed hex groups (padded and upper-cased at will). */
  const naiveText = (family: IpFamily, bits: string, style: { pad: boolean; upper: boolean } = { pad: false, upper: false }): string => {
    if (family === 4) {
      return [0, 8, 16, 24].map((i) => parseInt(bits.slice(i, i + 8), 2).toString()).join('.');
    }
    const groups = [0, 1, 2, 3, 4, 5, 6, 7].map((i) => {
      const hex = parseInt(bits.slice(i * 16, i * 16 + 16), 2).toString(16);
      const padded = style.pad ? hex.padStart(4, '0') : hex;
      return style.upper ? padded.toUpperCase() : padded;
    });
    return groups.join(':');
  };

  /** The WHATWG URL parser's IPv6 serializer compresses like RFC 5952: an independent oracle. */
  const whatwgIpv6 = (text: string): string => new URL(`http://[${text}]/`).hostname.slice(1, -1);

  const isIpv4Mapped = (family: IpFamily, bits: string): boolean => family === 6 && bits.slice(0, 96) === '0'.repeat(80) + '1'.repeat(16);

  test('the canonical text of any network parses back to the same network', () => {
    fc.assert(fc.property(familyBitsPrefix, fc.boolean(), fc.boolean(), ([family, bits, prefix], pad, upper) => {
      const network = networkOf(bits, prefix);
      fc.pre(!isIpv4Mapped(family, network));

      // GIVEN the network written naively (uncompressed, maybe padded and upper-case)
      const parsed = parseCidr(`${naiveText(family, network, { pad, upper })}/${prefix}`);

      // THEN it is the same network, in canonical text
      expect(parsed.problem).toBeUndefined();
      const first = parsed.cidr!;
      expect(first.family).toBe(family);
      expect(first.prefix).toBe(prefix);
      expect(first.network).toBe(BigInt(`0b${network}`));
      const expectedAddress = family === 4 ? naiveText(4, network) : whatwgIpv6(naiveText(6, network));
      expect(first.text).toBe(`${expectedAddress}/${prefix}`);

      // AND the canonical text round-trips
      expect(parseCidr(first.text)).toEqual({ cidr: first });
    }));
  });

  test('an address with host bits set is refused with its canonical network as the fix', () => {
    fc.assert(fc.property(familyBitsPrefix, ([family, bits, prefix]) => {
      const network = networkOf(bits, prefix);
      fc.pre(network !== bits && !isIpv4Mapped(family, bits));

      const expectedNetwork = family === 4 ? naiveText(4, network) : whatwgIpv6(naiveText(6, network));
      expect(parseCidr(`${naiveText(family, bits)}/${prefix}`)).toEqual({
        problem: `host bits are set after the /${prefix} prefix: did you mean "${expectedNetwork}/${prefix}"?`,
      });
    }));
  });

  test('every IPv4-mapped IPv6 CIDR is refused, with the IPv4 CIDR as the fix', () => {
    fc.assert(fc.property(addressBits(4), fc.integer({ min: 96, max: 128 }), (v4, prefix) => {
      const text = `::ffff:${naiveText(4, v4)}/${prefix}`;
      const suggestion = `${naiveText(4, networkOf(v4, prefix - 96))}/${prefix - 96}`;
      expect(parseCidr(text).problem).toContain(`did you mean "${suggestion}"?`);
      expect(parseCidr(text).cidr).toBeUndefined();
    }));
  });

  test('cidrContains agrees with a bit-string comparison', () => {
    // inner CIDRs share a random number of leading bits with the outer one and often have a prefix
    // length close to it, so both answers and the edge cases are common
    const pair = familyBitsPrefix.chain(([family, outerBits, outerPrefix]) => {
      const width = WIDTH[family];
      const shared = fc.oneof(fc.integer({ min: 0, max: width }), fc.constant(width));
      const prefix = fc.oneof(
        fc.integer({ min: 0, max: width }),
        fc.integer({ min: -2, max: 2 }).map((d) => Math.min(width, Math.max(0, outerPrefix + d))),
      );
      return fc.tuple(
        fc.constant<[IpFamily, string, number]>([family, outerBits, outerPrefix]),
        fc.oneof(
          fc.tuple(addressBits(family), shared, prefix)
            .map(([randomBits, n, p]): [IpFamily, string, number] => [family, outerBits.slice(0, n) + randomBits.slice(n), p]),
          familyBitsPrefix,
        ),
      );
    });

    fc.assert(fc.property(pair, ([[outerFamily, outerBits, outerPrefix], [innerFamily, innerBits, innerPrefix]]) => {
      const outerNetwork = networkOf(outerBits, outerPrefix);
      const innerNetwork = networkOf(innerBits, innerPrefix);
      fc.pre(!isIpv4Mapped(outerFamily, outerNetwork) && !isIpv4Mapped(innerFamily, innerNetwork));
      const outer = cidr(`${naiveText(outerFamily, outerNetwork)}/${outerPrefix}`);
      const inner = cidr(`${naiveText(innerFamily, innerNetwork)}/${innerPrefix}`);

      const naive = outerFamily === innerFamily
        && innerPrefix >= outerPrefix
        && innerNetwork.slice(0, outerPrefix) === outerNetwork.slice(0, outerPrefix);

      expect(cidrContains(outer, inner)).toBe(naive);
      // an address is inside exactly when its /32 or /128 is
      expect(cidrContainsIp(outer, innerFamily, BigInt(`0b${innerBits}`)))
        .toBe(outerFamily === innerFamily && innerBits.slice(0, outerPrefix) === outerNetwork.slice(0, outerPrefix));
    }), { numRuns: 500 });
  });
});

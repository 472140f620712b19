/*
 * Cilium's DNS name matching, for `toFQDNs` peers and `rules.dns` rules
 * (cilium/cilium `pkg/fqdn/matchpattern/matchpattern.go` ToAnchoredRegexp,
 * `pkg/policy/api/fqdn.go`; see notes R9.2, R9.3):
 *
 * - `matchName` is one name, matched case-insensitively, with a trailing dot
 *   added (`dns.FQDN`).
 * - `matchPattern` is lower-cased and given a trailing dot; a pattern of stars
 *   alone (`*`, `**`) matches every name; a leading `**.` matches one or more
 *   whole labels; any other run of `*` matches characters within ONE label (it
 *   never crosses a dot). The CRD's prose says a leading `*` without a dot
 *   also matches subdomains; the code (and the CRD's own example) do not, and
 *   the code is what runs: `*example.com` matches `example.com` and
 *   `myexample.com`, never `www.example.com`.
 */

const LABEL_CHARS = '[-a-zA-Z0-9_]';
const EVERY_NAME = new RegExp(`^(${LABEL_CHARS}+[.])+$|^[.]$`);

/** The name as Cilium compares it: lower case, with one trailing dot. */
export function canonicalDnsName(name: string): string {
  const lower = name.trim().toLowerCase();
  return lower.endsWith('.') ? lower : `${lower}.`;
}

/** The names `matchName` matches: that name alone, in any case. */
export function dnsNameRegExp(name: string): RegExp {
  return new RegExp(`^${canonicalDnsName(name).replace(/\./g, '[.]')}$`);
}

/** The names `matchPattern` matches, as Cilium's ToAnchoredRegexp builds them. */
export function dnsPatternRegExp(pattern: string): RegExp {
  const trimmed = pattern.trim().toLowerCase();
  if (/^\*+\.?$/.test(trimmed)) return EVERY_NAME;
  let rest = canonicalDnsName(trimmed);
  let source = '';
  const multiLabel = /^\*\*+\./.exec(rest);
  if (multiLabel) {
    source = `(${LABEL_CHARS}+([.]${LABEL_CHARS}+){0,})[.]`;
    rest = rest.slice(multiLabel[0].length);
  }
  source += rest.replace(/\*+|\./g, (token) => (token === '.' ? '[.]' : `${LABEL_CHARS}*`));
  return new RegExp(`^${source}$`);
}

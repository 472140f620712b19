/*
 * Cilium's DNS names (`matchName`) and patterns (`matchPattern`), checked as
 * the CRD does (pkg/policy/api/fqdn.go: labels of [-a-zA-Z0-9_], separated by
 * single dots, an optional trailing dot, at most 255 characters). The CRD's own
 * regexp nests quantifiers, which backtracks exponentially on a long bad name
 * in JavaScript; these are the same languages, written to run in linear time.
 */
const MAX_LENGTH = 255;
const NAME = /^[-a-zA-Z0-9_]+(\.[-a-zA-Z0-9_]+)*\.?$/;
const PATTERN = /^[-a-zA-Z0-9_*]+(\.[-a-zA-Z0-9_*]+)*\.?$/;

/** Throws a clear error when `name` is not a DNS name Cilium accepts for `matchName`. */
export function assertDnsName(name: unknown, where: string): asserts name is string {
  check(name, NAME, where, 'DNS name', 'letters, digits, "-" and "_" in labels separated by dots, e.g. "api.stripe.com"');
}

/** Throws a clear error when `pattern` is not a DNS pattern Cilium accepts for `matchPattern`. */
export function assertDnsPattern(pattern: unknown, where: string): asserts pattern is string {
  check(pattern, PATTERN, where, 'DNS pattern', 'DNS name characters and "*" in labels separated by dots, e.g. "*.stripe.com" or "**.stripe.com"');
  if (!pattern.includes('*')) {
    throw new Error(`${where}: the DNS pattern "${pattern}" has no "*"; use a DNS name (Peer.dnsName()) for one name.`);
  }
  const doubled = pattern.indexOf('**');
  if (doubled !== -1 && (doubled !== 0 || !pattern.startsWith('**.') || pattern.indexOf('**', 1) !== -1)) {
    throw new Error(`${where}: in the DNS pattern "${pattern}", "**" may only begin it, as "**." (any labels before the rest).`);
  }
}

function check(value: unknown, language: RegExp, where: string, what: string, expected: string): asserts value is string {
  if (typeof value !== 'string') {
    throw new Error(`${where}: a ${what} must be a string, got ${value === null ? 'null' : typeof value}.`);
  }
  if (value.length === 0 || value.length > MAX_LENGTH) {
    throw new Error(`${where}: the ${what} must have 1 to ${MAX_LENGTH} characters, got ${value.length}.`);
  }
  if (!language.test(value)) {
    throw new Error(`${where}: invalid ${what} ${JSON.stringify(value)}: it must be ${expected}.`);
  }
}

/*
 * Cilium hands HTTP rule patterns to Envoy, which compiles them with RE2
 * (Go's regexp syntax). RE2 has no lookaround, backreferences, atomic groups
 * or possessive quantifiers; JavaScript has most of them, so compiling in
 * JavaScript alone would let through patterns Cilium rejects. Both checks run.
 */
const NOT_IN_RE2: ReadonlyArray<[RegExp, string]> = [
  [/\(\?<?[=!]/, 'lookaround ((?=, (?!, (?<=, (?<!)'],
  [/\\[1-9]|\\k</, 'backreferences (\\1, \\k<name>)'],
  [/\(\?>/, 'atomic groups ((?>)'],
  [/[*+?}]\+/, 'possessive quantifiers (*+, ++, ?+)'],
];

/** Longest pattern accepted: a policy is not the place for a 4 kB regexp. */
const MAX_LENGTH = 1024;

/** Throws a clear error naming `where` when `pattern` is not a regexp RE2 and JavaScript both read. */
export function assertRe2Pattern(pattern: unknown, where: string): asserts pattern is string {
  if (typeof pattern !== 'string') {
    throw new Error(`${where} must be a string (a regular expression), got ${pattern === null ? 'null' : typeof pattern}.`);
  }
  if (pattern.length === 0 || pattern.length > MAX_LENGTH) {
    throw new Error(`${where} must have 1 to ${MAX_LENGTH} characters, got ${pattern.length}.`);
  }
  for (const [construct, name] of NOT_IN_RE2) {
    if (construct.test(pattern)) {
      throw new Error(`${where} ${JSON.stringify(pattern)} uses ${name}, which RE2 (Envoy, for Cilium) does not support.`);
    }
  }
  try {
    new RegExp(pattern);
  } catch (e) {
    throw new Error(`${where} ${JSON.stringify(pattern)} is not a valid regular expression: ${(e as Error).message}.`);
  }
}

/** The problem with `pattern` as an RE2 regexp (see assertRe2Pattern), or undefined. */
export function re2PatternProblem(pattern: unknown): string | undefined {
  try {
    assertRe2Pattern(pattern, 'the pattern');
    return undefined;
  } catch (e) {
    return (e as Error).message.replace(/^the pattern /, '').replace(/\.$/, '');
  }
}

/**
 * The pattern as Envoy applies it to a header value: the whole value must
 * match (RE2 full match), so it is anchored at both ends.
 */
export function wholeValueRegExp(pattern: string): RegExp {
  return new RegExp(`^(?:${pattern})$`);
}

/*
 * Cilium's DNS names and patterns as languages of names, and whether one
 * covers another (every name the second matches, the first matches too).
 *
 * The semantics are those of cilium/cilium `pkg/fqdn/matchpattern/matchpattern.go`
 * (`ToAnchoredRegexp`, `Sanitize`) and `pkg/policy/api/fqdn.go`:
 * - names and patterns are lower-cased and trimmed, and end with a dot
 *   (`dns.FQDN`); matching is therefore case-insensitive;
 * - a `matchName` matches that one name;
 * - a pattern of stars only (`*`, `**`, `*.`) matches every name (one or more
 *   labels), and the root `.`;
 * - a pattern that starts with two or more stars and a dot (`**.`) matches
 *   one or more whole labels there, then the rest;
 * - any other run of stars matches any characters of one label (letters,
 *   digits, `-`, `_`), none included: it never crosses a dot, so `*.x.com`
 *   matches `a.x.com` but neither `x.com` nor `a.b.x.com`.
 * The CRD's prose says a leading `*` without a dot also matches subdomains;
 * the code (and the CRD's own example) does not, and the code is followed here.
 *
 * Both sides are compiled to small automata whose alphabet is abstracted to
 * the characters the two spell out, the dot, and "any other label
 * character": exact, since no pattern tells two unnamed characters apart.
 * Only names count (no empty label): `*` may match nothing in Cilium's
 * regexp, so `*.x.com` also matches ".x.com.", which no lookup asks for.
 */

/** A `toFQDNs` entry or a `rules.dns` entry: a name or a pattern. */
export interface FqdnSelector {
  readonly matchName?: string;
  readonly matchPattern?: string;
}

/** The "any other label character" symbol. */
const OTHER = '\u0000';
/** A transition on any label character (not the dot). */
const LABEL = '\u0001';

interface Automaton {
  /** transitions[state]: [symbol (a character, or LABEL), next state]. */
  readonly transitions: Array<Array<[string, number]>>;
  /** epsilon[state]: states reached without reading. */
  readonly epsilon: number[][];
  readonly accepting: ReadonlySet<number>;
}

/** `api.stripe.com` and `API.Stripe.com.` alike: lower case, trimmed, one trailing dot. */
export function canonicalFqdn(raw: string): string {
  const trimmed = raw.trim().toLowerCase();
  return trimmed.endsWith('.') ? trimmed : `${trimmed}.`;
}

/** How a selector is written back in messages: `api.stripe.com`, `*.stripe.com`. */
export function describeFqdn(selector: FqdnSelector): string {
  return selector.matchName !== undefined ? selector.matchName : selector.matchPattern ?? '';
}

/** True when the name matches the selector (a name, or a pattern). */
export function fqdnMatches(selector: FqdnSelector, name: string): boolean {
  return fqdnCovers(selector, { matchName: name });
}

/** True when every name `specific` matches, `general` matches too. */
export function fqdnCovers(general: FqdnSelector, specific: FqdnSelector): boolean {
  const a = compile(general);
  const b = compile(specific);
  const symbols = alphabet([general, specific]);
  // Subset construction on both sides at once, beside the shape of a name (no empty label: a pattern's `*` may match
  // nothing, but `*.x.com` still means names with a first label). A name b has and a lacks answers no.
  const start: Walk = { a: closure(a, [0]), b: closure(b, [0]), shape: 'start' };
  const seen = new Set<string>();
  const queue = [start];
  while (queue.length > 0) {
    const walk = queue.shift()!;
    const key = `${[...walk.a].sort().join(',')}|${[...walk.b].sort().join(',')}|${walk.shape}`;
    if (seen.has(key)) continue;
    seen.add(key);
    const complete = walk.shape === 'afterDot' || walk.shape === 'root';
    if (complete && [...walk.b].some((s) => b.accepting.has(s)) && ![...walk.a].some((s) => a.accepting.has(s))) return false;
    for (const symbol of symbols) {
      const shape = nextShape(walk.shape, symbol);
      if (shape === undefined) continue;
      const nb = step(b, walk.b, symbol);
      if (nb.size === 0) continue;
      queue.push({ a: step(a, walk.a, symbol), b: nb, shape });
    }
  }
  return true;
}

/** Where a name being read is: at its start, in a label, after a label's dot, the root name ".". */
type Shape = 'start' | 'inLabel' | 'afterDot' | 'root';

interface Walk {
  readonly a: Set<number>;
  readonly b: Set<number>;
  readonly shape: Shape;
}

/** The shape after one more character; undefined when no name reads so (an empty label, or more after the root). */
function nextShape(shape: Shape, symbol: string): Shape | undefined {
  if (shape === 'root') return undefined;
  if (symbol !== '.') return 'inLabel';
  if (shape === 'start') return 'root';
  return shape === 'inLabel' ? 'afterDot' : undefined;
}

/** The characters either side spells out, the dot, and one stand-in for every other label character. */
function alphabet(selectors: readonly FqdnSelector[]): string[] {
  const chars = new Set<string>(['.', OTHER]);
  for (const s of selectors) {
    for (const c of textOf(s)) if (c !== '*') chars.add(c);
  }
  return [...chars];
}

function textOf(selector: FqdnSelector): string {
  return canonicalFqdn(selector.matchName ?? selector.matchPattern ?? '');
}

function step(automaton: Automaton, states: ReadonlySet<number>, symbol: string): Set<number> {
  const next: number[] = [];
  for (const state of states) {
    for (const [on, to] of automaton.transitions[state]) {
      if (on === symbol || (on === LABEL && symbol !== '.')) next.push(to);
    }
  }
  return closure(automaton, next);
}

function closure(automaton: Automaton, states: readonly number[]): Set<number> {
  const result = new Set<number>(states);
  const stack = [...states];
  while (stack.length > 0) {
    for (const to of automaton.epsilon[stack.pop()!]) {
      if (!result.has(to)) {
        result.add(to);
        stack.push(to);
      }
    }
  }
  return result;
}

/** The automaton of a name (every character literal) or a pattern (ToAnchoredRegexp). */
function compile(selector: FqdnSelector): Automaton {
  const transitions: Array<Array<[string, number]>> = [[]];
  const epsilon: number[][] = [[]];
  const add = (): number => {
    transitions.push([]);
    epsilon.push([]);
    return transitions.length - 1;
  };
  const pattern = selector.matchName === undefined;
  let source = textOf(selector);
  if (pattern && /^\*+\.?$/.test(source)) {
    // Stars only: one or more labels, each followed by a dot; or the root ".".
    const inLabel = add();
    const afterDot = add();
    const root = add();
    transitions[0].push([LABEL, inLabel], ['.', root]);
    transitions[inLabel].push([LABEL, inLabel], ['.', afterDot]);
    transitions[afterDot].push([LABEL, inLabel]);
    return { transitions, epsilon, accepting: new Set([afterDot, root]) };
  }
  let current = 0;
  const prefix = pattern ? /^\*{2,}\./.exec(source) : null;
  if (prefix) {
    // One or more whole labels, each followed by its dot, then the rest.
    const inLabel = add();
    const afterDot = add();
    transitions[current].push([LABEL, inLabel]);
    transitions[inLabel].push([LABEL, inLabel], ['.', afterDot]);
    transitions[afterDot].push([LABEL, inLabel]);
    current = afterDot;
    source = source.slice(prefix[0].length);
  }
  for (let i = 0; i < source.length; i++) {
    const c = source[i];
    if (pattern && c === '*') {
      // A run of stars: any characters of this label, none included.
      while (source[i + 1] === '*') i++;
      const star = add();
      epsilon[current].push(star);
      transitions[star].push([LABEL, star]);
      current = star;
      continue;
    }
    const next = add();
    transitions[current].push([c, next]);
    current = next;
  }
  return { transitions, epsilon, accepting: new Set([current]) };
}

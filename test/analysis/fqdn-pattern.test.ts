import * as fc from 'fast-check';
import { canonicalFqdn, fqdnCovers, fqdnMatches, FqdnSelector } from '../../src/analysis/fqdn-pattern';

const name = (matchName: string): FqdnSelector => ({ matchName });
const pattern = (matchPattern: string): FqdnSelector => ({ matchPattern });

/**
 * A second, independent reading of Cilium's ToAnchoredRegexp
 * (pkg/fqdn/matchpattern/matchpattern.go): the pattern as an anchored
 * regular expression, applied to a canonical name.
 */
function ciliumRegexp(raw: string): RegExp {
  const p = canonicalFqdn(raw);
  const label = '[-a-z0-9_]';
  if (/^\*+\.?$/.test(p)) return new RegExp(`(^(${label}+[.])+$)|(^[.]$)`);
  let body = p;
  let prefix = '';
  const multi = /^\*{2,}\./.exec(body);
  if (multi) {
    prefix = `(${label}+([.]${label}+){0,})[.]`;
    body = body.slice(multi[0].length);
  }
  const rest = body.replace(/\*+/g, '\u0000').replace(/\./g, '[.]').replace(/\u0000/g, `${label}*`);
  return new RegExp(`^${prefix}${rest}$`);
}

describe('Cilium DNS names and patterns', () => {
  test.each([
    // `*` stays within one label (the CRD's prose says otherwise; the code and its example 2 do not).
    ['*.example.com', 'a.example.com', true],
    ['*.example.com', 'example.com', false],
    ['*.example.com', 'a.b.example.com', false],
    ['**.example.com', 'a.example.com', true],
    ['**.example.com', 'a.b.example.com', true],
    ['**.example.com', 'example.com', false],
    ['*example.com', 'example.com', true],
    ['*example.com', 'myexample.com', true],
    ['*example.com', 'www.example.com', false],
    ['sub*.x.io', 'sub.x.io', true],
    ['sub*.x.io', 'subzone.x.io', true],
    ['sub*.x.io', 'a.sub.x.io', false],
    ['*', 'api.stripe.com', true],
    ['*', 'localhost', true],
    ['**', 'a.b.c', true],
    ['*.', 'x.y', true],
    ['API.Stripe.com', 'api.stripe.com.', true],
  ])('pattern %s matches %s: %s', (p, n, expected) => {
    expect(fqdnMatches(pattern(p), n)).toBe(expected);
    expect(ciliumRegexp(p).test(canonicalFqdn(n))).toBe(expected);
  });

  test('a name matches itself only, without case and with or without the trailing dot', () => {
    expect(fqdnCovers(name('api.stripe.com'), name('API.stripe.com.'))).toBe(true);
    expect(fqdnCovers(name('api.stripe.com'), name('stripe.com'))).toBe(false);
    expect(fqdnCovers(name('api.stripe.com'), pattern('*.stripe.com'))).toBe(false);
  });

  test.each([
    ['*', '*.example.com', true],
    ['*', '**.example.com', true],
    ['**.example.com', '*.example.com', true],
    ['**.example.com', '**.a.example.com', true],
    ['**.example.com', '*.*.example.com', true],
    ['*.example.com', '**.example.com', false],
    ['*.example.com', '*.a.example.com', false],
    ['*.example.com', 'api*.example.com', true],
    ['api*.example.com', '*.example.com', false],
    ['*.*.example.com', '**.example.com', false],
    ['*.example.com', '*example.com', false],
    ['*example.com', 'example.com', true],
    ['**.com', '*.example.com', true],
    ['*.com', '*.example.com', false],
  ])('pattern %s covers pattern %s: %s', (general, specific, expected) => {
    expect(fqdnCovers(pattern(general), pattern(specific))).toBe(expected);
  });

  test('pattern covers pattern agrees with enumerating every short name over a small alphabet (against the regexp reading)', () => {
    // Names of one to four labels of up to two characters from {a, b, -}: a pattern below has at most four fixed labels,
    // and its labels tell names apart by their first and last character, so a name here shows every difference.
    const labels = ['a', 'b', '-', 'aa', 'ab', 'ba', 'bb', 'a-'];
    let names = [''];
    const all: string[] = [];
    for (let depth = 0; depth < 4; depth++) {
      names = names.flatMap((n) => labels.map((l) => `${n}${l}.`));
      all.push(...names);
    }
    const piece = fc.constantFrom('a', 'b', '*', 'a*', '*b', '**');
    const patternArb = fc.tuple(fc.boolean(), fc.array(piece, { minLength: 1, maxLength: 3 }))
      .map(([multi, parts]) => `${multi ? '**.' : ''}${parts.join('.')}`)
      .filter((p) => /^[-a-z0-9_*]+(\.[-a-z0-9_*]+)*$/.test(p));
    fc.assert(fc.property(patternArb, patternArb, (general, specific) => {
      const g = ciliumRegexp(general);
      const s = ciliumRegexp(specific);
      // On the sample, "covers" must hold whenever the automata say so (exact inclusion can never be contradicted).
      const counterexample = all.find((n) => s.test(n) && !g.test(n));
      if (fqdnCovers(pattern(general), pattern(specific))) return counterexample === undefined;
      // And when they say no, a name of the sample shows it (the sample reaches every pattern of this size).
      return counterexample !== undefined;
    }), { numRuns: 150 });
  });

  test('every name of the sample matches a pattern exactly when the regexp reading says so', () => {
    const patterns = ['*', '**.a', '*.a', 'a*', '*a.*', '**.*', 'a.*.b'];
    const names = ['a.', 'b.a.', 'ab.a.', 'a.b.', 'a.x.b.', 'x.y.a.', '.', 'aa.'];
    for (const p of patterns) {
      for (const n of names) expect({ p, n, matches: fqdnMatches(pattern(p), n) }).toEqual({ p, n, matches: ciliumRegexp(p).test(n) });
    }
  });
});

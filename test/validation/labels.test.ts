import {
  assertLabelKey,
  assertLabelValue,
  assertNamespaceName,
  dnsLabelProblem,
  dnsSubdomainProblem,
  labelKeyProblem,
  labelValueProblem,
} from '../../src/validation/labels';

const WHERE = 'a pod selector';

describe('label keys (qualified names)', () => {
  test('an empty key is rejected', () => {
    expect(() => assertLabelKey('', WHERE)).toThrow(/^Invalid label key "" in a pod selector: a label key must be a non-empty string\.$/);
  });

  test('an empty prefix ("/x") is rejected', () => {
    expect(() => assertLabelKey('/x', WHERE)).toThrow(/^Invalid label key "\/x" in a pod selector: the prefix before "\/" must not be empty\.$/);
  });

  test('an empty name after the prefix is rejected', () => {
    expect(() => assertLabelKey('example.com/', WHERE)).toThrow(/Invalid label key "example\.com\/" in a pod selector: the name part must not be empty\./);
  });

  test.each([
    ['Example.com/app', 'Example.com'],
    ['my_corp.io/app', 'my_corp.io'],
    ['-corp.io/app', '-corp.io'],
    ['corp.io-/app', 'corp.io-'],
    ['corp..io/app', 'corp..io'],
    ['.corp.io/app', '.corp.io'],
  ])('a prefix that is not a DNS-1123 subdomain is rejected: %s', (key, prefix) => {
    expect(() => assertLabelKey(key, WHERE)).toThrow(new RegExp(
      `Invalid label key "${escapeRegExp(key)}" in a pod selector: the prefix "${escapeRegExp(prefix)}" must be a DNS-1123 subdomain: ` +
      'lower-case alphanumerics, "-" and "\\.", starting and ending with an alphanumeric\\.',
    ));
  });

  test('a prefix longer than 253 characters is rejected', () => {
    // GIVEN a 254-character prefix that is otherwise a valid subdomain
    const prefix = `${'a'.repeat(250)}.com`;
    expect(prefix).toHaveLength(254);

    // THEN
    expect(() => assertLabelKey(`${prefix}/app`, WHERE)).toThrow(
      new RegExp(`the prefix "${prefix}" is 254 characters long; at most 253 are allowed\\.$`),
    );
  });

  test('a name longer than 63 characters is rejected', () => {
    const name = 'a'.repeat(64);
    expect(() => assertLabelKey(name, WHERE)).toThrow(
      new RegExp(`^Invalid label key "${name}" in a pod selector: the name part "${name}" is 64 characters long; at most 63 are allowed\\.$`),
    );
  });

  test('a prefixed name longer than 63 characters is rejected', () => {
    const name = 'n'.repeat(64);
    expect(() => assertLabelKey(`example.com/${name}`, WHERE)).toThrow(new RegExp(`the name part "${name}" is 64 characters long; at most 63`));
  });

  test.each([
    'app name',
    'app@team',
    'tier!',
    'app:name',
    'über',
    'a/b/c',
  ])('a name with characters other than alphanumerics, "-", "_" and "." is rejected: %s', (key) => {
    const name = key.includes('/') ? key.slice(key.indexOf('/') + 1) : key;
    expect(() => assertLabelKey(key, WHERE)).toThrow(new RegExp(
      `Invalid label key "${escapeRegExp(key)}" in a pod selector: the name part "${escapeRegExp(name)}" must consist of alphanumerics, "-", "_" or "\\.", ` +
      'and start and end with an alphanumeric\\.',
    ));
  });

  test.each(['-app', 'app-', '_app', 'app_', '.app', 'app.', 'example.com/-app'])(
    'a name that does not start and end with an alphanumeric is rejected: %s',
    (key) => {
      expect(() => assertLabelKey(key, WHERE)).toThrow(/must consist of alphanumerics, "-", "_" or "\.", and start and end with an alphanumeric/);
    },
  );

  test.each([
    ['a simple name', 'app'],
    ['one letter', 'a'],
    ['one digit', '1'],
    ['mixed case and punctuation inside', 'A_b-c.D9'],
    ['a prefixed key', 'app.kubernetes.io/name'],
    ['the namespace name label', 'kubernetes.io/metadata.name'],
    ['a 63-character name', 'a'.repeat(63)],
    ['a 253-character prefix and a 63-character name', `${'a'.repeat(249)}.com/${'n'.repeat(63)}`],
  ])('a valid key has no problem: %s', (_what, key) => {
    expect(labelKeyProblem(key)).toBeUndefined();
  });

  test('the longest valid prefix is exactly 253 characters', () => {
    const prefix = `${'a'.repeat(249)}.com`;
    expect(prefix).toHaveLength(253);
    expect(labelKeyProblem(`${prefix}/x`)).toBeUndefined();
    expect(labelKeyProblem(`a${prefix}/x`)).toMatch(/is 254 characters long/);
  });
});

describe('label values', () => {
  test('an empty value is valid', () => {
    expect(labelValueProblem('')).toBeUndefined();
  });

  test.each([
    ['v1'], ['a'], ['9'], ['v1.2.3_rc-1'], ['A.b_C-d'], ['x'.repeat(63)],
  ])('a valid value has no problem: %#', (value) => {
    expect(labelValueProblem(value)).toBeUndefined();
  });

  test('a value longer than 63 characters is rejected', () => {
    const value = 'v'.repeat(64);
    expect(() => assertLabelValue('app', value, WHERE)).toThrow(
      new RegExp(`^Invalid label value "${value}" for key "app" in a pod selector: it is 64 characters long; at most 63 are allowed\\.$`),
    );
  });

  test.each(['hello world', 'a/b', 'v:1', 'v@1', 'v,1', 'ü'])(
    'a value with characters other than alphanumerics, "-", "_" and "." is rejected: %s',
    (value) => {
      expect(() => assertLabelValue('app', value, WHERE)).toThrow(new RegExp(
        `Invalid label value "${escapeRegExp(value)}" for key "app" in a pod selector: ` +
        'it must be empty or consist of alphanumerics, "-", "_" or "\\.", and start and end with an alphanumeric\\.',
      ));
    },
  );

  test.each(['-v', 'v-', '.v', 'v.', '_v', 'v_', '-'])('a value that does not start and end with an alphanumeric is rejected: %s', (value) => {
    expect(() => assertLabelValue('tier', value, WHERE)).toThrow(
      new RegExp(`Invalid label value "${escapeRegExp(value)}" for key "tier" in a pod selector: it must be empty or consist of alphanumerics`),
    );
  });

  test('a value that is not a string is rejected with its type', () => {
    expect(() => assertLabelValue('app', 42 as unknown as string, WHERE)).toThrow(
      /Invalid label value "42" for key "app" in a pod selector: a label value must be a string, got number\./,
    );
  });
});

describe('namespace names (DNS-1123 labels)', () => {
  test.each([
    ['Bad_Name'],
    ['UPPER'],
    ['-ns'],
    ['ns-'],
    ['team.payments'],
    ['ns_1'],
    [''],
  ])('%p is rejected', (name) => {
    expect(() => assertNamespaceName(name, 'NamespaceSelector.named()')).toThrow(new RegExp(
      `^Invalid namespace name "${escapeRegExp(name)}" in NamespaceSelector\\.named\\(\\): ` +
      'it must be a DNS-1123 label: lower-case alphanumerics and "-", starting and ending with an alphanumeric\\.$',
    ));
  });

  test('a name longer than 63 characters is rejected', () => {
    const name = 'n'.repeat(64);
    expect(() => assertNamespaceName(name, 'x')).toThrow(new RegExp(`Invalid namespace name "${name}" in x: it is 64 characters long; at most 63 are allowed\\.`));
  });

  test('a name that is not a string is rejected', () => {
    expect(() => assertNamespaceName(undefined as unknown as string, 'x')).toThrow(/Invalid namespace name "undefined" in x: it must be a string\./);
  });

  test.each([['default'], ['kube-system'], ['1st'], ['a'], ['n'.repeat(63)]])('valid namespace name %#', (name) => {
    expect(dnsLabelProblem(name)).toBeUndefined();
  });
});

describe('DNS-1123 subdomains (object names, key prefixes)', () => {
  test.each([['a'], ['example.com'], ['baseline-allow-dns'], ['a.b-c.d'], [`${'a'.repeat(249)}.com`]])('valid subdomain %#', (name) => {
    expect(dnsSubdomainProblem(name)).toBeUndefined();
  });

  test.each(['A', '.a', 'a.', 'a..b', 'a_b', '', 'a b'])('%p is not a subdomain', (name) => {
    expect(dnsSubdomainProblem(name)).toBe(
      'must be a DNS-1123 subdomain: lower-case alphanumerics, "-" and ".", starting and ending with an alphanumeric',
    );
  });

  test('254 characters are too many', () => {
    expect(dnsSubdomainProblem(`${'a'.repeat(250)}.com`)).toBe('is 254 characters long; at most 253 are allowed');
  });
});

/** Escapes a literal for use inside a RegExp. */
function escapeRegExp(text: string): string {
  return text.replace(/[.*+?^${}()|[\]\\/]/g, '\\$&');
}

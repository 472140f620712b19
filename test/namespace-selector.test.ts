import * as kplus from 'cdk8s-plus-28';
import { LabelExpression, NamespaceSelector } from '../src';

/** The selector as it appears in the synthesized YAML (no undefined fields). */
function rendered(selector: NamespaceSelector): unknown {
  return kplus.k8s.toJson_LabelSelector(selector.toLabelSelector());
}

describe('NamespaceSelector.named()', () => {
  test('selects by the immutable kubernetes.io/metadata.name label', () => {
    expect(NamespaceSelector.NAME_LABEL).toBe('kubernetes.io/metadata.name');
    expect(NamespaceSelector.NAME_LABEL).toBe(kplus.Namespace.NAME_LABEL);
  });

  test('one name renders matchLabels', () => {
    const selector = NamespaceSelector.named('kube-system');
    expect(rendered(selector)).toStrictEqual({ matchLabels: { 'kubernetes.io/metadata.name': 'kube-system' } });
    expect(selector.names).toEqual(['kube-system']);
    expect(selector.isAll).toBe(false);
    expect(selector.toString()).toBe('namespace kube-system');
  });

  test('several names render one In expression, sorted and deduplicated', () => {
    // WHEN
    const selector = NamespaceSelector.named('staging', 'production', 'staging');

    // THEN
    expect(rendered(selector)).toStrictEqual({
      matchExpressions: [{ key: 'kubernetes.io/metadata.name', operator: 'In', values: ['production', 'staging'] }],
    });
    expect(selector.names).toEqual(['production', 'staging']);
    expect(selector.toString()).toBe('namespaces production,staging');
  });

  test('the same name twice is one name', () => {
    const selector = NamespaceSelector.named('payments', 'payments');
    expect(rendered(selector)).toStrictEqual({ matchLabels: { 'kubernetes.io/metadata.name': 'payments' } });
    expect(selector.toString()).toBe('namespace payments');
  });

  test('no name is an error pointing to NamespaceSelector.all()', () => {
    expect(() => NamespaceSelector.named()).toThrow(
      /^NamespaceSelector\.named\(\) needs at least one namespace name; use NamespaceSelector\.all\(\) for every namespace\.$/,
    );
  });

  test.each([['Bad_Name'], ['Production'], ['team.payments'], ['-ns'], ['ns-'], ['']])('the invalid name %p is rejected', (name) => {
    expect(() => NamespaceSelector.named(name)).toThrow(new RegExp(
      `^Invalid namespace name "${name.replace('.', '\\.')}" in NamespaceSelector\\.named\\(\\): it must be a DNS-1123 label: ` +
      'lower-case alphanumerics and "-", starting and ending with an alphanumeric\\.$',
    ));
  });

  test('one invalid name among valid ones is rejected', () => {
    expect(() => NamespaceSelector.named('default', 'Bad_Name')).toThrow(/^Invalid namespace name "Bad_Name" in NamespaceSelector\.named\(\)/);
  });

  test('a name longer than 63 characters is rejected', () => {
    const name = 'n'.repeat(64);
    expect(() => NamespaceSelector.named(name)).toThrow(new RegExp(`^Invalid namespace name "${name}" in NamespaceSelector\\.named\\(\\): it is 64 characters long; at most 63 are allowed\\.$`));
  });
});

describe('NamespaceSelector.all()', () => {
  test('selects every namespace and renders {}', () => {
    const selector = NamespaceSelector.all();
    expect(selector.isAll).toBe(true);
    expect(rendered(selector)).toStrictEqual({});
    expect(selector.names).toBeUndefined();
    expect(selector.toString()).toBe('all namespaces');
  });

  test('NamespaceSelector.of({}) is the same', () => {
    expect(NamespaceSelector.of({}).isAll).toBe(true);
    expect(NamespaceSelector.of({}).toString()).toBe('all namespaces');
  });
});

describe('NamespaceSelector by labels and expressions', () => {
  test('labels render matchLabels with sorted keys', () => {
    const selector = NamespaceSelector.labels({ team: 'payments', env: 'prod' });
    expect(Object.keys(selector.matchLabels)).toEqual(['env', 'team']);
    expect(rendered(selector)).toStrictEqual({ matchLabels: { env: 'prod', team: 'payments' } });
    expect(selector.names).toBeUndefined();
    expect(selector.toString()).toBe('namespaces env=prod,team=payments');
  });

  test('expressions render matchExpressions, deduplicated', () => {
    const selector = NamespaceSelector.expressions([
      LabelExpression.exists('team'),
      LabelExpression.exists('team'),
      LabelExpression.notIn('env', ['dev']),
    ]);
    expect(rendered(selector)).toStrictEqual({
      matchExpressions: [
        { key: 'team', operator: 'Exists' },
        { key: 'env', operator: 'NotIn', values: ['dev'] },
      ],
    });
    expect(selector.toString()).toBe('namespaces team,env notin (dev)');
  });

  test('labels and expressions together', () => {
    const selector = NamespaceSelector.of({ labels: { team: 'payments' }, expressions: [LabelExpression.doesNotExist('legacy')] });
    expect(rendered(selector)).toStrictEqual({
      matchLabels: { team: 'payments' },
      matchExpressions: [{ key: 'legacy', operator: 'DoesNotExist' }],
    });
    expect(selector.toString()).toBe('namespaces team=payments,!legacy');
  });

  test('no labels is an error pointing to NamespaceSelector.all()', () => {
    expect(() => NamespaceSelector.labels({})).toThrow(
      /^NamespaceSelector\.labels\(\) needs at least one label; use NamespaceSelector\.all\(\) for every namespace\.$/,
    );
  });

  test('no expressions is an error pointing to NamespaceSelector.all()', () => {
    expect(() => NamespaceSelector.expressions([])).toThrow(
      /^NamespaceSelector\.expressions\(\) needs at least one expression; use NamespaceSelector\.all\(\) for every namespace\.$/,
    );
  });

  test('invalid keys and values are rejected as namespace selector errors', () => {
    expect(() => NamespaceSelector.labels({ 'Team/x': 'a' })).toThrow(/^Invalid label key "Team\/x" in a namespace selector: the prefix "Team" must be a DNS-1123 subdomain/);
    expect(() => NamespaceSelector.labels({ team: 'a b' })).toThrow(/^Invalid label value "a b" for key "team" in a namespace selector/);
  });
});

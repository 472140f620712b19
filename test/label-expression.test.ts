import { LabelExpression, LabelOperator } from '../src';

describe('LabelExpression', () => {
  test('the operators are the Kubernetes names', () => {
    expect(LabelOperator.IN).toBe('In');
    expect(LabelOperator.NOT_IN).toBe('NotIn');
    expect(LabelOperator.EXISTS).toBe('Exists');
    expect(LabelOperator.DOES_NOT_EXIST).toBe('DoesNotExist');
  });

  test('In sorts its values and drops duplicates', () => {
    // GIVEN unsorted values with a duplicate
    const values = ['frontend', 'api', 'frontend'];

    // WHEN
    const expression = LabelExpression.in('tier', values);

    // THEN
    expect(expression.key).toBe('tier');
    expect(expression.operator).toBe(LabelOperator.IN);
    expect(expression.values).toEqual(['api', 'frontend']);
    expect(expression.toString()).toBe('tier in (api,frontend)');
    // AND the caller's array is left alone
    expect(values).toEqual(['frontend', 'api', 'frontend']);
  });

  test('NotIn sorts its values and drops duplicates', () => {
    const expression = LabelExpression.notIn('app.kubernetes.io/name', ['b', 'a', 'b']);
    expect(expression.operator).toBe(LabelOperator.NOT_IN);
    expect(expression.values).toEqual(['a', 'b']);
    expect(expression.toString()).toBe('app.kubernetes.io/name notin (a,b)');
  });

  test('an empty value is a valid In value', () => {
    const expression = LabelExpression.in('tier', ['']);
    expect(expression.values).toEqual(['']);
    expect(expression.toString()).toBe('tier in ()');
  });

  test('Exists takes no values', () => {
    const expression = LabelExpression.exists('team');
    expect(expression.operator).toBe(LabelOperator.EXISTS);
    expect(expression.values).toBeUndefined();
    expect(expression.toString()).toBe('team');
  });

  test('DoesNotExist takes no values', () => {
    const expression = LabelExpression.doesNotExist('quarantined');
    expect(expression.operator).toBe(LabelOperator.DOES_NOT_EXIST);
    expect(expression.values).toBeUndefined();
    expect(expression.toString()).toBe('!quarantined');
  });

  test('In without values is rejected', () => {
    expect(() => LabelExpression.in('tier', [])).toThrow(/^Invalid In label expression on "tier": In needs at least one value\.$/);
  });

  test('NotIn without values is rejected', () => {
    expect(() => LabelExpression.notIn('tier', [])).toThrow(/^Invalid NotIn label expression on "tier": NotIn needs at least one value\.$/);
  });

  test('In with a missing values array is rejected', () => {
    expect(() => LabelExpression.in('tier', undefined as unknown as string[])).toThrow(/In needs at least one value/);
  });

  test.each([
    ['in', () => LabelExpression.in('-tier', ['a']), /Invalid label key "-tier" in a In label expression: the name part "-tier" must consist of alphanumerics/],
    ['notIn', () => LabelExpression.notIn('Bad/tier', ['a']), /Invalid label key "Bad\/tier" in a NotIn label expression: the prefix "Bad" must be a DNS-1123 subdomain/],
    ['exists', () => LabelExpression.exists(''), /Invalid label key "" in a Exists label expression: a label key must be a non-empty string/],
    ['doesNotExist', () => LabelExpression.doesNotExist('/x'), /Invalid label key "\/x" in a DoesNotExist label expression: the prefix before "\/" must not be empty/],
  ])('%s validates the key', (_factory, make, message) => {
    expect(make).toThrow(message);
  });

  test('In validates every value', () => {
    expect(() => LabelExpression.in('tier', ['api', 'bad value'])).toThrow(
      /Invalid label value "bad value" for key "tier" in a In label expression: it must be empty or consist of alphanumerics/,
    );
  });

  test('NotIn rejects a value longer than 63 characters', () => {
    const value = 'v'.repeat(64);
    expect(() => LabelExpression.notIn('tier', [value])).toThrow(
      new RegExp(`Invalid label value "${value}" for key "tier" in a NotIn label expression: it is 64 characters long; at most 63 are allowed`),
    );
  });
});

import { LabelExpression, Selector } from '../../src';
import { commonLabels, overlapOf, selectorMatches } from '../../src/graph/selector-overlap';

const labels = (l: { [key: string]: string }) => Selector.labels(l);
const exprs = (...e: LabelExpression[]) => Selector.expressions(e);

describe('commonLabels: a pod both selectors match, or none', () => {
  test.each([
    ['equal labels', labels({ app: 'a' }), labels({ app: 'a' }), { app: 'a' }],
    ['different values of one key', labels({ app: 'a' }), labels({ app: 'b' }), undefined],
    ['a subset', labels({ app: 'a' }), labels({ app: 'a', track: 'canary' }), { app: 'a', track: 'canary' }],
    ['In sets sharing a value', exprs(LabelExpression.in('app', ['a', 'b'])), exprs(LabelExpression.in('app', ['c', 'b'])), { app: 'b' }],
    ['In sets sharing nothing', exprs(LabelExpression.in('app', ['a', 'b'])), exprs(LabelExpression.in('app', ['c'])), undefined],
    ['NotIn removes the only common value', labels({ app: 'a' }), exprs(LabelExpression.notIn('app', ['a'])), undefined],
    ['NotIn alone: the key may be absent', labels({ tier: 'x' }), exprs(LabelExpression.notIn('app', ['a'])), { tier: 'x' }],
    ['Exists and DoesNotExist', exprs(LabelExpression.exists('app')), exprs(LabelExpression.doesNotExist('app')), undefined],
    ['Exists with NotIn: any other value', exprs(LabelExpression.exists('app')), exprs(LabelExpression.notIn('app', ['x'])), { app: 'x0' }],
    ['DoesNotExist with NotIn: absent', exprs(LabelExpression.doesNotExist('app')), exprs(LabelExpression.notIn('app', ['x'])), {}],
    ['every pod', Selector.all(), labels({ app: 'a' }), { app: 'a' }],
  ])('%s', (_, a, b, expected) => {
    const found = commonLabels(a, b);
    expect(found).toEqual(expected);
    if (found) {
      // the labels found are matched by both, as the API server would match them
      expect(selectorMatches(a, found)).toBe(true);
      expect(selectorMatches(b, found)).toBe(true);
    }
  });
});

describe('overlapOf', () => {
  test('selectors on different keys are trusted to be different pods', () => {
    expect(overlapOf({ pods: labels({ app: 'api' }) }, { pods: labels({ tier: 'db' }) })).toBeUndefined();
  });

  test('a workload service overlaps a selector when the selector matches its pods, whatever the keys', () => {
    const workload = { pods: labels({ 'cdk8s.io/metadata.addr': 'x1' }), podLabels: { 'app': 'web', 'cdk8s.io/metadata.addr': 'x1' } };
    expect(overlapOf(workload, { pods: labels({ app: 'web' }) })).toEqual({ 'app': 'web', 'cdk8s.io/metadata.addr': 'x1' });
    expect(overlapOf({ pods: labels({ app: 'api' }) }, workload)).toBeUndefined();
  });
});

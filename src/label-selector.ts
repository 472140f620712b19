import type { K8sLabelSelector } from './kube/types';
import { LabelExpression, LabelOperator } from './label-expression';
import type { SelectorOptions } from './selector-options';
import { assertLabelKey, assertLabelValue } from './validation/labels';

/**
 * Validates and normalizes a label selector; shared by pod and namespace selectors.
 */
export function normalizeSelector(options: SelectorOptions, where: string): {
  /** a new object, keys sorted */
  labels: { [key: string]: string };
  /** a new array, or NO_EXPRESSIONS */
  expressions: LabelExpression[];
} {
  const labels: { [key: string]: string } = {};
  const keys = options.labels ? Object.keys(options.labels) : [];
  if (keys.length > 1) keys.sort();
  for (const key of keys) {
    const value = options.labels![key];
    assertLabelKey(key, where);
    assertLabelValue(key, value, where);
    labels[key] = value;
  }
  if (!options.expressions || options.expressions.length === 0) {
    return { labels, expressions: NO_EXPRESSIONS };
  }
  const seen = new Set<string>();
  const expressions: LabelExpression[] = [];
  for (const expression of options.expressions) {
    if (!(expression instanceof LabelExpression)) {
      throw new Error(`Invalid expression in ${where}: use LabelExpression.in(), notIn(), exists() or doesNotExist().`);
    }
    const key = expression.toString();
    if (!seen.has(key)) {
      seen.add(key);
      expressions.push(expression);
    }
  }
  return { labels, expressions };
}

/** No expressions: shared by the selectors that have none (most), frozen. */
export const NO_EXPRESSIONS: LabelExpression[] = Object.freeze([]) as unknown as LabelExpression[];

/**
 * Renders labels and expressions as a Kubernetes LabelSelector (`{}` selects everything).
 */
export function toKubeLabelSelector(labels: { [key: string]: string }, expressions: LabelExpression[]): K8sLabelSelector {
  return {
    matchLabels: Object.keys(labels).length ? { ...labels } : undefined,
    matchExpressions: expressions.length
      ? expressions.map((e) => ({ key: e.key, operator: e.operator, values: e.values }))
      : undefined,
  };
}

/**
 * Reads a Kubernetes LabelSelector (e.g. one rendered by cdk8s-plus) back into
 * validated labels and expressions.
 */
export function fromKubeLabelSelector(selector: K8sLabelSelector): SelectorOptions {
  const expressions = (selector.matchExpressions ?? []).map((e) => {
    switch (e.operator) {
      case LabelOperator.IN: return LabelExpression.in(e.key, e.values ?? []);
      case LabelOperator.NOT_IN: return LabelExpression.notIn(e.key, e.values ?? []);
      case LabelOperator.EXISTS: return LabelExpression.exists(e.key);
      case LabelOperator.DOES_NOT_EXIST: return LabelExpression.doesNotExist(e.key);
      default: throw new Error(`Unsupported label selector operator "${e.operator}" on key "${e.key}".`);
    }
  });
  return { labels: selector.matchLabels ?? {}, expressions };
}

/** kubectl's selector syntax for labels and expressions, e.g. `app=api,tier in (a,b)`; empty for "everything". */
export function describeSelector(labels: { [key: string]: string }, expressions: LabelExpression[]): string {
  return [
    ...Object.entries(labels).map(([k, v]) => `${k}=${v}`),
    ...expressions.map((e) => e.toString()),
  ].join(',');
}

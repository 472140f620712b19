import { LabelMatcher } from '../analysis/label-matcher';
import { ProblemSink } from '../analysis/problems';
import { LabelOperator } from '../label-expression';
import { Selector } from '../selector';

type Labels = { [key: string]: string };

/** What one selector, or two together, ask of one label key. */
interface KeyConstraint {
  /** Each set lists the values one requirement allows (matchLabels and In). */
  readonly allowed: Array<ReadonlySet<string>>;
  readonly forbidden: Set<string>;
  exists: boolean;
  absent: boolean;
}

/** Whether `selector` matches a pod with `labels`, as the analyzer matches it. */
export function selectorMatches(selector: Selector, labels: Labels): boolean {
  // A Selector was validated when it was made, so it compiles without problems.
  return LabelMatcher.compile(selector.toLabelSelector(), [], new ProblemSink())!.matches(labels);
}

/**
 * Labels of a pod that both selectors match, or undefined when no pod can
 * match both: key by key, the values every requirement allows must have one in
 * common that none forbids (or the key may be absent, when only NotIn and
 * DoesNotExist speak of it).
 */
export function commonLabels(a: Selector, b: Selector): Labels | undefined {
  if (a.matchExpressions.length === 0 && b.matchExpressions.length === 0) {
    return commonMatchLabels(a.matchLabels, b.matchLabels);
  }
  const constraints = new Map<string, KeyConstraint>();
  const of = (key: string): KeyConstraint => {
    let constraint = constraints.get(key);
    if (!constraint) {
      constraint = { allowed: [], forbidden: new Set(), exists: false, absent: false };
      constraints.set(key, constraint);
    }
    return constraint;
  };
  for (const selector of [a, b]) {
    for (const [key, value] of Object.entries(selector.matchLabels)) of(key).allowed.push(new Set([value]));
    for (const e of selector.matchExpressions) {
      const constraint = of(e.key);
      if (e.operator === LabelOperator.IN) constraint.allowed.push(new Set(e.values));
      else if (e.operator === LabelOperator.NOT_IN) e.values!.forEach((v) => constraint.forbidden.add(v));
      else if (e.operator === LabelOperator.EXISTS) constraint.exists = true;
      else constraint.absent = true;
    }
  }
  const labels: Labels = {};
  for (const [key, c] of constraints) {
    const present = c.exists || c.allowed.length > 0;
    if (!present) continue;
    if (c.absent) return undefined;
    const value = c.allowed.length > 0
      ? [...c.allowed[0]].sort().find((v) => c.allowed.every((set) => set.has(v)) && !c.forbidden.has(v))
      : unforbidden(c.forbidden);
    if (value === undefined) return undefined;
    labels[key] = value;
  }
  return labels;
}

/**
 * `commonLabels` of two selectors without expressions (the usual case, and a graph compares
 * every pair of services of a namespace): both sets of labels, unless a key has two values.
 */
function commonMatchLabels(a: Labels, b: Labels): Labels | undefined {
  const labels: Labels = {};
  for (const key of Object.keys(a)) labels[key] = a[key];
  for (const key of Object.keys(b)) {
    if (Object.prototype.hasOwnProperty.call(labels, key) && labels[key] !== b[key]) return undefined;
    labels[key] = b[key];
  }
  return labels;
}

function unforbidden(forbidden: ReadonlySet<string>): string {
  let value = 'x';
  for (let i = 0; forbidden.has(value); i++) value = `x${i}`;
  return value;
}

/**
 * Labels of a pod both services' selectors would select, when they can be
 * told to overlap: one matches the other's workload pods, or both speak of a
 * common key (or one selects every pod) and a label set satisfies both.
 * Selectors on different keys (`app=api`, `tier=db`) are trusted to select
 * different pods: only a pod labelled for both would be both.
 */
export function overlapOf(a: SelectorAndPods, b: SelectorAndPods): Labels | undefined {
  if (a.podLabels && selectorMatches(b.pods, a.podLabels)) return a.podLabels;
  if (b.podLabels && selectorMatches(a.pods, b.podLabels)) return b.podLabels;
  if (a.podLabels || b.podLabels) return undefined;
  return related(a.pods, b.pods) ? commonLabels(a.pods, b.pods) : undefined;
}

/**
 * Whether one selector selects every pod or both speak of a common key, in
 * labels or expressions. Without Sets: a graph compares every pair of
 * services of a namespace, and `commonLabels` then takes its direct path when
 * neither has expressions.
 */
function related(a: Selector, b: Selector): boolean {
  if (a.isAll || b.isAll) return true;
  return Object.keys(a.matchLabels).some((k) => speaksOf(b, k)) || a.matchExpressions.some((e) => speaksOf(b, e.key));
}

/** Whether the selector has a label or an expression on the key. */
function speaksOf(selector: Selector, key: string): boolean {
  if (Object.prototype.hasOwnProperty.call(selector.matchLabels, key)) return true;
  for (const e of selector.matchExpressions) if (e.key === key) return true;
  return false;
}

/** A service's selector, and its pods' labels when its workload is known. */
export interface SelectorAndPods {
  readonly pods: Selector;
  readonly podLabels?: Labels;
}

import { FieldPath } from './manifest-object';
import { ProblemSink } from './problems';
import { labelKeyProblem, labelValueProblem } from '../validation/labels';

/** Labels of a pod or namespace. */
export type Labels = Readonly<Record<string, string>>;

type Operator = 'In' | 'NotIn' | 'Exists' | 'DoesNotExist';

/**
 * Reads a selector key: the key to match labels by, or why the key is invalid.
 * The default reads Kubernetes label keys; Cilium's reader strips sources.
 */
export type SelectorKeyReader = (key: string) => { readonly key: string } | { readonly problem: string };

/** Kubernetes label keys, as the API server checks them. */
const labelKey: SelectorKeyReader = (key) => {
  const problem = labelKeyProblem(key);
  return problem ? { problem: `invalid label key: ${problem}` } : { key };
};

interface Requirement {
  readonly key: string;
  readonly operator: Operator;
  readonly values: ReadonlySet<string>;
}

/**
 * A compiled `metav1.LabelSelector`: matchLabels and matchExpressions ANDed,
 * with the semantics of k8s.io/apimachinery labels.Selector (NotIn and
 * DoesNotExist match pods that lack the key; an empty selector matches all).
 */
export class LabelMatcher {
  /** A selector matching everything. */
  public static readonly ALL = new LabelMatcher([]);

  /** Compiles a selector, reporting invalid parts to `problems` (and then returning undefined). */
  public static compile(raw: unknown, path: FieldPath, problems: ProblemSink, readKey: SelectorKeyReader = labelKey): LabelMatcher | undefined {
    if (raw === undefined || raw === null) {
      return new LabelMatcher([]);
    }
    if (typeof raw !== 'object' || Array.isArray(raw)) {
      problems.add(path, raw, 'a label selector must be a mapping with matchLabels and/or matchExpressions');
      return undefined;
    }
    const before = problems.count;
    const selector = raw as { matchLabels?: unknown; matchExpressions?: unknown };
    problems.unknownFields(raw, path, ['matchLabels', 'matchExpressions']);
    const requirements: Requirement[] = [];
    if (selector.matchLabels !== undefined && selector.matchLabels !== null) {
      const labelsPath = [...path, 'matchLabels'];
      if (typeof selector.matchLabels !== 'object' || Array.isArray(selector.matchLabels)) {
        problems.add(labelsPath, selector.matchLabels, 'matchLabels must be a mapping of label keys to values');
      } else {
        for (const [key, value] of Object.entries(selector.matchLabels as Record<string, unknown>)) {
          const read = readKey(key);
          const valueProblem = typeof value === 'string' ? labelValueProblem(value) : `a label value must be a string, got ${typeof value}`;
          if ('problem' in read) problems.add([...labelsPath, key], key, read.problem);
          else if (valueProblem) problems.add([...labelsPath, key], value, `invalid label value: ${valueProblem}`);
          else requirements.push({ key: read.key, operator: 'In', values: new Set([value as string]) });
        }
      }
    }
    if (selector.matchExpressions !== undefined && selector.matchExpressions !== null) {
      const exprsPath = [...path, 'matchExpressions'];
      if (!Array.isArray(selector.matchExpressions)) {
        problems.add(exprsPath, selector.matchExpressions, 'matchExpressions must be a list');
      } else {
        selector.matchExpressions.forEach((expr, i) => {
          const requirement = compileExpression(expr, [...exprsPath, i], problems, readKey);
          if (requirement) requirements.push(requirement);
        });
      }
    }
    return problems.count === before ? new LabelMatcher(requirements) : undefined;
  }

  /** True when the selector is empty and matches every pod (or namespace). */
  public readonly matchesAll: boolean;
  /** A canonical, readable form, e.g. `app=web, tier in (a, b)`; `all` when empty. */
  public readonly text: string;

  private constructor(private readonly requirements: readonly Requirement[]) {
    this.matchesAll = requirements.length === 0;
    this.text = requirements.length === 0 ? 'all' : requirements.map(describe).sort().join(', ');
  }

  /**
   * The label keys an object must carry to match (from matchLabels, In and
   * Exists); NotIn and DoesNotExist also match objects without the key.
   */
  public get requiredKeys(): string[] {
    return [...new Set(this.requirements.filter((r) => r.operator === 'In' || r.operator === 'Exists').map((r) => r.key))];
  }

  /** Every key the selector names, whatever the operator. */
  public get keys(): string[] {
    return [...new Set(this.requirements.map((r) => r.key))];
  }

  /** The values a required key must have (empty for Exists). */
  public valuesOf(key: string): string[] {
    const found = this.requirements.find((r) => r.key === key && r.operator === 'In');
    return found ? [...found.values].sort() : [];
  }

  /** True when the labels satisfy every requirement. */
  public matches(labels: Labels): boolean {
    for (const r of this.requirements) {
      const has = Object.prototype.hasOwnProperty.call(labels, r.key);
      switch (r.operator) {
        case 'In':
          if (!has || !r.values.has(labels[r.key])) return false;
          break;
        case 'NotIn':
          if (has && r.values.has(labels[r.key])) return false;
          break;
        case 'Exists':
          if (!has) return false;
          break;
        case 'DoesNotExist':
          if (has) return false;
          break;
      }
    }
    return true;
  }
}

function compileExpression(expr: unknown, path: FieldPath, problems: ProblemSink, readKey: SelectorKeyReader): Requirement | undefined {
  if (typeof expr !== 'object' || expr === null || Array.isArray(expr)) {
    problems.add(path, expr, 'a match expression must be a mapping with key, operator and values');
    return undefined;
  }
  problems.unknownFields(expr, path, ['key', 'operator', 'values']);
  const { key, operator, values } = expr as { key?: unknown; operator?: unknown; values?: unknown };
  const read = typeof key === 'string' ? readKey(key) : { problem: 'invalid label key: a key is required' };
  if ('problem' in read) {
    problems.add([...path, 'key'], key, read.problem);
    return undefined;
  }
  if (operator !== 'In' && operator !== 'NotIn' && operator !== 'Exists' && operator !== 'DoesNotExist') {
    problems.add([...path, 'operator'], operator, 'the operator must be In, NotIn, Exists or DoesNotExist');
    return undefined;
  }
  const list = values === undefined || values === null ? [] : values;
  if (!Array.isArray(list)) {
    problems.add([...path, 'values'], values, 'values must be a list of strings');
    return undefined;
  }
  if ((operator === 'In' || operator === 'NotIn') && list.length === 0) {
    problems.add([...path, 'values'], values, `the operator ${operator} needs at least one value`);
    return undefined;
  }
  if ((operator === 'Exists' || operator === 'DoesNotExist') && list.length > 0) {
    problems.add([...path, 'values'], values, `the operator ${operator} takes no values`);
    return undefined;
  }
  for (let i = 0; i < list.length; i++) {
    const value = list[i];
    const problem = typeof value === 'string' ? labelValueProblem(value) : `a label value must be a string, got ${typeof value}`;
    if (problem) {
      problems.add([...path, 'values', i], value, `invalid label value: ${problem}`);
      return undefined;
    }
  }
  return { key: read.key, operator, values: new Set(list as string[]) };
}

function describe(r: Requirement): string {
  const values = [...r.values].sort();
  switch (r.operator) {
    case 'In':
      return values.length === 1 ? `${r.key}=${values[0]}` : `${r.key} in (${values.join(', ')})`;
    case 'NotIn':
      return values.length === 1 ? `${r.key}!=${values[0]}` : `${r.key} notin (${values.join(', ')})`;
    case 'Exists':
      return r.key;
    case 'DoesNotExist':
      return `!${r.key}`;
  }
}

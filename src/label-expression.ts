import { defineReadOnly, frozenArray } from './internal/immutable';
import { assertLabelKey, assertLabelValue } from './validation/labels';

/**
 * Operators of a label selector requirement.
 */
export enum LabelOperator {
  /** The label's value is one of the given values. */
  IN = 'In',
  /** The label is absent, or its value is none of the given values. */
  NOT_IN = 'NotIn',
  /** The label is present, whatever its value. */
  EXISTS = 'Exists',
  /** The label is absent. */
  DOES_NOT_EXIST = 'DoesNotExist',
}

/**
 * One requirement of a label selector (`matchExpressions` entry), validated when created:
 * `In`/`NotIn` need at least one value, `Exists`/`DoesNotExist` take none.
 *
 * @example
 * LabelExpression.in('tier', ['frontend', 'api'])
 * LabelExpression.doesNotExist('quarantined')
 */
export class LabelExpression {
  /** The label's value must be one of `values`. */
  public static in(key: string, values: string[]): LabelExpression {
    return new LabelExpression(key, LabelOperator.IN, values);
  }

  /** The label must be absent, or its value none of `values`. */
  public static notIn(key: string, values: string[]): LabelExpression {
    return new LabelExpression(key, LabelOperator.NOT_IN, values);
  }

  /** The label must be present. */
  public static exists(key: string): LabelExpression {
    return new LabelExpression(key, LabelOperator.EXISTS, undefined);
  }

  /** The label must be absent. */
  public static doesNotExist(key: string): LabelExpression {
    return new LabelExpression(key, LabelOperator.DOES_NOT_EXIST, undefined);
  }

  /** The label key. */
  declare public readonly key: string;
  /** The operator. */
  declare public readonly operator: LabelOperator;
  /** The values, sorted and without duplicates (`In` and `NotIn` only). */
  declare public readonly values?: string[];

  private constructor(key: string, operator: LabelOperator, values: string[] | undefined) {
    const where = `a ${operator} label expression`;
    assertLabelKey(key, where);
    const hasValues = operator === LabelOperator.IN || operator === LabelOperator.NOT_IN;
    if (hasValues) {
      if (!Array.isArray(values) || values.length === 0) {
        throw new Error(`Invalid ${operator} label expression on "${key}": ${operator} needs at least one value.`);
      }
      for (const value of values) {
        assertLabelValue(key, value, where);
      }
    }
    defineReadOnly(this, 'key', key);
    defineReadOnly(this, 'operator', operator);
    // The API server treats values as a set: sort them so output is stable.
    defineReadOnly(this, 'values', hasValues ? frozenArray([...new Set(values)].sort()) : undefined);
  }

  /** A stable, human-readable form such as `tier in (api,frontend)`. */
  public toString(): string {
    switch (this.operator) {
      case LabelOperator.IN: return `${this.key} in (${this.values!.join(',')})`;
      case LabelOperator.NOT_IN: return `${this.key} notin (${this.values!.join(',')})`;
      case LabelOperator.EXISTS: return this.key;
      default: return `!${this.key}`;
    }
  }
}

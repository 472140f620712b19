import { LabelExpression } from './label-expression';

/**
 * Options for `Selector.of()` and `NamespaceSelector.of()`.
 */
export interface SelectorOptions {
  /**
   * Labels that must all be present with these values (`matchLabels`).
   * @default - no label is required
   */
  readonly labels?: { [key: string]: string };

  /**
   * Requirements that must all hold (`matchExpressions`).
   * @default - no expression is required
   */
  readonly expressions?: LabelExpression[];
}

import { defineReadOnly, frozenArray } from './internal/immutable';
import { NAMESPACE_NAME_LABEL } from './kube/namespace-name-label';
import type { K8sLabelSelector } from './kube/types';
import { LabelExpression } from './label-expression';
import { describeSelector, normalizeSelector, toKubeLabelSelector } from './label-selector';
import { SelectorOptions } from './selector-options';
import { assertNamespaceName } from './validation/labels';

/**
 * Selects namespaces: by name (through the immutable `kubernetes.io/metadata.name`
 * label, the secure default), by labels or expressions, or all namespaces.
 *
 * Beware of selecting by a `name:` label as many blog posts do: Kubernetes does
 * not set it, so such a selector silently matches nothing unless you label your
 * namespaces yourself. `NamespaceSelector.named()` is always right.
 *
 * @example
 * NamespaceSelector.named('kube-system')
 * NamespaceSelector.named('staging', 'production')
 * NamespaceSelector.labels({ team: 'payments' })
 */
export class NamespaceSelector {
  /**
   * The label every namespace carries, set by the API server and immutable:
   * its value is the namespace's name.
   */
  public static readonly NAME_LABEL = NAMESPACE_NAME_LABEL;

  /** Every namespace. Renders `{}`. */
  public static all(): NamespaceSelector {
    return new NamespaceSelector({}, undefined);
  }

  /**
   * Namespaces by name, through the immutable `kubernetes.io/metadata.name` label.
   * One name renders `matchLabels`; several render one `In` expression.
   */
  public static named(...names: string[]): NamespaceSelector {
    if (names.length === 0) {
      throw new Error('NamespaceSelector.named() needs at least one namespace name; use NamespaceSelector.all() for every namespace.');
    }
    for (const name of names) {
      assertNamespaceName(name, 'NamespaceSelector.named()');
    }
    const unique = names.length === 1 ? names : [...new Set(names)].sort();
    const options: SelectorOptions = unique.length === 1
      ? { labels: { [NamespaceSelector.NAME_LABEL]: unique[0] } }
      : { expressions: [LabelExpression.in(NamespaceSelector.NAME_LABEL, unique)] };
    return new NamespaceSelector(options, unique);
  }

  /** Namespaces that carry all of these labels. */
  public static labels(labels: { [key: string]: string }): NamespaceSelector {
    if (!labels || Object.keys(labels).length === 0) {
      throw new Error('NamespaceSelector.labels() needs at least one label; use NamespaceSelector.all() for every namespace.');
    }
    return new NamespaceSelector({ labels }, undefined);
  }

  /** Namespaces for which every one of these expressions holds. */
  public static expressions(expressions: LabelExpression[]): NamespaceSelector {
    if (!expressions || expressions.length === 0) {
      throw new Error('NamespaceSelector.expressions() needs at least one expression; use NamespaceSelector.all() for every namespace.');
    }
    return new NamespaceSelector({ expressions }, undefined);
  }

  /** Namespaces matching labels and expressions together. */
  public static of(options: SelectorOptions): NamespaceSelector {
    return new NamespaceSelector(options, undefined);
  }

  /** Required labels (`matchLabels`), keys sorted. */
  declare public readonly matchLabels: { [key: string]: string };
  /** Required expressions (`matchExpressions`). */
  declare public readonly matchExpressions: LabelExpression[];
  /**
   * The namespace names, when this selector was made with `named()`.
   * @default - not selected by name
   */
  declare public readonly names?: string[];

  private constructor(options: SelectorOptions, names: string[] | undefined) {
    const normalized = normalizeSelector(options, 'a namespace selector');
    // normalizeSelector made them for this selector: frozen as they are, not copied again
    defineReadOnly(this, 'matchLabels', Object.freeze(normalized.labels));
    defineReadOnly(this, 'matchExpressions', Object.freeze(normalized.expressions));
    defineReadOnly(this, 'names', names && frozenArray(names));
  }

  /** True when every namespace is selected (`{}`). */
  public get isAll(): boolean {
    return Object.keys(this.matchLabels).length === 0 && this.matchExpressions.length === 0;
  }

  /** The Kubernetes `LabelSelector` this selector renders to. */
  public toLabelSelector(): K8sLabelSelector {
    return toKubeLabelSelector(this.matchLabels, this.matchExpressions);
  }

  /** A stable, human-readable form, e.g. `namespace kube-system` or `namespaces team=payments`. */
  public toString(): string {
    if (this.names) {
      return this.names.length === 1 ? `namespace ${this.names[0]}` : `namespaces ${this.names.join(',')}`;
    }
    if (this.isAll) {
      return 'all namespaces';
    }
    return `namespaces ${describeSelector(this.matchLabels, this.matchExpressions)}`;
  }
}

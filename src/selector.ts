import { IConstruct } from 'constructs';
import { defineReadOnly } from './internal/immutable';
import type { K8sLabelSelector } from './kube/types';
import { LabelExpression } from './label-expression';
import { describeSelector, normalizeSelector, toKubeLabelSelector } from './label-selector';
import { SelectorOptions } from './selector-options';
import { readWorkload } from './workload';

/**
 * Selects pods by their labels: `matchLabels`, `matchExpressions`, both
 * (every condition must hold), or all pods.
 *
 * Keys and values are validated when the selector is created, with the API
 * server's rules.
 *
 * @example
 * Selector.labels({ app: 'api-server' })
 * Selector.of({ labels: { app: 'api' }, expressions: [LabelExpression.in('track', ['stable', 'canary'])] })
 * Selector.all()
 */
export class Selector {
  /** Every pod (of the namespace the selector is evaluated in). Renders `{}`. */
  public static all(): Selector {
    return new Selector({});
  }

  /** Pods that carry all of these labels. */
  public static labels(labels: { [key: string]: string }): Selector {
    if (!labels || Object.keys(labels).length === 0) {
      throw new Error('Selector.labels() needs at least one label; use Selector.all() to select every pod.');
    }
    return new Selector({ labels });
  }

  /** Pods for which every one of these expressions holds. */
  public static expressions(expressions: LabelExpression[]): Selector {
    if (!expressions || expressions.length === 0) {
      throw new Error('Selector.expressions() needs at least one expression; use Selector.all() to select every pod.');
    }
    return new Selector({ expressions });
  }

  /** Pods matching labels and expressions together. */
  public static of(options: SelectorOptions): Selector {
    return new Selector(options);
  }

  /**
   * The pods of a workload, using the same labels the workload selects its own
   * pods with (its `spec.selector`; a Pod's, Job's or CronJob's pod labels).
   *
   * The workload is read from what it synthesizes, so it may be a `Deployment`,
   * `StatefulSet`, `DaemonSet`, `Job`, `CronJob` or `Pod` of any cdk8s-plus
   * version, an ApiObject of such a kind (e.g. a `KubeDeployment` of
   * `cdk8s import`), or an Include (or any construct) that holds exactly one.
   *
   * The selector remembers the workload's namespace, so a policy made with it
   * lands in that namespace (and refuses to be put in another one).
   */
  public static fromWorkload(workload: IConstruct): Selector {
    const selection = readWorkload(workload);
    if (selection.namespaceLabels || (selection.namespaceNames && selection.namespaceNames.length > 1)) {
      throw new Error(
        `${selection.path} selects pods in several namespaces; a policy selects pods of its own namespace only. ` +
        'Use it as a peer with Peer.workload() instead.',
      );
    }
    return new Selector(selection.pods, selection.namespaceNames?.[0], selection.path);
  }

  /** Required labels (`matchLabels`), keys sorted. */
  declare public readonly matchLabels: { [key: string]: string };
  /** Required expressions (`matchExpressions`). */
  declare public readonly matchExpressions: LabelExpression[];
  /**
   * The namespace of the workload this selector was made from.
   * @default - the namespace of the policy that uses the selector
   */
  declare public readonly namespace?: string;
  /**
   * The construct path of the workload this selector was made from.
   * @default - not made from a workload
   */
  declare public readonly workloadPath?: string;

  private constructor(options: SelectorOptions, namespace?: string, workloadPath?: string) {
    const normalized = normalizeSelector(options, workloadPath ? `the pod selector of ${workloadPath}` : 'a pod selector');
    // normalizeSelector made them for this selector: frozen as they are, not copied again
    defineReadOnly(this, 'matchLabels', Object.freeze(normalized.labels));
    defineReadOnly(this, 'matchExpressions', Object.freeze(normalized.expressions));
    defineReadOnly(this, 'namespace', namespace);
    defineReadOnly(this, 'workloadPath', workloadPath);
  }

  /** True when the selector selects every pod (`{}`). */
  public get isAll(): boolean {
    return Object.keys(this.matchLabels).length === 0 && this.matchExpressions.length === 0;
  }

  /** The Kubernetes `LabelSelector` this selector renders to. */
  public toLabelSelector(): K8sLabelSelector {
    return toKubeLabelSelector(this.matchLabels, this.matchExpressions);
  }

  /** A stable, human-readable form in kubectl's selector syntax, e.g. `app=api,tier in (a,b)`; `*` for all pods. */
  public toString(): string {
    return describeSelector(this.matchLabels, this.matchExpressions) || '*';
  }
}

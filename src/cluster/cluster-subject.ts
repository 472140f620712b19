import { defineReadOnly } from '../internal/immutable';
import type { K8sLabelSelector } from '../kube/types';
import { NamespaceSelector } from '../namespace-selector';
import { Selector } from '../selector';

/** `spec.subject` as in the manifest: namespaces, or pods of namespaces. */
interface SubjectManifest {
  readonly namespaces?: K8sLabelSelector;
  readonly pods?: { readonly namespaceSelector: K8sLabelSelector; readonly podSelector: K8sLabelSelector };
}

/**
 * The pods a ClusterNetworkPolicy applies to: every pod of some namespaces,
 * or some pods of some namespaces.
 *
 * @example
 * ClusterSubject.namespaces(NamespaceSelector.labels({ tenant: 'blue' }))
 * ClusterSubject.pods(NamespaceSelector.all(), Selector.labels({ app: 'ingress' }))
 */
export class ClusterSubject {
  /** Every pod of every namespace. */
  public static allNamespaces(): ClusterSubject {
    return new ClusterSubject({ namespaces: {} }, 'every pod of every namespace');
  }

  /** Every pod of the namespaces that match `namespaces`. */
  public static namespaces(namespaces: NamespaceSelector): ClusterSubject {
    if (!(namespaces instanceof NamespaceSelector)) {
      throw new Error(`ClusterSubject.namespaces() expects a NamespaceSelector, got ${String(namespaces)}.`);
    }
    return new ClusterSubject({ namespaces: namespaces.toLabelSelector() }, `every pod of ${namespaces}`);
  }

  /** The pods that match `pods` in the namespaces that match `namespaces`. */
  public static pods(namespaces: NamespaceSelector, pods: Selector): ClusterSubject {
    if (!(namespaces instanceof NamespaceSelector) || !(pods instanceof Selector)) {
      throw new Error('ClusterSubject.pods() expects a NamespaceSelector and a Selector.');
    }
    return new ClusterSubject(
      { pods: { namespaceSelector: namespaces.toLabelSelector(), podSelector: pods.toLabelSelector() } },
      `pods ${pods} in ${namespaces}`,
    );
  }

  declare private readonly rendered: object;
  declare private readonly description: string;

  private constructor(rendered: SubjectManifest, description: string) {
    defineReadOnly(this, 'rendered', rendered);
    defineReadOnly(this, 'description', description);
  }

  /** A readable form, e.g. `every pod of namespaces tenant=blue`. */
  public toString(): string {
    return this.description;
  }

  /**
   * The `spec.subject` of the manifest.
   * @internal
   */
  public _toKube(): object {
    return JSON.parse(JSON.stringify(this.rendered));
  }
}

import { IConstruct } from 'constructs';
import { defineReadOnly, lockFields } from '../internal/immutable';

/** The construct context key that holds a scope's target (its name). */
const TARGET_CONTEXT_KEY = 'cdk8s-netpol:target';

/**
 * What the constructs of this library emit: the policy API a cluster enforces.
 *
 * The intent (DefaultDeny, AllowTo, ServiceGraph...) is written once; the
 * target decides the manifests. Choose it for an App, a Chart or any construct
 * with `PolicyTarget.set()` (before adding children), or for one construct
 * with its `target` prop. A feature the target cannot express is an error at
 * creation naming the construct, the feature and the target that can.
 *
 * @example
 * // before the App has children
 * PolicyTarget.set(app, PolicyTarget.CILIUM);
 */
export class PolicyTarget {
  /**
   * `networking.k8s.io/v1` NetworkPolicy, which every CNI that enforces
   * policy understands. The default.
   */
  public static readonly KUBERNETES = new PolicyTarget('kubernetes', 'networking.k8s.io/v1', 'NetworkPolicy');

  /**
   * Cilium's `cilium.io/v2` CiliumNetworkPolicy: the same intents, and what
   * only Cilium can say (entities such as `kube-apiserver`, DNS names, L7
   * HTTP rules, deny rules).
   */
  public static readonly CILIUM = new PolicyTarget('cilium', 'cilium.io/v2', 'CiliumNetworkPolicy');

  /**
   * Makes `target` what every construct of this library in `scope` emits,
   * unless a construct below says otherwise. Call it before adding children
   * to `scope`: constructs read their target when they are created.
   * @param scope an App, a Chart or any construct
   * @param target the target
   */
  public static set(scope: IConstruct, target: PolicyTarget): void {
    if (!(target instanceof PolicyTarget)) {
      throw new Error(`${scope.node.path || 'the App'}: ${String(target)} is not a PolicyTarget; use PolicyTarget.KUBERNETES or PolicyTarget.CILIUM.`);
    }
    if (scope.node.children.length > 0) {
      throw new Error(
        `${scope.node.path || 'the App'}: set the policy target before adding children ` +
        `(it has ${scope.node.children.map((c) => `"${c.node.id}"`).join(', ')}): they were created for the target in force then.`,
      );
    }
    scope.node.setContext(TARGET_CONTEXT_KEY, target.name);
  }

  /**
   * The target in force for `construct`: the nearest one set on it or a scope
   * above it, else `KUBERNETES`.
   * @param construct any construct
   */
  public static of(construct: IConstruct): PolicyTarget {
    const name = construct.node.tryGetContext(TARGET_CONTEXT_KEY);
    if (name === undefined) {
      return PolicyTarget.KUBERNETES;
    }
    const target = [PolicyTarget.KUBERNETES, PolicyTarget.CILIUM].find((t) => t.name === name);
    if (!target) {
      throw new Error(`${construct.node.path}: the context "${TARGET_CONTEXT_KEY}" is "${String(name)}"; the targets are "kubernetes" and "cilium".`);
    }
    return target;
  }

  /** A short name: `kubernetes` or `cilium`. */
  declare public readonly name: string;
  /** The `apiVersion` of the namespaced policies this target emits. */
  declare public readonly apiVersion: string;
  /** The `kind` of the namespaced policies this target emits. */
  declare public readonly kind: string;

  private constructor(name: string, apiVersion: string, kind: string) {
    defineReadOnly(this, 'name', name);
    defineReadOnly(this, 'apiVersion', apiVersion);
    defineReadOnly(this, 'kind', kind);
  }

  /** `cilium (cilium.io/v2 CiliumNetworkPolicy)`. */
  public toString(): string {
    return `${this.name} (${this.apiVersion} ${this.kind})`;
  }
}

// Shared by every policy: `PolicyTarget.CILIUM = ...` must not change them.
lockFields(PolicyTarget, 'KUBERNETES', 'CILIUM');

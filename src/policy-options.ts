import type { PolicyTarget } from './target/policy-target';

/**
 * Metadata options shared by every construct of this library.
 */
export interface PolicyMetadataOptions {
  /**
   * The namespace of the policies.
   * @default - the namespace of the workload the pods were selected from, else the Chart's namespace, else none (kubectl's current namespace)
   */
  readonly namespace?: string;

  /**
   * Extra labels on the NetworkPolicy objects.
   * @default - the Chart's labels only
   */
  readonly labels?: { [key: string]: string };

  /**
   * Annotations on the NetworkPolicy objects.
   * @default - none
   */
  readonly annotations?: { [key: string]: string };

  /**
   * What to emit: `networking.k8s.io/v1` NetworkPolicies or Cilium's.
   * @default - the target set on a scope above with `PolicyTarget.set()`, else `PolicyTarget.KUBERNETES`
   */
  readonly target?: PolicyTarget;
}

/**
 * Options of constructs that emit exactly one NetworkPolicy.
 */
export interface NamedPolicyOptions extends PolicyMetadataOptions {
  /**
   * `metadata.name` of the NetworkPolicy.
   * @default - derived from the construct path below the Chart, e.g. `baseline-allow-dns`
   */
  readonly name?: string;
}

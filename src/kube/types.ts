/*
 * The few Kubernetes API shapes this library's public API returns, as jsii structs of its own.
 *
 * They used to be cdk8s-plus-28's generated `k8s.*` types, which made cdk8s-plus-28 a dependency of
 * every user (and a different declaration than the cdk8s-plus the user has). They are plain
 * interfaces with the API's field names, so a value is assignable to the same type of any
 * `cdk8s import` or cdk8s-plus version.
 */

/** A label selector requirement (`matchExpressions` entry) of the Kubernetes API. */
export interface K8sLabelSelectorRequirement {
  /** The label key. */
  readonly key: string;
  /** `In`, `NotIn`, `Exists` or `DoesNotExist`. */
  readonly operator: string;
  /**
   * The values, for `In` and `NotIn`.
   * @default - none (`Exists`, `DoesNotExist`)
   */
  readonly values?: string[];
}

/** A label selector of the Kubernetes API (`{}` selects everything). */
export interface K8sLabelSelector {
  /**
   * Labels that must all be present with these values.
   * @default - none required
   */
  readonly matchLabels?: { [key: string]: string };
  /**
   * Requirements that must all hold.
   * @default - none required
   */
  readonly matchExpressions?: K8sLabelSelectorRequirement[];
}

/** The `ipBlock` of a NetworkPolicy peer. */
export interface K8sIpBlock {
  /** The CIDR, e.g. `203.0.113.0/24`. */
  readonly cidr: string;
  /**
   * CIDRs inside `cidr` to leave out.
   * @default - none
   */
  readonly except?: string[];
}

/** A `from`/`to` entry of a NetworkPolicy rule in the Kubernetes API. */
export interface K8sNetworkPolicyPeer {
  /**
   * Addresses, for traffic outside the cluster.
   * @default - none
   */
  readonly ipBlock?: K8sIpBlock;
  /**
   * Namespaces by label (with `podSelector`: both must match).
   * @default - the policy's namespace, when `podSelector` is given
   */
  readonly namespaceSelector?: K8sLabelSelector;
  /**
   * Pods by label.
   * @default - every pod of the selected namespaces
   */
  readonly podSelector?: K8sLabelSelector;
}

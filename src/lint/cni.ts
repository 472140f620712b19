/**
 * A CNI plugin (or network policy engine) that enforces NetworkPolicies, by
 * the name `cdk8s-netpol lint --cni <name>` takes.
 *
 * What each one is documented not to enforce is listed in docs/cni.md, with
 * the sources.
 */
export enum Cni {
  /** Calico (Tigera), including Canal: Calico's policy engine on a flannel network. */
  CALICO = 'calico',
  /** Cilium, including GKE Dataplane V2, which Google implements with Cilium. */
  CILIUM = 'cilium',
  /** Flannel: pod networking only; it enforces no NetworkPolicy by itself. */
  FLANNEL = 'flannel',
  /** Weave Net, whose policy controller is weave-npc. */
  WEAVE = 'weave',
  /** Antrea (Open vSwitch based). */
  ANTREA = 'antrea',
  /** kube-router's network policy controller. */
  KUBE_ROUTER = 'kube-router',
  /** The Amazon VPC CNI with its network policy agent (Amazon EKS). */
  AWS_VPC_CNI = 'aws-vpc-cni',
  /** Azure Network Policy Manager (AKS `--network-policy azure`). */
  AZURE_NPM = 'azure-npm',
  /** OVN-Kubernetes, the cluster network of OpenShift Container Platform. */
  OVN_KUBERNETES = 'ovn-kubernetes',
  /**
   * kube-network-policies (kubernetes-sigs), a network policy controller that runs
   * beside a pod network without policy support (e.g. flannel with `netpol.enabled`).
   */
  KUBE_NETWORK_POLICIES = 'kube-network-policies',
}

import { Cni } from './cni';

/*
 * Which NetworkPolicy features each CNI is documented NOT to enforce, and
 * which of the cluster-scoped kinds (ClusterNetworkPolicy v1alpha2,
 * AdminNetworkPolicy and BaselineAdminNetworkPolicy v1alpha1) it does not read.
 *
 * Researched and checked in November 2026; docs/cni.md gives the table, the
 * facts per CNI and the sources. Rules of this table:
 * - a gap is recorded only when a source says so (the project's docs, a
 *   release note, or a maintainer's statement in an issue or pull request);
 * - a feature that no source covers is not a gap here: it is "unknown" in
 *   docs/cni.md, never guessed;
 * - every gap has the URL it comes from, and docs/cni.md cites the same URLs
 *   (a test keeps the two in step).
 *
 * Internal: not exported from the package index.
 */

/**
 * A NetworkPolicy feature a CNI may fail to enforce.
 */
export enum PolicyFeature {
  /** NetworkPolicy at all. */
  NETWORK_POLICY = 'NetworkPolicy',
  /** `egress` rules (`policyTypes: [Egress]`). */
  EGRESS = 'egress rules',
  /** `ipBlock.except`. */
  IP_BLOCK_EXCEPT = 'ipBlock except',
  /** Port ranges: `ports[].endPort` (GA in Kubernetes 1.25). */
  END_PORT = 'endPort',
  /** `protocol: SCTP`. */
  SCTP = 'SCTP',
  /** Named ports: `port: http`, resolved against each pod's container ports. */
  NAMED_PORTS = 'named ports',
  /** Pods with `hostNetwork: true`, selected by a policy or matched by a peer. */
  HOST_NETWORK = 'hostNetwork pods',
  /** Which addresses an `ipBlock` peer can match (pod IPs, node IPs, masqueraded sources). */
  IP_BLOCK = 'ipBlock peers',
  /** Label or namespace selectors that match by exclusion (`NotIn`, `DoesNotExist`). */
  NEGATIVE_SELECTORS = 'negative selectors',
  /** IPv4 and IPv6: rules for an address family the CNI does not enforce. */
  IP_FAMILY = 'IP family',
  /** Interfaces of a pod other than its primary one (`eth0`). */
  POD_INTERFACES = 'secondary pod interfaces',
  /** Kinds of nodes (Windows, serverless) where policies are not enforced. */
  NODE_PLATFORM = 'node platform',
  /** Pods created directly, without an owner (`metadata.ownerReferences`). */
  STANDALONE_PODS = 'standalone pods',
  /** A documented maximum of ports in one rule. */
  PORTS_PER_RULE = 'ports per rule',
  /**
   * CiliumNetworkPolicy and CiliumClusterwideNetworkPolicy peers selected by
   * namespace labels (`io.cilium.k8s.namespace.labels.*`) without a namespace key.
   */
  CILIUM_NAMESPACE_LABEL_PEERS = 'namespace-label peers in CiliumNetworkPolicy',
  /** `enableDefaultDeny` in CiliumNetworkPolicy and CiliumClusterwideNetworkPolicy. */
  CILIUM_ENABLE_DEFAULT_DENY = 'enableDefaultDeny',
  /** `ClusterNetworkPolicy` (policy.networking.k8s.io/v1alpha2), tiers Admin and Baseline. */
  CLUSTER_NETWORK_POLICY = 'ClusterNetworkPolicy (v1alpha2)',
  /** `AdminNetworkPolicy` (policy.networking.k8s.io/v1alpha1). */
  ADMIN_NETWORK_POLICY = 'AdminNetworkPolicy (v1alpha1)',
  /** `BaselineAdminNetworkPolicy` (policy.networking.k8s.io/v1alpha1). */
  BASELINE_ADMIN_NETWORK_POLICY = 'BaselineAdminNetworkPolicy (v1alpha1)',
  /** A documented highest AdminNetworkPolicy priority below the API's 1000 (the gap's `limit`). */
  ADMIN_NETWORK_POLICY_PRIORITY = 'AdminNetworkPolicy priorities',
}

/**
 * One documented gap: a feature a CNI does not enforce, or enforces only in
 * some versions or on some nodes.
 */
export interface FeatureGap {
  /** The feature. */
  readonly feature: PolicyFeature;
  /** One user-facing sentence: what the CNI does instead. */
  readonly note: string;
  /** URL of the source (docs page, release note, issue or pull request). */
  readonly source: string;
  /**
   * The CNI version from which the gap no longer applies, when a source names one.
   * @default - the gap applies to current releases
   */
  readonly fixedIn?: string;
  /**
   * The CNI version from which the gap applies: the release that removed the feature.
   * @default - the gap applies to every release before `fixedIn`
   */
  readonly since?: string;
  /**
   * The documented limit the gap is about, e.g. the highest priority the CNI supports.
   * @default - the gap is about the feature as a whole
   */
  readonly limit?: number;
  /**
   * The nodes or setups the gap is limited to, e.g. "Windows nodes".
   * @default - all nodes and setups
   */
  readonly appliesTo?: string;
}

/**
 * What one CNI is documented not to enforce.
 */
export interface CniSupport {
  /** The CNI. */
  readonly cni: Cni;
  /** Its name as its project writes it. */
  readonly displayName: string;
  /**
   * false: no NetworkPolicy enforcement at all (in its default deployment).
   * A `NETWORK_POLICY` gap on a CNI that does enforce names the versions or settings it needs.
   */
  readonly enforcesNetworkPolicy: boolean;
  /** The documented gaps; features not listed are supported or unknown (see docs/cni.md). */
  readonly gaps: readonly FeatureGap[];
  /** URL of the page that documents its NetworkPolicy support. */
  readonly source: string;
}

const K8S_ENDPORT = 'https://kubernetes.io/docs/concepts/services-networking/network-policies/#targeting-a-range-of-ports';

/** Docs pages cited by several gaps. */
const SRC = {
  calico: 'https://docs.tigera.io/calico/latest/network-policy/get-started/calico-policy/calico-network-policy',
  calicoEndPort: 'https://github.com/projectcalico/libcalico-go/pull/1357',
  cilium: 'https://docs.cilium.io/en/stable/network/kubernetes/policy/',
  ciliumSctp: 'https://docs.cilium.io/en/stable/configuration/sctp/',
  ciliumEndPort: 'https://github.com/cilium/cilium/issues/28684',
  ciliumNamespaceLabels: 'https://github.com/cilium/cilium/pull/30650',
  ciliumDefaultDeny: 'https://github.com/cilium/cilium/pull/30572',
  flannel: 'https://github.com/flannel-io/flannel#networking-details',
  weave: 'https://github.com/weaveworks/weave/blob/master/site/kubernetes/kube-addon.md',
  weaveNamedPorts: 'https://github.com/weaveworks/weave/issues/3032',
  antrea: 'https://github.com/antrea-io/antrea/blob/main/CHANGELOG/CHANGELOG-1.1.md',
  kubeRouter: 'https://github.com/cloudnativelabs/kube-router/blob/master/docs/design/npc-design.md',
  kubeRouterSctp: 'https://github.com/cloudnativelabs/kube-router/issues/1019',
  kubeRouterHostNetwork: 'https://github.com/cloudnativelabs/kube-router/issues/1135',
  eks: 'https://docs.aws.amazon.com/eks/latest/userguide/cni-network-policy.html',
  awsFaq: 'https://aws.github.io/amazon-vpc-cni-k8s/docs/network-policy-faq.html',
  awsHostNetwork: 'https://github.com/aws/amazon-network-policy-controller-k8s/pull/206',
  awsNamedPorts: 'https://github.com/aws/amazon-network-policy-controller-k8s/issues/81',
  aks: 'https://learn.microsoft.com/en-us/azure/aks/use-network-policies',
  aksEndPort: 'https://github.com/Azure/AKS/issues/2857',
  openshift: 'https://docs.redhat.com/en/documentation/openshift_container_platform/latest/html/network_security/network-policy',
  // The cluster policy kinds (network-policy-api): who reads ClusterNetworkPolicy (v1alpha2) and AdminNetworkPolicy (v1alpha1).
  policyApiImplementations: 'https://network-policy-api.sigs.k8s.io/implementations/',
  calicoCnp: 'https://github.com/kubernetes-sigs/network-policy-api/pull/376',
  calicoAnp: 'https://github.com/projectcalico/calico/pull/9404',
  calicoBanp: 'https://github.com/projectcalico/calico/pull/9464',
  calicoAnpRemoved: 'https://github.com/projectcalico/calico/issues/10745',
  ciliumCnp: 'https://github.com/cilium/cilium/pull/47227',
  antreaAnp: 'https://antrea.io/docs/main/docs/admin-network-policy/',
  antreaCnp: 'https://github.com/antrea-io/antrea/pull/8044',
  awsCnp: 'https://github.com/aws-samples/sample-apex-skills/pull/202',
  awsAnp: 'https://github.com/aws/aws-network-policy-agent/issues/237',
  ovnAnp: 'https://github.com/ovn-kubernetes/ovn-kubernetes/blob/master/docs/features/network-security-controls/admin-network-policy.md',
  kubeNetworkPolicies: 'https://github.com/kubernetes-sigs/kube-network-policies',
} as const;

/**
 * The documented NetworkPolicy gaps of each CNI (checked November 2026; sources in docs/cni.md).
 */
export const CNI_SUPPORT: Readonly<Record<Cni, CniSupport>> = {
  [Cni.CALICO]: {
    cni: Cni.CALICO,
    displayName: 'Calico',
    enforcesNetworkPolicy: true,
    source: SRC.calico,
    gaps: [
      {
        feature: PolicyFeature.END_PORT,
        note: 'Calico supports endPort from v3.19.0 ("Kubernetes Network Policy EndPort is now supported"); earlier releases do not.',
        source: SRC.calicoEndPort,
        fixedIn: '3.19.0',
      },
      {
        feature: PolicyFeature.CLUSTER_NETWORK_POLICY,
        note: 'Calico implements ClusterNetworkPolicy from v3.32 (the standard fields, networks peers and named ports); earlier releases do not read it.',
        source: SRC.calicoCnp,
        fixedIn: '3.32.0',
      },
      {
        feature: PolicyFeature.ADMIN_NETWORK_POLICY,
        note: 'Calico implements AdminNetworkPolicy from v3.29.0; earlier releases do not read it.',
        source: SRC.calicoAnp,
        fixedIn: '3.29.0',
      },
      {
        feature: PolicyFeature.ADMIN_NETWORK_POLICY,
        note: 'Calico v3.32 removed AdminNetworkPolicy and BaselineAdminNetworkPolicy in favour of ClusterNetworkPolicy (its maintainers\' statement), so from v3.32 it no longer reads them.',
        source: SRC.calicoAnpRemoved,
        since: '3.32.0',
      },
      {
        feature: PolicyFeature.BASELINE_ADMIN_NETWORK_POLICY,
        note: 'Calico implements BaselineAdminNetworkPolicy from v3.30 (its support was merged after v3.29.0); earlier releases do not read it.',
        source: SRC.calicoBanp,
        fixedIn: '3.30.0',
      },
      {
        feature: PolicyFeature.BASELINE_ADMIN_NETWORK_POLICY,
        note: 'Calico v3.32 removed AdminNetworkPolicy and BaselineAdminNetworkPolicy in favour of ClusterNetworkPolicy (its maintainers\' statement), so from v3.32 it no longer reads them.',
        source: SRC.calicoAnpRemoved,
        since: '3.32.0',
      },
    ],
  },
  [Cni.CILIUM]: {
    cni: Cni.CILIUM,
    displayName: 'Cilium',
    enforcesNetworkPolicy: true,
    source: SRC.cilium,
    gaps: [
      {
        feature: PolicyFeature.END_PORT,
        note: 'Cilium before 1.16 does not implement endPort: its docs listed port ranges as a missing feature and a maintainer reported the field silently ignored.',
        source: SRC.ciliumEndPort,
        fixedIn: '1.16',
      },
      {
        feature: PolicyFeature.SCTP,
        note: 'Cilium enforces SCTP rules only when its SCTP support (beta) is turned on with the Helm value sctp.enabled=true.',
        source: SRC.ciliumSctp,
        appliesTo: 'clusters without sctp.enabled=true',
      },
      {
        feature: PolicyFeature.IP_BLOCK,
        note: 'Cilium does not match pod IPs with ipBlock (a documented missing feature): select pods with podSelector and namespaceSelector instead.',
        source: SRC.cilium,
      },
      {
        feature: PolicyFeature.IP_BLOCK,
        note: 'Cilium before 1.15 never matched node IPs with ipBlock; from 1.15 it does only when configured to select nodes by CIDR.',
        source: SRC.cilium,
      },
      {
        feature: PolicyFeature.CILIUM_NAMESPACE_LABEL_PEERS,
        note: 'Cilium before 1.16 adds the policy\'s own namespace to a CiliumNetworkPolicy peer that selects by namespace labels '
          + '(io.cilium.k8s.namespace.labels.*) and names no namespace, so the peer matches pods of the policy\'s namespace only '
          + '(fixed by cilium#30650, merged for 1.16).',
        source: SRC.ciliumNamespaceLabels,
        fixedIn: '1.16',
      },
      {
        feature: PolicyFeature.CILIUM_ENABLE_DEFAULT_DENY,
        note: 'Cilium before 1.16 has no enableDefaultDeny (cilium#30572 added it in 1.16): '
          + 'a policy puts its pods into default deny for every direction it has rules for, whatever the field says.',
        source: SRC.ciliumDefaultDeny,
        fixedIn: '1.16',
      },
      {
        feature: PolicyFeature.CLUSTER_NETWORK_POLICY,
        note: 'Cilium implements ClusterNetworkPolicy from 1.20; earlier releases do not read it.',
        source: SRC.ciliumCnp,
        fixedIn: '1.20',
      },
      {
        feature: PolicyFeature.CLUSTER_NETWORK_POLICY,
        note: 'Cilium reads ClusterNetworkPolicy only when --enable-k8s-cluster-network-policy is on (Helm k8sClusterNetworkPolicy.enabled=true; off by default while the API is alpha) and its CRD is installed.',
        source: SRC.ciliumCnp,
        appliesTo: 'clusters without k8sClusterNetworkPolicy.enabled=true',
      },
      {
        feature: PolicyFeature.ADMIN_NETWORK_POLICY,
        note: 'Cilium does not implement AdminNetworkPolicy (v1alpha1): the network-policy-api list of implementations names only a tracking issue for it, and Cilium 1.20 reads the v1alpha2 ClusterNetworkPolicy instead.',
        source: SRC.policyApiImplementations,
      },
      {
        feature: PolicyFeature.BASELINE_ADMIN_NETWORK_POLICY,
        note: 'Cilium does not implement BaselineAdminNetworkPolicy (v1alpha1): the network-policy-api list of implementations names only a tracking issue for it, and Cilium 1.20 reads the v1alpha2 ClusterNetworkPolicy instead.',
        source: SRC.policyApiImplementations,
      },
    ],
  },
  [Cni.FLANNEL]: {
    cni: Cni.FLANNEL,
    displayName: 'Flannel',
    enforcesNetworkPolicy: false,
    source: SRC.flannel,
    gaps: [
      {
        feature: PolicyFeature.NETWORK_POLICY,
        note: 'Flannel enforces no NetworkPolicy: its docs leave policy to other projects such as Calico (Canal runs Calico alongside flannel), '
          + 'and from v0.25.5 it can be deployed with the kube-network-policies controller (Helm netpol.enabled=true).',
        source: SRC.flannel,
      },
    ],
  },
  [Cni.WEAVE]: {
    cni: Cni.WEAVE,
    displayName: 'Weave Net',
    enforcesNetworkPolicy: true,
    source: SRC.weave,
    gaps: [
      {
        feature: PolicyFeature.NAMED_PORTS,
        note: 'Weave Net does not handle named ports: its policy controller has crashed on policies that use one (an open bug).',
        source: SRC.weaveNamedPorts,
      },
      {
        feature: PolicyFeature.IP_BLOCK,
        note: 'Weave Net masquerades ingress traffic, so an ingress ipBlock sees the real source only for Services with externalTrafficPolicy: Local '
          + 'or for pod-to-pod traffic to the pod IP.',
        source: SRC.weave,
      },
    ],
  },
  [Cni.ANTREA]: {
    cni: Cni.ANTREA,
    displayName: 'Antrea',
    enforcesNetworkPolicy: true,
    source: SRC.antrea,
    gaps: [
      {
        feature: PolicyFeature.HOST_NETWORK,
        note: 'Antrea does not enforce NetworkPolicies on hostNetwork pods.',
        source: SRC.antrea,
      },
      {
        feature: PolicyFeature.END_PORT,
        note: 'Antrea supports endPort from v1.1.0; earlier releases do not.',
        source: SRC.antrea,
        fixedIn: '1.1.0',
      },
      {
        feature: PolicyFeature.CLUSTER_NETWORK_POLICY,
        note: 'Antrea implements ClusterNetworkPolicy (v1alpha2) from v2.7; earlier releases do not read it.',
        source: SRC.antreaCnp,
        fixedIn: '2.7',
      },
      ...([PolicyFeature.ADMIN_NETWORK_POLICY, PolicyFeature.BASELINE_ADMIN_NETWORK_POLICY] as const).flatMap((feature) => [
        {
          feature,
          note: 'Antrea implements AdminNetworkPolicy and BaselineAdminNetworkPolicy from v1.13; earlier releases do not read them.',
          source: SRC.antreaAnp,
          fixedIn: '1.13',
        },
        {
          feature,
          note: 'Antrea reads AdminNetworkPolicy and BaselineAdminNetworkPolicy only with its feature gate AdminNetworkPolicy (alpha), which is disabled by default.',
          source: SRC.antreaAnp,
          appliesTo: 'clusters without the AdminNetworkPolicy feature gate',
        },
      ]),
    ],
  },
  [Cni.KUBE_ROUTER]: {
    cni: Cni.KUBE_ROUTER,
    displayName: 'kube-router',
    enforcesNetworkPolicy: true,
    source: SRC.kubeRouter,
    gaps: [
      {
        feature: PolicyFeature.SCTP,
        note: 'kube-router does not support SCTP in network policies (an open feature request by its maintainers).',
        source: SRC.kubeRouterSctp,
      },
      {
        feature: PolicyFeature.HOST_NETWORK,
        note: 'kube-router deliberately does not apply NetworkPolicies to hostNetwork pods: allow or restrict them by the node IPs (ipBlock).',
        source: SRC.kubeRouterHostNetwork,
      },
    ],
  },
  [Cni.AWS_VPC_CNI]: {
    cni: Cni.AWS_VPC_CNI,
    displayName: 'Amazon VPC CNI',
    enforcesNetworkPolicy: true,
    source: SRC.eks,
    gaps: [
      {
        feature: PolicyFeature.NETWORK_POLICY,
        note: 'The Amazon VPC CNI enforces NetworkPolicy from v1.14; earlier versions need a third-party policy engine.',
        source: SRC.eks,
        fixedIn: '1.14',
      },
      {
        feature: PolicyFeature.NETWORK_POLICY,
        note: 'Network policy support in the Amazon VPC CNI is opt-in: it is off until enabled.',
        source: SRC.awsFaq,
        appliesTo: 'clusters where network policy support is not enabled',
      },
      {
        feature: PolicyFeature.NODE_PLATFORM,
        note: 'The Amazon VPC CNI applies policies on Amazon EC2 Linux nodes only, not on Fargate or Windows nodes.',
        source: SRC.eks,
        appliesTo: 'Fargate and Windows nodes',
      },
      {
        feature: PolicyFeature.IP_FAMILY,
        note: 'The Amazon VPC CNI enforces only the cluster\'s IP family: IPv4 rules in an IPv6 cluster, and IPv6 rules in an IPv4 cluster, are ignored.',
        source: SRC.eks,
      },
      {
        feature: PolicyFeature.POD_INTERFACES,
        note: 'The Amazon VPC CNI applies policies to the primary interface (eth0) only: not to the IPv4 egress interface of IPv6 pods '
          + '(ENABLE_V4_EGRESS) nor to interfaces added by chained plugins such as Multus.',
        source: SRC.eks,
      },
      {
        feature: PolicyFeature.STANDALONE_PODS,
        note: 'The Amazon VPC CNI applies policies only to pods that are part of a Deployment: standalone pods without metadata.ownerReferences get none.',
        source: SRC.eks,
      },
      {
        feature: PolicyFeature.PORTS_PER_RULE,
        note: 'The Amazon VPC CNI allows at most 24 unique port combinations per protocol in each ingress or egress selector of a policy.',
        source: SRC.eks,
      },
      {
        feature: PolicyFeature.HOST_NETWORK,
        note: 'The Amazon network policy controller leaves hostNetwork pods out of policy enforcement.',
        source: SRC.awsHostNetwork,
      },
      {
        feature: PolicyFeature.NAMED_PORTS,
        note: 'An ingress rule with a named port may not be resolved to the target pod\'s port by the Amazon network policy controller (a bug report).',
        source: SRC.awsNamedPorts,
      },
      {
        feature: PolicyFeature.CLUSTER_NETWORK_POLICY,
        note: 'The Amazon VPC CNI does not read the upstream ClusterNetworkPolicy: its admin policies (VPC CNI v1.21.1 and later) are a ClusterNetworkPolicy kind of its own, in networking.k8s.aws/v1alpha1.',
        source: SRC.awsCnp,
      },
      {
        feature: PolicyFeature.ADMIN_NETWORK_POLICY,
        note: 'The Amazon VPC CNI does not implement AdminNetworkPolicy: its maintainers closed the request in favour of an open roadmap item.',
        source: SRC.awsAnp,
      },
      {
        feature: PolicyFeature.BASELINE_ADMIN_NETWORK_POLICY,
        note: 'The Amazon VPC CNI does not implement BaselineAdminNetworkPolicy: its maintainers closed the request in favour of an open roadmap item.',
        source: SRC.awsAnp,
      },
    ],
  },
  [Cni.AZURE_NPM]: {
    cni: Cni.AZURE_NPM,
    displayName: 'Azure Network Policy Manager',
    enforcesNetworkPolicy: true,
    source: SRC.aks,
    gaps: [
      {
        feature: PolicyFeature.IP_FAMILY,
        note: 'Azure Network Policy Manager does not support IPv6.',
        source: SRC.aks,
      },
      {
        feature: PolicyFeature.NAMED_PORTS,
        note: 'On Windows nodes, Azure Network Policy Manager does not support named ports.',
        source: SRC.aks,
        appliesTo: 'Windows nodes',
      },
      {
        feature: PolicyFeature.SCTP,
        note: 'On Windows nodes, Azure Network Policy Manager does not support SCTP.',
        source: SRC.aks,
        appliesTo: 'Windows nodes',
      },
      {
        feature: PolicyFeature.NEGATIVE_SELECTORS,
        note: 'On Windows nodes, Azure Network Policy Manager does not support label or namespace selectors that match by exclusion '
          + '(e.g. all labels except debug=true).',
        source: SRC.aks,
        appliesTo: 'Windows nodes',
      },
      {
        feature: PolicyFeature.IP_BLOCK_EXCEPT,
        note: 'On Windows nodes, Azure Network Policy Manager does not support ipBlock except.',
        source: SRC.aks,
        appliesTo: 'Windows nodes',
      },
      {
        feature: PolicyFeature.NODE_PLATFORM,
        note: 'On Windows, Azure Network Policy Manager runs only on Windows Server 2022, in preview.',
        source: SRC.aks,
        appliesTo: 'Windows nodes',
      },
      {
        feature: PolicyFeature.END_PORT,
        note: 'Azure Network Policy Manager v1 ignores endPort (a maintainer said in 2022 that the version in production did not support it); '
          + 'the AKS docs now state full support of the specification on Linux.',
        source: SRC.aksEndPort,
        fixedIn: 'v2',
      },
    ],
  },
  [Cni.OVN_KUBERNETES]: {
    cni: Cni.OVN_KUBERNETES,
    displayName: 'OVN-Kubernetes',
    enforcesNetworkPolicy: true,
    source: SRC.openshift,
    gaps: [
      {
        feature: PolicyFeature.HOST_NETWORK,
        note: 'Network policy does not apply to hostNetwork pods (OpenShift docs); '
          + 'a namespaceSelector peer matches them only together with podSelector: {}.',
        source: SRC.openshift,
      },
      {
        feature: PolicyFeature.ADMIN_NETWORK_POLICY_PRIORITY,
        note: 'OVN-Kubernetes supports AdminNetworkPolicy priorities 0 to 99 only: for a higher one it emits the event ANPWithUnsupportedPriority and does not set the policy up until its priority is changed.',
        source: SRC.ovnAnp,
        limit: 99,
      },
    ],
  },
  [Cni.KUBE_NETWORK_POLICIES]: {
    cni: Cni.KUBE_NETWORK_POLICIES,
    displayName: 'kube-network-policies',
    enforcesNetworkPolicy: true,
    source: SRC.kubeNetworkPolicies,
    gaps: [],
  },
};

/**
 * The documented gaps of `cni`.
 */
export function cniSupport(cni: Cni): CniSupport {
  return CNI_SUPPORT[cni];
}

/** Other names people use for a CNI, after normalisation (lower case, `-` for spaces and `_`). */
const ALIASES: Readonly<Record<string, Cni>> = {
  'canal': Cni.CALICO,
  'project-calico': Cni.CALICO,
  'projectcalico': Cni.CALICO,
  'gke-dataplane-v2': Cni.CILIUM,
  'dataplane-v2': Cni.CILIUM,
  'flanneld': Cni.FLANNEL,
  'weave-net': Cni.WEAVE,
  'weavenet': Cni.WEAVE,
  'weave-npc': Cni.WEAVE,
  'kuberouter': Cni.KUBE_ROUTER,
  'aws': Cni.AWS_VPC_CNI,
  'eks': Cni.AWS_VPC_CNI,
  'vpc-cni': Cni.AWS_VPC_CNI,
  'amazon-vpc-cni': Cni.AWS_VPC_CNI,
  'amazon-vpc-cni-k8s': Cni.AWS_VPC_CNI,
  'aws-network-policy-agent': Cni.AWS_VPC_CNI,
  'azure': Cni.AZURE_NPM,
  'azure-network-policy-manager': Cni.AZURE_NPM,
  'ovn': Cni.OVN_KUBERNETES,
  'ovn-k8s': Cni.OVN_KUBERNETES,
  'ovnk': Cni.OVN_KUBERNETES,
};

/** The names `parseCni` accepts besides the `Cni` values, for docs and help texts. */
export function cniAliases(): Readonly<Record<string, Cni>> {
  return ALIASES;
}

/**
 * The CNI a user named (`--cni`): a `Cni` value or an alias, case-insensitive.
 * @returns undefined for a name this tool does not know
 */
export function parseCni(text: string): Cni | undefined {
  const name = text.trim().toLowerCase().replace(/[\s_]+/g, '-');
  const direct = (Object.values(Cni) as string[]).find((value) => value === name);
  if (direct !== undefined) return direct as Cni;
  return Object.prototype.hasOwnProperty.call(ALIASES, name) ? ALIASES[name] : undefined;
}

/** What Kubernetes documents for a plugin that ignores endPort, for messages that need it. */
export const KUBERNETES_END_PORT_NOTE = {
  text: 'A network plugin that does not support endPort applies the rule to its single port only (Kubernetes documentation).',
  source: K8S_ENDPORT,
} as const;

/**
 * The gaps that apply to a version of the CNI. A gap fixed in some version
 * applies only when an older version is given: without a version, a current
 * release is assumed (a finding for a long-fixed gap would be noise). A gap
 * that a release brought (`since`: a feature removed) applies from that
 * release on, and to a current release.
 */
export function activeGaps(support: CniSupport, version?: string): FeatureGap[] {
  return support.gaps.filter((g) => (g.fixedIn === undefined || (version !== undefined && compareVersions(version, g.fixedIn) < 0))
    && (g.since === undefined || version === undefined || compareVersions(version, g.since) >= 0));
}

/** Compares dotted versions numerically (`v1.9` < `1.16`); a missing part counts as 0. */
export function compareVersions(a: string, b: string): number {
  const parts = (v: string) => v.replace(/^v/i, '').split('.').map((p) => parseInt(p, 10) || 0);
  const x = parts(a);
  const y = parts(b);
  for (let i = 0; i < Math.max(x.length, y.length); i++) {
    const d = (x[i] ?? 0) - (y[i] ?? 0);
    if (d !== 0) return d;
  }
  return 0;
}

/** True for a version the CLI and options accept: digits and dots, optionally after a "v". */
export function isCniVersion(text: string): boolean {
  return /^v?[0-9]+(\.[0-9]+)*$/i.test(text);
}

import { Construct } from 'constructs';
import { nodeLocalDnsCidr } from '../internal/node-local-dns';
import { checkProps, childPath, metadataOf } from '../internal/props';
import { CLUSTER_DNS_LABELS } from '../kube/cluster-dns';
import { NamespaceSelector } from '../namespace-selector';
import { NetworkPolicy } from '../network-policy';
import { IPeer, Peer } from '../peer';
import { NamedPolicyOptions } from '../policy-options';
import { Port } from '../port';
import { Selector } from '../selector';
import { PolicyTarget } from '../target/policy-target';

/**
 * Where DNS is served; shared by `AllowDns` and `NamespaceBaseline`.
 */
export interface AllowDnsOptions {
  /**
   * The DNS server pods.
   * @default - pods labelled `k8s-app: kube-dns` (CoreDNS and kube-dns both carry it)
   */
  readonly dnsPods?: Selector;

  /**
   * The namespace of the DNS server pods.
   * @default - `kube-system`, selected by its immutable name label
   */
  readonly dnsNamespace?: NamespaceSelector;

  /**
   * The address of a NodeLocal DNSCache (for example `169.254.20.10`), allowed
   * in addition to the DNS pods. An IP address or a CIDR.
   * @default - no node-local cache
   */
  readonly nodeLocalDnsAddress?: string;
}

/**
 * Properties of `AllowDns`.
 */
export interface AllowDnsProps extends AllowDnsOptions, NamedPolicyOptions {
  /**
   * The pods that may resolve names.
   * @default - every pod of the namespace
   */
  readonly pods?: Selector;
}

/**
 * Allows DNS: egress to kube-dns in kube-system on UDP 53 **and** TCP 53.
 *
 * TCP matters: resolvers fall back to it for truncated (large) answers, and a
 * default-deny that forgets it breaks names that resolve most of the time.
 *
 * On its own it also isolates the selected pods for egress (its `policyTypes`
 * is Egress): their other outgoing traffic is denied unless another policy allows it.
 *
 * @example
 * new AllowDns(chart, 'allow-dns');
 * new AllowDns(chart, 'allow-dns', { nodeLocalDnsAddress: '169.254.20.10' });
 */
export class AllowDns extends NetworkPolicy {
  /** The pods DNS runs on by default: `k8s-app: kube-dns`. */
  public static readonly KUBE_DNS_LABELS: { [key: string]: string } = CLUSTER_DNS_LABELS;

  /** The NetworkPolicy this construct emits: the construct itself (add rules to it directly). */
  public get policy(): NetworkPolicy {
    return this;
  }

  /**
   * @param scope the parent construct (a Chart or a construct inside one)
   * @param id the construct id; it names the emitted policies, so changing it renames them
   * @param props the AllowDnsProps
   */
  constructor(scope: Construct, id: string, props: AllowDnsProps = {}) {
    const path = childPath(scope, id);
    checkProps(path, 'AllowDns', props);
    const peers: IPeer[] = [
      props.dnsNamespace === undefined && props.dnsPods === undefined
        ? kubeDnsPeer()
        : Peer.podsIn(
          props.dnsNamespace ?? NamespaceSelector.named('kube-system'),
          props.dnsPods ?? Selector.labels(AllowDns.KUBE_DNS_LABELS),
        ),
    ];
    if (props.nodeLocalDnsAddress !== undefined) {
      if ((props.target ?? PolicyTarget.of(scope)) === PolicyTarget.CILIUM) {
        // A CIDR rule never matches the node in Cilium: the address would be allowed on paper and dropped in the cluster.
        throw new Error(
          `${path}: nodeLocalDnsAddress is an address on each node, and Cilium's CIDR rules never match a node. ` +
          'On Cilium, NodeLocal DNSCache is reached through a Local Redirect Policy to its pods: select them with ' +
          '`dnsPods` and `dnsNamespace`, or allow the node with an AllowTo to Peer.entity(CiliumEntity.HOST) on port 53.',
        );
      }
      peers.push(nodeLocalPeer(path, props.nodeLocalDnsAddress));
    }
    super(scope, id, {
      ...metadataOf(props),
      pods: props.pods,
      egress: [{ peers, ports: [Port.DNS_UDP, Port.DNS_TCP] }],
    });
  }
}

/** The default DNS peer, shared by the AllowDns that use it (values are immutable); made anew if KUBE_DNS_LABELS is replaced. */
let kubeDns: { labels: { [key: string]: string }; peer: Peer } | undefined;
function kubeDnsPeer(): Peer {
  if (kubeDns?.labels !== AllowDns.KUBE_DNS_LABELS) {
    const labels = AllowDns.KUBE_DNS_LABELS;
    kubeDns = { labels, peer: Peer.podsIn(NamespaceSelector.named('kube-system'), Selector.labels(labels)) };
  }
  return kubeDns.peer;
}

function nodeLocalPeer(path: string, address: string): Peer {
  try {
    return Peer.ipBlock(nodeLocalDnsCidr(address));
  } catch (e) {
    throw new Error(`${path}: invalid nodeLocalDnsAddress "${address}": give an IP address such as 169.254.20.10, or a CIDR. (${(e as Error).message})`);
  }
}

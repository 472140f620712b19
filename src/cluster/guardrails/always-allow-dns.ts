import { Construct } from 'constructs';
import { checkProps, childPath } from '../../internal/props';
import { ACKNOWLEDGE_PREFIX, ADMIN_ACCEPT_OVERRIDES_DEFAULT_DENY } from '../../kube/acknowledge-annotation';
import { CLUSTER_DNS_LABELS, CLUSTER_DNS_NAMESPACE } from '../../kube/cluster-dns';
import { NamespaceSelector } from '../../namespace-selector';
import { Port } from '../../port';
import { Selector } from '../../selector';
import { ClusterNetworkPolicy } from '../cluster-network-policy';
import { ClusterPeer } from '../cluster-peer';
import { ClusterSubject } from '../cluster-subject';
import { ClusterRuleAction, ClusterTier } from '../cluster-tier';

/**
 * Properties of `AlwaysAllowDns`.
 */
export interface AlwaysAllowDnsProps {
  /**
   * Admin priority (0 to 1000; lower is decided first).
   * @default 10
   */
  readonly priority?: number;

  /**
   * The namespaces whose pods may always reach cluster DNS.
   * @default - every namespace
   */
  readonly namespaces?: NamespaceSelector;

  /**
   * `metadata.name`.
   * @default - derived from the construct path
   */
  readonly name?: string;
}

/**
 * A guardrail: every pod may always reach cluster DNS (kube-dns in
 * kube-system) on UDP and TCP 53. An Admin-tier Accept, so no namespace's
 * NetworkPolicy (a default deny that forgot DNS) can break name resolution.
 * It acknowledges the lint rule `admin-accept-overrides-default-deny` on
 * itself (an annotation): overriding the namespaces is what it is for.
 *
 * @example
 * new AlwaysAllowDns(platformChart, 'dns');
 */
export class AlwaysAllowDns extends ClusterNetworkPolicy {
  /**
   * @param scope a construct in a Chart without a namespace
   * @param id the construct id; it names the policy
   * @param props the AlwaysAllowDnsProps
   */
  constructor(scope: Construct, id: string, props: AlwaysAllowDnsProps = {}) {
    checkProps(childPath(scope, id), 'AlwaysAllowDns', props);
    super(scope, id, {
      name: props.name,
      tier: ClusterTier.ADMIN,
      priority: props.priority ?? 10,
      subject: props.namespaces ? ClusterSubject.namespaces(props.namespaces) : ClusterSubject.allNamespaces(),
      egress: [{
        name: 'cluster-dns',
        action: ClusterRuleAction.ACCEPT,
        peers: [ClusterPeer.pods(NamespaceSelector.named(CLUSTER_DNS_NAMESPACE), Selector.labels({ ...CLUSTER_DNS_LABELS }))],
        ports: [Port.DNS_UDP, Port.DNS_TCP],
      }],
    });
    // Overriding the namespaces' egress isolation is the point of the guardrail: say so to the linter.
    this.metadata.addAnnotation(`${ACKNOWLEDGE_PREFIX}${ADMIN_ACCEPT_OVERRIDES_DEFAULT_DENY}`,
      'AlwaysAllowDns: cluster DNS must work whatever the namespaces\' policies say; that is what this guardrail is for.');
  }
}

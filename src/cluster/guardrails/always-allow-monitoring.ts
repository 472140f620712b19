import { Construct } from 'constructs';
import { checkProps, childPath, requireProps } from '../../internal/props';
import { ACKNOWLEDGE_PREFIX, ADMIN_ACCEPT_OVERRIDES_DEFAULT_DENY } from '../../kube/acknowledge-annotation';
import { NamespaceSelector } from '../../namespace-selector';
import { Port } from '../../port';
import { Selector } from '../../selector';
import { ClusterNetworkPolicy } from '../cluster-network-policy';
import { ClusterPeer } from '../cluster-peer';
import { ClusterSubject } from '../cluster-subject';
import { ClusterRuleAction, ClusterTier } from '../cluster-tier';

/**
 * Properties of `AlwaysAllowMonitoring`.
 */
export interface AlwaysAllowMonitoringProps {
  /** The metrics ports the scraper reaches (1 to 25). */
  readonly ports: Port[];

  /**
   * The scraper's namespace.
   * @default NamespaceSelector.named('monitoring')
   */
  readonly scraperNamespace?: NamespaceSelector;

  /**
   * The scraper's pods.
   * @default Selector.labels({ 'app.kubernetes.io/name': 'prometheus' })
   */
  readonly scraperPods?: Selector;

  /**
   * Admin priority (0 to 1000).
   * @default 10
   */
  readonly priority?: number;

  /**
   * `metadata.name`.
   * @default - derived from the construct path
   */
  readonly name?: string;
}

/**
 * A guardrail: the metrics scraper always reaches every pod on the metrics
 * ports, whatever the namespaces' policies say (an Admin-tier Accept on the
 * pods' ingress). The scraper's own egress is its namespace's business.
 * It acknowledges the lint rule `admin-accept-overrides-default-deny` on
 * itself (an annotation): overriding the namespaces is what it is for.
 *
 * @example
 * new AlwaysAllowMonitoring(platformChart, 'scrape', { ports: [Port.tcp(9090), Port.named('metrics')] });
 */
export class AlwaysAllowMonitoring extends ClusterNetworkPolicy {
  /**
   * @param scope a construct in a Chart without a namespace
   * @param id the construct id; it names the policy
   * @param props the AlwaysAllowMonitoringProps
   */
  constructor(scope: Construct, id: string, props: AlwaysAllowMonitoringProps) {
    const path = childPath(scope, id);
    checkProps(path, 'AlwaysAllowMonitoring', props);
    requireProps(path, props, 'ports');
    super(scope, id, {
      name: props.name,
      tier: ClusterTier.ADMIN,
      priority: props.priority ?? 10,
      subject: ClusterSubject.allNamespaces(),
      ingress: [{
        name: 'metrics-scraper',
        action: ClusterRuleAction.ACCEPT,
        peers: [ClusterPeer.pods(
          props.scraperNamespace ?? NamespaceSelector.named('monitoring'),
          props.scraperPods ?? Selector.labels({ 'app.kubernetes.io/name': 'prometheus' }),
        )],
        ports: props.ports,
      }],
    });
    // Overriding the namespaces' ingress isolation is the point of the guardrail: say so to the linter.
    this.metadata.addAnnotation(`${ACKNOWLEDGE_PREFIX}${ADMIN_ACCEPT_OVERRIDES_DEFAULT_DENY}`,
      'AlwaysAllowMonitoring: the metrics scraper must reach every namespace whatever its policies say; that is what this guardrail is for.');
  }
}

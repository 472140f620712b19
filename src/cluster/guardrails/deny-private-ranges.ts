import { Construct } from 'constructs';
import { checkProps, childPath } from '../../internal/props';
import { NamespaceSelector } from '../../namespace-selector';
import { Port } from '../../port';
import { ClusterNetworkPolicy, ClusterNetworkPolicyRule } from '../cluster-network-policy';
import { ClusterPeer } from '../cluster-peer';
import { ClusterSubject } from '../cluster-subject';
import { ClusterRuleAction, ClusterTier } from '../cluster-tier';

/** The private ranges: RFC 1918, CGNAT and IPv6 unique-local. */
export const PRIVATE_RANGES: readonly string[] = Object.freeze(['10.0.0.0/8', '172.16.0.0/12', '192.168.0.0/16', '100.64.0.0/10', 'fc00::/7']);

/**
 * Properties of `DenyPrivateRanges`.
 */
export interface DenyPrivateRangesProps {
  /**
   * Private CIDRs the guardrail does not deny (a database subnet, a VPN), at
   * most 25: traffic to them is passed on to the namespaces' policies, which
   * decide (it is not accepted over their heads).
   * @default - none
   */
  readonly approved?: string[];

  /**
   * Admin priority (0 to 1000). Its first rule passes every connection to a
   * pod of the cluster on to the NetworkPolicy tier, which skips the rest of
   * the Admin tier for it: an Admin policy decided after this one never sees
   * pod-to-pod egress. Keep it after every Admin policy that must.
   * @default 1000
   */
  readonly priority?: number;

  /**
   * `metadata.name`.
   * @default - derived from the construct path
   */
  readonly name?: string;
}

/**
 * A guardrail: no pod connects to private addresses outside the cluster
 * (RFC 1918, CGNAT, unique-local) but the approved ones. An Admin-tier policy,
 * its rules in order: traffic to pods of the cluster is passed on to the
 * namespaces' policies first (pod addresses are private too, and a `networks`
 * peer matches pods), then so is traffic to the approved CIDRs (Pass: the
 * namespaces' policies still decide, so a namespace in default deny stays
 * closed), then the private ranges are denied. Nodes in those ranges are denied like any other address.
 *
 * That first Pass skips the rest of the Admin tier for pod-to-pod egress, so
 * the policy comes last in the Admin tier by default (priority 1000): an
 * Admin policy after it (a tenant isolation, say) would never see a pod's
 * egress to another pod.
 *
 * @example
 * new DenyPrivateRanges(platformChart, 'private', { approved: ['10.20.0.0/16'] });
 */
export class DenyPrivateRanges extends ClusterNetworkPolicy {
  /**
   * @param scope a construct in a Chart without a namespace
   * @param id the construct id; it names the policy
   * @param props the DenyPrivateRangesProps
   */
  constructor(scope: Construct, id: string, props: DenyPrivateRangesProps = {}) {
    checkProps(childPath(scope, id), 'DenyPrivateRanges', props);
    const all = Port.allPorts();
    const rules: ClusterNetworkPolicyRule[] = [
      { name: 'cluster-pods', action: ClusterRuleAction.PASS, peers: [ClusterPeer.namespaces(NamespaceSelector.all())], ports: [all] },
    ];
    if (props.approved !== undefined) {
      if (!Array.isArray(props.approved) || props.approved.length === 0) {
        throw new Error(`${childPath(scope, id)}: \`approved\` must list at least one CIDR, or be left out.`);
      }
      rules.push({ name: 'approved', action: ClusterRuleAction.PASS, peers: [ClusterPeer.networks(...props.approved)], ports: [all] });
    }
    rules.push({ name: 'private-ranges', action: ClusterRuleAction.DENY, peers: [ClusterPeer.networks(...PRIVATE_RANGES)], ports: [all] });
    super(scope, id, {
      name: props.name,
      tier: ClusterTier.ADMIN,
      priority: props.priority ?? 1000,
      subject: ClusterSubject.allNamespaces(),
      egress: rules,
    });
  }
}

import { Construct } from 'constructs';
import { checkProps, childPath } from '../../internal/props';
import { LabelExpression } from '../../label-expression';
import { NamespaceSelector } from '../../namespace-selector';
import { Port } from '../../port';
import { assertLabelKey, assertLabelValue } from '../../validation/labels';
import { ClusterNetworkPolicy } from '../cluster-network-policy';
import { ClusterPeer } from '../cluster-peer';
import { ClusterSubject } from '../cluster-subject';
import { ClusterRuleAction, ClusterTier } from '../cluster-tier';

/**
 * Properties of `TenantIsolation`.
 */
export interface TenantIsolationProps {
  /** The namespace label that names a namespace's tenant, e.g. `tenant`. */
  readonly labelKey: string;

  /** The tenants (values of `labelKey`), one Admin policy each. */
  readonly tenants: string[];

  /**
   * Admin priority of the policies (0 to 1000).
   * @default 30
   */
  readonly priority?: number;
}

/**
 * A guardrail: tenants are isolated by a namespace label. For each tenant,
 * connections from and to the namespaces of that tenant are passed on to the
 * namespaces' own NetworkPolicies (Pass), and those from and to any other
 * tenant's namespaces are denied (Deny), whatever the NetworkPolicies say.
 * Namespaces without the label are not touched.
 *
 * @example
 * new TenantIsolation(platformChart, 'tenants', { labelKey: 'tenant', tenants: ['blue', 'green'] });
 */
export class TenantIsolation extends Construct {
  /** One policy per tenant, in the order given. */
  public readonly policies: ClusterNetworkPolicy[];

  /**
   * @param scope a construct in a Chart without a namespace
   * @param id the construct id; it names the policies
   * @param props the TenantIsolationProps
   */
  constructor(scope: Construct, id: string, props: TenantIsolationProps) {
    const path = childPath(scope, id);
    checkProps(path, 'TenantIsolation', props);
    assertLabelKey(props?.labelKey, `${path} (labelKey)`);
    if (!Array.isArray(props.tenants) || props.tenants.length === 0) {
      throw new Error(`${path}: \`tenants\` must list at least one tenant.`);
    }
    for (const tenant of props.tenants) assertLabelValue(props.labelKey, tenant, `${path} (tenants)`);
    if (new Set(props.tenants).size !== props.tenants.length) throw new Error(`${path}: \`tenants\` lists a tenant twice.`);
    super(scope, id);
    const anyTenant = ClusterPeer.namespaces(NamespaceSelector.of({ expressions: [LabelExpression.exists(props.labelKey)] }));
    this.policies = props.tenants.map((tenant) => {
      const own = NamespaceSelector.labels({ [props.labelKey]: tenant });
      const rules = (side: string) => [
        { name: `within-${tenant}`, action: ClusterRuleAction.PASS, peers: [ClusterPeer.namespaces(own)], ports: [Port.allPorts()] },
        { name: `${side}-other-tenants`, action: ClusterRuleAction.DENY, peers: [anyTenant], ports: [Port.allPorts()] },
      ];
      return new ClusterNetworkPolicy(this, tenant, {
        tier: ClusterTier.ADMIN,
        priority: props.priority ?? 30,
        subject: ClusterSubject.namespaces(own),
        ingress: rules('from'),
        egress: rules('to'),
      });
    });
  }
}

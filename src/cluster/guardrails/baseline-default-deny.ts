import { Construct } from 'constructs';
import { checkProps, childPath } from '../../internal/props';
import { LabelExpression } from '../../label-expression';
import { NamespaceSelector } from '../../namespace-selector';
import { Port } from '../../port';
import { assertNamespaceName } from '../../validation/labels';
import { ClusterNetworkPolicy } from '../cluster-network-policy';
import { ClusterPeer } from '../cluster-peer';
import { ClusterSubject } from '../cluster-subject';
import { ClusterRuleAction, ClusterTier } from '../cluster-tier';

/** The namespaces Kubernetes itself runs in: left out of the baseline by default. */
export const SYSTEM_NAMESPACES: readonly string[] = Object.freeze(['kube-system', 'kube-public', 'kube-node-lease']);

/**
 * Properties of `BaselineDefaultDeny`.
 */
export interface BaselineDefaultDenyProps {
  /**
   * More namespaces to leave out, on top of the system ones.
   * @default - none
   */
  readonly exclude?: string[];

  /**
   * Baseline priority (0 to 1000).
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
 * A guardrail: every namespace but the system ones starts denied, both ways,
 * until its own NetworkPolicies say otherwise. A Baseline-tier Deny: it is
 * reached only for a direction that no NetworkPolicy isolates, so a new
 * namespace is closed from its first pod, and a team opens it by writing
 * policies (a default deny of its own and allows).
 *
 * v1alpha2 has no address peers for ingress: this denies ingress from every
 * pod of the cluster, not from outside it (an ingress controller's traffic
 * comes from its pods, which it does deny). Egress is denied to every pod and
 * every address.
 *
 * @example
 * new BaselineDefaultDeny(platformChart, 'baseline', { exclude: ['monitoring'] });
 */
export class BaselineDefaultDeny extends ClusterNetworkPolicy {
  /**
   * @param scope a construct in a Chart without a namespace
   * @param id the construct id; it names the policy
   * @param props the BaselineDefaultDenyProps
   */
  constructor(scope: Construct, id: string, props: BaselineDefaultDenyProps = {}) {
    const path = childPath(scope, id);
    checkProps(path, 'BaselineDefaultDeny', props);
    for (const namespace of props.exclude ?? []) assertNamespaceName(namespace, `${path} (exclude)`);
    const excluded = [...new Set([...SYSTEM_NAMESPACES, ...(props.exclude ?? [])])];
    const everyPod = ClusterPeer.namespaces(NamespaceSelector.all());
    super(scope, id, {
      name: props.name,
      tier: ClusterTier.BASELINE,
      priority: props.priority ?? 1000,
      subject: ClusterSubject.namespaces(NamespaceSelector.of({ expressions: [LabelExpression.notIn(NamespaceSelector.NAME_LABEL, excluded)] })),
      ingress: [{ name: 'default-deny', action: ClusterRuleAction.DENY, peers: [everyPod], ports: [Port.allPorts()] }],
      egress: [{
        name: 'default-deny',
        action: ClusterRuleAction.DENY,
        peers: [everyPod, ClusterPeer.networks('0.0.0.0/0', '::/0')],
        ports: [Port.allPorts()],
      }],
    });
  }
}

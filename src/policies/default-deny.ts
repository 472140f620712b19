import { Construct } from 'constructs';
import { checkProps, childPath, metadataOf } from '../internal/props';
import { NetworkPolicy, PolicyType } from '../network-policy';
import { NamedPolicyOptions } from '../policy-options';
import { Selector } from '../selector';

/**
 * Properties of `DefaultDeny`.
 */
export interface DefaultDenyProps extends NamedPolicyOptions {
  /**
   * The pods to isolate.
   * @default - every pod of the namespace
   */
  readonly pods?: Selector;

  /**
   * Deny incoming traffic that no other policy allows.
   * @default true
   */
  readonly ingress?: boolean;

  /**
   * Deny outgoing traffic that no other policy allows. Remember DNS: see `AllowDns`.
   * @default true
   */
  readonly egress?: boolean;
}

/**
 * Isolates pods: denies every connection no other policy allows, in one or both directions.
 *
 * Renders a policy with `policyTypes` and no rules. Policies are additive, so
 * the allow-constructs of this library (and any other policy selecting the same
 * pods) open exactly what they name on top of it.
 *
 * @example
 * new DefaultDeny(chart, 'default-deny');                    // both directions, every pod
 * new DefaultDeny(chart, 'deny-ingress', { egress: false }); // ingress only
 */
export class DefaultDeny extends NetworkPolicy {
  /** The NetworkPolicy this construct emits: the construct itself (add rules to it directly). */
  public get policy(): NetworkPolicy {
    return this;
  }

  /**
   * @param scope the parent construct (a Chart or a construct inside one)
   * @param id the construct id; it names the emitted policies, so changing it renames them
   * @param props the DefaultDenyProps
   */
  constructor(scope: Construct, id: string, props: DefaultDenyProps = {}) {
    const path = childPath(scope, id);
    checkProps(path, 'DefaultDeny', props);
    const ingress = props.ingress ?? true;
    const egress = props.egress ?? true;
    if (!ingress && !egress) {
      throw new Error(`${path}: a DefaultDeny with ingress and egress both false denies nothing; set one of them to true.`);
    }
    super(scope, id, {
      ...metadataOf(props),
      pods: props.pods,
      isolate: [
        ...(ingress ? [PolicyType.INGRESS] : []),
        ...(egress ? [PolicyType.EGRESS] : []),
      ],
    });
  }
}

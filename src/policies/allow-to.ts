import { Construct } from 'constructs';
import { HttpRule } from '../cilium/http-rule';
import { checkProps, childPath, metadataOf, requireProps } from '../internal/props';
import { NetworkPolicy } from '../network-policy';
import { IPeer } from '../peer';
import { NamedPolicyOptions } from '../policy-options';
import { Port } from '../port';
import { Selector } from '../selector';

/**
 * Properties of `AllowTo`.
 */
export interface AllowToProps extends NamedPolicyOptions {
  /** The pods that open the connections (`Selector.labels()`, `Selector.fromWorkload()`, ...). */
  readonly pods: Selector;

  /** Where they may connect. Must not be empty; `[Peer.anyone()]` allows every destination. */
  readonly to: IPeer[];

  /** The destination ports. Must not be empty; `[Port.allPorts()]` allows every port. */
  readonly ports: Port[];
  /**
   * L7: on `ports`, only HTTP requests that match one of these rules (Cilium
   * target only; TCP port numbers).
   * @default - every request
   */
  readonly http?: HttpRule[];
}

/**
 * Allows egress: `pods` may connect to `to` on `ports`.
 *
 * The destination must also admit the traffic (its own ingress policies), unless
 * it is outside the cluster or not isolated for ingress.
 *
 * Like any policy with egress rules, it isolates the selected pods for
 * egress: egress that no policy allows is denied from then on.
 *
 * @example
 * new AllowTo(chart, 'frontend-to-api', {
 *   pods: Selector.labels({ app: 'frontend' }),
 *   to: [Peer.pods(Selector.labels({ app: 'api-server' }))],
 *   ports: [Port.tcp(8080)],
 * });
 */
export class AllowTo extends NetworkPolicy {
  /** The NetworkPolicy this construct emits: the construct itself (add rules to it directly). */
  public get policy(): NetworkPolicy {
    return this;
  }

  /**
   * @param scope the parent construct (a Chart or a construct inside one)
   * @param id the construct id; it names the emitted policies, so changing it renames them
   * @param props the AllowToProps
   */
  constructor(scope: Construct, id: string, props: AllowToProps) {
    const path = childPath(scope, id);
    checkProps(path, 'AllowTo', props);
    requireProps(path, props, 'pods', 'to', 'ports');
    super(scope, id, {
      ...metadataOf(props),
      pods: props.pods,
      egress: [{ peers: props.to, ports: props.ports, http: props.http }],
    });
  }
}

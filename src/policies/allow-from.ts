import { Construct } from 'constructs';
import { HttpRule } from '../cilium/http-rule';
import { checkProps, childPath, metadataOf, requireProps } from '../internal/props';
import { NetworkPolicy } from '../network-policy';
import { IPeer } from '../peer';
import { NamedPolicyOptions } from '../policy-options';
import { Port } from '../port';
import { Selector } from '../selector';

/**
 * Properties of `AllowFrom`.
 */
export interface AllowFromProps extends NamedPolicyOptions {
  /** The pods that receive the traffic (`Selector.labels()`, `Selector.fromWorkload()`, ...). */
  readonly pods: Selector;

  /** Who may connect. Must not be empty; `[Peer.anyone()]` allows everyone. */
  readonly from: IPeer[];

  /** The destination ports on `pods`. Must not be empty; `[Port.allPorts()]` allows every port. */
  readonly ports: Port[];
  /**
   * L7: on `ports`, only HTTP requests that match one of these rules (Cilium
   * target only; TCP port numbers).
   * @default - every request
   */
  readonly http?: HttpRule[];
}

/**
 * Allows ingress: `from` may connect to `pods` on `ports`.
 *
 * With egress isolated on the client side too, pair it with an `AllowTo` there:
 * a connection needs egress allowed at the source and ingress at the destination.
 *
 * Like any policy with ingress rules, it isolates the selected pods for
 * ingress: ingress that no policy allows is denied from then on.
 *
 * @example
 * new AllowFrom(chart, 'api-from-frontend', {
 *   pods: Selector.labels({ app: 'api-server' }),
 *   from: [Peer.pods(Selector.labels({ app: 'frontend' }))],
 *   ports: [Port.tcp(8080)],
 * });
 */
export class AllowFrom extends NetworkPolicy {
  /** The NetworkPolicy this construct emits: the construct itself (add rules to it directly). */
  public get policy(): NetworkPolicy {
    return this;
  }

  /**
   * @param scope the parent construct (a Chart or a construct inside one)
   * @param id the construct id; it names the emitted policies, so changing it renames them
   * @param props the AllowFromProps
   */
  constructor(scope: Construct, id: string, props: AllowFromProps) {
    const path = childPath(scope, id);
    checkProps(path, 'AllowFrom', props);
    requireProps(path, props, 'pods', 'from', 'ports');
    super(scope, id, {
      ...metadataOf(props),
      pods: props.pods,
      ingress: [{ peers: props.from, ports: props.ports, http: props.http }],
    });
  }
}


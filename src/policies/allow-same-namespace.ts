import { Construct } from 'constructs';
import { checkProps, childPath, metadataOf } from '../internal/props';
import { NetworkPolicy } from '../network-policy';
import { Peer } from '../peer';
import { NamedPolicyOptions } from '../policy-options';
import { Port } from '../port';
import { Selector } from '../selector';

/**
 * Properties of `AllowSameNamespace`.
 */
export interface AllowSameNamespaceProps extends NamedPolicyOptions {
  /**
   * The pods the policy applies to.
   * @default - every pod of the namespace
   */
  readonly pods?: Selector;

  /**
   * Allow incoming traffic from every pod of the namespace.
   * @default true
   */
  readonly ingress?: boolean;

  /**
   * Allow outgoing traffic to every pod of the namespace.
   * @default true
   */
  readonly egress?: boolean;

  /**
   * The ports.
   * @default [Port.allPorts()]
   */
  readonly ports?: Port[];
}

/** Every pod of the namespace, and every port: the same immutable values for every AllowSameNamespace. */
let sameNamespace: { peer: Peer; allPorts: Port } | undefined;

/**
 * Allows traffic among the pods of one namespace, on every port by default.
 *
 * @example
 * new AllowSameNamespace(chart, 'same-namespace');
 */
export class AllowSameNamespace extends NetworkPolicy {
  /** The NetworkPolicy this construct emits: the construct itself (add rules to it directly). */
  public get policy(): NetworkPolicy {
    return this;
  }

  /**
   * @param scope the parent construct (a Chart or a construct inside one)
   * @param id the construct id; it names the emitted policies, so changing it renames them
   * @param props the AllowSameNamespaceProps
   */
  constructor(scope: Construct, id: string, props: AllowSameNamespaceProps = {}) {
    const path = childPath(scope, id);
    checkProps(path, 'AllowSameNamespace', props);
    const ingress = props.ingress ?? true;
    const egress = props.egress ?? true;
    if (!ingress && !egress) {
      throw new Error(`${path}: an AllowSameNamespace with ingress and egress both false allows nothing; set one of them to true.`);
    }
    sameNamespace ??= { peer: Peer.pods(Selector.all()), allPorts: Port.allPorts() };
    const rule = { peers: [sameNamespace.peer], ports: props.ports ?? [sameNamespace.allPorts] };
    super(scope, id, {
      ...metadataOf(props),
      pods: props.pods,
      ingress: ingress ? [rule] : [],
      egress: egress ? [rule] : [],
    });
  }
}

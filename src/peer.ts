import { IConstruct } from 'constructs';
import { CILIUM_ENTITIES, CiliumEntity } from './cilium/cilium-entity';
import { CiliumPeerConfig } from './cilium/cilium-peer-config';
import { assertDnsName, assertDnsPattern } from './cilium/dns-names';
import { defineReadOnly } from './internal/immutable';
import type { K8sNetworkPolicyPeer } from './kube/types';
import { LabelExpression } from './label-expression';
import { NamespaceSelector } from './namespace-selector';
import { Selector } from './selector';
import { cidrContains, parseCidr, ParsedCidr } from './validation/cidr';
import { assertNamespaceName } from './validation/labels';
import { readWorkload } from './workload';

/**
 * What a peer renders to in one rule of one policy.
 */
export interface PeerConfig {
  /**
   * The Kubernetes peer (`from`/`to` entry). Required unless `anyone` is true.
   * @default - none, only with `anyone`
   */
  readonly peer?: K8sNetworkPolicyPeer;

  /**
   * This peer is every source or destination: the rule is rendered without
   * `from`/`to`. Must be stated explicitly; a missing `peer` alone is an error.
   * @default false
   */
  readonly anyone?: boolean;

  /** A short human-readable description, used in messages. */
  readonly description: string;

  /**
   * A peer only Cilium can express (an entity or DNS names), instead of `peer`.
   * Under the Kubernetes target it is an error naming the construct.
   * @default - none
   */
  readonly cilium?: CiliumPeerConfig;
}

/**
 * Something a policy rule can allow traffic from or to.
 *
 * Implemented by `Peer`; implement it to publish your own peers (for example
 * "the ingress controller of our platform").
 */
export interface IPeer {
  /**
   * Renders the peer for a rule of a policy.
   *
   * @param policyNamespace the namespace of the policy the rule belongs to, when known
   */
  toPeerConfig(policyNamespace?: string): PeerConfig;
}

/**
 * Sources and destinations of policy rules.
 *
 * A peer that combines a namespace and a pod selector is one call
 * (`Peer.podsIn()`: both must match, an AND); two peers are two entries of the
 * peer list (either may match, an OR). There is no way to write one when you
 * mean the other.
 *
 * @example
 * Peer.pods(Selector.labels({ app: 'frontend' }))
 * Peer.podsIn(NamespaceSelector.named('monitoring'), Selector.labels({ app: 'prometheus' }))
 * Peer.workload(apiDeployment)
 * Peer.ipBlock('203.0.113.0/24')
 */
export class Peer implements IPeer {
  /** Pods of the policy's own namespace that match `pods`. */
  public static pods(pods: Selector): Peer {
    assertInstance(pods, Selector, 'Peer.pods()', 'a Selector');
    if (pods.namespace !== undefined) {
      return Peer.podsOfNamespace(pods.namespace, pods, () => `pods of ${pods.workloadPath ?? pods.toString()}`);
    }
    return new Peer(() => ({ podSelector: pods.toLabelSelector() }), () => `pods ${pods}`);
  }

  /**
   * Pods that match `pods` in namespaces that match `namespaces`: both must
   * match (one peer with `namespaceSelector` AND `podSelector`).
   */
  public static podsIn(namespaces: NamespaceSelector, pods: Selector): Peer {
    assertInstance(namespaces, NamespaceSelector, 'Peer.podsIn()', 'a NamespaceSelector');
    assertInstance(pods, Selector, 'Peer.podsIn()', 'a Selector');
    return new Peer(
      () => ({ namespaceSelector: namespaces.toLabelSelector(), podSelector: pods.toLabelSelector() }),
      () => `pods ${pods} in ${namespaces}`,
    );
  }

  /** Every pod of the namespaces that match `namespaces`. */
  public static namespaces(namespaces: NamespaceSelector): Peer {
    assertInstance(namespaces, NamespaceSelector, 'Peer.namespaces()', 'a NamespaceSelector');
    return new Peer(() => ({ namespaceSelector: namespaces.toLabelSelector() }), () => `all pods in ${namespaces}`);
  }

  /** Every pod of every namespace of the cluster (not addresses outside it). */
  public static allPodsInCluster(): Peer {
    return new Peer(() => ({ namespaceSelector: {} }), 'all pods in all namespaces');
  }

  /**
   * The pods of a workload, selected by the same labels the workload uses
   * (see `Selector.fromWorkload()`): a `Deployment`, `StatefulSet`, `DaemonSet`,
   * `Job`, `CronJob` or `Pod` of any cdk8s-plus version, an ApiObject of such a
   * kind (e.g. a `KubeDeployment` of `cdk8s import`), an Include that holds one,
   * or a cdk8s-plus `Pods.select(...)`. A workload in another namespace than the
   * policy is matched in its own namespace (`namespaceSelector` by name AND `podSelector`).
   */
  public static workload(workload: IConstruct): Peer {
    const selection = readWorkload(workload);
    const pods = Selector.of(selection.pods);
    const names = selection.namespaceNames;
    if (selection.namespaceLabels) {
      // names and labels together: a namespace must match both
      const byLabels = selection.namespaceLabels;
      return Peer.podsIn(NamespaceSelector.of(names ? {
        labels: byLabels.labels,
        expressions: [...(byLabels.expressions ?? []), LabelExpression.in(NamespaceSelector.NAME_LABEL, names)],
      } : byLabels), pods);
    }
    if (names && names.length > 1) {
      return Peer.podsIn(NamespaceSelector.named(...names), pods);
    }
    if (names && names.length === 1) {
      return Peer.podsOfNamespace(names[0], pods, () => `pods of ${selection.path}`);
    }
    return new Peer(() => ({ podSelector: pods.toLabelSelector() }), `pods of ${selection.path}`);
  }

  /**
   * Addresses in a CIDR block, minus the `except` blocks. Meant for addresses
   * outside the cluster: whether an ipBlock matches pod IPs is left to the
   * network plugin, so select pods with the other peers.
   *
   * @param cidr an IPv4 or IPv6 CIDR, e.g. "203.0.113.0/24" or "2001:db8::/32"
   * @param except CIDRs strictly inside `cidr` (same family) to leave out
   */
  public static ipBlock(cidr: string, except?: string[]): Peer {
    const block = parseCidrOrThrow(cidr, 'Peer.ipBlock()');
    const excepted: ParsedCidr[] = [];
    for (const text of except ?? []) {
      const inner = parseCidrOrThrow(text, `the except list of Peer.ipBlock("${cidr}")`);
      if (inner.family !== block.family) {
        throw new Error(
          `Invalid except CIDR "${text}" for ipBlock "${block.text}": it is IPv${inner.family} but the block is IPv${block.family}; ` +
          'an except must be of the same family.',
        );
      }
      if (!cidrContains(block, inner) || inner.prefix <= block.prefix) {
        throw new Error(
          `Invalid except CIDR "${text}" for ipBlock "${block.text}": an except must be strictly inside the block ` +
          `(a longer prefix within ${block.text}).`,
        );
      }
      if (!excepted.some((e) => e.text === inner.text)) {
        excepted.push(inner);
      }
    }
    const exceptTexts = excepted.map((e) => e.text);
    return new Peer(
      () => ({ ipBlock: { cidr: block.text, except: exceptTexts.length ? exceptTexts : undefined } }),
      exceptTexts.length ? `${block.text} except ${exceptTexts.join(', ')}` : block.text,
    );
  }

  /**
   * Pods matching `pods` in the namespace named `namespace`. In a policy of that
   * same namespace it is rendered as a plain `podSelector`; elsewhere with a
   * `namespaceSelector` on the immutable `kubernetes.io/metadata.name` label.
   *
   * @example
   * Peer.podsInNamespace('shop', Selector.labels({ app: 'frontend' }))
   */
  public static podsInNamespace(namespace: string, pods: Selector): Peer {
    assertNamespaceName(namespace, 'Peer.podsInNamespace()');
    assertInstance(pods, Selector, 'Peer.podsInNamespace()', 'a Selector');
    if (pods.namespace !== undefined && pods.namespace !== namespace) {
      throw new Error(`Peer.podsInNamespace("${namespace}") got the pods of ${pods.workloadPath}, which are in namespace "${pods.namespace}".`);
    }
    return Peer.podsOfNamespace(namespace, pods, () => `pods ${pods.workloadPath ?? pods.toString()}`);
  }

  /**
   * Every source or destination, in the cluster or outside it: the rule is
   * rendered without `from`/`to`. This is the only way to allow everyone; an
   * empty peer list is an error.
   */
  public static anyone(): Peer {
    return new Peer(() => undefined, 'anyone', true);
  }

  /**
   * A Cilium entity, such as `CiliumEntity.KUBE_APISERVER` or `CiliumEntity.HOST`
   * (Cilium target only).
   *
   * @example
   * Peer.entity(CiliumEntity.KUBE_APISERVER)
   */
  public static entity(entity: CiliumEntity): Peer {
    if (!CILIUM_ENTITIES.includes(entity)) {
      throw new Error(`Peer.entity(): unknown entity ${JSON.stringify(entity)}; the entities are ${CILIUM_ENTITIES.join(', ')}.`);
    }
    return new Peer(() => undefined, `the ${entity} entity`, false, { entity });
  }

  /**
   * The addresses a DNS name resolves to, e.g. `api.stripe.com` (Cilium target
   * only; egress only). The policy also allows the selected pods to look the
   * name up through cluster DNS, which Cilium needs to learn the addresses.
   *
   * @example
   * Peer.dnsName('api.stripe.com')
   */
  public static dnsName(name: string): Peer {
    assertDnsName(name, 'Peer.dnsName()');
    return new Peer(() => undefined, `DNS name ${name}`, false, { dnsName: name });
  }

  /**
   * The addresses of every DNS name that matches `pattern` (Cilium target
   * only; egress only): `*` matches any characters of one label (`*.stripe.com`:
   * `api.stripe.com`, not `stripe.com`), a leading `**.` any labels.
   *
   * @example
   * Peer.dnsPattern('*.stripe.com')
   */
  public static dnsPattern(pattern: string): Peer {
    assertDnsPattern(pattern, 'Peer.dnsPattern()');
    return new Peer(() => undefined, `DNS pattern ${pattern}`, false, { dnsPattern: pattern });
  }

  private static podsOfNamespace(namespace: string, pods: Selector, describe: () => string): Peer {
    const inNamespace = NamespaceSelector.named(namespace);
    return new Peer(
      (policyNamespace) => (policyNamespace === namespace
        ? { podSelector: pods.toLabelSelector() }
        : { namespaceSelector: inNamespace.toLabelSelector(), podSelector: pods.toLabelSelector() }),
      () => `${describe()} in namespace ${namespace}`,
    );
  }

  declare private readonly render: (policyNamespace?: string) => K8sNetworkPolicyPeer | undefined;
  /** The description, or what makes it the first time it is needed (most are only ever needed in messages). */
  private describe: string | (() => string);
  declare private readonly isAnyone: boolean;
  declare private readonly cilium?: CiliumPeerConfig;

  private constructor(
    render: (policyNamespace?: string) => K8sNetworkPolicyPeer | undefined,
    description: string | (() => string),
    isAnyone: boolean = false,
    cilium?: CiliumPeerConfig,
  ) {
    defineReadOnly(this, 'render', render);
    this.describe = description;
    defineReadOnly(this, 'isAnyone', isAnyone);
    defineReadOnly(this, 'cilium', cilium && Object.freeze({ ...cilium }));
  }

  /**
   * Renders the peer for a rule of a policy in `policyNamespace`.
   * @see IPeer.toPeerConfig
   */
  public toPeerConfig(policyNamespace?: string): PeerConfig {
    if (this.isAnyone) return { description: this.description, anyone: true };
    if (this.cilium) return { description: this.description, cilium: this.cilium };
    return { peer: this.render(policyNamespace), description: this.description };
  }

  /**
   * `toPeerConfig()` for this library's rules, which read the description only for their
   * messages: it is made when read.
   * @internal
   */
  public _toPeerConfig(policyNamespace?: string): PeerConfig {
    if (this.isAnyone) return new OwnPeerConfig(this, undefined, true, undefined);
    if (this.cilium) return new OwnPeerConfig(this, undefined, undefined, this.cilium);
    return new OwnPeerConfig(this, this.render(policyNamespace), undefined, undefined);
  }

  /** The human-readable description, e.g. `pods app=api in namespace production`. */
  public toString(): string {
    return this.description;
  }

  private get description(): string {
    if (typeof this.describe !== 'string') this.describe = this.describe();
    return this.describe;
  }
}

/** A Peer's config for this library's own rules: the description is the peer's, made when read. */
class OwnPeerConfig implements PeerConfig {
  constructor(
    private readonly source: Peer,
    public readonly peer: K8sNetworkPolicyPeer | undefined,
    public readonly anyone: boolean | undefined,
    public readonly cilium: CiliumPeerConfig | undefined,
  ) {}

  public get description(): string {
    return this.source.toString();
  }
}

function parseCidrOrThrow(text: string, where: string): ParsedCidr {
  const { cidr, problem } = parseCidr(text);
  if (!cidr) {
    throw new Error(`Invalid CIDR "${text}" in ${where}: ${problem}`);
  }
  return cidr;
}

function assertInstance(value: unknown, type: Function, where: string, expected: string): void {
  if (!(value instanceof type)) {
    throw new Error(`${where} expects ${expected}, got ${value === undefined ? 'undefined' : String(value)}.`);
  }
}

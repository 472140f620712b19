import { defineReadOnly, frozenArray } from '../internal/immutable';
import { NamespaceSelector } from '../namespace-selector';
import { Selector } from '../selector';
import { parseCidr } from '../validation/cidr';

/** The API's limit on the CIDRs of one `networks` peer. */
const MAX_NETWORKS = 25;

/**
 * A source or destination of a ClusterNetworkPolicy rule: pods of some
 * namespaces, or (egress only) addresses.
 *
 * @example
 * ClusterPeer.namespaces(NamespaceSelector.named('monitoring'))
 * ClusterPeer.pods(NamespaceSelector.named('kube-system'), Selector.labels({ 'k8s-app': 'kube-dns' }))
 * ClusterPeer.networks('169.254.169.254/32')
 */
export class ClusterPeer {
  /** Every pod of the namespaces that match `namespaces`. */
  public static namespaces(namespaces: NamespaceSelector): ClusterPeer {
    if (!(namespaces instanceof NamespaceSelector)) {
      throw new Error(`ClusterPeer.namespaces() expects a NamespaceSelector, got ${String(namespaces)}.`);
    }
    return new ClusterPeer({ namespaces: namespaces.toLabelSelector() }, `every pod of ${namespaces}`, false);
  }

  /** The pods that match `pods` in the namespaces that match `namespaces`. */
  public static pods(namespaces: NamespaceSelector, pods: Selector): ClusterPeer {
    if (!(namespaces instanceof NamespaceSelector) || !(pods instanceof Selector)) {
      throw new Error('ClusterPeer.pods() expects a NamespaceSelector and a Selector.');
    }
    return new ClusterPeer(
      { pods: { namespaceSelector: namespaces.toLabelSelector(), podSelector: pods.toLabelSelector() } },
      `pods ${pods} in ${namespaces}`,
      false,
    );
  }

  /**
   * Addresses (egress only): every address of the CIDRs, outside the cluster
   * or inside it (pods and nodes whose addresses are in them match too).
   * @param cidrs 1 to 25 IPv4 or IPv6 CIDRs
   */
  public static networks(...cidrs: string[]): ClusterPeer {
    if (cidrs.length === 0 || cidrs.length > MAX_NETWORKS) {
      throw new Error(`ClusterPeer.networks() takes 1 to ${MAX_NETWORKS} CIDRs (the API's limit), got ${cidrs.length}.`);
    }
    const texts = cidrs.map((text) => {
      const { cidr, problem } = parseCidr(text);
      if (!cidr) throw new Error(`ClusterPeer.networks(): invalid CIDR "${text}": ${problem}`);
      return cidr.text;
    });
    return new ClusterPeer({ networks: frozenArray([...new Set(texts)]) }, `networks ${texts.join(', ')}`, true);
  }

  /** True for `networks()`: a destination only. */
  declare public readonly isNetworks: boolean;
  declare private readonly rendered: object;
  declare private readonly description: string;

  private constructor(rendered: object, description: string, isNetworks: boolean) {
    defineReadOnly(this, 'rendered', rendered);
    defineReadOnly(this, 'description', description);
    defineReadOnly(this, 'isNetworks', isNetworks);
  }

  /** A readable form, e.g. `networks 169.254.169.254/32`. */
  public toString(): string {
    return this.description;
  }

  /**
   * The peer of the manifest (`from` / `to` entry).
   * @internal
   */
  public _toKube(): object {
    return JSON.parse(JSON.stringify(this.rendered));
  }
}

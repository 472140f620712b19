import type { CiliumPeerConfig } from './cilium/cilium-peer-config';
import type { HttpRule } from './cilium/http-rule';
import type { K8sNetworkPolicyPeer } from './kube/types';
import type { Port } from './port';

/**
 * A rule as checked and rendered, in the v1 terms it came in (the Cilium form is made from it).
 */
export interface RenderedRule {
  readonly peers?: K8sNetworkPolicyPeer[];
  /** Peers only Cilium expresses (entities, DNS names); `peers` undefined and this empty means everyone. */
  readonly ciliumPeers: CiliumPeerConfig[];
  /** The HTTP rules on the ports (Cilium target only). */
  readonly http?: ReturnType<HttpRule['_toCilium']>[];
  /** The ports, as in the manifest; undefined means every port. */
  ports?: Array<ReturnType<Port['_toKube']>>;
  /**
   * The same for the same peers in any order (and the same HTTP rules); made when the rule is
   * first compared with another one (network-policy.ts peerKeyOf).
   */
  peerKey?: string;
}

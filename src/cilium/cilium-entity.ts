/**
 * Cilium's entities: sources and destinations without labels of their own
 * (`fromEntities` / `toEntities`). Cilium target only.
 */
export enum CiliumEntity {
  /** Everything: every pod, node and address. */
  ALL = 'all',
  /** Every address outside the cluster (what no other entity or pod covers). */
  WORLD = 'world',
  /** Everything inside the cluster: pods, nodes (host, remote-node), kube-apiserver, health, init, ingress, unmanaged. */
  CLUSTER = 'cluster',
  /** The node the endpoint runs on (and, with host firewall, its host-network pods). */
  HOST = 'host',
  /** Every other node of the cluster. */
  REMOTE_NODE = 'remote-node',
  /** The Kubernetes API server, wherever it runs (in or outside the cluster). */
  KUBE_APISERVER = 'kube-apiserver',
  /** Cilium's ingress (Envoy) proxy. */
  INGRESS = 'ingress',
  /** Cilium's health-check endpoints. */
  HEALTH = 'health',
  /** Endpoints whose identity is not resolved yet. */
  INIT = 'init',
  /** Pods that Cilium does not manage. */
  UNMANAGED = 'unmanaged',
}

/** Every entity, for validation. */
export const CILIUM_ENTITIES: readonly string[] = Object.freeze(Object.values(CiliumEntity));

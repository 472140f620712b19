import { ClusterModel } from './cluster-model';
import { Endpoint } from './endpoint';
import { standInEndpoint } from './stand-in-endpoint';
import { CLUSTER_DNS_LABELS, CLUSTER_DNS_NAMESPACE } from '../kube/cluster-dns';
import { Protocol } from '../protocol';

/** The `origin` of the stand-in endpoint, shown wherever an endpoint's origin is. */
export const SYNTHETIC_DNS_ORIGIN = 'cluster DNS (not in the manifests)';

/**
 * The pods that answer cluster DNS: the endpoints of `kube-system` labelled
 * `k8s-app=kube-dns` when the manifests contain them; otherwise one stand-in
 * (`kube-system/kube-dns`, listening on UDP and TCP 53), because every cluster
 * runs DNS even when the app's manifests do not show it.
 *
 * The stand-in has index -1, so the model knows no namespaced policy
 * selecting it: a flow to it is decided by the source's egress and, on the
 * stand-in's side, by the Admin tier alone (cluster-wide, so the manifests
 * show it), which is all the manifests can tell.
 */
export function clusterDnsEndpoints(model: ClusterModel): Endpoint[] {
  const real = model.endpointsIn(CLUSTER_DNS_NAMESPACE).filter(isClusterDns);
  if (real.length > 0) return [...real];
  return [standInEndpoint({
    namespace: CLUSTER_DNS_NAMESPACE,
    name: 'kube-dns',
    kind: 'Deployment',
    labels: CLUSTER_DNS_LABELS,
    ports: [
      { name: 'dns', port: 53, protocol: Protocol.UDP },
      { name: 'dns-tcp', port: 53, protocol: Protocol.TCP },
    ],
    origin: SYNTHETIC_DNS_ORIGIN,
  })];
}

/** Whether the endpoint is cluster DNS: in `kube-system` and labelled `k8s-app=kube-dns`. */
export function isClusterDns(endpoint: Endpoint): boolean {
  return endpoint.namespace === CLUSTER_DNS_NAMESPACE
    && Object.entries(CLUSTER_DNS_LABELS).every(([key, value]) => Object.hasOwn(endpoint.labels, key) && endpoint.labels[key] === value);
}

/**
 * Where cluster DNS runs, in every distribution that runs kube-dns or CoreDNS:
 * what AllowDns allows by default, and what the analysis stands in for when the
 * manifests do not contain it.
 */
export const CLUSTER_DNS_NAMESPACE = 'kube-system';

/** The pod label of cluster DNS, kept by CoreDNS for compatibility with kube-dns. */
export const CLUSTER_DNS_LABELS: Readonly<Record<string, string>> = Object.freeze({ 'k8s-app': 'kube-dns' });

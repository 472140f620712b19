// Cluster DNS lives in analysis/ (DNS-name peers need it there); the review tools keep importing it from here.
export { clusterDnsEndpoints, isClusterDns, SYNTHETIC_DNS_ORIGIN } from '../analysis/cluster-dns';

import { Cni } from './cni';

/**
 * Where the metrics scraper (e.g. Prometheus) runs.
 */
export interface MetricsScraper {
  /** The scraper's namespace. */
  readonly namespace: string;
  /** Labels the scraper's pods carry. */
  readonly labels: { [key: string]: string };
}

/**
 * Options of `Linter.lint`.
 */
export interface LintOptions {
  /**
   * The CNI plugin that enforces the policies: findings for features it does not enforce.
   * @default - no CNI-specific checks
   */
  readonly cni?: Cni;

  /**
   * The version of the CNI, e.g. `1.15` or `v3.18.2`: gaps the CNI fixed in a later version are then reported too.
   * @default - a current release: gaps fixed in some release are not reported
   */
  readonly cniVersion?: string;

  /**
   * Who scrapes metrics, for the `metrics-unreachable` rule.
   * @default - the Prometheus pods of the manifests, in any namespace, found by their usual labels (`app: prometheus`,
   * `app.kubernetes.io/name: prometheus`, the operator's `prometheus: <name>`); without them, pods
   * `app.kubernetes.io/name: prometheus` in namespace `monitoring` (as `MonitoringScrape`)
   */
  readonly scraper?: MetricsScraper;

  /**
   * The pod network's CIDRs, e.g. the cluster's pod CIDR `10.244.0.0/16`: a `networks` peer of
   * a cluster policy that overlaps one of them also matches pod traffic (`network-peer-matches-pods`).
   * @default - only the pod addresses the manifests give (`status.podIPs`)
   */
  readonly podCidrs?: string[];
}

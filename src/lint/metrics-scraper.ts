import { MetricsScraper } from './lint-options';
import { ClusterModel } from '../analysis/cluster-model';
import { Endpoint } from '../analysis/endpoint';
import { standInEndpoint } from '../analysis/stand-in-endpoint';

/** The scraper `MonitoringScrape` allows by default: the stand-in when no Prometheus is in the manifests. */
export const DEFAULT_SCRAPER: MetricsScraper = { namespace: 'monitoring', labels: { 'app.kubernetes.io/name': 'prometheus' } };

/**
 * The labels Prometheus pods usually carry, in the order they are tried: the Helm
 * charts' `app: prometheus` and `app.kubernetes.io/name: prometheus`, and the
 * Prometheus operator's `prometheus: <name of the Prometheus resource>` (any value).
 */
const PROMETHEUS_LABELS: ReadonlyArray<{ readonly key: string; readonly value?: string }> = [
  { key: 'app', value: 'prometheus' },
  { key: 'app.kubernetes.io/name', value: 'prometheus' },
  { key: 'prometheus' },
];

/** The label the Prometheus charts give each part (server, alertmanager, ...): the old chart's and the current one's. */
const SERVER_COMPONENT_KEYS = ['component', 'app.kubernetes.io/component'];

/** The scraper a lint uses: its pods, and how messages name them and why they are the scraper. */
export interface ScraperChoice {
  /** The scraper's pods: of the manifests, or one stand-in (index -1, whose own egress is not enforced). */
  readonly endpoints: readonly Endpoint[];
  /** For messages: `the scraper (monitoring/prometheus, found in the manifests by its label app=prometheus)`. */
  readonly text: string;
  /** The scraper as a namespace and labels, for fixes. */
  readonly selector: MetricsScraper;
}

/**
 * Which metrics scraper to judge scrapes from: the one given (the `scraper`
 * option), else the Prometheus pods of the manifests, in any namespace, found by
 * their usual labels, else a stand-in for `DEFAULT_SCRAPER`, the scraper that
 * `MonitoringScrape` allows by default.
 */
export function chooseScraper(model: ClusterModel, given?: MetricsScraper): ScraperChoice {
  if (given !== undefined) {
    const found = model.endpointsIn(given.namespace).filter((e) => carries(e, given.labels));
    if (found.length > 0) return { endpoints: found, text: `the scraper (${names(found)}, from the scraper option)`, selector: given };
    return standIn(given, ', from the scraper option; not in the manifests');
  }
  for (const { key, value } of PROMETHEUS_LABELS) {
    const labelled = model.endpoints.filter((e) => e.index >= 0 && (value === undefined ? e.labels[key] !== undefined : e.labels[key] === value));
    // The Prometheus Helm charts label every part so (alertmanager, node-exporter, ...); the server is the one that scrapes.
    const servers = labelled.filter((e) => SERVER_COMPONENT_KEYS.some((k) => e.labels[k] === 'server'));
    const found = servers.length > 0 ? servers : labelled;
    if (found.length === 0) continue;
    const label = value === undefined ? `${key}=${found[0].labels[key]}` : `${key}=${value}`;
    return {
      endpoints: found,
      text: `the scraper (${names(found)}, found in the manifests by its label ${label})`,
      selector: { namespace: found[0].namespace, labels: { [key]: found[0].labels[key], ...serverLabel(servers[0]) } },
    };
  }
  const usual = PROMETHEUS_LABELS.map(({ key, value }) => `${key}=${value ?? '<name>'}`);
  return standIn(DEFAULT_SCRAPER, `, not in the manifests: the default, since no pod is labelled ${usual.slice(0, -1).join(', ')} or ${usual[usual.length - 1]}`);
}

/** `pods app.kubernetes.io/name=prometheus in namespace monitoring`. */
export function describeScraper(scraper: MetricsScraper): string {
  const labels = Object.entries(scraper.labels).map(([k, v]) => `${k}=${v}`).sort().join(', ');
  return `pods ${labels} in namespace ${scraper.namespace}`;
}

function standIn(scraper: MetricsScraper, why: string): ScraperChoice {
  const text = describeScraper(scraper);
  const endpoint = standInEndpoint({
    namespace: scraper.namespace,
    name: 'metrics-scraper',
    kind: 'Pod',
    labels: scraper.labels,
    ports: [],
    origin: 'metrics scraper (not in the manifests)',
    displayName: text,
  });
  return { endpoints: [endpoint], text: `the scraper (${text}${why})`, selector: scraper };
}

/** The server's component label, when the scraper was told from the other parts by it. */
function serverLabel(server: Endpoint | undefined): Record<string, string> {
  const key = SERVER_COMPONENT_KEYS.find((k) => server?.labels[k] === 'server');
  return key === undefined ? {} : { [key]: 'server' };
}

function carries(endpoint: Endpoint, labels: Readonly<Record<string, string>>): boolean {
  return Object.entries(labels).every(([k, v]) => endpoint.labels[k] === v);
}

function names(endpoints: readonly Endpoint[]): string {
  return endpoints.map((e) => e.displayName).join(', ');
}

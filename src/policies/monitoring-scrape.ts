import { Construct } from 'constructs';
import { checkProps, childPath, metadataOf, requireProps } from '../internal/props';
import { NamespaceSelector } from '../namespace-selector';
import { NetworkPolicy } from '../network-policy';
import { IPeer, Peer } from '../peer';
import { NamedPolicyOptions } from '../policy-options';
import { Port } from '../port';
import { Selector } from '../selector';

/**
 * Who scrapes and on which ports; shared by `MonitoringScrape` and `NamespaceBaseline`.
 */
export interface MonitoringScrapeOptions {
  /** The metrics ports on the scraped pods, e.g. `[Port.tcp(9090)]` or `[Port.named('metrics')]`. */
  readonly ports: Port[];

  /**
   * The metrics scraper.
   * @default - `MonitoringScrape.defaultScraper()`: pods `app.kubernetes.io/name: prometheus` in namespace `monitoring`
   */
  readonly scraper?: IPeer;
}

/**
 * Properties of `MonitoringScrape`.
 */
export interface MonitoringScrapeProps extends MonitoringScrapeOptions, NamedPolicyOptions {
  /** The pods whose metrics are scraped. */
  readonly pods: Selector;
}

/**
 * Allows the metrics scraper (Prometheus in `monitoring` by default) to reach
 * the selected pods on their metrics ports.
 *
 * A namespace under default-deny otherwise goes dark on the dashboards without
 * anyone noticing until an alert fails to fire.
 *
 * Like any policy with ingress rules, it isolates the selected pods for
 * ingress: ingress that no policy allows is denied from then on.
 *
 * @example
 * new MonitoringScrape(chart, 'scrape', {
 *   pods: Selector.labels({ app: 'payments' }),
 *   ports: [Port.tcp(9090)],
 * });
 */
export class MonitoringScrape extends NetworkPolicy {
  /**
   * The default scraper: pods labelled `app.kubernetes.io/name: prometheus` in the namespace `monitoring`.
   */
  public static defaultScraper(): Peer {
    return Peer.podsIn(NamespaceSelector.named('monitoring'), Selector.labels({ 'app.kubernetes.io/name': 'prometheus' }));
  }

  /** The NetworkPolicy this construct emits: the construct itself (add rules to it directly). */
  public get policy(): NetworkPolicy {
    return this;
  }

  /**
   * @param scope the parent construct (a Chart or a construct inside one)
   * @param id the construct id; it names the emitted policies, so changing it renames them
   * @param props the MonitoringScrapeProps
   */
  constructor(scope: Construct, id: string, props: MonitoringScrapeProps) {
    const path = childPath(scope, id);
    checkProps(path, 'MonitoringScrape', props);
    requireProps(path, props, 'pods', 'ports');
    super(scope, id, {
      ...metadataOf(props),
      pods: props.pods,
      ingress: [{ peers: [props.scraper ?? MonitoringScrape.defaultScraper()], ports: props.ports }],
    });
  }
}

import { Construct } from 'constructs';
import { IPeer } from '../peer';
import { PolicyMetadataOptions } from '../policy-options';
import { Port } from '../port';
import { Selector } from '../selector';
import { AllowDns, AllowDnsOptions } from './allow-dns';
import { AllowSameNamespace } from './allow-same-namespace';
import { DefaultDeny } from './default-deny';
import { ExternalHttps, ExternalHttpsOptions } from './external-https';
import { MonitoringScrape } from './monitoring-scrape';
import { checkProps, childPath } from '../internal/props';

/**
 * The monitoring part of a `NamespaceBaseline`.
 */
export interface BaselineMonitoringOptions {
  /** The metrics ports, e.g. `[Port.tcp(9090)]`. */
  readonly ports: Port[];

  /**
   * The pods whose metrics are scraped.
   * @default - the baseline's `pods`, else every pod of the namespace
   */
  readonly pods?: Selector;

  /**
   * The metrics scraper.
   * @default - `MonitoringScrape.defaultScraper()`
   */
  readonly scraper?: IPeer;
}

/**
 * Properties of `NamespaceBaseline`.
 */
export interface NamespaceBaselineProps extends PolicyMetadataOptions {
  /**
   * The pods the baseline applies to.
   * @default - every pod of the namespace
   */
  readonly pods?: Selector;

  /**
   * Deny, in both directions, whatever no policy allows.
   * @default true
   */
  readonly defaultDeny?: boolean;

  /**
   * Allow DNS (UDP and TCP 53 to kube-dns).
   * @default true
   */
  readonly allowDns?: boolean;

  /**
   * Where DNS is served.
   * @default - kube-dns in kube-system
   */
  readonly dns?: AllowDnsOptions;

  /**
   * Allow every port between the pods of the namespace.
   * @default true
   */
  readonly allowSameNamespace?: boolean;

  /**
   * Allow HTTPS to addresses outside private, link-local and CGNAT ranges.
   * @default true
   */
  readonly allowExternalHttps?: boolean;

  /**
   * Options of the external HTTPS part.
   * @default - TCP 443, IPv4 only
   */
  readonly externalHttps?: ExternalHttpsOptions;

  /**
   * Let the metrics scraper reach the pods.
   * @default - no monitoring policy
   */
  readonly monitoring?: BaselineMonitoringOptions;
}

/**
 * The minimum viable policy set for a namespace: default-deny both ways, DNS,
 * traffic within the namespace, HTTPS to the internet, and optionally the
 * metrics scraper. Every part can be switched off.
 *
 * Its policies are named after its id: `<id>-default-deny`, `<id>-allow-dns`,
 * `<id>-same-namespace`, `<id>-external-https`, `<id>-monitoring-scrape`.
 *
 * @example
 * new NamespaceBaseline(chart, 'baseline', {
 *   namespace: 'payments',
 *   allowExternalHttps: false,
 *   monitoring: { ports: [Port.tcp(9090)] },
 * });
 */
export class NamespaceBaseline extends Construct {
  /** The default-deny part, unless switched off. */
  public readonly defaultDeny?: DefaultDeny;
  /** The DNS part, unless switched off. */
  public readonly allowDns?: AllowDns;
  /** The same-namespace part, unless switched off. */
  public readonly allowSameNamespace?: AllowSameNamespace;
  /** The external HTTPS part, unless switched off. */
  public readonly externalHttps?: ExternalHttps;
  /** The monitoring part, when asked for. */
  public readonly monitoring?: MonitoringScrape;

  /**
   * @param scope the parent construct (a Chart or a construct inside one)
   * @param id the construct id; it names the emitted policies, so changing it renames them
   * @param props the NamespaceBaselineProps
   */
  constructor(scope: Construct, id: string, props: NamespaceBaselineProps = {}) {
    checkProps(childPath(scope, id), 'NamespaceBaseline', props);
    super(scope, id);
    const common = { namespace: props.namespace, labels: props.labels, annotations: props.annotations, target: props.target };
    const parts = [props.defaultDeny, props.allowDns, props.allowSameNamespace, props.allowExternalHttps]
      .filter((on) => on ?? true).length + (props.monitoring ? 1 : 0);
    if (parts === 0) {
      throw new Error(`${this.node.path}: every part of the NamespaceBaseline is switched off, so it emits nothing.`);
    }
    if (props.defaultDeny ?? true) {
      this.defaultDeny = new DefaultDeny(this, 'DefaultDeny', { ...common, pods: props.pods });
    }
    if (props.allowDns ?? true) {
      this.allowDns = new AllowDns(this, 'AllowDns', { ...common, ...props.dns, pods: props.pods });
    } else if (props.dns) {
      throw new Error(`${this.node.path}: \`dns\` options are given but allowDns is false; remove one of them.`);
    }
    if (props.allowSameNamespace ?? true) {
      this.allowSameNamespace = new AllowSameNamespace(this, 'SameNamespace', { ...common, pods: props.pods });
    }
    if (props.allowExternalHttps ?? true) {
      this.externalHttps = new ExternalHttps(this, 'ExternalHttps', { ...common, ...props.externalHttps, pods: props.pods });
    } else if (props.externalHttps) {
      throw new Error(`${this.node.path}: \`externalHttps\` options are given but allowExternalHttps is false; remove one of them.`);
    }
    if (props.monitoring) {
      this.monitoring = new MonitoringScrape(this, 'MonitoringScrape', {
        ...common,
        pods: props.monitoring.pods ?? props.pods ?? Selector.all(),
        ports: props.monitoring.ports,
        scraper: props.monitoring.scraper,
      });
    }
  }
}

import { App, AppProps, Chart } from 'cdk8s';
import * as kplus from 'cdk8s-plus-33';
import { Construct } from 'constructs';
import {
  Acknowledgements, AllowFrom, AllowTo, ExternalHttps, HttpRule, NamespaceBaseline, NamespaceSelector, NetpolChecks, Peer, Port, Selector, Severity,
} from '../../src';

/**
 * A realistic small cluster:
 *
 *   internet -> ingress-nginx -> production/frontend:8080 -> production/api-server:8080 -> production/postgres:5432
 *   production/api-server -> payments/payments:8443, and -> an external HTTPS API
 *   monitoring/prometheus -> payments/payments:9090 (metrics)
 *
 * Every namespace gets a NamespaceBaseline (default-deny both ways + DNS), and
 * every call is allowed on both sides: egress at the client, ingress at the server.
 *
 * The lint rules run at synth time: any finding, even a warning, fails
 * `app.synth()`, unless it is acknowledged with a reason.
 */
export function buildApp(props: AppProps = {}, options: ExampleOptions = {}): App {
  const app = new App(props);
  if (options.checks ?? true) NetpolChecks.of(app, { failOn: Severity.WARNING });
  new NamespacesChart(app, 'namespaces');
  new IngressNginxChart(app, 'ingress-nginx');
  new ProductionChart(app, 'production');
  new PaymentsChart(app, 'payments');
  new MonitoringChart(app, 'monitoring');
  return app;
}

/** Options of `buildApp`. */
export interface ExampleOptions {
  /**
   * Run the lint rules at synth time (NetpolChecks, failing on warnings).
   * Tests that need the YAML of a deliberately wrong version switch them off.
   * @default true
   */
  readonly checks?: boolean;
}

/** Labels our workloads carry and are selected by. */
function appLabel(name: string): Selector {
  return Selector.labels({ app: name });
}

/** A Deployment whose pods carry `app: <name>` and expose the given ports. */
function deployment(scope: Construct, name: string, ports: kplus.ContainerPort[]): kplus.Deployment {
  return new kplus.Deployment(scope, name, {
    metadata: { name },
    podMetadata: { labels: { app: name } },
    containers: [{ name, image: `example.com/${name}:1.0.0`, ports }],
  });
}

/** Namespaces are cluster-scoped: they live in a chart without a namespace. */
export class NamespacesChart extends Chart {
  constructor(scope: Construct, id: string) {
    super(scope, id);
    for (const name of ['ingress-nginx', 'production', 'payments', 'monitoring']) {
      new kplus.Namespace(this, name, { metadata: { name } });
    }
  }
}

/** The ingress controller and its policies: the public entry point, allowed to call the frontend only. */
export class IngressNginxChart extends Chart {
  /** The ingress controller. */
  public readonly controller: kplus.Deployment;

  constructor(scope: Construct, id: string) {
    super(scope, id, { namespace: 'ingress-nginx' });
    this.controller = deployment(this, 'ingress-nginx-controller', [{ number: 80, name: 'http' }, { number: 443, name: 'https' }]);

    // The controller talks to backends only: no same-namespace or internet egress.
    new NamespaceBaseline(this, 'baseline', { allowSameNamespace: false, allowExternalHttps: false });
    const fromInternet = new AllowFrom(this, 'controller-from-internet', {
      pods: appLabel('ingress-nginx-controller'),
      from: [Peer.anyone()],
      ports: [Port.HTTP, Port.HTTPS],
    });
    // Allowing everyone is the point of an ingress controller: say so, for the next reviewer.
    Acknowledgements.add(fromInternet, 'allow-all-rule', 'the ingress controller is the public entry point');
    new AllowTo(this, 'controller-to-frontend', {
      pods: appLabel('ingress-nginx-controller'),
      to: [Peer.podsIn(NamespaceSelector.named('production'), appLabel('frontend'))],
      ports: [Port.tcp(8080)],
    });
  }
}

/** The Deployments of `production`: the frontend, the API server and its database. */
export interface ProductionWorkloads {
  readonly frontend: kplus.Deployment;
  readonly apiServer: kplus.Deployment;
  readonly postgres: kplus.Deployment;
}

/** Adds the Deployments of `production` to a chart of that namespace. */
export function productionWorkloads(chart: Chart): ProductionWorkloads {
  return {
    frontend: deployment(chart, 'frontend', [{ number: 8080, name: 'http' }]),
    apiServer: deployment(chart, 'api-server', [{ number: 8080, name: 'http' }]),
    postgres: deployment(chart, 'postgres', [{ number: 5432, name: 'postgres' }]),
  };
}

/** Adds the Deployment of `payments` (the API on 8443, metrics on 9090) to a chart of that namespace. */
export function paymentsWorkload(chart: Chart): kplus.Deployment {
  return deployment(chart, 'payments', [{ number: 8443, name: 'https' }, { number: 9090, name: 'metrics' }]);
}

/** Options of the `production` chart: what the Cilium variant (examples/production-cluster-cilium) says on top. */
export interface ProductionOptions {
  /**
   * HTTP requests the frontend may send the API server (Cilium only).
   * @default - every request
   */
  readonly apiRequests?: HttpRule[];
  /**
   * The external hosts the API server calls, by DNS name (Cilium only).
   * @default - every public address on HTTPS
   */
  readonly externalHosts?: string[];
}

/** The `production` namespace: the request path, and each tier opened explicitly. */
export class ProductionChart extends Chart {
  constructor(scope: Construct, id: string, options: ProductionOptions = {}) {
    super(scope, id, { namespace: 'production' });
    productionWorkloads(this);

    // Default-deny and DNS; each tier is opened explicitly below.
    new NamespaceBaseline(this, 'baseline', { allowSameNamespace: false, allowExternalHttps: false });

    new AllowFrom(this, 'frontend-from-ingress', {
      pods: appLabel('frontend'),
      from: [Peer.podsIn(NamespaceSelector.named('ingress-nginx'), appLabel('ingress-nginx-controller'))],
      ports: [Port.tcp(8080)],
    });
    new AllowTo(this, 'frontend-to-api-server', { pods: appLabel('frontend'), to: [Peer.pods(appLabel('api-server'))], ports: [Port.tcp(8080)] });
    new AllowFrom(this, 'api-server-from-frontend', {
      pods: appLabel('api-server'),
      from: [Peer.pods(appLabel('frontend'))],
      ports: [Port.tcp(8080)],
      http: options.apiRequests,
    });
    new AllowTo(this, 'api-server-to-postgres', { pods: appLabel('api-server'), to: [Peer.pods(appLabel('postgres'))], ports: [Port.tcp(5432)] });
    new AllowFrom(this, 'postgres-from-api-server', { pods: appLabel('postgres'), from: [Peer.pods(appLabel('api-server'))], ports: [Port.tcp(5432)] });
    new AllowTo(this, 'api-server-to-payments', {
      pods: appLabel('api-server'),
      to: [Peer.podsIn(NamespaceSelector.named('payments'), appLabel('payments'))],
      ports: [Port.tcp(8443)],
    });
    if (options.externalHosts) {
      // The api-server calls its card processor by name, and nothing else on the internet.
      new ExternalHttps(this, 'api-server-to-processor', { pods: appLabel('api-server'), hosts: options.externalHosts });
    } else {
      // The api-server calls an external HTTPS API (a card processor).
      new ExternalHttps(this, 'api-server-external-https', { pods: appLabel('api-server') });
    }
  }
}

/** The `payments` namespace: the payments API, scraped by Prometheus. */
export class PaymentsChart extends Chart {
  constructor(scope: Construct, id: string) {
    super(scope, id, { namespace: 'payments' });
    paymentsWorkload(this);

    new NamespaceBaseline(this, 'baseline', {
      allowExternalHttps: false,
      // Prometheus in `monitoring` scrapes the metrics port.
      monitoring: { pods: appLabel('payments'), ports: [Port.tcp(9090)] },
    });
    new AllowFrom(this, 'payments-from-api-server', {
      pods: appLabel('payments'),
      from: [Peer.podsIn(NamespaceSelector.named('production'), appLabel('api-server'))],
      ports: [Port.tcp(8443)],
    });
  }
}

/** Options of the `monitoring` chart: what the platform variant (examples/production-cluster-platform) says on top. */
export interface MonitoringOptions {
  /**
   * Prometheus scrapes the container port named `metrics` of every pod of every
   * namespace, rather than payments' metrics port alone.
   * @default false
   */
  readonly scrapeEveryNamespace?: boolean;
}

/** Prometheus and its policies: it may scrape the payments metrics port (or, with options, every pod's). */
export class MonitoringChart extends Chart {
  /** Prometheus. */
  public readonly prometheus: kplus.Deployment;

  constructor(scope: Construct, id: string, options: MonitoringOptions = {}) {
    super(scope, id, { namespace: 'monitoring' });
    this.prometheus = new kplus.Deployment(this, 'prometheus', {
      metadata: { name: 'prometheus' },
      podMetadata: { labels: { 'app.kubernetes.io/name': 'prometheus' } },
      containers: [{
        name: 'prometheus',
        image: 'quay.io/prometheus/prometheus:v3.0.0',
        ports: [{ number: 9090, name: 'web' }],
      }],
    });

    new NamespaceBaseline(this, 'baseline', { allowExternalHttps: false });
    if (options.scrapeEveryNamespace) {
      const scrape = new AllowTo(this, 'prometheus-to-metrics', {
        pods: Selector.labels({ 'app.kubernetes.io/name': 'prometheus' }),
        to: [Peer.podsIn(NamespaceSelector.all(), Selector.all())],
        ports: [Port.named('metrics')],
      });
      Acknowledgements.add(scrape, 'allow-all-rule', 'Prometheus scrapes the port named metrics of every pod, and only that port');
      return;
    }
    new AllowTo(this, 'prometheus-to-payments-metrics', {
      pods: Selector.labels({ 'app.kubernetes.io/name': 'prometheus' }),
      to: [Peer.podsIn(NamespaceSelector.named('payments'), appLabel('payments'))],
      ports: [Port.tcp(9090)],
    });
  }
}

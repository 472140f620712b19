import { App, AppProps, Chart } from 'cdk8s';
import { NetpolChecks, Port, ServiceGraph, Severity } from '../../src';
import {
  ExampleOptions, IngressNginxChart, MonitoringChart, NamespacesChart, paymentsWorkload, productionWorkloads,
} from '../production-cluster/app';

/**
 * The cluster of `examples/production-cluster/`, with the policies of the
 * application namespaces written by one `ServiceGraph` instead of one construct
 * per side of each call:
 *
 *   internet -> ingress-nginx -> production/frontend:8080 -> production/api-server:8080 -> production/postgres:5432
 *   production/api-server -> payments/payments:8443, and -> an external HTTPS API
 *   monitoring/prometheus -> payments/payments:9090 (metrics)
 *
 * The graph owns `production` and `payments`: it writes their default-deny,
 * DNS and the policies of every call on their side. `ingress-nginx` and
 * `monitoring` belong to the platform: they keep their own policies (the same
 * charts as the single-construct version), and the graph writes nothing there.
 * The ingress controller and Prometheus are services of the graph all the same,
 * so that the frontend and payments let them in.
 */
export function buildGraphApp(props: AppProps = {}, options: ExampleOptions = {}): GraphExample {
  const app = new App(props);
  if (options.checks ?? true) NetpolChecks.of(app, { failOn: Severity.WARNING });
  new NamespacesChart(app, 'namespaces');
  const ingressNginx = new IngressNginxChart(app, 'ingress-nginx');
  // production and payments hold their Deployments only: the graph writes their policies.
  const production = new Chart(app, 'production', { namespace: 'production' });
  const payments = new Chart(app, 'payments', { namespace: 'payments' });
  const monitoring = new MonitoringChart(app, 'monitoring');
  const { frontend, apiServer, postgres } = productionWorkloads(production);
  const paymentsDeployment = paymentsWorkload(payments);

  // The graph spans two namespaces: its chart has none, each policy names its own.
  const graph = new ServiceGraph(new Chart(app, 'service-graph'), 'graph', {
    namespaces: ['production', 'payments'],
    // allowScrape() lets this scraper in: our Prometheus, not the default selector.
    scraper: { workload: monitoring.prometheus },
  });
  const ingress = graph.addService('ingress-nginx', { workload: ingressNginx.controller });
  const web = graph.addService('frontend', { workload: frontend });
  const api = graph.addService('api-server', { workload: apiServer });
  const db = graph.addService('postgres', { workload: postgres });
  const pay = graph.addService('payments', { workload: paymentsDeployment });

  graph.allow(ingress, web, Port.tcp(8080));
  graph.allow(web, api, Port.tcp(8080));
  graph.allow(api, db, Port.tcp(5432));
  graph.allow(api, pay, Port.tcp(8443));
  // The api-server calls an external HTTPS API (a card processor).
  graph.allowExternalHttps(api);
  graph.allowScrape(pay, Port.tcp(9090));
  return { app, graph };
}

/** What `buildGraphApp` builds. */
export interface GraphExample {
  /** The App: synthesize it. */
  readonly app: App;
  /** The graph of the application namespaces: prove it with `expect(graph).toAllowExactlyTheDeclaredCalls()`. */
  readonly graph: ServiceGraph;
}


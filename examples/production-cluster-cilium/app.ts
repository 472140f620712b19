import { App, AppProps, Chart } from 'cdk8s';
import * as kplus from 'cdk8s-plus-33';
import { Construct } from 'constructs';
import {
  AllowFrom, AllowTo, CiliumEntity, ExternalHttps, HttpRule, NamespaceBaseline, NamespaceSelector, NetpolChecks, Peer, PolicyTarget, Port,
  Selector, Severity,
} from '../../src';
import { ExampleOptions, IngressNginxChart, MonitoringChart, NamespacesChart, paymentsWorkload, productionWorkloads } from '../production-cluster/app';

/**
 * The production example on Cilium: the same cluster and the same intents,
 * emitted as CiliumNetworkPolicies, with three things only Cilium can say:
 *
 * - the API server calls Stripe by name (`api.stripe.com`), not "HTTPS to
 *   every public address";
 * - the frontend may send the API server only `GET /api/...` and `POST /api/orders` (L7);
 * - the autoscaler controller in `production` reaches the Kubernetes API server
 *   (the `kube-apiserver` entity), which a default deny would cut off.
 */
export function buildCiliumApp(props: AppProps = {}, options: ExampleOptions = {}): App {
  const app = new App(props);
  // Before any chart: every construct of the app emits CiliumNetworkPolicy.
  PolicyTarget.set(app, PolicyTarget.CILIUM);
  if (options.checks ?? true) NetpolChecks.of(app, { failOn: Severity.WARNING });
  new NamespacesChart(app, 'namespaces');
  new IngressNginxChart(app, 'ingress-nginx');
  new ProductionChart(app, 'production');
  new PaymentsChart(app, 'payments');
  new MonitoringChart(app, 'monitoring');
  return app;
}

function appLabel(name: string): Selector {
  return Selector.labels({ app: name });
}

class ProductionChart extends Chart {
  constructor(scope: Construct, id: string) {
    super(scope, id, { namespace: 'production' });
    productionWorkloads(this);
    new kplus.Deployment(this, 'autoscaler', {
      metadata: { name: 'autoscaler' },
      podMetadata: { labels: { app: 'autoscaler' } },
      containers: [{ name: 'autoscaler', image: 'example.com/autoscaler:1.0.0' }],
    });

    new NamespaceBaseline(this, 'baseline', { allowSameNamespace: false, allowExternalHttps: false });

    new AllowFrom(this, 'frontend-from-ingress', {
      pods: appLabel('frontend'),
      from: [Peer.podsIn(NamespaceSelector.named('ingress-nginx'), appLabel('ingress-nginx-controller'))],
      ports: [Port.tcp(8080)],
    });
    new AllowTo(this, 'frontend-to-api-server', { pods: appLabel('frontend'), to: [Peer.pods(appLabel('api-server'))], ports: [Port.tcp(8080)] });
    // L7: the frontend reads the API and places orders; nothing else reaches the API server.
    new AllowFrom(this, 'api-server-from-frontend', {
      pods: appLabel('api-server'),
      from: [Peer.pods(appLabel('frontend'))],
      ports: [Port.tcp(8080)],
      http: [HttpRule.get('/api/.*'), HttpRule.of({ method: 'POST', path: '/api/orders' })],
    });
    new AllowTo(this, 'api-server-to-postgres', { pods: appLabel('api-server'), to: [Peer.pods(appLabel('postgres'))], ports: [Port.tcp(5432)] });
    new AllowFrom(this, 'postgres-from-api-server', { pods: appLabel('postgres'), from: [Peer.pods(appLabel('api-server'))], ports: [Port.tcp(5432)] });
    new AllowTo(this, 'api-server-to-payments', {
      pods: appLabel('api-server'),
      to: [Peer.podsIn(NamespaceSelector.named('payments'), appLabel('payments'))],
      ports: [Port.tcp(8443)],
    });
    // Stripe by name, and nothing else on the internet.
    new ExternalHttps(this, 'api-server-to-stripe', { pods: appLabel('api-server'), hosts: ['api.stripe.com'] });
    // The controller watches and scales Deployments through the Kubernetes API.
    new AllowTo(this, 'autoscaler-to-apiserver', {
      pods: appLabel('autoscaler'),
      to: [Peer.entity(CiliumEntity.KUBE_APISERVER)],
      ports: [Port.tcp(443), Port.tcp(6443)],
    });
  }
}

class PaymentsChart extends Chart {
  constructor(scope: Construct, id: string) {
    super(scope, id, { namespace: 'payments' });
    paymentsWorkload(this);
    new NamespaceBaseline(this, 'baseline', {
      allowExternalHttps: false,
      monitoring: { pods: appLabel('payments'), ports: [Port.tcp(9090)] },
    });
    new AllowFrom(this, 'payments-from-api-server', {
      pods: appLabel('payments'),
      from: [Peer.podsIn(NamespaceSelector.named('production'), appLabel('api-server'))],
      ports: [Port.tcp(8443)],
    });
  }
}

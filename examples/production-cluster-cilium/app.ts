import { App, AppProps, Chart } from 'cdk8s';
import * as kplus from 'cdk8s-plus-33';
import { Construct } from 'constructs';
import { AllowTo, CiliumEntity, HttpRule, NetpolChecks, Peer, PolicyTarget, Port, Selector, Severity } from '../../src';
import {
  ExampleOptions, IngressNginxChart, MonitoringChart, NamespacesChart, PaymentsChart, ProductionChart,
} from '../production-cluster/app';

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
  new ProductionChart(app, 'production', {
    // L7: the frontend reads the API and places orders; nothing else reaches the API server.
    apiRequests: [HttpRule.get('/api/.*'), HttpRule.of({ method: 'POST', path: '/api/orders' })],
    // Stripe by name, and nothing else on the internet.
    externalHosts: ['api.stripe.com'],
  });
  new AutoscalerChart(app, 'autoscaler');
  new PaymentsChart(app, 'payments');
  new MonitoringChart(app, 'monitoring');
  return app;
}

/** The Cilium-only part of `production`: a controller that reaches the Kubernetes API server. */
class AutoscalerChart extends Chart {
  constructor(scope: Construct, id: string) {
    super(scope, id, { namespace: 'production' });
    new kplus.Deployment(this, 'autoscaler', {
      metadata: { name: 'autoscaler' },
      podMetadata: { labels: { app: 'autoscaler' } },
      containers: [{ name: 'autoscaler', image: 'example.com/autoscaler:1.0.0' }],
    });
    // The controller watches and scales Deployments through the Kubernetes API.
    new AllowTo(this, 'autoscaler-to-apiserver', {
      pods: Selector.labels({ app: 'autoscaler' }),
      to: [Peer.entity(CiliumEntity.KUBE_APISERVER)],
      ports: [Port.tcp(443), Port.tcp(6443)],
    });
  }
}

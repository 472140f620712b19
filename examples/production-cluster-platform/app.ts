import { App, AppProps, Chart } from 'cdk8s';
import * as kplus from 'cdk8s-plus-33';
import { Construct } from 'constructs';
import {
  Acknowledgements, AllowTo, AlwaysAllowDns, AlwaysAllowMonitoring, BaselineDefaultDeny, DenyCloudMetadata, DenyPrivateRanges, NamespaceSelector,
  NetpolChecks, Peer, Port, Selector, Severity, TenantIsolation,
} from '../../src';
import { ExampleOptions, IngressNginxChart, MonitoringChart, PaymentsChart, ProductionChart } from '../production-cluster/app';

/** The namespace label that names a namespace's tenant. */
export const TENANT_LABEL = 'tenant';

/**
 * The namespaces and their tenants: the shop's three namespaces are one
 * tenant, the data team's `lab` another; `monitoring` (the platform's own) and
 * the system namespaces belong to no tenant.
 */
export const TENANTS: { readonly [namespace: string]: string | undefined } = {
  'ingress-nginx': 'shop',
  'production': 'shop',
  'payments': 'shop',
  'monitoring': undefined,
  'lab': 'lab',
};

/**
 * The production example with a platform team: the application charts of
 * examples/production-cluster, unchanged, beside a cluster-scoped platform
 * chart that owns the namespaces and sets guardrails for all of them
 * (ClusterNetworkPolicy, policy.networking.k8s.io/v1alpha2), and a new
 * team's namespace, `lab`, that has no NetworkPolicy yet.
 *
 * What the guardrails hold, whatever the namespaces' own policies say:
 *
 * - every pod resolves names through kube-dns (Admin Accept);
 * - Prometheus scrapes every pod's `metrics` port (Admin Accept);
 * - nothing but the EBS CSI controller reads the cloud metadata service (Admin Deny, with a Pass before it);
 * - no tenant talks to another tenant (Admin Deny), and within a tenant the namespaces' policies decide (Pass);
 * - no pod reaches private addresses outside the cluster, but the VPC's DNS resolver (Admin Deny, with a Pass for it);
 * - a namespace without policies of its own, like `lab`, is closed both ways (Baseline Deny), until its team writes them.
 */
export function buildPlatformApp(props: AppProps = {}, options: ExampleOptions = {}): App {
  const app = new App(props);
  if (options.checks ?? true) NetpolChecks.of(app, { failOn: Severity.WARNING });
  new PlatformChart(app, 'platform');
  new IngressNginxChart(app, 'ingress-nginx');
  new ProductionChart(app, 'production');
  new PaymentsChart(app, 'payments');
  // The platform's own namespace: Prometheus scrapes every namespace's metrics port.
  new MonitoringChart(app, 'monitoring', { scrapeEveryNamespace: true });
  new LabChart(app, 'lab');
  return app;
}

/**
 * The platform team's chart: cluster-scoped (no namespace), so it holds the
 * namespaces, labelled with their tenant, and the guardrails.
 */
export class PlatformChart extends Chart {
  constructor(scope: Construct, id: string) {
    super(scope, id);
    for (const [name, tenant] of Object.entries(TENANTS)) {
      const namespace = new kplus.Namespace(this, name, { metadata: { name, labels: tenant ? { [TENANT_LABEL]: tenant } : undefined } });
      if (name === 'lab') {
        // The Baseline tier closes it until the team writes its own policies: the guardrail is its default deny.
        Acknowledgements.add(namespace, 'missing-default-deny', 'new namespace: the platform\'s BaselineDefaultDeny closes it until its team writes policies');
      }
    }

    // Admin tier, by priority (lower first): distinct priorities, since the order of policies
    // of equal priority whose subjects overlap is undefined.
    new AlwaysAllowDns(this, 'dns', { priority: 10 });
    new AlwaysAllowMonitoring(this, 'scrape', { priority: 11, ports: [Port.named('metrics')] });
    new DenyCloudMetadata(this, 'no-metadata', {
      priority: 20,
      // The EBS CSI controller reads the instance's metadata (its region and zone): the one exception.
      except: [{ namespaces: NamespaceSelector.named('kube-system'), pods: Selector.labels({ app: 'ebs-csi-controller' }) }],
    });
    new TenantIsolation(this, 'tenants', {
      priority: 30,
      labelKey: TENANT_LABEL,
      tenants: [...new Set(Object.values(TENANTS).filter((t): t is string => t !== undefined))],
    });
    // Last of the Admin tier (its default priority, 1000): its first rule passes pod-to-pod traffic on, which
    // skips the Admin policies after it. CoreDNS forwards to the VPC's resolver, a private address: approved.
    new DenyPrivateRanges(this, 'private', { approved: ['10.0.0.2/32'] });

    // Baseline tier: reached only where no NetworkPolicy isolates the pod for that direction.
    new BaselineDefaultDeny(this, 'baseline');
  }
}

/**
 * A new team's namespace: a notebook server (HTTP on 8888, metrics on 9090)
 * and the one policy its team wrote, egress on HTTPS to anywhere (to download
 * data sets). It has every mistake the guardrails are for: no DNS, the cloud
 * metadata service, private addresses and the other tenants' pods on 443,
 * and nothing for ingress.
 */
export class LabChart extends Chart {
  constructor(scope: Construct, id: string) {
    super(scope, id, { namespace: 'lab' });
    const egress = new AllowTo(this, 'notebook-egress', { pods: Selector.labels({ app: 'notebook' }), to: [Peer.anyone()], ports: [Port.HTTPS] });
    // What the lint rules see in this namespace alone, the platform's Admin tier bounds: no cloud metadata,
    // no private address, no other tenant's pod.
    Acknowledgements.add(egress, 'allow-all-rule', 'HTTPS to anywhere, within the platform\'s guardrails (metadata, private ranges and other tenants denied)');
    new kplus.Deployment(this, 'notebook', {
      metadata: { name: 'notebook' },
      podMetadata: { labels: { app: 'notebook' } },
      containers: [{
        name: 'notebook',
        image: 'example.com/notebook:1.0.0',
        ports: [{ number: 8888, name: 'http' }, { number: 9090, name: 'metrics' }],
      }],
    });
  }
}

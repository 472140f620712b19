import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { Yaml } from 'cdk8s';
import { acknowledgedInFixedOrder } from './example-acknowledgements';
import { buildApp } from '../../examples/production-cluster/app';
import { buildPlatformApp } from '../../examples/production-cluster-platform/app';
import { Analyzer, Expectation, Linter } from '../../src';
import { readExpectationsFile } from '../../src/analysis/expectations-file';
import { loadManifestFiles } from '../../src/analysis/load-files';
import { run } from '../cli/cli-harness';
import { assertValidCustomResource } from '../support/crd-schema';
import { assertValidNetworkPolicy } from '../support/synth';

const EXAMPLES = path.join(__dirname, '..', '..', 'examples');
/** The cluster context: kube-dns (the production example's) and the EBS CSI controller (the platform example's). */
const CLUSTER = [path.join(EXAMPLES, 'production-cluster', 'cluster'), path.join(EXAMPLES, 'production-cluster-platform', 'cluster')];
const EXPECTATIONS = path.join(EXAMPLES, 'production-cluster-platform', 'expectations.yaml');

describe('examples/production-cluster-platform', () => {
  const outdir = fs.mkdtempSync(path.join(os.tmpdir(), 'netpol-platform-'));
  const app = buildPlatformApp({ outdir });
  app.synth();
  const byChart = Object.fromEntries(app.charts.map((chart) => [chart.node.id, chart.toJson()]));
  const objects: any[] = Object.values(byChart).flat();
  const context = loadManifestFiles(CLUSTER).map((e) => e.object);
  const expectations: Expectation[] = readExpectationsFile(EXPECTATIONS).map((e) => e.expectation);
  /** The analyzer of the example with every object but those `drop` matches. */
  const analyze = (drop: (o: any) => boolean = () => false) => Analyzer.fromManifests([...objects.filter((o) => !drop(o)), ...context]);
  const analyzer = analyze();

  test('the platform chart is cluster-scoped, and its YAML is pinned', () => {
    expect(byChart.platform.every((o: any) => o.metadata.namespace === undefined)).toBe(true);
    expect(Yaml.stringify(...byChart.platform)).toMatchSnapshot();
  });

  test('the application charts are the production example\'s, unchanged; lab is new', () => {
    const production = Object.fromEntries(buildApp({ outdir: fs.mkdtempSync(path.join(os.tmpdir(), 'netpol-production-')) }, { checks: false }).charts
      .map((chart) => [chart.node.id, chart.toJson()]));
    for (const chart of ['ingress-nginx', 'production', 'payments']) expect(byChart[chart]).toEqual(production[chart]);
    expect(Yaml.stringify(...byChart.lab)).toMatchSnapshot();
  });

  test('every ClusterNetworkPolicy matches the upstream CRD, every NetworkPolicy the Kubernetes schema', () => {
    const cnps = objects.filter((o) => o.kind === 'ClusterNetworkPolicy');
    expect(cnps.map((o) => `${o.spec.tier} ${o.spec.priority} ${o.metadata.name}`)).toEqual([
      'Admin 10 dns',
      'Admin 11 scrape',
      'Admin 20 no-metadata',
      'Admin 19 no-metadata-exception-1',
      'Admin 30 tenants-shop',
      'Admin 30 tenants-lab',
      'Admin 1000 private',
      'Baseline 1000 baseline',
    ]);
    cnps.forEach(assertValidCustomResource);
    const policies = objects.filter((o) => o.kind === 'NetworkPolicy');
    expect(policies.length).toBe(23);
    policies.forEach(assertValidNetworkPolicy);
  });

  test('verify: every expectation holds (26), as `npx projen example` checks it', () => {
    expect(analyzer.verify(expectations)).toMatchObject({ passed: 26, failed: 0 });
    const result = run('verify', outdir, ...CLUSTER, '--expect', EXPECTATIONS);
    expect(result).toEqual({
      status: 0,
      stdout: 'OK: 26 passed, 0 failed, of 26 expectations (9 pods and workloads, 23 NetworkPolicies and 8 ClusterNetworkPolicies in 6 namespaces, from 8 files).\n',
      stderr: '',
    });
  });

  test('each guardrail holds some expectation: without it, those fail', () => {
    const failing = (policies: string[]) => analyze((o) => o.kind === 'ClusterNetworkPolicy' && policies.includes(o.metadata.name)).verify(expectations)
      .results.filter((r) => !r.ok).map((r) => `${r.from} -> ${r.to} ${r.protocol} ${r.port}`);
    expect(failing(['dns'])).toEqual(['lab/notebook -> kube-system/coredns UDP 53', 'lab/notebook -> kube-system/coredns TCP 53']);
    expect(failing(['scrape'])).toEqual(['monitoring/prometheus -> lab/notebook TCP 9090']);
    expect(failing(['no-metadata'])).toEqual(['lab/notebook -> ip:169.254.169.254 TCP 443', 'kube-system/coredns -> ip:169.254.169.254 TCP 80']);
    expect(failing(['no-metadata-exception-1'])).toEqual(['kube-system/ebs-csi-controller -> ip:169.254.169.254 TCP 80']);
    expect(failing(['tenants-shop', 'tenants-lab'])).toEqual(['lab/notebook -> ingress-nginx/ingress-nginx-controller TCP 443']);
    expect(failing(['private'])).toEqual(['lab/notebook -> ip:10.0.0.5 TCP 443', 'lab/notebook -> ip:192.168.1.1 TCP 443', 'kube-system/coredns -> ip:10.0.0.5 UDP 53']);
    expect(failing(['baseline'])).toEqual(['kube-system/coredns -> lab/notebook TCP 8888']);
    // The approved CIDR: without the Accept before the Deny, the VPC resolver is a private address like the others.
    const unapproved = objects.map((o) => (o.metadata.name === 'private'
      ? { ...o, spec: { ...o.spec, egress: o.spec.egress.filter((r: any) => r.name !== 'approved') } } : o));
    const result = Analyzer.fromManifests([...unapproved, ...context]).verify(expectations);
    expect(result.results.filter((r) => !r.ok).map((r) => `${r.from} -> ${r.to}`)).toEqual(['lab/notebook -> ip:10.0.0.2', 'kube-system/coredns -> ip:10.0.0.2']);
  });

  test('the tier that decides: Admin Accept and Deny, Pass to the namespaces\' policies, Baseline where none isolates', () => {
    const explain = (from: string, to: string, port: number) => analyzer.explain({ from, to, port });
    // DNS and monitoring: Accept in the Admin tier
    expect(explain('monitoring/prometheus', 'lab/notebook', 9090).ingress).toMatchObject({
      tiers: ['Admin: ClusterNetworkPolicy scrape spec.ingress[0] ("metrics-scraper") Accept'],
      allowedBy: { policy: 'ClusterNetworkPolicy scrape', port: 'port named "metrics"' },
    });
    expect(analyzer.explain({ from: 'lab/notebook', to: 'kube-system/coredns', port: 53, protocol: 'UDP' as any }).egress.allowedBy?.policy)
      .toBe('ClusterNetworkPolicy dns');
    // Across tenants: Deny on both sides, though both namespaces' policies allow HTTPS from and to anyone
    const across = explain('lab/notebook', 'ingress-nginx/ingress-nginx-controller', 443);
    expect([across.egress.deniedBy?.policy, across.ingress.deniedBy?.policy]).toEqual(['ClusterNetworkPolicy tenants-lab', 'ClusterNetworkPolicy tenants-shop']);
    // Within a tenant: Pass, then the namespace's NetworkPolicy
    expect(explain('ingress-nginx/ingress-nginx-controller', 'production/frontend', 8080).ingress.tiers).toEqual([
      'Admin: ClusterNetworkPolicy tenants-shop spec.ingress[0] ("within-shop") Pass',
      'NetworkPolicy: allowed by production/frontend-from-ingress spec.ingress[0]',
    ]);
    // The metadata service: only the exception gets through (passed on to kube-system, where no policy isolates it)
    const exception = explain('kube-system/ebs-csi-controller', 'ip:169.254.169.254', 80);
    expect(exception.allowed).toBe(true);
    expect(exception.egress.tiers?.[0]).toBe('Admin: ClusterNetworkPolicy no-metadata-exception-1 spec.egress[0] ("cloud-metadata") Pass');
    expect(explain('kube-system/coredns', 'ip:169.254.169.254', 80).egress.deniedBy?.policy).toBe('ClusterNetworkPolicy no-metadata');
    // The Baseline: lab's ingress (no NetworkPolicy isolates it), not its egress (lab/notebook-egress does)
    expect(explain('kube-system/coredns', 'lab/notebook', 8888).ingress.tiers).toEqual([
      'Admin: no rule of ClusterNetworkPolicy scrape, ClusterNetworkPolicy tenants-lab matches',
      'Baseline: ClusterNetworkPolicy baseline spec.ingress[0] ("default-deny") Deny',
    ]);
    expect(explain('lab/notebook', 'ip:93.184.215.14', 443).egress.tiers).toEqual([
      'Admin: no rule of ClusterNetworkPolicy dns, ClusterNetworkPolicy no-metadata, ClusterNetworkPolicy tenants-lab, ClusterNetworkPolicy private matches',
      'NetworkPolicy: allowed by lab/notebook-egress spec.egress[0]',
    ]);
  });

  test('what the guardrails cannot do: v1alpha2 has no address peers for ingress, so the Baseline leaves lab open from outside', () => {
    expect(analyzer.connections('ip:203.0.113.10', 'lab/notebook').toString()).toBe('all connections');
    expect(analyzer.connections('production/api-server', 'lab/notebook').toString()).toBe('nothing');
  });

  test('docs/cluster-network-policy.md and the README show what explain and verify print for it', () => {
    const page = fs.readFileSync(path.join(__dirname, '..', '..', 'docs', 'cluster-network-policy.md'), 'utf8');
    const readme = fs.readFileSync(path.join(__dirname, '..', '..', 'README.md'), 'utf8');
    const explain = (...flow: string[]) => {
      const result = run('explain', outdir, ...CLUSTER, ...flow);
      expect(result.stderr).toBe('');
      return result.stdout;
    };
    const scrape = explain('--from', 'monitoring/prometheus', '--to', 'lab/notebook', '--port', '9090');
    expect(page).toContain(`\`\`\`text\n${scrape}\`\`\``);
    expect(readme).toContain(`\`\`\`text\n${scrape}\`\`\``);
    const denied = explain('--from', 'lab/notebook', '--to', 'ingress-nginx/ingress-nginx-controller', '--port', '443')
      + explain('--from', 'kube-system/coredns', '--to', 'lab/notebook', '--port', '8888');
    expect(page).toContain(`\`\`\`text\n${denied}\`\`\``);
    expect(page).toContain(run('verify', outdir, ...CLUSTER, '--expect', EXPECTATIONS).stdout);
    const lint = run('lint', outdir, ...CLUSTER, '--fail-on', 'warning');
    expect(lint.status).toBe(0);
    expect(page).toContain(lint.stdout);
    expect(readme).toContain(`lint prints \`${lint.stdout.replace(/ \(.*\n$/, '')}\``);
  });

  test('lints clean with the cluster context: no open finding, and each acknowledgement says why', () => {
    const report = Linter.lint(Analyzer.fromFiles([outdir, ...CLUSTER]));
    expect(report.findings).toEqual([]);
    expect(acknowledgedInFixedOrder(report)).toEqual([
      // by design: the DNS guardrail overrides lab/notebook-egress, which forgot DNS (AlwaysAllowDns acknowledges it on itself)
      ['admin-accept-overrides-default-deny', 'ClusterNetworkPolicy dns', 'AlwaysAllowDns: cluster DNS must work whatever the namespaces\' policies say; that is what this guardrail is for.'],
      ['allow-all-rule', 'NetworkPolicy ingress-nginx/controller-from-internet', 'the ingress controller is the public entry point'],
      ['allow-all-rule', 'NetworkPolicy lab/notebook-egress', 'HTTPS to anywhere, within the platform\'s guardrails (metadata, private ranges and other tenants denied)'],
      ['allow-all-rule', 'NetworkPolicy monitoring/prometheus-to-metrics', 'Prometheus scrapes the port named metrics of every pod, and only that port'],
      ['missing-default-deny', 'Namespace kube-system', 'kube-system is managed by the cluster provider, not by this app'],
      ['missing-default-deny', 'Namespace kube-system', 'kube-system is managed by the cluster provider, not by this app'],
      ['missing-default-deny', 'Namespace lab', 'new namespace: the platform\'s BaselineDefaultDeny closes it until its team writes policies'],
      ['missing-default-deny', 'Namespace lab', 'new namespace: the platform\'s BaselineDefaultDeny closes it until its team writes policies'],
    ]);
  });
});

import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { Yaml } from 'cdk8s';
import { buildApp } from '../../examples/production-cluster/app';
import { buildCiliumApp } from '../../examples/production-cluster-cilium/app';
import { Analyzer, Linter, ReachabilityDiff, Severity } from '../../src';
import { parseExpectations } from '../../src/analysis/expectations-file';
import { assertValidCustomResource } from '../support/crd-schema';

const EXAMPLES = path.join(__dirname, '..', '..', 'examples');
const CLUSTER = path.join(EXAMPLES, 'production-cluster', 'cluster');
const outdir = (name: string) => fs.mkdtempSync(path.join(os.tmpdir(), `netpol-${name}-`));

describe('examples/production-cluster-cilium', () => {
  // Built without the synth-time checks: this suite checks the output, the proof and the lint report itself.
  const app = buildCiliumApp({ outdir: outdir('cilium') }, { checks: false });
  const byChart = Object.fromEntries(app.charts.map((chart) => [chart.node.id, chart.toJson()]));
  const objects = Object.values(byChart).flat();
  const policies = objects.filter((o) => o.kind === 'CiliumNetworkPolicy');

  test('every policy is a CiliumNetworkPolicy that matches Cilium\'s CRD schema; none is a v1 NetworkPolicy', () => {
    expect(policies.length).toBe(23);
    expect(objects.filter((o) => o.kind === 'NetworkPolicy')).toEqual([]);
    policies.forEach(assertValidCustomResource);
  });

  test('the policies of the production chart are pinned', () => {
    expect(Yaml.stringify(...byChart.production.filter((o: any) => o.kind === 'CiliumNetworkPolicy'))).toMatchSnapshot();
  });

  test('Stripe by name, L7 on the API, the API server for the controller', () => {
    const named = (name: string) => policies.find((p) => p.metadata.namespace === 'production' && p.metadata.name === name);
    expect(named('api-server-to-processor').spec.egress[0]).toEqual({
      toFQDNs: [{ matchName: 'api.stripe.com' }],
      toPorts: [{ ports: [{ port: '443', protocol: 'TCP' }] }],
    });
    expect(named('api-server-to-processor').spec.egress[1].toPorts[0].rules).toEqual({ dns: [{ matchName: 'api.stripe.com' }] });
    expect(named('api-server-from-frontend').spec.ingress[0].toPorts[0].rules).toEqual({
      http: [{ method: 'GET', path: '/api/.*' }, { method: 'POST', path: '/api/orders' }],
    });
    expect(named('autoscaler-to-apiserver').spec.egress).toEqual([
      { toEntities: ['kube-apiserver'], toPorts: [{ ports: [{ port: '443', protocol: 'TCP' }, { port: '6443', protocol: 'TCP' }] }] },
    ]);
  });

  test('lints without an error or a warning: the acknowledgements of the v1 example hold, and each baseline default deny is an info', () => {
    app.synth();
    const report = Linter.lint(Analyzer.fromFiles([app.outdir, CLUSTER]));
    expect(report.findings.filter((f) => f.severity !== Severity.INFO)).toEqual([]);
    expect(report.findings.map((f) => `${f.ruleId} ${f.object}`)).toEqual(['ingress-nginx', 'monitoring', 'payments', 'production']
      .map((ns) => `cilium-empty-rule CiliumNetworkPolicy ${ns}/baseline-default-deny`));
    expect(report.acknowledged.map((f) => `${f.ruleId} ${f.object}`).sort()).toEqual([
      'allow-all-rule CiliumNetworkPolicy ingress-nginx/controller-from-internet',
      'missing-default-deny Namespace kube-system',
      'missing-default-deny Namespace kube-system',
    ]);
  });

  test('every expectation of its expectations file holds', () => {
    app.synth();
    const analyzer = Analyzer.fromFiles([app.outdir, CLUSTER]);
    const text = fs.readFileSync(path.join(EXAMPLES, 'production-cluster-cilium', 'expectations.yaml'), 'utf8');
    const report = analyzer.verify(parseExpectations(text, 'expectations.yaml').map((e) => e.expectation));
    expect(report.results.filter((r) => !r.ok).map((r) => `${r.from} -> ${r.to} ${r.protocol} ${r.port}`)).toEqual([]);
    expect(report.results.filter((r) => r.ok && !r.actual).length).toBe(15);
    expect(report.results.length).toBe(30);
  });

  test('beside the v1 example, the exact difference is Stripe by name: the API server no longer reaches any public address', () => {
    const v1 = buildApp({ outdir: outdir('v1') }, { checks: false });
    v1.synth();
    app.synth();
    const diff = ReachabilityDiff.between(Analyzer.fromFiles([v1.outdir, CLUSTER]), Analyzer.fromFiles([app.outdir, CLUSTER]));
    // the autoscaler is new: it resolves names (its other allowance, the API server, is not an endpoint of the model)
    expect(diff.newlyAllowed.map((c) => `${c.from} -> ${c.to}: ${c.newlyAllowed} (${c.fromChange ?? ''}${c.toChange ?? ''})`)).toEqual([
      'production/autoscaler -> kube-system/coredns: TCP 53, UDP 53 (added)',
    ]);
    expect(diff.newlyDenied.map((c) => `${c.from} -> ${c.to}: ${c.newlyDenied}`)).toEqual([
      'production/api-server -> ip:0.0.0.0-9.255.255.255: TCP 443',
      'production/api-server -> ip:11.0.0.0-100.63.255.255: TCP 443',
      'production/api-server -> ip:100.128.0.0-169.253.255.255: TCP 443',
      'production/api-server -> ip:169.255.0.0-172.15.255.255: TCP 443',
      'production/api-server -> ip:172.32.0.0-192.167.255.255: TCP 443',
      'production/api-server -> ip:192.169.0.0-255.255.255.255: TCP 443',
    ]);
  });
});

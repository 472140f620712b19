import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { Yaml } from 'cdk8s';
import { acknowledgedInFixedOrder, EXAMPLE_ACKNOWLEDGEMENTS } from './example-acknowledgements';
import { buildApp } from '../../examples/production-cluster/app';
import { summarizePolicies } from '../../examples/summarize-policies';
import { Analyzer, Linter, NetpolChecks } from '../../src';
import { assertValidNetworkPolicy } from '../support/synth';

describe('examples/production-cluster', () => {
  const app = buildApp({ outdir: fs.mkdtempSync(path.join(os.tmpdir(), 'netpol-example-')) });
  const byChart = Object.fromEntries(app.charts.map((chart) => [chart.node.id, chart.toJson()]));
  const policies = Object.values(byChart).flat().filter((o) => o.kind === 'NetworkPolicy');

  test.each(Object.keys(byChart))('the synthesized YAML of %s is pinned', (chart) => {
    expect(Yaml.stringify(...byChart[chart])).toMatchSnapshot();
  });

  test('every NetworkPolicy matches the Kubernetes schema', () => {
    expect(policies.length).toBe(22);
    for (const policy of policies) {
      expect(() => assertValidNetworkPolicy(policy)).not.toThrow();
    }
  });

  test('every namespace has a default-deny both ways and DNS on UDP and TCP 53', () => {
    for (const namespace of ['ingress-nginx', 'production', 'payments', 'monitoring']) {
      const inNamespace = policies.filter((p) => p.metadata.namespace === namespace);
      const deny = inNamespace.find((p) => p.metadata.name === 'baseline-default-deny');
      expect(deny.spec).toEqual({ podSelector: {}, policyTypes: ['Ingress', 'Egress'] });
      const dns = inNamespace.find((p) => p.metadata.name === 'baseline-allow-dns');
      expect(dns.spec.egress[0].ports).toEqual([{ port: 53, protocol: 'UDP' }, { port: 53, protocol: 'TCP' }]);
    }
  });

  test('every call is allowed on both sides', () => {
    // [client namespace, client app, server namespace, server app, port]
    const calls: Array<[string, string, string, string, number]> = [
      ['ingress-nginx', 'ingress-nginx-controller', 'production', 'frontend', 8080],
      ['production', 'frontend', 'production', 'api-server', 8080],
      ['production', 'api-server', 'production', 'postgres', 5432],
      ['production', 'api-server', 'payments', 'payments', 8443],
    ];
    for (const [clientNs, client, serverNs, server, port] of calls) {
      const egress = policies.filter((p) => p.metadata.namespace === clientNs && p.spec.podSelector.matchLabels?.app === client)
        .flatMap((p) => p.spec.egress ?? []);
      const ingress = policies.filter((p) => p.metadata.namespace === serverNs && p.spec.podSelector.matchLabels?.app === server)
        .flatMap((p) => p.spec.ingress ?? []);
      expect(egress.some((r) => r.ports?.some((x: any) => x.port === port) && r.to.some((t: any) => t.podSelector?.matchLabels?.app === server)))
        .toBe(true);
      expect(ingress.some((r) => r.ports?.some((x: any) => x.port === port) && r.from.some((f: any) => f.podSelector?.matchLabels?.app === client)))
        .toBe(true);
    }
  });

  test('the summary names every policy and rule', () => {
    const summary = summarizePolicies(Object.values(byChart).flat());
    expect(summary).toMatch(/^production\/api-server-from-frontend: pods app=api-server; isolates Ingress\n {4}allow in {3}from pods app=frontend on TCP\/8080$/m);
    expect(summary).toMatch(/ingress-nginx\/controller-from-internet: .*\n {4}allow in {3}from anyone on TCP\/80, TCP\/443/);
    expect(summary).toMatch(/22 NetworkPolicies in 4 namespaces\.$/);
  });

  test('lints clean with the cluster context: no open finding, and each acknowledgement says why', () => {
    // app.synth() runs the synth-time checks (failOn: warning) and writes the manifests lint reads.
    app.synth();
    const report = Linter.lint(Analyzer.fromFiles([app.outdir, path.join(__dirname, '..', '..', 'examples', 'production-cluster', 'cluster')]));
    expect(report.findings).toEqual([]);
    expect(acknowledgedInFixedOrder(report)).toEqual(EXAMPLE_ACKNOWLEDGEMENTS);
  });

  test('the synth-time checks of the app fail on warnings, and see only the acknowledged one', () => {
    const report = NetpolChecks.of(app).report();
    expect(report.findings).toEqual([]);
    expect(report.acknowledged.map((f) => f.ruleId)).toEqual(['allow-all-rule']);
  });
});

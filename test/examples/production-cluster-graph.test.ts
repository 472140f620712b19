import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { Yaml } from 'cdk8s';
import { acknowledgedInFixedOrder, EXAMPLE_ACKNOWLEDGEMENTS } from './example-acknowledgements';
import { buildApp } from '../../examples/production-cluster/app';
import { buildGraphApp } from '../../examples/production-cluster-graph/app';
import { Analyzer, Linter, NetpolChecks, ReachabilityDiff } from '../../src';
import { parseExpectations, readExpectationsFile } from '../../src/analysis/expectations-file';
import { netpolMatchers } from '../../src/jest';
import { assertValidNetworkPolicy } from '../support/synth';

expect.extend(netpolMatchers);

const EXAMPLES = path.join(__dirname, '..', '..', 'examples');
/** What the cluster runs and neither app deploys: kube-dns (as the Deployment coredns). */
const CLUSTER = path.join(EXAMPLES, 'production-cluster', 'cluster');
const outdir = (name: string) => fs.mkdtempSync(path.join(os.tmpdir(), `netpol-${name}-`));

describe('examples/production-cluster-graph', () => {
  const { app, graph } = buildGraphApp({ outdir: outdir('graph-example') });
  // app.synth() runs the synth-time checks (failOn: warning) and writes the manifests the analyzer reads.
  app.synth();
  const byChart = Object.fromEntries(app.charts.map((chart) => [chart.node.id, chart.toJson()]));
  const policies = Object.values(byChart).flat().filter((o) => o.kind === 'NetworkPolicy');

  const single = buildApp({ outdir: outdir('example') });
  single.synth();
  const singleByChart = Object.fromEntries(single.charts.map((chart) => [chart.node.id, chart.toJson()]));

  test('the graph writes the policies of production and payments: pinned', () => {
    expect(Yaml.stringify(...byChart['service-graph'])).toMatchSnapshot();
    expect(byChart['service-graph'].map((p) => `${p.metadata.namespace}/${p.metadata.name}`)).toEqual([
      'production/graph-default-deny',
      'production/graph-allow-dns',
      'payments/graph-default-deny',
      'payments/graph-allow-dns',
      'production/graph-frontend-from-ingress-nginx',
      'production/graph-frontend-to-api-server',
      'production/graph-api-server-from-frontend',
      'production/graph-api-server-to-postgres',
      'production/graph-api-server-to-payments',
      'production/graph-api-server-to-internet',
      'production/graph-postgres-from-api-server',
      'payments/graph-payments-from-api-server',
      'payments/graph-payments-from-prometheus',
    ]);
  });

  test('the same cluster: the platform charts are those of the single-construct version, production and payments its Deployments', () => {
    for (const chart of ['namespaces', 'ingress-nginx', 'monitoring']) {
      expect(byChart[chart]).toEqual(singleByChart[chart]);
    }
    for (const chart of ['production', 'payments']) {
      expect(byChart[chart]).toEqual(singleByChart[chart].filter((o) => o.kind !== 'NetworkPolicy'));
    }
  });

  test('every NetworkPolicy matches the Kubernetes schema', () => {
    expect(policies.length).toBe(21);
    for (const policy of policies) {
      expect(() => assertValidNetworkPolicy(policy)).not.toThrow();
    }
  });

  test('the graph allows exactly its declared calls', () => {
    expect(graph).toAllowExactlyTheDeclaredCalls();
    expect(graph.calls.map((c) => `${c.client.endpoint} -> ${c.server.endpoint} ${c.ports.join(',')}`)).toEqual([
      'ingress-nginx/ingress-nginx-controller -> production/frontend TCP/8080',
      'production/frontend -> production/api-server TCP/8080',
      'production/api-server -> production/postgres TCP/5432',
      'production/api-server -> payments/payments TCP/8443',
      'monitoring/prometheus -> payments/payments TCP/9090',
    ]);
  });

  test('the expectations file the app writes holds with the cluster context, as `npx projen example` verifies it', () => {
    const file = graph.expectationsFile();
    const expectations = parseExpectations(file, 'expectations.generated.yaml').map((e) => e.expectation);
    // DNS is named after the cluster's Deployment coredns (the dnsWorkloadName default).
    expect(expectations).toEqual(graph.expectations().map((e) => ({ ...e, protocol: e.protocol ?? 'TCP' })));
    // 4 services of production and payments x 19 probes: the 12 call probes (TCP 5431-5433, 8079-8081,
    // 8442-8444, 9089-9091), TCP 52-55 and UDP 52-54; allowed on UDP and TCP 53 only.
    const dns = expectations.filter((e) => e.to === 'kube-system/coredns');
    expect(dns).toHaveLength(4 * 19);
    expect(dns.filter((e) => e.allowed).map((e) => `${e.from} ${e.protocol}/${e.port}`)).toEqual([
      'production/frontend TCP/53', 'production/frontend UDP/53',
      'production/api-server TCP/53', 'production/api-server UDP/53',
      'production/postgres TCP/53', 'production/postgres UDP/53',
      'payments/payments TCP/53', 'payments/payments UDP/53',
    ]);
    const report = Analyzer.fromFiles([app.outdir, CLUSTER]).verify(expectations);
    expect(report.results.filter((r) => !r.ok)).toEqual([]);
    // Pairs: 6 services, 36 ordered pairs, less the 4 between ingress-nginx and prometheus (both foreign):
    // 32 x the 12 call probes = 384. DNS: 76. External: 4 owned services x 13 addresses (3 internet probes,
    // 5 excepts x (first address, first past it)) x 15 probes (the 12 call probes, TCP 442-444) = 780.
    // Total 384 + 76 + 780 = 1240.
    expect(report.passed).toBe(1240);
  });

  test("the single-construct version's expectations.yaml holds on the graph version", () => {
    const expectations = readExpectationsFile(path.join(EXAMPLES, 'production-cluster', 'expectations.yaml')).map((e) => e.expectation);
    const report = Analyzer.fromFiles([app.outdir, CLUSTER]).verify(expectations);
    expect(report.results.filter((r) => !r.ok)).toEqual([]);
    expect(report.passed).toBe(22);
  });

  test('both versions allow the same flows, but for the same-namespace traffic of payments', () => {
    const diff = ReachabilityDiff.between(Analyzer.fromFiles([single.outdir, CLUSTER]), Analyzer.fromFiles([app.outdir, CLUSTER]));
    // Every pair of the 7 workloads (kube-dns included) on every port of every protocol, and each workload with every
    // range of outside addresses: IPv4 split at ExternalHttps' 0.0.0.0/0 and its 5 excepts (11 ranges), and IPv6 (2, around
    // the IPv4-mapped block, whose addresses are IPv4's).
    expect(diff.endpointsCompared).toBe(7);
    expect(diff.addressRangesCompared).toBe(13);

    // The graph allows nothing the single-construct version does not.
    expect(diff.newlyAllowed).toEqual([]);
    // The single-construct version leaves `allowSameNamespace` on in payments (NamespaceBaseline's default): its
    // pods may connect to each other on every port of every protocol. The graph allows only declared calls, and
    // payments calls no payments pod, so the replicas of payments now reach each other on nothing. (In production
    // both versions deny same-namespace traffic but for the calls; in ingress-nginx and monitoring both use the same
    // charts; api-server's HTTPS to the internet is the same ExternalHttps in both.)
    expect(diff.changes.map((c) => `${c.from} -> ${c.to}: ${c.before} -> ${c.after} (newly denied: ${c.newlyDenied})`)).toEqual([
      'payments/payments -> payments/payments: all connections -> nothing (newly denied: all connections)',
    ]);
  });

  test('lints clean with the cluster context: no open finding, and the same acknowledgements as the single-construct version', () => {
    const report = Linter.lint(Analyzer.fromFiles([app.outdir, CLUSTER]));
    expect(report.findings).toEqual([]);
    expect(acknowledgedInFixedOrder(report)).toEqual(EXAMPLE_ACKNOWLEDGEMENTS);
  });

  test('the synth-time checks of the app fail on warnings, and see only the acknowledged one', () => {
    const report = NetpolChecks.of(app).report();
    expect(report.findings).toEqual([]);
    expect(report.acknowledged.map((f) => f.ruleId)).toEqual(['allow-all-rule']);
  });
});

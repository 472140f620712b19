import * as path from 'path';
import { dedent, expectBadInput, ROOT, run, useWorkspace } from './cli-harness';
import { expectGolden } from '../support/golden';

/** The fixture, relative to the repository root (where jest runs), so outputs name files the same on every machine. */
const SHOP = path.relative(process.cwd(), path.join(ROOT, 'test', 'fixtures', 'lint', 'shop'));
/** Cilium policies with the traps the Cilium rules find. */
const CILIUM = path.relative(process.cwd(), path.join(ROOT, 'test', 'fixtures', 'lint', 'cilium'));

/** SARIF without what changes with each release. */
function stableSarif(stdout: string): string {
  return stdout
    .replace(/"fullName": "cdk8s-netpol lint [^"]*"/, '"fullName": "cdk8s-netpol lint (version)"')
    .replace(/"version": "[^"]*",\n(\s*)"informationUri"/, '"version": "(version)",\n$1"informationUri"');
}
const workspace = useWorkspace();

describe('cdk8s-netpol lint', () => {
  test('text: open findings with their fixes, then a summary; exit 1 on an error', () => {
    const result = run('lint', SHOP);
    expect(result.status).toBe(1);
    expect(result.stderr).toBe('');
    expectGolden('lint/shop.txt', result.stdout);
  });

  test('the text names file:line, severity, rule, object and field for each finding', () => {
    const { stdout } = run('lint', SHOP);
    expect(stdout).toContain(`${SHOP}/policies.yaml:29: error metadata-endpoint-reachable: NetworkPolicy shop/web-egress spec.egress[1].to[0].ipBlock: `);
    expect(stdout).toContain(`${SHOP}/workloads.yaml:14: error dns-egress-blocked: Deployment shop/api cannot reach cluster DNS`);
    expect(stdout).toMatch(/^3 errors, \d+ warnings, 1 acknowledged \(4 pods and workloads, 7 NetworkPolicies in 3 namespaces, from 3 files\)\.$/m);
  });

  test('acknowledged findings are counted, not listed, unless --show-acknowledged', () => {
    expect(run('lint', SHOP).stdout).not.toContain('web is the public entry point');
    expect(run('lint', SHOP, '--show-acknowledged').stdout).toContain(
      'warning allow-all-rule: NetworkPolicy shop/web-from-anywhere spec.ingress[0]: spec.ingress[0] has no from',
    );
    expect(run('lint', SHOP, '--show-acknowledged').stdout).toContain('(acknowledged: web is the public entry point)');
  });

  test('json: findings, acknowledged findings and a summary', () => {
    const result = run('lint', SHOP, '--format', 'json');
    expect(result.status).toBe(1);
    expectGolden('lint/shop.json', result.stdout);
    const document = JSON.parse(result.stdout);
    expect(document.summary).toEqual({ errors: 3, warnings: document.findings.length - 3, info: 0, acknowledged: 1, failOn: 'error', failed: true });
    expect(document.acknowledged.map((f: any) => [f.ruleId, f.object, f.acknowledgedBecause]))
      .toEqual([['allow-all-rule', 'NetworkPolicy shop/web-from-anywhere', 'web is the public entry point']]);
  });

  test('sarif: the rule catalogue, results with file and line, acknowledged findings as suppressed results', () => {
    const result = run('lint', SHOP, '--format', 'sarif');
    expect(result.status).toBe(1);
    expectGolden('lint/shop.sarif', result.stdout
      .replace(/"fullName": "cdk8s-netpol lint [^"]*"/, '"fullName": "cdk8s-netpol lint (version)"')
      .replace(/"version": "[^"]*",\n(\s*)"informationUri"/, '"version": "(version)",\n$1"informationUri"'));
    const sarif = JSON.parse(result.stdout);
    expect(sarif.version).toBe('2.1.0');
    const [runs] = sarif.runs;
    expect(runs.tool.driver.rules.map((r: any) => r.id)).toContain('dns-egress-blocked');
    const metadata = runs.results.find((r: any) => r.ruleId === 'metadata-endpoint-reachable');
    expect(metadata.level).toBe('error');
    expect(metadata.locations[0].physicalLocation).toEqual({ artifactLocation: { uri: `${SHOP}/policies.yaml`.split(path.sep).join('/') }, region: { startLine: 29 } });
    expect(runs.tool.driver.rules[metadata.ruleIndex].id).toBe('metadata-endpoint-reachable');
    const suppressed = runs.results.filter((r: any) => r.suppressions);
    expect(suppressed.map((r: any) => [r.ruleId, r.suppressions])).toEqual([['allow-all-rule', [{ kind: 'inSource', justification: 'web is the public entry point' }]]]);
  });

  test('sarif: what Azure DevOps code scanning requires: automationDetails.id, driver fullName, a name for every rule', () => {
    const sarif = JSON.parse(run('lint', SHOP, '--format', 'sarif').stdout);
    const [runs] = sarif.runs;
    expect(runs.automationDetails).toEqual({ id: 'cdk8s-netpol/lint/' });
    expect(runs.tool.driver.fullName).toBe(`cdk8s-netpol lint ${runs.tool.driver.version}`);
    const names = runs.tool.driver.rules.map((r: any) => [r.id, r.name]);
    expect(names).toContainEqual(['dns-egress-blocked', 'DnsEgressBlocked']);
    expect(names.filter(([, name]: string[]) => !/^[A-Z][A-Za-z0-9]+$/.test(name ?? ''))).toEqual([]);
    expect(new Set(names.map(([, name]: string[]) => name)).size).toBe(names.length);
  });

  test('--fail-on: error ignores warnings; warning fails on them', () => {
    const warningsOnly = workspace.write('warnings-only.yaml', dedent(`
      apiVersion: apps/v1
      kind: Deployment
      metadata: { name: web, namespace: open }
      spec:
        selector: { matchLabels: { app: web } }
        template:
          metadata: { labels: { app: web } }
          spec: { containers: [{ name: web, image: web }] }
    `));
    const lenient = run('lint', warningsOnly);
    expect(lenient.status).toBe(0);
    expect(lenient.stdout).toContain('warning missing-default-deny: Namespace open');
    expect(lenient.stdout).toMatch(/^0 errors, 2 warnings \(/m);
    expect(run('lint', warningsOnly, '--fail-on', 'warning').status).toBe(1);
    expect(run('lint', warningsOnly, '--fail-on', 'error').status).toBe(0);
  });

  test('--cni: findings for what the CNI does not enforce, with a version when given', () => {
    const ranges = workspace.write('ranges.yaml', dedent(`
      apiVersion: networking.k8s.io/v1
      kind: NetworkPolicy
      metadata: { name: players, namespace: games }
      spec:
        podSelector: {}
        ingress:
          - ports: [{ protocol: UDP, port: 7000, endPort: 7100 }]
    `));
    const ruleIds = (...args: string[]) => JSON.parse(run('lint', ranges, '--format', 'json', ...args).stdout).findings.map((f: any) => f.ruleId);
    expect(ruleIds()).not.toContain('end-port-ignored');
    expect(ruleIds('--cni', 'cilium')).not.toContain('end-port-ignored');
    expect(ruleIds('--cni', 'Cilium@1.15')).toContain('end-port-ignored');
    expect(ruleIds('--cni', 'flannel')).toContain('cni-unsupported-feature');
  });

  test('--pod-cidr: a networks peer overlapping the pod network matches pods; repeated or with commas; a bad CIDR is bad input', () => {
    const guard = workspace.write('guard.yaml', dedent(`
      apiVersion: policy.networking.k8s.io/v1alpha2
      kind: ClusterNetworkPolicy
      metadata: { name: private }
      spec:
        tier: Admin
        priority: 40
        subject: { namespaces: {} }
        egress:
          - { action: Deny, to: [{ networks: [10.0.0.0/8, "fd00::/8"] }] }
    `));
    const fields = (...args: string[]) => JSON.parse(run('lint', guard, '--format', 'json', ...args).stdout).findings
      .filter((f: any) => f.ruleId === 'network-peer-matches-pods').map((f: any) => f.field).sort();
    expect(fields()).toEqual([]);
    expect(fields('--pod-cidr', '10.244.0.0/16')).toEqual(['spec.egress[0].to[0].networks[0]']);
    const both = ['spec.egress[0].to[0].networks[0]', 'spec.egress[0].to[0].networks[1]'];
    expect(fields('--pod-cidr', '10.244.0.0/16', '--pod-cidr', 'fd00:10:244::/56')).toEqual(both);
    expect(fields('--pod-cidr', '10.244.0.0/16,fd00:10:244::/56')).toEqual(both);
    expectBadInput(run('lint', guard, '--pod-cidr', '10.244.0.0'), 'cdk8s-netpol lint: --pod-cidr "10.244.0.0": the CIDR mask is missing: did you mean "10.244.0.0/32"?');
  });

  test('a clean set of manifests: exit 0 and a summary only', () => {
    const clean = workspace.write('clean.yaml', dedent(`
      apiVersion: v1
      kind: ConfigMap
      metadata: { name: settings, namespace: shop }
    `));
    const result = run('lint', clean);
    expect(result).toEqual({ status: 0, stderr: '', stdout: '0 errors, 0 warnings (0 pods and workloads, 0 NetworkPolicies in 0 namespaces, from 1 file; other kinds ignored: 1 ConfigMap).\n' });
  });

  test('--help shows the options and the acknowledgement annotation', () => {
    const result = run('lint', '--help');
    expect(result.status).toBe(0);
    expect(result.stdout).toContain('--fail-on <severity>');
    expect(result.stdout).toContain('acknowledge.cdk8s-netpol.io/allow-all-rule');
  });

  test.each([
    [['--format', 'xml'], '--format must be text or json or sarif, got "xml"'],
    [['--fail-on', 'info'], '--fail-on "info" is not a severity; use error or warning. Run'],
    [['--cni', 'calicoo'], '--cni "calicoo" is not a CNI this tool knows; use one of calico,'],
    [['--cni', 'cilium@1@2'], '--cni must be <name> or <name>@<version> (e.g. cilium@1.15), got "cilium@1@2". Run'],
    [['--cni', 'cilium@latest'], 'Invalid CNI version "latest": write numbers and dots, e.g. 1.15 or v3.18.2. Run'],
    [['--scraper', 'monitoring'], '--scraper must be <namespace>/<key>=<value>'],
    [['--scraper', 'monitoring/app'], '--scraper must be <namespace>/<key>=<value>'],
  ])('bad option %j', (args, message) => {
    expectBadInput(run('lint', SHOP, ...args), `cdk8s-netpol lint: ${message}`);
  });

  test('a scraper label the API server would reject is bad input', () => {
    expectBadInput(run('lint', SHOP, '--scraper', 'monitoring/app=not valid'), 'Invalid metrics scraper: label app=not valid');
  });

  test('no path, or an unreadable one, is bad input', () => {
    expectBadInput(run('lint'), 'cdk8s-netpol lint: give at least one manifest file or folder');
    expectBadInput(run('lint', 'no/such/dir'), 'Cannot read "no/such/dir"');
  });

  test('a custom scraper is checked instead of Prometheus in monitoring', () => {
    const findings = (...args: string[]) => JSON.parse(run('lint', SHOP, '--format', 'json', ...args).stdout).findings
      .filter((f: any) => f.ruleId === 'metrics-unreachable').map((f: any) => f.message);
    expect(findings()[0]).toContain('the scraper (pods app.kubernetes.io/name=prometheus in namespace monitoring');
    expect(findings('--scraper', 'observability/app=vmagent')[0]).toContain('pods app=vmagent in namespace observability');
  });
});

describe('cdk8s-netpol lint: Cilium policies', () => {
  test.each([['text', 'txt'], ['json', 'json'], ['sarif', 'sarif']])('--format %s', (format, extension) => {
    const result = run('lint', CILIUM, '--format', format);
    expect(result.status).toBe(1);
    // The analyzer's own warnings go to stderr, one line each; DNS names and L7 rules are evaluated now, so they warn of nothing.
    expect(result.stderr.split('\n').filter((line) => line !== '' && !line.startsWith('warning: '))).toEqual([]);
    expect(result.stderr).not.toMatch(/HTTP rules|DNS-name peers|toFQDNs/);
    expectGolden(`lint/cilium.${extension}`, format === 'sarif' ? stableSarif(result.stdout) : result.stdout);
  });

  test('every Cilium rule has its finding, an info is counted apart and never fails; the acknowledged one is counted', () => {
    const document = JSON.parse(run('lint', CILIUM, '--format', 'json').stdout);
    const ids = new Set(document.findings.map((f: any) => f.ruleId));
    for (const id of ['dns-name-without-dns-rule', 'http-rule-moot', 'deny-only-isolates', 'cilium-ports-without-peers', 'cilium-empty-rule', 'dns-egress-blocked']) {
      expect({ id, found: ids.has(id) }).toEqual({ id, found: true });
    }
    expect(document.summary.info).toBe(document.findings.filter((f: any) => f.severity === 'info').length);
    expect(document.acknowledged.map((f: any) => [f.ruleId, f.object])).toEqual([['cilium-empty-rule', 'CiliumNetworkPolicy shop/default-deny-ingress']]);
    const sarif = JSON.parse(run('lint', CILIUM, '--format', 'sarif').stdout);
    const info = sarif.runs[0].results.find((r: any) => r.ruleId === 'cilium-empty-rule' && !r.suppressions);
    expect(info.level).toBe('note');
    expect(run('lint', CILIUM).stdout).toMatch(/^\d+ errors?, \d+ warnings?, 1 info, 1 acknowledged \(/m);
  });

  test('--cni with another CNI: each Cilium policy is an error; --cni cilium@1.15 flags what 1.15 reads differently', () => {
    const findings = (...args: string[]) => JSON.parse(run('lint', CILIUM, '--format', 'json', ...args).stdout).findings
      .filter((f: any) => f.ruleId === 'cni-unsupported-feature');
    expect(findings('--cni', 'calico').map((f: any) => f.object)).toEqual([
      'CiliumNetworkPolicy shop/payments-egress', 'CiliumNetworkPolicy shop/api-ingress', 'CiliumNetworkPolicy shop/no-metadata',
      'CiliumNetworkPolicy shop/default-deny-ingress', 'CiliumNetworkPolicy shop/metrics', 'CiliumNetworkPolicy shop/legacy-allow-all',
    ]);
    expect(findings('--cni', 'cilium')).toEqual([]);
  });
});

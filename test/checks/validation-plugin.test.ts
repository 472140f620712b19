import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import * as lib from '../../src';
import { Analyzer, IValidationContext, IValidationReport, NetpolValidation, NetpolValidationProps, ValidationViolation } from '../../src';
import { Linter } from '../../src/lint/linter';
import { thrown } from '../support/thrown';

/** A report that behaves like cdk8s-cli's ValidationReport, keeping what it was given. */
class FakeReport implements IValidationReport {
  public readonly violations: ValidationViolation[] = [];
  public status?: string;
  public metadata?: { [key: string]: string };

  public addViolation(violation: ValidationViolation): void {
    if (this.status !== undefined) {
      throw new Error('Violations cannot be added to report after its submitted');
    }
    this.violations.push(violation);
  }

  public submit(status: string, metadata?: { [key: string]: string }): void {
    if (status !== 'success' && status !== 'failure') throw new Error(`invalid status ${status}`);
    this.status = status;
    this.metadata = metadata;
  }
}

interface FakeContext extends IValidationContext {
  readonly report: FakeReport;
  readonly logs: string[];
}

function contextFor(manifests: string[]): FakeContext {
  const logs: string[] = [];
  return { manifests, pkg: 'cdk8s-netpol', version: '0.0.0', report: new FakeReport(), logger: { log: (m: string) => logs.push(m) }, logs };
}

/** Loads the plugin the way cdk8s-cli does: `require(package)[class]`, `new Class(properties ?? {})`. */
function loadPlugin(properties?: unknown): NetpolValidation {
  const Class = (lib as Record<string, any>).NetpolValidation;
  const instance = new Class(properties ?? {});
  expect(typeof instance.validate).toBe('function');
  return instance;
}

const NAMESPACE_AND_API = `apiVersion: v1
kind: Namespace
metadata:
  name: shop
---
apiVersion: apps/v1
kind: Deployment
metadata:
  name: api
  namespace: shop
spec:
  selector:
    matchLabels:
      app: api
  template:
    metadata:
      labels:
        app: api
    spec:
      containers:
        - name: api
          image: api
`;

/** An egress policy for the api pods to `cidr` on 443. */
function egressPolicy(name: string, cidr: string, annotations = ''): string {
  return `---
apiVersion: networking.k8s.io/v1
kind: NetworkPolicy
metadata:
  name: ${name}
  namespace: shop${annotations}
spec:
  podSelector:
    matchLabels:
      app: api
  policyTypes: [Egress]
  egress:
    - to:
        - ipBlock:
            cidr: ${cidr}
      ports:
        - port: 443
          protocol: TCP
`;
}

let dir: string;
beforeEach(() => {
  dir = fs.mkdtempSync(path.join(os.tmpdir(), 'netpol-validation-'));
});
afterEach(() => {
  fs.rmSync(dir, { recursive: true, force: true });
});

function write(name: string, text: string): string {
  const file = path.join(dir, name);
  fs.writeFileSync(file, text);
  return file;
}

/** shop.k8s.yaml: the namespace, the api and `egress` to 0.0.0.0/0; more.k8s.yaml: `wide` to ::/0 and an acknowledged `proxy`. */
function twoManifests(): { shop: string; more: string } {
  const shop = write('shop.k8s.yaml', NAMESPACE_AND_API + egressPolicy('egress', '0.0.0.0/0'));
  const more = write('more.k8s.yaml', egressPolicy('wide', '::/0')
    + egressPolicy('proxy', '0.0.0.0/0', '\n  annotations:\n    acknowledge.cdk8s-netpol.io/metadata-endpoint-reachable: the egress proxy'));
  return { shop, more };
}

async function run(manifests: string[], props?: NetpolValidationProps): Promise<FakeContext> {
  const context = contextFor(manifests);
  await loadPlugin(props).validate(context);
  return context;
}

describe('NetpolValidation.validate', () => {
  test('adds one violation per rule, with one resource per finding, and fails on an error', async () => {
    const { shop, more } = twoManifests();

    const context = await run([shop, more]);

    const ruleNames = context.report.violations.map((v) => v.ruleName);
    expect(new Set(ruleNames).size).toBe(ruleNames.length);
    const catalogue = Linter.rules.map((r) => r.id);
    expect([...ruleNames].sort((a, b) => catalogue.indexOf(a) - catalogue.indexOf(b))).toEqual(ruleNames);

    const rule = Linter.rules.find((r) => r.id === 'metadata-endpoint-reachable')!;
    const violation = context.report.violations.find((v) => v.ruleName === 'metadata-endpoint-reachable')!;
    expect(violation.recommendation).toBe(`[error] ${rule.summary}`);
    expect(violation.fix).toBe(rule.fix);
    expect(violation.violatingResources).toEqual([
      {
        resourceName: 'wide',
        manifestPath: more,
        locations: ['NetworkPolicy shop/wide spec.egress[0].to[0].ipBlock (line 15): spec.egress[0] allows egress to ipBlock ::/0, which includes IPv6 link-local fe80::/10. '
          + 'Fix: Add "fe80::/10" to the except list of ::/0.'],
      },
      {
        resourceName: 'wide',
        manifestPath: more,
        locations: ['NetworkPolicy shop/wide spec.egress[0].to[0].ipBlock (line 15): spec.egress[0] allows egress to ipBlock ::/0, '
          + 'which includes the AWS IPv6 metadata endpoint fd00:ec2::254. Fix: Add "fd00:ec2::254/128" to the except list of ::/0.'],
      },
      {
        resourceName: 'egress',
        manifestPath: shop,
        locations: ['NetworkPolicy shop/egress spec.egress[0].to[0].ipBlock (line 37): spec.egress[0] allows egress to ipBlock 0.0.0.0/0, '
          + 'which includes link-local 169.254.0.0/16 (cloud metadata endpoints such as 169.254.169.254). Fix: Add "169.254.0.0/16" to the except list of 0.0.0.0/0.'],
      },
    ]);

    const expected = Linter.lint(Analyzer.fromFiles([shop, more]));
    expect(context.report.status).toBe('failure');
    expect(context.report.metadata).toEqual({
      manifests: '2',
      findings: `${expected.findings.length}`,
      errors: `${expected.errorCount}`,
      warnings: `${expected.warningCount}`,
      acknowledged: '1',
      failOn: 'error',
    });
    expect(context.report.violations.flatMap((v) => v.violatingResources)).toHaveLength(expected.findings.length);
    expect(context.logs).toContain(`cdk8s-netpol: ${expected.errorCount} errors, ${expected.warningCount} warning${expected.warningCount === 1 ? '' : 's'}`
      + ' and 1 acknowledged finding in 2 manifests; failOn error: failure.');
  });

  test('warnings fail with failOn warning only', async () => {
    const shop = write('shop.k8s.yaml', NAMESPACE_AND_API);

    const lenient = await run([shop]);
    const strict = await run([shop], { failOn: 'warning' });

    // missing-default-deny: a namespace of workloads without default-deny is a warning.
    const violation = lenient.report.violations.find((v) => v.ruleName === 'missing-default-deny');
    expect(violation?.recommendation).toMatch(/^\[warning\] /);
    expect(violation?.violatingResources.length).toBeGreaterThan(0);
    expect(new Set(violation?.violatingResources.map((r) => `${r.resourceName} ${r.manifestPath}`))).toEqual(new Set([`shop ${shop}`]));
    expect(lenient.report.metadata?.errors).toBe('0');
    expect(lenient.report.status).toBe('success');
    expect(strict.report.status).toBe('failure');
    expect(strict.report.metadata?.failOn).toBe('warning');
    expect(strict.report.violations).toEqual(lenient.report.violations);
  });

  test('a finding about a namespace without a Namespace object names no resource and no manifest', async () => {
    const api = write('api.k8s.yaml', NAMESPACE_AND_API.split('---\n')[1]);

    const context = await run([api]);

    const resources = context.report.violations.find((v) => v.ruleName === 'missing-default-deny')?.violatingResources;
    expect(resources?.length).toBeGreaterThan(0);
    expect(new Set(resources?.map((r) => `${r.resourceName} ${r.manifestPath}`))).toEqual(new Set(['Namespace shop N/A']));
    expect(resources?.[0].locations[0]).toMatch(/^Namespace shop has no default-deny for (ingress|egress) /);
  });

  test('acknowledged findings are no violation and do not fail', async () => {
    // GIVEN the proxy policy (whose pods are not in the manifests, so it is judged for the pods it selects), with DNS allowed
    const allowDns = `---
apiVersion: networking.k8s.io/v1
kind: NetworkPolicy
metadata:
  name: allow-dns
  namespace: shop
spec:
  podSelector: {}
  policyTypes: [Egress]
  egress:
    - to:
        - namespaceSelector: {}
          podSelector:
            matchLabels:
              k8s-app: kube-dns
      ports:
        - { port: 53, protocol: UDP }
        - { port: 53, protocol: TCP }
`;
    const shop = write('shop.k8s.yaml', egressPolicy('proxy', '0.0.0.0/0',
      '\n  annotations:\n    acknowledge.cdk8s-netpol.io/metadata-endpoint-reachable: the egress proxy') + allowDns);

    const context = await run([shop], { cni: 'Canal' });

    expect(context.report.violations.map((v) => v.ruleName)).not.toContain('metadata-endpoint-reachable');
    expect(context.report.metadata).toMatchObject({ acknowledged: '1', errors: '0', cni: 'calico' });
    expect(context.report.status).toBe('success');
  });

  test('manifests it cannot analyze give one invalid-manifests violation naming the file, and a failure', async () => {
    const good = write('good.k8s.yaml', NAMESPACE_AND_API);
    const bad = write('bad.k8s.yaml', egressPolicy('broken', '10.0.0.0/33'));

    const context = await run([good, bad]);

    expect(context.report.violations).toHaveLength(1);
    const [violation] = context.report.violations;
    expect(violation.ruleName).toBe('invalid-manifests');
    expect(violation.recommendation).toMatch(/^\[error\] The synthesized manifests cannot be analyzed: .*bad\.k8s\.yaml/s);
    expect(violation.violatingResources).toHaveLength(1);
    expect(violation.violatingResources[0].manifestPath).toBe(bad);
    expect(violation.violatingResources[0].locations[0]).toContain('"10.0.0.0/33"');
    expect(context.report.status).toBe('failure');
    expect(context.report.metadata?.error).toBe('the manifests cannot be analyzed');
    expect(context.logs[0]).toMatch(/^cdk8s-netpol: cannot analyze the manifests: /);
  });

  test('unparseable YAML is reported the same way', async () => {
    const bad = write('bad.k8s.yaml', 'kind: [unclosed\n');

    const context = await run([bad]);

    expect(context.report.violations.map((v) => [v.ruleName, v.violatingResources[0].manifestPath])).toEqual([['invalid-manifests', bad]]);
    expect(context.report.status).toBe('failure');
  });

  test('no manifests: nothing to check, success', async () => {
    const context = await run([]);

    expect(context.report.violations).toEqual([]);
    expect(context.report.status).toBe('success');
    expect(context.logs).toEqual(['cdk8s-netpol: no manifests to check.']);
  });
});

describe('NetpolValidation: the CNI version reaches the linter', () => {
  /** A policy for the api pods with the port range 7000-7100 (endPort), which Cilium before 1.16 ignores. */
  const RANGE = `---
apiVersion: networking.k8s.io/v1
kind: NetworkPolicy
metadata:
  name: range
  namespace: shop
spec:
  podSelector:
    matchLabels:
      app: api
  policyTypes: [Ingress]
  ingress:
    - ports:
        - port: 7000
          endPort: 7100
          protocol: TCP
`;

  test.each([
    [{ cni: 'cilium', cniVersion: '1.15' }],
    [{ cni: 'cilium@1.15' }],
  ])('%j: an older release\'s gap is reported', async (props) => {
    const manifests = [write('shop.k8s.yaml', NAMESPACE_AND_API + RANGE)];
    const context = await run(manifests, props);
    expect(context.report.violations.map((v) => v.ruleName)).toContain('end-port-ignored');
    expect(context.report.metadata).toMatchObject({ cni: 'cilium', cniVersion: '1.15' });
  });

  test('without a version (or with one that fixed it) it is not', async () => {
    const manifests = [write('shop.k8s.yaml', NAMESPACE_AND_API + RANGE)];
    expect((await run(manifests, { cni: 'cilium' })).report.violations.map((v) => v.ruleName)).not.toContain('end-port-ignored');
    expect((await run(manifests, { cni: 'cilium', cniVersion: '1.16' })).report.violations.map((v) => v.ruleName)).not.toContain('end-port-ignored');
  });

  test('a bad version, or one without a CNI, fails when the plugin is loaded', () => {
    expect(thrown(() => loadPlugin({ cni: 'cilium', cniVersion: 'latest' })))
      .toBe('NetpolValidation (cdk8s.yaml validations properties): Invalid CNI version "latest": write numbers and dots, e.g. 1.15 or v3.18.2.');
    expect(thrown(() => loadPlugin({ cniVersion: '1.15' })))
      .toBe('NetpolValidation (cdk8s.yaml validations properties): A CNI version ("1.15") was given without a CNI: give cni too.');
  });
});

describe('NetpolValidation properties', () => {
  test('failOn must be error or warning', () => {
    expect(thrown(() => loadPlugin({ failOn: 'fatal' })))
      .toBe('NetpolValidation (cdk8s.yaml validations properties): failOn "fatal" is not a severity; use error or warning.');
  });

  test('cni must be a known CNI name or alias', () => {
    expect(thrown(() => loadPlugin({ cni: 'calicoo' })))
      .toMatch(/^NetpolValidation \(cdk8s\.yaml validations properties\): cni "calicoo" is not a CNI this tool knows; use one of calico, cilium, .*ovn-kubernetes, kube-network-policies \(see docs\/cni\.md\)\.$/);
    expect(thrown(() => loadPlugin({ cni: 3 }))).toMatch(/: cni 3 is not a CNI this tool knows/);
  });

  test('unknown properties are rejected rather than ignored', () => {
    expect(thrown(() => loadPlugin({ failon: 'warning' })))
      .toBe('NetpolValidation (cdk8s.yaml validations properties): unknown property failon; the properties are failOn, cni, cniVersion, scraper, podCidrs.');
  });

  test('the scraper is checked as the linter checks it', () => {
    expect(thrown(() => loadPlugin({ scraper: 'monitoring' })))
      .toMatch(/: scraper must be <namespace>\/<key>=<value>\[,<key>=<value>\], e\.g\. monitoring\/app\.kubernetes\.io\/name=prometheus; got "monitoring"\.$/);
    expect(thrown(() => loadPlugin({ scraper: { namespace: 'monitoring', labels: {} } })))
      .toMatch(/\): Invalid metrics scraper: labels: give at least one label/);
  });

  test('no properties at all means the defaults', async () => {
    const shop = write('shop.k8s.yaml', NAMESPACE_AND_API);
    const context = contextFor([shop]);

    await new NetpolValidation().validate(context);

    expect(context.report.metadata?.failOn).toBe('error');
    expect(loadPlugin(null)).toBeInstanceOf(NetpolValidation);
  });
});

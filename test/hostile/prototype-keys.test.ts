/**
 * User text that names a property of Object.prototype (`constructor`,
 * `__proto__`, `toString`, `hasOwnProperty`) is text like any other: no
 * "internal error", no inherited property leaking into a message.
 */
import { Analyzer } from '../../src/analysis/analyzer';
import { dedent, expectBadInput, run, useWorkspace } from '../cli/cli-harness';

const workspace = useWorkspace();
const NAMES = ['constructor', '__proto__', 'toString', 'hasOwnProperty', 'valueOf'];
let counter = 0;

describe('command names', () => {
  test.each(NAMES)('cdk8s-netpol %s is an unknown command', (name) => {
    expectBadInput(run(name), `cdk8s-netpol: unknown command "${name}"; the commands are verify, explain, lint, matrix, graph, diff, list. Run "cdk8s-netpol --help" for usage.`);
  });

  test.each(NAMES)('cdk8s-netpol help %s shows the main help', (name) => {
    const result = run('help', name);
    expect(result.status).toBe(0);
    expect(result.stdout).toMatch(/^Usage: cdk8s-netpol <command>/);
  });
});

describe('kinds and label keys', () => {
  const objects = (kind: string) => dedent(`
    apiVersion: v1
    kind: ${kind}
    metadata: { name: odd, namespace: shop }
    spec: { template: { spec: { containers: [] } } }
    ---
    apiVersion: v1
    kind: Pod
    metadata: { name: web, namespace: shop, labels: { app: web } }
    spec: { containers: [{ name: c, image: c, ports: [{ containerPort: 80 }] }] }
  `);

  test.each(NAMES)('kind: %s is an ignored kind', (kind) => {
    const file = workspace.write(`kinds-${++counter}/m.yaml`, objects(kind));
    const analyzer = Analyzer.fromFiles([file]);
    expect(analyzer.endpoints.map((e) => e.name)).toEqual(['shop/web']);
    expect(analyzer.ignoredKinds).toEqual({ [kind]: 1 });
    expect(Object.getPrototypeOf(analyzer.ignoredKinds)).toBe(null);
    const result = run('lint', file);
    expect(result.stderr).toBe('');
    expect(result.stdout).toContain(`other kinds ignored: 1 ${kind}`);
    for (const command of ['matrix', 'graph']) {
      expect(run(command, file).stderr).toBe('');
    }
  });

  test('a selector on a label key named like an Object property matches only pods carrying it', () => {
    const file = workspace.write(`labels-${++counter}/m.yaml`, dedent(`
      apiVersion: v1
      kind: Pod
      metadata: { name: web, namespace: shop, labels: { app: web } }
      spec: { containers: [{ name: c, image: c, ports: [{ containerPort: 80 }] }] }
      ---
      apiVersion: networking.k8s.io/v1
      kind: NetworkPolicy
      metadata: { name: web, namespace: shop }
      spec:
        podSelector: {}
        ingress:
          - from: [{ podSelector: { matchExpressions: [{ key: constructor, operator: Exists }] } }]
          - from: [{ podSelector: { matchLabels: { toString: x } } }]
    `));
    const result = run('lint', file);
    expect(result.stdout).not.toMatch(/native code|function/);
    expect(result.stdout).toContain('selector-matches-nothing');
    const analyzer = Analyzer.fromFiles([file]);
    expect(analyzer.isAllowed({ from: 'shop/web', to: 'shop/web', port: 80 })).toBe(true);
    expect(analyzer.explain({ from: 'shop/web', to: 'shop/web', port: 80 }).allowed).toBe(true);
  });

  test('--scraper with such a label key', () => {
    const file = workspace.write(`scraper-${++counter}/m.yaml`, objects('Pod'));
    const result = run('lint', file, '--scraper', 'monitoring/constructor=x');
    expect(result.stdout).not.toMatch(/native code|function/);
    expect(result.status).not.toBe(2);
    // `__proto__` is a key like any other, and not a valid label key: not silently dropped.
    expectBadInput(run('lint', file, '--scraper', 'monitoring/__proto__=x'), 'Invalid metrics scraper: label __proto__=x');
  });

  test('an endpoint named like an Object property is unknown, not an internal error', () => {
    const file = workspace.write(`endpoints-${++counter}/m.yaml`, objects('Pod'));
    for (const name of NAMES) {
      expectBadInput(run('explain', file, '--from', `shop/${name}`, '--to', 'shop/web', '--port', '80'), `Unknown endpoint "shop/${name}"`);
      expectBadInput(run('explain', file, '--from', `${name}/web`, '--to', 'shop/web', '--port', '80'), `Unknown endpoint "${name}/web"`);
      expectBadInput(run('explain', file, '--from', `shop/${name}/web`, '--to', 'shop/web', '--port', '80'), `Unknown endpoint "shop/${name}/web"`);
    }
  });
});

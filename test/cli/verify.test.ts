import * as fs from 'fs';
import * as path from 'path';
import { parse } from 'yaml';
import { AMBIGUOUS_CACHE, dedent, expectBadInput, ROOT, run, useWorkspace, writeShop } from './cli-harness';
import { buildApp } from '../../examples/production-cluster/app';

/** A Pod, five lines long. */
const SHOP_POD = 'apiVersion: v1\nkind: Pod\nmetadata: { name: a, namespace: shop }\nspec:\n  containers: [{ name: a, image: a }]\n';

const RESULT_KEYS = ['from', 'to', 'port', 'protocol', 'expected', 'actual', 'ok', 'reason'];

const workspace = useWorkspace();
const shop = writeShop(workspace, 'shop');
const file = (relative: string) => path.join(shop, relative);

/** Expectations that hold for the shop cluster (see cli-harness.ts). */
const HOLDING = [
  { from: 'shop/web', to: 'shop/api', port: 8080, allowed: true },
  { from: 'shop/api', to: 'data/db', port: 5432, allowed: true },
  { from: 'shop/web', to: 'data/db', port: 5432, allowed: false },
  { from: 'shop/web', to: 'ip:203.0.113.7', port: 443, allowed: true },
  { from: 'shop/web', to: 'ip:10.1.2.3', port: 443, allowed: false },
  { from: 'ip:203.0.113.7', to: 'shop/web', port: 8080, allowed: false },
  { from: 'shop/web', to: 'shop/api', port: 8080, protocol: 'UDP', allowed: false },
  { from: 'shop/web', to: 'ip:2001:db8::1', port: 443, allowed: false },
];
const holding = workspace.expectations('holding.yaml', HOLDING);
const SHOP_SUMMARY = '3 pods and workloads, 5 NetworkPolicies in 2 namespaces, from 5 files';

/** The shop expectations with entries 2 and 5 (lines 4 and 7) wrong. */
const failing = workspace.expectations('failing.yaml', HOLDING.map((e, i) => (i === 2 || i === 5 ? { ...e, allowed: !e.allowed } : e)));

function verifyJson(paths: string[], expectations: string): { status: number; report: any } {
  const result = run('verify', ...paths, '--expect', expectations, '--format', 'json');
  expect(result.stderr).toBe('');
  return { status: result.status, report: JSON.parse(result.stdout) };
}

describe('verify: outcomes and formats', () => {
  test('every expectation holds: exit 0, and the text output is the summary alone', () => {
    const result = run('verify', shop, '--expect', holding);
    expect(result).toEqual({
      status: 0,
      stdout: `OK: 8 passed, 0 failed, of 8 expectations (${SHOP_SUMMARY}).\n`,
      stderr: '',
    });
  });

  test('--format text is the default', () => {
    expect(run('verify', shop, '--expect', holding, '--format', 'text')).toEqual(run('verify', shop, '--expect', holding));
  });

  test('an expectation that does not hold: exit 1, one line per failure naming the flow and why, then the counts', () => {
    const result = run('verify', shop, '--expect', failing);
    expect(result.status).toBe(1);
    expect(result.stderr).toBe('');
    const lines = result.stdout.trimEnd().split('\n');
    expect(lines).toHaveLength(3);
    expect(lines[0]).toMatch(/^FAIL /);
    expect(lines[0]).toContain(`${failing}:4: shop/web -> data/db TCP 5432 should be allowed but is denied: `);
    expect(lines[0]).toContain('shop/default-deny');
    expect(lines[0]).toContain('shop/web-egress');
    expect(lines[1]).toContain(`${failing}:7: ip:203.0.113.7 -> shop/web TCP 8080 should be allowed but is denied: `);
    expect(lines[2]).toBe(`FAILED: 6 passed, 2 failed, of 8 expectations (${SHOP_SUMMARY}).`);
  });

  test('--format json: every result with the contract keys, and the counts', () => {
    const { status, report } = verifyJson([shop], failing);
    expect(status).toBe(1);
    expect(Object.keys(report)).toEqual(expect.arrayContaining(['results', 'passed', 'failed']));
    expect(report.passed).toBe(6);
    expect(report.failed).toBe(2);
    expect(report.results).toHaveLength(HOLDING.length);
    for (const r of report.results) {
      expect(Object.keys(r)).toEqual(expect.arrayContaining(RESULT_KEYS));
      expect(typeof r.reason).toBe('string');
    }
    const pick = (r: any) => Object.fromEntries(RESULT_KEYS.filter((k) => k !== 'reason').map((k) => [k, r[k]]));
    expect(report.results.map(pick)).toEqual([
      { from: 'shop/web', to: 'shop/api', port: 8080, protocol: 'TCP', expected: true, actual: true, ok: true },
      { from: 'shop/api', to: 'data/db', port: 5432, protocol: 'TCP', expected: true, actual: true, ok: true },
      { from: 'shop/web', to: 'data/db', port: 5432, protocol: 'TCP', expected: true, actual: false, ok: false },
      { from: 'shop/web', to: 'ip:203.0.113.7', port: 443, protocol: 'TCP', expected: true, actual: true, ok: true },
      { from: 'shop/web', to: 'ip:10.1.2.3', port: 443, protocol: 'TCP', expected: false, actual: false, ok: true },
      { from: 'ip:203.0.113.7', to: 'shop/web', port: 8080, protocol: 'TCP', expected: true, actual: false, ok: false },
      { from: 'shop/web', to: 'shop/api', port: 8080, protocol: 'UDP', expected: false, actual: false, ok: true },
      { from: 'shop/web', to: 'ip:2001:db8::1', port: 443, protocol: 'TCP', expected: false, actual: false, ok: true },
    ]);
    expect(report.results[0].reason).toContain('shop/api-from-web');
    expect(report.results[2].reason).toMatch(/^denied: /);
  });

  test('--format json when everything holds: exit 0, failed 0', () => {
    const { status, report } = verifyJson([shop], holding);
    expect(status).toBe(0);
    expect({ passed: report.passed, failed: report.failed }).toEqual({ passed: 8, failed: 0 });
    expect(report.results.every((r: any) => r.ok === true)).toBe(true);
  });

  test('"expectations: []" only checks that the manifests load: exit 0 in both formats', () => {
    const none = workspace.write('none.yaml', 'expectations: []\n');
    expect(run('verify', shop, '--expect', none)).toEqual({
      status: 0,
      stdout: `OK: 0 passed, 0 failed, of 0 expectations (${SHOP_SUMMARY}).\n`,
      stderr: '',
    });
    expect(verifyJson([shop], none)).toEqual({ status: 0, report: { results: [], passed: 0, failed: 0 } });
  });

  test('"expectations: []" still fails on invalid manifests: exit 2', () => {
    const none = workspace.write('none.yaml', 'expectations: []\n');
    const bad = workspace.write('empty-check/bad.yaml', 'apiVersion: v1\nkind: Pod\nmetadata: { name: Not_A_Name, namespace: shop, labels: { app: 1 } }\n');
    expectBadInput(run('verify', bad, '--expect', none), `${bad}:3: Pod shop/Not_A_Name: metadata.labels.app: 1: a label value must be a string`);
  });
});

describe('verify: reading manifests', () => {
  test('a folder is read recursively for *.yaml, *.yml and *.json, ignoring other files', () => {
    // README.md and apps/notes.txt are not parseable: reading them would be exit 2.
    expect(run('verify', file('README.md'), '--expect', holding).status).toBe(2);
    expect(run('verify', file('apps/notes.txt'), '--expect', holding).status).toBe(2);
    const result = run('verify', shop, '--expect', holding);
    expect(result.status).toBe(0);
    expect(result.stdout).toContain('from 5 files');
  });

  test('files and folders can be mixed, in any number', () => {
    const result = run('verify', file('namespaces.yaml'), file('apps'), file('policies/shop.yaml'), file('policies/data.json'), '--expect', holding);
    expect(result).toEqual({ status: 0, stdout: `OK: 8 passed, 0 failed, of 8 expectations (${SHOP_SUMMARY}).\n`, stderr: '' });
  });

  test('a file is read whatever its extension', () => {
    const copy = workspace.write('any-extension/manifests.txt', fs.readFileSync(file('apps/shop.yaml'), 'utf8'));
    const expect1 = workspace.expectations('any-extension/exp.yaml', [{ from: 'shop/web', to: 'shop/api', port: 8080, allowed: true }]);
    expect(run('verify', copy, '--expect', expect1).status).toBe(0);
  });

  test('multi-document YAML: every document is an object', () => {
    const exp = workspace.expectations('multi-doc.yaml', [
      { from: 'shop/web', to: 'shop/api', port: 8080, allowed: true },
      { from: 'shop/api', to: 'shop/web', port: 1234, allowed: true },
    ]);
    const result = run('verify', file('apps/shop.yaml'), '--expect', exp);
    expect(result.status).toBe(0);
    expect(result.stdout).toContain('(2 pods and workloads, 0 NetworkPolicies in 1 namespace, from 1 file)');
  });

  test('kind: List is flattened into its items', () => {
    const exp = workspace.expectations('list.yaml', [
      { from: 'shop/web', to: 'shop/api', port: 8080, allowed: true },
      { from: 'shop/web', to: 'shop/api', port: 9090, allowed: false },
      { from: 'shop/api', to: 'shop/web', port: 8080, allowed: false },
    ]);
    const result = run('verify', file('apps/shop.yaml'), file('policies/shop.yaml'), '--expect', exp);
    expect(result.status).toBe(0);
    expect(result.stdout).toContain('4 NetworkPolicies in 1 namespace, from 2 files');
  });

  test('a typed PodList whose items have no kind: the items are Pods', () => {
    const exp = workspace.expectations('podlist.yaml', [
      { from: 'ip:203.0.113.7', to: 'data/db', port: 5432, allowed: true },
      { from: 'ip:203.0.113.7', to: 'data/pod/db', port: 5432, allowed: true },
    ]);
    const result = run('verify', file('apps/data/pods.yml'), '--expect', exp);
    expect(result).toEqual({ status: 0, stdout: expect.stringContaining('(1 pod or workload, 0 NetworkPolicies in 1 namespace, from 1 file)'), stderr: '' });
  });

  test('a JSON manifest', () => {
    const exp = workspace.expectations('json.yaml', [
      { from: 'ip:203.0.113.7', to: 'data/db', port: 5432, allowed: false },
    ]);
    const result = run('verify', file('apps/data/pods.yml'), file('policies/data.json'), '--expect', exp);
    expect(result.status).toBe(0);
    expect(result.stdout).toContain('1 NetworkPolicy in 1 namespace, from 2 files');
  });
});

describe('verify: endpoints', () => {
  const ambiguous = workspace.write('ambiguous/cluster.yaml', AMBIGUOUS_CACHE);

  test('<namespace>/<name> naming a Pod and a Deployment: exit 2, with the candidates and the line', () => {
    const exp = workspace.expectations('ambiguous/exp.yaml', [
      { from: 'ip:203.0.113.7', to: 'shop/cache', port: 6379, allowed: true },
    ]);
    expectBadInput(run('verify', ambiguous, '--expect', exp),
      `${exp}:2:`, '"shop/cache" is ambiguous', 'shop/pod/cache', 'shop/deployment/cache');
  });

  test('<namespace>/<kind>/<name> resolves it, the kind in any case', () => {
    const exp = workspace.expectations('ambiguous/by-kind.yaml', [
      { from: 'ip:203.0.113.7', to: 'shop/pod/cache', port: 6379, allowed: false },
      { from: 'ip:203.0.113.7', to: 'shop/Pod/cache', port: 6379, allowed: false },
      { from: 'ip:203.0.113.7', to: 'shop/POD/cache', port: 6379, allowed: false },
      { from: 'ip:203.0.113.7', to: 'shop/deployment/cache', port: 6379, allowed: true },
      { from: 'ip:203.0.113.7', to: 'shop/Deployment/cache', port: 6379, allowed: true },
      { from: 'ip:203.0.113.7', to: 'shop/dePLOYment/cache', port: 6379, allowed: true },
    ]);
    const result = run('verify', ambiguous, '--expect', exp, '--format', 'json');
    expect(result.status).toBe(0);
    expect(JSON.parse(result.stdout)).toMatchObject({ passed: 6, failed: 0 });
  });

  test('an unknown endpoint: exit 2, with the expectation\'s line and the close match', () => {
    const exp = workspace.expectations('unknown.yaml', [
      { from: 'shop/web', to: 'shop/api', port: 8080, allowed: true },
      { from: 'shop/web', to: 'shop/apii', port: 8080, allowed: true },
    ]);
    expectBadInput(run('verify', shop, '--expect', exp),
      `${exp}:3:`, 'Unknown endpoint "shop/apii"', 'Did you mean shop/api?');
  });

  test('an unknown namespace: exit 2, naming the known namespaces', () => {
    const exp = workspace.expectations('unknown-ns.yaml', [{ from: 'shopp/web', to: 'shop/api', port: 8080, allowed: true }]);
    expectBadInput(run('verify', shop, '--expect', exp), `${exp}:2:`, 'Unknown endpoint "shopp/web"', 'no such namespace', 'data, shop', 'shop/web');
  });

  test('a kind that does not match: exit 2, with the close match', () => {
    const exp = workspace.expectations('unknown-kind.yaml', [{ from: 'shop/statefulset/web', to: 'shop/api', port: 8080, allowed: true }]);
    expectBadInput(run('verify', shop, '--expect', exp), `${exp}:2:`, 'Unknown endpoint "shop/statefulset/web"', 'shop/web');
  });

  test('an ip: to ip: flow: exit 2, NetworkPolicy governs flows from or to a pod', () => {
    const exp = workspace.expectations('ip-to-ip.yaml', [{ from: 'ip:203.0.113.7', to: 'ip:2001:db8::1', port: 443, allowed: false }]);
    expectBadInput(run('verify', shop, '--expect', exp), `${exp}:2:`, 'ip:203.0.113.7 -> ip:2001:db8::1', 'between two addresses outside the cluster');
  });

  test('an ip: endpoint that is not an address: exit 2', () => {
    const exp = workspace.expectations('bad-ip.yaml', [{ from: 'ip:10.0.0.0/8', to: 'shop/web', port: 443, allowed: false }]);
    expectBadInput(run('verify', shop, '--expect', exp), `${exp}:2:`, '"ip:10.0.0.0/8" is not an address');
  });
});

describe('verify: bad manifests (exit 2)', () => {
  test('a manifest path that does not exist', () => {
    const missing = workspace.path('no/such/file.yaml');
    expectBadInput(run('verify', missing, '--expect', holding), `Cannot read "${missing}": no such file or folder.`);
  });

  test('a folder without manifests', () => {
    workspace.write('no-manifests/README.md', '# nothing here\n');
    const folder = workspace.path('no-manifests');
    expectBadInput(run('verify', folder, '--expect', holding), `The folder "${folder}" holds no *.yaml, *.yml or *.json files.`);
  });

  test('unparseable YAML: the file and the line, also in a later document', () => {
    const bad = workspace.write('unparseable/bad.yaml', dedent(`
      apiVersion: v1
      kind: Pod
      metadata: { name: a, namespace: shop }
      ---
      apiVersion: v1
      kind: Pod
      metadata:
        name: b
        labels: { app: b }}
    `));
    expectBadInput(run('verify', bad, '--expect', holding), `Cannot parse ${bad}:9:`);
  });

  test('unparseable JSON: the file and the line', () => {
    // A missing comma after "Pod": reported where the next member starts.
    const bad = workspace.write('unparseable/bad.json', '{\n  "apiVersion": "v1",\n  "kind": "Pod"\n  "metadata": { "name": "a" }\n}\n');
    expectBadInput(run('verify', bad, '--expect', holding), `Cannot parse ${bad}:4:3:`);
  });

  test('an unparseable file inside a folder is named', () => {
    workspace.write('unparseable-folder/good.yaml', SHOP_POD);
    const bad = workspace.write('unparseable-folder/deep/er/bad.yml', 'kind: Pod\nmetadata: [\n');
    expectBadInput(run('verify', workspace.path('unparseable-folder'), '--expect', holding), `Cannot parse ${bad}:`);
  });

  test('an alias to an unknown anchor: the file and the document line, not an internal error', () => {
    const bad = workspace.write('aliases/unknown.yaml', 'apiVersion: v1\nkind: Pod\nmetadata: { name: ok, namespace: shop }\n---\nkind: Pod\nmetadata: &m { name: a }\nspec: *x\n');
    expectBadInput(run('verify', bad, '--expect', holding), `Cannot parse ${bad}:5: Unresolved alias`);
  });

  test('an alias bomb is refused with the file, not expanded', () => {
    const levels = ['a: &a [x, x, x, x, x, x, x, x, x, x]'];
    for (let i = 1; i < 8; i++) levels.push(`${String.fromCharCode(97 + i)}: &${String.fromCharCode(97 + i)} [${Array(10).fill(`*${String.fromCharCode(96 + i)}`).join(', ')}]`);
    const bad = workspace.write('aliases/bomb.yaml', `kind: ConfigMap\nmetadata: { name: lol }\ndata:\n${levels.map((l) => `  ${l}`).join('\n')}\n`);
    expectBadInput(run('verify', bad, '--expect', holding), `Cannot parse ${bad}:1: Excessive alias count`);
  });

  test('a file given twice (itself and through its folder) is read once', () => {
    const twice = workspace.write('twice/pod.yaml', SHOP_POD);
    const none = workspace.expectations('none.yaml', []);
    const result = run('verify', workspace.path('twice'), twice, '--expect', none);
    expect(result.stderr).toBe('');
    expect(result.status).toBe(0);
  });

  /** A NetworkPolicy whose `spec.ingress` holds `rule`; the rule starts on line 9. */
  const policyWith = (rule: string) => dedent(`
    apiVersion: networking.k8s.io/v1
    kind: NetworkPolicy
    metadata:
      name: np
      namespace: shop
    spec:
      podSelector: {}
      ingress:
  `) + rule;

  test.each([
    ['a bad CIDR', '    - from:\n        - ipBlock: { cidr: 10.0.0.0/33 }\n',
      10, 'spec.ingress[0].from[0].ipBlock.cidr: "10.0.0.0/33": ', /prefix length/],
    ['an except outside its CIDR', '    - from:\n        - ipBlock:\n            cidr: 10.0.0.0/8\n            except: [192.168.0.0/16]\n',
      12, 'spec.ingress[0].from[0].ipBlock.except[0]: "192.168.0.0/16": ', /strict subset/],
    ['endPort with a named port', '    - ports:\n        - { port: http, endPort: 8090 }\n',
      10, 'spec.ingress[0].ports[0].endPort: 8090: ', /named port/],
    ['the unknown field namespaceSelectors', '    - from:\n        - namespaceSelectors: { matchLabels: { team: a } }\n',
      10, 'spec.ingress[0].from[0].namespaceSelectors: {"matchLabels":{"team":"a"}}: ', /unknown field "namespaceSelectors"; expected one of podSelector, namespaceSelector, ipBlock/],
    ['a lower-case protocol', '    - ports:\n        - port: 53\n          protocol: udp\n',
      11, 'spec.ingress[0].ports[0].protocol: "udp": ', /TCP, UDP or SCTP/],
  ])('an invalid NetworkPolicy, %s: the file, line, object, field and value', (what, rule, line, field, why) => {
    const bad = workspace.write(`invalid-policy/${what.replace(/\W+/g, '-')}.yaml`, policyWith(rule));
    const result = run('verify', bad, '--expect', holding);
    expectBadInput(result, 'Invalid manifests', `${bad}:${line}: NetworkPolicy shop/np: ${field}`, why);
  });

  test('every invalid object is reported at once', () => {
    const bad = workspace.write('invalid-many/policies.yaml', [
      policyWith('    - from:\n        - ipBlock: { cidr: 10.0.0.0/33 }\n'),
      policyWith('    - ports:\n        - { port: http, endPort: 8090 }\n').replace('name: np', 'name: np2'),
    ].join('---\n'));
    expectBadInput(run('verify', bad, '--expect', holding),
      'Invalid manifests (2 problems)', `${bad}:10: NetworkPolicy shop/np: spec.ingress[0].from[0].ipBlock.cidr`,
      `${bad}:21: NetworkPolicy shop/np2: spec.ingress[0].ports[0].endPort`);
  });

  test('the same object twice', () => {
    const twice = workspace.write('twice/pods.yaml', `${SHOP_POD}---\n${SHOP_POD}`);
    expectBadInput(run('verify', twice, '--expect', holding), `${twice}:7: Pod shop/a is defined twice (also at ${twice}:1)`);
  });

  test('bad input is reported the same way with --format json: nothing on stdout', () => {
    const missing = workspace.path('nope.yaml');
    expectBadInput(run('verify', missing, '--expect', holding, '--format', 'json'), missing);
  });
});

describe('verify: bad expectations files (exit 2)', () => {
  const check = (name: string, text: string, ...patterns: Array<string | RegExp>) => {
    const exp = workspace.write(`bad-expectations/${name}.yaml`, text);
    expectBadInput(run('verify', shop, '--expect', exp), ...patterns.map((p) => (typeof p === 'string' ? p.replace('$FILE', exp) : p)));
  };

  test('a file that does not exist', () => {
    const missing = workspace.path('no-such-expectations.yaml');
    expectBadInput(run('verify', shop, '--expect', missing), `Cannot read the expectations file "${missing}": no such file or folder.`);
  });

  test('a folder given as the file', () => {
    expectBadInput(run('verify', shop, '--expect', shop), `Cannot read the expectations file "${shop}"`);
  });

  test('unparseable YAML: the file and the line', () => {
    check('unparseable', dedent(`
      expectations:
        - { from: shop/web, to: shop/api, port: 8080, allowed: true }
        - { from: shop/web, to: shop/api, port: 8080, allowed: true }}
    `), 'Cannot parse the expectations file $FILE:3:');
  });

  test('an unknown key (a typo such as allow:): its line', () => {
    check('unknown-key', dedent(`
      expectations:
        - from: shop/web
          to: shop/api
          port: 8080
          allow: true
    `), '$FILE:5: expectations[0]: unknown key "allow"');
  });

  test('an unknown top-level key', () => {
    check('unknown-top-key', 'expectation: []\n', '$FILE:1: unknown key "expectation"');
  });

  test('a missing allowed: the line of the entry', () => {
    check('missing-allowed', dedent(`
      expectations:
        - { from: shop/web, to: shop/api, port: 8080, allowed: true }
        - from: shop/web
          to: shop/api
          port: 8080
    `), '$FILE:3: expectations[1].allowed: missing');
  });

  test('allowed that is not a boolean', () => {
    check('string-allowed', 'expectations:\n  - { from: shop/web, to: shop/api, port: 8080, allowed: "yes" }\n', '$FILE:2: expectations[0].allowed: "yes"');
  });

  test.each([
    ['70000', '70000'],
    ['0', '0'],
    ['"8080"', '"8080"'],
    ['http', '"http"'],
    ['80.5', '80.5'],
  ])('a bad port, %s: its line and value', (port, shown) => {
    check(`bad-port-${port.replace(/\W/g, '')}`, dedent(`
      expectations:
        - from: shop/web
          to: shop/api
          port: ${port}
          allowed: true
    `), `$FILE:4: expectations[0].port: ${shown}: `);
  });

  test('a missing port', () => {
    check('missing-port', 'expectations:\n  - { from: shop/web, to: shop/api, allowed: true }\n', '$FILE:2: expectations[0].port: missing');
  });

  test.each(['HTTP', 'icmp'])('a bad protocol, %s: its line and value', (protocol) => {
    check(`bad-protocol-${protocol}`, dedent(`
      expectations:
        - from: shop/web
          to: shop/api
          port: 8080
          protocol: ${protocol}
          allowed: true
    `), `$FILE:5: expectations[0].protocol: "${protocol}": use TCP, UDP, SCTP, ICMP, ICMPv6.`);
  });

  test('a missing from', () => {
    check('missing-from', 'expectations:\n  - { to: shop/api, port: 8080, allowed: true }\n', '$FILE:2: expectations[0].from: missing');
  });

  test('not a mapping', () => {
    check('list', '- { from: shop/web, to: shop/api, port: 8080, allowed: true }\n', '$FILE:1: an expectations file is a mapping');
  });
});

describe('verify: usage errors (exit 2)', () => {
  test('--expect is required', () => {
    expectBadInput(run('verify', shop), '--expect is required', 'cdk8s-netpol verify --help');
  });

  test('at least one path', () => {
    expectBadInput(run('verify', '--expect', holding), 'give at least one manifest file or folder');
  });

  test('--format must be text or json', () => {
    expectBadInput(run('verify', shop, '--expect', holding, '--format', 'yaml'), '--format must be text or json, got "yaml"');
  });

  test('an unknown option', () => {
    expectBadInput(run('verify', shop, '--expect', holding, '--expected', holding), "Unknown option '--expected'");
  });
});

describe('verify: the example app', () => {
  const example = path.join(ROOT, 'examples', 'production-cluster');
  const expectationsFile = path.join(example, 'expectations.yaml');
  const outdir = workspace.path('production-cluster');
  beforeAll(() => buildApp({ outdir }).synth());

  test('every expectation of examples/production-cluster holds', () => {
    const entries = parse(fs.readFileSync(expectationsFile, 'utf8')).expectations;
    expect(entries.length).toBeGreaterThan(0);
    const { status, report } = verifyJson([outdir, path.join(example, 'cluster')], expectationsFile);
    expect(report.results.filter((r: any) => !r.ok)).toEqual([]);
    expect(status).toBe(0);
    expect({ passed: report.passed, failed: report.failed }).toEqual({ passed: entries.length, failed: 0 });
  });

  test('in text: the summary alone', () => {
    const result = run('verify', outdir, path.join(example, 'cluster'), '--expect', expectationsFile);
    expect(result.status).toBe(0);
    expect(result.stdout).toMatch(/^OK: (\d+) passed, 0 failed, of \1 expectations \(.* from 6 files\)\.\n$/);
  });
});

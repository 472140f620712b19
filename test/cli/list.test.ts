import * as path from 'path';
import { AMBIGUOUS_CACHE, dedent, expectBadInput, ROOT, run, testFormatsAgainstGolden, useWorkspace, writeShop } from './cli-harness';
import { buildApp } from '../../examples/production-cluster/app';
import { expectGolden } from '../support/golden';

const workspace = useWorkspace();
const shop = writeShop(workspace, 'shop');

const list = (...argv: string[]) => run('list', shop, ...argv);

/** Runs `list --format json` and returns the parsed connections, checking the status and stderr. */
function listJson(...argv: string[]): Array<{ from: string; to: string; allowed: Record<string, number[][]> }> {
  const result = list(...argv, '--format', 'json');
  expect({ status: result.status, stderr: result.stderr }).toEqual({ status: 0, stderr: '' });
  return JSON.parse(result.stdout).connections;
}

/** Writes pod x/a (app=a) and `policy`, a NetworkPolicy of namespace x, to `<folder>/all.yaml`; returns the file. */
function podAWith(folder: string, policy: string): string {
  const pod = 'apiVersion: v1\nkind: Pod\nmetadata: { name: a, namespace: x, labels: { app: a } }\nspec: { containers: [{ name: c, image: busybox }] }\n';
  return workspace.write(`${folder}/all.yaml`, `${pod}---\n${policy}`);
}

/** `from -> to: allowed` for each pair of a text-free comparison. */
const pairsOf = (connections: ReturnType<typeof listJson>) => connections.map((c) => `${c.from} -> ${c.to}: ${JSON.stringify(c.allowed)}`);

const ALL = '{"TCP":[[1,65535]],"UDP":[[1,65535]],"SCTP":[[1,65535]]}';
const EVERY_IPV4 = 'ip:0.0.0.0-255.255.255.255';
// IPv6 in two ranges around the IPv4-mapped block ::ffff:0:0/96, whose addresses are the IPv4 ones.
const IPV6_LOW = 'ip:::-::fffe:ffff:ffff';
const IPV6_HIGH = 'ip:::1:0:0:0-ffff:ffff:ffff:ffff:ffff:ffff:ffff:ffff';

describe('list: the shop, in every format', () => {
  testFormatsAgainstGolden('list/shop', list);

  test('text is the default', () => {
    expect(list()).toEqual(list('--format', 'text'));
  });
});

describe('list: the pairs', () => {
  test('every pair with some allowed connection, exactly, and nothing else', () => {
    expect(pairsOf(listJson())).toEqual([
      // data/db's egress is not isolated: everything, to every address of both families.
      `data/db -> ${EVERY_IPV4}: ${ALL}`,
      `data/db -> ${IPV6_LOW}: ${ALL}`,
      `data/db -> ${IPV6_HIGH}: ${ALL}`,
      // shop/api's egress names 5432; data/db's ingress names "postgres", which is 5432 on data/db.
      'shop/api -> data/db: {"TCP":[[5432,5432]]}',
      // The named port "http" of shop/api's ingress resolves to 8080 on shop/api.
      'shop/web -> shop/api: {"TCP":[[8080,8080]]}',
      // 0.0.0.0/0 except 10.0.0.0/8: the ranges on either side of the except, on 443.
      'shop/web -> ip:0.0.0.0-9.255.255.255: {"TCP":[[443,443]]}',
      'shop/web -> ip:11.0.0.0-255.255.255.255: {"TCP":[[443,443]]}',
    ]);
  });

  test('json: {"connections": [...]}, each [first, last] range on one line', () => {
    const text = list('--format', 'json').stdout;
    expect(Object.keys(JSON.parse(text))).toEqual(['connections']);
    expect(text).toContain('"TCP": [\n          [8080, 8080]\n        ]');
  });

  test('text: each source with its destinations below it, then the summary', () => {
    const lines = list().stdout.split('\n');
    const width = Math.max(EVERY_IPV4.length, IPV6_LOW.length, IPV6_HIGH.length);
    expect(lines.slice(0, 5)).toEqual([
      'data/db',
      ...[EVERY_IPV4, IPV6_LOW, IPV6_HIGH].map((range) => `  -> ${range.padEnd(width)}  all connections`),
      '',
    ]);
    expect(lines[lines.length - 2]).toBe('7 pairs with allowed connections (3 pods and workloads, 5 NetworkPolicies in 2 namespaces, from 5 files).');
  });

  test('csv: from,to,connections, a field with a comma quoted', () => {
    const rows = list('--format', 'csv').stdout.trimEnd().split('\n');
    expect(rows[0]).toBe('from,to,connections');
    expect(rows).toContain('shop/web,shop/api,TCP 8080');
    const dir = podAWith('two-ports', dedent(`
      apiVersion: networking.k8s.io/v1
      kind: NetworkPolicy
      metadata: { name: a, namespace: x }
      spec:
        podSelector: {}
        policyTypes: [Ingress, Egress]
        egress: [{ ports: [{ port: 53, protocol: UDP }, { port: 443 }, { port: 8000, endPort: 8100 }] }]
    `));
    expect(run('list', dir, '--format', 'csv').stdout).toBe([
      'from,to,connections',
      `x/a,${EVERY_IPV4},"TCP 443, 8000-8100, UDP 53"`,
      `x/a,${IPV6_LOW},"TCP 443, 8000-8100, UDP 53"`,
      `x/a,${IPV6_HIGH},"TCP 443, 8000-8100, UDP 53"`,
      '',
    ].join('\n'));
  });

  test('a workload talking to itself (replicas) is listed; a single Pod talking to itself (loopback) is not', () => {
    const dir = workspace.write('self/all.yaml', dedent(`
      apiVersion: apps/v1
      kind: Deployment
      metadata: { name: d, namespace: x }
      spec: { template: { metadata: { labels: { app: d } }, spec: { containers: [{ name: c, image: busybox }] } } }
      ---
      apiVersion: v1
      kind: Pod
      metadata: { name: p, namespace: x, labels: { app: p } }
      spec: { containers: [{ name: c, image: busybox }] }
      ---
      apiVersion: networking.k8s.io/v1
      kind: NetworkPolicy
      metadata: { name: no-outside, namespace: x }
      spec:
        podSelector: {}
        policyTypes: [Egress]
        egress: [{ to: [{ podSelector: {} }] }]
    `));
    const result = run('list', dir, '--format', 'csv');
    expect(result.stdout.trimEnd().split('\n').slice(1)).toEqual([
      'x/d,x/d,all connections',
      'x/d,x/p,all connections',
      'x/p,x/d,all connections',
      `${EVERY_IPV4},x/d,all connections`,
      `${EVERY_IPV4},x/p,all connections`,
      `${IPV6_LOW},x/d,all connections`,
      `${IPV6_LOW},x/p,all connections`,
      `${IPV6_HIGH},x/d,all connections`,
      `${IPV6_HIGH},x/p,all connections`,
    ]);
  });
});

describe('list --focus', () => {
  test('a pod or workload: the pairs from or to it', () => {
    expect(pairsOf(listJson('--focus', 'shop/api'))).toEqual([
      'shop/api -> data/db: {"TCP":[[5432,5432]]}',
      'shop/web -> shop/api: {"TCP":[[8080,8080]]}',
    ]);
    expect(listJson('--focus', 'shop/deployment/api')).toEqual(listJson('--focus', 'shop/api'));
    expect(listJson('--focus', 'shop/Deployment/api')).toEqual(listJson('--focus', 'shop/api'));
  });

  test('the summary counts the pairs shown', () => {
    const lines = list('--focus', 'shop/api').stdout.split('\n');
    expect(lines[lines.length - 2]).toMatch(/^2 pairs with allowed connections \(/);
  });

  test('an address: the ranges that contain it, whichever the direction', () => {
    expect(pairsOf(listJson('--focus', 'ip:10.1.2.3'))).toEqual([`data/db -> ${EVERY_IPV4}: ${ALL}`]);
    expect(pairsOf(listJson('--focus', 'ip:11.0.0.0'))).toEqual([
      `data/db -> ${EVERY_IPV4}: ${ALL}`,
      'shop/web -> ip:11.0.0.0-255.255.255.255: {"TCP":[[443,443]]}',
    ]);
    expect(pairsOf(listJson('--focus', 'ip:2001:db8::1'))).toEqual([`data/db -> ${IPV6_HIGH}: ${ALL}`]);
  });

  test('an address the connections come from', () => {
    const dir = podAWith('incoming', dedent(`
      apiVersion: networking.k8s.io/v1
      kind: NetworkPolicy
      metadata: { name: a, namespace: x }
      spec:
        podSelector: {}
        policyTypes: [Ingress, Egress]
        ingress: [{ from: [{ ipBlock: { cidr: 192.0.2.0/24 } }], ports: [{ port: 8443 }] }]
    `));
    const result = run('list', dir, '--focus', 'ip:192.0.2.200', '--format', 'csv');
    expect(result).toEqual({ status: 0, stdout: 'from,to,connections\nip:192.0.2.0-192.0.2.255,x/a,TCP 8443\n', stderr: '' });
    expect(run('list', dir, '--focus', 'ip:192.0.3.1', '--format', 'csv').stdout).toBe('from,to,connections\n');
  });

  test('an endpoint that allows nothing: an empty list, exit 0', () => {
    const dir = podAWith('isolated', dedent(`
      apiVersion: networking.k8s.io/v1
      kind: NetworkPolicy
      metadata: { name: deny, namespace: x }
      spec: { podSelector: {}, policyTypes: [Ingress, Egress] }
    `));
    expect(run('list', dir, '--focus', 'x/a')).toEqual({
      status: 0,
      stdout: '0 pairs with allowed connections (1 pod or workload, 1 NetworkPolicy in 1 namespace, from 1 file).\n',
      stderr: '',
    });
    expect(run('list', dir, '--format', 'json')).toEqual({ status: 0, stdout: '{\n  "connections": []\n}\n', stderr: '' });
  });

  test('an unknown endpoint: exit 2, with the close matches', () => {
    expectBadInput(list('--focus', 'shop/apii'), 'cdk8s-netpol list: Unknown endpoint "shop/apii": no Pod or workload named "apii" in namespace "shop". Did you mean shop/api');
    expectBadInput(list('--focus', 'nowhere/api'), 'Unknown endpoint "nowhere/api"', '(no such namespace; known: ');
  });

  test('an ambiguous name, something that is not an endpoint, an address with a prefix: exit 2', () => {
    const ambiguous = workspace.write('ambiguous/cache.yaml', AMBIGUOUS_CACHE);
    expectBadInput(run('list', ambiguous, '--focus', 'shop/cache'), '"shop/cache" is ambiguous', 'shop/pod/cache');
    expectBadInput(list('--focus', 'api'), '"api" is not an endpoint');
    expectBadInput(list('--focus', 'ip:10.0.0.0/8'), '"ip:10.0.0.0/8" is not an address');
  });
});

describe('list: empty manifests', () => {
  const policiesOnly = workspace.write('policies-only.yaml', dedent(`
    apiVersion: networking.k8s.io/v1
    kind: NetworkPolicy
    metadata: { name: deny, namespace: solo }
    spec: { podSelector: {}, ingress: [{ ports: [{ port: 80 }] }] }
  `));
  const empty = workspace.write('empty.yaml', '');

  test('no pod or workload: a note, exit 0', () => {
    expect(run('list', policiesOnly)).toEqual({
      status: 0,
      stdout: 'No pod or workload in the manifests: there is no connection to list. (0 pods and workloads, 1 NetworkPolicy in 1 namespace, from 1 file)\n',
      stderr: '',
    });
    expect(run('list', empty, '--format', 'markdown').stdout).toBe('No pod or workload in the manifests: there is no connection to list. (0 pods and workloads, 0 NetworkPolicies in 0 namespaces, from 1 file)\n');
  });

  test('json and csv stay parseable', () => {
    expect(run('list', empty, '--format', 'json')).toEqual({ status: 0, stdout: '{\n  "connections": []\n}\n', stderr: '' });
    expect(run('list', policiesOnly, '--format', 'csv')).toEqual({ status: 0, stdout: 'from,to,connections\n', stderr: '' });
  });

  test('--focus on a name is still checked', () => {
    expectBadInput(run('list', empty, '--focus', 'solo/x'), 'Unknown endpoint "solo/x"');
  });
});

describe('list: bad input (exit 2)', () => {
  test('--format', () => {
    expectBadInput(list('--format', 'html'), 'cdk8s-netpol list: --format must be text or json or csv or markdown, got "html"', 'cdk8s-netpol list --help');
  });

  test('no path', () => {
    expectBadInput(run('list', '--format', 'json'), 'cdk8s-netpol list: give at least one manifest file or folder');
  });

  test('a path that cannot be read', () => {
    expectBadInput(run('list', workspace.path('missing')), 'cdk8s-netpol list: Cannot read', 'missing');
  });

  test('invalid manifests', () => {
    const bad = workspace.write('bad.yaml', 'kind: NetworkPolicy\napiVersion: networking.k8s.io/v1\nmetadata: { name: x }\nspec: { podSelector: 3 }\n');
    expectBadInput(run('list', bad), 'cdk8s-netpol list: Invalid manifests');
  });

  test('an unknown option, --focus without a value', () => {
    expectBadInput(list('--port', '80'), "Unknown option '--port'");
    expectBadInput(list('--focus'), "Option '--focus <value>' argument missing");
  });
});

describe('list --help', () => {
  test('the usage, the options and the exit statuses, exit 0', () => {
    const result = run('list', '--help');
    expect(result.status).toBe(0);
    expect(result.stderr).toBe('');
    expect(result.stdout).toMatch(/^Usage: cdk8s-netpol list <path>\.\.\. \[--focus <endpoint>\]\n/);
    for (const text of ['--focus <endpoint>', '--format <format>', 'ip:<address>', '{"connections": [{"from", "to",', 'Exit status: 0']) expect(result.stdout).toContain(text);
    expect(run('list', '-h')).toEqual(result);
    expect(run('help', 'list')).toEqual(result);
    expect(run('--help').stdout).toContain('\n  list <path>... [--focus <endpoint>]  every pair that may connect, and exactly how\n');
  });
});

describe('list: the example app', () => {
  const example = path.join(ROOT, 'examples', 'production-cluster');
  const outdir = workspace.path('production-cluster');
  beforeAll(() => buildApp({ outdir }).synth());

  // The outputs docs/cli.md shows.
  test('text', () => {
    const result = run('list', outdir, path.join(example, 'cluster'));
    expect({ status: result.status, stderr: result.stderr }).toEqual({ status: 0, stderr: '' });
    expectGolden('list/production-cluster.txt', result.stdout);
  });

  test('--focus production/api-server, json', () => {
    const result = run('list', outdir, path.join(example, 'cluster'), '--focus', 'production/api-server', '--format', 'json');
    expect({ status: result.status, stderr: result.stderr }).toEqual({ status: 0, stderr: '' });
    expectGolden('list/production-cluster-api-server.json', result.stdout);
  });
});

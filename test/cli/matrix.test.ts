import * as path from 'path';
import { dedent, expectBadInput, ROOT, run, testFormatsAgainstGolden, useWorkspace, writeShop } from './cli-harness';
import { buildApp } from '../../examples/production-cluster/app';
import { expectGolden } from '../support/golden';

const workspace = useWorkspace();
const shop = writeShop(workspace, 'shop');

const matrix = (...argv: string[]) => run('matrix', shop, ...argv);

/** Runs `matrix --format json` and returns the parsed report, checking the status and stderr. */
function matrixJson(...argv: string[]): any {
  const result = matrix(...argv, '--format', 'json');
  expect({ status: result.status, stderr: result.stderr }).toEqual({ status: 0, stderr: '' });
  return JSON.parse(result.stdout);
}

describe('matrix: the shop, in every format', () => {
  testFormatsAgainstGolden('matrix/shop', matrix);

  test('text is the default', () => {
    expect(matrix()).toEqual(matrix('--format', 'text'));
  });
});

describe('matrix: exact connections (no --port)', () => {
  test('every pair that allows something, with exactly what it allows, over every port', () => {
    const report = matrixJson();
    expect(report.endpoints).toEqual(['data/db', 'shop/api', 'shop/web']);
    expect(report.connections).toEqual([
      // A single Pod talking to itself is loopback, which NetworkPolicy never restricts.
      { from: 'data/db', to: 'data/db', allowed: { TCP: [[1, 65535]], UDP: [[1, 65535]], SCTP: [[1, 65535]] } },
      // shop/api's egress names 5432; data/db's ingress names the port "postgres", which is 5432 on data/db.
      { from: 'shop/api', to: 'data/db', allowed: { TCP: [[5432, 5432]] } },
      // The named port "http" of shop/api's ingress is its container port 8080.
      { from: 'shop/web', to: 'shop/api', allowed: { TCP: [[8080, 8080]] } },
    ]);
  });

  test('json: each port range on one line', () => {
    expect(matrix('--format', 'json').stdout).toContain('"TCP": [\n          [5432, 5432]\n        ]');
  });

  test('text: a key per distinct set, in the order the sets first appear, listed below the grid', () => {
    const lines = matrix().stdout.split('\n');
    expect(lines.filter((l) => /^ *[A-Z]+ = /.test(l))).toEqual(['A = all connections', 'B = TCP 5432', 'C = TCP 8080']);
    expect(lines).toContain('shop  2 api     B |  . .');
    expect(lines[lines.length - 2]).toBe('3 of 9 pairs allow some connection (3 pods and workloads, 5 NetworkPolicies in 2 namespaces, from 5 files).');
  });

  test('csv: one row per pair, "nothing" where nothing is allowed', () => {
    const rows = matrix('--format', 'csv').stdout.trimEnd().split('\n');
    expect(rows[0]).toBe('from_namespace,from,to_namespace,to,connections');
    expect(rows).toHaveLength(1 + 9);
    expect(rows).toContain('shop,shop/api,data,data/db,TCP 5432');
    expect(rows).toContain('shop,shop/web,data,data/db,nothing');
  });

  test('a port no manifest names shows: an ingress rule of a range, and every port of an unisolated pod', () => {
    const dir = workspace.write('ranges/all.yaml', dedent(`
      apiVersion: v1
      kind: Pod
      metadata: { name: a, namespace: x, labels: { app: a } }
      spec: { containers: [{ name: c, image: busybox }] }
      ---
      apiVersion: v1
      kind: Pod
      metadata: { name: b, namespace: x, labels: { app: b } }
      spec: { containers: [{ name: c, image: busybox }] }
      ---
      apiVersion: networking.k8s.io/v1
      kind: NetworkPolicy
      metadata: { name: b-in, namespace: x }
      spec:
        podSelector: { matchLabels: { app: b } }
        ingress: [{ ports: [{ port: 9000, endPort: 9100 }, { port: 53, protocol: UDP }] }]
    `));
    expect(run('matrix', dir, '--format', 'markdown').stdout.split('\n')).toEqual(expect.arrayContaining([
      '| **x/a** | all connections | TCP 9000-9100, UDP 53 |',
      '| **x/b** | all connections | all connections |',
    ]));
  });

  test('a key of two letters after Z, and every cell as wide as the widest key', () => {
    // 27 pods, each accepting one port of its own from everyone: 27 distinct sets with loopback, 28 keys.
    const pods = Array.from({ length: 27 }, (_, i) => dedent(`
      apiVersion: v1
      kind: Pod
      metadata: { name: p${i}, namespace: many, labels: { app: p${i} } }
      spec: { containers: [{ name: c, image: busybox }] }
      ---
      apiVersion: networking.k8s.io/v1
      kind: NetworkPolicy
      metadata: { name: p${i}-in, namespace: many }
      spec:
        podSelector: { matchLabels: { app: p${i} } }
        ingress: [{ ports: [{ port: ${1000 + i} }] }]
    `)).join('---\n');
    const text = run('matrix', workspace.write('many/all.yaml', pods)).stdout.split('\n');
    const legend = text.filter((l) => /^ *[A-Z]+ = /.test(l));
    // Rows and columns by name (p0, p1, p10, ..., p19, p2, p20, ...): row p0 meets every set but its own port, then row p1 meets it.
    expect(legend).toHaveLength(28);
    expect(legend.slice(0, 3)).toEqual([' A = all connections', ' B = TCP 1001', ' C = TCP 1010']);
    expect(legend.slice(-3)).toEqual([' Z = TCP 1008', 'AA = TCP 1009', 'AB = TCP 1000']);
    // Row p0: loopback, then every other pod's port, each key right-aligned in a cell two wide.
    expect(text.find((l) => l.startsWith('many   1 p0'))).toBe(`many   1 p0   ${[' A', ' B', ...Array.from({ length: 25 }, (_, i) => legend[i + 2].slice(0, 2))].join(' ')}`);
  });
});

describe('matrix: --port', () => {
  test('N/PROTOCOL with the protocol in any case, N alone for TCP, in the order given, each once', () => {
    const ports = matrixJson('--port', '53/udp', '--port', '8080', '--port', '8080/TCP', '--port', '9/Sctp').ports;
    expect(ports.map((p: any) => [p.port, p.protocol])).toEqual([[53, 'UDP'], [8080, 'TCP'], [9, 'SCTP']]);
  });

  test('a port nothing names is shown too: only loopback is allowed on it here', () => {
    expect(matrixJson('--port', '53/UDP').ports[0].allowed).toEqual([['data/db', 'data/db']]);
  });

  test('text: one grid per port, then the summary', () => {
    const lines = matrix('--port', '8080/TCP').stdout.split('\n');
    expect(lines.filter((l) => /^\d+\/[A-Z]+: /.test(l))).toEqual(['8080/TCP: 2 of 9 pairs allowed']);
    expect(lines[lines.length - 2]).toBe('1 port: 2 of 9 pairs allowed (3 pods and workloads, 5 NetworkPolicies in 2 namespaces, from 5 files).');
  });
});

describe('matrix: nothing to show', () => {
  const portless = workspace.write('portless/pod.yaml', dedent(`
    apiVersion: v1
    kind: Pod
    metadata: { name: lonely, namespace: solo }
    spec: { containers: [{ name: c, image: busybox }] }
  `));

  test('no port named anywhere: the exact matrix needs none; with --port, the port shown', () => {
    expect(run('matrix', portless, '--format', 'csv')).toEqual({ status: 0, stdout: 'from_namespace,from,to_namespace,to,connections\nsolo,solo/lonely,solo,solo/lonely,all connections\n', stderr: '' });
    const result = run('matrix', portless, '--port', '80');
    expect(result.status).toBe(0);
    expect(result.stdout).toContain('80/TCP: 1 of 1 pairs allowed');
  });

  test('no pod or workload: a note, exit 0', () => {
    const policiesOnly = workspace.write('policies-only.yaml', dedent(`
      apiVersion: networking.k8s.io/v1
      kind: NetworkPolicy
      metadata: { name: deny, namespace: solo }
      spec: { podSelector: {}, ingress: [{ ports: [{ port: 80 }] }] }
    `));
    const result = run('matrix', policiesOnly);
    expect(result.status).toBe(0);
    expect(result.stdout).toMatch(/^No pod or workload in the manifests: there is no flow to show\. \(0 pods and workloads, 1 NetworkPolicy/);
    expect(run('matrix', policiesOnly, '--port', '80')).toEqual(result);
    // In json and csv the output stays parseable, and the note goes to stderr.
    const json = run('matrix', policiesOnly, '--format', 'json');
    expect(json.status).toBe(0);
    expect(JSON.parse(json.stdout)).toEqual({ endpoints: [], connections: [] });
    expect(json.stderr).toBe('note: No pod or workload in the manifests: there is no flow to show.\n');
    expect(run('matrix', policiesOnly, '--format', 'csv').stdout).toBe('from_namespace,from,to_namespace,to,connections\n');
    expect(JSON.parse(run('matrix', policiesOnly, '--format', 'json', '--port', '80').stdout)).toEqual({ endpoints: [], ports: [{ port: 80, protocol: 'TCP', allowedCount: 0, allowed: [] }] });
  });
});

describe('matrix: bad input (exit 2)', () => {
  test.each([
    ['http'],
    ['0'],
    ['70000/TCP'],
    ['80/ICMP'],
    ['80/'],
    ['/TCP'],
    ['80-90'],
  ])('--port %s', (value) => {
    expectBadInput(matrix('--port', value), 'cdk8s-netpol matrix: --port must be N or N/PROTOCOL', `got "${value}"`, 'cdk8s-netpol matrix --help');
  });

  test('--format', () => {
    expectBadInput(matrix('--format', 'html'), '--format must be text or markdown or csv or json, got "html"');
  });

  test('no path', () => {
    expectBadInput(run('matrix', '--port', '80'), 'cdk8s-netpol matrix: give at least one manifest file or folder');
  });

  test('a path that cannot be read', () => {
    expectBadInput(run('matrix', workspace.path('missing')), 'cdk8s-netpol matrix: Cannot read', 'missing');
  });

  test('an unknown option', () => {
    expectBadInput(matrix('--ports', '80'), "Unknown option '--ports'");
  });
});

describe('matrix --help', () => {
  test('the usage, the options and the exit statuses, exit 0', () => {
    const result = run('matrix', '--help');
    expect(result.status).toBe(0);
    expect(result.stderr).toBe('');
    expect(result.stdout).toMatch(/^Usage: cdk8s-netpol matrix <path>\.\.\. \[--port <n>\[\/<protocol>\]\]\.\.\./);
    for (const text of ['--port <port>', '--format <format>', 'markdown', 'csv', 'json', 'Default: every port, each cell the exact set', 'Exit status: 0']) expect(result.stdout).toContain(text);
    expect(run('matrix', '-h')).toEqual(result);
    expect(run('help', 'matrix')).toEqual(result);
    // --help wins over bad input.
    expect(run('matrix', '--port', 'nope', '--help')).toEqual(result);
  });
});

describe('matrix: the example app', () => {
  const example = path.join(ROOT, 'examples', 'production-cluster');
  const outdir = workspace.path('production-cluster');
  beforeAll(() => buildApp({ outdir }).synth());

  test('text, every connection', () => {
    const result = run('matrix', outdir, path.join(example, 'cluster'));
    expect({ status: result.status, stderr: result.stderr }).toEqual({ status: 0, stderr: '' });
    expectGolden('matrix/production-cluster.txt', result.stdout);
  });

  // The outputs docs/cli.md shows.
  testFormatsAgainstGolden('matrix/production-cluster-two-ports',
    (...argv) => run('matrix', outdir, path.join(example, 'cluster'), '--port', '8080/TCP', '--port', '53/UDP', ...argv), '%s, two ports');
});

import * as path from 'path';
import { dedent, expectBadInput, ROOT, run, useWorkspace, writeShop } from './cli-harness';
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
  test.each([
    ['text', 'txt'],
    ['markdown', 'md'],
    ['csv', 'csv'],
    ['json', 'json'],
  ])('--format %s', (format, extension) => {
    const result = matrix('--format', format);
    expect({ status: result.status, stderr: result.stderr }).toEqual({ status: 0, stderr: '' });
    expectGolden(`matrix/shop.${extension}`, result.stdout);
  });

  test('text is the default', () => {
    expect(matrix()).toEqual(matrix('--format', 'text'));
  });
});

describe('matrix: verdicts', () => {
  test('by default, every port a container declares or a policy names, by protocol then number', () => {
    expect(matrixJson().ports.map((p: any) => `${p.port}/${p.protocol}`)).toEqual(['443/TCP', '5432/TCP', '8080/TCP']);
  });

  test('shop/web may reach shop/api on 8080/TCP; data/db may not', () => {
    const report = matrixJson('--port', '8080');
    expect(report.endpoints).toEqual(['data/db', 'shop/api', 'shop/web']);
    const [tcp8080] = report.ports;
    expect(tcp8080.allowed).toContainEqual(['shop/web', 'shop/api']);
    expect(tcp8080.allowed).not.toContainEqual(['data/db', 'shop/api']);
    // A single Pod talking to itself is loopback, always allowed; nothing else is.
    expect(tcp8080.allowed).toEqual([['data/db', 'data/db'], ['shop/web', 'shop/api']]);
    expect(tcp8080.allowedCount).toBe(2);
  });

  test('csv: one row per port, source and destination', () => {
    const rows = matrix('--port', '5432', '--format', 'csv').stdout.trimEnd().split('\n');
    expect(rows[0]).toBe('port,protocol,from_namespace,from,to_namespace,to,allowed');
    expect(rows).toHaveLength(1 + 9);
    expect(rows).toContain('5432,TCP,shop,shop/api,data,data/db,true');
    expect(rows).toContain('5432,TCP,shop,shop/web,data,data/db,false');
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

  test('no port named anywhere: a note, exit 0', () => {
    expect(run('matrix', portless)).toEqual({
      status: 0,
      stdout: 'No port to show: no container declares a port and no NetworkPolicy names one; give one with --port, e.g. --port 8080/TCP.'
        + ' (1 pod or workload, 0 NetworkPolicies in 1 namespace, from 1 file)\n',
      stderr: '',
    });
  });

  test('in json and csv the output stays parseable, and the note goes to stderr', () => {
    const json = run('matrix', portless, '--format', 'json');
    expect(json.status).toBe(0);
    expect(JSON.parse(json.stdout)).toEqual({ endpoints: ['solo/lonely'], ports: [] });
    expect(json.stderr).toMatch(/^note: No port to show: /);
    expect(run('matrix', portless, '--format', 'csv').stdout).toBe('port,protocol,from_namespace,from,to_namespace,to,allowed\n');
  });

  test('--port on the same manifests shows the pod', () => {
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
    for (const text of ['--port <port>', '--format <format>', 'markdown', 'csv', 'json', 'Exit status: 0']) expect(result.stdout).toContain(text);
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

  test('text, every port', () => {
    const result = run('matrix', outdir, path.join(example, 'cluster'));
    expect({ status: result.status, stderr: result.stderr }).toEqual({ status: 0, stderr: '' });
    expectGolden('matrix/production-cluster.txt', result.stdout);
  });

  // The outputs docs/cli.md shows.
  test.each([['text', 'txt'], ['markdown', 'md'], ['csv', 'csv'], ['json', 'json']])('%s, two ports', (format, extension) => {
    const result = run('matrix', outdir, path.join(example, 'cluster'), '--port', '8080/TCP', '--port', '53/UDP', '--format', format);
    expect({ status: result.status, stderr: result.stderr }).toEqual({ status: 0, stderr: '' });
    expectGolden(`matrix/production-cluster-two-ports.${extension}`, result.stdout);
  });
});

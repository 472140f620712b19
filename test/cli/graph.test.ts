import * as path from 'path';
import { dedent, expectBadInput, ROOT, run, useWorkspace, writeShop } from './cli-harness';
import { buildApp } from '../../examples/production-cluster/app';
import { expectGolden } from '../support/golden';

const workspace = useWorkspace();
const shop = writeShop(workspace, 'shop');

const graph = (...argv: string[]) => run('graph', shop, ...argv);

/** The lines of a successful run's stdout, checking the status and stderr. */
function lines(...argv: string[]): string[] {
  const result = run('graph', ...argv);
  expect({ status: result.status, stderr: result.stderr }).toEqual({ status: 0, stderr: '' });
  return result.stdout.split('\n');
}

const WEB = 'w_shop_2f_deployment_2f_web';
const API = 'w_shop_2f_deployment_2f_api';
const DB = 'w_data_2f_pod_2f_db';
const EXTERNAL = 'ip_0_0_0_0m0_10_0_0_0m8';

describe('graph: the shop, in every format', () => {
  test.each([['mermaid', 'mmd'], ['dot', 'dot']])('--format %s', (format, extension) => {
    const result = graph('--format', format);
    expect({ status: result.status, stderr: result.stderr }).toEqual({ status: 0, stderr: '' });
    expectGolden(`graph/shop.${extension}`, result.stdout);
  });

  test('mermaid is the default', () => {
    expect(graph()).toEqual(graph('--format', 'mermaid'));
  });
});

describe('graph: mermaid', () => {
  const mermaid = lines(shop);

  test('a flowchart with a subgraph per namespace, and one for what is outside the cluster', () => {
    expect(mermaid[0]).toBe('flowchart LR');
    expect(mermaid.filter((l) => l.startsWith('  subgraph '))).toEqual([
      '  subgraph ns_data ["data"]',
      '  subgraph ns_kube_2d_system ["kube-system"]',
      '  subgraph ns_shop ["shop"]',
      '  subgraph outside ["outside the cluster"]',
    ]);
  });

  test('edges carry their ports: web to api on TCP 8080, web to the internet block on TCP 443 only', () => {
    expect(mermaid).toContain(`  ${WEB} -->|"TCP 8080"| ${API}`);
    expect(mermaid).toContain(`    ${EXTERNAL}(["0.0.0.0/0 except 10.0.0.0/8"])`);
    expect(mermaid.filter((l) => l.includes('-->|') && l.endsWith(` ${EXTERNAL}`))).toEqual([`  ${WEB} -->|"TCP 443"| ${EXTERNAL}`]);
    expect(mermaid.filter((l) => l.startsWith(`  ${DB} -->`) && l.endsWith(API))).toEqual([]);
  });

  test('without kube-dns in the manifests: a dashed DNS stand-in', () => {
    expect(mermaid).toContain('    cluster_dns{{"kube-dns (cluster DNS, not in the manifests)"}}');
    expect(mermaid.slice(-2)).toEqual(['  class cluster_dns synthetic', '']);
    expect(mermaid).toContain(`  ${DB} -->|"all ports"| cluster_dns`);
  });
});

describe('graph: dot', () => {
  const dot = lines(shop, '--format', 'dot');

  test('a digraph with a cluster per namespace', () => {
    expect(dot[1]).toBe('digraph netpol {');
    expect(dot.filter((l) => l.startsWith('  subgraph '))).toEqual([
      '  subgraph cluster_ns_data {', '  subgraph cluster_ns_kube_2d_system {', '  subgraph cluster_ns_shop {', '  subgraph cluster_outside {',
    ]);
    expect(dot.slice(-2)).toEqual(['}', '']);
  });

  test('the same edges as mermaid', () => {
    expect(dot).toContain(`  ${WEB} -> ${API} [label="TCP 8080"];`);
    expect(dot).toContain(`  ${WEB} -> ${EXTERNAL} [label="TCP 443"];`);
    expect(dot.filter((l) => l.includes(' -> ')).length).toBe(lines(shop).filter((l) => l.includes(' -->|')).length);
  });
});

describe('graph: cluster DNS in the manifests', () => {
  const dir = writeShop(workspace, 'shop-with-dns');
  workspace.write('shop-with-dns/kube-dns.yaml', dedent(`
    apiVersion: apps/v1
    kind: Deployment
    metadata: { name: coredns, namespace: kube-system }
    spec:
      template:
        metadata: { labels: { k8s-app: kube-dns } }
        spec:
          containers:
            - name: coredns
              image: coredns
              ports: [{ name: dns, containerPort: 53, protocol: UDP }, { name: dns-tcp, containerPort: 53, protocol: TCP }]
  `));

  test('the real kube-dns is the DNS node; there is no stand-in', () => {
    const mermaid = lines(dir);
    expect(mermaid).toContain('    w_kube_2d_system_2f_deployment_2f_coredns{{"coredns (cluster DNS)"}}');
    expect(mermaid.some((l) => l.includes('cluster_dns'))).toBe(false);
    expect(mermaid).toContain(`  ${DB} -->|"all ports"| w_kube_2d_system_2f_deployment_2f_coredns`);
  });
});

describe('graph: bad input (exit 2)', () => {
  test('--format', () => {
    expectBadInput(graph('--format', 'svg'), 'cdk8s-netpol graph: --format must be mermaid or dot, got "svg"', 'cdk8s-netpol graph --help');
  });

  test('no path', () => {
    expectBadInput(run('graph', '--format', 'dot'), 'cdk8s-netpol graph: give at least one manifest file or folder');
  });

  test('a path that cannot be read', () => {
    expectBadInput(run('graph', workspace.path('missing')), 'cdk8s-netpol graph: Cannot read', 'missing');
  });

  test('invalid manifests', () => {
    const bad = workspace.write('bad.yaml', 'kind: NetworkPolicy\napiVersion: networking.k8s.io/v1\nmetadata: { name: x }\nspec: { podSelector: 3 }\n');
    expectBadInput(run('graph', bad), 'cdk8s-netpol graph: Invalid manifests');
  });

  test('--port is not an option of graph', () => {
    expectBadInput(graph('--port', '80'), "Unknown option '--port'");
  });
});

describe('graph --help', () => {
  test('the usage, the formats and the exit statuses, exit 0', () => {
    const result = run('graph', '--help');
    expect(result.status).toBe(0);
    expect(result.stderr).toBe('');
    expect(result.stdout).toMatch(/^Usage: cdk8s-netpol graph <path>\.\.\. \[--format mermaid\|dot\]\n/);
    for (const text of ['--format <format>', 'mermaid (default)', 'dot', 'Exit status: 0 the graph is printed; 2 bad input']) expect(result.stdout).toContain(text);
    expect(run('graph', '-h')).toEqual(result);
    expect(run('help', 'graph')).toEqual(result);
  });
});

describe('graph: the example app', () => {
  const example = path.join(ROOT, 'examples', 'production-cluster');
  const outdir = workspace.path('production-cluster');
  beforeAll(() => buildApp({ outdir }).synth());

  test.each([['mermaid', 'mmd'], ['dot', 'dot']])('--format %s', (format, extension) => {
    const result = run('graph', outdir, path.join(example, 'cluster'), '--format', format);
    expect({ status: result.status, stderr: result.stderr }).toEqual({ status: 0, stderr: '' });
    expectGolden(`graph/production-cluster.${extension}`, result.stdout);
  });
});

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
/** 0.0.0.0/0 except 10.0.0.0/8, which shop/web may reach on 443, is the ranges on either side of 10.0.0.0/8. */
const BELOW = 'ip_0_0_0_0_to_9_255_255_255';
const ABOVE = 'ip_11_0_0_0_to_255_255_255_255';
/** IPv6 outside the IPv4-mapped block ::ffff:0:0/96 (whose addresses are IPv4's): the ranges below and above it. */
const IPV6_LOW = 'ip____to___fffe_ffff_ffff';
const IPV6_HIGH = 'ip___1_0_0_0_to_ffff_ffff_ffff_ffff_ffff_ffff_ffff_ffff';

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

  test('edges carry exactly what they allow: web to api on TCP 8080, web to the internet on TCP 443 only', () => {
    expect(mermaid).toContain(`  ${WEB} -->|"TCP 8080"| ${API}`);
    expect(mermaid.filter((l) => l.startsWith('    ip_'))).toEqual([
      `    ${BELOW}(["0.0.0.0-9.255.255.255"])`,
      '    ip_10_0_0_0m8(["10.0.0.0/8"])',
      `    ${ABOVE}(["11.0.0.0-255.255.255.255"])`,
      `    ${IPV6_LOW}(["::-::fffe:ffff:ffff"])`,
      `    ${IPV6_HIGH}(["::1:0:0:0-ffff:ffff:ffff:ffff:ffff:ffff:ffff:ffff"])`,
    ]);
    expect(mermaid.filter((l) => l.startsWith(`  ${WEB} -->|`))).toEqual([
      `  ${WEB} -->|"TCP 8080"| ${API}`,
      `  ${WEB} -->|"TCP 443"| ${BELOW}`,
      `  ${WEB} -->|"TCP 443"| ${ABOVE}`,
    ]);
    expect(mermaid.filter((l) => l.startsWith(`  ${DB} -->`) && l.endsWith(API))).toEqual([]);
  });

  test('the first comment says what was loaded and that edges show every connection', () => {
    expect(mermaid[1]).toMatch(/^ {2}%% cdk8s-netpol graph of 3 pods and workloads, 5 NetworkPolicies in 2 namespaces, from 5 files; edges show every connection \(every port of TCP, UDP and SCTP\); 9 nodes, \d+ edges$/);
  });

  test('without kube-dns in the manifests: a dashed DNS stand-in', () => {
    expect(mermaid).toContain('    cluster_dns{{"kube-dns (cluster DNS, not in the manifests)"}}');
    expect(mermaid.slice(-2)).toEqual(['  class cluster_dns synthetic', '']);
    expect(mermaid).toContain(`  ${DB} -->|"all connections"| cluster_dns`);
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
    expect(dot).toContain(`  ${WEB} -> ${ABOVE} [label="TCP 443"];`);
    expect(dot).toContain(`    ${ABOVE} [label="11.0.0.0-255.255.255.255", shape=ellipse];`);
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
    expect(mermaid).toContain(`  ${DB} -->|"all connections"| w_kube_2d_system_2f_deployment_2f_coredns`);
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

  test.each([['http'], ['0'], ['80/ICMP'], ['80-90']])('--port %s', (value) => {
    expectBadInput(graph('--port', value), 'cdk8s-netpol graph: --port must be N or N/PROTOCOL', `got "${value}"`, 'cdk8s-netpol graph --help');
  });

  test('an unknown option', () => {
    expectBadInput(graph('--ports', '80'), "Unknown option '--ports'");
  });
});

describe('graph --port', () => {
  test('every edge restricted to the ports given; edges allowing none of them are not drawn', () => {
    const mermaid = lines(shop, '--port', '8080', '--port', '53/udp');
    expect(mermaid[1]).toContain('; edges show only TCP 8080, UDP 53; ');
    expect(mermaid).toContain(`  ${WEB} -->|"TCP 8080"| ${API}`);
    expect(mermaid).toContain(`  ${DB} -->|"TCP 8080, UDP 53"| cluster_dns`);
    // shop/api may open TCP 5432 only, and shop/web reaches outside on TCP 443 only.
    expect(mermaid.filter((l) => l.startsWith(`  ${API} -->`) || l.startsWith(`  ${WEB} -->|"TCP 443"`))).toEqual([]);
    // On these ports nothing treats 10.0.0.0/8 apart: each family is one range.
    expect(mermaid.filter((l) => l.startsWith('    ip_'))).toEqual([
      '    ip_0_0_0_0m0(["0.0.0.0/0"])',
      // IPv6 in two ranges around the IPv4-mapped block ::ffff:0:0/96, whose addresses are IPv4's.
      `    ${IPV6_LOW}(["::-::fffe:ffff:ffff"])`,
      `    ${IPV6_HIGH}(["::1:0:0:0-ffff:ffff:ffff:ffff:ffff:ffff:ffff:ffff"])`,
    ]);
  });

  test('the same port twice is one port', () => {
    expect(graph('--port', '8080', '--port', '8080/TCP')).toEqual(graph('--port', '8080'));
  });
});

describe('graph --help', () => {
  test('the usage, the formats and the exit statuses, exit 0', () => {
    const result = run('graph', '--help');
    expect(result.status).toBe(0);
    expect(result.stderr).toBe('');
    expect(result.stdout).toMatch(/^Usage: cdk8s-netpol graph <path>\.\.\. \[--port <n>\[\/<protocol>\]\]\.\.\.\n +\[--format mermaid\|dot\]\n/);
    for (const text of ['--port <port>', '--format <format>', 'mermaid (default)', 'dot', 'Exit status: 0 the graph is printed; 2 bad input']) expect(result.stdout).toContain(text);
    expect(run('graph', '-h')).toEqual(result);
    expect(run('help', 'graph')).toEqual(result);
    expect(run('--help').stdout).toContain('\n  graph <path>... [--port N/PROTO]... [--format mermaid|dot]\n                                       the allowed connections as a graph\n');
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

  test('--port 8080/TCP --port 53/UDP: the ported view', () => {
    const result = run('graph', outdir, path.join(example, 'cluster'), '--port', '8080/TCP', '--port', '53/UDP');
    expect({ status: result.status, stderr: result.stderr }).toEqual({ status: 0, stderr: '' });
    expectGolden('graph/production-cluster-two-ports.mmd', result.stdout);
  });
});

import * as path from 'path';
import { Chart, JsonPatch } from 'cdk8s';
import { dedent, expectBadInput, run, SHOP_FILES, useWorkspace, writeShop } from './cli-harness';
import { buildApp } from '../../examples/production-cluster/app';
import { DIFF_HELP } from '../../src/cli/diff-command';
import { ExternalHttps } from '../../src/policies/external-https';
import { expectGolden } from '../support/golden';

const workspace = useWorkspace();

/** Writes the shop cluster under `relative` with policies/shop.yaml edited by `edit`, which must change it. */
function shopWith(relative: string, edit: (policies: string) => string): string {
  const folder = writeShop(workspace, relative);
  const original = SHOP_FILES['policies/shop.yaml'];
  const edited = edit(original);
  expect(edited).not.toBe(original);
  workspace.write(path.join(relative, 'policies/shop.yaml'), edited);
  return folder;
}

const old = writeShop(workspace, 'old');
/** One mistake: web's internet egress excepts link-local instead of 10.0.0.0/8, so web may now call into 10/8. */
const swapped = shopWith('swapped', (p) => p.replace('except: [10.0.0.0/8]', 'except: [169.254.0.0/16]'));
/** A change that only closes: web may no longer call link-local either. */
const narrowed = shopWith('narrowed', (p) => p.replace('except: [10.0.0.0/8]', 'except: [10.0.0.0/8, 169.254.0.0/16]'));

describe('diff: outputs, on the shop with one mistake', () => {
  test('text: newly allowed then newly denied, one line each with the reason, then the summary; exit 1', () => {
    const result = run('diff', old, swapped);
    expect({ status: result.status, stderr: result.stderr }).toEqual({ status: 1, stderr: '' });
    expectGolden('diff/shop.txt', result.stdout);
  });

  test('--format text is the default', () => {
    expect(run('diff', old, swapped, '--format', 'text')).toEqual(run('diff', old, swapped));
  });

  test('markdown: the verdict first, then a table per group; exit 1', () => {
    const result = run('diff', old, swapped, '--format', 'markdown');
    expect({ status: result.status, stderr: result.stderr }).toEqual({ status: 1, stderr: '' });
    expect(result.stdout.split('\n')[0]).toBe('⚠️ 1 pair newly allowed: review before merging');
    expectGolden('diff/shop.md', result.stdout);
  });

  test('json: the changes with their connection sets, and the summary; exit 1', () => {
    const result = run('diff', old, swapped, '--format', 'json');
    expect({ status: result.status, stderr: result.stderr }).toEqual({ status: 1, stderr: '' });
    const report = JSON.parse(result.stdout);
    expect(Object.keys(report)).toEqual(['changes', 'summary']);
    expect(report.changes.map((c: any) => [c.from, c.to, c.before, c.after, c.newlyAllowed, c.newlyDenied])).toEqual([
      ['shop/web', 'ip:10.0.0.0-10.255.255.255', {}, { TCP: [[443, 443]] }, { TCP: [[443, 443]] }, {}],
      ['shop/web', 'ip:169.254.0.0-169.254.255.255', { TCP: [[443, 443]] }, {}, {}, { TCP: [[443, 443]] }],
    ]);
    expect(report.summary).toEqual({ pairsNewlyAllowed: 1, pairsNewlyDenied: 1 });
    expectGolden('diff/shop.json', result.stdout);
  });
});

describe('diff: exit statuses', () => {
  test('the same manifests on both sides: exit 0, nothing changes', () => {
    const result = run('diff', old, old);
    expect(result).toEqual({
      status: 0,
      stdout: 'OK: no pair newly allowed, none newly denied; compared exactly: every port of TCP, UDP and SCTP, '
        + 'between 3 pods and workloads and with every address outside the cluster (in 5 ranges, split at every ipBlock edge).\n',
      stderr: '',
    });
  });

  test('a change that only denies: exit 0, and the markdown says no flow is newly allowed but lists the denied one', () => {
    const result = run('diff', old, narrowed, '--format', 'markdown');
    expect(result.status).toBe(0);
    expect(result.stdout).toMatch(/^Nothing newly allowed\n\n### Newly allowed \(0\)\n\nNone\.\n\n### Newly denied \(1\)\n\n/);
    expect(result.stdout).toContain('| `shop/web` | `ip:169.254.0.0-169.254.255.255` | nothing | TCP 443 | Egress: isolated by shop/default-deny, shop/web-egress, and no rule matches.');
  });

  test('an added workload is marked (added), on each line of its flows', () => {
    const added = writeShop(workspace, 'added');
    workspace.write('added/apps/tools.yaml', dedent(`
      apiVersion: v1
      kind: Pod
      metadata: { name: debug, namespace: tools, labels: { app: debug } }
      spec:
        containers: [{ name: debug, image: busybox }]
    `));
    const result = run('diff', old, added);
    expect(result.status).toBe(1);
    const lines = result.stdout.trimEnd().split('\n');
    // Nothing isolates tools/debug; shop's pods and data/db accept only their callers, but data/db's egress is open.
    const flows = lines.filter((l) => l.startsWith('  + ')).map((l) => l.slice(4, l.indexOf(': ')));
    expect(flows).toEqual([
      'data/db -> tools/debug (added)',
      'tools/debug (added) -> ip:0.0.0.0-255.255.255.255',
      'tools/debug (added) -> ip:::-::fffe:ffff:ffff',
      'tools/debug (added) -> ip:::1:0:0:0-ffff:ffff:ffff:ffff:ffff:ffff:ffff:ffff',
      'ip:0.0.0.0-255.255.255.255 -> tools/debug (added)',
      'ip:::-::fffe:ffff:ffff -> tools/debug (added)',
      'ip:::1:0:0:0-ffff:ffff:ffff:ffff:ffff:ffff:ffff:ffff -> tools/debug (added)',
    ]);
    expect(lines).toContain('  + tools/debug (added) -> ip:0.0.0.0-255.255.255.255: all connections (was nothing)');
    expect(lines[lines.indexOf('  + tools/debug (added) -> ip:0.0.0.0-255.255.255.255: all connections (was nothing)') + 1])
      .toBe('      Egress: not isolated (no NetworkPolicy selects it for Egress). Ingress: not restricted (outside the cluster).');
    expect(lines[lines.length - 1]).toMatch(/^REVIEW: 7 pairs newly allowed, none newly denied; compared exactly: /);
  });
});

describe('diff: bad input and help', () => {
  test.each([
    [[] as string[], 'got 0'],
    [['OLD'], 'got 1'],
    [['OLD', 'OLD', 'OLD'], 'got 3'],
  ])('not exactly two paths (%j) is a usage error', (paths, got) => {
    expectBadInput(run('diff', ...paths.map(() => old)),
      `cdk8s-netpol diff: give exactly two paths, the old manifests and the new ones (a file or a folder each), ${got}. Run "cdk8s-netpol diff --help" for usage.`);
  });

  test('an unknown format or option is a usage error', () => {
    expectBadInput(run('diff', old, swapped, '--format', 'yaml'), 'cdk8s-netpol diff: --format must be text or markdown or json, got "yaml".');
    expectBadInput(run('diff', old, swapped, '--port', '80'), 'cdk8s-netpol diff: Unknown option \'--port\'', 'cdk8s-netpol diff --help');
  });

  test('a path that does not exist is bad input naming it', () => {
    const missing = workspace.path('nowhere');
    expectBadInput(run('diff', old, missing), `cdk8s-netpol diff: Cannot read "${missing}": `);
  });

  test('invalid manifests on either side are bad input naming the file and line', () => {
    const broken = workspace.write('broken/netpol.yaml', dedent(`
      apiVersion: networking.k8s.io/v1
      kind: NetworkPolicy
      metadata: { name: bad, namespace: shop }
      spec:
        podSelector: {}
        policyType: [Ingress]
    `));
    expectBadInput(run('diff', broken, old), 'cdk8s-netpol diff: Invalid manifests (1 problem):', `${broken}:6: NetworkPolicy shop/bad: spec.policyType`);
    expectBadInput(run('diff', old, path.dirname(broken)), `${broken}:6: NetworkPolicy shop/bad: spec.policyType`);
  });

  test('--help, and "help diff", print the help on stdout', () => {
    expect(run('diff', '--help')).toEqual({ status: 0, stdout: DIFF_HELP, stderr: '' });
    expect(run('help', 'diff')).toEqual({ status: 0, stdout: DIFF_HELP, stderr: '' });
    expect(DIFF_HELP.split('\n')[0]).toBe('Usage: cdk8s-netpol diff <old-path> <new-path> [--format text|markdown|json]');
    expect(DIFF_HELP.split('\n').every((l) => l.length <= 80)).toBe(true);
  });

  test('the main help lists the command', () => {
    expect(run('--help').stdout).toContain('\n  diff <old-path> <new-path>           connections newly allowed or denied by a change\n');
  });
});

describe('diff: the production-cluster example against a version with one mistake', () => {
  test('the api-server\'s external HTTPS without the link-local except: one flow newly allowed, to paste into the pull request', () => {
    // GIVEN the example synthesized as is, and again with the except list written by hand, forgetting link-local
    const good = buildApp({ outdir: workspace.path('example/main') });
    good.synth();
    // (without the synth-time checks, which would stop this mistake before any review)
    const mistaken = buildApp({ outdir: workspace.path('example/pr') }, { checks: false });
    const production = mistaken.charts.find((c: Chart) => c.node.id === 'production')!;
    const external = production.node.findChild('api-server-external-https') as ExternalHttps;
    external.policy.apiObject.addJsonPatch(JsonPatch.remove(`/spec/egress/0/to/0/ipBlock/except/${ExternalHttps.NON_PUBLIC_IPV4.indexOf('169.254.0.0/16')}`));
    mistaken.synth();

    // WHEN
    const result = run('diff', workspace.path('example/main'), workspace.path('example/pr'), '--format', 'markdown');

    // THEN
    expect({ status: result.status, stderr: result.stderr }).toEqual({ status: 1, stderr: '' });
    expect(result.stdout).toContain('| `production/api-server` | `ip:169.254.0.0-169.254.255.255` | TCP 443 | nothing | ');
    expectGolden('diff/production-cluster.md', result.stdout);
    expectGolden('diff/production-cluster.txt', run('diff', workspace.path('example/main'), workspace.path('example/pr')).stdout);
    expectGolden('diff/production-cluster.json', run('diff', workspace.path('example/main'), workspace.path('example/pr'), '--format', 'json').stdout);
  });
});

describe('diff: exact answers on the changes a sampled diff gets wrong (golden outputs)', () => {
  /** data/db accepts api on every port, and api may open every port to it. */
  function unnamedPortsOpened(): string {
    const folder = shopWith('unnamed', (p) => p.replace(/\n\s+ports: \[\{ port: 5432 \}\]/, ''));
    const data = JSON.parse(SHOP_FILES['policies/data.json']);
    delete data.spec.ingress[0].ports;
    workspace.write('unnamed/policies/data.json', JSON.stringify(data, undefined, 2));
    return folder;
  }

  function addedFromOutside(): string {
    const folder = writeShop(workspace, 'admin');
    workspace.write('admin/apps/admin.yaml', dedent(`
      apiVersion: apps/v1
      kind: Deployment
      metadata: { name: admin, namespace: shop }
      spec:
        selector: { matchLabels: { app: admin } }
        template:
          metadata: { labels: { app: admin } }
          spec:
            containers:
              - { name: admin, image: admin, ports: [{ name: https, containerPort: 8443 }] }
      ---
      apiVersion: networking.k8s.io/v1
      kind: NetworkPolicy
      metadata: { name: admin-from-office, namespace: shop }
      spec:
        podSelector: { matchLabels: { app: admin } }
        ingress:
          - from: [{ ipBlock: { cidr: 198.51.100.0/24 } }]
            ports: [{ port: https }]
    `));
    return folder;
  }

  test.each([
    // Every port between api and db: the ones no manifest names are newly allowed too.
    ['unnamed-port-opened', unnamedPortsOpened, 1, '  + shop/api -> data/db: all connections (was TCP 5432)'],
    // The internet egress narrowed to the lower half of IPv4: the upper half is newly denied, in one range.
    ['narrowed-ip-block', () => shopWith('narrow', (p) => p.replace('cidr: 0.0.0.0/0', 'cidr: 0.0.0.0/1')), 0,
      '  - shop/web -> ip:128.0.0.0-255.255.255.255: nothing (was TCP 443)'],
    // A new workload that the office may reach on its named port (TCP 8443); default-deny still isolates the rest.
    ['added-reachable-from-outside', addedFromOutside, 1, '  + ip:198.51.100.0-198.51.100.255 -> shop/admin (added): TCP 8443 (was nothing)'],
    // The except gone: the whole of 10/8 on 443, not one sample address of it.
    ['except-removed', () => shopWith('noexcept', (p) => p.replace(', except: [10.0.0.0/8]', '')), 1,
      '  + shop/web -> ip:10.0.0.0-10.255.255.255: TCP 443 (was nothing)'],
    // 443 becomes 443-444: exactly one more port, on both ranges around the except.
    ['range-widened-by-one', () => shopWith('wider', (p) => p.replace('ports: [{ port: 443 }]', 'ports: [{ port: 443, endPort: 444 }]')), 1,
      '  + shop/web -> ip:11.0.0.0-255.255.255.255: TCP 443-444 (was TCP 443)'],
  ])('%s', (name, make, status, expected) => {
    const result = run('diff', old, make());
    expect({ status: result.status, stderr: result.stderr }).toEqual({ status, stderr: '' });
    expect(result.stdout.split('\n')).toContain(expected);
    expectGolden(`diff/${name}.txt`, result.stdout);
  });
});

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
    expect(result.stdout.split('\n')[0]).toBe('⚠️ 1 flow newly allowed: review before merging');
    expectGolden('diff/shop.md', result.stdout);
  });

  test('json: newlyAllowed, newlyDenied and ports; exit 1', () => {
    const result = run('diff', old, swapped, '--format', 'json');
    expect({ status: result.status, stderr: result.stderr }).toEqual({ status: 1, stderr: '' });
    const report = JSON.parse(result.stdout);
    expect(Object.keys(report)).toEqual(['newlyAllowed', 'newlyDenied', 'ports']);
    expect(report.newlyAllowed.map((c: any) => [c.from, c.to, c.port, c.protocol])).toEqual([['shop/web', 'ip:10.0.0.0', 443, 'TCP']]);
    expect(report.newlyDenied.map((c: any) => [c.from, c.to, c.port, c.protocol])).toEqual([['shop/web', 'ip:169.254.0.0', 443, 'TCP']]);
    expectGolden('diff/shop.json', result.stdout);
  });
});

describe('diff: exit statuses', () => {
  test('the same manifests on both sides: exit 0, nothing changes', () => {
    const result = run('diff', old, old);
    expect(result).toEqual({
      status: 0,
      stdout: 'OK: no flow newly allowed, none newly denied, on 3 ports (443/TCP, 5432/TCP, 8080/TCP) '
        + 'and 2 addresses outside the cluster (ip:0.0.0.0, ip:10.0.0.0).\n',
      stderr: '',
    });
  });

  test('a change that only denies: exit 0, and the markdown says no flow is newly allowed but lists the denied one', () => {
    const result = run('diff', old, narrowed, '--format', 'markdown');
    expect(result.status).toBe(0);
    expect(result.stdout).toMatch(/^No flow newly allowed\n\n### Newly allowed \(0\)\n\nNone\.\n\n### Newly denied \(1\)\n\n/);
    expect(result.stdout).toContain('| `shop/web` | `ip:169.254.0.0` | 443/TCP | Egress from shop/web is denied: ');
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
    expect(flows).toEqual(['443/TCP', '5432/TCP', '8080/TCP'].flatMap((port) => [
      `data/db -> tools/debug (added) ${port}`,
      `tools/debug (added) -> ip:0.0.0.0 ${port}`,
      `tools/debug (added) -> ip:10.0.0.0 ${port}`,
      `ip:0.0.0.0 -> tools/debug (added) ${port}`,
      `ip:10.0.0.0 -> tools/debug (added) ${port}`,
    ]));
    expect(lines).toContain('  + tools/debug (added) -> ip:10.0.0.0 443/TCP: Egress from tools/debug is not isolated: '
      + 'no NetworkPolicy selecting it has Egress in its policyTypes. Ingress to ip:10.0.0.0 is not restricted: '
      + 'ip:10.0.0.0 is outside the cluster, where no NetworkPolicy applies.');
    expect(lines[lines.length - 1]).toMatch(/^REVIEW: 15 flows newly allowed, none newly denied, on 3 ports /);
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
    expect(run('--help').stdout).toContain('\n  diff <old-path> <new-path>           flows newly allowed or denied by a change\n');
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
    expect(result.stdout).toContain('| `production/api-server` | `ip:169.254.0.0` | 443/TCP | ');
    expectGolden('diff/production-cluster.md', result.stdout);
    expectGolden('diff/production-cluster.txt', run('diff', workspace.path('example/main'), workspace.path('example/pr')).stdout);
    expectGolden('diff/production-cluster.json', run('diff', workspace.path('example/main'), workspace.path('example/pr'), '--format', 'json').stdout);
  });
});

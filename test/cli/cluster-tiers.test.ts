import * as fs from 'fs';
import * as path from 'path';
import { dedent, expectBadInput, ROOT, run, useWorkspace, writeFiles } from './cli-harness';
import { expectGolden } from '../support/golden';

// Every command across the tiers: manifests with ClusterNetworkPolicies (v1alpha2, Admin and Baseline),
// an AdminNetworkPolicy and a BaselineAdminNetworkPolicy (v1alpha1) beside NetworkPolicies; text and json;
// a change of a cluster policy in diff; and bad cluster policies.

const workspace = useWorkspace();

/**
 * Two tenants: shop (tenant a: web -> api on 8080, api isolated for ingress by a NetworkPolicy) and lab
 * (tenant b: a notebook Pod with its address, no NetworkPolicy). Cluster DNS is in kube-dns.yaml, apart, so
 * that a run can leave it out (graph then draws the stand-in).
 */
const APPS = dedent(`
  apiVersion: v1
  kind: Namespace
  metadata: { name: shop, labels: { tenant: a } }
  ---
  apiVersion: v1
  kind: Namespace
  metadata: { name: lab, labels: { tenant: b } }
  ---
  apiVersion: apps/v1
  kind: Deployment
  metadata: { name: web, namespace: shop }
  spec:
    selector: { matchLabels: { app: web } }
    template:
      metadata: { labels: { app: web } }
      spec:
        containers: [{ name: web, image: web }]
  ---
  apiVersion: apps/v1
  kind: Deployment
  metadata: { name: api, namespace: shop }
  spec:
    selector: { matchLabels: { app: api } }
    template:
      metadata: { labels: { app: api } }
      spec:
        containers: [{ name: api, image: api, ports: [{ name: http, containerPort: 8080 }, { name: metrics, containerPort: 9090 }] }]
  ---
  apiVersion: v1
  kind: Pod
  metadata: { name: notebook, namespace: lab, labels: { app: notebook } }
  spec:
    containers: [{ name: nb, image: nb, ports: [{ containerPort: 8888 }] }]
  status:
    podIPs: [{ ip: 10.8.0.7 }]
  ---
  apiVersion: networking.k8s.io/v1
  kind: NetworkPolicy
  metadata: { name: api-from-web, namespace: shop }
  spec:
    podSelector: { matchLabels: { app: api } }
    ingress:
      - from: [{ podSelector: { matchLabels: { app: web } } }]
        ports: [{ port: http }]
`);
const KUBE_DNS = dedent(`
  apiVersion: v1
  kind: Pod
  metadata: { name: coredns, namespace: kube-system, labels: { k8s-app: kube-dns } }
  spec:
    containers: [{ name: coredns, image: coredns, ports: [{ containerPort: 53, protocol: UDP }, { containerPort: 53, protocol: TCP }] }]
`);
/**
 * The platform: DNS accepted (Admin 10); tenant a passes within itself and denies the other tenants
 * (Admin 30); no egress to the cloud metadata service (an AdminNetworkPolicy, 20); every pod denied
 * ingress from every pod and egress to every pod (Baseline ClusterNetworkPolicy); private addresses
 * denied (the BaselineAdminNetworkPolicy, after it).
 */
const PLATFORM = dedent(`
  apiVersion: policy.networking.k8s.io/v1alpha2
  kind: ClusterNetworkPolicy
  metadata: { name: dns }
  spec:
    tier: Admin
    priority: 10
    subject: { namespaces: {} }
    egress:
      - name: cluster-dns
        action: Accept
        to: [{ pods: { namespaceSelector: { matchLabels: { kubernetes.io/metadata.name: kube-system } }, podSelector: { matchLabels: { k8s-app: kube-dns } } } }]
        protocols: [{ udp: { destinationPort: { number: 53 } } }, { tcp: { destinationPort: { number: 53 } } }]
  ---
  apiVersion: policy.networking.k8s.io/v1alpha2
  kind: ClusterNetworkPolicy
  metadata: { name: tenant-a }
  spec:
    tier: Admin
    priority: 30
    subject: { namespaces: { matchLabels: { tenant: a } } }
    ingress:
      - { name: within-a, action: Pass, from: [{ namespaces: { matchLabels: { tenant: a } } }] }
      - { name: other-tenants, action: Deny, from: [{ namespaces: { matchExpressions: [{ key: tenant, operator: Exists }] } }] }
  ---
  apiVersion: policy.networking.k8s.io/v1alpha2
  kind: ClusterNetworkPolicy
  metadata: { name: baseline }
  spec:
    tier: Baseline
    priority: 100
    subject: { namespaces: { matchExpressions: [{ key: tenant, operator: Exists }] } }
    ingress:
      - { name: default-deny, action: Deny, from: [{ namespaces: {} }] }
    egress:
      - { name: default-deny, action: Deny, to: [{ namespaces: {} }] }
  ---
  apiVersion: policy.networking.k8s.io/v1alpha1
  kind: AdminNetworkPolicy
  metadata: { name: no-metadata }
  spec:
    priority: 20
    subject: { namespaces: {} }
    egress:
      - name: cloud-metadata
        action: Deny
        to: [{ networks: [169.254.169.254/32] }]
  ---
  apiVersion: policy.networking.k8s.io/v1alpha1
  kind: BaselineAdminNetworkPolicy
  metadata: { name: default }
  spec:
    subject: { namespaces: {} }
    egress:
      - name: private
        action: Deny
        to: [{ networks: [10.0.0.0/8] }]
        ports: [{ portRange: { protocol: TCP, start: 1, end: 65535 } }]
`);

/** Writes the applications and cluster DNS under `dir`, with `extra` files beside them; returns the folder. */
const writeTiers = (dir: string, extra: Record<string, string> = {}) => writeFiles(workspace, dir, { 'apps.yaml': APPS, 'kube-dns.yaml': KUBE_DNS, ...extra });
const cluster = writeTiers('tiers', { 'platform.yaml': PLATFORM });
/** The same cluster without its platform (no cluster policy), for diff. */
writeTiers('no-platform');

const SUMMARY = '4 pods and workloads, 1 NetworkPolicy, 3 ClusterNetworkPolicies, 1 AdminNetworkPolicy and 1 BaselineAdminNetworkPolicy in 3 namespaces, from 3 files';

describe('the summary line counts the policies by kind', () => {
  test('NetworkPolicies, ClusterNetworkPolicies, AdminNetworkPolicies and the BaselineAdminNetworkPolicy', () => {
    const result = run('list', cluster);
    expect(result.status).toBe(0);
    expect(result.stdout).toContain(`(${SUMMARY}).`);
  });

  test('cluster policies alone: no NetworkPolicy to count', () => {
    const file = workspace.write('platform-only/platform.yaml', PLATFORM);
    expect(run('matrix', file).stdout).toBe(
      'No pod or workload in the manifests: there is no flow to show. (0 pods and workloads, 3 ClusterNetworkPolicies, 1 AdminNetworkPolicy '
      + 'and 1 BaselineAdminNetworkPolicy in 0 namespaces, from 1 file)\n');
  });
});

describe('explain: the tier that decided each side, and the path through the tiers', () => {
  const explain = (...argv: string[]) => run('explain', cluster, ...argv);

  test('Admin Accept: DNS, whatever the Baseline would say', () => {
    expect(explain('--from', 'lab/notebook', '--to', 'kube-system/coredns', '--port', '53', '--protocol', 'UDP')).toEqual({
      status: 0,
      stdout: [
        'ALLOWED: lab/notebook -> kube-system/coredns on UDP 53',
        '  egress at the source (lab/notebook): allowed in the Admin tier',
        '    Admin: ClusterNetworkPolicy dns spec.egress[0] ("cluster-dns") Accept',
        '      peer: pods k8s-app=kube-dns in namespaces kubernetes.io/metadata.name=kube-system; port: UDP 53',
        '  ingress at the destination (kube-system/coredns): allowed, not isolated: no NetworkPolicy selecting it has Ingress in its policyTypes',
        '',
      ].join('\n'),
      stderr: '',
    });
  });

  test('Admin Deny across tenants; the other side goes through to the Baseline', () => {
    const result = explain('--from', 'lab/notebook', '--to', 'shop/api', '--port', '8080');
    expect(result.status).toBe(1);
    expect(result.stdout.split('\n')).toEqual([
      'DENIED: lab/notebook -> shop/api on TCP 8080',
      '  egress at the source (lab/notebook): DENIED in the Baseline tier',
      '    Admin: no rule of ClusterNetworkPolicy dns, AdminNetworkPolicy no-metadata matches',
      '    Baseline: ClusterNetworkPolicy baseline spec.egress[0] ("default-deny") Deny',
      '      peer: every pod in every namespace; port: every port',
      '  ingress at the destination (shop/api): DENIED in the Admin tier',
      '    Admin: ClusterNetworkPolicy tenant-a spec.ingress[1] ("other-tenants") Deny',
      '      peer: every pod in namespaces tenant; port: every port',
      '',
    ]);
  });

  test('the egress Baseline denies pods (the web is closed to every pod but DNS); the ingress Passes within the tenant, then the NetworkPolicy tier allows by its rule', () => {
    const result = explain('--from', 'shop/web', '--to', 'shop/api', '--port', '8080');
    expect(result.status).toBe(1);
    expect(result.stdout.split('\n')).toEqual([
      'DENIED: shop/web -> shop/api on TCP 8080',
      '  egress at the source (shop/web): DENIED in the Baseline tier',
      '    Admin: no rule of ClusterNetworkPolicy dns, AdminNetworkPolicy no-metadata matches',
      '    Baseline: ClusterNetworkPolicy baseline spec.egress[0] ("default-deny") Deny',
      '      peer: every pod in every namespace; port: every port',
      '  ingress at the destination (shop/api): allowed in the NetworkPolicy tier; isolated by shop/api-from-web',
      '    Admin: ClusterNetworkPolicy tenant-a spec.ingress[0] ("within-a") Pass',
      '    NetworkPolicy: allowed by shop/api-from-web spec.ingress[0]',
      '      peer: pods app=web in namespace shop; port: TCP port named "http"',
      '',
    ]);
  });

  test('Pass within the tenant, then the NetworkPolicy tier says why none of its rules matched', () => {
    const denied = explain('--from', 'shop/web', '--to', 'shop/api', '--port', '9090');
    expect(denied.status).toBe(1);
    expect(denied.stdout.split('\n').slice(5)).toEqual([
      '  ingress at the destination (shop/api): DENIED in the NetworkPolicy tier; isolated by shop/api-from-web',
      '    Admin: ClusterNetworkPolicy tenant-a spec.ingress[0] ("within-a") Pass',
      '    NetworkPolicy: denied',
      '      shop/api-from-web spec.ingress[0]: port TCP port named "http" (on shop/api: TCP 8080) does not match TCP 9090',
      '',
    ]);
  });

  test('an AdminNetworkPolicy (v1alpha1) in the Admin tier, the BaselineAdminNetworkPolicy after the Baseline ClusterNetworkPolicies', () => {
    const metadata = explain('--from', 'shop/web', '--to', 'ip:169.254.169.254', '--port', '80');
    expect(metadata.stdout.split('\n').slice(0, 4)).toEqual([
      'DENIED: shop/web -> ip:169.254.169.254 on TCP 80',
      '  egress at the source (shop/web): DENIED in the Admin tier',
      '    Admin: AdminNetworkPolicy no-metadata spec.egress[0] ("cloud-metadata") Deny',
      '      peer: networks 169.254.169.254/32; port: every port',
    ]);
    const lines = explain('--from', 'shop/web', '--to', 'ip:10.1.2.3', '--port', '5432').stdout.split('\n');
    expect(lines.slice(1, 5)).toEqual([
      '  egress at the source (shop/web): DENIED in the Baseline tier',
      '    Admin: no rule of ClusterNetworkPolicy dns, AdminNetworkPolicy no-metadata matches',
      '    Baseline: BaselineAdminNetworkPolicy default spec.egress[0] ("private") Deny',
      '      peer: networks 10.0.0.0/8; port: TCP 1-65535',
    ]);
  });

  test('no tier decides: the default applies, and the path says what was asked', () => {
    const result = explain('--from', 'shop/web', '--to', 'ip:203.0.113.7', '--port', '443');
    expect(result).toEqual({
      status: 0,
      stdout: [
        'ALLOWED: shop/web -> ip:203.0.113.7 on TCP 443',
        '  egress at the source (shop/web): allowed: no tier decides, so the default applies',
        '    Admin: no rule of ClusterNetworkPolicy dns, AdminNetworkPolicy no-metadata matches',
        '    Baseline: no rule of ClusterNetworkPolicy baseline, BaselineAdminNetworkPolicy default matches',
        '  ingress at the destination (ip:203.0.113.7): allowed, outside the cluster: no NetworkPolicy applies',
        '',
      ].join('\n'),
      stderr: '',
    });
  });

  test('networks match pods by their addresses: the lab notebook (10.8.0.7) is a private address to the Baseline', () => {
    const lines = explain('--from', 'shop/web', '--to', 'lab/notebook', '--port', '8888').stdout.split('\n');
    // The Baseline ClusterNetworkPolicy (every pod) decides first: the BaselineAdminNetworkPolicy comes after it.
    expect(lines[3]).toBe('    Baseline: ClusterNetworkPolicy baseline spec.egress[0] ("default-deny") Deny');
    // kube-system has no tenant label, so no Baseline ClusterNetworkPolicy selects coredns: the
    // BaselineAdminNetworkPolicy's networks peer decides, by the notebook's address alone.
    expect(explain('--from', 'kube-system/coredns', '--to', 'lab/notebook', '--port', '8888').stdout.split('\n').slice(1, 5)).toEqual([
      '  egress at the source (kube-system/coredns): DENIED in the Baseline tier',
      '    Admin: no rule of ClusterNetworkPolicy dns, AdminNetworkPolicy no-metadata matches',
      '    Baseline: BaselineAdminNetworkPolicy default spec.egress[0] ("private") Deny',
      '      peer: networks 10.0.0.0/8; port: TCP 1-65535',
    ]);
  });

  test('--format json: each side has the tier path, and allowedBy or deniedBy names the cluster rule', () => {
    const result = explain('--from', 'lab/notebook', '--to', 'shop/api', '--port', '8080', '--format', 'json');
    expect(result.status).toBe(1);
    const explanation = JSON.parse(result.stdout);
    expect(explanation.egress).toMatchObject({
      allowed: false,
      tiers: ['Admin: no rule of ClusterNetworkPolicy dns, AdminNetworkPolicy no-metadata matches', 'Baseline: ClusterNetworkPolicy baseline spec.egress[0] ("default-deny") Deny'],
      deniedBy: { policy: 'ClusterNetworkPolicy baseline', rule: 'spec.egress[0]', peer: 'every pod in every namespace', port: 'every port' },
    });
    expect(explanation.ingress).toMatchObject({
      allowed: false,
      tiers: ['Admin: ClusterNetworkPolicy tenant-a spec.ingress[1] ("other-tenants") Deny'],
      deniedBy: { policy: 'ClusterNetworkPolicy tenant-a', rule: 'spec.ingress[1]' },
    });
    expect(explanation.reason).toContain('denied in the Admin tier by ClusterNetworkPolicy tenant-a spec.ingress[1] ("other-tenants")');
    // A side no cluster policy applies to has no tier path.
    const dns = JSON.parse(explain('--from', 'lab/notebook', '--to', 'kube-system/coredns', '--port', '53', '--protocol', 'UDP', '--format', 'json').stdout);
    expect(dns.egress.allowedBy).toEqual({
      policy: 'ClusterNetworkPolicy dns', rule: 'spec.egress[0]', peer: 'pods k8s-app=kube-dns in namespaces kubernetes.io/metadata.name=kube-system', port: 'UDP 53',
    });
    expect(dns.ingress).not.toHaveProperty('tiers');
  });

  test('a Baseline Accept names its rule as allowedBy', () => {
    const file = workspace.write('baseline-accept/all.yaml', `${APPS}---\n${dedent(`
      apiVersion: policy.networking.k8s.io/v1alpha2
      kind: ClusterNetworkPolicy
      metadata: { name: open-https }
      spec:
        tier: Baseline
        priority: 5
        subject: { namespaces: {} }
        egress:
          - { action: Accept, to: [{ networks: [0.0.0.0/0] }], protocols: [{ tcp: { destinationPort: { number: 443 } } }] }
    `)}`);
    const json = JSON.parse(run('explain', file, '--from', 'shop/web', '--to', 'ip:203.0.113.7', '--port', '443', '--format', 'json').stdout);
    expect(json.egress.allowedBy).toEqual({ policy: 'ClusterNetworkPolicy open-https', rule: 'spec.egress[0]', peer: 'networks 0.0.0.0/0', port: 'TCP 443' });
    expect(run('explain', file, '--from', 'shop/web', '--to', 'ip:203.0.113.7', '--port', '443').stdout.split('\n').slice(1, 4)).toEqual([
      '  egress at the source (shop/web): allowed in the Baseline tier',
      '    Baseline: ClusterNetworkPolicy open-https spec.egress[0] Accept',
      '      peer: networks 0.0.0.0/0; port: TCP 443',
    ]);
  });
});

describe('verify: expectations hold across the tiers', () => {
  test('flows each tier decides: exit 0, and the summary counts the cluster policies', () => {
    const expect_ = workspace.expectations('tiers-expect.yaml', [
      { from: 'lab/notebook', to: 'kube-system/coredns', port: 53, protocol: 'UDP', allowed: true },
      { from: 'lab/notebook', to: 'shop/api', port: 8080, allowed: false },
      { from: 'shop/web', to: 'shop/api', port: 8080, allowed: false },
      { from: 'shop/web', to: 'ip:169.254.169.254', port: 80, allowed: false },
      { from: 'shop/web', to: 'ip:10.1.2.3', port: 5432, allowed: false },
      { from: 'shop/web', to: 'ip:10.1.2.3', port: 53, protocol: 'UDP', allowed: true },
      { from: 'ip:203.0.113.7', to: 'shop/web', port: 80, allowed: true },
    ]);
    expect(run('verify', cluster, '--expect', expect_)).toEqual({
      status: 0,
      stdout: `OK: 7 passed, 0 failed, of 7 expectations (${SUMMARY}).\n`,
      stderr: '',
    });
  });

  test('a failing expectation says which tier decided, in text and json', () => {
    const expect_ = workspace.expectations('tiers-fail.yaml', [
      { from: 'lab/notebook', to: 'shop/api', port: 8080, allowed: true },
    ]);
    const text = run('verify', cluster, '--expect', expect_);
    expect(text.status).toBe(1);
    expect(text.stdout).toContain(`FAIL ${expect_}:2: lab/notebook -> shop/api TCP 8080 should be allowed but is denied: `);
    expect(text.stdout).toContain('Ingress to shop/api is denied in the Admin tier by ClusterNetworkPolicy tenant-a spec.ingress[1] ("other-tenants")');
    const json = JSON.parse(run('verify', cluster, '--expect', expect_, '--format', 'json').stdout);
    expect(json).toMatchObject({ passed: 0, failed: 1, results: [{ from: 'lab/notebook', to: 'shop/api', expected: true, actual: false, ok: false }] });
    expect(json.results[0].reason).toContain('the Baseline tier decides: it is denied by ClusterNetworkPolicy baseline spec.egress[0]');
  });
});

describe('list, matrix and graph: the connections through every tier', () => {
  test('list: text, and json', () => {
    const result = run('list', cluster);
    expect(result.stderr).toBe('');
    expectGolden('list/cluster-tiers.txt', result.stdout);
    const json = JSON.parse(run('list', cluster, '--format', 'json').stdout);
    const pair = (from: string, to: string) => json.connections.find((c: any) => c.from === from && c.to === to)?.allowed;
    // Admin Accept: DNS only, though the Baseline denies egress to every pod
    expect(pair('lab/notebook', 'kube-system/coredns')).toEqual({ TCP: [[53, 53]], UDP: [[53, 53]] });
    // Admin Deny across tenants; Baseline Deny of pod egress; the NetworkPolicy tier where it isolates
    expect(pair('lab/notebook', 'shop/api')).toBeUndefined();
    expect(pair('shop/web', 'shop/api')).toBeUndefined();
    // The BaselineAdminNetworkPolicy denies TCP to 10/8 only: UDP and SCTP pass, and the metadata address is denied in the Admin tier.
    expect(pair('shop/web', 'ip:10.0.0.0-10.255.255.255')).toEqual({ UDP: [[1, 65535]], SCTP: [[1, 65535]] });
    expect(pair('shop/web', 'ip:169.254.169.254')).toBeUndefined();
  });

  test('matrix: text and json, and one port', () => {
    const result = run('matrix', cluster);
    expect(result.stderr).toBe('');
    expectGolden('matrix/cluster-tiers.txt', result.stdout);
    const json = JSON.parse(run('matrix', cluster, '--format', 'json').stdout);
    expect(json.connections.map((c: any) => `${c.from} -> ${c.to}`)).toEqual([
      'kube-system/coredns -> kube-system/coredns',
      'lab/notebook -> kube-system/coredns',
      'lab/notebook -> lab/notebook',
      'shop/api -> kube-system/coredns',
      'shop/web -> kube-system/coredns',
    ]);
    const port = JSON.parse(run('matrix', cluster, '--port', '53/UDP', '--format', 'json').stdout);
    expect(port.ports[0]).toMatchObject({ port: 53, protocol: 'UDP', allowedCount: 5 });
  });

  test('graph: the DNS stand-in is reached through the Admin tier alone', () => {
    // Without kube-dns.yaml, cluster DNS is the stand-in: the Baseline denies egress to every pod, the Admin tier accepts DNS.
    const result = run('graph', workspace.path('tiers/apps.yaml'), workspace.path('tiers/platform.yaml'));
    expect(result.stderr).toBe('');
    expectGolden('graph/cluster-tiers.mmd', result.stdout);
    expect(result.stdout).toContain('w_shop_2f_deployment_2f_web -->|"TCP 53, UDP 53"| cluster_dns');
  });
});

describe('diff: a change of cluster policies', () => {
  test('adding the platform: what it newly denies, and why, tier by tier', () => {
    const result = run('diff', workspace.path('no-platform'), cluster);
    expect(result.status).toBe(0);
    expect(result.stderr).toBe('');
    expectGolden('diff/cluster-tiers.txt', result.stdout);
    const json = JSON.parse(run('diff', workspace.path('no-platform'), cluster, '--format', 'json').stdout);
    const change = json.changes.find((c: any) => c.from === 'lab/notebook' && c.to === 'shop/web');
    expect(change.why).toBe(
      'Egress: Admin tier: no rule of ClusterNetworkPolicy dns, AdminNetworkPolicy no-metadata matches; NetworkPolicy tier: not isolated (no NetworkPolicy selects it for Egress); '
      + 'Baseline tier: ClusterNetworkPolicy baseline spec.egress[0] ("default-deny") Deny (all connections). '
      + 'Ingress: Admin tier: ClusterNetworkPolicy tenant-a spec.ingress[1] ("other-tenants") Deny (all connections); the lower tiers are not reached.',
    );
  });

  test('the egress Baseline taken out: newly allowed, exit 1, and why follows the Pass to the NetworkPolicy rule', () => {
    const open = PLATFORM.replace('  egress:\n    - { name: default-deny, action: Deny, to: [{ namespaces: {} }] }\n', '');
    expect(open).not.toBe(PLATFORM);
    const result = run('diff', cluster, writeTiers('open', { 'platform.yaml': open }), '--format', 'json');
    expect(result.status).toBe(1);
    const json = JSON.parse(result.stdout);
    expect(json.changes.filter((c: any) => c.newlyAllowed && Object.keys(c.newlyAllowed).length > 0).map((c: any) => `${c.from} -> ${c.to}`)).toEqual([
      'lab/notebook -> kube-system/coredns',
      'shop/api -> kube-system/coredns',
      'shop/web -> kube-system/coredns',
      'shop/web -> shop/api',
    ]);
    const change = json.changes.find((c: any) => c.from === 'shop/web' && c.to === 'shop/api');
    expect(change).toMatchObject({ before: {}, after: { TCP: [[8080, 8080]] }, newlyAllowed: { TCP: [[8080, 8080]] } });
    expect(change.why).toBe('Egress: Admin tier: no rule of ClusterNetworkPolicy dns, AdminNetworkPolicy no-metadata matches; '
      + 'NetworkPolicy tier: not isolated (no NetworkPolicy selects it for Egress); Baseline tier: no rule of BaselineAdminNetworkPolicy default matches. '
      + 'Ingress: Admin tier: ClusterNetworkPolicy tenant-a spec.ingress[0] ("within-a") Pass (all connections); '
      + 'NetworkPolicy tier: allowed by shop/api-from-web spec.ingress[0] (TCP 8080).');
    const markdown = run('diff', cluster, workspace.path('open'), '--format', 'markdown');
    expect(markdown.stdout).toMatch(/^⚠️ 4 pairs newly allowed: review before merging/);
    expect(markdown.stdout).toContain('| `shop/web` | `shop/api` | TCP 8080 | nothing | Egress: Admin tier: no rule of ClusterNetworkPolicy dns, AdminNetworkPolicy no-metadata matches;');
  });
});

describe('diff proves a move from v1alpha1 to v1alpha2', () => {
  test('the before and after of docs/cluster-network-policy.md allow exactly the same', () => {
    // GIVEN the two YAML blocks of the page's migration section, each beside the same workloads
    const page = fs.readFileSync(path.join(ROOT, 'docs', 'cluster-network-policy.md'), 'utf8');
    const block = (marker: string) => {
      const found = [...page.matchAll(/```yaml\n([\s\S]*?)```/g)].map((m) => m[1]).find((b) => b.startsWith(`# ${marker}\n`));
      expect(found).toBeDefined();
      return found!;
    };
    const before = block('v1alpha1: before');
    const after = block('v1alpha2: after');
    expect(before).toContain('kind: AdminNetworkPolicy');
    expect(after).not.toContain('v1alpha1');
    // (and an ingress controller, which the rule web-from-ingress is about)
    const controller = dedent(`
      apiVersion: v1
      kind: Pod
      metadata: { name: controller, namespace: ingress-nginx, labels: { app: controller } }
      spec: { containers: [{ name: c, image: c }] }
    `);
    const wrong = after.replace('end: 8080', 'end: 8081');
    expect(wrong).not.toBe(after);
    for (const [dir, platform] of [['move-before', before], ['move-after', after], ['move-wrong', wrong]]) {
      writeTiers(dir, { 'ingress.yaml': controller, 'platform.yaml': platform });
    }

    // WHEN
    const result = run('diff', workspace.path('move-before'), workspace.path('move-after'));

    // THEN nothing changes, on any port or address; a translation one port off would show
    expect(result.status).toBe(0);
    expect(result.stdout).toMatch(/^OK: no pair newly allowed, none newly denied; compared exactly/);
    const off = run('diff', workspace.path('move-before'), workspace.path('move-wrong'));
    expect(off.status).toBe(1);
    expect(off.stdout).toContain('  + ingress-nginx/controller -> shop/web: TCP 8000-8081 (was TCP 8000-8080)\n');
  });
});

describe('bad cluster policies', () => {
  test('an invalid ClusterNetworkPolicy: exit 2, naming the file, line and field of each problem, in every command', () => {
    const file = workspace.write('bad/platform.yaml', dedent(`
      apiVersion: policy.networking.k8s.io/v1alpha2
      kind: ClusterNetworkPolicy
      metadata: { name: guard }
      spec:
        tier: Admin
        priority: 1001
        subject: { namespaces: {} }
        egress:
          - action: Allow
            to: [{ networks: [10.0.0.0/8] }]
            ports: [{ portNumber: { protocol: TCP, port: 80 } }]
    `));
    for (const argv of [['list', file], ['matrix', file], ['graph', file], ['verify', file, '--expect', workspace.expectations('bad-expect.yaml', [])],
      ['explain', file, '--from', 'ip:1.2.3.4', '--to', 'ip:1.2.3.5', '--port', '80'], ['diff', file, file]]) {
      expectBadInput(run(...argv),
        `${file}:6: ClusterNetworkPolicy guard: spec.priority: 1001: the priority must be a whole number from 0 to 1000.`,
        `${file}:9: ClusterNetworkPolicy guard: spec.egress[0].action: "Allow": the action must be Accept, Deny, Pass (case-sensitive).`,
        `${file}:11: ClusterNetworkPolicy guard: spec.egress[0].ports: `,
        'unknown field "ports"; expected one of name, action, to, protocols.');
    }
  });

  test('a BaselineAdminNetworkPolicy not named default, and a networks peer in an ingress rule', () => {
    const file = workspace.write('bad/old.yaml', dedent(`
      apiVersion: policy.networking.k8s.io/v1alpha1
      kind: BaselineAdminNetworkPolicy
      metadata: { name: baseline }
      spec:
        subject: { namespaces: {} }
        ingress:
          - { action: Deny, from: [{ networks: [10.0.0.0/8] }] }
    `));
    expectBadInput(run('list', file),
      `${file}:3: BaselineAdminNetworkPolicy baseline: metadata.name: "baseline": a BaselineAdminNetworkPolicy must be named "default" (the cluster has only one).`,
      `${file}:7: BaselineAdminNetworkPolicy baseline: spec.ingress[0].from[0].networks: ["10.0.0.0/8"]: unknown field "networks"; expected one of namespaces, pods.`,
      `${file}:7: BaselineAdminNetworkPolicy baseline: spec.ingress[0].from[0]: {"networks":["10.0.0.0/8"]}: a peer must set exactly one of namespaces, pods.`);
  });

  test('a cluster policy kind of another API version is ignored, with a warning', () => {
    const file = workspace.write('other-version/platform.yaml', `${APPS}---\n${dedent(`
      apiVersion: policy.networking.k8s.io/v1alpha1
      kind: ClusterNetworkPolicy
      metadata: { name: early }
      spec: {}
    `)}`);
    const result = run('list', file);
    expect(result.status).toBe(0);
    expect(result.stderr).toContain('ignored ClusterNetworkPolicy early of apiVersion "policy.networking.k8s.io/v1alpha1": only policy.networking.k8s.io/v1alpha2 ClusterNetworkPolicys are analyzed');
  });
});

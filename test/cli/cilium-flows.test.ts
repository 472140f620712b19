import { dedent, expectBadInput, run, useWorkspace } from './cli-harness';

// verify and explain with what Cilium policies decide beyond L3/L4 ports:
// entities, DNS names (host), ICMP and HTTP requests, in both formats, and bad input.

const workspace = useWorkspace();
/** Two pods of shop, web and api, without container ports: the start of the smaller fixtures below. */
const WEB_AND_API_PODS = dedent(`
  apiVersion: v1
  kind: Pod
  metadata: { name: web, namespace: shop, labels: { app: web } }
  spec: { containers: [{ name: web, image: web }] }
  ---
  apiVersion: v1
  kind: Pod
  metadata: { name: api, namespace: shop, labels: { app: api } }
  spec: { containers: [{ name: api, image: api }] }
  ---
`);
const cluster = workspace.path('cilium');
workspace.write('cilium/pods.yaml', dedent(`
  apiVersion: v1
  kind: Pod
  metadata: { name: web, namespace: shop, labels: { app: web } }
  spec: { containers: [{ name: web, image: web }] }
  ---
  apiVersion: v1
  kind: Pod
  metadata: { name: api, namespace: shop, labels: { app: api } }
  spec: { containers: [{ name: api, image: api, ports: [{ containerPort: 8080 }] }] }
`));
workspace.write('cilium/policies.yaml', dedent(`
  apiVersion: cilium.io/v2
  kind: CiliumNetworkPolicy
  metadata: { name: api-l7, namespace: shop }
  spec:
    endpointSelector: { matchLabels: { app: api } }
    ingress:
      - fromEndpoints: [{ matchLabels: { app: web } }]
        toPorts:
          - ports: [{ port: "8080", protocol: TCP }]
            rules: { http: [{ method: GET, path: "/public(/.*)?" }] }
  ---
  apiVersion: cilium.io/v2
  kind: CiliumNetworkPolicy
  metadata: { name: web-egress, namespace: shop }
  spec:
    endpointSelector: { matchLabels: { app: web } }
    egress:
      - toEndpoints: [{ matchLabels: { k8s:io.kubernetes.pod.namespace: kube-system, k8s-app: kube-dns } }]
        toPorts:
          - ports: [{ port: "53", protocol: ANY }]
            rules: { dns: [{ matchPattern: "*.stripe.com" }] }
      - toFQDNs: [{ matchName: api.stripe.com }]
        toPorts: [{ ports: [{ port: "443", protocol: TCP }] }]
      - toEndpoints: [{ matchLabels: { app: api } }]
        toPorts: [{ ports: [{ port: "8080", protocol: TCP }] }]
      - toEntities: [kube-apiserver]
        toPorts: [{ ports: [{ port: "443", protocol: TCP }] }]
      - toEntities: [world]
        icmps: [{ fields: [{ type: EchoRequest }] }]
`));

/** Expectations that hold, one a line (entry i on line i + 2). */
const HOLDING = [
  { from: 'shop/web', to: 'ip:203.0.113.7', host: 'api.stripe.com', port: 443, allowed: true },
  { from: 'shop/web', to: 'ip:203.0.113.7', host: 'files.stripe.com', port: 443, allowed: false },
  { from: 'shop/web', to: 'shop/api', port: 8080, http: { method: 'GET', path: '/public/index.html' }, allowed: true },
  { from: 'shop/web', to: 'shop/api', port: 8080, http: { method: 'DELETE', path: '/public' }, allowed: false },
  { from: 'shop/web', to: 'entity:kube-apiserver', port: 443, allowed: true },
  { from: 'shop/web', to: 'entity:host', port: 443, allowed: false },
  { from: 'shop/web', to: 'ip:198.51.100.1', protocol: 'ICMP', allowed: true },
  { from: 'shop/web', to: 'ip:198.51.100.1', protocol: 'ICMP', icmpType: 0, allowed: false },
  { from: 'entity:host', to: 'shop/api', port: 8080, allowed: true },
  { from: 'shop/web', to: 'shop/api', port: 8080, allowed: true },
];
const holding = workspace.expectations('holding.yaml', HOLDING);
/** Entries 3 and 6 (lines 5 and 8) wrong. */
const failing = workspace.expectations('failing.yaml', HOLDING.map((e, i) => (i === 3 || i === 6 ? { ...e, allowed: !e.allowed } : e)));

describe('verify: entities, names, ICMP and HTTP requests', () => {
  test('text: every expectation holds', () => {
    const result = run('verify', cluster, '--expect', holding);
    expect(result.stderr).toBe('');
    expect(result.status).toBe(0);
    expect(result.stdout).toMatch(/^OK: 10 passed, 0 failed, of 10 expectations \(/);
  });

  test('text: a failing line shows the name, the HTTP request and the ICMP type', () => {
    const result = run('verify', cluster, '--expect', failing);
    expect(result.status).toBe(1);
    const lines = result.stdout.trimEnd().split('\n');
    expect(lines).toHaveLength(3);
    expect(lines[0]).toContain(`FAIL ${failing}:5: shop/web -> shop/api TCP 8080 HTTP DELETE /public should be allowed but is denied: `);
    expect(lines[0]).toContain('But the HTTP request DELETE /public matches none of the L7 rules on it, HTTP GET /public(/.*)? (CiliumNetworkPolicy shop/api-l7 spec.ingress[0])');
    expect(lines[1]).toContain(`FAIL ${failing}:8: shop/web -> ip:198.51.100.1 ICMP type 8 should be denied but is allowed: `);
    expect(lines[1]).toContain('allowed by CiliumNetworkPolicy shop/web-egress spec.egress[4] (peer: entity world (every address outside the cluster); port: ICMP type 8 (EchoRequest))');
    expect(lines[2]).toMatch(/^FAILED: 8 passed, 2 failed, of 10 expectations/);
  });

  test('json: results in the order of the expectations, echoing every field given', () => {
    const result = run('verify', cluster, '--expect', holding, '--format', 'json');
    expect(result.status).toBe(0);
    const report = JSON.parse(result.stdout);
    expect(report).toMatchObject({ passed: 10, failed: 0 });
    const echoed = report.results.map(({ reason: _reason, expected: _expected, actual: _actual, ok: _ok, ...flow }: any) => flow);
    expect(echoed).toEqual(HOLDING.map(({ allowed: _allowed, ...flow }) => ({
      ...flow,
      protocol: flow.protocol ?? 'TCP',
      ...(flow.protocol === 'ICMP' ? { icmpType: flow.icmpType ?? 8 } : {}),
    })));
    expect(Object.keys(report.results[0])).toEqual(['from', 'to', 'port', 'protocol', 'host', 'expected', 'actual', 'ok', 'reason']);
    expect(Object.keys(report.results[2])).toEqual(['from', 'to', 'port', 'protocol', 'http', 'expected', 'actual', 'ok', 'reason']);
    expect(Object.keys(report.results[6])).toEqual(['from', 'to', 'protocol', 'icmpType', 'expected', 'actual', 'ok', 'reason']);
    expect(report.results[1].reason).toContain('peer DNS name api.stripe.com does not match ip:203.0.113.7');
    expect(report.results[8].reason).toContain('from its own node (entity:host) is always allowed');
  });

  test('an older file (from, to, port, protocol, allowed) reads as before', () => {
    const old = workspace.expectations('old.yaml', [{ from: 'shop/web', to: 'shop/api', port: 8080, protocol: 'TCP', allowed: true }]);
    const report = JSON.parse(run('verify', cluster, '--expect', old, '--format', 'json').stdout);
    expect(Object.keys(report.results[0])).toEqual(['from', 'to', 'port', 'protocol', 'expected', 'actual', 'ok', 'reason']);
  });

  test.each([
    ['an unknown entity', { from: 'shop/web', to: 'entity:world', port: 443, allowed: true }, 'expectations[0].to: unknown entity "world": a flow may start or end at entity:kube-apiserver, entity:host, entity:remote-node.'],
    ['http with UDP', { from: 'shop/web', to: 'shop/api', port: 53, protocol: 'UDP', http: { method: 'GET', path: '/' }, allowed: true }, 'expectations[0].http: an HTTP request needs TCP, not UDP.'],
    ['http without a path', { from: 'shop/web', to: 'shop/api', port: 80, http: { method: 'GET' }, allowed: true }, 'expectations[0].http: the path must start with "/"'],
    ['http with an unknown key', { from: 'shop/web', to: 'shop/api', port: 80, http: { method: 'GET', path: '/', body: 'x' }, allowed: true }, 'expectations[0].http: unknown key "body": an HTTP request has method and path.'],
    ['icmpType with TCP', { from: 'shop/web', to: 'shop/api', port: 80, icmpType: 8, allowed: true }, 'expectations[0].icmpType: only an ICMP or ICMPv6 expectation has an ICMP type'],
    ['a port with ICMP', { from: 'shop/web', to: 'shop/api', protocol: 'ICMP', port: 80, allowed: true }, 'expectations[0].port: ICMP has no ports; remove port'],
    ['an ICMP type out of range', { from: 'shop/web', to: 'shop/api', protocol: 'ICMPv6', icmpType: 300, allowed: true }, 'expectations[0].icmpType: 300: an ICMP type is a whole number from 0 to 255'],
    ['no port for TCP', { from: 'shop/web', to: 'shop/api', allowed: true }, 'expectations[0].port: missing:'],
    ['an unknown protocol', { from: 'shop/web', to: 'shop/api', port: 80, protocol: 'icmp', allowed: true }, 'expectations[0].protocol: "icmp": use TCP, UDP, SCTP, ICMP, ICMPv6.'],
    ['a bad host', { from: 'shop/web', to: 'ip:1.1.1.1', port: 443, host: 'not a name', allowed: true }, 'expectations[0].host: "not a name": a DNS name has at most 253 characters'],
    ['a host without an address', { from: 'shop/web', to: 'shop/api', port: 443, host: 'api.stripe.com', allowed: true }, 'expectations[0].host: the DNS name the source looked up goes with an address: write to: ip:<address>'],
    ['an unknown key', { from: 'shop/web', to: 'shop/api', port: 443, hots: 'x', allowed: true }, 'expectations[0]: unknown key "hots"; an expectation has from, to, port, protocol, icmpType, host, http, allowed.'],
  ])('bad input: %s: exit 2, naming the file, line and entry', (_name, entry, message) => {
    const exp = workspace.expectations('bad.yaml', [entry]);
    expectBadInput(run('verify', cluster, '--expect', exp), `${exp}:2:`, message);
  });

  test('bad input: ICMPv6 to an IPv4 address, found when judged: the file and line are named', () => {
    const exp = workspace.expectations('bad-family.yaml', [HOLDING[0], { from: 'shop/web', to: 'ip:1.1.1.1', protocol: 'ICMPv6', allowed: true }]);
    expectBadInput(run('verify', cluster, '--expect', exp), `${exp}:3:`, 'ICMPv6 is IPv6, but ip:1.1.1.1 is an IPv4 address');
  });
});

describe('explain: --host, --http-method/--http-path, --protocol ICMP and --icmp-type', () => {
  const explain = (...argv: string[]) => run('explain', cluster, ...argv);

  test('text: a DNS name', () => {
    const result = explain('--from', 'shop/web', '--to', 'ip:203.0.113.7', '--port', '443', '--host', 'api.stripe.com');
    expect(result.status).toBe(0);
    expect(result.stdout.split('\n').slice(0, 3)).toEqual([
      'ALLOWED: shop/web -> ip:203.0.113.7 (api.stripe.com) on TCP 443',
      '  egress at the source (shop/web): allowed; isolated by CiliumNetworkPolicy shop/web-egress',
      '    allowed by CiliumNetworkPolicy shop/web-egress spec.egress[1]: peer DNS name api.stripe.com; port TCP 443',
    ]);
  });

  test('text: an HTTP request, denied by the L7 rules', () => {
    const result = explain('--from', 'shop/web', '--to', 'shop/api', '--port', '8080', '--http-method', 'POST', '--http-path', '/public');
    expect(result.status).toBe(1);
    expect(result.stdout.split('\n')).toEqual([
      'DENIED: shop/web -> shop/api on TCP 8080 (HTTP POST /public)',
      '  egress at the source (shop/web): allowed; isolated by CiliumNetworkPolicy shop/web-egress',
      '    allowed by CiliumNetworkPolicy shop/web-egress spec.egress[2]: peer endpoints: pods app=api in namespace shop; port TCP 8080',
      '  ingress at the destination (shop/api): DENIED; isolated by CiliumNetworkPolicy shop/api-l7',
      '    allowed by CiliumNetworkPolicy shop/api-l7 spec.ingress[0]: peer endpoints: pods app=web in namespace shop; port TCP 8080; HTTP GET /public(/.*)?',
      '    L7: the request matches none of HTTP GET /public(/.*)? (CiliumNetworkPolicy shop/api-l7 spec.ingress[0])',
      '',
    ]);
  });

  test('text: ICMP with a type, and an entity', () => {
    const icmp = explain('--from', 'shop/web', '--to', 'ip:198.51.100.1', '--protocol', 'icmp', '--icmp-type', '0');
    expect(icmp.status).toBe(1);
    expect(icmp.stdout).toContain('DENIED: shop/web -> ip:198.51.100.1 on ICMP type 0\n');
    expect(icmp.stdout).toContain('    CiliumNetworkPolicy shop/web-egress spec.egress[4]: it admits ICMP type 8 (EchoRequest), not ICMP type 0\n');
    const host = explain('--from', 'entity:host', '--to', 'shop/api', '--port', '8080');
    expect(host.status).toBe(0);
    expect(host.stdout).toContain('  egress at the source (entity:host): allowed: Egress from entity:host is not restricted: entity:host is not a pod');
    expect(host.stdout).toContain('  ingress at the destination (shop/api): allowed: Ingress to shop/api from its own node (entity:host) is always allowed');
  });

  test('json: the explanation echoes host, http and icmpType', () => {
    const named = JSON.parse(explain('--from', 'shop/web', '--to', 'ip:203.0.113.7', '--port', '443', '--host', 'api.stripe.com', '--format', 'json').stdout);
    expect(named).toMatchObject({ from: 'shop/web', to: 'ip:203.0.113.7', port: 443, protocol: 'TCP', host: 'api.stripe.com', allowed: true });
    const request = JSON.parse(explain('--from', 'shop/web', '--to', 'shop/api', '--port', '8080', '--http-method', 'GET', '--http-path', '/public', '--format', 'json').stdout);
    expect(request).toMatchObject({ port: 8080, protocol: 'TCP', http: { method: 'GET', path: '/public' }, allowed: true });
    expect(request.ingress.l7).toBe('HTTP GET /public(/.*)? (CiliumNetworkPolicy shop/api-l7 spec.ingress[0])');
    const icmp = JSON.parse(explain('--from', 'shop/web', '--to', 'ip:198.51.100.1', '--protocol', 'ICMP', '--format', 'json').stdout);
    expect(icmp).toMatchObject({ protocol: 'ICMP', icmpType: 8, allowed: true });
    expect(icmp).not.toHaveProperty('port');
  });

  test.each([
    ['--http-method without --http-path', ['--to', 'shop/api', '--port', '8080', '--http-method', 'GET'], '--http-method and --http-path go together'],
    ['HTTP with UDP', ['--to', 'shop/api', '--port', '53', '--protocol', 'UDP', '--http-method', 'GET', '--http-path', '/'], 'an HTTP request needs TCP, not UDP'],
    ['a bad method', ['--to', 'shop/api', '--port', '80', '--http-method', 'G T', '--http-path', '/'], 'the method must be an HTTP method token'],
    ['--icmp-type with TCP', ['--to', 'shop/api', '--port', '80', '--icmp-type', '8'], '--icmp-type goes with --protocol ICMP or ICMPv6'],
    ['--port with ICMP', ['--to', 'shop/api', '--port', '80', '--protocol', 'ICMP'], 'ICMP has no ports: leave out --port'],
    ['a bad ICMP type', ['--to', 'shop/api', '--protocol', 'ICMPv6', '--icmp-type', 'echo'], '--icmp-type: an ICMP type is a whole number from 0 to 255'],
    ['an unknown protocol', ['--to', 'shop/api', '--port', '80', '--protocol', 'GRE'], '--protocol must be TCP, UDP, SCTP, ICMP, ICMPv6, got "GRE"'],
    ['--host without an address', ['--to', 'shop/api', '--port', '443', '--host', 'api.stripe.com'], '--host (the DNS name the source looked up) needs --to ip:<address>'],
    ['a bad host', ['--to', 'ip:1.1.1.1', '--port', '443', '--host', 'a..b'], '--host: a DNS name has at most 253 characters'],
    ['an unknown entity', ['--to', 'entity:health', '--port', '443'], '"entity:health" is not an endpoint: unknown entity "health"'],
  ])('bad input: %s: exit 2', (_name, argv, message) => {
    expectBadInput(explain('--from', 'shop/web', ...argv), message);
  });
});

describe('list: HTTP limits and DNS names', () => {
  test('text: a pair whose requests HTTP rules limit says which', () => {
    const result = run('list', cluster);
    expect(result.status).toBe(0);
    expect(result.stdout).toContain('shop/web\n  -> shop/api        TCP 8080 (HTTP GET /public(/.*)?)\n  -> api.stripe.com  TCP 443\n\n');
    // Pairs without L7 rules read as before.
    expect(result.stdout).toMatch(/shop\/api\n {2}-> shop\/web +all connections\n/);
  });

  test('json: the limited ports and the rules, only on the pairs that have some', () => {
    const report = JSON.parse(run('list', cluster, '--format', 'json').stdout);
    const limited = report.connections.filter((c: any) => c.http !== undefined);
    expect(limited).toEqual([{ from: 'shop/web', to: 'shop/api', allowed: { TCP: [[8080, 8080]] }, http: [{ ports: [8080, 8080], rules: 'HTTP GET /public(/.*)?' }] }]);
    expect(report.connections.filter((c: any) => c.dnsName)).toEqual([{ from: 'shop/web', to: 'api.stripe.com', dnsName: true, allowed: { TCP: [[443, 443]] } }]);
  });

  test('a DNS name: what the source may open to its addresses, whichever they are; nothing when Cilium cannot see the lookup', () => {
    const pods = dedent(`
      apiVersion: v1
      kind: Pod
      metadata: { name: web, namespace: shop, labels: { app: web } }
      spec: { containers: [{ name: web, image: web }] }
      ---
    `);
    const policy = (dns: string, extra: string) => dedent(`
      apiVersion: cilium.io/v2
      kind: CiliumNetworkPolicy
      metadata: { name: web, namespace: shop }
      spec:
        endpointSelector: { matchLabels: { app: web } }
        egress:
          - toEndpoints: [{ matchLabels: { k8s:io.kubernetes.pod.namespace: kube-system, k8s-app: kube-dns } }]
            toPorts: [{ ports: [{ port: "53", protocol: UDP }], rules: { dns: [{ matchName: ${dns} }] } }]
          - toFQDNs: [{ matchName: API.stripe.com. }, { matchPattern: "*.stripe.com" }]
            toPorts: [{ ports: [{ port: "443", protocol: TCP }] }]
    `) + extra;
    workspace.write('names-hidden/all.yaml', pods + policy('files.stripe.com', ''));
    expect(run('list', workspace.path('names-hidden')).stdout).not.toContain('stripe');
    workspace.write('names-world/all.yaml', pods + policy('files.stripe.com', dedent(`
      ---
      apiVersion: cilium.io/v2
      kind: CiliumNetworkPolicy
      metadata: { name: world, namespace: shop }
      spec:
        endpointSelector: { matchLabels: { app: web } }
        egress: [{ toCIDRSet: [{ cidr: 0.0.0.0/0 }, { cidr: ::/0 }], toPorts: [{ ports: [{ port: "80", protocol: TCP }] }] }]
    `)));
    // Every address of the name is in 0.0.0.0/0 or ::/0: port 80 holds for it too, by address.
    expect(run('list', workspace.path('names-world')).stdout).toMatch(/ {2}-> api\.stripe\.com +TCP 80\n/);
    workspace.write('names-seen/all.yaml', pods + policy('api.stripe.com', ''));
    const seen = run('list', workspace.path('names-seen'), '--focus', 'shop/web').stdout;
    expect(seen).toMatch(/ {2}-> api\.stripe\.com +TCP 443\n/);
    expect(seen).not.toContain('*.stripe.com');
  });

  test('--focus on an entity is bad input: list has pods, workloads and addresses', () => {
    expectBadInput(run('list', cluster, '--focus', 'entity:host'), '--focus: entity:host is not listed');
  });

  test('an L4-only allow of the same peer and port lifts the limit', () => {
    workspace.write('cilium-moot/pods.yaml', WEB_AND_API_PODS + dedent(`
      apiVersion: cilium.io/v2
      kind: CiliumNetworkPolicy
      metadata: { name: api-l7, namespace: shop }
      spec:
        endpointSelector: { matchLabels: { app: api } }
        ingress:
          - fromEndpoints: [{ matchLabels: { app: web } }]
            toPorts: [{ ports: [{ port: "8080", protocol: TCP }], rules: { http: [{ method: GET }] } }]
          - fromEndpoints: [{}]
            toPorts: [{ ports: [{ port: "8000", endPort: 8100, protocol: TCP }] }]
    `));
    expect(run('list', workspace.path('cilium-moot')).stdout).toMatch(/shop\/web\n {2}-> shop\/api +TCP 8000-8100\n/);
  });
});

describe('diff: HTTP limits', () => {
  const pods = WEB_AND_API_PODS;
  const policy = (extra: string) => pods + dedent(`
    apiVersion: cilium.io/v2
    kind: CiliumNetworkPolicy
    metadata: { name: api, namespace: shop }
    spec:
      endpointSelector: { matchLabels: { app: api } }
      ingress:
        - fromEndpoints: [{ matchLabels: { app: web } }]
          toPorts: [{ ports: [{ port: "8080", protocol: TCP }], rules: { http: [{ method: GET, path: /public }] } }]
  `) + extra;
  const before = workspace.write('diff-l7/before.yaml', policy(''));
  // The same connections, but an L4-only allow of web on 8080 makes the HTTP rules moot: every request passes.
  const after = workspace.write('diff-l7/after.yaml', policy([
    '    - fromEndpoints: [{ matchLabels: { app: web } }]',
    '      toPorts: [{ ports: [{ port: "8080", protocol: TCP }] }]',
    '',
  ].join('\n')));

  test('text: a limit lifted with the same connections is listed, and asks for review (exit 1)', () => {
    const result = run('diff', before, after);
    expect(result.stderr).toBe('');
    expect(result.status).toBe(1);
    expect(result.stdout).toContain('HTTP limits changed (1 pair):\n  ~ shop/web -> shop/api: TCP 8080 (was TCP 8080 (HTTP GET /public))\n');
    expect(result.stdout).toMatch(/^REVIEW: no pair newly allowed, none newly denied, 1 pair with HTTP limits changed; /m);
  });

  test('json and markdown', () => {
    const report = JSON.parse(run('diff', before, after, '--format', 'json').stdout);
    expect(report.changes).toEqual([]);
    expect(report.httpLimitChanges).toEqual([{ from: 'shop/web', to: 'shop/api', before: 'TCP 8080 (HTTP GET /public)', after: 'TCP 8080' }]);
    const markdown = run('diff', before, after, '--format', 'markdown').stdout;
    expect(markdown).toMatch(/^⚠️ HTTP limits changed on 1 pair: review before merging\n/);
    expect(markdown).toContain('### HTTP limits changed (1)\n\n| From | To | Now | Was |\n|---|---|---|---|\n| `shop/web` | `shop/api` | TCP 8080 | TCP 8080 (HTTP GET /public) |\n');
  });

  test('no HTTP change: the output is as before', () => {
    const result = run('diff', before, before);
    expect(result.status).toBe(0);
    expect(result.stdout).not.toContain('HTTP');
    expect(JSON.parse(run('diff', before, before, '--format', 'json').stdout)).not.toHaveProperty('httpLimitChanges');
  });
});

describe('matrix: HTTP limits', () => {
  test('text: a pair whose requests HTTP rules limit has a key of its own, whose legend says which', () => {
    const result = run('matrix', cluster);
    expect(result.status).toBe(0);
    const legend = result.stdout.split('\n').filter((line) => /^ *[A-Z]+ = /.test(line));
    expect(legend).toEqual(['A = all connections', 'B = TCP 8080 (HTTP GET /public(/.*)?)']);
  });

  test('markdown, csv and json say the same', () => {
    expect(run('matrix', cluster, '--format', 'markdown').stdout).toContain('| TCP 8080 (HTTP GET /public(/.*)?) |');
    expect(run('matrix', cluster, '--format', 'csv').stdout).toContain('shop,shop/web,shop,shop/api,TCP 8080 (HTTP GET /public(/.*)?)\n');
    const report = JSON.parse(run('matrix', cluster, '--format', 'json').stdout);
    expect(report.connections.filter((c: any) => c.http !== undefined)).toEqual([
      { from: 'shop/web', to: 'shop/api', allowed: { TCP: [[8080, 8080]] }, http: [{ ports: [8080, 8080], rules: 'HTTP GET /public(/.*)?' }] },
    ]);
  });
});

describe('graph: HTTP limits', () => {
  test('an edge between pods whose requests HTTP rules limit says which, in Mermaid and DOT', () => {
    const mermaid = run('graph', cluster);
    expect(mermaid.status).toBe(0);
    expect(mermaid.stdout).toContain('w_shop_2f_pod_2f_web -->|"TCP 8080 (HTTP GET /public(/.*)?)"| w_shop_2f_pod_2f_api');
    const dot = run('graph', cluster, '--format', 'dot').stdout;
    expect(dot).toContain('label="TCP 8080 (HTTP GET /public(/.*)?)"');
  });
});

describe('graph: DNS names', () => {
  test('a node per DNS name a pod\'s egress names, with what the pod may open to its addresses', () => {
    const mermaid = run('graph', cluster).stdout;
    expect(mermaid).toContain('n_api_2e_stripe_2e_com>"api.stripe.com"]');
    expect(mermaid).toContain('w_shop_2f_pod_2f_web -->|"TCP 443"| n_api_2e_stripe_2e_com');
    expect(run('graph', cluster, '--format', 'dot').stdout).toMatch(/n_api_2e_stripe_2e_com \[label="api\.stripe\.com"[^\]]*shape=note/);
  });
});

describe('diff: DNS names', () => {
  const egressTo = (names: string[]) => dedent(`
    apiVersion: v1
    kind: Pod
    metadata: { name: web, namespace: shop, labels: { app: web } }
    spec: { containers: [{ name: web, image: web }] }
    ---
    apiVersion: cilium.io/v2
    kind: CiliumNetworkPolicy
    metadata: { name: web, namespace: shop }
    spec:
      endpointSelector: { matchLabels: { app: web } }
      egress:
        - toEndpoints: [{ matchLabels: { k8s:io.kubernetes.pod.namespace: kube-system, k8s-app: kube-dns } }]
          toPorts: [{ ports: [{ port: "53", protocol: ANY }], rules: { dns: [{ matchPattern: "*" }] } }]
        - toFQDNs: [${names.map((n) => `{ matchName: ${n} }`).join(', ')}]
          toPorts: [{ ports: [{ port: "443", protocol: TCP }] }]
  `);
  const before = workspace.write('names-diff/before.yaml', egressTo(['api.stripe.com']));
  const after = workspace.write('names-diff/after.yaml', egressTo(['api.stripe.com', 'evil.example.com']));

  test('a newly named host is listed and asks for review (exit 1), in text and json', () => {
    const text = run('diff', before, after);
    expect(text.status).toBe(1);
    expect(text.stdout).toContain('DNS names changed (1 pair):\n  ~ shop/web -> evil.example.com: TCP 443 (was nothing)\n');
    expect(text.stdout).toMatch(/^REVIEW: .*, 1 pair to DNS names changed; /m);
    const report = JSON.parse(run('diff', before, after, '--format', 'json').stdout);
    expect(report.dnsNameChanges).toEqual([{ from: 'shop/web', to: 'evil.example.com', before: 'nothing', after: 'TCP 443', newlyAllowed: 'TCP 443' }]);
  });

  test('a name no longer named is listed, and asks for nothing (exit 0); no change, no entry', () => {
    const removed = run('diff', after, before);
    expect(removed.status).toBe(0);
    expect(removed.stdout).toContain('  ~ shop/web -> evil.example.com: nothing (was TCP 443)\n');
    expect(JSON.parse(run('diff', before, before, '--format', 'json').stdout).dnsNameChanges).toBeUndefined();
    expect(run('diff', before, after, '--format', 'markdown').stdout).toContain('### DNS names changed (1)');
  });
});

describe('the summary line counts policies by kind', () => {
  test('v1 and Cilium kinds side by side', () => {
    const dir = workspace.path('mixed-kinds');
    workspace.write('mixed-kinds/all.yaml', dedent(`
      apiVersion: v1
      kind: Pod
      metadata: { name: web, namespace: shop, labels: { app: web } }
      spec: { containers: [{ name: web, image: web }] }
      ---
      apiVersion: networking.k8s.io/v1
      kind: NetworkPolicy
      metadata: { name: deny, namespace: shop }
      spec: { podSelector: {}, policyTypes: [Ingress] }
      ---
      apiVersion: cilium.io/v2
      kind: CiliumClusterwideNetworkPolicy
      metadata: { name: everywhere }
      spec: { endpointSelector: {}, egress: [{ toEntities: [cluster] }] }
    `));
    expect(run('list', dir).stdout).toContain('(1 pod or workload, 1 NetworkPolicy and 1 CiliumClusterwideNetworkPolicy in 1 namespace, from 1 file).');
  });
});

import { AMBIGUOUS_CACHE, dedent, expectBadInput, run, useWorkspace, writeShop } from './cli-harness';

const workspace = useWorkspace();
const shop = writeShop(workspace, 'shop');

const explain = (...argv: string[]) => run('explain', shop, ...argv);

describe('explain: outcomes and formats', () => {
  test('an allowed flow: exit 0, the verdict, then the rule that allowed each side', () => {
    expect(explain('--from', 'shop/web', '--to', 'shop/api', '--port', '8080')).toEqual({
      status: 0,
      stdout: [
        'ALLOWED: shop/web -> shop/api on TCP 8080',
        '  egress at the source (shop/web): allowed; isolated by shop/default-deny, shop/web-egress',
        '    allowed by shop/web-egress spec.egress[0]: peer pods app=api in namespace shop; port TCP 8080',
        '  ingress at the destination (shop/api): allowed; isolated by shop/default-deny, shop/api-from-web',
        '    allowed by shop/api-from-web spec.ingress[0]: peer pods app=web in namespace shop; port TCP port named "http"',
        '',
      ].join('\n'),
      stderr: '',
    });
  });

  test('a denied flow: exit 1, and for each isolating policy why none of its rules matched', () => {
    const result = explain('--from', 'shop/web', '--to', 'data/db', '--port', '5432');
    expect(result.status).toBe(1);
    expect(result.stderr).toBe('');
    expect(result.stdout.split('\n')).toEqual([
      'DENIED: shop/web -> data/db on TCP 5432',
      '  egress at the source (shop/web): DENIED; isolated by shop/default-deny, shop/web-egress',
      '    shop/default-deny: no egress rules',
      '    shop/web-egress spec.egress[0]: peer pods app=api in namespace shop does not match data/db, and port TCP 8080 does not match TCP 5432',
      '    shop/web-egress spec.egress[1]: peer ipBlock 0.0.0.0/0 except 10.0.0.0/8 does not match data/db, and port TCP 443 does not match TCP 5432',
      '  ingress at the destination (data/db): DENIED; isolated by data/db-from-api',
      '    data/db-from-api spec.ingress[0]: peer pods app=api in namespaces kubernetes.io/metadata.name=shop does not match shop/web',
      '',
    ]);
  });

  test('--format text is the default', () => {
    const argv = ['--from', 'shop/web', '--to', 'data/db', '--port', '5432'];
    expect(explain(...argv, '--format', 'text')).toEqual(explain(...argv));
  });

  test('--format json: the full explanation, exit 0 when allowed', () => {
    const result = explain('--from', 'shop/web', '--to', 'shop/api', '--port', '8080', '--format', 'json');
    expect(result.status).toBe(0);
    expect(result.stderr).toBe('');
    const explanation = JSON.parse(result.stdout);
    expect(explanation).toMatchObject({
      from: 'shop/web',
      to: 'shop/api',
      port: 8080,
      protocol: 'TCP',
      allowed: true,
      loopback: false,
      egress: {
        direction: 'Egress',
        endpoint: 'shop/web',
        enforced: true,
        isolated: true,
        selectingPolicies: ['shop/default-deny', 'shop/web-egress'],
        allowed: true,
        allowedBy: { policy: 'shop/web-egress', rule: 'spec.egress[0]', peer: 'pods app=api in namespace shop', port: 'TCP 8080' },
      },
      ingress: {
        direction: 'Ingress',
        endpoint: 'shop/api',
        allowed: true,
        allowedBy: { policy: 'shop/api-from-web', rule: 'spec.ingress[0]' },
      },
    });
    expect(explanation.reason).toMatch(/^allowed: shop\/web -> shop\/api on TCP 8080\./);
  });

  test('--format json: exit 1 when denied', () => {
    const result = explain('--from', 'ip:203.0.113.7', '--to', 'shop/web', '--port', '8080', '--format', 'json');
    expect(result.status).toBe(1);
    expect(JSON.parse(result.stdout)).toMatchObject({
      from: 'ip:203.0.113.7',
      to: 'shop/web',
      allowed: false,
      egress: { enforced: false, allowed: true },
      ingress: { isolated: true, allowed: false, selectingPolicies: ['shop/default-deny'], unmatched: [{ policy: 'shop/default-deny', rules: [] }] },
    });
  });

  test('--protocol, in any case: UDP 5432 is not TCP 5432', () => {
    const result = explain('--from', 'shop/api', '--to', 'data/db', '--port', '5432', '--protocol', 'udp');
    expect(result.status).toBe(1);
    expect(result.stdout).toMatch(/^DENIED: shop\/api -> data\/db on UDP 5432\n/);
    expect(result.stdout).toContain('shop/api-to-db spec.egress[0]: port TCP 5432 does not match UDP 5432');
    expect(explain('--from', 'shop/api', '--to', 'data/db', '--port', '5432', '--protocol', 'TCP').status).toBe(0);
  });

  test('an ip: destination: the side outside the cluster is not enforced', () => {
    const result = explain('--from', 'shop/web', '--to', 'ip:203.0.113.7', '--port', '443');
    expect(result.status).toBe(0);
    expect(result.stdout).toContain('allowed by shop/web-egress spec.egress[1]: peer ipBlock 0.0.0.0/0 except 10.0.0.0/8; port TCP 443');
    expect(result.stdout).toContain('ingress at the destination (ip:203.0.113.7): allowed, outside the cluster');
    expect(explain('--from', 'shop/web', '--to', 'ip:10.1.2.3', '--port', '443').status).toBe(1);
    expect(explain('--from', 'shop/web', '--to', 'ip:2001:db8::1', '--port', '443').status).toBe(1);
  });

  test('a Pod talking to itself is loopback: allowed', () => {
    const result = explain('--from', 'data/db', '--to', 'data/db', '--port', '5432');
    expect(result.status).toBe(0);
    expect(result.stdout).toContain('loopback');
  });
});

describe('explain: endpoints', () => {
  const ambiguous = workspace.write('ambiguous.yaml', AMBIGUOUS_CACHE);

  test('<namespace>/<name> naming a Pod and a Deployment: exit 2, with the candidates', () => {
    expectBadInput(run('explain', ambiguous, '--from', 'ip:203.0.113.7', '--to', 'shop/cache', '--port', '80'),
      '"shop/cache" is ambiguous', 'shop/pod/cache (Pod)', 'shop/deployment/cache (Deployment)', '<namespace>/<kind>/<name>');
  });

  test.each([
    ['shop/pod/cache', 1], ['shop/Pod/cache', 1], ['shop/POD/cache', 1],
    ['shop/deployment/cache', 0], ['shop/DEPLOYMENT/cache', 0], ['shop/Deployment/cache', 0],
  ])('<namespace>/<kind>/<name> resolves it, the kind in any case: %s', (to, status) => {
    const result = run('explain', ambiguous, '--from', 'ip:203.0.113.7', '--to', to, '--port', '80');
    expect(result.status).toBe(status);
    expect(result.stdout).toContain(status === 0 ? '-> shop/deployment/cache on TCP 80' : '-> shop/pod/cache on TCP 80');
  });

  test('an unknown endpoint: exit 2, with the close match', () => {
    expectBadInput(explain('--from', 'shop/wbe', '--to', 'shop/api', '--port', '8080'),
      'cdk8s-netpol explain: Unknown endpoint "shop/wbe"', 'no Pod or workload named "wbe" in namespace "shop"', 'Did you mean shop/web?');
  });

  test('an unknown destination: exit 2, with the close match', () => {
    expectBadInput(explain('--from', 'shop/web', '--to', 'data/dbb', '--port', '5432'), 'Unknown endpoint "data/dbb"', 'Did you mean data/db?');
  });

  test('an ip: to ip: flow: exit 2', () => {
    expectBadInput(explain('--from', 'ip:203.0.113.7', '--to', 'ip:198.51.100.1', '--port', '443'),
      'ip:203.0.113.7 -> ip:198.51.100.1', 'between two addresses outside the cluster');
  });

  test('an ip: endpoint that is not an address: exit 2', () => {
    expectBadInput(explain('--from', 'shop/web', '--to', 'ip:203.0.113.300', '--port', '443'), '"ip:203.0.113.300" is not an address');
  });

  test('an endpoint with too many parts: exit 2', () => {
    expectBadInput(explain('--from', 'shop/deployment/web/x', '--to', 'shop/api', '--port', '8080'), '"shop/deployment/web/x" is not an endpoint');
  });
});

describe('explain: bad input (exit 2)', () => {
  const flow = ['--from', 'shop/web', '--to', 'shop/api', '--port', '8080'];

  test('a manifest path that does not exist', () => {
    const missing = workspace.path('missing.yaml');
    expectBadInput(run('explain', missing, ...flow), `Cannot read "${missing}": no such file or folder.`);
  });

  test('unparseable YAML: the file and the line', () => {
    const bad = workspace.write('bad/unparseable.yaml', 'apiVersion: v1\nkind: Pod\nmetadata:\n  name: [a\n');
    expectBadInput(run('explain', shop, bad, ...flow), `Cannot parse ${bad}:`);
  });

  test('an invalid NetworkPolicy: the file, line, object and field', () => {
    const bad = workspace.write('bad/policy.yaml', dedent(`
      apiVersion: networking.k8s.io/v1
      kind: NetworkPolicy
      metadata: { name: typo, namespace: shop }
      spec:
        podSelector: {}
        ingress:
          - from:
              - namespaceSelectors: {}
    `));
    expectBadInput(run('explain', shop, bad, ...flow),
      `${bad}:8: NetworkPolicy shop/typo: spec.ingress[0].from[0].namespaceSelectors: {}: unknown field "namespaceSelectors"`);
  });

  test('bad input with --format json: nothing on stdout', () => {
    expectBadInput(explain('--from', 'shop/nope', '--to', 'shop/api', '--port', '8080', '--format', 'json'), 'Unknown endpoint "shop/nope"');
  });
});

describe('explain: usage errors (exit 2)', () => {
  test.each(['--from', '--to', '--port'])('%s is required', (option) => {
    const argv = ['--from', 'shop/web', '--to', 'shop/api', '--port', '8080'];
    argv.splice(argv.indexOf(option), 2);
    expectBadInput(explain(...argv), `cdk8s-netpol explain: ${option} is required. Run "cdk8s-netpol explain --help" for usage.`);
  });

  test.each(['0', '65536', 'http', '80.5', '-1'])('--port %s is not a port number', (port) => {
    expectBadInput(explain('--from', 'shop/web', '--to', 'shop/api', `--port=${port}`), `--port must be a port number from 1 to 65535, got "${port}"`);
  });

  test('--protocol must be TCP, UDP, SCTP, ICMP or ICMPv6', () => {
    expectBadInput(explain('--from', 'shop/web', '--to', 'shop/api', '--port', '8080', '--protocol', 'igmp'), '--protocol must be TCP, UDP, SCTP, ICMP, ICMPv6, got "igmp"');
  });

  test('--format must be text or json', () => {
    expectBadInput(explain('--from', 'shop/web', '--to', 'shop/api', '--port', '8080', '--format', 'markdown'), '--format must be text or json, got "markdown"');
  });

  test('at least one path', () => {
    expectBadInput(run('explain', '--from', 'shop/web', '--to', 'shop/api', '--port', '8080'), 'give at least one manifest file or folder');
  });

  test('an option without its value', () => {
    expectBadInput(explain('--from', 'shop/web', '--to', 'shop/api', '--port'), '--port');
  });

  test('an unknown option', () => {
    expectBadInput(explain('--from', 'shop/web', '--to', 'shop/api', '--port', '8080', '--proto', 'UDP'), "Unknown option '--proto'");
  });
});

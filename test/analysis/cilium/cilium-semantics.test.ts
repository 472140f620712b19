import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { Analyzer } from '../../../src/analysis/analyzer';
import { Protocol } from '../../../src/protocol';

// Pods: shop/api (app=api, port http=8080), shop/fe (app=fe), ops/prom (app=prom, sa=prometheus), other/x (app=fe).
function pod(namespace: string, name: string, labels: Record<string, string>, spec: any = {}): any {
  return { apiVersion: 'v1', kind: 'Pod', metadata: { name, namespace, labels }, spec: { containers: [{ name: 'c', image: 'c', ...spec.container }], ...spec.pod } };
}
const PODS = [
  { apiVersion: 'v1', kind: 'Namespace', metadata: { name: 'ops', labels: { team: 'platform' } } },
  pod('shop', 'api', { app: 'api' }, { container: { ports: [{ name: 'http', containerPort: 8080 }] } }),
  pod('shop', 'fe', { app: 'fe' }),
  pod('ops', 'prom', { app: 'prom' }, { pod: { serviceAccountName: 'prometheus' } }),
  pod('other', 'x', { app: 'fe' }),
];
function cnp(name: string, spec: any, namespace = 'shop'): any {
  return { apiVersion: 'cilium.io/v2', kind: 'CiliumNetworkPolicy', metadata: { name, namespace }, spec };
}
function ccnp(name: string, spec: any): any {
  return { apiVersion: 'cilium.io/v2', kind: 'CiliumClusterwideNetworkPolicy', metadata: { name }, spec };
}
function analyze(...policies: any[]): Analyzer {
  return Analyzer.fromManifests([...structuredClone(PODS), ...policies]);
}
const API = { matchLabels: { app: 'api' } };
const str = (a: Analyzer, from: string, to: string) => a.connections(from, to).toString();

describe('Cilium: default deny and empty rules', () => {
  test('ingress: [{}] denies all ingress (the opposite of a NetworkPolicy\'s ingress: [{}])', () => {
    const a = analyze(cnp('lock', { endpointSelector: API, ingress: [{}] }));
    expect(str(a, 'shop/fe', 'shop/api')).toBe('nothing');
    expect(str(a, 'shop/api', 'shop/fe')).toBe('all connections');
    expect(a.explain({ from: 'shop/fe', to: 'shop/api', port: 8080 }).reason).toContain('CiliumNetworkPolicy shop/lock: spec.ingress[0] it has no peer');
  });

  test('an egressDeny-only policy puts the pod into egress default deny', () => {
    const a = analyze(cnp('deny-only', { endpointSelector: API, egressDeny: [{ toEndpoints: [{ matchLabels: { app: 'fe' } }], toPorts: [{ ports: [{ port: '80', protocol: 'TCP' }] }] }] }));
    expect(str(a, 'shop/api', 'ops/prom')).toBe('nothing');
    expect(str(a, 'shop/api', 'ip:8.8.8.8')).toBe('nothing');
    expect(str(a, 'shop/fe', 'shop/api')).toBe('all connections');
  });

  test('enableDefaultDeny false: a deny still denies, everything else stays open; allows of it add to another policy\'s', () => {
    const a = analyze(cnp('soft', {
      endpointSelector: API,
      enableDefaultDeny: { egress: false },
      egressDeny: [{ toEndpoints: [{ matchLabels: { app: 'fe' } }], toPorts: [{ ports: [{ port: '80', protocol: 'TCP' }] }] }],
    }));
    expect(str(a, 'shop/api', 'shop/fe')).toBe('TCP 1-79, 81-65535, all UDP, all SCTP');
    expect(str(a, 'shop/api', 'ops/prom')).toBe('all connections');
    const b = analyze(
      cnp('soft', { endpointSelector: API, enableDefaultDeny: { egress: false }, egress: [{ toEntities: ['world'] }] }),
      cnp('hard', { endpointSelector: API, egress: [{ toEndpoints: [{}] }] }),
    );
    expect(str(b, 'shop/api', 'ip:1.1.1.1')).toBe('all connections');
    expect(str(b, 'shop/api', 'shop/fe')).toBe('all connections');
    expect(str(b, 'shop/api', 'ops/prom')).toBe('nothing');
  });
});

describe('Cilium: deny wins over every allow, of any kind', () => {
  test('an L4 deny beside an L3 allow, and a v1 NetworkPolicy allow', () => {
    const allowV1 = { apiVersion: 'networking.k8s.io/v1', kind: 'NetworkPolicy', metadata: { name: 'all-in', namespace: 'shop' }, spec: { podSelector: {}, ingress: [{}] } };
    const a = analyze(allowV1, cnp('no-80', { endpointSelector: API, ingressDeny: [{ fromEndpoints: [{ matchLabels: { app: 'fe' } }], toPorts: [{ ports: [{ port: '80', protocol: 'TCP' }] }] }] }));
    expect(str(a, 'shop/fe', 'shop/api')).toBe('TCP 1-79, 81-65535, all UDP, all SCTP');
    const explanation = a.explain({ from: 'shop/fe', to: 'shop/api', port: 80 });
    expect(explanation.allowed).toBe(false);
    expect(explanation.ingress.deniedBy).toEqual({ policy: 'CiliumNetworkPolicy shop/no-80', rule: 'spec.ingressDeny[0]', peer: 'endpoints: pods app=fe in namespace shop', port: 'TCP 80' });
    expect(explanation.reason).toContain('denied by CiliumNetworkPolicy shop/no-80 spec.ingressDeny[0]');
    expect(a.isAllowed({ from: 'shop/fe', to: 'shop/api', port: 81 })).toBe(true);
  });

  test('a deny without ports denies every port and protocol to its peers', () => {
    const a = analyze(cnp('ban', { endpointSelector: {}, egress: [{ toEntities: ['all'] }], egressDeny: [{ toEntities: ['world'] }] }));
    expect(str(a, 'shop/api', 'ip:8.8.8.8')).toBe('nothing');
    expect(str(a, 'shop/api', 'ops/prom')).toBe('all connections');
  });
});

describe('Cilium: peers and ports', () => {
  test('toPorts without a peer opens the port to everyone, other namespaces and the world included', () => {
    const a = analyze(cnp('open', { endpointSelector: API, ingress: [{ toPorts: [{ ports: [{ port: '8080', protocol: 'TCP' }] }] }] }));
    expect(str(a, 'other/x', 'shop/api')).toBe('TCP 8080');
    expect(str(a, 'ip:203.0.113.9', 'shop/api')).toBe('TCP 8080');
  });

  test('fromEndpoints: [{}] is the policy\'s namespace in a CNP, every pod in a CCNP, never the world', () => {
    const a = analyze(cnp('same-ns', { endpointSelector: API, ingress: [{ fromEndpoints: [{}] }] }));
    expect(str(a, 'shop/fe', 'shop/api')).toBe('all connections');
    expect(str(a, 'other/x', 'shop/api')).toBe('nothing');
    expect(str(a, 'ip:1.2.3.4', 'shop/api')).toBe('nothing');
    const b = analyze(ccnp('pods', { endpointSelector: API, ingress: [{ fromEndpoints: [{}] }] }));
    expect(str(b, 'other/x', 'shop/api')).toBe('all connections');
    expect(str(b, 'ip:1.2.3.4', 'shop/api')).toBe('nothing');
  });

  test('fromEndpoints: [] selects nothing, even with toPorts', () => {
    const a = analyze(cnp('none', { endpointSelector: API, ingress: [{ fromEndpoints: [], toPorts: [{ ports: [{ port: '8080', protocol: 'TCP' }] }] }] }));
    expect(str(a, 'shop/fe', 'shop/api')).toBe('nothing');
  });

  test('a namespace key (k8s: or not) turns the namespace injection off; Exists means every namespace', () => {
    const a = analyze(cnp('ns', {
      endpointSelector: API,
      ingress: [
        { fromEndpoints: [{ matchLabels: { 'k8s:io.kubernetes.pod.namespace': 'ops', 'app': 'prom' } }], toPorts: [{ ports: [{ port: '9090', protocol: 'TCP' }] }] },
        { fromEndpoints: [{ matchExpressions: [{ key: 'io.kubernetes.pod.namespace', operator: 'Exists' }], matchLabels: { 'any:app': 'fe' } }], toPorts: [{ ports: [{ port: '443', protocol: 'TCP' }] }] },
      ],
    }));
    expect(str(a, 'ops/prom', 'shop/api')).toBe('TCP 9090');
    expect(str(a, 'other/x', 'shop/api')).toBe('TCP 443');
    expect(str(a, 'shop/fe', 'shop/api')).toBe('TCP 443');
  });

  test('the labels Cilium adds: service account, cluster, namespace labels (across namespaces, as Cilium 1.19 reads them)', () => {
    const a = analyze(cnp('ids', {
      endpointSelector: API,
      ingress: [
        { fromEndpoints: [{ matchLabels: { 'io.cilium.k8s.policy.serviceaccount': 'prometheus', 'io.kubernetes.pod.namespace': 'ops' } }], toPorts: [{ ports: [{ port: '9090', protocol: 'TCP' }] }] },
        { fromEndpoints: [{ matchLabels: { 'k8s:io.cilium.k8s.namespace.labels.team': 'platform' } }], toPorts: [{ ports: [{ port: '22', protocol: 'TCP' }] }] },
        { fromEndpoints: [{ matchLabels: { 'io.cilium.k8s.policy.cluster': 'default', 'io.cilium.k8s.policy.serviceaccount': 'default' } }], toPorts: [{ ports: [{ port: '53', protocol: 'UDP' }] }] },
      ],
    }));
    expect(str(a, 'ops/prom', 'shop/api')).toBe('TCP 22, 9090');
    expect(str(a, 'shop/fe', 'shop/api')).toBe('UDP 53');
    expect(str(a, 'other/x', 'shop/api')).toBe('nothing');
    expect(a.warnings.join('\n')).toContain('read as Cilium 1.19 does: in every namespace');
  });

  test('a namespace in a CNP endpointSelector never widens the subject', () => {
    const pinned = analyze(cnp('pin', { endpointSelector: { matchLabels: { 'k8s:io.kubernetes.pod.namespace': 'other' } }, ingress: [{}] }));
    expect(str(pinned, 'ops/prom', 'shop/api')).toBe('nothing'); // replaced by shop: shop pods are locked
    expect(str(pinned, 'ops/prom', 'other/x')).toBe('all connections');
    expect(pinned.warnings.join('\n')).toContain('Cilium replaces this namespace ("other") with the policy\'s own, shop');
    const anded = analyze(cnp('and', { endpointSelector: { matchLabels: { 'io.kubernetes.pod.namespace': 'other' } }, ingress: [{}] }));
    expect(str(anded, 'ops/prom', 'shop/api')).toBe('all connections');
    expect(str(anded, 'ops/prom', 'other/x')).toBe('all connections');
  });

  test('peers without toPorts allow every protocol; ANY and a missing protocol are TCP, UDP and SCTP; port "0" is every port', () => {
    const a = analyze(cnp('ports', {
      endpointSelector: API,
      ingress: [
        { fromEndpoints: [{ matchLabels: { app: 'fe' } }] },
        { fromEndpoints: [{ matchLabels: { 'io.kubernetes.pod.namespace': 'ops' } }], toPorts: [{ ports: [{ port: '53', protocol: 'ANY' }, { port: '0', protocol: 'SCTP' }] }] },
        { fromEndpoints: [{ matchLabels: { 'io.kubernetes.pod.namespace': 'other' } }], toPorts: [{ ports: [{ port: '8000', endPort: 8100 }] }] },
      ],
    }));
    expect(str(a, 'shop/fe', 'shop/api')).toBe('all connections');
    expect(str(a, 'ops/prom', 'shop/api')).toBe('TCP 53, UDP 53, all SCTP');
    expect(str(a, 'other/x', 'shop/api')).toBe('TCP 8000-8100, UDP 8000-8100, SCTP 8000-8100');
  });

  test('named ports resolve against the destination pod', () => {
    const a = analyze(
      cnp('named', { endpointSelector: { matchLabels: { app: 'fe' } }, egress: [{ toPorts: [{ ports: [{ port: 'HTTP', protocol: 'TCP' }] }] }] }),
    );
    expect(str(a, 'shop/fe', 'shop/api')).toBe('TCP 8080');
    expect(str(a, 'shop/fe', 'ops/prom')).toBe('nothing');
    expect(str(a, 'shop/fe', 'ip:1.1.1.1')).toBe('nothing');
  });

  test('CIDR rules never match pods; except is a hole in its own rule, not a deny', () => {
    const a = analyze(cnp('cidr', {
      endpointSelector: API,
      egress: [
        { toCIDRSet: [{ cidr: '0.0.0.0/0', except: ['10.0.0.0/8'] }], toPorts: [{ ports: [{ port: '443', protocol: 'TCP' }] }] },
        { toCIDR: ['10.1.2.3'], toPorts: [{ ports: [{ port: '5432', protocol: 'TCP' }] }] },
      ],
    }));
    expect(str(a, 'shop/api', 'shop/fe')).toBe('nothing');
    expect(str(a, 'shop/api', 'ip:10.9.9.9')).toBe('nothing');
    expect(str(a, 'shop/api', 'ip:10.1.2.3')).toBe('TCP 5432');
    expect(str(a, 'shop/api', 'ip:8.8.8.8')).toBe('TCP 443');
    const ranges = a.connectivity().filter((p) => p.from === 'shop/api').map((p) => `${p.to}: ${p.allowed}`);
    expect(ranges).toEqual(['ip:0.0.0.0-9.255.255.255: TCP 443', 'ip:10.1.2.3: TCP 5432', 'ip:11.0.0.0-255.255.255.255: TCP 443']);
  });

  test('entities: world is every address, cluster every pod of every namespace (not the world), all both', () => {
    const a = analyze(
      cnp('w', { endpointSelector: API, egress: [{ toEntities: ['world'], toPorts: [{ ports: [{ port: '443', protocol: 'TCP' }] }] }, { toEntities: ['cluster'], toPorts: [{ ports: [{ port: '53', protocol: 'UDP' }] }] }] }),
      cnp('all', { endpointSelector: { matchLabels: { app: 'fe' } }, ingress: [{ fromEntities: ['all'] }] }),
      cnp('host', { endpointSelector: { matchLabels: { app: 'fe' } }, egress: [{ toEntities: ['kube-apiserver', 'host'] }] }),
    );
    expect(str(a, 'shop/api', 'ip:2001:db8::1')).toBe('TCP 443');
    expect(str(a, 'shop/api', 'other/x')).toBe('UDP 53');
    expect(str(a, 'ip:8.8.8.8', 'shop/fe')).toBe('all connections');
    expect(str(a, 'shop/fe', 'ops/prom')).toBe('nothing');
    expect(str(a, 'shop/fe', 'entity:kube-apiserver')).toBe('all connections');
    expect(str(a, 'shop/api', 'entity:kube-apiserver')).toBe('UDP 53');
    expect(a.warnings.join('\n')).not.toContain('kube-apiserver');
  });
});

describe('Cilium: what connection sets leave out is said, never silently ignored', () => {
  test('toFQDNs match no address without a looked-up name, and the explanation says so', () => {
    const a = analyze(cnp('stripe', { endpointSelector: API, egress: [{ toFQDNs: [{ matchName: 'api.stripe.com' }], toPorts: [{ ports: [{ port: '443', protocol: 'TCP' }] }] }] }));
    expect(str(a, 'shop/api', 'ip:1.1.1.1')).toBe('nothing');
    expect(a.warnings.join('\n')).not.toContain('toFQDNs');
    expect(a.explain({ from: 'shop/api', to: 'ip:1.1.1.1', port: 443 }).reason).toContain('peer DNS name api.stripe.com does not match ip:1.1.1.1');
  });

  test('L7 rules: the port counts as allowed for connections, and the explanation names the rules that limit requests on it', () => {
    const a = analyze(cnp('l7', { endpointSelector: API, ingress: [{ fromEndpoints: [{ matchLabels: { app: 'fe' } }], toPorts: [{ ports: [{ port: '8080', protocol: 'TCP' }], rules: { http: [{ method: 'GET', path: '/public' }] } }] }] }));
    expect(str(a, 'shop/fe', 'shop/api')).toBe('TCP 8080');
    expect(a.explain({ from: 'shop/fe', to: 'shop/api', port: 8080 }).ingress.reason).toContain('TCP 8080; HTTP GET /public');
  });

  test('icmps: nothing of TCP, UDP or SCTP is allowed by them. nodeSelector: a warning, not evaluated. specs: every rule is read', () => {
    const a = Analyzer.fromManifests([...structuredClone(PODS), {
      apiVersion: 'cilium.io/v2',
      kind: 'CiliumClusterwideNetworkPolicy',
      metadata: { name: 'multi' },
      specs: [
        { endpointSelector: API, ingress: [{ fromEndpoints: [{}], icmps: [{ fields: [{ type: 8 }] }] }] },
        { nodeSelector: {}, ingress: [{ fromEntities: ['cluster'] }] },
        { endpointSelector: API, ingress: [{ fromEntities: ['world'], toPorts: [{ ports: [{ port: '443', protocol: 'TCP' }] }] }] },
      ],
    }]);
    expect(str(a, 'shop/fe', 'shop/api')).toBe('nothing');
    expect(str(a, 'ip:1.1.1.1', 'shop/api')).toBe('TCP 443');
    expect(a.explain({ from: 'ip:1.1.1.1', to: 'shop/api', port: 443 }).reason).toContain('allowed by CiliumClusterwideNetworkPolicy multi specs[2].ingress[0]');
    const warnings = a.warnings.join('\n');
    expect(warnings).not.toContain('ICMP');
    expect(a.isAllowed({ from: 'shop/fe', to: 'shop/api', icmp: {} })).toBe(true);
    expect(warnings).toContain('a host policy (nodeSelector)');
  });
});

describe('Cilium: invalid policies are bad input', () => {
  const bad = (spec: any, kind = 'CiliumNetworkPolicy') => () => Analyzer.fromManifests([{ apiVersion: 'cilium.io/v2', kind, metadata: { name: 'bad', namespace: 'shop' }, spec }]);
  test.each([
    ['L7 rules in a deny rule', { endpointSelector: {}, ingressDeny: [{ toPorts: [{ ports: [{ port: '80', protocol: 'TCP' }], rules: { http: [{}] } }] }] }, 'spec.ingressDeny[0].toPorts[0].rules: {"http":[{}]}: unknown field "rules"; expected one of ports'],
    ['both selectors', { endpointSelector: {}, nodeSelector: {}, ingress: [{}] }, 'a rule cannot have both endpointSelector and nodeSelector'],
    ['an unknown protocol', { endpointSelector: {}, ingress: [{ toPorts: [{ ports: [{ port: '80', protocol: 'ICMP' }] }] }] }, 'spec.ingress[0].toPorts[0].ports[0].protocol: "ICMP": the protocol must be one of TCP'],
    ['a bad CIDR', { endpointSelector: {}, egress: [{ toCIDRSet: [{ cidr: '10.0.0.0/33' }] }] }, 'spec.egress[0].toCIDRSet[0].cidr: "10.0.0.0/33"'],
    ['an except outside the cidr', { endpointSelector: {}, egress: [{ toCIDRSet: [{ cidr: '10.0.0.0/8', except: ['11.0.0.0/8'] }] }] }, 'must be inside the cidr 10.0.0.0/8'],
    ['a port out of range', { endpointSelector: {}, ingress: [{ toPorts: [{ ports: [{ port: '65536', protocol: 'TCP' }] }] }] }, 'a port must be between 0 and 65535'],
    ['an unquoted port', { endpointSelector: {}, ingress: [{ toPorts: [{ ports: [{ port: 80, protocol: 'TCP' }] }] }] }, 'the port must be a string (quote it: "80")'],
    ['HTTP rules on ANY', { endpointSelector: {}, ingress: [{ toPorts: [{ ports: [{ port: '80' }], rules: { http: [{}] } }] }] }, 'L7 rules can only apply to TCP'],
    ['DNS rules on ingress', { endpointSelector: {}, ingress: [{ toPorts: [{ ports: [{ port: '53', protocol: 'UDP' }], rules: { dns: [{ matchPattern: '*' }] } }] }] }, 'DNS rules are not allowed on ingress'],
    ['two L3 kinds in one rule', { endpointSelector: {}, ingress: [{ fromEndpoints: [{}], fromCIDR: ['10.0.0.0/8'] }] }, 'combining fromEndpoints and fromCIDR is not supported'],
    ['world-ipv4, not in the CRD', { endpointSelector: {}, egress: [{ toEntities: ['world-ipv4'] }] }, 'the CRD\'s entity enum does not have world-ipv4'],
    ['no rules', { endpointSelector: {} }, 'a rule needs at least one of ingress, ingressDeny, egress or egressDeny'],
    ['a string for enableDefaultDeny', { endpointSelector: {}, ingress: [], enableDefaultDeny: { ingress: 'false' } }, 'spec.enableDefaultDeny.ingress: "false": must be true or false (unquoted)'],
  ])('%s', (_name, spec, message) => {
    expect(bad(spec)).toThrow(message);
  });

  test('the message names the file, line, object and field; unknown YAML tags are errors', () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'cnp-'));
    const file = path.join(dir, 'cnp.yaml');
    fs.writeFileSync(file, [
      'apiVersion: cilium.io/v2', 'kind: CiliumNetworkPolicy', 'metadata: {name: api, namespace: shop}', 'spec:', '  endpointSelector: {}', '  ingress:',
      '  - toPorts:', '    - ports:', '      - {port: "70000", protocol: TCP}', '',
    ].join('\n'));
    expect(() => Analyzer.fromFiles([file])).toThrow(`${file}:9: CiliumNetworkPolicy shop/api: spec.ingress[0].toPorts[0].ports[0].port: "70000"`);
    fs.writeFileSync(file, 'apiVersion: cilium.io/v2\nkind: CiliumNetworkPolicy\nmetadata: {name: api}\nspec:\n  endpointSelector: !!omap [{app: api}]\n  ingress: [{}]\n');
    expect(() => Analyzer.fromFiles([file])).toThrow(/Cannot parse .*cnp.yaml:5/);
    fs.rmSync(dir, { recursive: true });
  });
});

describe('Cilium: the exact connection sets agree with point queries', () => {
  test('on every pair and port the policies name, with identities, entities, CIDRs and denies together', () => {
    const a = analyze(
      cnp('mix', {
        endpointSelector: {},
        ingress: [{ fromEndpoints: [{ matchLabels: { 'io.kubernetes.pod.namespace': 'ops' } }] }, { fromEntities: ['world'], toPorts: [{ ports: [{ port: 'http', protocol: 'TCP' }] }] }],
        egress: [{ toCIDRSet: [{ cidr: '192.168.0.0/16', except: ['192.168.1.0/24'] }] }, { toEndpoints: [{}] }],
        egressDeny: [{ toEndpoints: [{ matchLabels: { app: 'api' } }], toPorts: [{ ports: [{ port: '8080', protocol: 'TCP' }] }] }],
      }),
      ccnp('ops', { endpointSelector: { matchLabels: { 'io.kubernetes.pod.namespace': 'ops' } }, egressDeny: [{ toEntities: ['cluster'], toPorts: [{ ports: [{ port: '22', protocol: 'TCP' }] }] }], enableDefaultDeny: { egress: false } }),
    );
    const ends = ['shop/api', 'shop/fe', 'ops/prom', 'other/x', 'ip:192.168.0.1', 'ip:192.168.1.1', 'ip:8.8.8.8'];
    const listed = new Map(a.connectivity().map((p) => [`${p.from} -> ${p.to}`, p.allowed.toString()]));
    let checked = 0;
    for (const from of ends) {
      for (const to of ends) {
        if (from.startsWith('ip:') && to.startsWith('ip:')) continue;
        const set = a.connections(from, to);
        for (const port of [21, 22, 23, 80, 8079, 8080, 8081]) {
          for (const protocol of [Protocol.TCP, Protocol.UDP]) {
            expect(`${from} -> ${to} ${protocol} ${port}: ${set.allows(port, protocol)}`).toBe(`${from} -> ${to} ${protocol} ${port}: ${a.isAllowed({ from, to, port, protocol })}`);
            checked++;
          }
        }
        if (!from.startsWith('ip:') && !to.startsWith('ip:') && from !== to) expect(listed.get(`${from} -> ${to}`) ?? 'nothing').toBe(set.toString());
      }
    }
    expect(checked).toBeGreaterThan(400);
    // fe's egress denies TCP 8080 to api, and api's ingress admits ops and the world only
    expect(str(a, 'shop/fe', 'shop/api')).toBe('nothing');
    expect(str(a, 'shop/api', 'shop/fe')).toBe('nothing');
    expect(str(a, 'ops/prom', 'shop/api')).toBe('TCP 1-21, 23-65535, all UDP, all SCTP');
    expect(str(a, 'ip:1.1.1.1', 'shop/api')).toBe('TCP 8080');
    expect(a._explainConnections('shop/fe', 'shop/api')).toContain('Denied by CiliumNetworkPolicy shop/mix spec.egressDeny[0] (TCP 8080)');
    expect(a.reachability(22).isAllowed('ops/prom', 'shop/api')).toBe(false);
    expect(a.reachability(8080).isAllowed('ops/prom', 'shop/api')).toBe(true);
    expect(a.reachability(8080).isAllowed('shop/fe', 'shop/api')).toBe(false);
  });
});

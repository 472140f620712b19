import { Analyzer } from '../../src/analysis/analyzer';
import { ClusterModel } from '../../src/analysis/cluster-model';
import { ConnectionSet } from '../../src/analysis/connection-set';
import { Direction } from '../../src/analysis/flow';
import { Protocol } from '../../src/protocol';
import { clusterDnsEndpoints } from '../../src/review/cluster-dns';
import { buildFlowGraph, describeRange, escapeId, FlowGraph, SYNTHETIC_DNS_ID } from '../../src/review/flow-graph';
import { parseIp } from '../../src/validation/cidr';
import { useWorkspace, writeShop } from '../cli/cli-harness';

const namespace = (name: string) => ({ apiVersion: 'v1', kind: 'Namespace', metadata: { name } });

function deployment(ns: string, name: string, labels: Record<string, string>, ports: object[] = []) {
  return {
    apiVersion: 'apps/v1',
    kind: 'Deployment',
    metadata: { name, namespace: ns },
    spec: { template: { metadata: { labels }, spec: { containers: [{ name, image: name, ports }] } } },
  };
}

function pod(ns: string, name: string, labels: Record<string, string>) {
  return { apiVersion: 'v1', kind: 'Pod', metadata: { name, namespace: ns, labels }, spec: { containers: [{ name, image: name }] } };
}

function policy(ns: string, name: string, spec: object) {
  return { apiVersion: 'networking.k8s.io/v1', kind: 'NetworkPolicy', metadata: { name, namespace: ns }, spec };
}

const coredns = deployment('kube-system', 'coredns', { 'k8s-app': 'kube-dns' }, [
  { name: 'dns', containerPort: 53, protocol: 'UDP' },
  { name: 'dns-tcp', containerPort: 53, protocol: 'TCP' },
]);

const allowDns = policy('app', 'allow-dns', {
  podSelector: {},
  policyTypes: ['Egress'],
  egress: [{
    to: [{ namespaceSelector: { matchLabels: { 'kubernetes.io/metadata.name': 'kube-system' } }, podSelector: { matchLabels: { 'k8s-app': 'kube-dns' } } }],
    ports: [{ port: 53, protocol: 'UDP' }, { port: 53, protocol: 'TCP' }],
  }],
});

const modelOf = (...objects: object[]): ClusterModel => Analyzer.fromManifests(objects)._model;
const graphOf = (...objects: object[]): FlowGraph => buildFlowGraph(modelOf(...objects));

/** The label of the edge between the nodes of these names, or undefined when there is none. */
function edge(graph: FlowGraph, from: string, to: string): string | undefined {
  const id = (name: string) => {
    const node = graph.nodes.find((n) => n.name === name);
    if (!node) throw new Error(`no node named ${name}: ${graph.nodes.map((n) => n.name).join(', ')}`);
    return node.id;
  };
  return graph.edges.find((e) => e.from === id(from) && e.to === id(to))?.label;
}

describe('clusterDnsEndpoints', () => {
  test('without kube-dns in the manifests: one stand-in in kube-system, which no policy selects', () => {
    const model = modelOf(
      deployment('kube-system', 'metrics-server', { 'k8s-app': 'metrics-server' }),
      deployment('other', 'fake-dns', { 'k8s-app': 'kube-dns' }),
      policy('kube-system', 'deny-all', { podSelector: {}, policyTypes: ['Ingress', 'Egress'] }),
    );
    const [dns, ...rest] = clusterDnsEndpoints(model);
    expect(rest).toEqual([]);
    expect(dns).toEqual({
      index: -1,
      namespace: 'kube-system',
      name: 'kube-dns',
      kind: 'Deployment',
      id: 'kube-system/deployment/kube-dns',
      displayName: 'kube-system/kube-dns',
      labels: { 'k8s-app': 'kube-dns' },
      ports: [{ name: 'dns', port: 53, protocol: 'UDP' }, { name: 'dns-tcp', port: 53, protocol: 'TCP' }],
      isPod: false,
      origin: 'cluster DNS (not in the manifests)',
      annotations: {},
      hostNetwork: false,
      serviceAccount: 'default',
    });
    // A deny-all in kube-system would select it if it were in the model: the stand-in's own policies are unknown.
    expect(model.policiesFor(dns, Direction.INGRESS)).toEqual([]);
    expect(model.sideOf(dns, Direction.INGRESS)).toEqual({ admin: [], isolated: false, policies: [], baseline: [] });
  });

  test('with kube-dns in the manifests: those endpoints, and no stand-in', () => {
    const model = modelOf(coredns, pod('kube-system', 'node-local-dns', { 'k8s-app': 'kube-dns' }), deployment('kube-system', 'other', { app: 'x' }));
    expect(clusterDnsEndpoints(model).map((e) => e.id)).toEqual(['kube-system/deployment/coredns', 'kube-system/pod/node-local-dns']);
    expect(clusterDnsEndpoints(model)[0]).toBe(model.endpoints[0]);
  });
});

/** IPv6 outside the IPv4-mapped block ::ffff:0:0/96, whose addresses are the IPv4 ones: two ranges around it. */
const V6_LOW = '::-::fffe:ffff:ffff';
const V6_HIGH = '::1:0:0:0-ffff:ffff:ffff:ffff:ffff:ffff:ffff:ffff';

describe('describeRange', () => {
  const v4 = (first: string, last: string) => describeRange({ family: 4, first: parseIp(first)!.value, last: parseIp(last)!.value });
  const v6 = (first: string, last: string) => describeRange({ family: 6, first: parseIp(first)!.value, last: parseIp(last)!.value });

  test('a range that is exactly one CIDR is written as the CIDR', () => {
    expect(v4('0.0.0.0', '255.255.255.255')).toBe('0.0.0.0/0');
    expect(v4('10.0.0.0', '10.255.255.255')).toBe('10.0.0.0/8');
    expect(v4('192.0.2.7', '192.0.2.7')).toBe('192.0.2.7/32');
    expect(v6('::', 'ffff:ffff:ffff:ffff:ffff:ffff:ffff:ffff')).toBe('::/0');
    expect(v6('fe80::', 'febf:ffff:ffff:ffff:ffff:ffff:ffff:ffff')).toBe('fe80::/10');
  });

  test('any other range as first-last: a size that is not a power of two, or a block not aligned on its size', () => {
    expect(v4('0.0.0.0', '9.255.255.255')).toBe('0.0.0.0-9.255.255.255');
    expect(v4('10.0.0.1', '10.0.0.2')).toBe('10.0.0.1-10.0.0.2');
    expect(v4('11.0.0.0', '255.255.255.255')).toBe('11.0.0.0-255.255.255.255');
  });
});

describe('buildFlowGraph: the shop', () => {
  const workspace = useWorkspace();
  const graph = buildFlowGraph(Analyzer.fromFiles([writeShop(workspace, 'shop')])._model);

  test('namespaces by name, the DNS stand-in in kube-system, then the address ranges outside the cluster', () => {
    // shop/web may reach 0.0.0.0/0 except 10.0.0.0/8 on 443: 10.0.0.0/8 is where the answer changes.
    expect(graph.groups.map((g) => [g.namespace ?? '(outside)', g.nodes.map((n) => n.name)])).toEqual([
      ['data', ['data/db']],
      ['kube-system', ['kube-system/kube-dns']],
      ['shop', ['shop/api', 'shop/web']],
      ['(outside)', ['0.0.0.0-9.255.255.255', '10.0.0.0/8', '11.0.0.0-255.255.255.255', V6_LOW, V6_HIGH]],
    ]);
    expect(graph.restrictedTo).toBeUndefined();
  });

  test('pod to pod: exactly what both sides allow', () => {
    expect(edge(graph, 'shop/web', 'shop/api')).toBe('TCP 8080');
    expect(edge(graph, 'shop/api', 'data/db')).toBe('TCP 5432');
    // data/db may send anything (no egress isolation), but shop/api accepts only shop/web.
    expect(edge(graph, 'data/db', 'shop/api')).toBeUndefined();
    expect(edge(graph, 'shop/web', 'data/db')).toBeUndefined();
    // Loopback of the Pod is not drawn; the Deployments' replicas may not talk to each other.
    expect(edge(graph, 'data/db', 'data/db')).toBeUndefined();
    expect(edge(graph, 'shop/web', 'shop/web')).toBeUndefined();
  });

  test('the edges carry the connection set itself', () => {
    const web = graph.edges.find((e) => e.from === 'w_shop_2f_deployment_2f_web' && e.to === 'w_shop_2f_deployment_2f_api')!;
    expect(web.connections.isSameAs(ConnectionSet.ports(Protocol.TCP, 8080))).toBe(true);
    expect(web.label).toBe(String(web.connections));
  });

  test('the ipBlock with an except: TCP 443 to the ranges on either side of 10.0.0.0/8, nothing to it', () => {
    expect(edge(graph, 'shop/web', '0.0.0.0-9.255.255.255')).toBe('TCP 443');
    expect(edge(graph, 'shop/web', '11.0.0.0-255.255.255.255')).toBe('TCP 443');
    expect(edge(graph, 'shop/web', '10.0.0.0/8')).toBeUndefined();
    expect(edge(graph, 'shop/web', V6_LOW)).toBeUndefined();
    expect(edge(graph, 'shop/web', V6_HIGH)).toBeUndefined();
    expect(edge(graph, 'shop/api', '11.0.0.0-255.255.255.255')).toBeUndefined();
  });

  test('a pod without egress isolation reaches every range; nobody outside reaches the isolated ones', () => {
    for (const range of ['0.0.0.0-9.255.255.255', '10.0.0.0/8', '11.0.0.0-255.255.255.255', V6_LOW, V6_HIGH]) {
      expect(edge(graph, 'data/db', range)).toBe('all connections');
    }
    expect(graph.edges.filter((e) => e.from.startsWith('ip_'))).toEqual([]);
  });

  test('DNS: a stand-in, reachable from data/db but not from shop, whose policies allow no DNS', () => {
    expect(graph.nodes.find((n) => n.id === SYNTHETIC_DNS_ID)).toEqual({
      id: SYNTHETIC_DNS_ID,
      kind: 'dns',
      name: 'kube-system/kube-dns',
      label: 'kube-dns (cluster DNS, not in the manifests)',
      namespace: 'kube-system',
      synthetic: true,
    });
    expect(edge(graph, 'data/db', 'kube-system/kube-dns')).toBe('all connections');
    expect(edge(graph, 'shop/web', 'kube-system/kube-dns')).toBeUndefined();
    expect(edge(graph, 'shop/api', 'kube-system/kube-dns')).toBeUndefined();
  });

  test('restricted to ports: every edge within them, and the ranges split only where that view differs', () => {
    const model = Analyzer.fromFiles([workspace.path('shop')])._model;
    const ported = buildFlowGraph(model, [{ port: 8080, protocol: Protocol.TCP }, { port: 53, protocol: Protocol.UDP }]);
    expect(ported.restrictedTo).toEqual([{ port: 8080, protocol: 'TCP' }, { port: 53, protocol: 'UDP' }]);
    expect(edge(ported, 'shop/web', 'shop/api')).toBe('TCP 8080');
    expect(edge(ported, 'shop/api', 'data/db')).toBeUndefined();
    expect(edge(ported, 'data/db', 'kube-system/kube-dns')).toBe('TCP 8080, UDP 53');
    // On these ports shop/web reaches no address: 10.0.0.0/8 is no longer special.
    expect(ported.nodes.filter((n) => n.kind === 'address-range').map((n) => n.name)).toEqual(['0.0.0.0/0', V6_LOW, V6_HIGH]);
    expect(edge(ported, 'data/db', '0.0.0.0/0')).toBe('TCP 8080, UDP 53');
    expect(buildFlowGraph(model, [{ port: 443, protocol: Protocol.TCP }]).nodes.filter((n) => n.kind === 'address-range').map((n) => n.name))
      .toEqual(['0.0.0.0-9.255.255.255', '10.0.0.0/8', '11.0.0.0-255.255.255.255', V6_LOW, V6_HIGH]);
  });
});

describe('buildFlowGraph: cluster DNS', () => {
  const app = deployment('app', 'web', { app: 'web' });
  const denyEgress = policy('app', 'deny', { podSelector: {}, policyTypes: ['Egress'] });

  test('kube-dns in the manifests: its node is drawn as DNS, with no stand-in', () => {
    const graph = graphOf(namespace('app'), app, coredns, allowDns);
    expect(graph.nodes.find((n) => n.name === 'kube-system/coredns')).toMatchObject({ kind: 'dns', label: 'coredns (cluster DNS)', synthetic: false });
    expect(graph.nodes.some((n) => n.id === SYNTHETIC_DNS_ID)).toBe(false);
    expect(edge(graph, 'app/web', 'kube-system/coredns')).toBe('TCP 53, UDP 53');
  });

  test('the stand-in is judged by the egress of the source alone', () => {
    expect(edge(graphOf(app, allowDns), 'app/web', 'kube-system/kube-dns')).toBe('TCP 53, UDP 53');
    expect(edge(graphOf(app, denyEgress), 'app/web', 'kube-system/kube-dns')).toBeUndefined();
    expect(edge(graphOf(app), 'app/web', 'kube-system/kube-dns')).toBe('all connections');
  });

  test('named ports of an egress rule resolve against the stand-in\'s ports', () => {
    const named = policy('app', 'dns-by-name', {
      podSelector: {}, policyTypes: ['Egress'], egress: [{ ports: [{ port: 'dns', protocol: 'UDP' }, { port: 'dns-tcp', protocol: 'TCP' }] }],
    });
    expect(edge(graphOf(app, named), 'app/web', 'kube-system/kube-dns')).toBe('TCP 53, UDP 53');
  });

  test('the stand-in opens no connections: its egress is unknown', () => {
    const graph = graphOf(app);
    expect(graph.edges.filter((e) => e.from === SYNTHETIC_DNS_ID)).toEqual([]);
    // The same workload does accept connections from every address.
    expect(edge(graph, '0.0.0.0/0', 'app/web')).toBe('all connections');
    expect(edge(graph, V6_LOW, 'app/web')).toBe('all connections');
    expect(edge(graph, V6_HIGH, 'app/web')).toBe('all connections');
  });
});

describe('buildFlowGraph: outside the cluster', () => {
  const web = deployment('app', 'web', { app: 'web' }, [{ containerPort: 8080 }]);
  const rangeNames = (graph: FlowGraph) => graph.nodes.filter((n) => n.kind === 'address-range').map((n) => n.name);

  test('no ipBlock: each family is one range, and every address is in it', () => {
    const graph = graphOf(web);
    expect(rangeNames(graph)).toEqual(['0.0.0.0/0', V6_LOW, V6_HIGH]);
    expect(edge(graph, 'app/web', '0.0.0.0/0')).toBe('all connections');
  });

  test('a rule without peers reaches every range; an ipBlock adds its ports to its range only', () => {
    const graph = graphOf(web, policy('app', 'out', {
      podSelector: {},
      policyTypes: ['Egress'],
      egress: [
        { ports: [{ port: 443 }] },
        { to: [{ ipBlock: { cidr: '10.0.0.0/8' } }], ports: [{ port: 443 }, { port: 5432 }] },
      ],
    }));
    expect(rangeNames(graph)).toEqual(['0.0.0.0-9.255.255.255', '10.0.0.0/8', '11.0.0.0-255.255.255.255', V6_LOW, V6_HIGH]);
    expect(edge(graph, 'app/web', '10.0.0.0/8')).toBe('TCP 443, 5432');
    expect(edge(graph, 'app/web', '0.0.0.0-9.255.255.255')).toBe('TCP 443');
    expect(edge(graph, 'app/web', '11.0.0.0-255.255.255.255')).toBe('TCP 443');
    expect(edge(graph, 'app/web', V6_LOW)).toBe('TCP 443');
    expect(edge(graph, 'app/web', V6_HIGH)).toBe('TCP 443');
  });

  test('the coarsest split: adjacent blocks with the same answer are one range', () => {
    const graph = graphOf(web, policy('app', 'out', {
      podSelector: {},
      policyTypes: ['Egress'],
      egress: [
        { to: [{ ipBlock: { cidr: '10.0.0.0/9' } }], ports: [{ port: 443 }] },
        { to: [{ ipBlock: { cidr: '10.128.0.0/9' } }], ports: [{ port: 443 }] },
        { to: [{ ipBlock: { cidr: '11.0.0.0/8' } }], ports: [{ port: 443, endPort: 445 }] },
      ],
    }));
    expect(rangeNames(graph)).toEqual(['0.0.0.0-9.255.255.255', '10.0.0.0/8', '11.0.0.0/8', '12.0.0.0-255.255.255.255', V6_LOW, V6_HIGH]);
    expect(edge(graph, 'app/web', '10.0.0.0/8')).toBe('TCP 443');
    expect(edge(graph, 'app/web', '11.0.0.0/8')).toBe('TCP 443-445');
    expect(edge(graph, 'app/web', '0.0.0.0-9.255.255.255')).toBeUndefined();
    // Nothing reaches the outer ranges, but they receive: web is not isolated for ingress.
    expect(edge(graph, '12.0.0.0-255.255.255.255', 'app/web')).toBe('all connections');
  });

  test('ingress from an ipBlock: an edge from its range, judged by the destination alone', () => {
    const graph = graphOf(web, policy('app', 'in', {
      podSelector: { matchLabels: { app: 'web' } },
      ingress: [{ from: [{ ipBlock: { cidr: '203.0.113.0/24' } }], ports: [{ port: 8080 }] }],
    }));
    expect(edge(graph, '203.0.113.0/24', 'app/web')).toBe('TCP 8080');
    expect(edge(graph, '0.0.0.0-203.0.112.255', 'app/web')).toBeUndefined();
    expect(edge(graph, 'app/web', '203.0.113.0/24')).toBe('all connections');
    expect(edge(graph, 'app/web', '203.0.114.0-255.255.255.255')).toBe('all connections');
  });

  test('a range nobody may reach or be reached from has no node', () => {
    const graph = graphOf(web, policy('app', 'out', {
      podSelector: {},
      policyTypes: ['Ingress', 'Egress'],
      egress: [{ to: [{ ipBlock: { cidr: '10.0.0.0/8', except: ['10.0.0.0/9', '10.128.0.0/9'] } }] }],
    }));
    expect(rangeNames(graph)).toEqual([]);
    expect(graph.groups.map((g) => g.namespace)).toEqual(['app', 'kube-system']);
  });
});

describe('buildFlowGraph: pods and workloads', () => {
  test('without any policy: every pair on all connections; a workload to itself (replicas), but not a Pod to itself (loopback)', () => {
    const graph = graphOf(deployment('a', 'x', { app: 'x' }, [{ containerPort: 80 }]), pod('a', 'y', { app: 'y' }));
    expect(graph.edges.map((e) => `${e.from} -> ${e.to}: ${e.label}`)).toEqual([
      'w_a_2f_deployment_2f_x -> w_a_2f_deployment_2f_x: all connections',
      'w_a_2f_deployment_2f_x -> w_a_2f_pod_2f_y: all connections',
      `w_a_2f_deployment_2f_x -> ${SYNTHETIC_DNS_ID}: all connections`,
      'w_a_2f_deployment_2f_x -> ip_0_0_0_0m0: all connections',
      'w_a_2f_deployment_2f_x -> ip____to___fffe_ffff_ffff: all connections',
      'w_a_2f_deployment_2f_x -> ip___1_0_0_0_to_ffff_ffff_ffff_ffff_ffff_ffff_ffff_ffff: all connections',
      'w_a_2f_pod_2f_y -> w_a_2f_deployment_2f_x: all connections',
      `w_a_2f_pod_2f_y -> ${SYNTHETIC_DNS_ID}: all connections`,
      'w_a_2f_pod_2f_y -> ip_0_0_0_0m0: all connections',
      'w_a_2f_pod_2f_y -> ip____to___fffe_ffff_ffff: all connections',
      'w_a_2f_pod_2f_y -> ip___1_0_0_0_to_ffff_ffff_ffff_ffff_ffff_ffff_ffff_ffff: all connections',
      'ip_0_0_0_0m0 -> w_a_2f_deployment_2f_x: all connections',
      'ip_0_0_0_0m0 -> w_a_2f_pod_2f_y: all connections',
      'ip____to___fffe_ffff_ffff -> w_a_2f_deployment_2f_x: all connections',
      'ip____to___fffe_ffff_ffff -> w_a_2f_pod_2f_y: all connections',
      'ip___1_0_0_0_to_ffff_ffff_ffff_ffff_ffff_ffff_ffff_ffff -> w_a_2f_deployment_2f_x: all connections',
      'ip___1_0_0_0_to_ffff_ffff_ffff_ffff_ffff_ffff_ffff_ffff -> w_a_2f_pod_2f_y: all connections',
    ]);
  });

  test('ports nobody names count: a rule listing ports is those ports, never "all"', () => {
    const graph = graphOf(
      deployment('a', 'x', { app: 'x' }, [{ containerPort: 80 }]),
      policy('a', 'x-in', { podSelector: {}, ingress: [{ ports: [{ port: 80 }, { port: 53 }, { port: 53, protocol: 'UDP' }] }, { ports: [{ port: 9000, endPort: 9100 }] }] }),
    );
    expect(edge(graph, 'a/x', 'a/x')).toBe('TCP 53, 80, 9000-9100, UDP 53');
  });
});

describe('buildFlowGraph: ids and order', () => {
  test('ids are letters, digits and underscores, one per node, and escapes never collide', () => {
    const graph = graphOf(deployment('a-b', 'c', { app: 'c' }), deployment('a', 'b-c', { app: 'bc' }), policy('a', 'p', {
      podSelector: {}, policyTypes: ['Egress'], egress: [{ to: [{ ipBlock: { cidr: '2001:db8::/32' } }, { ipBlock: { cidr: '0.0.0.0/0', except: ['10.0.0.0/8'] } }] }],
    }));
    const ids = graph.nodes.map((n) => n.id);
    for (const id of ids) expect(id).toMatch(/^[A-Za-z][A-Za-z0-9_]*$/);
    expect(new Set(ids).size).toBe(ids.length);
    expect(ids).toEqual(expect.arrayContaining([
      'w_a_2d_b_2f_deployment_2f_c', 'w_a_2f_deployment_2f_b_2d_c',
      'ip_0_0_0_0_to_9_255_255_255', 'ip_10_0_0_0m8', 'ip_11_0_0_0_to_255_255_255_255',
      'ip____to___fffe_ffff_ffff', 'ip___1_0_0_0_to_2001_db7_ffff_ffff_ffff_ffff_ffff_ffff', 'ip_2001_db8__m32', 'ip_2001_db9___to_ffff_ffff_ffff_ffff_ffff_ffff_ffff_ffff',
    ]));
    expect(new Set(['a-b', 'a.b', 'a_b', 'a/b', 'a_2d_b'].map(escapeId)).size).toBe(5);
  });

  test('the same graph whatever the order of the manifests', () => {
    const objects = [
      namespace('app'), coredns, allowDns, deployment('app', 'web', { app: 'web' }, [{ containerPort: 80 }]), deployment('app', 'api', { app: 'api' }),
      policy('app', 'out', { podSelector: { matchLabels: { app: 'web' } }, policyTypes: ['Egress'], egress: [{ to: [{ ipBlock: { cidr: '0.0.0.0/0' } }] }] }),
    ];
    expect(graphOf(...[...objects].reverse())).toEqual(graphOf(...objects));
  });
});

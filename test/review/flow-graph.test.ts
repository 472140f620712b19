import { Analyzer } from '../../src/analysis/analyzer';
import { ClusterModel } from '../../src/analysis/cluster-model';
import { Direction } from '../../src/analysis/flow';
import { clusterDnsEndpoints } from '../../src/review/cluster-dns';
import { ANY_ADDRESS_ID, buildFlowGraph, escapeId, FlowGraph, SYNTHETIC_DNS_ID } from '../../src/review/flow-graph';
import { ipBlocksNamedBy } from '../../src/review/ip-blocks';
import { formatIp } from '../../src/validation/cidr';
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
    });
    // A deny-all in kube-system would select it if it were in the model: the stand-in's own policies are unknown.
    expect(model.policiesFor(dns, Direction.INGRESS)).toEqual([]);
  });

  test('with kube-dns in the manifests: those endpoints, and no stand-in', () => {
    const model = modelOf(coredns, pod('kube-system', 'node-local-dns', { 'k8s-app': 'kube-dns' }), deployment('kube-system', 'other', { app: 'x' }));
    expect(clusterDnsEndpoints(model).map((e) => e.id)).toEqual(['kube-system/deployment/coredns', 'kube-system/pod/node-local-dns']);
    expect(clusterDnsEndpoints(model)[0]).toBe(model.endpoints[0]);
  });
});

describe('ipBlocksNamedBy', () => {
  const egressTo = (name: string, ...blocks: object[]) =>
    policy('app', name, { podSelector: {}, policyTypes: ['Egress'], egress: [{ to: blocks.map((ipBlock) => ({ ipBlock })) }] });

  test('each distinct block once, IPv4 before IPv6, by network, prefix length, then excepts', () => {
    const model = modelOf(
      egressTo('a', { cidr: 'fd00::/8' }, { cidr: '10.0.0.0/8' }, { cidr: '0.0.0.0/0', except: ['10.0.0.0/8'] }),
      egressTo('b', { cidr: '10.0.0.0/8' }, { cidr: '10.0.0.0/16' }, { cidr: '0.0.0.0/0' }),
      policy('app', 'c', { podSelector: {}, ingress: [{ from: [{ ipBlock: { cidr: '192.168.0.0/16' } }] }] }),
    );
    expect(ipBlocksNamedBy(model).map((b) => b.text)).toEqual([
      '0.0.0.0/0', '0.0.0.0/0 except 10.0.0.0/8', '10.0.0.0/8', '10.0.0.0/16', '192.168.0.0/16', 'fd00::/8',
    ]);
  });

  test('the representative address is outside the excepts and, when possible, outside narrower blocks', () => {
    const model = modelOf(
      egressTo('a', { cidr: '0.0.0.0/0', except: ['0.0.0.0/8'] }, { cidr: '1.0.0.0/8' }),
      // The excepts leave nothing of this one.
      egressTo('b', { cidr: '172.16.0.0/12', except: ['172.16.0.0/13', '172.24.0.0/13'] }),
      // Narrower blocks cover this one entirely: fall back to its first address.
      egressTo('c', { cidr: '10.0.0.0/8' }, { cidr: '10.0.0.0/9' }, { cidr: '10.128.0.0/9' }),
      egressTo('d', { cidr: '2001:db8::/32', except: ['2001:db8::/48'] }),
    );
    const representatives = Object.fromEntries(ipBlocksNamedBy(model).map((b) => [
      b.text, b.representative && formatIp(b.representative.family, b.representative.value),
    ]));
    expect(representatives).toEqual({
      '0.0.0.0/0 except 0.0.0.0/8': '2.0.0.0',
      '1.0.0.0/8': '1.0.0.0',
      '10.0.0.0/8': '10.0.0.0',
      '10.0.0.0/9': '10.0.0.0',
      '10.128.0.0/9': '10.128.0.0',
      '172.16.0.0/12 except 172.16.0.0/13, 172.24.0.0/13': undefined,
      '2001:db8::/32 except 2001:db8::/48': '2001:db8:1::',
    });
  });
});

describe('buildFlowGraph: the shop', () => {
  const workspace = useWorkspace();
  const graph = buildFlowGraph(Analyzer.fromFiles([writeShop(workspace, 'shop')])._model);
  const EXTERNAL = '0.0.0.0/0 except 10.0.0.0/8';

  test('namespaces by name, the DNS stand-in in kube-system, then what is outside the cluster', () => {
    expect(graph.groups.map((g) => [g.namespace ?? '(outside)', g.nodes.map((n) => n.name)])).toEqual([
      ['data', ['data/db']],
      ['kube-system', ['kube-system/kube-dns']],
      ['shop', ['shop/api', 'shop/web']],
      ['(outside)', ['any address', EXTERNAL]],
    ]);
  });

  test('pod to pod: only what both sides allow, on the ports allowed', () => {
    expect(edge(graph, 'shop/web', 'shop/api')).toBe('TCP 8080');
    expect(edge(graph, 'shop/api', 'data/db')).toBe('TCP 5432');
    // data/db may send anything (no egress isolation), but shop/api accepts only shop/web.
    expect(edge(graph, 'data/db', 'shop/api')).toBeUndefined();
    expect(edge(graph, 'shop/web', 'data/db')).toBeUndefined();
    // Loopback of the Pod is not drawn; the Deployments' replicas may not talk to each other.
    expect(edge(graph, 'data/db', 'data/db')).toBeUndefined();
    expect(edge(graph, 'shop/web', 'shop/web')).toBeUndefined();
  });

  test('the ipBlock node carries the ports of its rule only', () => {
    const external = graph.edges.find((e) => e.to === 'ip_0_0_0_0m0_10_0_0_0m8' && e.from === 'w_shop_2f_deployment_2f_web');
    expect(external).toEqual({
      from: 'w_shop_2f_deployment_2f_web', to: 'ip_0_0_0_0m0_10_0_0_0m8', allPorts: false, ports: [{ port: 443, protocol: 'TCP' }], label: 'TCP 443',
    });
    expect(edge(graph, 'shop/web', 'any address')).toBeUndefined();
    expect(edge(graph, 'shop/api', EXTERNAL)).toBeUndefined();
  });

  test('a pod without egress isolation: one edge to any address, none to the ipBlocks', () => {
    expect(edge(graph, 'data/db', 'any address')).toBe('all ports');
    expect(edge(graph, 'data/db', EXTERNAL)).toBeUndefined();
    expect(graph.edges.filter((e) => e.from === ANY_ADDRESS_ID || e.from.startsWith('ip_'))).toEqual([]);
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
    expect(edge(graph, 'data/db', 'kube-system/kube-dns')).toBe('all ports');
    expect(edge(graph, 'shop/web', 'kube-system/kube-dns')).toBeUndefined();
    expect(edge(graph, 'shop/api', 'kube-system/kube-dns')).toBeUndefined();
    expect(graph.ports).toEqual([
      { port: 53, protocol: 'TCP' }, { port: 443, protocol: 'TCP' }, { port: 5432, protocol: 'TCP' }, { port: 8080, protocol: 'TCP' },
      { port: 53, protocol: 'UDP' },
    ]);
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
    expect(edge(graphOf(app), 'app/web', 'kube-system/kube-dns')).toBe('all ports');
  });

  test('the stand-in opens no connections: its egress is unknown', () => {
    const graph = graphOf(app);
    expect(graph.edges.filter((e) => e.from === SYNTHETIC_DNS_ID)).toEqual([]);
    // The same workload does accept connections from any address.
    expect(edge(graph, 'any address', 'app/web')).toBe('all ports');
  });
});

describe('buildFlowGraph: outside the cluster', () => {
  const web = deployment('app', 'web', { app: 'web' }, [{ containerPort: 8080 }]);

  test('a rule without peers goes to any address; an ipBlock edge shows only the ports beyond it', () => {
    const graph = graphOf(web, policy('app', 'out', {
      podSelector: {},
      policyTypes: ['Egress'],
      egress: [
        { ports: [{ port: 443 }] },
        { to: [{ ipBlock: { cidr: '10.0.0.0/8' } }], ports: [{ port: 443 }, { port: 5432 }] },
      ],
    }));
    expect(edge(graph, 'app/web', 'any address')).toBe('TCP 443');
    expect(edge(graph, 'app/web', '10.0.0.0/8')).toBe('TCP 5432');
  });

  test('an ipBlock rule without ports: all ports', () => {
    const graph = graphOf(web, policy('app', 'out', {
      podSelector: {}, policyTypes: ['Egress'], egress: [{ to: [{ ipBlock: { cidr: '192.0.2.0/24' } }] }],
    }));
    expect(graph.edges.find((e) => e.to === 'ip_192_0_2_0m24')).toMatchObject({ allPorts: true, label: 'all ports' });
    expect(edge(graph, 'app/web', 'any address')).toBeUndefined();
  });

  test('ingress from an ipBlock: an edge from the block, judged by the destination alone', () => {
    const graph = graphOf(web, policy('app', 'in', {
      podSelector: { matchLabels: { app: 'web' } },
      ingress: [{ from: [{ ipBlock: { cidr: '203.0.113.0/24' } }], ports: [{ port: 8080 }] }],
    }));
    expect(edge(graph, '203.0.113.0/24', 'app/web')).toBe('TCP 8080');
    expect(edge(graph, 'any address', 'app/web')).toBeUndefined();
    expect(edge(graph, 'app/web', '203.0.113.0/24')).toBeUndefined();
    expect(edge(graph, 'app/web', 'any address')).toBe('all ports');
  });

  test('a block the excepts empty, or that nobody reaches, has no node', () => {
    const graph = graphOf(web, policy('app', 'out', {
      podSelector: {},
      policyTypes: ['Egress'],
      egress: [{ to: [{ ipBlock: { cidr: '10.0.0.0/8', except: ['10.0.0.0/9', '10.128.0.0/9'] } }] }],
    }));
    expect(graph.nodes.filter((n) => n.namespace === undefined).map((n) => n.name)).toEqual(['any address']);
    expect(edge(graph, 'any address', 'app/web')).toBe('all ports');
  });
});

describe('buildFlowGraph: pods and workloads', () => {
  test('without any policy: every pair on all ports; a workload to itself (replicas), but not a Pod to itself (loopback)', () => {
    const graph = graphOf(deployment('a', 'x', { app: 'x' }, [{ containerPort: 80 }]), pod('a', 'y', { app: 'y' }));
    expect(graph.edges.map((e) => `${e.from} -> ${e.to}: ${e.label}`)).toEqual([
      'w_a_2f_deployment_2f_x -> w_a_2f_deployment_2f_x: all ports',
      'w_a_2f_deployment_2f_x -> w_a_2f_pod_2f_y: all ports',
      `w_a_2f_deployment_2f_x -> ${SYNTHETIC_DNS_ID}: all ports`,
      `w_a_2f_deployment_2f_x -> ${ANY_ADDRESS_ID}: all ports`,
      'w_a_2f_pod_2f_y -> w_a_2f_deployment_2f_x: all ports',
      `w_a_2f_pod_2f_y -> ${SYNTHETIC_DNS_ID}: all ports`,
      `w_a_2f_pod_2f_y -> ${ANY_ADDRESS_ID}: all ports`,
      `${ANY_ADDRESS_ID} -> w_a_2f_deployment_2f_x: all ports`,
      `${ANY_ADDRESS_ID} -> w_a_2f_pod_2f_y: all ports`,
    ]);
  });

  test('every checked port allowed is not "all ports" when a rule lists ports', () => {
    const graph = graphOf(
      deployment('a', 'x', { app: 'x' }, [{ containerPort: 80 }]),
      policy('a', 'x-in', { podSelector: {}, ingress: [{ ports: [{ port: 80 }, { port: 53 }, { port: 53, protocol: 'UDP' }] }] }),
    );
    expect(edge(graph, 'a/x', 'a/x')).toBe('TCP 53, TCP 80, UDP 53');
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
    expect(ids).toEqual(expect.arrayContaining(['w_a_2d_b_2f_deployment_2f_c', 'w_a_2f_deployment_2f_b_2d_c', 'ip_0_0_0_0m0_10_0_0_0m8', 'ip_2001_db8__m32']));
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

/**
 * Real-world manifests: the test inputs of np-guard/netpol-analyzer (Apache-2.0,
 * third-party, read-only; see its README.md), kept outside the project in
 * /work/shared/corpus/np-guard. Only this test reads them; the project does not
 * depend on them at run time.
 *
 * Every case folder must load. The counts and the flows below were derived by
 * reading the YAML (the comments say why each flow is allowed or denied), never
 * from the analyzer's output.
 */
import * as fs from 'fs';
import * as path from 'path';
import { Protocol } from '../../src';
import { Analyzer } from '../../src/analysis/analyzer';

// A vendored copy of ../shared/corpus/np-guard (Apache-2.0, see its README.md and LICENSE),
// so the suite runs wherever the repository is cloned.
const CORPUS = path.join(__dirname, '../fixtures/np-guard');

/** Every case folder of the corpus (its README lists the same 60). */
const CASES = [
  'acs-security-demos-no-routes',
  'acs-security-demos-with-netpol-list',
  'acs_security_frontend_demos',
  'core_pods_without_host_ip',
  'exposure_matched_and_unmatched_rules_test',
  'exposure_test_conn_to_all_pods_in_an_existing_ns',
  'exposure_test_egress_with_named_port_with_matching_pod',
  'exposure_test_real_namespace_with_matching_pod',
  'exposure_test_rule_with_multiple_match_expressions_with_matching_pod',
  'exposure_test_to_any_namespace_with_podSelector',
  'exposure_test_to_namespace_except_specific_pod',
  'exposure_test_with_different_rules_2_with_matching_pod',
  'exposure_test_with_different_rules_3_with_matching_pod',
  'exposure_test_with_different_rules_4_with_matching_pods',
  'exposure_test_with_different_rules_5_with_matching_pods',
  'exposure_test_with_different_rules_6_with_matching_pods',
  'exposure_test_with_match_expression_does_not_exist_op_with_matching_pods',
  'exposure_test_with_match_expression_exists_op_with_matching_pods',
  'exposure_test_with_match_expression_in_op_with_matching_pod',
  'exposure_test_with_match_expression_not_in_op_with_matching_pods',
  'exposure_test_with_multiple_policies_1_with_matching_pod',
  'exposure_test_with_multiple_policies_2',
  'exposure_test_with_real_pod_and_namespace',
  'exposure_to_new_namespace_conn_and_entire_cluster_with_matching_pod',
  'ipblockstest',
  'ipblockstest_2',
  'ipblockstest_3',
  'ipblockstest_4',
  'k8s_ingress_test',
  'k8s_ingress_test_new',
  'minikube_resources',
  'minimal_test_in_ns',
  'multiple_topology_resources_1',
  'multiple_topology_resources_2',
  'multiple_topology_resources_3',
  'multiple_topology_resources_4',
  'netpol-analysis-example-minimal',
  'new_online_boutique',
  'new_online_boutique_synthesis',
  'online_boutique_workloads_no_ns',
  'onlineboutique',
  'onlineboutique_workloads',
  'semanticDiff-different-topologies-policy-a',
  'semanticDiff-different-topologies-policy-a-with-ipblock',
  'semanticDiff-different-topologies-policy-b',
  'semanticDiff-different-topologies-policy-b-with-ipblock',
  'semanticDiff-orig-topologies-no-policy',
  'semanticDiff-orig-topologies-policy-a',
  'semanticDiff-same-topologies-new1',
  'semanticDiff-same-topologies-new1a',
  'semanticDiff-same-topologies-new2',
  'semanticDiff-same-topologies-new3',
  'semanticDiff-same-topologies-old1',
  'semanticDiff-same-topologies-old2',
  'semanticDiff-same-topologies-old3',
  'test_with_named_ports',
  'test_with_named_ports_changed_netpol',
  'test_with_named_ports_changed_netpol_2',
  'with_end_port_example',
  'with_end_port_example_new',
];

/**
 * [endpoints, networking.k8s.io/v1 NetworkPolicies, namespaces] per case.
 *
 * Counted from the YAML/JSON (List and typed-list items included): endpoints are
 * the Pods and pod-creating workloads; namespaces are the declared Namespace
 * objects plus the namespaces used by endpoints and policies (`default` when
 * metadata.namespace is absent). The cases marked "by hand" were also counted
 * manually while writing the flow tests below.
 */
const COUNTS: Record<string, [number, number, number]> = {
  'acs-security-demos-no-routes': [11, 14, 3], // by hand: 11 Deployments, 14 policies in acs_netpols.yaml; backend, frontend, payments
  'acs-security-demos-with-netpol-list': [11, 14, 3], // by hand: same, the policies as one NetworkPolicyList
  'acs_security_frontend_demos': [2, 3, 1],
  'core_pods_without_host_ip': [29, 1, 8],
  'exposure_matched_and_unmatched_rules_test': [2, 1, 1],
  'exposure_test_conn_to_all_pods_in_an_existing_ns': [2, 1, 2],
  'exposure_test_egress_with_named_port_with_matching_pod': [2, 1, 2],
  'exposure_test_real_namespace_with_matching_pod': [2, 2, 1],
  'exposure_test_rule_with_multiple_match_expressions_with_matching_pod': [3, 1, 1],
  'exposure_test_to_any_namespace_with_podSelector': [2, 3, 1],
  'exposure_test_to_namespace_except_specific_pod': [2, 2, 2], // by hand: backend-app, workload-a; two policies; backend (implicit), hello-world
  'exposure_test_with_different_rules_2_with_matching_pod': [3, 1, 1],
  'exposure_test_with_different_rules_3_with_matching_pod': [3, 1, 1],
  'exposure_test_with_different_rules_4_with_matching_pods': [4, 1, 1],
  'exposure_test_with_different_rules_5_with_matching_pods': [4, 1, 1],
  'exposure_test_with_different_rules_6_with_matching_pods': [4, 1, 3],
  'exposure_test_with_match_expression_does_not_exist_op_with_matching_pods': [4, 1, 2],
  'exposure_test_with_match_expression_exists_op_with_matching_pods': [4, 1, 2],
  'exposure_test_with_match_expression_in_op_with_matching_pod': [2, 1, 2],
  'exposure_test_with_match_expression_not_in_op_with_matching_pods': [4, 1, 2],
  'exposure_test_with_multiple_policies_1_with_matching_pod': [2, 2, 2],
  'exposure_test_with_multiple_policies_2': [2, 2, 1],
  'exposure_test_with_real_pod_and_namespace': [2, 1, 2],
  'exposure_to_new_namespace_conn_and_entire_cluster_with_matching_pod': [3, 1, 2],
  'ipblockstest': [29, 1, 8], // by hand: a PodList of 29 pods, one policy, a NamespaceList of 8
  'ipblockstest_2': [29, 1, 8],
  'ipblockstest_3': [29, 1, 8],
  'ipblockstest_4': [29, 1, 8],
  'k8s_ingress_test': [6, 0, 1],
  'k8s_ingress_test_new': [7, 4, 1],
  'minikube_resources': [12, 0, 5],
  'minimal_test_in_ns': [2, 1, 1],
  'multiple_topology_resources_1': [32, 2, 9],
  'multiple_topology_resources_2': [32, 2, 9],
  'multiple_topology_resources_3': [32, 0, 9],
  'multiple_topology_resources_4': [32, 1, 9],
  'netpol-analysis-example-minimal': [2, 3, 1],
  'new_online_boutique': [11, 11, 1],
  'new_online_boutique_synthesis': [11, 11, 1],
  'online_boutique_workloads_no_ns': [12, 11, 1],
  'onlineboutique': [12, 11, 5], // by hand: a List of 12 Pods in default, 11 policies (no namespace: default), a List of 5 Namespaces
  'onlineboutique_workloads': [12, 11, 5],
  'semanticDiff-different-topologies-policy-a': [5, 1, 2],
  'semanticDiff-different-topologies-policy-a-with-ipblock': [5, 2, 2],
  'semanticDiff-different-topologies-policy-b': [5, 1, 2],
  'semanticDiff-different-topologies-policy-b-with-ipblock': [5, 2, 2],
  'semanticDiff-orig-topologies-no-policy': [29, 0, 8],
  'semanticDiff-orig-topologies-policy-a': [29, 1, 8],
  'semanticDiff-same-topologies-new1': [3, 2, 2],
  'semanticDiff-same-topologies-new1a': [3, 2, 2],
  'semanticDiff-same-topologies-new2': [3, 1, 2],
  'semanticDiff-same-topologies-new3': [3, 2, 2],
  'semanticDiff-same-topologies-old1': [3, 2, 2],
  'semanticDiff-same-topologies-old2': [3, 1, 2],
  'semanticDiff-same-topologies-old3': [3, 2, 2],
  'test_with_named_ports': [29, 1, 8], // by hand: a PodList (JSON) of 29 pods, one policy, a NamespaceList (JSON) of 8
  'test_with_named_ports_changed_netpol': [29, 1, 8],
  'test_with_named_ports_changed_netpol_2': [29, 1, 8],
  'with_end_port_example': [29, 1, 8], // by hand: same pods and namespaces as YAML typed lists
  'with_end_port_example_new': [29, 1, 8],
};

const corpusPresent = fs.existsSync(CORPUS) && fs.statSync(CORPUS).isDirectory();

const loaded = new Map<string, Analyzer>();

/** The analyzer of one case folder, loaded once. */
function load(name: string): Analyzer {
  if (!corpusPresent) {
    throw new Error(`The np-guard corpus is missing: expected the folder ${CORPUS}.`);
  }
  let analyzer = loaded.get(name);
  if (!analyzer) {
    analyzer = Analyzer.fromFiles([path.join(CORPUS, name)]);
    loaded.set(name, analyzer);
  }
  return analyzer;
}

test('the corpus is where the tests expect it, with every case folder', () => {
  if (!corpusPresent) {
    throw new Error(`The np-guard corpus is missing: expected the folder ${CORPUS}.`);
  }
  const folders = fs.readdirSync(CORPUS, { withFileTypes: true }).filter((e) => e.isDirectory()).map((e) => e.name).sort();
  expect(folders).toEqual([...CASES].sort());
  expect(Object.keys(COUNTS).sort()).toEqual([...CASES].sort());
});

describe.each(CASES)('%s', (name) => {
  test('loads, without warnings, with the expected counts', () => {
    const a = load(name);
    expect(a.warnings).toEqual([]);
    expect([a.endpoints.length, a.policies.length, a.namespaces.length]).toEqual(COUNTS[name]);
  });
});

// ---------------------------------------------------------------------------
// acs-security-demos: 11 Deployments in frontend, backend, payments (no
// Namespace objects: only the implicit kubernetes.io/metadata.name labels,
// which the policies use); one policy per app plus a default deny (Ingress
// and Egress, no rules) in each namespace. Both folders hold the same policies
// (one as separate documents, one as a NetworkPolicyList).
// ---------------------------------------------------------------------------

describe.each(['acs-security-demos-no-routes', 'acs-security-demos-with-netpol-list'])('flows of %s', (name) => {
  let a: Analyzer;
  beforeAll(() => {
    a = load(name);
  });

  test('webapp -> checkout on TCP 8080: allowed on both sides', () => {
    // webapp-netpol egress[0]: to namespace backend AND app=checkout, TCP 8080;
    // checkout-netpol ingress[0]: from namespace frontend AND app=webapp, TCP 8080
    const e = a.explain({ from: 'frontend/webapp', to: 'backend/checkout', port: 8080 });
    expect(e.allowed).toBe(true);
    expect(e.egress.selectingPolicies).toEqual(['frontend/webapp-netpol', 'frontend/default-deny-in-namespace-frontend']);
    expect(e.egress.allowedBy).toMatchObject({ policy: 'frontend/webapp-netpol', rule: 'spec.egress[0]', port: 'TCP 8080' });
    expect(e.ingress.allowedBy).toMatchObject({ policy: 'backend/checkout-netpol', rule: 'spec.ingress[0]', port: 'TCP 8080' });
  });

  test('webapp -> checkout on TCP 8081: denied (every rule is on 8080)', () => {
    expect(a.isAllowed({ from: 'frontend/webapp', to: 'backend/checkout', port: 8081 })).toBe(false);
  });

  test('webapp -> catalog: denied on both sides', () => {
    // webapp may reach checkout, recommendation, reports, shipping (and DNS), not catalog;
    // catalog admits only recommendation and reports
    const e = a.explain({ from: 'frontend/webapp', to: 'backend/catalog', port: 8080 });
    expect(e.allowed).toBe(false);
    expect(e.egress.allowed).toBe(false);
    expect(e.ingress.allowed).toBe(false);
  });

  test('checkout -> payments/gateway and gateway -> visa-processor: allowed', () => {
    // checkout egress[2]: namespace payments AND app=gateway; gateway ingress[0]: namespace backend AND app=checkout
    expect(a.isAllowed({ from: 'backend/checkout', to: 'payments/gateway', port: 8080 })).toBe(true);
    // gateway egress[1]: app=visa-processor (its own namespace); visa-processor ingress[0]: app=gateway
    expect(a.isAllowed({ from: 'payments/gateway', to: 'payments/visa-processor', port: 8080 })).toBe(true);
    // visa-processor also listens on 22, which no rule opens
    expect(a.isAllowed({ from: 'payments/gateway', to: 'payments/visa-processor', port: 22 })).toBe(false);
  });

  test('recommendation -> catalog allowed, catalog -> recommendation denied (catalog has no egress rules)', () => {
    expect(a.isAllowed({ from: 'backend/recommendation', to: 'backend/catalog', port: 8080 })).toBe(true);
    // catalog-netpol lists Egress in policyTypes without egress rules, like the namespace default deny
    const e = a.explain({ from: 'backend/catalog', to: 'backend/recommendation', port: 8080 });
    expect(e.allowed).toBe(false);
    expect(e.egress.unmatched.map((u) => ({ policy: u.policy, rules: u.rules }))).toEqual([
      { policy: 'backend/catalog-netpol', rules: [] },
      { policy: 'backend/default-deny-in-namespace-backend', rules: [] },
    ]);
  });

  test('checkout -> webapp on UDP 5353: egress allows (DNS rule to every namespace), ingress does not', () => {
    // checkout egress[3]: namespaceSelector {} on UDP 5353; webapp admits only TCP 8080
    const e = a.explain({ from: 'backend/checkout', to: 'frontend/webapp', port: 5353, protocol: Protocol.UDP });
    expect(e.egress.allowed).toBe(true);
    expect(e.egress.allowedBy?.rule).toBe('spec.egress[3]');
    expect(e.ingress.allowed).toBe(false);
    expect(e.allowed).toBe(false);
  });

  test('reports -> asset-cache: asset-cache admits every namespace on 8080, but reports may not go there', () => {
    const e = a.explain({ from: 'backend/reports', to: 'frontend/asset-cache', port: 8080 });
    expect(e.ingress.allowed).toBe(true);
    expect(e.egress.allowed).toBe(false);
    expect(e.allowed).toBe(false);
  });

  test('namespaceSelector {} selects pods, not addresses outside the cluster', () => {
    // webapp ingress: from namespaceSelector {} on 8080; webapp egress: DNS to namespaceSelector {}
    expect(a.isAllowed({ from: 'ip:203.0.113.7', to: 'frontend/webapp', port: 8080 })).toBe(false);
    expect(a.isAllowed({ from: 'frontend/webapp', to: 'ip:8.8.8.8', port: 5353, protocol: Protocol.UDP })).toBe(false);
  });
});

// ---------------------------------------------------------------------------
// onlineboutique: 12 Pods in default; 11 policies without metadata.namespace
// (so in default), all with policyTypes [Ingress, Egress]; redis-cart is
// selected by none. Ports without protocol are TCP.
// ---------------------------------------------------------------------------

describe('flows of onlineboutique', () => {
  const FRONTEND = 'default/frontend-99684f7f8-l7mqq';
  const LOADGENERATOR = 'default/loadgenerator-555fbdc87d-cgxv8';
  const CART = 'default/cartservice-74f56fd4b-8fjzp';
  const CHECKOUT = 'default/checkoutservice-69c8ff664b-x5bhp';
  const EMAIL = 'default/emailservice-54c7c5d9d-vp27n';
  const REDIS = 'default/redis-cart-78746d49dc-5hk5z';
  const RECOMMENDATION = 'default/recommendationservice-5f8c456796-b594r';
  const CATALOG = 'default/productcatalogservice-68765d49b6-dkxzk';
  let a: Analyzer;
  beforeAll(() => {
    a = load('onlineboutique');
  });

  test('loadgenerator -> frontend on TCP 8080: allowed; UDP 8080: denied', () => {
    // loadgenerator-netpol egress[0]: app=frontend port 8080; frontend-netpol ingress[0]: app=loadgenerator port 8080
    expect(a.isAllowed({ from: LOADGENERATOR, to: FRONTEND, port: 8080 })).toBe(true);
    expect(a.isAllowed({ from: LOADGENERATOR, to: FRONTEND, port: 8080, protocol: Protocol.UDP })).toBe(false);
  });

  test('frontend -> cartservice on 7070: allowed by the second ingress rule of cartservice-netpol', () => {
    const e = a.explain({ from: FRONTEND, to: CART, port: 7070 });
    expect(e.allowed).toBe(true);
    expect(e.egress.allowedBy).toMatchObject({ policy: 'default/frontend-netpol', rule: 'spec.egress[1]' });
    expect(e.ingress.allowedBy).toMatchObject({ policy: 'default/cartservice-netpol', rule: 'spec.ingress[1]', peer: 'pods app=frontend in namespace default', port: 'TCP 7070' });
  });

  test('checkoutservice -> emailservice on 8080 allowed; frontend -> emailservice denied on both sides', () => {
    expect(a.isAllowed({ from: CHECKOUT, to: EMAIL, port: 8080 })).toBe(true);
    // frontend's 8080 egress rule is to recommendationservice only; emailservice admits only checkoutservice
    const e = a.explain({ from: FRONTEND, to: EMAIL, port: 8080 });
    expect([e.egress.allowed, e.ingress.allowed]).toEqual([false, false]);
  });

  test('recommendationservice -> productcatalogservice on 3550: allowed by ingress[2]', () => {
    expect(a.explain({ from: RECOMMENDATION, to: CATALOG, port: 3550 }).ingress.allowedBy?.rule).toBe('spec.ingress[2]');
  });

  test('frontend -> redis-cart: denied by frontend egress only (redis-cart is not isolated)', () => {
    const e = a.explain({ from: FRONTEND, to: REDIS, port: 6379 });
    expect(e.allowed).toBe(false);
    expect(e.egress.allowed).toBe(false);
    expect(e.ingress).toMatchObject({ isolated: false, allowed: true });
  });

  test('cartservice -> redis-cart: denied, `egress: []` with explicit policyTypes Egress isolates egress', () => {
    const e = a.explain({ from: CART, to: REDIS, port: 6379 });
    expect(e.allowed).toBe(false);
    expect(e.egress.unmatched).toEqual([{ policy: 'default/cartservice-netpol', rules: [], reason: 'default/cartservice-netpol has no egress rules (it denies)' }]);
  });

  test('redis-cart -> frontend: denied at frontend ingress (loadgenerator only); frontend -> loadgenerator: `ingress: []` denies', () => {
    const e = a.explain({ from: REDIS, to: FRONTEND, port: 8080 });
    expect(e.egress).toMatchObject({ isolated: false, allowed: true });
    expect(e.ingress.allowed).toBe(false);
    expect(a.isAllowed({ from: FRONTEND, to: LOADGENERATOR, port: 8089 })).toBe(false);
  });
});

// ---------------------------------------------------------------------------
// test_with_named_ports: one policy in kube-system-dummy-to-ignore, selecting
// every pod there, admitting everyone on the named ports dns-local (UDP) and
// dns-tcp-local (TCP). The kube-dns pods name 10053/UDP dns-local, 10053/TCP
// dns-tcp-local, 53/UDP dns, 53/TCP dns-tcp, 10054/TCP metrics.
// ---------------------------------------------------------------------------

describe('flows of test_with_named_ports', () => {
  const CLIENT = 'default/cog-agents-d54st';
  const DNS = 'kube-system-dummy-to-ignore/kube-dns-amd64-d66bf76db-9s486';
  const DASHBOARD = 'kube-system-dummy-to-ignore/kubernetes-dashboard-5b5f985bcf-cvg7r';
  let a: Analyzer;
  beforeAll(() => {
    a = load('test_with_named_ports');
  });

  test('the named ports resolve on the kube-dns pod, with their protocol', () => {
    expect(a.isAllowed({ from: CLIENT, to: DNS, port: 10053, protocol: Protocol.UDP })).toBe(true);
    expect(a.isAllowed({ from: CLIENT, to: DNS, port: 10053, protocol: Protocol.TCP })).toBe(true);
    expect(a.explain({ from: CLIENT, to: DNS, port: 10053, protocol: Protocol.UDP }).ingress.allowedBy).toEqual({
      policy: 'kube-system-dummy-to-ignore/ingress-based-on-named-ports',
      rule: 'spec.ingress[0]',
      peer: 'everyone',
      port: 'UDP port named "dns-local"',
    });
  });

  test('other ports of kube-dns are not named in the policy: denied', () => {
    expect(a.isAllowed({ from: CLIENT, to: DNS, port: 53, protocol: Protocol.UDP })).toBe(false);
    expect(a.isAllowed({ from: CLIENT, to: DNS, port: 53, protocol: Protocol.TCP })).toBe(false);
    expect(a.isAllowed({ from: CLIENT, to: DNS, port: 10054 })).toBe(false);
  });

  test('the dashboard pod has no such named ports: nothing reaches it', () => {
    expect(a.isAllowed({ from: CLIENT, to: DASHBOARD, port: 9090 })).toBe(false);
    expect(a.isAllowed({ from: CLIENT, to: DASHBOARD, port: 10053, protocol: Protocol.UDP })).toBe(false);
  });

  test('no `from`: addresses outside the cluster are admitted too', () => {
    expect(a.isAllowed({ from: 'ip:8.8.8.8', to: DNS, port: 10053, protocol: Protocol.UDP })).toBe(true);
  });

  test('pods of other namespaces are not isolated', () => {
    expect(a.isAllowed({ from: DNS, to: CLIENT, port: 80 })).toBe(true);
  });
});

// ---------------------------------------------------------------------------
// with_end_port_example: one policy selecting every pod of kube-system,
// admitting everyone on 1-65535 for UDP, TCP and SCTP.
// ---------------------------------------------------------------------------

describe('flows of with_end_port_example', () => {
  const CLIENT = 'default/cog-agents-d54st';
  const TILLER = 'kube-system/tiller-deploy-5c45c9966b-nqwz6';
  let a: Analyzer;
  beforeAll(() => {
    a = load('with_end_port_example');
  });

  test('the ranges cover every port of every protocol, both ends included', () => {
    expect(a.explain({ from: CLIENT, to: TILLER, port: 44134 }).ingress.allowedBy?.port).toBe('TCP 1-65535');
    expect(a.explain({ from: CLIENT, to: TILLER, port: 1, protocol: Protocol.UDP }).ingress.allowedBy?.port).toBe('UDP 1-65535');
    expect(a.explain({ from: CLIENT, to: TILLER, port: 65535, protocol: Protocol.SCTP }).ingress.allowedBy?.port).toBe('SCTP 1-65535');
  });

  test('every kube-system pod is isolated for ingress, and allowed from outside the cluster', () => {
    const e = a.explain({ from: 'ip:203.0.113.9', to: 'kube-system/vpn-858f6d9777-2bw5m', port: 1194, protocol: Protocol.UDP });
    expect(e.allowed).toBe(true);
    expect(e.ingress).toMatchObject({ isolated: true, selectingPolicies: ['kube-system/enable-all-protocols-with-all-ports'] });
  });
});

// ---------------------------------------------------------------------------
// ipblockstest: one policy in kube-system selecting tier=frontend, admitting
// only ipBlock 0.0.0.0/0 except 10/8, 172.21/16, 172.30/16, on UDP 53.
// ipblockstest_3: the same on TCP 53, with 10/8 split into 10.0/9 and 10.128/9.
// ---------------------------------------------------------------------------

describe('flows of ipblockstest', () => {
  const VPN = 'kube-system/vpn-858f6d9777-2bw5m'; // tier=frontend
  let a: Analyzer;
  beforeAll(() => {
    a = load('ipblockstest');
  });

  test('addresses inside the block and outside the excepts: allowed on UDP 53 only', () => {
    expect(a.isAllowed({ from: 'ip:8.8.8.8', to: VPN, port: 53, protocol: Protocol.UDP })).toBe(true);
    expect(a.isAllowed({ from: 'ip:172.22.0.1', to: VPN, port: 53, protocol: Protocol.UDP })).toBe(true);
    expect(a.isAllowed({ from: 'ip:172.31.0.0', to: VPN, port: 53, protocol: Protocol.UDP })).toBe(true);
    expect(a.isAllowed({ from: 'ip:8.8.8.8', to: VPN, port: 53, protocol: Protocol.TCP })).toBe(false);
  });

  test('excepted addresses: denied', () => {
    for (const ip of ['10.0.0.0', '10.1.2.3', '10.255.255.255', '172.21.0.1', '172.30.255.255']) {
      expect(a.isAllowed({ from: `ip:${ip}`, to: VPN, port: 53, protocol: Protocol.UDP })).toBe(false);
    }
  });

  test('IPv6 addresses are not in 0.0.0.0/0', () => {
    expect(a.isAllowed({ from: 'ip:2001:db8::1', to: VPN, port: 53, protocol: Protocol.UDP })).toBe(false);
  });

  test('the ipBlock does not select pods', () => {
    expect(a.isAllowed({ from: 'default/cognetive-agents-d54st', to: VPN, port: 53, protocol: Protocol.UDP })).toBe(false);
  });

  test('kube-system pods without tier=frontend are not isolated', () => {
    expect(a.isAllowed({ from: 'ip:10.1.2.3', to: 'kube-system/calico-node-ns8kw', port: 80 })).toBe(true);
    expect(a.isAllowed({ from: 'ip:10.1.2.3', to: 'kube-system/ibm-keepalived-watcher-wczq8', port: 80 })).toBe(true);
  });

  test('ipblockstest_3: two /9 excepts cover 10/8', () => {
    const b = load('ipblockstest_3');
    expect(b.isAllowed({ from: 'ip:10.127.255.255', to: VPN, port: 53 })).toBe(false);
    expect(b.isAllowed({ from: 'ip:10.128.0.0', to: VPN, port: 53 })).toBe(false);
    expect(b.isAllowed({ from: 'ip:11.0.0.0', to: VPN, port: 53 })).toBe(true);
    expect(b.isAllowed({ from: 'ip:11.0.0.0', to: VPN, port: 53, protocol: Protocol.UDP })).toBe(false);
  });
});

// ---------------------------------------------------------------------------
// exposure_test_to_namespace_except_specific_pod: backend/backend-app has all
// egress denied (policyTypes [Egress], no rules); hello-world/workload-a admits
// the namespace backend on TCP 8050 and has Egress isolated without rules.
// backend is implicit (no Namespace object), hello-world is declared.
// ---------------------------------------------------------------------------

describe('flows of exposure_test_to_namespace_except_specific_pod', () => {
  let a: Analyzer;
  beforeAll(() => {
    a = load('exposure_test_to_namespace_except_specific_pod');
  });

  test('backend-app -> workload-a on 8050: ingress admits it, egress does not', () => {
    const e = a.explain({ from: 'backend/backend-app', to: 'hello-world/workload-a', port: 8050 });
    expect(e.ingress.allowedBy).toMatchObject({ policy: 'hello-world/allow-ingress-to-backend-ns', peer: 'all pods in namespaces kubernetes.io/metadata.name=backend' });
    expect(e.egress.allowed).toBe(false);
    expect(e.allowed).toBe(false);
  });

  test('workload-a -> backend-app: denied by workload-a egress (Egress in policyTypes, no rules)', () => {
    const e = a.explain({ from: 'hello-world/workload-a', to: 'backend/backend-app', port: 9090 });
    expect(e.egress.allowed).toBe(false);
    expect(e.ingress).toMatchObject({ isolated: false, allowed: true });
  });
});

import { Cni } from '../../../src/lint/cni';
import * as cniSupportModule from '../../../src/lint/cni-support';
import { PolicyFeature } from '../../../src/lint/cni-support';
import { adminPolicy, baselineAdminPolicy, ccnp, clusterPolicy, cnp, defaultDeny, deployment, findingsOf, namespaceNamed, policy } from '../lint-fixtures';

const RULE = 'cni-unsupported-feature';

/** A policy using every feature some CNI does not enforce (but endPort, which end-port-ignored reports). */
function everything(): any[] {
  return [
    deployment('shop', 'api', { app: 'api' }, { ports: [{ containerPort: 8080, name: 'http' }] }),
    policy('shop', 'api', {
      podSelector: { matchLabels: { app: 'api' } },
      policyTypes: ['Ingress', 'Egress'],
      ingress: [{ ports: [{ port: 'http' }, { protocol: 'SCTP', port: 9899 }] }],
      egress: [{ to: [{ ipBlock: { cidr: '0.0.0.0/0', except: ['10.0.0.0/8'] } }], ports: [{ port: 443, endPort: 444 }] }],
    }),
  ];
}

describe(RULE, () => {
  test('Compliance: a CNI with no documented gap but endPort', () => {
    expect(findingsOf(everything(), RULE, { cni: Cni.CALICO })).toEqual([]);
  });

  test('without --cni: no findings', () => {
    expect(findingsOf(everything(), RULE)).toEqual([]);
  });

  test('Noncompliance: a named port with a CNI that does not handle them', () => {
    const findings = findingsOf(everything(), RULE, { cni: Cni.WEAVE });
    expect(findings.map((f) => [f.object, f.field, f.severity, f.message])).toEqual([[
      'NetworkPolicy shop/api',
      'spec.ingress[0].ports[0].port',
      'error',
      'spec.ingress[0].ports[0] uses the named port "http". Weave Net does not handle named ports: its policy controller has crashed on policies that use one (an open bug).',
    ]]);
    expect(findings[0].fix).toBe('Write the port number 8080 instead of "http" (split the rule if the pods use different numbers); see docs/cni.md.');
  });

  test('Flannel: one finding per policy, whatever it uses', () => {
    const findings = findingsOf([...everything(), defaultDeny('shop')], RULE, { cni: Cni.FLANNEL });
    expect(findings.map((f) => [f.object, f.field])).toEqual([['NetworkPolicy shop/api', undefined], ['NetworkPolicy shop/default-deny', undefined]]);
    expect(findings[1].message).toBe(
      'NetworkPolicy shop/default-deny is not enforced at all: Flannel enforces no NetworkPolicy: its docs leave policy to other projects such as Calico '
      + '(Canal runs Calico alongside flannel), and from v0.25.5 it can be deployed with the kube-network-policies controller (Helm netpol.enabled=true).',
    );
    expect(findings[1].fix).toBe('Run a NetworkPolicy engine alongside Flannel, or use a CNI that enforces NetworkPolicy (see docs/cni.md).');
  });

  test('a version older than NetworkPolicy support enforces none (--cni aws-vpc-cni@1.13); 1.14 and a current release do', () => {
    const findings = findingsOf([...everything(), defaultDeny('shop')], RULE, { cni: Cni.AWS_VPC_CNI, cniVersion: '1.13' });
    expect(findings.map((f) => f.object)).toEqual(['NetworkPolicy shop/api', 'NetworkPolicy shop/default-deny']);
    expect(findings[0].message).toBe('NetworkPolicy shop/api is not enforced at all: '
      + 'The Amazon VPC CNI enforces NetworkPolicy from v1.14; earlier versions need a third-party policy engine.');
    const notEnforced = (version?: string) => findingsOf([...everything(), defaultDeny('shop')], RULE, { cni: Cni.AWS_VPC_CNI, cniVersion: version })
      .filter((f) => f.message.includes('not enforced at all'));
    expect(notEnforced('1.14')).toEqual([]);
    expect(notEnforced()).toEqual([]);
  });

  test('several gaps of one CNI: one finding per use, endPort left to end-port-ignored', () => {
    const findings = findingsOf(everything(), RULE, { cni: Cni.AZURE_NPM });
    expect(findings.map((f) => f.field)).toEqual([
      'spec.egress[0].to[0].ipBlock.except',
      'spec.ingress[0].ports[0].port',
      'spec.ingress[0].ports[1].protocol',
    ]);
    expect(findings[0].message).toBe(
      'spec.egress[0].to[0] uses ipBlock except (ipBlock 0.0.0.0/0 except 10.0.0.0/8). On Windows nodes, Azure Network Policy Manager does not support ipBlock except.',
    );
    expect(findings[2].message).toBe('spec.ingress[0].ports[1] matches SCTP (SCTP 9899). On Windows nodes, Azure Network Policy Manager does not support SCTP.');
  });

  test('SCTP with a CNI that supports it only when configured', () => {
    expect(findingsOf(everything(), RULE, { cni: Cni.CILIUM }).map((f) => f.field)).toEqual(['spec.ingress[0].ports[1].protocol']);
  });

  describe('hostNetwork pods', () => {
    const agent = (hostNetwork: boolean) => deployment('infra', 'node-agent', { app: 'node-agent' }, { hostNetwork });

    test('Noncompliance: a policy selects one', () => {
      const findings = findingsOf([agent(true), defaultDeny('infra')], RULE, { cni: Cni.ANTREA });
      expect(findings.map((f) => [f.object, f.field, f.message])).toEqual([[
        'NetworkPolicy infra/default-deny',
        'spec.podSelector',
        'spec.podSelector (all) selects hostNetwork pods: Deployment infra/node-agent. Antrea does not enforce NetworkPolicies on hostNetwork pods.',
      ]]);
    });

    test('Compliance: the selected pod does not use the host network', () => {
      expect(findingsOf([agent(false), defaultDeny('infra')], RULE, { cni: Cni.ANTREA })).toEqual([]);
    });

    test('a policy of another namespace does not select it', () => {
      expect(findingsOf([agent(true), defaultDeny('shop')], RULE, { cni: Cni.KUBE_ROUTER })).toEqual([]);
    });
  });

  describe('egress rules (no CNI in the table has this gap today)', () => {
    let spy: jest.SpyInstance;
    beforeEach(() => {
      const calico = cniSupportModule.cniSupport(Cni.CALICO);
      spy = jest.spyOn(cniSupportModule, 'cniSupport').mockReturnValue({
        ...calico,
        gaps: [{ feature: PolicyFeature.EGRESS, note: 'This CNI enforces ingress rules only.', source: 'https://example.com' }],
      });
    });
    afterEach(() => spy.mockRestore());

    test('policyTypes Egress is pointed at', () => {
      const findings = findingsOf([defaultDeny('shop')], RULE, { cni: Cni.CALICO });
      expect(findings.map((f) => [f.field, f.message])).toEqual([[
        'spec.policyTypes[1]',
        'spec.policyTypes includes Egress: the policy restricts the outgoing traffic of the pods it selects. This CNI enforces ingress rules only.',
      ]]);
    });

    test('egress rules without policyTypes are pointed at', () => {
      const implicit = policy('shop', 'out', { podSelector: {}, egress: [{ ports: [{ port: 443 }] }] });
      expect(findingsOf([implicit], RULE, { cni: Cni.CALICO }).map((f) => f.field)).toEqual(['spec.egress']);
    });

    test('an ingress-only policy is not', () => {
      expect(findingsOf([policy('shop', 'in', { podSelector: {} })], RULE, { cni: Cni.CALICO })).toEqual([]);
    });
  });
});

describe(`${RULE}: Cilium policies`, () => {
  const nsLabels = () => cnp('shop', 'from-team', {
    endpointSelector: {},
    ingress: [{ fromEndpoints: [{ matchLabels: { 'k8s:io.cilium.k8s.namespace.labels.team': 'payments' } }] }],
    egressDeny: [{ toCIDR: ['169.254.169.254/32'] }],
    enableDefaultDeny: { egress: false },
  });

  test('Noncompliance: a CiliumNetworkPolicy with another CNI does nothing', () => {
    const findings = findingsOf([...everything(), nsLabels(), ccnp('base', { endpointSelector: {}, ingress: [{}] })], RULE, { cni: Cni.CALICO });
    expect(findings.map((f) => [f.object, f.field, f.severity]).sort()).toEqual([
      ['CiliumClusterwideNetworkPolicy base', undefined, 'error'],
      ['CiliumNetworkPolicy shop/from-team', undefined, 'error'],
    ]);
    expect(findings.find((f) => f.object === 'CiliumNetworkPolicy shop/from-team')!.message).toBe('CiliumNetworkPolicy shop/from-team is not enforced: CiliumNetworkPolicy is Cilium\'s own policy kind, which Calico does not read, '
      + 'so nothing it allows or denies takes effect (the API server stores it only if Cilium\'s CRDs are installed).');
  });

  test('Compliance: with Cilium, current or 1.16', () => {
    expect(findingsOf([nsLabels()], RULE, { cni: Cni.CILIUM })).toEqual([]);
    expect(findingsOf([nsLabels()], RULE, { cni: Cni.CILIUM, cniVersion: '1.16.0' })).toEqual([]);
  });

  test('Cilium 1.15: namespace-label peers stay in the policy\'s namespace, enableDefaultDeny is not read', () => {
    const findings = findingsOf([nsLabels()], RULE, { cni: Cni.CILIUM, cniVersion: '1.15' });
    expect(findings.map((f) => f.field).sort()).toEqual(['spec.enableDefaultDeny.egress', 'spec.ingress[0].fromEndpoints[0]']);
    expect(findings.find((f) => f.field === 'spec.ingress[0].fromEndpoints[0]')!.message).toContain('selects pods by namespace labels (io.cilium.k8s.namespace.labels.team=payments) and names no namespace. '
      + 'Cilium before 1.16 adds the policy\'s own namespace');
    // A namespace key (as the constructs emit) keeps every version reading it the same.
    const withExists = cnp('shop', 'from-team', {
      endpointSelector: {},
      ingress: [{
        fromEndpoints: [{
          matchLabels: { 'k8s:io.cilium.k8s.namespace.labels.team': 'payments' },
          matchExpressions: [{ key: 'k8s:io.kubernetes.pod.namespace', operator: 'Exists' }],
        }],
      }],
    });
    expect(findingsOf([withExists], RULE, { cni: Cni.CILIUM, cniVersion: '1.15' })).toEqual([]);
  });
});

describe(`${RULE}: cluster-scoped policies`, () => {
  const deny = [{ action: 'Deny', to: [namespaceNamed('ops')] }];
  const POLICIES = [
    clusterPolicy('guard', 'Admin', 10, { subject: { namespaces: {} }, egress: deny }),
    adminPolicy('legacy', 150, { subject: { namespaces: {} }, egress: deny }),
    baselineAdminPolicy({ subject: { namespaces: {} }, egress: deny }),
  ];
  /** [object, field, the notes after the first sentence] of each finding, by object. */
  const judged = (cni: Cni, cniVersion?: string) => findingsOf(POLICIES, RULE, { cni, cniVersion })
    .map((f) => [f.object, f.field, f.message.replace(/^[^)]*\)\. /, '').replace(/^[^.]*priority \d+\. /, '')])
    .sort((a, b) => String(a[0]).localeCompare(String(b[0])));

  test('Calico: without a version a current release, which reads ClusterNetworkPolicy and no longer the v1alpha1 kinds', () => {
    const removed = 'Calico v3.32 removed AdminNetworkPolicy and BaselineAdminNetworkPolicy in favour of ClusterNetworkPolicy (its maintainers\' statement), so from v3.32 it no longer reads them.';
    expect(judged(Cni.CALICO)).toEqual([
      ['AdminNetworkPolicy legacy', 'kind', removed],
      ['BaselineAdminNetworkPolicy default', 'kind', removed],
    ]);
    const findings = findingsOf(POLICIES, RULE, { cni: Cni.CALICO });
    expect(findings[0].message).toBe(`AdminNetworkPolicy legacy is an AdminNetworkPolicy (policy.networking.k8s.io/v1alpha1). ${removed}`);
    expect(findings[0].fix).toBe('Rewrite AdminNetworkPolicy legacy as a ClusterNetworkPolicy (policy.networking.k8s.io/v1alpha2) with tier Admin where Calico reads that kind, '
      + 'or run a Calico release that reads AdminNetworkPolicy, with the feature enabled where it is opt-in (see docs/cni.md).');
  });

  test('Calico versions: 3.31 reads the v1alpha1 kinds only, 3.29 no BaselineAdminNetworkPolicy, 3.28 neither', () => {
    expect(judged(Cni.CALICO, '3.31.4').map((f) => f[0])).toEqual(['ClusterNetworkPolicy guard']);
    expect(judged(Cni.CALICO, '3.31.4')[0][2]).toBe('Calico implements ClusterNetworkPolicy from v3.32 (the standard fields, networks peers and named ports); earlier releases do not read it.');
    expect(judged(Cni.CALICO, '3.29.1').map((f) => f[0])).toEqual(['BaselineAdminNetworkPolicy default', 'ClusterNetworkPolicy guard']);
    expect(judged(Cni.CALICO, '3.28').map((f) => f[0])).toEqual(['AdminNetworkPolicy legacy', 'BaselineAdminNetworkPolicy default', 'ClusterNetworkPolicy guard']);
  });

  test('Cilium: ClusterNetworkPolicy from 1.20 and only when switched on; the v1alpha1 kinds never', () => {
    const current = judged(Cni.CILIUM);
    expect(current.map((f) => f[0])).toEqual(['AdminNetworkPolicy legacy', 'BaselineAdminNetworkPolicy default', 'ClusterNetworkPolicy guard']);
    expect(current[2][2]).toBe('Cilium reads ClusterNetworkPolicy only when --enable-k8s-cluster-network-policy is on (Helm k8sClusterNetworkPolicy.enabled=true; '
      + 'off by default while the API is alpha) and its CRD is installed.');
    expect(judged(Cni.CILIUM, '1.19')[2][2]).toMatch(/^Cilium implements ClusterNetworkPolicy from 1\.20; earlier releases do not read it\. Cilium reads ClusterNetworkPolicy only when/);
  });

  test('OVN-Kubernetes: AdminNetworkPolicy priorities above 99 (ClusterNetworkPolicy is unknown: no finding)', () => {
    const findings = findingsOf(POLICIES, RULE, { cni: Cni.OVN_KUBERNETES });
    expect(findings.map((f) => [f.object, f.field, f.message])).toEqual([['AdminNetworkPolicy legacy', 'spec.priority', 'AdminNetworkPolicy legacy has priority 150. '
      + 'OVN-Kubernetes supports AdminNetworkPolicy priorities 0 to 99 only: for a higher one it emits the event ANPWithUnsupportedPriority '
      + 'and does not set the policy up until its priority is changed.']]);
    expect(findings[0].fix).toBe('Give AdminNetworkPolicy legacy a priority OVN-Kubernetes supports (see docs/cni.md), keeping the order of the Admin policies.');
    const within = [adminPolicy('legacy', 99, { subject: { namespaces: {} }, egress: deny })];
    expect(findingsOf(within, RULE, { cni: Cni.OVN_KUBERNETES })).toEqual([]);
  });

  test('Antrea, the Amazon VPC CNI, Flannel; kube-network-policies reads them all', () => {
    expect(judged(Cni.ANTREA).map((f) => f[0])).toEqual(['AdminNetworkPolicy legacy', 'BaselineAdminNetworkPolicy default']);
    expect(judged(Cni.ANTREA, '2.6').map((f) => f[0])).toEqual(['AdminNetworkPolicy legacy', 'BaselineAdminNetworkPolicy default', 'ClusterNetworkPolicy guard']);
    expect(judged(Cni.AWS_VPC_CNI).find((f) => f[0] === 'ClusterNetworkPolicy guard')?.[2]).toBe('The Amazon VPC CNI does not read the upstream ClusterNetworkPolicy: '
      + 'its admin policies (VPC CNI v1.21.1 and later) are a ClusterNetworkPolicy kind of its own, in networking.k8s.aws/v1alpha1.');
    const flannel = findingsOf(POLICIES, RULE, { cni: Cni.FLANNEL });
    expect(flannel.map((f) => [f.object, f.message.replace(/:.*/, '')]).sort()).toEqual([
      ['AdminNetworkPolicy legacy', 'AdminNetworkPolicy legacy is not enforced at all'],
      ['BaselineAdminNetworkPolicy default', 'BaselineAdminNetworkPolicy default is not enforced at all'],
      ['ClusterNetworkPolicy guard', 'ClusterNetworkPolicy guard is not enforced at all'],
    ]);
    expect(findingsOf(POLICIES, RULE, { cni: Cni.KUBE_NETWORK_POLICIES })).toEqual([]);
  });
});

import { adminPolicy, clusterPolicy, findingsOf, namespaceNamed, pod } from '../lint-fixtures';

const RULE = 'network-peer-matches-pods';
const PODS = [
  pod('shop', 'web', { app: 'web' }, ['10.244.1.5', 'fd00:10:244::5']),
  pod('shop', 'api', { app: 'api' }, ['10.244.1.6']),
  pod('ops', 'agent', { app: 'agent' }, ['192.168.0.10'], { hostNetwork: true }),
];
const PASS_PODS = { name: 'cluster-pods', action: 'Pass', to: [{ namespaces: {} }] };
const denyNetworks = (...cidrs: string[]) => ({ name: 'private', action: 'Deny', to: [{ networks: cidrs }] });

describe(RULE, () => {
  test('Compliance: a CIDR that holds no pod address, or pod traffic passed on first (as DenyPrivateRanges does)', () => {
    expect(findingsOf([...PODS, clusterPolicy('p', 'Admin', 40, { subject: { namespaces: {} }, egress: [denyNetworks('172.16.0.0/12')] })], RULE)).toEqual([]);
    expect(findingsOf([...PODS.slice(0, 2),
      clusterPolicy('p', 'Admin', 40, { subject: { namespaces: {} }, egress: [PASS_PODS, denyNetworks('10.0.0.0/8', '0.0.0.0/0')] })], RULE, { podCidrs: ['10.244.0.0/16'] })).toEqual([]);
  });

  test('Noncompliance: a CIDR holding pod addresses (status.podIPs), named with the pods and their addresses', () => {
    const findings = findingsOf([...PODS, clusterPolicy('p', 'Admin', 40, { subject: namespaceNamed('shop'), egress: [denyNetworks('172.16.0.0/12', '10.0.0.0/8')] })], RULE);
    expect(findings.map((f) => [f.object, f.field, f.severity])).toEqual([['ClusterNetworkPolicy p', 'spec.egress[0].to[0].networks[1]', 'warning']]);
    expect(findings[0].message).toBe('ClusterNetworkPolicy p spec.egress[0] ("private") has action Deny for networks 172.16.0.0/12, 10.0.0.0/8, '
      + 'and 10.0.0.0/8 also matches pod traffic: it holds the addresses of pods shop/web (10.244.1.5), shop/api (10.244.1.6). '
      + 'The API checks cluster-internal traffic against networks peers too, so this rule decides those pods\' connections.');
  });

  test('0.0.0.0/0 and ::/0 match every pod; the pod network given by the user too', () => {
    const findings = findingsOf([
      clusterPolicy('p', 'Admin', 40, { subject: { namespaces: {} }, egress: [{ action: 'Accept', to: [{ networks: ['0.0.0.0/0', '::/0', '10.0.0.0/8', '192.168.0.0/16'] }] }] }),
    ], RULE, { podCidrs: ['10.244.0.0/16'] });
    const byField = new Map(findings.map((f) => [f.field, f.message]));
    expect([...byField.keys()].sort()).toEqual(['spec.egress[0].to[0].networks[0]', 'spec.egress[0].to[0].networks[1]', 'spec.egress[0].to[0].networks[2]']);
    expect(byField.get('spec.egress[0].to[0].networks[0]')).toContain('and 0.0.0.0/0 also matches pod traffic: it is every IPv4 address, pod addresses included.');
    expect(byField.get('spec.egress[0].to[0].networks[1]')).toContain('and ::/0 also matches pod traffic: it is every IPv6 address, pod addresses included.');
    expect(byField.get('spec.egress[0].to[0].networks[2]')).toContain('and 10.0.0.0/8 also matches pod traffic: it overlaps the pod network 10.244.0.0/16 (podCidrs).');
  });

  test('an earlier rule takes the traffic of a pod only on the ports it names; an earlier policy counts when its subject takes in this one\'s', () => {
    const webOn80 = { action: 'Accept', to: [{ pods: { namespaceSelector: {}, podSelector: { matchLabels: { app: 'web' } } } }], protocols: [{ tcp: { destinationPort: { number: 80 } } }] };
    const partly = findingsOf([...PODS, clusterPolicy('p', 'Admin', 40, { subject: namespaceNamed('shop'), egress: [webOn80, denyNetworks('10.0.0.0/8')] })], RULE);
    expect(partly[0].message).toContain('it holds the addresses of pods shop/web (10.244.1.5), shop/api (10.244.1.6)');
    const webAll = { ...webOn80, protocols: undefined };
    const apiOnly = findingsOf([...PODS, clusterPolicy('p', 'Admin', 40, { subject: namespaceNamed('shop'), egress: [webAll, denyNetworks('10.0.0.0/8')] })], RULE);
    expect(apiOnly[0].message).toContain('it holds the addresses of pod shop/api (10.244.1.6).');
    // The pass in an earlier policy of every pod covers the later policy; in the Baseline tier it does not.
    const earlier = clusterPolicy('pods-first', 'Admin', 10, { subject: { namespaces: {} }, egress: [PASS_PODS] });
    expect(findingsOf([...PODS, earlier, clusterPolicy('p', 'Admin', 40, { subject: namespaceNamed('shop'), egress: [denyNetworks('10.0.0.0/8')] })], RULE)).toEqual([]);
    expect(findingsOf([...PODS, earlier, clusterPolicy('p', 'Baseline', 40, { subject: namespaceNamed('shop'), egress: [denyNetworks('10.0.0.0/8')] })], RULE)).toHaveLength(1);
  });

  test('a host-network pod is left out of pod peers, so a pass of every pod does not take its traffic; AdminNetworkPolicy says Allow', () => {
    const findings = findingsOf([...PODS,
      adminPolicy('p', 40, { subject: { namespaces: {} }, egress: [{ action: 'Pass', to: [{ namespaces: {} }] }, { action: 'Allow', to: [{ networks: ['192.168.0.0/16'] }] }] })], RULE);
    expect(findings.map((f) => f.message)).toEqual(['AdminNetworkPolicy p spec.egress[1] has action Allow for networks 192.168.0.0/16, and 192.168.0.0/16 also matches pod traffic: '
      + 'it holds the addresses of pod ops/agent (192.168.0.10). The API checks cluster-internal traffic against networks peers too, so this rule decides those pods\' connections.']);
  });
});

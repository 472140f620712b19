import { ccnp, cnp, deployment, findingsOf } from '../lint-fixtures';

const RULE = 'cilium-ports-without-peers';
const web = () => deployment('shop', 'web', { app: 'web' });

describe(RULE, () => {
  test('Compliance: the same ports with a peer, or for everyone said with the all entity', () => {
    const ports = [{ ports: [{ port: '8080', protocol: 'TCP' }] }];
    const withPeer = cnp('shop', 'web', { endpointSelector: {}, ingress: [{ fromEndpoints: [{}], toPorts: ports }] });
    const withAll = cnp('shop', 'web2', { endpointSelector: {}, ingress: [{ fromEntities: ['all'], toPorts: ports }] });
    expect(findingsOf([web(), withPeer, withAll], RULE)).toEqual([]);
  });

  test('Noncompliance: toPorts without a peer opens the ports to every namespace, the nodes and the internet', () => {
    const findings = findingsOf([web(), cnp('shop', 'web', { endpointSelector: {}, ingress: [{ toPorts: [{ ports: [{ port: '8080', protocol: 'TCP' }] }] }] })], RULE);
    expect(findings.map((f) => [f.object, f.field, f.severity])).toEqual([['CiliumNetworkPolicy shop/web', 'spec.ingress[0].toPorts', 'warning']]);
    expect(findings[0].message).toBe('spec.ingress[0] has toPorts and no peer: it allows ingress on TCP 8080 from every pod of every namespace (not only shop), '
      + 'the nodes and every address outside the cluster.');
  });

  test('a cluster-wide policy and egress too', () => {
    const findings = findingsOf([web(), ccnp('dns-anywhere', { endpointSelector: {}, egress: [{ toPorts: [{ ports: [{ port: '53', protocol: 'UDP' }] }] }] })], RULE);
    expect(findings.map((f) => f.message)).toEqual(['spec.egress[0] has toPorts and no peer: it allows egress on UDP 53 to every pod of every namespace, '
      + 'the nodes and every address outside the cluster.']);
  });
});

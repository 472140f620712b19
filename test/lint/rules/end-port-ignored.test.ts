import { Cni } from '../../../src/lint/cni';
import { cnp, deployment, findingsOf, policy } from '../lint-fixtures';

const RULE = 'end-port-ignored';

/** Ingress to the game servers on a port range. */
function range(port: number, endPort: number): any[] {
  return [
    deployment('games', 'server', { app: 'server' }),
    policy('games', 'players', { podSelector: { matchLabels: { app: 'server' } }, ingress: [{ ports: [{ protocol: 'UDP', port, endPort }] }] }),
  ];
}

describe(RULE, () => {
  test('Compliance: a CNI without a documented endPort gap', () => {
    expect(findingsOf(range(7000, 7100), RULE, { cni: Cni.KUBE_ROUTER })).toEqual([]);
  });

  test('Noncompliance: a release of the CNI that ignores endPort (--cni cilium@1.15)', () => {
    const findings = findingsOf(range(7000, 7100), RULE, { cni: Cni.CILIUM, cniVersion: '1.15' });
    expect(findings.map((f) => [f.object, f.field, f.severity])).toEqual([['NetworkPolicy games/players', 'spec.ingress[0].ports[0].endPort', 'error']]);
    expect(findings[0].message).toBe(
      'spec.ingress[0].ports[0] allows the range UDP 7000-7100. Cilium before 1.16 does not implement endPort: its docs listed port ranges '
      + 'as a missing feature and a maintainer reported the field silently ignored. A network plugin that does not support endPort applies '
      + 'the rule to its single port only (Kubernetes documentation). Without endPort support this entry allows UDP 7000 only, and UDP 7001-7100 is denied.',
    );
    expect(findings[0].fix).toBe('List the ports actually used one by one; or run Cilium 1.16 or later.');
  });

  test('a short range: the fix lists its ports', () => {
    const [finding] = findingsOf(range(7000, 7002), RULE, { cni: Cni.CALICO, cniVersion: 'v3.18.2' });
    expect(finding.message).toContain('Without endPort support this entry allows UDP 7000 only, and UDP 7001-7002 is denied.');
    expect(finding.fix).toBe('List the ports one by one (7000, 7001, 7002); or run Calico 3.19.0 or later.');
  });

  test('without a version, a current release is assumed: gaps fixed since are not reported', () => {
    expect(findingsOf(range(7000, 7100), RULE, { cni: Cni.CILIUM })).toEqual([]);
    expect(findingsOf(range(7000, 7100), RULE, { cni: Cni.CILIUM, cniVersion: '1.16' })).toEqual([]);
    expect(findingsOf(range(7000, 7100), RULE, { cni: Cni.CILIUM, cniVersion: '1.9.3' })).toHaveLength(1);
  });

  test('without --cni: no findings', () => {
    expect(findingsOf(range(7000, 7100), RULE)).toEqual([]);
  });

  test('a range of a single port means the same everywhere', () => {
    expect(findingsOf(range(7000, 7000), RULE, { cni: Cni.CILIUM, cniVersion: '1.15' })).toEqual([]);
  });

  test('ports without endPort are not flagged', () => {
    const single = policy('games', 'single', { podSelector: {}, egress: [{ ports: [{ port: 443 }, { port: 'http' }, { protocol: 'UDP' }] }] });
    expect(findingsOf([single], RULE, { cni: Cni.CILIUM, cniVersion: '1.15' })).toEqual([]);
  });

  test('egress ranges count too', () => {
    const egress = policy('games', 'out', { podSelector: {}, policyTypes: ['Egress'], egress: [{ ports: [{ port: 30000, endPort: 32767 }] }] });
    expect(findingsOf([egress], RULE, { cni: Cni.ANTREA, cniVersion: '1.0' }).map((f) => f.field)).toEqual(['spec.egress[0].ports[0].endPort']);
  });
});

describe(`${RULE}: Cilium policies`, () => {
  const spec = { endpointSelector: {}, ingress: [{ fromEntities: ['cluster'], toPorts: [{ ports: [{ port: '7000', endPort: 7100, protocol: 'UDP' }] }] }] };
  test('Noncompliance: a CiliumNetworkPolicy range with Cilium 1.15', () => {
    const findings = findingsOf([cnp('games', 'players', spec)], RULE, { cni: Cni.CILIUM, cniVersion: '1.15' });
    expect(findings.map((f) => [f.object, f.field])).toEqual([['CiliumNetworkPolicy games/players', 'spec.ingress[0].toPorts[0].ports[0].endPort']]);
  });

  test('Compliance: Cilium 1.16; and another CNI, where cni-unsupported-feature says the policy does nothing', () => {
    expect(findingsOf([cnp('games', 'players', spec)], RULE, { cni: Cni.CILIUM, cniVersion: '1.16' })).toEqual([]);
    expect(findingsOf([cnp('games', 'players', spec)], RULE, { cni: Cni.CALICO, cniVersion: '3.18' })).toEqual([]);
  });
});

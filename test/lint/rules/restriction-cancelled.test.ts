import { cnp, defaultDeny, deployment, findingsOf, policy } from '../lint-fixtures';

const RULE = 'restriction-cancelled';

const web = deployment('shop', 'web', { app: 'web', tier: 'front' });
const api = deployment('shop', 'api', { app: 'api' });

/** Ingress from anyone on every port to the pods `podSelector` selects. */
function openIngress(podSelector: any, name = 'allow-all'): any {
  return policy('shop', name, { podSelector, policyTypes: ['Ingress'], ingress: [{}] });
}

describe('restriction-cancelled', () => {
  test('Compliance: a default-deny and narrow allows', () => {
    const narrow = policy('shop', 'web-ingress', {
      podSelector: { matchLabels: { app: 'web' } },
      ingress: [{ from: [{ podSelector: { matchLabels: { app: 'api' } } }] }, { ports: [{ port: 443 }] }],
    });
    expect(findingsOf([web, api, defaultDeny('shop'), narrow], RULE)).toEqual([]);
  });

  test('Noncompliance: an allow-all policy in the namespace cancels its default-deny', () => {
    const [finding, ...rest] = findingsOf([web, api, defaultDeny('shop'), openIngress({})], RULE);
    expect(rest).toEqual([]);
    expect(finding).toMatchObject({
      object: 'NetworkPolicy shop/allow-all',
      field: 'spec.ingress[0]',
      severity: 'warning',
      message: 'spec.ingress[0] allows ingress from anyone on every port to pods that the default-deny NetworkPolicy shop/default-deny isolates for ingress: '
        + 'that restriction no longer limits ingress to shop/web, shop/api (policies are additive).',
      fix: 'Narrow spec.ingress[0] to the peers and ports the pods need, or change spec.podSelector (all) so it does not select the pods of NetworkPolicy shop/default-deny.',
    });
  });

  test('an allow-all that selects different pods: no finding', () => {
    const denyWeb = policy('shop', 'deny-web', { podSelector: { matchLabels: { app: 'web' } }, policyTypes: ['Ingress'] });
    expect(findingsOf([web, api, denyWeb, openIngress({ matchLabels: { app: 'api' } })], RULE)).toEqual([]);
  });

  test('an allow-all alone cancels nothing (allow-all-rule reports it)', () => {
    expect(findingsOf([web, api, openIngress({})], RULE)).toEqual([]);
  });

  test('the other direction is not cancelled', () => {
    const denyEgress = policy('shop', 'deny-egress', { podSelector: {}, policyTypes: ['Egress'] });
    expect(findingsOf([web, api, denyEgress, openIngress({})], RULE)).toEqual([]);
  });

  test('narrowed by ports or peers: not a cancellation', () => {
    const byPort = policy('shop', 'p', { podSelector: {}, policyTypes: ['Ingress'], ingress: [{ ports: [{ port: 443 }] }] });
    const byPeer = policy('shop', 'q', { podSelector: {}, policyTypes: ['Ingress'], ingress: [{ from: [{ namespaceSelector: {} }] }] });
    expect(findingsOf([web, api, defaultDeny('shop'), byPort, byPeer], RULE)).toEqual([]);
  });

  test('an allow-all in a direction its policy does not isolate has no effect', () => {
    const ignored = policy('shop', 'ignored', { podSelector: {}, policyTypes: ['Ingress'], egress: [{}] });
    expect(findingsOf([web, api, defaultDeny('shop'), ignored], RULE)).toEqual([]);
  });

  test('one finding per restricting policy, naming only the pods both select', () => {
    const webPolicy = policy('shop', 'web-ingress', { podSelector: { matchLabels: { app: 'web' } }, ingress: [{ from: [{ podSelector: { matchLabels: { app: 'api' } } }] }] });
    const findings = findingsOf([web, api, defaultDeny('shop'), webPolicy, openIngress({ matchLabels: { tier: 'front' } })], RULE);
    expect(findings.map((f) => f.message).sort()).toEqual([
      'spec.ingress[0] allows ingress from anyone on every port to pods that NetworkPolicy shop/web-ingress isolates for ingress: '
        + 'that restriction no longer limits ingress to shop/web (policies are additive).',
      'spec.ingress[0] allows ingress from anyone on every port to pods that the default-deny NetworkPolicy shop/default-deny isolates for ingress: '
        + 'that restriction no longer limits ingress to shop/web (policies are additive).',
    ]);
  });

  test('egress, and a long list of pods is capped', () => {
    const workloads = ['a', 'b', 'c', 'd', 'e'].map((n) => deployment('shop', n, { app: n }));
    const openEgress = policy('shop', 'open-egress', { podSelector: {}, policyTypes: ['Egress'], egress: [{}] });
    const [finding] = findingsOf([...workloads, defaultDeny('shop'), openEgress], RULE);
    expect(finding).toMatchObject({
      field: 'spec.egress[0]',
      message: 'spec.egress[0] allows egress to anyone on every port from pods that the default-deny NetworkPolicy shop/default-deny isolates for egress: '
        + 'that restriction no longer limits egress from shop/a, shop/b, shop/c and 2 more (policies are additive).',
    });
  });

  test('policies of other namespaces are not affected', () => {
    const other = deployment('billing', 'web', { app: 'web' });
    expect(findingsOf([web, other, defaultDeny('billing'), openIngress({})], RULE)).toEqual([]);
  });
});

describe(`${RULE}: Cilium policies`, () => {
  test('Noncompliance: a CiliumNetworkPolicy allowing the all entity cancels a NetworkPolicy default-deny', () => {
    const findings = findingsOf([web, api, defaultDeny('shop'), cnp('shop', 'open', { endpointSelector: { matchLabels: { app: 'web' } }, ingress: [{ fromEntities: ['all'] }] })], RULE);
    expect(findings.map((f) => [f.object, f.field])).toEqual([['CiliumNetworkPolicy shop/open', 'spec.ingress[0]']]);
    expect(findings[0].message).toContain('pods that the default-deny NetworkPolicy shop/default-deny isolates for ingress');
    expect(findings[0].fix).toContain('or change spec.endpointSelector (app=web) so it does not select the pods of NetworkPolicy shop/default-deny.');
  });

  test('Compliance: the all entity on some ports only; a Cilium default deny is cancelled like a v1 one', () => {
    const ports = cnp('shop', 'open', { endpointSelector: {}, ingress: [{ fromEntities: ['all'], toPorts: [{ ports: [{ port: '443', protocol: 'TCP' }] }] }] });
    expect(findingsOf([web, api, defaultDeny('shop'), ports], RULE)).toEqual([]);
    const ciliumDeny = cnp('shop', 'default-deny', { endpointSelector: {}, ingress: [{}], egress: [{}] });
    expect(findingsOf([web, api, ciliumDeny, openIngress({ matchLabels: { app: 'web' } })], RULE).map((f) => f.message))
      .toEqual([expect.stringContaining('the default-deny CiliumNetworkPolicy shop/default-deny isolates for ingress')]);
  });
});

import { cnp, deployment, findingsOf } from '../lint-fixtures';

const RULE = 'deny-only-isolates';
const web = () => deployment('shop', 'web', { app: 'web' });
const denyMetadata = { egressDeny: [{ toCIDRSet: [{ cidr: '169.254.169.254/32' }] }] };

describe(RULE, () => {
  test('Compliance: enableDefaultDeny egress false makes it deny only', () => {
    expect(findingsOf([web(), cnp('shop', 'no-metadata', { endpointSelector: {}, ...denyMetadata, enableDefaultDeny: { egress: false } })], RULE)).toEqual([]);
  });

  test('Noncompliance: egressDeny alone isolates every pod it selects for egress', () => {
    const findings = findingsOf([web(), cnp('shop', 'no-metadata', { endpointSelector: {}, ...denyMetadata })], RULE);
    expect(findings.map((f) => [f.object, f.field, f.severity])).toEqual([['CiliumNetworkPolicy shop/no-metadata', 'spec.egressDeny', 'warning']]);
    expect(findings[0].message).toBe('CiliumNetworkPolicy shop/no-metadata has egressDeny rules and no egress rules, without enableDefaultDeny.egress: false: '
      + 'Cilium puts the pods it selects into default deny for egress, so every egress connection no other policy allows is dropped, '
      + 'not only what egressDeny names. Nothing else isolates shop/web for egress: it loses all egress, DNS included.');
    expect(findings[0].fix).toBe('Add enableDefaultDeny: { egress: false } to CiliumNetworkPolicy shop/no-metadata if it is only meant to deny (Cilium 1.16 or later); '
      + 'otherwise allow what its pods need for egress.');
  });

  test('deny rules beside allow rules of the same direction are not deny-only; the other direction is judged on its own', () => {
    const withAllow = cnp('shop', 'p', { endpointSelector: {}, ...denyMetadata, egress: [{ toEntities: ['world'] }] });
    expect(findingsOf([web(), withAllow], RULE)).toEqual([]);
    const ingressDeny = cnp('shop', 'p', { endpointSelector: {}, ingressDeny: [{ fromEntities: ['world'] }], egress: [{ toEntities: ['world'] }] });
    expect(findingsOf([web(), ingressDeny], RULE).map((f) => f.field)).toEqual(['spec.ingressDeny']);
  });

  test('the message says nothing is cut off when another policy isolates the pods anyway', () => {
    const baseline = cnp('shop', 'baseline', { endpointSelector: {}, egress: [{ toEntities: ['world'] }] });
    const findings = findingsOf([web(), baseline, cnp('shop', 'no-metadata', { endpointSelector: {}, ...denyMetadata })], RULE);
    expect(findings).toHaveLength(1);
    expect(findings[0].message).not.toContain('Nothing else isolates');
  });
});

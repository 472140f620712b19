import { cnp, deployment, findingsOf, lint, namespace, policy } from '../lint-fixtures';

const RULE = 'acknowledgement-invalid';
const open = (annotations: Record<string, string>) =>
  policy('shop', 'web-in', { podSelector: {}, ingress: [{ ports: [{ port: 8080 }] }] }, annotations);

describe(RULE, () => {
  test('Compliance: a known rule with a reason acknowledges its finding', () => {
    const report = lint([deployment('shop', 'web', { app: 'web' }), open({ 'acknowledge.cdk8s-netpol.io/allow-all-rule': 'public entry point' })]);
    expect(report.findings.filter((f) => f.ruleId === RULE)).toEqual([]);
    expect(report.acknowledged.map((f) => [f.ruleId, f.acknowledgedBecause])).toEqual([['allow-all-rule', 'public entry point']]);
  });

  test('Noncompliance: an unknown rule id (a typo acknowledges nothing)', () => {
    const findings = findingsOf([open({ 'acknowledge.cdk8s-netpol.io/allow-al-rule': 'public entry point' })], RULE);
    expect(findings.map((f) => [f.object, f.field, f.severity])).toEqual([
      ['NetworkPolicy shop/web-in', 'metadata.annotations.acknowledge.cdk8s-netpol.io/allow-al-rule', 'error'],
    ]);
    expect(findings[0].message).toBe('The annotation acknowledge.cdk8s-netpol.io/allow-al-rule acknowledges "allow-al-rule", which is not a rule.');
    expect(findings[0].fix).toMatch(/^Use one of: dns-egress-blocked, dns-name-without-dns-rule, namespace-label-missing, /);
  });

  test('Noncompliance: no reason, so the finding stays open', () => {
    const report = lint([open({ 'acknowledge.cdk8s-netpol.io/allow-all-rule': '  ' })]);
    expect(report.findings.map((f) => f.ruleId).sort()).toEqual(['acknowledgement-invalid', 'allow-all-rule']);
    expect(report.findings.find((f) => f.ruleId === RULE)!.message).toBe('The annotation acknowledge.cdk8s-netpol.io/allow-all-rule gives no reason, so it acknowledges nothing.');
  });

  test('workloads and Namespace objects are checked too, and the finding itself cannot be acknowledged', () => {
    const objects = [
      namespace('shop', {}, { 'acknowledge.cdk8s-netpol.io/missing-default-denny': 'typo' }),
      deployment('shop', 'web', { app: 'web' }, { annotations: { 'acknowledge.cdk8s-netpol.io/acknowledgement-invalid': 'hide it', 'acknowledge.cdk8s-netpol.io/nope': 'x' } }),
    ];
    expect(findingsOf(objects, RULE).map((f) => [f.object, f.message.replace(/^The annotation (\S+) .*$/, '$1')])).toEqual([
      ['Namespace shop', 'acknowledge.cdk8s-netpol.io/missing-default-denny'],
      ['Deployment shop/web', 'acknowledge.cdk8s-netpol.io/acknowledgement-invalid'],
      ['Deployment shop/web', 'acknowledge.cdk8s-netpol.io/nope'],
    ]);
  });
});

describe(`${RULE}: Cilium policies`, () => {
  test('Noncompliance: an unknown rule on a CiliumNetworkPolicy, reported once for all its specs; Compliance: a known rule with a reason', () => {
    const object = cnp('shop', 'p', { endpointSelector: {}, ingress: [{}] }, { 'acknowledge.cdk8s-netpol.io/no-such-rule': 'why' });
    object.specs = [{ endpointSelector: {}, egress: [{}] }];
    expect(findingsOf([object], RULE).map((f) => f.object)).toEqual(['CiliumNetworkPolicy shop/p']);
    const fine = cnp('shop', 'p', { endpointSelector: {}, ingress: [{}] }, { 'acknowledge.cdk8s-netpol.io/cilium-empty-rule': 'the namespace default deny' });
    expect(findingsOf([fine], RULE)).toEqual([]);
  });
});

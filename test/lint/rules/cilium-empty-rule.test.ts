import { Severity } from '../../../src/lint/severity';
import { atOrAbove } from '../../../src/lint/severity-order';
import { cnp, deployment, findingsOf, lint, policy } from '../lint-fixtures';

const RULE = 'cilium-empty-rule';
const web = () => deployment('shop', 'web', { app: 'web' });

describe(RULE, () => {
  test('Compliance: rules with peers, and a NetworkPolicy\'s ingress: [{}] (which allows everything there)', () => {
    const named = cnp('shop', 'web', { endpointSelector: {}, ingress: [{ fromEntities: ['cluster'] }] });
    const v1 = policy('shop', 'open', { podSelector: {}, ingress: [{}] });
    expect(findingsOf([web(), named, v1], RULE)).toEqual([]);
  });

  test('Noncompliance: ingress: [{}] in a CiliumNetworkPolicy denies every ingress; an info, which never fails a run', () => {
    const report = lint([web(), cnp('shop', 'allow-all', { endpointSelector: { matchLabels: { app: 'web' } }, ingress: [{}] })]);
    const findings = report.findings.filter((f) => f.ruleId === RULE);
    expect(findings.map((f) => [f.object, f.field, f.severity])).toEqual([['CiliumNetworkPolicy shop/allow-all', 'spec.ingress[0]', 'info']]);
    expect(findings[0].message).toBe('spec.ingress[0] is an empty rule: in a Cilium policy it allows no ingress and puts the pods the policy selects '
      + 'into default deny for ingress; in a NetworkPolicy, ingress: [{}] would allow all ingress.');
    expect(report.infoCount).toBe(1);
    // info is below every --fail-on.
    expect(atOrAbove(Severity.INFO, Severity.WARNING)).toBe(false);
    expect(atOrAbove(Severity.WARNING, Severity.WARNING)).toBe(true);
  });

  test('empty peer and port lists make an empty rule too, and the message says when other rules allow what they name', () => {
    const findings = findingsOf([web(), cnp('shop', 'p', { endpointSelector: {}, egress: [{ toEndpoints: [], toPorts: [] }, { toEntities: ['world'] }] })], RULE);
    expect(findings.map((f) => f.message)).toEqual(['spec.egress[0] (toEndpoints: [], toPorts: []) is an empty rule: in a Cilium policy it allows no egress '
      + 'and puts the pods the policy selects into default deny for egress (beside the policy\'s other rules of that direction, which allow what they name, it adds nothing); '
      + 'in a NetworkPolicy, egress: [{}] would allow all egress.']);
  });

  test('a default deny of both directions is one finding', () => {
    const findings = findingsOf([web(), cnp('shop', 'default-deny', { endpointSelector: {}, ingress: [{}], egress: [{}] })], RULE);
    expect(findings.map((f) => [f.field, f.message])).toEqual([['spec.ingress[0]', 'spec.ingress[0] and spec.egress[0] are empty rules: in a Cilium policy they allow '
      + 'no ingress and egress and put the pods the policy selects into default deny for ingress and egress; '
      + 'in a NetworkPolicy, ingress: [{}] and egress: [{}] would allow all ingress and egress.']]);
  });
});

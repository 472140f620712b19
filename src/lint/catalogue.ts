import { ACKNOWLEDGE_PREFIX } from './acknowledgement';
import { LintRuleInfo } from './linter';

/**
 * docs/rules.md, generated from the rules themselves so the catalogue cannot
 * drift from the code (`npx projen docs:rules` writes it; a test compares).
 */
export function renderCatalogue(rules: readonly LintRuleInfo[]): string {
  const header = `# Lint rules

<!-- Generated from src/lint/rules/ by \`npx projen docs:rules\`; test/lint/catalogue.test.ts fails when it is out of date. Do not edit by hand. -->

\`cdk8s-netpol lint\` (and \`NetpolChecks\`, and the cdk8s-cli plugin \`NetpolValidation\`) run these rules, over NetworkPolicies and
Cilium's CiliumNetworkPolicy and CiliumClusterwideNetworkPolicy alike (see [cilium.md](cilium.md#linting-cilium-policies)), and over the
cluster-scoped ClusterNetworkPolicy, AdminNetworkPolicy and BaselineAdminNetworkPolicy (see [cluster-network-policy.md](cluster-network-policy.md)).
Each rule lives in \`src/lint/rules/<id>.ts\`; the id never changes once released.

- **error**: the policies do not do what they were written for; \`lint\` exits 1 (and \`cdk8s synth\` fails with \`NetpolChecks\`).
- **warning**: risky, redundant or incomplete, possibly on purpose; fails only with \`--fail-on warning\`.
- **info**: a trap of the policy language worth knowing (e.g. Cilium's \`ingress: [{}]\`, which denies where a NetworkPolicy's allows); never fails a run.

A finding is acknowledged on the object it is about (the NetworkPolicy, Cilium or cluster-scoped policy, the workload, or the Namespace), with a reason:

\`\`\`yaml
metadata:
  annotations:
    ${ACKNOWLEDGE_PREFIX}<rule-id>: "why this is intended"
\`\`\`

In a cdk8s app, \`NetpolChecks.of(app).acknowledge(construct, '<rule-id>', 'why')\` adds that annotation to every object of the construct.

| Rule | Severity | Finds |
| --- | --- | --- |
${rules.map((r) => `| [${r.id}](#${r.id}) | ${r.severity} | ${r.summary.replace(/\|/g, '\\|')} |`).join('\n')}
`;
  const sections = rules.map((r) => `
## ${r.id}

Severity: **${r.severity}**

${r.summary}

Why: ${r.rationale}

Fix: ${r.fix}
`);
  return header + sections.join('');
}

import { FlowExplanation, SideExplanation } from './explanation';

/** Renders an explanation as indented text: the verdict, then each side and what decided it. */
export function formatExplanation(explanation: FlowExplanation): string {
  const lines = [`${explanation.allowed ? 'ALLOWED' : 'DENIED'}: ${explanation.from} -> ${explanation.to} on ${explanation.protocol} ${explanation.port}`];
  if (explanation.loopback) {
    lines.push('  loopback: a pod talking to itself is never restricted by NetworkPolicy');
    return `${lines.join('\n')}\n`;
  }
  lines.push(...formatSide('egress at the source', explanation.egress));
  lines.push(...formatSide('ingress at the destination', explanation.ingress));
  return `${lines.join('\n')}\n`;
}

function formatSide(title: string, side: SideExplanation): string[] {
  const verdict = side.allowed ? 'allowed' : 'DENIED';
  if (!side.enforced) {
    return [`  ${title} (${side.endpoint}): ${verdict}, outside the cluster: no NetworkPolicy applies`];
  }
  if (!side.isolated) {
    return [`  ${title} (${side.endpoint}): ${verdict}, not isolated: no NetworkPolicy selecting it has ${side.direction} in its policyTypes`];
  }
  const lines = [`  ${title} (${side.endpoint}): ${verdict}; isolated by ${side.selectingPolicies.join(', ')}`];
  if (side.allowedBy) {
    const by = side.allowedBy;
    lines.push(`    allowed by ${by.policy} ${by.rule}: peer ${by.peer}; port ${by.port}`);
    return lines;
  }
  for (const policy of side.unmatched) {
    if (policy.rules.length === 0) {
      lines.push(`    ${policy.policy}: no ${side.direction.toLowerCase()} rules`);
    }
    for (const rule of policy.rules) {
      lines.push(`    ${policy.policy} ${rule.rule}: ${rule.reason}`);
    }
  }
  return lines;
}

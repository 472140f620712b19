import { FlowExplanation, SideExplanation } from './explanation';
import { escapeTerminal } from '../text/escape';

/**
 * A flow as explanations and results show it: `shop/web -> ip:203.0.113.7 (api.stripe.com) on TCP 443`,
 * `shop/web -> shop/api on TCP 80 (HTTP GET /public)`, `shop/web -> entity:host on ICMP type 8`.
 */
export function describeFlow(flow: {
  readonly from: string;
  readonly to: string;
  readonly port?: number;
  readonly protocol: string;
  readonly icmpType?: number;
  readonly host?: string;
  readonly http?: { readonly method: string; readonly path: string };
}): string {
  const to = flow.host !== undefined ? `${flow.to} (${escapeTerminal(flow.host)})` : flow.to;
  const traffic = flow.icmpType !== undefined ? `${flow.protocol} type ${flow.icmpType}` : `${flow.protocol} ${flow.port}`;
  const http = flow.http ? ` (HTTP ${escapeTerminal(flow.http.method)} ${escapeTerminal(flow.http.path)})` : '';
  return `${flow.from} -> ${to} on ${traffic}${http}`;
}

/** Renders an explanation as indented text: the verdict, then each side and what decided it. */
export function formatExplanation(explanation: FlowExplanation): string {
  const lines = [`${explanation.allowed ? 'ALLOWED' : 'DENIED'}: ${describeFlow(explanation)}`];
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
  if (side.tiers !== undefined && side.tiers.length > 0) return formatTiers(title, side);
  if (!side.enforced) {
    if (side.endpoint.startsWith('ip:')) return [`  ${title} (${side.endpoint}): ${verdict}, outside the cluster: no NetworkPolicy applies`];
    return [`  ${title} (${side.endpoint}): ${verdict}: ${side.reason}`];
  }
  const l7 = side.l7 === undefined ? [] : [`    L7: ${side.allowed ? 'requests limited to' : 'the request matches none of'} ${side.l7}`];
  if (!side.isolated) {
    return [`  ${title} (${side.endpoint}): ${verdict}, not isolated: no NetworkPolicy selecting it has ${side.direction} in its policyTypes`, ...l7];
  }
  const lines = [`  ${title} (${side.endpoint}): ${verdict}; isolated by ${side.selectingPolicies.join(', ')}`];
  if (side.allowedBy) {
    const by = side.allowedBy;
    lines.push(`    allowed by ${by.policy} ${by.rule}: peer ${by.peer}; port ${by.port}`, ...l7);
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

/** The tier a step of `SideExplanation.tiers` is about: `Admin`, `NetworkPolicy` or `Baseline`. */
function tierOf(step: string): string {
  return step.slice(0, step.indexOf(':'));
}

/**
 * A side that cluster policies take part in: the verdict and the tier that
 * decided it (or that none did, so the default applies), then the tier path,
 * one step a line, with what matched under the deciding step: the cluster
 * rule's peer and port, or the NetworkPolicy tier's rule (or, when it denies,
 * why none of its rules matched).
 *
 *   ingress at the destination (shop/api): allowed in the NetworkPolicy tier; isolated by shop/api-in
 *     Admin: ClusterNetworkPolicy tenants spec.ingress[0] ("within-shop") Pass
 *     NetworkPolicy: allowed by shop/api-in spec.ingress[0]
 *       peer: pods app=web in namespace shop; port: TCP 8080
 */
function formatTiers(title: string, side: SideExplanation): string[] {
  const steps = side.tiers!;
  const last = tierOf(steps[steps.length - 1]);
  const by = side.deniedBy ?? side.allowedBy;
  // The evaluator ends the path with the deciding step; a path that ends undecided leaves the default (allowed).
  const decided = last === 'NetworkPolicy' ? side.isolated || side.deniedBy !== undefined : by !== undefined;
  const verdict = side.allowed ? 'allowed' : 'DENIED';
  const isolation = decided && last === 'NetworkPolicy' && side.selectingPolicies.length > 0 ? `; isolated by ${side.selectingPolicies.join(', ')}` : '';
  const head = decided ? `${verdict} in the ${last} tier${isolation}` : `${verdict}: no tier decides, so the default applies`;
  const details: string[] = [];
  // `peer: ...; port: ...`, as the reasons write it: the port may be `every port` or `port named "metrics"`.
  if (decided && by !== undefined) details.push(`peer: ${by.peer}; port: ${by.port}`);
  if (decided && by === undefined) {
    for (const policy of side.unmatched) {
      if (policy.rules.length === 0) details.push(`${policy.policy}: no ${side.direction.toLowerCase()} rules`);
      for (const rule of policy.rules) details.push(`${policy.policy} ${rule.rule}: ${rule.reason}`);
    }
  }
  if (side.l7 !== undefined) details.push(`L7: ${side.allowed ? 'requests limited to' : 'the request matches none of'} ${side.l7}`);
  return [
    `  ${title} (${side.endpoint}): ${head}`,
    ...steps.map((step) => `    ${step}`),
    ...details.map((line) => `      ${line}`),
  ];
}

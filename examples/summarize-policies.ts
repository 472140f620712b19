/**
 * Prints what synthesized NetworkPolicies allow, one line per rule, so a reader
 * of the example sees the intent without reading YAML. (The analyzer and the
 * `cdk8s-netpol verify` command will prove flows end to end.)
 */

type Json = any;

export function summarizePolicies(objects: Json[]): string {
  const policies = objects.filter((o) => o.kind === 'NetworkPolicy');
  const lines: string[] = [];
  for (const policy of policies) {
    const spec = policy.spec ?? {};
    const where = `${policy.metadata.namespace ?? 'default'}/${policy.metadata.name}`;
    lines.push(`${where}: pods ${selector(spec.podSelector)}; isolates ${(spec.policyTypes ?? []).join(' and ')}`);
    for (const rule of spec.ingress ?? []) {
      lines.push(`    allow in   from ${peers(rule.from)} on ${ports(rule.ports)}`);
    }
    for (const rule of spec.egress ?? []) {
      lines.push(`    allow out  to ${peers(rule.to)} on ${ports(rule.ports)}`);
    }
  }
  lines.push(`${policies.length} NetworkPolicies in ${new Set(policies.map((p) => p.metadata.namespace)).size} namespaces.`);
  return lines.join('\n');
}

function selector(s: Json | undefined): string {
  const parts = [
    ...Object.entries(s?.matchLabels ?? {}).map(([k, v]) => `${k}=${v}`),
    ...(s?.matchExpressions ?? []).map((e: Json) => `${e.key} ${e.operator} (${(e.values ?? []).join(',')})`),
  ];
  return parts.length ? parts.join(',') : '(all)';
}

function peers(list: Json[] | undefined): string {
  if (!list) {
    return 'anyone';
  }
  return list.map((p) => {
    if (p.ipBlock) {
      return p.ipBlock.except ? `${p.ipBlock.cidr} except ${p.ipBlock.except.join(',')}` : p.ipBlock.cidr;
    }
    const ns = p.namespaceSelector;
    const name = ns?.matchLabels?.['kubernetes.io/metadata.name'];
    const inNamespace = ns === undefined ? '' : name ? ` in namespace ${name}` : ` in namespaces ${selector(ns)}`;
    return p.podSelector ? `pods ${selector(p.podSelector)}${inNamespace}` : `all pods${inNamespace}`;
  }).join(' or ');
}

function ports(list: Json[] | undefined): string {
  if (!list) {
    return 'every port';
  }
  return list.map((p) => {
    const port = p.port === undefined ? '*' : p.endPort ? `${p.port}-${p.endPort}` : `${p.port}`;
    return `${p.protocol ?? 'TCP'}/${port}`;
  }).join(', ');
}

import { denyRulesOf, rulesOf } from '../../analysis/compiled-policy';
import { Direction } from '../../analysis/flow';
import { formatPath } from '../../analysis/manifest-object';
import { Cni } from '../cni';
import { activeGaps, cniSupport, FeatureGap, KUBERNETES_END_PORT_NOTE, PolicyFeature } from '../cni-support';
import { LintRule, RuleFinding } from '../lint-rule';
import { Severity } from '../severity';
import { policySubject } from '../subject';

/**
 * Flags port ranges (`endPort`) when the configured CNI (`cni` option,
 * `--cni`) is documented not to enforce them in some of its versions: such a
 * plugin applies the entry to its first port only, so the rest of the range
 * is denied. The version a gap was fixed in is given, since the finding is
 * moot on newer releases (acknowledge it there).
 *
 * Without the `cni` option there are no findings: most current CNIs support
 * endPort, and which one runs the cluster is not in the manifests.
 * A range of one port (`endPort` equal to `port`) is not flagged: it means
 * the same either way. Ranges in Cilium policies (`toPorts[].ports[].endPort`)
 * count too: Cilium added port ranges to its own policies and to
 * NetworkPolicy in the same release.
 */
export const endPortIgnored: LintRule = {
  id: 'end-port-ignored',
  severity: Severity.ERROR,
  summary: 'A port range (endPort) is used with a CNI (--cni) whose given version (or every version) is documented not to enforce endPort.',
  rationale: 'The Kubernetes documentation notes that a network plugin without endPort support applies the entry to its single port: '
    + 'the rest of the range is silently denied, and the failure shows up only when traffic uses one of those ports.',
  fix: 'List the ports one by one if the range is short, upgrade the CNI to a version that supports endPort, or use another CNI (see docs/cni.md).',
  check: ({ model, cni, cniVersion }) => {
    if (cni === undefined) return [];
    const support = cniSupport(cni);
    const gaps = activeGaps(support, cniVersion).filter((g) => g.feature === PolicyFeature.END_PORT);
    if (gaps.length === 0) return [];
    const findings: RuleFinding[] = [];
    for (const policy of model.tierPolicies) {
      // Only Cilium enforces Cilium's policies: elsewhere cni-unsupported-feature says they do nothing.
      if (policy.kind !== 'NetworkPolicy' && cni !== Cni.CILIUM) continue;
      for (const direction of [Direction.INGRESS, Direction.EGRESS]) {
        // Rules of a direction the policy does not enforce have no effect; Cilium's deny rules take ranges too.
        if (!policy.applies.has(direction)) continue;
        for (const rule of [...rulesOf(policy, direction), ...denyRulesOf(policy, direction)]) {
          for (const port of rule.ports ?? []) {
            if (port.endPort === undefined || port.port === undefined || port.endPort === port.port) continue;
            const rest = port.endPort === port.port + 1 ? `${port.endPort}` : `${port.port + 1}-${port.endPort}`;
            findings.push({
              subject: policySubject(policy),
              field: [...port.path, 'endPort'],
              message: `${formatPath(port.path)} allows the range ${port.text}. ${gaps.map((g) => g.note).join(' ')} ${KUBERNETES_END_PORT_NOTE.text} `
                + `Without endPort support this entry allows ${port.protocol} ${port.port} only, and ${port.protocol} ${rest} is denied.`,
              fix: fixFor(support.displayName, gaps, port.port, port.endPort),
            });
          }
        }
      }
    }
    return findings;
  },
};

function fixFor(displayName: string, gaps: readonly FeatureGap[], port: number, endPort: number): string {
  // Up to a handful of ports can reasonably be written out; a long range cannot.
  const ports = Array.from({ length: endPort - port + 1 }, (_, i) => port + i);
  const list = ports.length <= 8 ? `List the ports one by one (${ports.join(', ')})` : 'List the ports actually used one by one';
  // When every gap names a fixed version, upgrading is the fix; otherwise current releases ignore endPort too.
  const fixed = gaps.map((g) => g.fixedIn);
  const upgrade = fixed.every((f) => f !== undefined)
    ? `; or run ${displayName} ${fixed.join(' / ')} or later`
    : '; or use a CNI that enforces endPort (see docs/cni.md)';
  return `${list}${upgrade}.`;
}

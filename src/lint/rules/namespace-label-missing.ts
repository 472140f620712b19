import { NAMESPACE_LABELS_PREFIX, POD_NAMESPACE_LABEL } from '../../analysis/cilium-identity';
import { denyRulesOf, rulesOf, TierPolicy } from '../../analysis/compiled-policy';
import { Direction } from '../../analysis/flow';
import { LabelMatcher } from '../../analysis/label-matcher';
import { formatPath } from '../../analysis/manifest-object';
import { NAMESPACE_NAME_LABEL } from '../../kube/namespace-name-label';
import { LintRule, RuleFinding } from '../lint-rule';
import { Severity } from '../severity';
import { policySubject } from '../subject';

/** Label keys people use for a namespace's name, though nothing sets them (blog posts and old examples do). */
const NAME_LIKE_KEYS: readonly string[] = ['name', 'namespace'];

/**
 * Flags namespaceSelectors that require a label key (matchLabels, In,
 * Exists) no namespace of the manifests carries. Namespaces carry only
 * `kubernetes.io/metadata.name` unless someone labels them, so a selector on
 * `name: kube-system` matches no namespace and the peer allows nothing.
 * NotIn and DoesNotExist match namespaces without the key, so they are not
 * requirements. Keys that exist but whose values match nothing are
 * selector-matches-nothing's business.
 *
 * Cilium endpoint peers (allow and deny rules) are judged the same way: a
 * required key `io.cilium.k8s.namespace.labels.<key>` names the namespace
 * label `<key>`, which the pods of a namespace carry only when the namespace
 * does; no pod matches the peer otherwise.
 */
export const namespaceLabelMissing: LintRule = {
  id: 'namespace-label-missing',
  severity: Severity.WARNING,
  summary: 'A namespaceSelector (or a Cilium peer\'s io.cilium.k8s.namespace.labels.<key>) requires a label that no namespace carries '
    + '(e.g. `name: kube-system`), so the peer matches no namespace and allows nothing.',
  rationale: `The API server sets only ${NAMESPACE_NAME_LABEL} on a namespace; every other label must be added by someone. `
    + 'Selectors such as `name: kube-system`, common in blog posts, match nothing on a cluster where nobody added the label: '
    + 'the traffic the rule was written for is denied. '
    + 'The rule judges by the namespaces of the manifests: a namespace managed outside them (by the platform team, Helm, Terraform) '
    + 'can be declared with a Namespace object carrying its real labels, or the finding acknowledged on the policy.',
  fix: `Select namespaces by ${NAMESPACE_NAME_LABEL} (e.g. NamespaceSelector.named('kube-system')), `
    + 'or add the label to the Namespace objects the selector is meant to match.',
  check: ({ model }) => {
    const carried = new Set<string>();
    for (const namespace of model.namespaces.values()) {
      Object.keys(namespace.labels).forEach((key) => carried.add(key));
    }
    const names = [...model.namespaces.keys()];
    const findings: RuleFinding[] = [];
    for (const policy of model.policies) {
      for (const direction of [Direction.INGRESS, Direction.EGRESS]) {
        // Rules of a direction the policy does not isolate have no effect, but the selector is still wrong as written.
        for (const rule of rulesOf(policy, direction)) {
          for (const peer of rule.peers ?? []) {
            if (peer.kind !== 'pods' || !peer.namespaces) continue;
            const missing = peer.namespaces.requiredKeys.filter((key) => !carried.has(key));
            if (missing.length === 0) continue;
            const suggestion = suggestNameSelector(peer.namespaces, missing, names);
            findings.push({
              subject: policySubject(policy),
              field: [...peer.path, 'namespaceSelector'],
              message: `${formatPath(peer.path)} (${peer.text}) requires the namespace label${missing.length === 1 ? '' : 's'} `
                + `${missing.map((k) => `"${k}"`).join(', ')}, which no namespace in the manifests carries: `
                + 'the peer matches no namespace, so it allows nothing.',
              fix: suggestion
                ? `Select by ${NAMESPACE_NAME_LABEL}, which every namespace carries: ${suggestion}. `
                  + 'If a Namespace managed elsewhere does carry the label, declare it with its labels in the manifests or acknowledge the finding.'
                : `Add ${missing.map((k) => `"${k}"`).join(', ')} to the Namespace objects the peer is meant to match `
                  + '(declare namespaces managed elsewhere with their labels), or select them by a label they carry.',
            });
          }
        }
      }
    }
    findings.push(...ciliumFindings(model.tierPolicies.filter((p) => p.kind !== 'NetworkPolicy'), carried, names));
    return findings;
  },
};

/** The Cilium endpoint peers that require a namespace label no namespace carries. */
function ciliumFindings(policies: readonly TierPolicy[], carried: ReadonlySet<string>, names: readonly string[]): RuleFinding[] {
  const findings: RuleFinding[] = [];
  for (const policy of policies) {
    for (const direction of [Direction.INGRESS, Direction.EGRESS]) {
      for (const rule of [...rulesOf(policy, direction), ...denyRulesOf(policy, direction)]) {
        for (const peer of rule.peers ?? []) {
          if (peer.kind !== 'identity') continue;
          const missing = peer.selector.requiredKeys
            .filter((key) => key.startsWith(NAMESPACE_LABELS_PREFIX) && !carried.has(key.slice(NAMESPACE_LABELS_PREFIX.length)));
          if (missing.length === 0) continue;
          const labels = missing.map((k) => `"${k.slice(NAMESPACE_LABELS_PREFIX.length)}"`).join(', ');
          const suggestion = suggestNamespaceKey(peer.selector, missing, names);
          findings.push({
            subject: policySubject(policy),
            field: peer.path,
            message: `${formatPath(peer.path)} (${peer.text}) requires the namespace label${missing.length === 1 ? '' : 's'} ${labels} `
              + `(${missing.join(', ')}), which no namespace in the manifests carries: the peer matches no pod, `
              + `so it ${rule.path.includes('Deny') ? 'denies' : 'allows'} nothing.`,
            fix: suggestion
              ? `Select by the pods' namespace, which every pod carries: ${suggestion}. `
                + 'If a Namespace managed elsewhere does carry the label, declare it with its labels in the manifests or acknowledge the finding.'
              : `Add ${labels} to the Namespace objects the peer is meant to match `
                + '(declare namespaces managed elsewhere with their labels), or select them by a label they carry.',
          });
        }
      }
    }
  }
  return findings;
}

/** For a Cilium peer: the namespace-name key for what a missing namespace-label key most likely meant. */
function suggestNamespaceKey(selector: LabelMatcher, missing: readonly string[], names: readonly string[]): string | undefined {
  for (const key of missing) {
    const values = selector.valuesOf(key);
    if (values.length === 0) continue;
    if (!NAME_LIKE_KEYS.includes(key.slice(NAMESPACE_LABELS_PREFIX.length)) && !values.some((v) => names.includes(v))) continue;
    return values.length === 1
      ? `matchLabels: { k8s:${POD_NAMESPACE_LABEL}: ${values[0]} }`
      : `matchExpressions: [{ key: k8s:${POD_NAMESPACE_LABEL}, operator: In, values: [${values.join(', ')}] }]`;
  }
  return undefined;
}

/**
 * A selector by name for what a missing key most likely meant: its values when
 * the key is name-like (`name`, `namespace`) or a value names a namespace of the model.
 */
function suggestNameSelector(namespaces: LabelMatcher, missing: readonly string[], names: readonly string[]): string | undefined {
  for (const key of missing) {
    const values = namespaces.valuesOf(key);
    if (values.length === 0) continue;
    if (!NAME_LIKE_KEYS.includes(key) && !values.some((v) => names.includes(v))) continue;
    return values.length === 1
      ? `matchLabels: { ${NAMESPACE_NAME_LABEL}: ${values[0]} }`
      : `matchExpressions: [{ key: ${NAMESPACE_NAME_LABEL}, operator: In, values: [${values.join(', ')}] }]`;
  }
  return undefined;
}

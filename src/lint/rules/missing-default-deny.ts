import { NAMESPACE_LABELS_PREFIX, POD_NAMESPACE_LABEL } from '../../analysis/cilium-identity';
import { ClusterModel } from '../../analysis/cluster-model';
import { TierPolicy } from '../../analysis/compiled-policy';
import { Direction } from '../../analysis/flow';
import { LintRule, RuleFinding } from '../lint-rule';
import { Severity } from '../severity';
import { namespaceSubject } from '../subject';
import { isolatingPolicies } from '../tier-policies';

/** How many workloads a message names. */
const MAX_LISTED = 3;

/**
 * Flags namespaces with workloads but no default-deny, once per direction. A
 * default-deny for a direction is any policy of the namespace with an empty
 * podSelector whose effective policyTypes include the direction: it isolates
 * every pod, present and future, whatever rules it also has. Per the API
 * server's defaulting, a policy without policyTypes isolates egress only when
 * `spec.egress` is a non-empty list, so `egress: []` alone is not a default-deny.
 * A CiliumNetworkPolicy of the namespace with an empty endpointSelector, or a
 * CiliumClusterwideNetworkPolicy whose endpointSelector names nothing but the
 * namespace (or nothing at all), counts as well when it puts its pods into
 * default deny for the direction (rules or deny rules for it, and no
 * `enableDefaultDeny: false`).
 *
 * Every namespace with workloads in the manifests is judged, kube-system
 * included: what is not in the manifests is not judged at all.
 */
export const missingDefaultDeny: LintRule = {
  id: 'missing-default-deny',
  severity: Severity.WARNING,
  summary: 'A namespace with workloads has no default-deny policy (empty podSelector, or a Cilium policy selecting every pod of it) for ingress or for egress.',
  rationale: 'A pod that no policy selects for a direction accepts (or sends) any traffic in it. '
    + 'Without a default-deny, every workload added to the namespace later starts wide open, and a policy whose podSelector '
    + 'stops matching after a relabel silently opens its pods. A default-deny makes "denied unless allowed" the namespace\'s baseline.',
  fix: 'Add a policy with `podSelector: {}` and the missing policyTypes to the namespace (new DefaultDeny(chart, \'default-deny\'), '
    + 'or NamespaceBaseline; under the Cilium target they emit a CiliumNetworkPolicy with endpointSelector: {} and ingress: [{}] / egress: [{}]), '
    + 'then allow what the workloads need. '
    + 'To acknowledge the finding, annotate the Namespace object; for a namespace without one in the manifests, declare it first.',
  check: ({ model }) => {
    const findings: RuleFinding[] = [];
    for (const namespace of model.namespaces.values()) {
      const endpoints = model.endpointsIn(namespace.name);
      if (endpoints.length === 0) continue;
      const policies = model.tierPolicies.filter((p) => p.namespace === namespace.name || p.namespace === undefined);
      const missing = [Direction.INGRESS, Direction.EGRESS]
        .filter((d) => !policies.some((p) => p.isolates.has(d) && selectsWholeNamespace(model, p, namespace.name)));
      for (const direction of missing) {
        const way = direction === Direction.INGRESS ? 'ingress' : 'egress';
        const open = endpoints.filter((e) => isolatingPolicies(model, e, direction).length === 0);
        const today = open.length === 0
          ? `other policies isolate ${endpoints.length === 1 ? `its workload (${endpoints[0].displayName})` : `all its ${endpoints.length} workloads`} for ${way} today, `
            + 'but a workload added or relabelled later will not be'
          : `${openWorkloads(open.length, endpoints.length)} (${list(open.map((e) => e.displayName))}) `
            + `${open.length === 1 ? 'is' : 'are'} not isolated for ${way}: `
            + (direction === Direction.INGRESS ? `any source can connect to ${open.length === 1 ? 'it' : 'them'}` : `${open.length === 1 ? 'it' : 'they'} can connect anywhere`);
        findings.push({
          subject: namespaceSubject(namespace),
          message: `Namespace ${namespace.name} has no default-deny for ${way} (a NetworkPolicy with podSelector: {} and policyTypes including ${direction}): ${today}.`,
          fix: `Add a NetworkPolicy to namespace ${namespace.name} with podSelector: {} and policyTypes: [${missing.join(', ')}] `
            + `(${defaultDenyCall(namespace.name, missing)}), then allow what its workloads need. `
            + (namespace.declared
              ? 'If the namespace must stay open, acknowledge the finding on its Namespace object.'
              : 'If the namespace must stay open, declare its Namespace object in the manifests and acknowledge the finding there.'),
        });
      }
    }
    return findings;
  },
};

/**
 * Whether the policy selects every pod of the namespace, present and future:
 * an empty selector in the namespace; for a cluster-wide Cilium policy, a
 * selector that names only namespaces (their name or labels) and takes this one.
 */
function selectsWholeNamespace(model: ClusterModel, policy: TierPolicy, namespace: string): boolean {
  const selector = policy.subject.selector;
  if (policy.namespace === namespace) return selector.matchesAll;
  if (policy.namespace !== undefined || !policy.subject.identity) return false;
  if (!selector.keys.every((k) => k === POD_NAMESPACE_LABEL || k.startsWith(NAMESPACE_LABELS_PREFIX))) return false;
  const labels: Record<string, string> = { [POD_NAMESPACE_LABEL]: namespace };
  for (const [key, value] of Object.entries(model.namespaceLabels(namespace))) labels[`${NAMESPACE_LABELS_PREFIX}${key}`] = value;
  return selector.matches(labels);
}

/** The DefaultDeny construct call that adds what is missing (one policy when both directions are). */
function defaultDenyCall(namespace: string, missing: readonly Direction[]): string {
  const only = missing.length === 2 ? '' : missing[0] === Direction.INGRESS ? ', egress: false' : ', ingress: false';
  const name = missing.length === 2 ? 'default-deny' : `default-deny-${missing[0].toLowerCase()}`;
  return `new DefaultDeny(chart, '${name}', { namespace: '${namespace}'${only} })`;
}

/** `its workload`, `its 2 workloads`, `1 of its 3 workloads`. */
function openWorkloads(open: number, all: number): string {
  if (open < all) return `${open} of its ${all} workloads`;
  return all === 1 ? 'its workload' : `its ${all} workloads`;
}

function list(items: readonly string[]): string {
  const shown = items.slice(0, MAX_LISTED);
  return shown.join(', ') + (items.length > shown.length ? ` and ${items.length - shown.length} more` : '');
}

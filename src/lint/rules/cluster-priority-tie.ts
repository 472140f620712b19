import { ClusterModel } from '../../analysis/cluster-model';
import { ClusterPolicy, clusterRulesOf } from '../../analysis/cluster-policy';
import { Endpoint } from '../../analysis/endpoint';
import { Direction } from '../../analysis/flow';
import { LintRule, RuleFinding } from '../lint-rule';
import { Severity } from '../severity';
import { clusterPolicySubject } from '../subject';
import { way } from '../tier-policies';

/** How many pods a message names. */
const MAX_LISTED = 3;

/**
 * Flags two cluster policies of one tier with the same priority whose
 * subjects overlap and that both have rules in a direction. The API leaves
 * their order undefined: "the implementation can apply any of the matching
 * policies to the connection, and there is no way for the user to reliably
 * determine which one it will choose" (the `priority` field, v1alpha1 and
 * v1alpha2). The analyzer orders ties by kind, then name, and says which it
 * assumed.
 *
 * The subjects overlap when some pod of the manifests is a subject of both
 * (host-network pods are subjects of neither), or, whatever the manifests
 * hold, when one selects every pod of every namespace or both select with
 * the same namespace and pod selectors. Whether their rules match the same
 * connections is not checked: a tie between overlapping subjects is reported
 * before an edit makes it matter. One finding per pair, on the policy the
 * analyzer took second.
 */
export const clusterPriorityTie: LintRule = {
  id: 'cluster-priority-tie',
  severity: Severity.WARNING,
  summary: 'Two ClusterNetworkPolicies (or AdminNetworkPolicies) of one tier have the same priority, their subjects overlap '
    + 'and both have rules for the same direction: the API leaves their order undefined.',
  rationale: 'Policies of a tier are evaluated by ascending priority and the first rule that matches decides; for equal priorities '
    + 'the API does not say which policy comes first. Where one policy accepts what the other denies, the verdict for the pods both '
    + 'apply to depends on the implementation (and may change when a policy is re-created), and the analyzer can only assume an order.',
  fix: 'Give the two policies different priorities, in the order you mean; or acknowledge the finding where their rules never match '
    + 'the same connections.',
  check: ({ model }) => {
    const findings: RuleFinding[] = [];
    const policies = model.clusterPolicies;
    for (let i = 0; i < policies.length; i++) {
      for (let j = i + 1; j < policies.length; j++) {
        const [first, second] = [policies[i], policies[j]];
        // clusterPolicies is sorted by tier, then priority: past the first's priority, no later policy ties with it.
        if (first.tier !== second.tier || first.priority !== second.priority) break;
        const finding = tie(model, first, second);
        if (finding) findings.push(finding);
      }
    }
    return findings;
  },
};

/** The finding for a pair of equal priority, or undefined when they share no direction or no pod. */
function tie(model: ClusterModel, first: ClusterPolicy, second: ClusterPolicy): RuleFinding | undefined {
  const directions = [Direction.EGRESS, Direction.INGRESS]
    .filter((d) => clusterRulesOf(first, d).length > 0 && clusterRulesOf(second, d).length > 0);
  if (directions.length === 0) return undefined;
  const shared = model.endpoints.filter((e) => model.clusterSubjectMatches(first, e) && model.clusterSubjectMatches(second, e));
  if (shared.length === 0 && !selectorsOverlap(first, second)) return undefined;
  const where = shared.length > 0 ? `both apply to ${list(shared)}` : `their subjects overlap (${first.subject.text}; ${second.subject.text})`;
  return {
    subject: clusterPolicySubject(second),
    field: ['spec', 'priority'],
    message: `${second.id} has priority ${second.priority} in the ${second.tier} tier, as ${first.id} does, and ${where}, `
      + `with rules for ${directions.map(way).join(' and ')} in both: the API leaves the order of equal priorities undefined `
      + '(the implementation can apply either policy to a connection both match), so which one\'s rules come first is up to the CNI. '
      + `The analyzer assumed ${first.id} first (it orders ties by kind, then name).`,
    fix: `Give ${first.id} and ${second.id} different priorities, the one whose rules must win the lower.`,
  };
}

/**
 * Overlap the selectors show without pods: one subject is every pod of every
 * namespace, or both select the same namespaces and pods.
 */
function selectorsOverlap(first: ClusterPolicy, second: ClusterPolicy): boolean {
  const everything = (p: ClusterPolicy) => p.subject.namespaces.matchesAll && p.subject.pods.matchesAll;
  if (everything(first) || everything(second)) return true;
  return first.subject.namespaces.text === second.subject.namespaces.text && first.subject.pods.text === second.subject.pods.text;
}

function list(endpoints: readonly Endpoint[]): string {
  const shown = endpoints.slice(0, MAX_LISTED).map((e) => e.displayName);
  return shown.join(', ') + (endpoints.length > shown.length ? ` and ${endpoints.length - shown.length} more` : '');
}

import { ClusterModel, NamespaceInfo } from '../../analysis/cluster-model';
import { denyRulesOf, PodPeer, rulesOf } from '../../analysis/compiled-policy';
import { Endpoint } from '../../analysis/endpoint';
import { Direction } from '../../analysis/flow';
import { LabelMatcher } from '../../analysis/label-matcher';
import { formatPath } from '../../analysis/manifest-object';
import { peerMatches, subjectMatches } from '../../analysis/matching';
import { NAMESPACE_NAME_LABEL } from '../../kube/namespace-name-label';
import { LintRule, RuleFinding } from '../lint-rule';
import { Severity } from '../severity';
import { policySubject, Subject } from '../subject';
import { subjectField } from '../tier-policies';

/** How many label values or names a message lists. */
const MAX_LISTED = 5;

/**
 * Flags dangling selectors: a policy's `spec.podSelector` that selects no pod
 * of its namespace, and a peer whose podSelector selects no pod of the
 * namespaces it covers. Empty selectors match everything and are never
 * dangling.
 *
 * The manifests rarely hold the whole cluster (kube-system, the monitoring
 * stack...), so a selector is only judged against namespaces whose workloads
 * the manifests show: a policy when its namespace has workloads there; a peer
 * of its own namespace, or of namespaces named by kubernetes.io/metadata.name,
 * when every one of them has. A peer selecting namespaces by other labels (or
 * `namespaceSelector: {}`) also covers namespaces outside the manifests: it is
 * judged against the covered namespaces with workloads, and reported only when
 * their pods carry a label a typo away from the selector's (`namespaceSelector: {}`
 * with `k8s-app: kube-dns` is the usual DNS rule, not a mistake, when kube-system
 * is not in the manifests).
 *
 * A peer whose namespaceSelector matches no namespace is left to
 * namespace-label-missing when it requires a label no namespace carries; when
 * the keys exist it is reported here only if that is surely a mistake: a value
 * close to an existing one (a typo, `prodution`), or a selector by name whose
 * namespaces are all declared and whose other labels contradict theirs.
 * Otherwise the namespaces it means may simply not be in the manifests.
 *
 * In a CiliumNetworkPolicy, the `endpointSelector` and the endpoint peers of
 * the policy's own namespace (no namespace key) are judged the same way, on
 * the pods' identity labels; peers in other namespaces and cluster-wide
 * policies are not judged.
 */
export const selectorMatchesNothing: LintRule = {
  id: 'selector-matches-nothing',
  severity: Severity.WARNING,
  summary: 'A policy\'s podSelector (or endpointSelector) or a peer\'s podSelector or namespaceSelector (or endpoint selector in the policy\'s namespace) '
    + 'matches no pod or namespace of the manifests (a typo or a stale label).',
  rationale: 'A policy whose podSelector matches nothing protects nothing; a peer that matches nothing allows nothing, '
    + 'so the traffic it was written for is denied. Kubernetes accepts both silently. '
    + 'To avoid noise when the manifests do not include every namespace (kube-system, a monitoring stack deployed separately), '
    + 'a policy is only judged when its namespace has workloads in the manifests, and a peer fully only within the policy\'s own namespace. '
    + 'A peer in other namespaces (which the manifests may hold in part only, like kube-system without CoreDNS) is reported only when '
    + 'a label is a typo away from one the pods there carry; a namespaceSelector that matches no namespace may mean one outside the manifests, '
    + 'and is reported only when a label other than the namespace name is a typo away from one that exists, or the selector names declared '
    + 'namespaces whose labels contradict it.',
  fix: 'Use labels the pods carry (select a workload with Peer.workload() or Selector.fromWorkload() rather than copying its labels). '
    + 'If the pods come from other manifests, include them in the analysis or acknowledge the finding on the policy.',
  check: ({ model }) => {
    const findings: RuleFinding[] = [];
    const carried = new Set([...model.namespaces.values()].flatMap((ns) => Object.keys(ns.labels)));
    for (const policy of model.policies) {
      const subject = policySubject(policy);
      const local = model.endpointsIn(policy.namespace);
      if (!policy.podSelector.matchesAll && local.length > 0 && !local.some((e) => policy.podSelector.matches(e.labels))) {
        const close = closeLabels(policy.podSelector, local);
        findings.push({
          subject,
          field: ['spec', 'podSelector'],
          message: `spec.podSelector (${policy.podSelector.text}) matches ${noneOf(local, [policy.namespace])}, `
            + `so the policy applies to no pod${carriedHint(policy.podSelector, local, close)}.`,
          fix: `${didYouMean(close)}Correct the podSelector to labels of the pods the policy is meant for `
            + '(Selector.fromWorkload() reads them from a workload), or delete the policy if those pods are gone.',
        });
      }
      for (const direction of [Direction.INGRESS, Direction.EGRESS]) {
        // Rules of a direction the policy does not isolate have no effect, but the selector is still wrong as written.
        for (const rule of rulesOf(policy, direction)) {
          for (const peer of rule.peers ?? []) {
            if (peer.kind !== 'pods') continue;
            const finding = checkPeer(model, peer, subject, carried);
            if (finding) findings.push(finding);
          }
        }
      }
    }
    findings.push(...ciliumFindings(model));
    return findings;
  },
};

/** A CiliumNetworkPolicy's endpointSelector, and its endpoint peers of its own namespace, that match no pod there. */
function ciliumFindings(model: ClusterModel): RuleFinding[] {
  const findings: RuleFinding[] = [];
  for (const policy of model.tierPolicies) {
    if (policy.kind !== 'CiliumNetworkPolicy' || policy.namespace === undefined) continue;
    const local = model.endpointsIn(policy.namespace);
    if (local.length === 0) continue;
    const subject = policySubject(policy);
    const selector = policy.subject.selector;
    if (!selector.matchesAll && !local.some((e) => subjectMatches(model, policy.subject, e))) {
      const field = subjectField(policy);
      const close = closeLabels(selector, local);
      findings.push({
        subject,
        field,
        message: `${formatPath(field)} (${selector.text}) matches ${noneOf(local, [policy.namespace])}, so the policy applies to no pod${carriedHint(selector, local, close)}.`,
        fix: `${didYouMean(close)}Correct the endpointSelector to labels of the pods the policy is meant for, or delete the policy if those pods are gone.`,
      });
    }
    for (const direction of [Direction.INGRESS, Direction.EGRESS]) {
      for (const rule of [...rulesOf(policy, direction), ...denyRulesOf(policy, direction)]) {
        for (const peer of rule.peers ?? []) {
          if (peer.kind !== 'identity' || peer.namespace !== policy.namespace || peer.selector.matchesAll) continue;
          if (local.some((e) => peerMatches(model, peer, { kind: 'endpoint', endpoint: e, text: e.displayName }))) continue;
          const close = closeLabels(peer.selector, local);
          findings.push({
            subject,
            field: peer.path,
            message: `${formatPath(peer.path)} (${peer.selector.text}) matches ${noneOf(local, [policy.namespace])}, `
              + `so the peer (${peer.text}) ${rule.path.includes('Deny') ? 'denies' : 'allows'} nothing${carriedHint(peer.selector, local, close)}.`,
            fix: `${didYouMean(close)}Correct the selector to labels the peer pods carry, or remove the peer if those pods are gone.`,
          });
        }
      }
    }
  }
  return findings;
}

function checkPeer(model: ClusterModel, peer: PodPeer, subject: Subject, carried: ReadonlySet<string>): RuleFinding | undefined {
  const namespaces = peer.namespaces;
  const covered: NamespaceInfo[] = namespaces
    ? [...model.namespaces.values()].filter((ns) => namespaces.matches(ns.labels))
    : [model.namespaces.get(peer.ownNamespace)!];
  if (namespaces && covered.length === 0) {
    // A label no namespace carries: namespace-label-missing says so, with a better fix.
    if (namespaces.requiredKeys.some((key) => !carried.has(key))) return undefined;
    const reason = unmatchedNamespaceReason(model, namespaces);
    if (!reason) return undefined;
    return {
      subject,
      field: [...peer.path, 'namespaceSelector'],
      message: `${formatPath([...peer.path, 'namespaceSelector'])} (${namespaces.text}) matches no namespace in the manifests, `
        + `so the peer (${peer.text}) allows nothing: ${reason.because}.`,
      fix: `${reason.fix} If the namespace exists outside the manifests, declare it (a Namespace object with its labels) or acknowledge the finding.`,
    };
  }
  if (peer.pods.matchesAll) return undefined;
  const judged = covered.filter((ns) => model.endpointsIn(ns.name).length > 0);
  const endpoints = judged.flatMap((ns) => model.endpointsIn(ns.name));
  if (endpoints.length === 0 || endpoints.some((e) => peer.pods.matches(e.labels))) return undefined;
  // The namespaces the peer can cover: its own, or those its selector names by name; none when it selects by other labels.
  const named = namespaces ? namespaces.valuesOf(NAMESPACE_NAME_LABEL) : [peer.ownNamespace];
  const close = closeLabels(peer.pods, endpoints);
  // Only the policy's own namespace is taken as complete (its workloads are what is being linted). Another
  // namespace may be in the manifests in part only (kube-system with metrics-server but not CoreDNS), and
  // selecting by other labels (or `{}`) also covers namespaces outside them: there, only a likely typo is reported.
  const ownNamespaceOnly = named.length > 0 && named.every((name) => name === peer.ownNamespace);
  if (!ownNamespaceOnly && close.length === 0) return undefined;
  return {
    subject,
    field: [...peer.path, 'podSelector'],
    message: `${formatPath([...peer.path, 'podSelector'])} (${peer.pods.text}) matches ${noneOf(endpoints, judged.map((ns) => ns.name))}, `
      + `so the peer (${peer.text}) allows nothing${carriedHint(peer.pods, endpoints, close)}.`,
    fix: `${didYouMean(close)}Correct the podSelector to labels the peer pods carry `
      + '(Peer.workload() selects a workload by its own labels), or remove the peer if those pods are gone.',
  };
}

/** `none of the 2 workloads in namespace shop` / `no pod of the only workload in namespace a (a/client)`. */
function noneOf(endpoints: readonly Endpoint[], namespaces: readonly string[]): string {
  const where = namespaces.length === 1 ? `namespace ${namespaces[0]}` : `namespaces ${list(namespaces)}`;
  return endpoints.length === 1 ? `no pod of the only workload in ${where} (${endpoints[0].displayName})` : `none of the ${endpoints.length} workloads in ${where}`;
}

/** What the pods carry that the selector likely meant, else what they carry for its first required key: the likeliest place of a typo. */
function carriedHint(selector: LabelMatcher, endpoints: readonly Endpoint[], close: readonly string[]): string {
  if (close.length > 0) return `; pods there carry ${list(close)}`;
  const key = selector.requiredKeys[0];
  if (key === undefined) return '';
  const values = [...new Set(endpoints.filter((e) => Object.hasOwn(e.labels, key)).map((e) => `${key}=${e.labels[key]}`))].sort();
  return values.length === 0 ? `; no pod there carries the label "${key}"` : `; pods there carry ${list(values)}`;
}

function didYouMean(close: readonly string[]): string {
  return close.length ? `Did you mean ${list(close, ' or ')}? ` : '';
}

/**
 * Labels of the endpoints a few edits away from what the selector requires
 * (`app=clinet` for `app=client`, or the key `ap` for `app`): likely typos.
 */
function closeLabels(selector: LabelMatcher, endpoints: readonly Endpoint[]): string[] {
  const carried = new Map<string, Set<string>>();
  for (const endpoint of endpoints) {
    for (const [key, value] of Object.entries(endpoint.labels)) {
      carried.set(key, (carried.get(key) ?? new Set()).add(value));
    }
  }
  const found = new Set<string>();
  for (const key of selector.requiredKeys) {
    const values = selector.valuesOf(key);
    const keys = carried.has(key) ? [key] : [...carried.keys()].filter((k) => isClose(key, k));
    for (const k of keys) {
      for (const value of carried.get(k)!) {
        const typoKey = k !== key;
        const sameValue = values.length === 0 || values.includes(value);
        const typoValue = values.some((v) => v !== value && isClose(v, value));
        // The same key and value is no typo: another requirement of the selector fails.
        if (typoValue || (typoKey && sameValue)) found.add(`${k}=${value}`);
      }
    }
  }
  return [...found].sort();
}

/** Why a namespaceSelector whose keys exist surely means something else, or undefined when it may mean a namespace outside the manifests. */
function unmatchedNamespaceReason(model: ClusterModel, namespaces: LabelMatcher): { because: string; fix: string } | undefined {
  const all = [...model.namespaces.values()];
  const close: string[] = [];
  for (const key of namespaces.requiredKeys) {
    // A namespace name that matches nothing most likely names a namespace outside the manifests (team-b beside team-a), not a typo.
    if (key === NAMESPACE_NAME_LABEL) continue;
    const existing = new Set(all.filter((ns) => Object.hasOwn(ns.labels, key)).map((ns) => ns.labels[key]));
    for (const value of namespaces.valuesOf(key)) {
      if (existing.has(value)) continue;
      close.push(...[...existing].filter((e) => isClose(value, e)).sort().map((e) => `${key}=${e}`));
    }
  }
  if (close.length > 0) {
    return { because: `close to ${list(close)}`, fix: `Did you mean ${list(close, ' or ')}?` };
  }
  // Selected by name, and every named namespace is declared: their labels are known, and the rest of the selector contradicts them.
  const names = namespaces.valuesOf(NAMESPACE_NAME_LABEL);
  const declared = names.map((name) => model.namespaces.get(name)).filter((ns): ns is NamespaceInfo => ns?.declared === true);
  if (names.length === 0 || declared.length < names.length) return undefined;
  const others = namespaces.requiredKeys.filter((key) => key !== NAMESPACE_NAME_LABEL);
  const described = declared.map((ns) => {
    const labels = others.filter((key) => Object.hasOwn(ns.labels, key)).map((key) => `${key}=${ns.labels[key]}`);
    return `Namespace ${ns.name} carries ${labels.length ? labels.join(', ') : `none of ${others.map((k) => `"${k}"`).join(', ')}`}`;
  });
  return {
    because: described.join('; ') || 'the named namespaces do not satisfy its other requirements',
    fix: 'Make the selector agree with the labels of the Namespace objects (or label them).',
  };
}

/** A likely typo: one or two edits apart, few for the length (`wbe` and `web` are close, `db` and `dc` or `web` and `api` are not). */
function isClose(a: string, b: string): boolean {
  const distance = editDistance(a.toLowerCase(), b.toLowerCase());
  return distance <= 2 && distance * 3 <= Math.max(a.length, b.length);
}

/** Levenshtein distance where swapping two adjacent characters counts as one edit (optimal string alignment). */
function editDistance(a: string, b: string): number {
  const d: number[][] = Array.from({ length: a.length + 1 }, (_, i) =>
    Array.from({ length: b.length + 1 }, (__, j) => (i === 0 ? j : j === 0 ? i : 0)));
  for (let i = 1; i <= a.length; i++) {
    for (let j = 1; j <= b.length; j++) {
      const cost = a[i - 1] === b[j - 1] ? 0 : 1;
      d[i][j] = Math.min(d[i - 1][j] + 1, d[i][j - 1] + 1, d[i - 1][j - 1] + cost);
      if (i > 1 && j > 1 && a[i - 1] === b[j - 2] && a[i - 2] === b[j - 1]) {
        d[i][j] = Math.min(d[i][j], d[i - 2][j - 2] + 1);
      }
    }
  }
  return d[a.length][b.length];
}

function list(items: readonly string[], separator = ', '): string {
  const shown = items.slice(0, MAX_LISTED);
  return shown.join(separator) + (items.length > shown.length ? ` and ${items.length - shown.length} more` : '');
}

import { ClusterModel } from '../../analysis/cluster-model';
import { ClusterPolicy, ClusterRule } from '../../analysis/cluster-policy';
import { ConnectionSet } from '../../analysis/connection-set';
import { Endpoint } from '../../analysis/endpoint';
import { ResolvedEndpoint } from '../../analysis/endpoint-resolver';
import { rulePeersMatch } from '../../analysis/matching';
import { rulePortSet } from '../../analysis/port-sets';
import { cidrContains, cidrContainsIp, ParsedCidr } from '../../validation/cidr';
import { LintRule, RuleFinding } from '../lint-rule';
import { Severity } from '../severity';
import { clusterPolicySubject } from '../subject';

/** How many pods a message names. */
const MAX_LISTED = 3;

/** An address outside the cluster: what port sets are resolved against when no pod is named (named ports match none). */
const ANY_ADDRESS: ResolvedEndpoint = { kind: 'ip', family: 4, value: 0n, text: 'ip:0.0.0.0' };

/**
 * Flags each CIDR of a cluster policy's `networks` peer that also matches
 * pod traffic: `0.0.0.0/0` or `::/0`, a CIDR holding an address a pod of the
 * manifests has (`status.podIPs`), or one overlapping the pod network the
 * user gave (`podCidrs`, `--pod-cidr`). The API says so: "cluster-internal
 * traffic will be checked against the rule as well", and advises a rule that
 * Passes all pod traffic before it.
 *
 * Pod traffic that an earlier rule of the tier takes first (on every port
 * the rule names) cannot reach the CIDR, so it does not count: for a named
 * pod, the earlier rules whose peers match that pod; for every pod (`/0` or
 * a pod network), earlier rules with a peer of every pod of every namespace.
 * Nor do the pods another peer of the same rule matches (`namespaces: {}`
 * beside `0.0.0.0/0`): the rule decides them anyway.
 * Earlier rules are those before it in its policy and those of the tier's
 * earlier policies whose subject takes in its subject (every pod of every
 * namespace, or the same selectors). `networks` is an egress peer only.
 */
export const networkPeerMatchesPods: LintRule = {
  id: 'network-peer-matches-pods',
  severity: Severity.WARNING,
  summary: 'A networks peer of a cluster policy rule (ClusterNetworkPolicy, AdminNetworkPolicy, BaselineAdminNetworkPolicy) is 0.0.0.0/0 or ::/0, holds a pod\'s address, '
    + 'or overlaps the pod network given with --pod-cidr, and no earlier rule of the tier takes the pod traffic first: it matches pod-to-pod traffic too.',
  rationale: 'A `networks` peer reads like "addresses outside the cluster", but the API checks cluster-internal traffic against them as well: '
    + 'a rule that denies 10.0.0.0/8 or accepts 0.0.0.0/0 also denies or accepts traffic to every pod with an address in it, '
    + 'overriding what the namespaces\' own policies say about those pods.',
  fix: 'Put a rule that takes pod traffic first before it (the API suggests one that Passes all pod traffic: '
    + 'to: [{ namespaces: {} }] with action Pass, as DenyPrivateRanges does), or narrow the CIDR so it leaves the pod addresses out.',
  check: ({ model, podCidrs }) => {
    const findings: RuleFinding[] = [];
    model.clusterPolicies.forEach((policy, index) => {
      // networks is an egress peer: the API allows it in egress rules only.
      policy.egress.forEach((rule, r) => {
        const earlier = [...earlierPolicies(model, policy, index).flatMap((p) => p.egress), ...policy.egress.slice(0, r)];
        for (const peer of rule.peers) {
          if (peer.kind !== 'network') continue;
          peer.cidrs.forEach((cidr, k) => {
            const message = podTraffic(model, rule, earlier, cidr, podCidrs);
            if (message === undefined) return;
            findings.push({
              subject: clusterPolicySubject(policy),
              field: [...peer.path, k],
              message: `${policy.id} ${rule.path}${rule.name ? ` (${JSON.stringify(rule.name)})` : ''} has action ${actionOf(policy, rule)} `
                + `for ${peer.text}, and ${cidr.text} also matches pod traffic: ${message}. The API checks cluster-internal traffic `
                + `against networks peers too, so this rule ${rule.action === 'Pass' ? 'passes on' : 'decides'} those pods' connections.`,
            });
          });
        }
      });
    });
    return findings;
  },
};

/** The policies of the tier taken before `policy` whose subject takes in its subject. */
function earlierPolicies(model: ClusterModel, policy: ClusterPolicy, index: number): ClusterPolicy[] {
  return model.clusterPolicies.slice(0, index).filter((p) => p.tier === policy.tier && subjectTakesIn(p, policy));
}

function subjectTakesIn(wide: ClusterPolicy, narrow: ClusterPolicy): boolean {
  if (wide.subject.namespaces.matchesAll && wide.subject.pods.matchesAll) return true;
  return wide.subject.namespaces.text === narrow.subject.namespaces.text && wide.subject.pods.text === narrow.subject.pods.text;
}

/** Why the CIDR matches pod traffic that reaches the rule, or undefined when none does. */
function podTraffic(
  model: ClusterModel, rule: ClusterRule, earlier: readonly ClusterRule[], cidr: ParsedCidr, podCidrs: readonly ParsedCidr[],
): string | undefined {
  const reasons: string[] = [];
  // The rule's own pod peers: the pods they match are the rule's anyway, whatever the CIDR says.
  const own: ClusterRule = { ...rule, peers: rule.peers.filter((p) => p.kind !== 'network') };
  const everyPodTaken = takesEveryPod(own) || takenFirst(rule, earlier.filter(takesEveryPod), ANY_ADDRESS);
  if (!everyPodTaken) {
    if (cidr.prefix === 0) reasons.push(`it is every IPv${cidr.family} address, pod addresses included`);
    const networks = podCidrs.filter((p) => p.family === cidr.family && (cidrContains(p, cidr) || cidrContains(cidr, p)));
    if (networks.length > 0 && cidr.prefix > 0) reasons.push(`it overlaps the pod network ${networks.map((n) => n.text).join(', ')} (podCidrs)`);
  }
  // Every address: the pods need no listing, unless the earlier rules take all but some (host-network pods, which pod peers leave out).
  if (cidr.prefix === 0 && !everyPodTaken) return reasons.join('; ');
  const pods = model.endpoints.filter((e) => addressesIn(e, cidr).length > 0)
    .filter((e) => !rulePeersMatch(model, own, endpointOf(e)))
    .filter((e) => !takenFirst(rule, earlier.filter((r) => rulePeersMatch(model, r, endpointOf(e))), endpointOf(e)));
  if (pods.length > 0) reasons.push(`it holds the addresses of ${listPods(pods, cidr)}`);
  return reasons.length > 0 ? reasons.join('; ') : undefined;
}

/** True when the earlier rules (whose peers match the pods in question) take every connection the rule matches to `destination`. */
function takenFirst(rule: ClusterRule, earlier: readonly ClusterRule[], destination: ResolvedEndpoint): boolean {
  if (earlier.length === 0) return false;
  const taken = earlier.reduce((set, r) => set.union(rulePortSet(r, destination)), ConnectionSet.none());
  return rulePortSet(rule, destination).isSubsetOf(taken);
}

/** A rule with a peer of every pod of every namespace (`namespaces: {}`, or `pods` with both selectors empty). */
function takesEveryPod(rule: ClusterRule): boolean {
  return rule.peers.some((p) => p.kind === 'pods' && p.namespaces !== undefined && p.namespaces.matchesAll && p.pods.matchesAll);
}

function endpointOf(endpoint: Endpoint): ResolvedEndpoint {
  return { kind: 'endpoint', endpoint, text: endpoint.displayName };
}

function listPods(pods: readonly Endpoint[], cidr: ParsedCidr): string {
  const shown = pods.slice(0, MAX_LISTED).map((e) => {
    return `${e.displayName} (${addressesIn(e, cidr).join(', ')})`;
  });
  return `pod${pods.length === 1 ? '' : 's'} ${shown.join(', ')}${pods.length > shown.length ? ` and ${pods.length - shown.length} more` : ''}`;
}

/** The action as written (v1alpha1 says Allow where v1alpha2 says Accept). */
function actionOf(policy: ClusterPolicy, rule: ClusterRule): string {
  let node: any = policy.source.object;
  for (const key of rule.fieldPath) node = node?.[key];
  return typeof node?.action === 'string' ? node.action : rule.action;
}

/** The pod's addresses (`status.podIPs`) inside the CIDR, as written. */
function addressesIn(endpoint: Endpoint, cidr: ParsedCidr): string[] {
  return (endpoint.addresses ?? []).filter((a) => cidrContainsIp(cidr, a.family, a.value)).map((a) => a.text);
}

import { rulesOf, TierPeer, TierPolicy, TierRule } from '../../analysis/compiled-policy';
import { Direction } from '../../analysis/flow';
import { FieldPath, formatPath } from '../../analysis/manifest-object';
import { LintRule, RuleFinding } from '../lint-rule';
import { takesEveryPod } from '../peer-cover';
import { Severity } from '../severity';
import { policySubject } from '../subject';
import { isCilium } from '../tier-policies';

/**
 * Flags rules that allow everyone:
 * - no `from`/`to` (absent or empty): every source or destination, in the cluster or outside it;
 * - a peer `namespaceSelector: {}` with an empty or absent podSelector: every pod of the cluster;
 * - in an ingress rule, an ipBlock 0.0.0.0/0 or ::/0 without except: every address of the family.
 *
 * In a CiliumNetworkPolicy or CiliumClusterwideNetworkPolicy: the `all`
 * entity; the `cluster` entity (every pod and node); endpoint selectors that
 * take every pod of every namespace (`{}` in a cluster-wide policy, or only
 * `io.kubernetes.pod.namespace Exists`); in an ingress rule, the `world`
 * entity or a CIDR 0.0.0.0/0 or ::/0. A Cilium rule with toPorts and no peer
 * is cilium-ports-without-peers' finding.
 *
 * Egress to 0.0.0.0/0 (or the world entity) is the usual "the internet" rule: metadata-endpoint-reachable
 * checks what it must except. Rules of a direction the policy does not isolate
 * have no effect and are not flagged. `Peer.anyone()` renders such rules on
 * purpose (an ingress controller, a public API): acknowledge those.
 */
export const allowAllRule: LintRule = {
  id: 'allow-all-rule',
  severity: Severity.WARNING,
  summary: 'A rule allows everyone: no from/to, namespaceSelector: {} with an empty podSelector (every pod), an ingress ipBlock 0.0.0.0/0 or ::/0, '
    + 'or in a Cilium policy the all or cluster entity, an endpoint selector of every pod of every namespace, or ingress from the world entity.',
  rationale: 'A rule without from/to matches every source (or destination), inside the cluster and outside it; '
    + '`namespaceSelector: {}` matches every pod of every namespace, including ones created later; '
    + 'ingress from 0.0.0.0/0 accepts the whole internet wherever the pods are reachable. '
    + 'In Cilium policies the all entity is everyone, cluster every pod and node, and world the internet. '
    + 'Such a rule is sometimes the intent (an ingress controller, a public endpoint), often a shortcut that undoes the isolation around it.',
  fix: 'Name the peers that need access (Peer.workload(), Peer.podsIn(), Peer.ipBlock() with the clients\' ranges). '
    + 'If everyone must reach the pods, acknowledge the finding on the policy with the reason.',
  check: ({ model }) => {
    const findings: RuleFinding[] = [];
    for (const policy of model.tierPolicies) {
      for (const direction of [Direction.INGRESS, Direction.EGRESS]) {
        // Rules of a direction the policy does not enforce have no effect.
        if (!policy.applies.has(direction)) continue;
        const ingress = direction === Direction.INGRESS;
        for (const rule of rulesOf(policy, direction)) {
          const subject = policySubject(policy);
          const head = `${ingress ? 'ingress' : 'egress'} ${ingress ? 'to' : 'from'} ${selected(policy)}`;
          const ports = portsText(rule);
          if (rule.peers === undefined) {
            // A Cilium rule with toPorts and no peer: cilium-ports-without-peers says what it means there.
            if (isCilium(policy)) continue;
            const { field, what } = peersField(policy, rule, ingress ? 'from' : 'to');
            findings.push({
              subject,
              field,
              message: `${rule.path} has ${what}: it allows ${head} ${ingress ? 'from every source' : 'to every destination'}, `
                + `in the cluster or outside it, ${ports}.`,
            });
            continue;
          }
          for (const peer of rule.peers) {
            const everyone = everyoneOf(peer, ingress);
            if (everyone === undefined) continue;
            findings.push({
              subject,
              field: everyone.field,
              message: `${formatPath(peer.path)} (${everyone.what}) allows ${head} ${ingress ? 'from' : 'to'} ${everyone.whom}, ${ports}.`,
            });
          }
        }
      }
    }
    return findings;
  },
};

/** What a peer that takes everyone (of some kind) is, whom it takes, and the field to point at; undefined for other peers. */
function everyoneOf(peer: TierPeer, ingress: boolean): { what: string; whom: string; field: FieldPath } | undefined {
  switch (peer.kind) {
    case 'pods':
      if (peer.namespaces?.matchesAll && peer.pods.matchesAll) return { what: 'namespaceSelector: {}', whom: 'every pod in every namespace of the cluster', field: peer.path };
      return undefined;
    case 'ip': {
      if (!ingress || peer.cidr.prefix !== 0 || peer.except.length > 0) return undefined;
      // A v1 peer is `{ipBlock: ...}`; a Cilium CIDR peer is the entry itself.
      const v1 = peer.path.includes('from');
      return { what: peer.text, whom: `every IPv${peer.cidr.family} address, the whole internet`, field: v1 ? [...peer.path, 'ipBlock'] : peer.path };
    }
    case 'entity':
      if (peer.entity === 'all') return { what: 'the all entity', whom: 'everyone: every pod of every namespace, every node and every address outside the cluster', field: peer.path };
      if (peer.entity === 'cluster') return { what: 'the cluster entity', whom: 'every pod in every namespace of the cluster and every node', field: peer.path };
      if (peer.entity === 'world' && ingress) return { what: 'the world entity', whom: 'every address outside the cluster, the whole internet', field: peer.path };
      return undefined;
    case 'identity':
      if (peer.namespace !== undefined || !takesEveryPod(peer.selector)) return undefined;
      return { what: `endpoint selector ${peer.selector.matchesAll ? '{}' : peer.selector.text}`, whom: 'every pod in every namespace of the cluster', field: peer.path };
    default:
      return undefined;
  }
}

/** The pods a policy selects, for messages. */
function selected(policy: TierPolicy): string {
  const selector = policy.subject.selector;
  if (policy.namespace === undefined) return selector.matchesAll ? 'every pod of the cluster' : `pods ${selector.text}`;
  return selector.matchesAll ? `every pod of namespace ${policy.namespace}` : `pods ${selector.text}`;
}

/** `on every port` or `on TCP 443, UDP 53`. */
function portsText(rule: TierRule): string {
  return rule.ports === undefined ? 'on every port' : `on ${rule.ports.map((p) => p.text).join(', ')}`;
}

/** Points at an empty `from: []` when there is one, else at the rule (whose from/to is absent). */
function peersField(policy: TierPolicy, rule: TierRule, name: 'from' | 'to'): { field: FieldPath; what: string } {
  let raw: any = policy.source.object;
  for (const key of rule.fieldPath) raw = raw?.[key];
  return Array.isArray(raw?.[name]) ? { field: [...rule.fieldPath, name], what: `an empty ${name}` } : { field: rule.fieldPath, what: `no ${name}` };
}

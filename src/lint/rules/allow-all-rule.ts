import { CompiledPolicy, CompiledRule, rulesOf } from '../../analysis/compiled-policy';
import { Direction } from '../../analysis/flow';
import { FieldPath, formatPath } from '../../analysis/manifest-object';
import { LintRule, RuleFinding } from '../lint-rule';
import { Severity } from '../severity';
import { policySubject } from '../subject';

/**
 * Flags rules that allow everyone:
 * - no `from`/`to` (absent or empty): every source or destination, in the cluster or outside it;
 * - a peer `namespaceSelector: {}` with an empty or absent podSelector: every pod of the cluster;
 * - in an ingress rule, an ipBlock 0.0.0.0/0 or ::/0 without except: every address of the family.
 *
 * Egress to 0.0.0.0/0 is the usual "the internet" rule: metadata-endpoint-reachable
 * checks what it must except. Rules of a direction the policy does not isolate
 * have no effect and are not flagged. `Peer.anyone()` renders such rules on
 * purpose (an ingress controller, a public API): acknowledge those.
 */
export const allowAllRule: LintRule = {
  id: 'allow-all-rule',
  severity: Severity.WARNING,
  summary: 'A rule allows everyone: no from/to, namespaceSelector: {} with an empty podSelector (every pod), or an ingress ipBlock 0.0.0.0/0 or ::/0.',
  rationale: 'A rule without from/to matches every source (or destination), inside the cluster and outside it; '
    + '`namespaceSelector: {}` matches every pod of every namespace, including ones created later; '
    + 'ingress from 0.0.0.0/0 accepts the whole internet wherever the pods are reachable. '
    + 'Such a rule is sometimes the intent (an ingress controller, a public endpoint), often a shortcut that undoes the isolation around it.',
  fix: 'Name the peers that need access (Peer.workload(), Peer.podsIn(), Peer.ipBlock() with the clients\' ranges). '
    + 'If everyone must reach the pods, acknowledge the finding on the policy with the reason.',
  check: ({ model }) => {
    const findings: RuleFinding[] = [];
    for (const policy of model.policies) {
      for (const direction of [Direction.INGRESS, Direction.EGRESS]) {
        if (!policy.isolates.has(direction)) continue;
        const ingress = direction === Direction.INGRESS;
        for (const rule of rulesOf(policy, direction)) {
          const subject = policySubject(policy);
          const head = `${ingress ? 'ingress' : 'egress'} ${ingress ? 'to' : 'from'} ${selected(policy)}`;
          const ports = portsText(rule);
          if (rule.peers === undefined) {
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
            if (peer.kind === 'pods' && peer.namespaces?.matchesAll && peer.pods.matchesAll) {
              findings.push({
                subject,
                field: peer.path,
                message: `${formatPath(peer.path)} (namespaceSelector: {}) allows ${head} ${ingress ? 'from' : 'to'} every pod in every namespace of the cluster, ${ports}.`,
              });
            } else if (ingress && peer.kind === 'ip' && peer.cidr.prefix === 0 && peer.except.length === 0) {
              findings.push({
                subject,
                field: [...peer.path, 'ipBlock'],
                message: `${formatPath(peer.path)} (${peer.text}) allows ${head} from every IPv${peer.cidr.family} address, the whole internet, ${ports}.`,
              });
            }
          }
        }
      }
    }
    return findings;
  },
};

/** The pods a policy selects, for messages. */
function selected(policy: CompiledPolicy): string {
  return policy.podSelector.matchesAll ? `every pod of namespace ${policy.namespace}` : `pods ${policy.podSelector.text}`;
}

/** `on every port` or `on TCP 443, UDP 53`. */
function portsText(rule: CompiledRule): string {
  return rule.ports === undefined ? 'on every port' : `on ${rule.ports.map((p) => p.text).join(', ')}`;
}

/** Points at an empty `from: []` when there is one, else at the rule (whose from/to is absent). */
function peersField(policy: CompiledPolicy, rule: CompiledRule, name: 'from' | 'to'): { field: FieldPath; what: string } {
  let raw: any = policy.source.object;
  for (const key of rule.fieldPath) raw = raw?.[key];
  return Array.isArray(raw?.[name]) ? { field: [...rule.fieldPath, name], what: `an empty ${name}` } : { field: rule.fieldPath, what: `no ${name}` };
}

import { CompiledPort, rulesOf, TierPeer, TierPolicy, TierRule } from '../../analysis/compiled-policy';
import { Direction } from '../../analysis/flow';
import { formatPath } from '../../analysis/manifest-object';
import { LintRule, RuleFinding } from '../lint-rule';
import { peerCovers, portCovers, sharePods } from '../peer-cover';
import { Severity } from '../severity';
import { policyName, policySubject } from '../subject';
import { ciliumRules, rawAt, way } from '../tier-policies';

/** How many pods a message names. */
const MAX_LISTED = 3;

/**
 * Flags HTTP rules (`toPorts[].rules.http`) of Cilium policies that another
 * allow makes moot: a rule of any policy selecting the same pods (the same
 * policy included; a NetworkPolicy counts too) that allows the same peer, or a
 * wider one (no peer, the `all` entity, `world` for addresses and DNS names,
 * `cluster` for pods, a selector of every pod, or one matching every pod of the
 * manifests the L7 peer matches), on the same port, or a range or every port
 * around it, without L7 rules. Cilium then lets every request from those peers
 * through: an L7 limit holds only for peers that nothing but L7-bearing rules allow.
 *
 * DNS rules (`rules.dns`) are not flagged: their job is mostly to make Cilium's
 * DNS proxy see the lookups for DNS-name peers, which it still does, and an L4
 * DNS allow beside them (AllowDns) is the usual setup.
 */
export const httpRuleMoot: LintRule = {
  id: 'http-rule-moot',
  severity: Severity.WARNING,
  summary: 'An HTTP rule of a Cilium policy restricts nothing: another rule for the same pods allows the same peer (or more) on the same port without L7 rules.',
  rationale: 'Cilium merges the rules of every policy that selects a pod: when a peer is allowed on a port without L7 rules by any of them '
    + '(a NetworkPolicy, a rule with no peer, the all or world entity, a wider selector), every HTTP request from (or to) that peer on that port passes, '
    + 'and the method and path limits written for it do nothing. The Cilium documentation says so ("the layer 7 portions of the latter rule will have no effect").',
  fix: 'Give the wider rule the same HTTP rules on that port, narrow its peers or its ports so it leaves the L7-limited peer and port out, '
    + 'or drop the HTTP rules if every request is meant to pass.',
  check: ({ model }) => {
    const findings: RuleFinding[] = [];
    for (const { policy, direction, rule } of ciliumRules(model)) {
      // One finding per toPorts entry with HTTP rules and wider rule.
      const reported = new Set<string>();
      for (const port of (rule.ports ?? []).filter((p) => isHttp(policy, p))) {
        const entryPath = port.path.slice(0, -2);
        for (const other of model.tierPolicies) {
          if (!other.applies.has(direction)) continue;
          const pods = sharePods(model, policy, other);
          if (pods === undefined) continue;
          for (const wider of rulesOf(other, direction)) {
            const widePort = widerPort(wider, port);
            if (widePort === null) continue;
            const peers = (rule.peers ?? [undefined]).filter((p) => (wider.peers ?? [undefined]).some((w) => peerCovers(model, w, p)));
            if (peers.length === 0) continue;
            const key = `${formatPath(entryPath)} ${other.id} ${wider.path}`;
            if (reported.has(key)) continue;
            reported.add(key);
            findings.push({
              subject: policySubject(policy),
              field: [...entryPath, 'rules', 'http'],
              message: message(policy, port, direction, peers, other, wider, widePort, pods),
              fix: `Add the same HTTP rules to ${other === policy ? '' : `${policyName(other)} `}${wider.path} on ${port.text}, `
                + `or narrow ${wider.path} so it does not allow ${peerList(peers)} on ${port.text}.`,
            });
          }
        }
      }
    }
    return findings;
  },
};

/** Whether the port entry carries HTTP rules (not DNS rules). */
function isHttp(policy: TierPolicy, port: CompiledPort): boolean {
  if (port.l7 === undefined) return false;
  const entry = rawAt(policy, port.path.slice(0, -2));
  return Array.isArray(entry?.rules?.http);
}

/**
 * The port entry of `wider` without L7 rules that takes in all of `port`
 * (undefined: the rule has no ports, so every port); null when there is none.
 * The L7 entry itself does not count.
 */
function widerPort(wider: TierRule, port: CompiledPort): CompiledPort | undefined | null {
  if (wider.ports === undefined) return wider.peers?.length === 0 ? null : undefined;
  const found = wider.ports.find((p) => p.l7 === undefined && p !== port && portCovers(p, port));
  return found ?? null;
}

function message(
  policy: TierPolicy, port: CompiledPort, direction: Direction, peers: ReadonlyArray<TierPeer | undefined>,
  other: TierPolicy, wider: TierRule, widePort: CompiledPort | undefined, pods: ReturnType<typeof sharePods>,
): string {
  const entry = formatPath(port.path.slice(0, -2));
  const fromTo = direction === Direction.INGRESS ? 'from' : 'to';
  const where = other === policy ? wider.path : `${policyName(other)} ${wider.path}`;
  const on = widePort === undefined ? 'on every port' : `on ${widePort.text}`;
  const podText = Array.isArray(pods) ? ` (${list(pods.map((e) => e.displayName))})` : '';
  return `${entry} limits the HTTP requests on ${port.text} ${fromTo} ${peerList(peers)}, but ${where} allows ${way(direction)} `
    + `${fromTo} ${wider.peers === undefined ? 'every peer' : peerList(wider.peers)} ${on} without L7 rules for the same pods${podText}: `
    + 'Cilium then lets every request through, so these HTTP rules restrict nothing for those peers.';
}

function peerList(peers: ReadonlyArray<TierPeer | undefined>): string {
  return list(peers.map((p) => (p === undefined ? 'every peer' : p.text)));
}

function list(items: readonly string[]): string {
  const unique = [...new Set(items)];
  const shown = unique.slice(0, MAX_LISTED);
  return shown.join(', ') + (unique.length > shown.length ? ` and ${unique.length - shown.length} more` : '');
}

import { ClusterModel } from '../../analysis/cluster-model';
import { denyRulesOf, rulesOf, TierPolicy } from '../../analysis/compiled-policy';
import { Direction } from '../../analysis/flow';
import { cidrContains, cidrSize, parseCidr, ParsedCidr } from '../../validation/cidr';
import { LintRule, RuleFinding } from '../lint-rule';
import { Severity } from '../severity';
import { policySubject } from '../subject';
import { isCilium, selectedEndpoints } from '../tier-policies';

/** Link-local ranges: cloud metadata endpoints (169.254.169.254, fd00:ec2::254 on AWS) and ECS/EKS task metadata live there. */
const SENSITIVE: ReadonlyArray<{ cidr: ParsedCidr; what: string }> = [
  { cidr: parseCidr('169.254.0.0/16').cidr!, what: 'link-local 169.254.0.0/16 (cloud metadata endpoints such as 169.254.169.254)' },
  { cidr: parseCidr('fe80::/10').cidr!, what: 'IPv6 link-local fe80::/10' },
  { cidr: parseCidr('fd00:ec2::254/128').cidr!, what: 'the AWS IPv6 metadata endpoint fd00:ec2::254' },
];

/**
 * Flags egress ipBlocks wide enough to contain a link-local range whose
 * `except` list does not remove all of it: pods could then read the node's
 * cloud credentials from the metadata endpoint. A block inside the range
 * (e.g. `169.254.169.254/32` on purpose) is a deliberate allow and not flagged.
 *
 * In Cilium policies the same holds for `toCIDR`/`toCIDRSet`, and for the
 * `world` and `all` entities (every address outside the cluster, link-local
 * included), unless an egressDeny rule without ports of the same object, or of
 * a policy applying to every pod of the manifests it selects, denies the range.
 */
export const metadataEndpointReachable: LintRule = {
  id: 'metadata-endpoint-reachable',
  severity: Severity.ERROR,
  summary: 'An egress ipBlock (e.g. 0.0.0.0/0 or ::/0), Cilium CIDR or the world or all entity lets pods reach link-local addresses, where cloud metadata endpoints serve node credentials.',
  rationale: 'A pod that can reach 169.254.169.254 can often read the node\'s cloud credentials (the Capital One breach went this way). '
    + 'Allowing "the internet" with 0.0.0.0/0 includes it unless the block excepts 169.254.0.0/16.',
  fix: 'Add 169.254.0.0/16 (and fe80::/10, fd00:ec2::254/128 for IPv6) to the ipBlock\'s except list, or use ExternalHttps, which excepts them. '
    + 'In a Cilium policy, use toCIDRSet with that except instead of the world entity, or deny the ranges with an egressDeny rule.',
  check: ({ model }) => {
    const findings: RuleFinding[] = [];
    for (const policy of model.tierPolicies) {
      // Egress rules of a policy that does not enforce egress have no effect.
      if (!policy.applies.has(Direction.EGRESS)) continue;
      for (const rule of rulesOf(policy, Direction.EGRESS)) {
        for (const peer of rule.peers ?? []) {
          if (peer.kind === 'entity' && (peer.entity === 'world' || peer.entity === 'all')) {
            const open = SENSITIVE.filter((sensitive) => !denied(model, policy, sensitive.cidr));
            if (open.length === 0) continue;
            findings.push({
              subject: policySubject(policy),
              field: peer.path,
              message: `${rule.path} allows egress to the ${peer.entity} entity, which includes ${open.map((o) => o.what).join(', ')}.`,
              fix: `Replace the ${peer.entity} entity with toCIDRSet 0.0.0.0/0 and ::/0 excepting ${open.map((o) => o.cidr.text).join(', ')}, `
                + 'or deny them in an egressDeny rule.',
            });
            continue;
          }
          if (peer.kind !== 'ip') continue;
          for (const sensitive of SENSITIVE) {
            if (!cidrContains(peer.cidr, sensitive.cidr) || peer.cidr.prefix === sensitive.cidr.prefix) continue;
            if (covered(sensitive.cidr, peer.except) || denied(model, policy, sensitive.cidr)) continue;
            findings.push({
              subject: policySubject(policy),
              // A v1 peer is {ipBlock: ...}; a Cilium CIDR peer is the entry itself.
              field: isCilium(policy) ? peer.path : [...peer.path, 'ipBlock'],
              message: `${rule.path} allows egress to ${peer.text}, which includes ${sensitive.what}.`,
              fix: `Add "${sensitive.cidr.text}" to the except list of ${peer.cidr.text}.`,
            });
          }
        }
      }
    }
    return findings;
  },
};

/**
 * Whether a Cilium egressDeny rule without ports denies all of `range` to the
 * policy's pods: one of the same object, or of a policy that applies to every
 * pod of the manifests the policy selects.
 */
function denied(model: ClusterModel, policy: TierPolicy, range: ParsedCidr): boolean {
  const selected = selectedEndpoints(model, policy);
  return model.tierPolicies.some((other) => {
    const deniesRange = denyRulesOf(other, Direction.EGRESS).some((rule) => rule.ports === undefined
      && (rule.peers ?? []).some((p) => p.kind === 'ip' && cidrContains(p.cidr, range) && p.except.length === 0));
    if (!deniesRange) return false;
    if (other.source === policy.source) return true;
    return selected.length > 0 && selected.every((e) => model.sideOf(e, Direction.EGRESS).policies.includes(other));
  });
}

/** True when the excepts remove all of `range` (CIDRs are nested or disjoint, so sizes add up). */
function covered(range: ParsedCidr, excepts: readonly ParsedCidr[]): boolean {
  if (excepts.some((e) => cidrContains(e, range))) return true;
  const inside = excepts.filter((e) => cidrContains(range, e));
  const outermost = inside.filter((e) => !inside.some((o) => o !== e && cidrContains(o, e) && o.prefix < e.prefix));
  const unique = new Map(outermost.map((e) => [e.text, e]));
  return [...unique.values()].reduce((total, e) => total + cidrSize(e), 0n) >= cidrSize(range);
}

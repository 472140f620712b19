import { rulesOf } from '../../analysis/compiled-policy';
import { Direction } from '../../analysis/flow';
import { cidrContains, cidrSize, parseCidr, ParsedCidr } from '../../validation/cidr';
import { LintRule, RuleFinding } from '../lint-rule';
import { Severity } from '../severity';
import { policySubject } from '../subject';

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
 */
export const metadataEndpointReachable: LintRule = {
  id: 'metadata-endpoint-reachable',
  severity: Severity.ERROR,
  summary: 'An egress ipBlock (e.g. 0.0.0.0/0 or ::/0) lets pods reach link-local addresses, where cloud metadata endpoints serve node credentials.',
  rationale: 'A pod that can reach 169.254.169.254 can often read the node\'s cloud credentials (the Capital One breach went this way). '
    + 'Allowing "the internet" with 0.0.0.0/0 includes it unless the block excepts 169.254.0.0/16.',
  fix: 'Add 169.254.0.0/16 (and fe80::/10, fd00:ec2::254/128 for IPv6) to the ipBlock\'s except list, or use ExternalHttps, which excepts them.',
  check: ({ model }) => {
    const findings: RuleFinding[] = [];
    for (const policy of model.policies) {
      // Egress rules of a policy that does not isolate egress have no effect.
      if (!policy.isolates.has(Direction.EGRESS)) continue;
      for (const rule of rulesOf(policy, Direction.EGRESS)) {
        for (const peer of rule.peers ?? []) {
          if (peer.kind !== 'ip') continue;
          for (const sensitive of SENSITIVE) {
            if (!cidrContains(peer.cidr, sensitive.cidr) || peer.cidr.prefix === sensitive.cidr.prefix) continue;
            if (covered(sensitive.cidr, peer.except)) continue;
            findings.push({
              subject: policySubject(policy),
              field: [...peer.path, 'ipBlock'],
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

/** True when the excepts remove all of `range` (CIDRs are nested or disjoint, so sizes add up). */
function covered(range: ParsedCidr, excepts: readonly ParsedCidr[]): boolean {
  if (excepts.some((e) => cidrContains(e, range))) return true;
  const inside = excepts.filter((e) => cidrContains(range, e));
  const outermost = inside.filter((e) => !inside.some((o) => o !== e && cidrContains(o, e) && o.prefix < e.prefix));
  const unique = new Map(outermost.map((e) => [e.text, e]));
  return [...unique.values()].reduce((total, e) => total + cidrSize(e), 0n) >= cidrSize(range);
}

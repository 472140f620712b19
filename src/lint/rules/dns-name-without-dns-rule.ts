import { ClusterModel } from '../../analysis/cluster-model';
import { CompiledPort, rulesOf, TierPolicy } from '../../analysis/compiled-policy';
import { Direction } from '../../analysis/flow';
import { canonicalFqdn, describeFqdn, fqdnCovers, FqdnSelector } from '../../analysis/fqdn-pattern';
import { formatPath } from '../../analysis/manifest-object';
import { rulePeersMatch } from '../../analysis/matching';
import { Protocol } from '../../protocol';
import { clusterDnsEndpoints } from '../../review/cluster-dns';
import { LintRule, RuleFinding } from '../lint-rule';
import { isFqdnPeer, sharePods } from '../peer-cover';
import { Severity } from '../severity';
import { policyName, policySubject } from '../subject';
import { isCilium, rawAt, selectedEndpoints } from '../tier-policies';

const DNS_PORT = 53;

/** A `rules.dns` entry that applies to the pods of a DNS-name peer, and where it is. */
interface DnsRule {
  readonly selector: FqdnSelector;
  readonly where: string;
}

/**
 * Flags DNS-name peers (`toFQDNs`) of Cilium policies whose pods have no DNS
 * visibility for the name: Cilium allows the addresses of a name only once its
 * DNS proxy has seen them in an answer to the pod, and its proxy sees only the
 * lookups that an egress rule to cluster DNS on port 53 with L7 `rules.dns`
 * sends through it, answering only the names those rules match. So a name needs
 * such a rule, from a policy that applies to the same pods (the same policy,
 * one selecting every pod of the namespace or the cluster, or, when the
 * manifests hold the pods, one selecting every one of them), whose `matchName`
 * or `matchPattern` covers it; a `toFQDNs` pattern needs a DNS pattern that
 * covers every name it matches.
 *
 * Patterns follow Cilium's code (pkg/fqdn/matchpattern): `*` matches
 * characters of one label only (`*.x.com` does not match `a.b.x.com`, nor
 * `x.com`), a leading `**.` one or more labels, a pattern of stars only every
 * name. Names are compared without case and with a trailing dot.
 */
export const dnsNameWithoutDnsRule: LintRule = {
  id: 'dns-name-without-dns-rule',
  severity: Severity.ERROR,
  summary: 'A DNS-name peer (toFQDNs) of a Cilium policy has no DNS rule for its pods: no egress rule to cluster DNS on port 53 with rules.dns '
    + 'whose matchName or matchPattern covers the name or pattern.',
  rationale: 'Cilium learns the addresses of a name from the DNS answers its proxy sees, and its proxy sees only the lookups of an egress rule '
    + 'to the DNS server on port 53 with L7 DNS rules, answering only the names those rules match. '
    + 'Without such a rule covering the name, the toFQDNs peer never matches any address: the connections it was written for are dropped, '
    + 'and the lookup itself may be refused. '
    + 'In patterns, * stays within one label: *.example.com covers a.example.com but not a.b.example.com nor example.com; **.example.com covers any depth.',
  fix: 'Add an egress rule to kube-system pods k8s-app=kube-dns on UDP and TCP 53 with rules.dns listing the names (or a pattern covering them), '
    + 'in the same policy or one selecting the same pods; the constructs (Peer.dnsName(), Peer.dnsPattern(), ExternalHttps hosts) emit it.',
  check: ({ model }) => {
    const findings: RuleFinding[] = [];
    const dnsRules = new Map<TierPolicy, DnsRule[]>();
    for (const policy of model.tierPolicies) {
      if (!isCilium(policy) || !policy.applies.has(Direction.EGRESS)) continue;
      for (const rule of rulesOf(policy, Direction.EGRESS)) {
        for (const peer of (rule.peers ?? []).filter(isFqdnPeer)) {
          const entry = rawAt(policy, peer.path) ?? {};
          const wanted: FqdnSelector = entry.matchName !== undefined ? { matchName: entry.matchName } : { matchPattern: entry.matchPattern };
          const available = dnsRulesFor(model, policy, dnsRules);
          if (available.some((d) => fqdnCovers(d.selector, wanted))) continue;
          const field = [...peer.path, wanted.matchName !== undefined ? 'matchName' : 'matchPattern'];
          const what = `${formatPath(peer.path)} (${wanted.matchName !== undefined ? 'name' : 'pattern'} ${describeFqdn(wanted)})`;
          const pods = podsText(policy);
          const message = available.length === 0
            ? `${what}: no egress rule to cluster DNS on port ${DNS_PORT} with rules.dns applies to ${pods}, so Cilium never learns the addresses `
              + `of ${describeFqdn(wanted)} and ${rule.path} allows nothing there.`
            : `${what}: the DNS rules that apply to ${pods} (${available.map((d) => `${describeFqdn(d.selector)} in ${d.where}`).join('; ')}) `
              + `do not cover ${wanted.matchName !== undefined ? 'it' : 'every name it matches'}, so Cilium refuses `
              + `${wanted.matchName !== undefined ? `its lookups and ${rule.path} allows nothing there` : `those lookups and ${rule.path} allows nothing for those names`}.`;
          findings.push({ subject: policySubject(policy), field, message, fix: fixFor(wanted, available) });
        }
      }
    }
    return findings;
  },
};

/** `pods app=api in namespace shop`, `every pod of namespace shop`. */
function podsText(policy: TierPolicy): string {
  const selector = policy.subject.selector;
  const where = policy.namespace === undefined ? 'in every namespace' : `in namespace ${policy.namespace}`;
  return selector.matchesAll ? `every pod ${where}` : `pods ${selector.text} ${where}`;
}

function fixFor(wanted: FqdnSelector, available: readonly DnsRule[]): string {
  const entry = wanted.matchName !== undefined ? `matchName: ${wanted.matchName}` : `matchPattern: ${wanted.matchPattern}`;
  const star = available.some((d) => d.selector.matchPattern?.includes('*')) || wanted.matchName === undefined
    ? ' Remember that * stays within one label: use a leading **. for names of any depth.'
    : '';
  return `Add { ${entry} } to rules.dns of the egress rule to kube-system pods k8s-app=kube-dns on port 53 that applies to these pods `
    + `(or add such a rule: toPorts [{ ports: [{ port: "53", protocol: ANY }], rules: { dns: [{ ${entry} }] } }]).${star}`;
}

/** The `rules.dns` entries of egress rules to cluster DNS on port 53 in the policies that apply to the policy's pods (cached per policy). */
function dnsRulesFor(model: ClusterModel, policy: TierPolicy, cache: Map<TierPolicy, DnsRule[]>): DnsRule[] {
  const cached = cache.get(policy);
  if (cached) return cached;
  const dns = clusterDnsEndpoints(model).map((endpoint) => ({ kind: 'endpoint' as const, endpoint, text: endpoint.displayName }));
  const found: DnsRule[] = [];
  for (const other of model.tierPolicies) {
    if (!isCilium(other) || !other.applies.has(Direction.EGRESS)) continue;
    const shared = sharePods(model, policy, other);
    // Every pod of the manifests the DNS-name peer's policy selects must get the rule (or, without pods there, the selectors say so).
    if (shared === undefined) continue;
    if (shared !== true && shared.length < selectedEndpoints(model, policy).length) continue;
    for (const rule of rulesOf(other, Direction.EGRESS)) {
      if (!dns.some((to) => rulePeersMatch(model, rule, to))) continue;
      for (const port of (rule.ports ?? []).filter(onDnsPort)) {
        const entry = rawAt(other, port.path.slice(0, -2)) ?? {};
        const list = entry.rules?.dns;
        if (!Array.isArray(list)) continue;
        list.forEach((d: any, i: number) => {
          const selector: FqdnSelector | undefined = typeof d?.matchName === 'string' ? { matchName: d.matchName }
            : typeof d?.matchPattern === 'string' ? { matchPattern: d.matchPattern } : undefined;
          if (selector) found.push({ selector, where: `${policyName(other)} ${formatPath([...port.path.slice(0, -2), 'rules', 'dns', i])}` });
        });
      }
    }
  }
  const unique = [...new Map(found.map((d) => [`${canonicalFqdn(describeFqdn(d.selector))} ${d.where}`, d])).values()];
  cache.set(policy, unique);
  return unique;
}

/** A port entry on 53 (UDP or TCP) that carries L7 rules. */
function onDnsPort(port: CompiledPort): boolean {
  if (port.l7 === undefined || (port.protocol !== Protocol.UDP && port.protocol !== Protocol.TCP)) return false;
  return port.port !== undefined && port.port <= DNS_PORT && (port.endPort ?? port.port) >= DNS_PORT;
}

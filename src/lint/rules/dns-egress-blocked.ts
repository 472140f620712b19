import { Endpoint } from '../../analysis/endpoint';
import { ResolvedEndpoint } from '../../analysis/endpoint-resolver';
import { Direction } from '../../analysis/flow';
import { Protocol } from '../../protocol';
import { clusterDnsEndpoints } from '../../review/cluster-dns';
import { LintRule, RuleFinding } from '../lint-rule';
import { Severity } from '../severity';
import { endpointSubject } from '../subject';

const DNS_PORT = 53;

/** What breaks when one protocol is blocked: UDP carries every lookup, TCP the answers too large for UDP. */
const CONSEQUENCE: Readonly<Record<Protocol.UDP | Protocol.TCP, string>> = {
  [Protocol.UDP]: 'so its name lookups fail',
  [Protocol.TCP]: 'so lookups whose answers do not fit in a UDP packet (large records, DNSSEC) fail intermittently',
};

/**
 * Flags pods isolated for egress that cannot reach cluster DNS on UDP 53 or
 * on TCP 53, each protocol on its own: resolvers retry over TCP when a UDP
 * answer is truncated, so a policy allowing UDP only breaks some names.
 *
 * "Reach" means the flow is allowed to at least one DNS pod. When kube-dns
 * is in the manifests (kube-system pods `k8s-app: kube-dns`), both sides
 * count, so a policy isolating kube-system for ingress can cause a finding;
 * otherwise only the pod's egress is checked, against a stand-in for the DNS
 * pods. Pods not isolated for egress are not flagged: nothing of theirs
 * blocks DNS. A pod whose only DNS allow is a NodeLocal DNSCache address is
 * flagged too: whether its lookups go to the cache or to the DNS pods depends
 * on how the nodes are set up, which the manifests do not show.
 */
export const dnsEgressBlocked: LintRule = {
  id: 'dns-egress-blocked',
  severity: Severity.ERROR,
  summary: 'A pod isolated for egress cannot reach cluster DNS (kube-system pods k8s-app=kube-dns) on UDP 53 or on TCP 53.',
  rationale: 'Almost every pod resolves names through cluster DNS: once egress is denied by default, a pod without a DNS allow '
    + 'cannot connect to anything by name, and the errors look like network or service failures. '
    + 'TCP 53 matters as well: answers larger than a UDP packet (many records, DNSSEC) are retried over TCP, '
    + 'so allowing UDP only breaks some names some of the time.',
  fix: 'Allow egress to kube-system pods k8s-app=kube-dns on UDP 53 and TCP 53 (AllowDns does both); '
    + 'if kube-system is isolated for ingress, allow DNS in from every namespace there.',
  check: ({ model, evaluator }) => {
    const dns = clusterDnsEndpoints(model);
    const synthetic = dns.every((d) => d.index < 0);
    const dnsText = synthetic
      ? 'cluster DNS (kube-system pods k8s-app=kube-dns, not in the manifests)'
      : `cluster DNS (${dns.map((d) => d.displayName).join(', ')})`;
    const targets = dns.map(resolved);
    const findings: RuleFinding[] = [];
    for (const endpoint of model.endpoints) {
      if (dns.includes(endpoint) || model.policiesFor(endpoint, Direction.EGRESS).length === 0) continue;
      const from = resolved(endpoint);
      const reaches = (protocol: Protocol) => targets.some((to) => evaluator.isAllowed({ from, to, port: DNS_PORT, protocol }));
      const works = { [Protocol.UDP]: reaches(Protocol.UDP), [Protocol.TCP]: reaches(Protocol.TCP) };
      for (const protocol of [Protocol.UDP, Protocol.TCP] as const) {
        if (works[protocol]) continue;
        const other = protocol === Protocol.UDP ? Protocol.TCP : Protocol.UDP;
        // Explain the first DNS pod: every one denies, and they normally share their policies.
        const explanation = evaluator.explain({ from, to: targets[0], port: DNS_PORT, protocol });
        const why = [explanation.egress.reason, ...(explanation.ingress.allowed ? [] : [explanation.ingress.reason])].join(' ');
        const subject = endpointSubject(endpoint);
        findings.push({
          subject,
          message: `${subject.object} cannot reach ${dnsText} on ${protocol} ${DNS_PORT}, ${CONSEQUENCE[protocol]}; `
            + `${other} ${DNS_PORT} ${works[other] ? 'works' : 'is blocked too'}. ${why}`,
          fix: explanation.egress.allowed
            ? `Allow ingress to ${targets[0].text} from ${from.text} on ${protocol} ${DNS_PORT}: cluster DNS must accept lookups from every pod.`
            : `Allow egress from ${from.text} to kube-system pods k8s-app=kube-dns on ${protocol} ${DNS_PORT} `
              + '(AllowDns allows UDP and TCP 53 for a whole namespace).',
        });
      }
    }
    return findings;
  },
};

function resolved(endpoint: Endpoint): ResolvedEndpoint {
  return { kind: 'endpoint', endpoint, text: endpoint.displayName };
}

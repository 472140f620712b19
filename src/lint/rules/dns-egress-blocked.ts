import { ClusterModel } from '../../analysis/cluster-model';
import { Endpoint } from '../../analysis/endpoint';
import { ResolvedEndpoint } from '../../analysis/endpoint-resolver';
import { Evaluator } from '../../analysis/evaluator';
import { FlowExplanation } from '../../analysis/explanation';
import { Direction } from '../../analysis/flow';
import { CLUSTER_DNS_LABELS, CLUSTER_DNS_NAMESPACE } from '../../kube/cluster-dns';
import { Protocol } from '../../protocol';
import { clusterDnsEndpoints } from '../../review/cluster-dns';
import { LintRule, RuleFinding } from '../lint-rule';
import { selectedPodsWithoutPods } from '../selected-pods';
import { Severity } from '../severity';
import { endpointSubject, policyName, policySubject } from '../subject';
import { subjectField } from '../tier-policies';

const DNS_PORT = 53;
const PROTOCOLS = [Protocol.UDP, Protocol.TCP] as const;

/** What breaks when UDP is blocked (every lookup), or TCP only (the answers too large for UDP). */
const ALL_LOOKUPS_FAIL = 'name lookups fail';
const LARGE_ANSWERS_FAIL = 'lookups whose answers do not fit in a UDP packet (large records, DNSSEC) fail intermittently';

/**
 * Flags pods isolated for egress (by a NetworkPolicy, or by a
 * CiliumNetworkPolicy or CiliumClusterwideNetworkPolicy with egress or
 * egressDeny rules) that cannot reach cluster DNS on UDP 53 or on TCP 53, in one finding per pod that names both protocols: resolvers retry
 * over TCP when a UDP answer is truncated, so a policy allowing UDP only breaks
 * some names.
 *
 * The pods judged are those of the manifests, and, for each pod selector of a
 * policy isolating egress that no pod of the manifests matches, the pods it
 * selects (one finding per selector, on the policy): most apps synthesize their
 * policies without the workloads, and a default-deny that forgets DNS breaks
 * every pod it will select all the same.
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
  summary: 'Pods isolated for egress (by a NetworkPolicy or a Cilium policy) cannot reach cluster DNS (kube-system pods k8s-app=kube-dns) on UDP 53 or on TCP 53 '
    + '(the pods of the manifests, and the pods a policy selects when the manifests hold none of them).',
  rationale: 'Almost every pod resolves names through cluster DNS: once egress is denied by default, a pod without a DNS allow '
    + 'cannot connect to anything by name, and the errors look like network or service failures. '
    + 'TCP 53 matters as well: answers larger than a UDP packet (many records, DNSSEC) are retried over TCP, '
    + 'so allowing UDP only breaks some names some of the time. '
    + 'A CiliumNetworkPolicy isolates its pods for egress as soon as it has egress rules, egressDeny rules or toFQDNs peers, '
    + 'unless enableDefaultDeny.egress is false. '
    + 'The workloads are often deployed from elsewhere (Helm, another repository): a policy is judged for the pods it selects '
    + 'even when the manifests hold none of them.',
  fix: 'Allow egress to kube-system pods k8s-app=kube-dns on UDP 53 and TCP 53 (AllowDns does both); '
    + 'if kube-system is isolated for ingress, allow DNS in from every namespace there.',
  check: ({ model, evaluator }) => {
    const findings: RuleFinding[] = [];
    const dns = new DnsReach(model, evaluator);
    for (const endpoint of model.endpoints) {
      // Isolated by a policy of any kind: a NetworkPolicy, or a Cilium policy with egress (or egressDeny) rules.
      if (dns.isDns(endpoint) || !model.sideOf(endpoint, Direction.EGRESS).isolated) continue;
      const blocked = dns.blocked({ kind: 'endpoint', endpoint, text: endpoint.displayName });
      if (blocked === undefined) continue;
      const subject = endpointSubject(endpoint);
      findings.push({ subject, message: `${subject.object} ${blocked.message}`, fix: blocked.fix });
    }

    // The pods that policies select and the manifests do not hold: judged in a model that also has them.
    const isDnsSelector = (namespace: string, labels: Readonly<Record<string, string>>) => namespace === CLUSTER_DNS_NAMESPACE
      && Object.entries(CLUSTER_DNS_LABELS).every(([key, value]) => labels[key] === value);
    const withPods = selectedPodsWithoutPods(model, Direction.EGRESS, isDnsSelector);
    if (withPods === undefined) return findings;
    const dnsThere = new DnsReach(withPods.model, new Evaluator(withPods.model));
    for (const pods of withPods.selected) {
      const blocked = dnsThere.blocked({ kind: 'endpoint', endpoint: pods.endpoint, text: pods.text });
      if (blocked === undefined) continue;
      const [first, ...others] = pods.policies;
      // NetworkPolicies are named as before; with a Cilium policy among them, each by its kind.
      const v1Only = pods.policies.every((p) => p.kind === 'NetworkPolicy');
      const names = pods.policies.map((p) => (v1Only ? p.id : policyName(p))).join(', ');
      findings.push({
        subject: policySubject(first),
        field: subjectField(first),
        message: `${v1Only ? (others.length ? 'NetworkPolicies ' : 'NetworkPolicy ') : ''}${names} ${others.length ? 'isolate' : 'isolates'} ${pods.text} for egress `
          + `(no such pod is in the manifests: judged for the pods ${others.length ? 'they select' : 'it selects'}), and they `
          + `${blocked.message.replace(/\bits name lookups\b/, 'their name lookups')}`,
        fix: blocked.fix,
      });
    }
    return findings;
  },
};

/** Why a pod cannot use cluster DNS, as the end of a sentence whose subject is the pod. */
interface Blocked {
  readonly message: string;
  readonly fix: string;
}

/** Whether pods reach cluster DNS, in one model. */
class DnsReach {
  private readonly dns: Endpoint[];
  private readonly targets: ResolvedEndpoint[];
  private readonly dnsText: string;

  constructor(model: ClusterModel, private readonly evaluator: Evaluator) {
    this.dns = clusterDnsEndpoints(model);
    this.targets = this.dns.map((endpoint) => ({ kind: 'endpoint', endpoint, text: endpoint.displayName }));
    this.dnsText = this.dns.every((d) => d.index < 0)
      ? 'cluster DNS (kube-system pods k8s-app=kube-dns, not in the manifests)'
      : `cluster DNS (${this.dns.map((d) => d.displayName).join(', ')})`;
  }

  public isDns(endpoint: Endpoint): boolean {
    return this.dns.includes(endpoint);
  }

  /** Undefined when `from` reaches DNS on both protocols; else one message naming both. */
  public blocked(from: ResolvedEndpoint): Blocked | undefined {
    const reaches = (protocol: Protocol) => this.targets.some((to) => this.evaluator.isAllowed({ from, to, port: DNS_PORT, protocol }));
    const failing = PROTOCOLS.filter((protocol) => !reaches(protocol));
    if (failing.length === 0) return undefined;
    // Explain the first DNS pod: every one denies, and they normally share their policies.
    const explanations = failing.map((protocol) => this.evaluator.explain({ from, to: this.targets[0], port: DNS_PORT, protocol }));
    const on = failing.length === 2
      ? `on UDP ${DNS_PORT} or TCP ${DNS_PORT}, so its ${ALL_LOOKUPS_FAIL}`
      : failing[0] === Protocol.UDP
        ? `on UDP ${DNS_PORT} (TCP ${DNS_PORT} works), so its ${ALL_LOOKUPS_FAIL}`
        : `on TCP ${DNS_PORT} (UDP ${DNS_PORT} works), so ${LARGE_ANSWERS_FAIL}`;
    // The two protocols usually fail for the same reason: say each distinct reason once.
    const why = [...new Set(explanations.flatMap((e) => [e.egress, e.ingress].filter((side) => !side.allowed).map((side) => side.reason)))];
    return { message: `cannot reach ${this.dnsText} ${on}. ${why.join(' ')}`, fix: fixFor(from, this.targets[0], failing, explanations) };
  }
}

/** Egress to allow at the pod, ingress to allow at the DNS pods: for the protocols each side denies. */
function fixFor(from: ResolvedEndpoint, dns: ResolvedEndpoint, failing: readonly Protocol[], explanations: readonly FlowExplanation[]): string {
  const ports = (side: 'egress' | 'ingress') => failing.filter((_, i) => !explanations[i][side].allowed).map((p) => `${p} ${DNS_PORT}`).join(' and ');
  const fixes: string[] = [];
  const egress = ports('egress');
  if (egress) {
    fixes.push(`Allow egress from ${from.text} to kube-system pods k8s-app=kube-dns on ${egress} (AllowDns allows UDP and TCP 53 for a whole namespace).`);
  }
  const ingress = ports('ingress');
  if (ingress) {
    fixes.push(`Allow ingress to ${dns.text} from ${from.text} on ${ingress}: cluster DNS must accept lookups from every pod.`);
  }
  return fixes.join(' ');
}

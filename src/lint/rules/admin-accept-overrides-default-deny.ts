import { AddressRange, formatAddressRange, IP_FAMILIES, splitAddressSpace } from '../../analysis/address-range';
import { clusterDnsEndpoints } from '../../analysis/cluster-dns';
import { ClusterModel, EndpointSide } from '../../analysis/cluster-model';
import { ClusterPolicy, ClusterRule, clusterRulesOf } from '../../analysis/cluster-policy';
import { walkClusterTier } from '../../analysis/cluster-tier-rules';
import { allRulesOf, denyRulesOf, rulesOf, TierPolicy, TierRule } from '../../analysis/compiled-policy';
import { ConnectionPool } from '../../analysis/connection-pool';
import { ConnectionSet } from '../../analysis/connection-set';
import { addressOf, ConnectivityEngine } from '../../analysis/connectivity-engine';
import { Endpoint } from '../../analysis/endpoint';
import { ResolvedEndpoint } from '../../analysis/endpoint-resolver';
import { Direction } from '../../analysis/flow';
import { rulePeersMatch } from '../../analysis/matching';
import { localHostIngress, networkPolicyTierConnections } from '../../analysis/pair-connections';
import { ADMIN_ACCEPT_OVERRIDES_DEFAULT_DENY } from '../../kube/acknowledge-annotation';
import { ParsedCidr } from '../../validation/cidr';
import { LintRule, RuleFinding } from '../lint-rule';
import { selectedPodsWithoutPods } from '../selected-pods';
import { Severity } from '../severity';
import { clusterPolicySubject, policyName } from '../subject';
import { way } from '../tier-policies';

/** How many pods and policies a message names. */
const MAX_LISTED = 3;

/** The node entities a cluster policy's `nodes: {}` peer matches. */
const NODE_ENTITIES = ['host', 'remote-node'];

/** One connection set an Admin Accept takes from the NetworkPolicy tier: at the pods of a class, with `other`. */
interface Override {
  /** How messages name the pods (the first is the one judged; a stand-in is named by what it stands for). */
  readonly selfTexts: readonly string[];
  readonly other: ResolvedEndpoint;
  readonly connections: ConnectionSet;
  /** The namespace policies that isolate `self` in the direction. */
  readonly isolatedBy: readonly TierPolicy[];
}

/** The overrides of one Admin rule. */
interface RuleOverrides {
  readonly policy: ClusterPolicy;
  readonly rule: ClusterRule;
  readonly direction: Direction;
  readonly overrides: Override[];
}

/**
 * Flags Admin-tier Accept rules that override a namespace's default deny:
 * a pod that a NetworkPolicy-tier policy isolates in a direction (a
 * default-deny of its namespace, say) is a subject of an Admin Accept rule,
 * and that rule decides some connection the NetworkPolicy tier denies.
 * An Accept is final: no NetworkPolicy or Baseline rule is consulted.
 *
 * Exact, with the analyzer's connection sets: for each such pod and each
 * other end, the connections the rule takes (in the Admin tier's order:
 * those no earlier rule took) minus what the pod's NetworkPolicy tier allows
 * (allow rules, minus Cilium deny rules). The other ends are the pods of the
 * manifests (and cluster DNS, a stand-in where the manifests do not hold it),
 * the nodes (`nodes` peers; ingress from the pod's own node is always
 * allowed), and the address ranges on which every CIDR of the side's
 * rules is uniform. `domainNames` peers are not judged (their addresses are
 * unknown). When the manifests hold none of the pods a namespace policy
 * isolates, one stand-in for them is judged (as the DNS rules do).
 */
export const adminAcceptOverridesDefaultDeny: LintRule = {
  id: ADMIN_ACCEPT_OVERRIDES_DEFAULT_DENY,
  severity: Severity.WARNING,
  summary: 'An Admin-tier Accept rule (ClusterNetworkPolicy, AdminNetworkPolicy) accepts connections of pods that a namespace\'s '
    + 'NetworkPolicy isolates (a default deny) and that the namespace\'s policies do not allow: the namespace policies are silently bypassed.',
  rationale: 'An Admin Accept is final: the NetworkPolicy tier is not consulted, so a namespace that wrote a default deny still '
    + 'receives (or sends) what the platform accepts, and nothing in the namespace shows it. That is the point of guardrails such as '
    + 'always-on DNS, but a broad Accept (every port, every namespace) quietly opens more than the namespace owners think.',
  fix: 'Narrow the rule\'s peers and ports to what must always work; make it Pass instead of Accept where the namespaces\' policies '
    + 'should decide; or acknowledge the finding on the Admin policy where it must win.',
  check: ({ model }) => {
    const found = new Map<ClusterRule, RuleOverrides>();
    // A rebuilt model (with stand-ins) holds copies of the policies: findings are filed under the original rule (same policy, same field).
    const original = (policy: ClusterPolicy, rule: ClusterRule) => {
      const same = model.clusterPolicies.find((p) => p.id === policy.id) ?? policy;
      return { policy: same, rule: clusterRulesOf(same, directionOf(rule)).find((r) => r.path === rule.path) ?? rule };
    };
    const record = (direction: Direction) => (policy: ClusterPolicy, rule: ClusterRule, override: Override) => {
      const key = original(policy, rule);
      const entry = found.get(key.rule) ?? { ...key, direction, overrides: [] };
      entry.overrides.push(override);
      found.set(key.rule, entry);
    };
    for (const direction of [Direction.EGRESS, Direction.INGRESS]) {
      judge(model, model.endpoints, direction, record(direction), (e) => e.displayName);
      const standIns = selectedPodsWithoutPods(model, direction);
      if (standIns) {
        const texts = new Map(standIns.selected.map((s) => [s.endpoint, s.text]));
        judge(standIns.model, standIns.selected.map((s) => s.endpoint), direction, record(direction), (e) => texts.get(e) ?? e.displayName);
      }
    }
    return [...found.values()].map(finding);
  },
};

/**
 * Records, per Admin rule, what it accepts at `selves` that their NetworkPolicy
 * tier denies. Endpoints that no policy can tell apart (a class of the
 * connectivity engine: same sides, same peers selecting them, same named
 * ports) are judged once, by one member, for all of them.
 */
function judge(
  model: ClusterModel, selves: readonly Endpoint[], direction: Direction,
  record: (policy: ClusterPolicy, rule: ClusterRule, override: Override) => void, textOf: (e: Endpoint) => string,
): void {
  const engine = new ConnectivityEngine(model, new ConnectionPool());
  // Cluster DNS runs in every cluster: a stand-in for it when the manifests do not hold it.
  const dnsStandIns = clusterDnsEndpoints(model).filter((e) => e.index < 0);
  const byClass = new Map<number, Endpoint[]>();
  for (const e of selves) {
    const members = byClass.get(engine.classOf[e.index]) ?? [];
    members.push(e);
    byClass.set(engine.classOf[e.index], members);
  }
  for (const members of byClass.values()) {
    const self = members[0];
    const side = model.sideOf(self, direction);
    if (!side.isolated || !side.admin.some((p) => clusterRulesOf(p, direction).some((r) => r.action === 'Accept'))) continue;
    const resolvedSelf: ResolvedEndpoint = { kind: 'endpoint', endpoint: self, text: self.displayName };
    const isolatedBy = side.policies.filter((p) => p.isolates.has(direction));
    const selfTexts = members.map(textOf);
    // Other ends that every rule of the side treats alike (same peers match, same named ports) get the same verdicts: judge one.
    const rules: TierRule[] = [
      ...side.admin.flatMap((p) => clusterRulesOf(p, direction)),
      ...side.policies.flatMap((p) => [...rulesOf(p, direction), ...denyRulesOf(p, direction)]),
    ];
    const seen = new Set<string>();
    for (const other of othersOf(model, engine, dnsStandIns, self, side, direction)) {
      const signature = rules.map((r) => (rulePeersMatch(model, r, other) ? '1' : '0')).join('')
        + (direction === Direction.EGRESS && other.kind === 'endpoint' ? namedPorts(other.endpoint) : '');
      if (seen.has(signature)) continue;
      seen.add(signature);
      const destination = direction === Direction.EGRESS ? other : resolvedSelf;
      const allowed = networkPolicyTierConnections(model, side, direction, other, destination);
      if (allowed.isAll) continue;
      walkClusterTier(model, side.admin, direction, other, destination, (policy, rule, taken) => {
        if (rule.action !== 'Accept') return;
        const connections = taken.subtract(allowed);
        if (!connections.isEmpty) record(policy, rule, { selfTexts, other, connections, isolatedBy });
      });
    }
  }
}

/**
 * The other ends to judge a side against: one pod of each class (for the
 * side's own class, another member; a lone Pod would be loopback), cluster
 * DNS, the nodes, and the address ranges the side's CIDRs cut.
 */
function othersOf(
  model: ClusterModel, engine: ConnectivityEngine, dnsStandIns: readonly Endpoint[], self: Endpoint, side: EndpointSide, direction: Direction,
): ResolvedEndpoint[] {
  const accepts = side.admin.flatMap((p) => clusterRulesOf(p, direction).filter((r) => r.action === 'Accept'));
  const reachable = (other: ResolvedEndpoint) => accepts.some((r) => rulePeersMatch(model, r, other));
  const own = engine.classOf[self.index];
  const classMembers = engine.classes.flatMap((c) => {
    if (c.index !== own) return [c.members[0]];
    // A Pod talking to itself is loopback, never restricted; replicas of a workload are other pods.
    const another = c.members.find((e) => e !== self) ?? (self.isPod ? undefined : self);
    return another ? [another] : [];
  });
  const pods: ResolvedEndpoint[] = [...classMembers, ...dnsStandIns].map((e) => ({ kind: 'endpoint', endpoint: e, text: e.displayName }));
  const nodes: ResolvedEndpoint[] = NODE_ENTITIES.map((entity) => ({ kind: 'entity', entity, text: `entity:${entity}` }));
  const cidrs = [...side.admin.flatMap((p) => clusterRulesOf(p, direction)), ...side.policies.flatMap(allRulesOf)].flatMap(cidrsOf);
  const ranges: ResolvedEndpoint[] = IP_FAMILIES.flatMap((family) => splitAddressSpace(family, cidrs))
    .map((r: AddressRange) => ({ ...addressOf(r), text: formatAddressRange(r) }));
  return [...pods, ...nodes, ...ranges].filter((o) => !(direction === Direction.INGRESS && localHostIngress(o)) && reachable(o));
}

/** The named ports a destination offers, which named port entries resolve against. */
function namedPorts(endpoint: Endpoint): string {
  return endpoint.ports.filter((p) => p.name !== undefined).map((p) => `|${p.name}/${p.protocol}/${p.port}`).sort().join('');
}

/** The CIDRs a rule's peers name (ipBlock and except, CIDR sets, networks). */
function cidrsOf(rule: { readonly peers?: readonly any[] }): ParsedCidr[] {
  return (rule.peers ?? []).flatMap((p) => (p.kind === 'ip' ? [p.cidr, ...p.except] : p.kind === 'network' ? [...p.cidrs] : []));
}

/** The direction of a rule, from its field (`spec.ingress[0]`, `spec.egress[1]`). */
function directionOf(rule: ClusterRule): Direction {
  return rule.fieldPath[1] === 'ingress' ? Direction.INGRESS : Direction.EGRESS;
}

function finding(entry: RuleOverrides): RuleFinding {
  const { policy, rule, direction, overrides } = entry;
  const name = way(direction);
  const first = overrides[0];
  const selves = [...new Set(overrides.flatMap((o) => o.selfTexts))];
  const isolating = [...new Set(overrides.flatMap((o) => o.isolatedBy))].sort((a, b) => (a.id < b.id ? -1 : a.id > b.id ? 1 : 0));
  const example = direction === Direction.EGRESS
    ? `${name} from ${first.selfTexts[0]} to ${first.other.text} on ${first.connections}`
    : `${name} to ${first.selfTexts[0]} from ${first.other.text} on ${first.connections}`;
  return {
    subject: clusterPolicySubject(policy),
    field: rule.fieldPath,
    message: `${policy.id} ${rule.path}${rule.name ? ` (${JSON.stringify(rule.name)})` : ''} accepts ${name} that the namespaces' policies deny, `
      + `and an Admin Accept is final: ${list(isolating.map(policyName))} isolate${isolating.length === 1 ? 's' : ''} `
      + `${list(selves)} for ${name}, yet it accepts e.g. ${example}.`,
  };
}

function list(items: readonly string[]): string {
  const shown = items.slice(0, MAX_LISTED);
  return shown.join(', ') + (items.length > shown.length ? ` and ${items.length - shown.length} more` : '');
}

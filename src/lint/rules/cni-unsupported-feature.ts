import { NAMESPACE_LABELS_PREFIX, POD_NAMESPACE_LABEL } from '../../analysis/cilium-identity';
import { ClusterModel } from '../../analysis/cluster-model';
import { CompiledPolicy, CompiledPort, CompiledRule, denyRulesOf, rulesOf, TierPolicy } from '../../analysis/compiled-policy';
import { Direction } from '../../analysis/flow';
import { formatPath } from '../../analysis/manifest-object';
import { peerMatches } from '../../analysis/matching';
import { Protocol } from '../../protocol';
import { clusterPolicyUses, FeatureUse } from '../cluster-policy-uses';
import { Cni } from '../cni';
import { activeGaps, cniSupport, CniSupport, FeatureGap, PolicyFeature } from '../cni-support';
import { LintRule, RuleFinding } from '../lint-rule';
import { Severity } from '../severity';
import { clusterPolicySubject, endpointSubject, policyName, policySubject } from '../subject';
import { ciliumObjects, rawSpec, specPathOf } from '../tier-policies';

const DOCS = 'docs/cni.md';

type Use = FeatureUse;

/**
 * With the `cni` option (`--cni`), flags every use of a NetworkPolicy feature
 * that CNI is documented not to enforce (docs/cni.md has the table and the
 * sources): egress rules, ipBlock except, SCTP, named ports, and policies
 * selecting hostNetwork pods. A CNI that enforces no NetworkPolicy at all
 * (Flannel) gets one finding per policy instead.
 *
 * CiliumNetworkPolicy and CiliumClusterwideNetworkPolicy are Cilium's own
 * kinds: with any other CNI each such object is a finding (it allows and denies
 * nothing there). With Cilium and a version, what that version reads
 * differently is flagged: peers selected by namespace labels (before 1.16,
 * limited to the policy's namespace) and `enableDefaultDeny` (before 1.16,
 * ignored).
 *
 * The cluster-scoped kinds are judged too: a ClusterNetworkPolicy (v1alpha2),
 * AdminNetworkPolicy or BaselineAdminNetworkPolicy (v1alpha1) the CNI (at the
 * given version) does not read, or reads only when switched on, and an
 * AdminNetworkPolicy priority above the highest the CNI supports.
 *
 * endPort is reported by end-port-ignored. Gaps that the manifests cannot
 * reveal (IP family, node platforms, secondary interfaces, which addresses an
 * ipBlock sees) and version or opt-in notes about NetworkPolicy support as a
 * whole are in docs/cni.md, not here. Without the option there are no findings.
 */
export const cniUnsupportedFeature: LintRule = {
  id: 'cni-unsupported-feature',
  severity: Severity.ERROR,
  summary: 'A policy uses a feature that the CNI given with --cni is documented not to enforce '
    + '(egress rules, ipBlock except, SCTP, named ports, hostNetwork pods), the CNI enforces no NetworkPolicy at all, '
    + 'a CiliumNetworkPolicy is linted for another CNI than Cilium, it uses what the given Cilium version reads differently, '
    + 'or a ClusterNetworkPolicy, AdminNetworkPolicy or BaselineAdminNetworkPolicy is of a kind (or an Admin priority) the CNI or its version does not read.',
  rationale: 'The API server accepts every valid NetworkPolicy whether or not the network plugin implements it. '
    + 'A feature the plugin ignores leaves traffic allowed that the policy denies, or denies traffic the policy allows, with no error anywhere. '
    + 'Only Cilium reads CiliumNetworkPolicy and CiliumClusterwideNetworkPolicy: under any other plugin they are stored and do nothing. '
    + 'The cluster-scoped kinds are alpha APIs that each plugin implements in some versions only (AdminNetworkPolicy v1alpha1 or ClusterNetworkPolicy v1alpha2), '
    + 'some behind a switch; a guardrail of a kind the plugin does not read guards nothing.',
  fix: `Express the policy without the feature (${DOCS} lists what each CNI enforces and the workarounds), or use a CNI that enforces it; `
    + 'acknowledge the finding where the gap does not apply to your cluster (e.g. a newer version or Linux-only nodes).',
  check: ({ model, cni, cniVersion }) => {
    if (cni === undefined) return [];
    const support = cniSupport(cni);
    // A version older than the one that brought NetworkPolicy (e.g. Amazon VPC CNI before 1.14) enforces none either.
    const tooOld = activeGaps(support, cniVersion).filter((g) => g.feature === PolicyFeature.NETWORK_POLICY && g.fixedIn !== undefined);
    const findings: RuleFinding[] = ciliumFindings(model, support, cniVersion);
    if (!support.enforcesNetworkPolicy) return [...notEnforced(model, support, []), ...findings];
    findings.push(...clusterFindings(model, support, cniVersion));
    if (tooOld.length > 0) return [...notEnforced(model, support, tooOld.map((g) => g.note)), ...findings];
    for (const policy of model.policies) {
      for (const use of usesOf(model, policy)) {
        // END_PORT belongs to end-port-ignored; a feature may have several notes (versions, node kinds).
        const gaps = activeGaps(support, cniVersion).filter((g) => g.feature === use.feature && g.feature !== PolicyFeature.END_PORT);
        if (gaps.length === 0) continue;
        findings.push({
          subject: policySubject(policy),
          field: use.field,
          message: `${use.what} ${gaps.map((g) => g.note).join(' ')}`,
          fix: use.fix,
        });
      }
    }
    return findings;
  },
};

/**
 * The Cilium objects: one finding each when the CNI is not Cilium (none of
 * them does anything there); with Cilium, the uses the given version reads differently.
 */
function ciliumFindings(model: ClusterModel, support: CniSupport, cniVersion: string | undefined): RuleFinding[] {
  const objects = ciliumObjects(model);
  if (support.cni !== Cni.CILIUM) {
    return objects.map(([first]) => ({
      subject: policySubject(first),
      message: `${policyName(first)} is not enforced: ${first.kind} is Cilium's own policy kind, which ${support.displayName} does not read, `
        + 'so nothing it allows or denies takes effect (the API server stores it only if Cilium\'s CRDs are installed).',
      fix: `Express the policy as a networking.k8s.io/v1 NetworkPolicy (PolicyTarget.KUBERNETES) if ${support.displayName} runs the cluster, `
        + `or lint with --cni cilium if Cilium does (see ${DOCS}).`,
    }));
  }
  const gaps = activeGaps(support, cniVersion);
  const findings: RuleFinding[] = [];
  for (const policy of objects.flat()) {
    for (const use of ciliumUsesOf(policy)) {
      const notes = gaps.filter((g) => g.feature === use.feature);
      if (notes.length === 0) continue;
      findings.push({ subject: policySubject(policy), field: use.field, message: `${use.what} ${notes.map((g) => g.note).join(' ')}`, fix: use.fix });
    }
  }
  return findings;
}

/** The uses in a Cilium rule of what some Cilium versions read differently. */
function ciliumUsesOf(policy: TierPolicy): Use[] {
  const uses: Use[] = [];
  const spec = rawSpec(policy);
  const at = specPathOf(policy);
  const switches = spec.enableDefaultDeny;
  if (switches && typeof switches === 'object') {
    for (const direction of ['ingress', 'egress'] as const) {
      if (typeof switches[direction] !== 'boolean') continue;
      const hasRules = [direction, `${direction}Deny`].some((f) => Array.isArray(spec[f]) && spec[f].length > 0);
      // true on a direction with rules is what every version does anyway.
      if (switches[direction] && hasRules) continue;
      uses.push({
        feature: PolicyFeature.CILIUM_ENABLE_DEFAULT_DENY,
        field: [...at, 'enableDefaultDeny', direction],
        what: `${formatPath([...at, 'enableDefaultDeny', direction])} is ${switches[direction]}.`,
        fix: switches[direction]
          ? `Give the policy an empty ${direction} rule (${direction}: [{}]) to put its pods into default deny on every version.`
          : `Upgrade Cilium to 1.16 or later, or leave the ${direction} rules out of this policy if its pods must not be isolated for ${direction}.`,
      });
    }
  }
  // Only a namespaced policy injects its namespace.
  if (policy.namespace === undefined) return uses;
  for (const direction of [Direction.INGRESS, Direction.EGRESS]) {
    for (const rule of [...rulesOf(policy, direction), ...denyRulesOf(policy, direction)]) {
      for (const peer of rule.peers ?? []) {
        if (peer.kind !== 'identity' || peer.namespace !== undefined) continue;
        const keys = peer.selector.keys;
        if (!keys.some((k) => k.startsWith(NAMESPACE_LABELS_PREFIX)) || keys.includes(POD_NAMESPACE_LABEL)) continue;
        uses.push({
          feature: PolicyFeature.CILIUM_NAMESPACE_LABEL_PEERS,
          field: peer.path,
          what: `${formatPath(peer.path)} selects pods by namespace labels (${peer.selector.text}) and names no namespace.`,
          fix: `Add matchExpressions [{ key: k8s:${POD_NAMESPACE_LABEL}, operator: Exists }] to the selector: every version then reads it across namespaces `
            + '(the constructs emit that); or upgrade Cilium to 1.16 or later.',
        });
      }
    }
  }
  return uses;
}

/**
 * One finding per policy: none of them is enforced. A CNI that enforces no
 * policy at all (Flannel) enforces no cluster-scoped policy either; a version
 * too old for NetworkPolicy leaves those to `clusterFindings`.
 */
function notEnforced(model: ClusterModel, support: CniSupport, versionNotes: string[]): RuleFinding[] {
  const notes = versionNotes.length ? versionNotes : support.gaps.filter((g) => g.feature === PolicyFeature.NETWORK_POLICY).map((g) => g.note);
  const why = notes.length ? notes.join(' ') : `${support.displayName} enforces no NetworkPolicy.`;
  const fix = `Run a NetworkPolicy engine alongside ${support.displayName}, or use a CNI that enforces NetworkPolicy (see ${DOCS}).`;
  const cluster = support.enforcesNetworkPolicy ? [] : model.clusterPolicies.map((policy) => ({
    subject: clusterPolicySubject(policy),
    message: `${policy.id} is not enforced at all: ${why}`,
    fix: `Run a policy engine that reads ${policy.kind} alongside ${support.displayName}, or use a CNI that does (see ${DOCS}).`,
  }));
  return [...model.policies.map((policy) => ({
    subject: policySubject(policy),
    message: `NetworkPolicy ${policy.id} is not enforced at all: ${why}`,
    fix,
  })), ...cluster];
}

/** The cluster-scoped policies of a kind (or with a priority) the CNI at the version does not read, with its notes. */
function clusterFindings(model: ClusterModel, support: CniSupport, cniVersion: string | undefined): RuleFinding[] {
  const gaps = activeGaps(support, cniVersion);
  const findings: RuleFinding[] = [];
  for (const policy of model.clusterPolicies) {
    for (const use of clusterPolicyUses(policy, support)) {
      const notes = gaps.filter((g) => g.feature === use.feature && exceedsLimit(g, use));
      if (notes.length === 0) continue;
      findings.push({ subject: clusterPolicySubject(policy), field: use.field, message: `${use.what} ${notes.map((g) => g.note).join(' ')}`, fix: use.fix });
    }
  }
  return findings;
}

/** A gap about a limit applies to a use whose value is above it; any other gap, to every use of its feature. */
function exceedsLimit(gap: FeatureGap, use: Use): boolean {
  return gap.limit === undefined || (use.value !== undefined && use.value > gap.limit);
}

/** Every use of a feature some CNI may not enforce, in field order. */
function usesOf(model: ClusterModel, policy: CompiledPolicy): Use[] {
  const uses: Use[] = [];
  if (policy.isolates.has(Direction.EGRESS)) {
    const types = policy.source.object?.spec?.policyTypes;
    const inTypes = Array.isArray(types) && types.includes('Egress');
    uses.push({
      feature: PolicyFeature.EGRESS,
      field: inTypes ? ['spec', 'policyTypes', types.indexOf('Egress')] : ['spec', 'egress'],
      what: `${inTypes ? 'spec.policyTypes includes Egress' : 'spec.egress has rules'}: the policy restricts the outgoing traffic of the pods it selects.`,
      fix: `Restrict egress by other means (e.g. a firewall or the CNI's own policy resources), or use a CNI that enforces egress rules (see ${DOCS}).`,
    });
  }
  const selectedHostNetwork = model.endpointsIn(policy.namespace).filter((e) => e.hostNetwork && policy.podSelector.matches(e.labels));
  if (selectedHostNetwork.length > 0) {
    uses.push({
      feature: PolicyFeature.HOST_NETWORK,
      field: ['spec', 'podSelector'],
      what: `spec.podSelector (${policy.podSelector.text}) selects hostNetwork pods: ${selectedHostNetwork.map((e) => endpointSubject(e).object).join(', ')}.`,
      fix: `Do not rely on NetworkPolicy for hostNetwork pods: restrict them with a host firewall and allow their traffic by node addresses (ipBlock); see ${DOCS}.`,
    });
  }
  for (const direction of [Direction.INGRESS, Direction.EGRESS]) {
    // Rules of a direction the policy does not isolate have no effect (the API server keeps them, nothing enforces them).
    if (!policy.isolates.has(direction)) continue;
    for (const rule of rulesOf(policy, direction)) {
      for (const peer of rule.peers ?? []) {
        if (peer.kind !== 'ip' || peer.except.length === 0) continue;
        uses.push({
          feature: PolicyFeature.IP_BLOCK_EXCEPT,
          field: [...peer.path, 'ipBlock', 'except'],
          what: `${formatPath(peer.path)} uses ipBlock except (${peer.text}).`,
          fix: `Replace ${peer.cidr.text} and its except list with CIDRs that leave the excepted ranges out; see ${DOCS}.`,
        });
      }
      for (const port of rule.ports ?? []) {
        if (port.protocol === Protocol.SCTP) {
          uses.push({
            feature: PolicyFeature.SCTP,
            field: [...port.path, 'protocol'],
            what: `${formatPath(port.path)} matches SCTP (${port.text}).`,
            fix: `Turn on the CNI's SCTP support if it has such a setting, or restrict SCTP traffic by other means; see ${DOCS}.`,
          });
        }
        if (port.name !== undefined) {
          uses.push({
            feature: PolicyFeature.NAMED_PORTS,
            field: [...port.path, 'port'],
            what: `${formatPath(port.path)} uses the named port "${port.name}".`,
            fix: namedPortFix(model, policy, direction, rule, port),
          });
        }
      }
    }
  }
  return uses;
}

/** Suggests the number the name resolves to on the destination pods, when they agree on one. */
function namedPortFix(model: ClusterModel, policy: CompiledPolicy, direction: Direction, rule: CompiledRule, port: CompiledPort): string {
  const destinations = direction === Direction.INGRESS
    ? model.endpointsIn(policy.namespace).filter((e) => policy.podSelector.matches(e.labels))
    : model.endpoints.filter((e) => rule.peers === undefined
      || rule.peers.some((p) => peerMatches(model, p, { kind: 'endpoint', endpoint: e, text: e.displayName })));
  const named = destinations.flatMap((e) => e.ports.filter((p) => p.name === port.name && p.protocol === port.protocol));
  const numbers = [...new Set(named.map((p) => p.port))];
  const instead = numbers.length === 1 ? `the port number ${numbers[0]}` : 'the port number';
  return `Write ${instead} instead of "${port.name}" (split the rule if the pods use different numbers); see ${DOCS}.`;
}

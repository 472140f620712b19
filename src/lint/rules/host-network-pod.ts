import { denyRulesOf, rulesOf, TierPolicy } from '../../analysis/compiled-policy';
import { ResolvedEndpoint } from '../../analysis/endpoint-resolver';
import { Direction } from '../../analysis/flow';
import { formatPath } from '../../analysis/manifest-object';
import { peerMatches, subjectMatches } from '../../analysis/matching';
import { podTemplatePath } from '../../kube/pod-template';
import { LintRule, RuleFinding } from '../lint-rule';
import { Severity } from '../severity';
import { endpointSubject, policyName } from '../subject';

/**
 * Flags `hostNetwork: true` pods that a policy relies on: selected by a
 * policy's podSelector (their own traffic is meant to be restricted) or
 * matched by a pod peer (traffic from or to them is meant to be allowed by
 * their labels). The analyzer treats them as ordinary pods; the cluster may
 * not. Host-network pods nothing refers to are not flagged: no policy's
 * meaning depends on how the network plugin treats them. Cilium policies count
 * too (an endpointSelector or an endpoint peer that matches the pod): Cilium
 * gives host-network pods the identity of their node, so its endpoint
 * selectors never match them.
 */
export const hostNetworkPod: LintRule = {
  id: 'host-network-pod',
  severity: Severity.WARNING,
  summary: 'A hostNetwork: true pod is selected by a policy or matched by a pod peer (NetworkPolicy or Cilium), but most network plugins do not apply policies to host-network pods.',
  rationale: 'The NetworkPolicy specification leaves host-network pods to the implementation. '
    + 'Most network plugins cannot tell them apart from the node: they ignore them when matching podSelector and namespaceSelector, '
    + 'do not restrict their traffic, and see it as coming from the node\'s IP. '
    + 'The policies then neither isolate these pods nor let peers reach them by label, whatever the analysis says.',
  fix: 'Run the pod without hostNetwork if policies must apply to it; otherwise restrict it on the node (host firewall) '
    + 'and allow its traffic by the nodes\' addresses (ipBlock) rather than by pod labels.',
  check: ({ model }) => {
    const findings: RuleFinding[] = [];
    for (const endpoint of model.endpoints) {
      if (!endpoint.hostNetwork) continue;
      const self: ResolvedEndpoint = { kind: 'endpoint', endpoint, text: endpoint.displayName };
      // NetworkPolicies by their id, as before; Cilium policies by kind and name, each object once.
      const name = (p: TierPolicy) => (p.kind === 'NetworkPolicy' ? p.id : policyName(p));
      const selecting = [...new Set(model.tierPolicies.filter((p) => (p.namespace === undefined || p.namespace === endpoint.namespace)
        && subjectMatches(model, p.subject, endpoint)).map(name))];
      const peers: string[] = [];
      for (const policy of model.tierPolicies) {
        for (const direction of [Direction.INGRESS, Direction.EGRESS]) {
          for (const rule of [...rulesOf(policy, direction), ...denyRulesOf(policy, direction)]) {
            for (const peer of rule.peers ?? []) {
              if ((peer.kind === 'pods' || peer.kind === 'identity') && peerMatches(model, peer, self)) {
                peers.push(`${name(policy)} ${formatPath(peer.path)} (${peer.text})`);
              }
            }
          }
        }
      }
      if (selecting.length === 0 && peers.length === 0) continue;
      const involved = [
        ...(selecting.length ? [`selected by ${selecting.join(', ')}`] : []),
        ...(peers.length ? [`matched by the peer${peers.length === 1 ? '' : 's'} ${peers.join(', ')}`] : []),
      ];
      const subject = endpointSubject(endpoint);
      const template = podTemplatePath(endpoint.kind) ?? [];
      findings.push({
        subject,
        field: [...template, 'spec', 'hostNetwork'],
        message: `${subject.object} runs with hostNetwork: true and is ${involved.join(' and ')}; `
          + 'most network plugins do not apply policies to host-network pods and see their traffic as the node\'s, '
          + 'so these policies may not restrict or allow what they say for it.',
      });
    }
    return findings;
  },
};

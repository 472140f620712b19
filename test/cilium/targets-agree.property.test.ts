/**
 * The constructs say the same thing on both targets: random policies, written
 * with this library's NetworkPolicy (from the v1 policies of a random cluster),
 * synthesized once for networking.k8s.io/v1 and once for Cilium, allow exactly
 * the same connection sets between every pair of endpoints and addresses, as
 * the analyzer reads each with its own kind's semantics.
 */
import { Chart, Testing } from 'cdk8s';
import * as fc from 'fast-check';
import { Analyzer, NamespaceSelector, NetworkPolicy, NetworkPolicyRule, Peer, PolicyTarget, PolicyType, Port, Protocol, Selector } from '../../src';
import { fromKubeLabelSelector } from '../../src/label-selector';
import { assertValidCustomResource } from '../support/crd-schema';
import { propertyRuns, propertyTimeout } from '../support/property-runs';
import { clusterArb } from '../support/random-cluster';

const RUNS = propertyRuns(40);

function peerOf(peer: any): Peer {
  if (peer.ipBlock) return Peer.ipBlock(peer.ipBlock.cidr, peer.ipBlock.except);
  const pods = peer.podSelector ? Selector.of(fromKubeLabelSelector(peer.podSelector)) : Selector.all();
  if (!peer.namespaceSelector) return Peer.pods(pods);
  return Peer.podsIn(NamespaceSelector.of(fromKubeLabelSelector(peer.namespaceSelector)), pods);
}

function portOf(port: any): Port {
  const protocol = Protocol[(port.protocol ?? 'TCP') as keyof typeof Protocol];
  if (typeof port.port === 'string') return Port.named(port.port, protocol);
  if (port.port === undefined) return { TCP: Port.allTcp, UDP: Port.allUdp, SCTP: Port.allSctp }[protocol]();
  if (port.endPort !== undefined) return { TCP: Port.tcpRange, UDP: Port.udpRange, SCTP: Port.sctpRange }[protocol](port.port, port.endPort);
  return { TCP: Port.tcp, UDP: Port.udp, SCTP: Port.sctp }[protocol](port.port);
}

/** A v1 rule as this library's rule: no peers (or none listed) is Peer.anyone(), no ports Port.allPorts(). */
function ruleOf(rule: any, side: 'from' | 'to'): NetworkPolicyRule {
  const peers = rule[side]?.length ? rule[side].map(peerOf) : [Peer.anyone()];
  const ports = rule.ports?.length ? rule.ports.map(portOf) : [Port.allPorts()];
  return { peers, ports };
}

/** The cluster's v1 policies, rebuilt as NetworkPolicy constructs for `target`; those the library refuses are left out of both. */
function build(objects: any[], target: PolicyTarget, refused: Set<number>): any[] {
  const chart = new Chart(Testing.app(), 'c');
  objects.forEach((object, i) => {
    if (object.kind !== 'NetworkPolicy' || refused.has(i)) return;
    const spec = object.spec;
    try {
      const policy = new NetworkPolicy(chart, `np-${i}`, {
        name: object.metadata.name,
        namespace: object.metadata.namespace ?? 'default',
        pods: Selector.of(fromKubeLabelSelector(spec.podSelector)),
        target,
        isolate: (spec.policyTypes ?? []).map((t: string) => (t === 'Ingress' ? PolicyType.INGRESS : PolicyType.EGRESS)),
      });
      for (const rule of spec.ingress ?? []) policy.addIngressRule(ruleOf(rule, 'from'));
      for (const rule of spec.egress ?? []) policy.addEgressRule(ruleOf(rule, 'to'));
      // v1 defaulting: with no policyTypes, Ingress always, Egress when there are egress rules
      if (!spec.policyTypes) policy.isolate(PolicyType.INGRESS);
      // `policyTypes: []` without rules does nothing; the constructs refuse it at synth
      if (policy.policyTypes.length === 0) throw new Error('does nothing');
    } catch {
      // a policy the constructs refuse (e.g. a named port toward an ipBlock) is left out of both sides
      refused.add(i);
      chart.node.tryRemoveChild(`np-${i}`);
    }
  });
  return Testing.synth(chart);
}

describe('the constructs on the Kubernetes and the Cilium targets', () => {
  test('allow exactly the same connections between every pair', () => {
    let compared = 0;
    fc.assert(
      fc.property(clusterArb, (cluster) => {
        const refused = new Set<number>();
        build(cluster.objects, PolicyTarget.KUBERNETES, refused); // learn which are refused
        const v1 = build(cluster.objects, PolicyTarget.KUBERNETES, refused);
        const cilium = build(cluster.objects, PolicyTarget.CILIUM, refused);
        cilium.forEach(assertValidCustomResource);
        const workloads = cluster.objects.filter((o) => o.kind !== 'NetworkPolicy');
        const left = Analyzer.fromManifests([...structuredClone(workloads), ...v1]);
        const right = Analyzer.fromManifests([...structuredClone(workloads), ...cilium]);
        const all = [...cluster.endpoints, ...cluster.externals];
        const problems: string[] = [];
        for (const from of all) {
          for (const to of all) {
            if (from.startsWith('ip:') && to.startsWith('ip:')) continue;
            const expected = left.connections(from, to);
            const actual = right.connections(from, to);
            compared++;
            if (!actual.isSameAs(expected)) problems.push(`${from} -> ${to}: v1 ${expected}, Cilium ${actual}`);
          }
        }
        if (problems.length > 0) {
          throw new Error(`${problems.slice(0, 5).join('\n')}\nCilium policies:\n${JSON.stringify(cilium, null, 1)}`);
        }
      }),
      { numRuns: RUNS },
    );
    // about 30 pairs per case: half that is asked
    expect(compared).toBeGreaterThan(15 * RUNS);
  }, propertyTimeout(60_000));
});

import { Protocol } from '../protocol';
import { CompiledPort, NetworkPeer, PolicySubject, TierPeer, TierRule } from './compiled-policy';
import { Endpoint } from './endpoint';
import { Labels } from './label-matcher';
import { ResolvedEndpoint } from './resolved-endpoint';
import { cidrContainsIp } from '../validation/cidr';

/**
 * The identity labels of a flow entity: the reserved label Cilium gives it
 * (pkg/policy/api/entity.go, `reserved:<entity>` with an empty value).
 */
export function entityIdentityLabels(entity: string): Labels {
  return { [`reserved:${entity}`]: '' };
}

/**
 * The labels a selector is matched against, as the cluster model gives them
 * (an interface here, so that matching stays below the model that uses it).
 */
export interface LabelSource {
  /** A pod's labels as its Cilium identity has them (its own, and those Cilium adds). */
  identityLabelsOf(endpoint: Endpoint): Labels;
  /** A namespace's labels (with kubernetes.io/metadata.name). */
  namespaceLabels(namespace: string): Labels;
}

/**
 * Does the peer select the endpoint? Pod peers select pods only (by namespace
 * AND pod labels); ipBlock and CIDR peers select addresses outside the
 * cluster only; Cilium endpoint peers select pods by their identity labels
 * (and the namespace Cilium injects), and, when Cilium injects no namespace,
 * entities by their reserved label; entities select pods (`cluster`, `all`),
 * addresses (`world`, `all`) and the flow entities they contain; DNS-name
 * peers select an address looked up by a name they match, when the lookup
 * was visible to Cilium; unmatched peers nothing.
 *
 * A NetworkPolicy (v1) peer never selects an entity (node or API server):
 * the Kubernetes specification leaves traffic to and from nodes to the
 * implementation (ipBlock is "for cluster-external IPs"), so the analyzer
 * takes the strict reading and the explanation says it depends on the CNI.
 */
export function peerMatches(model: LabelSource, peer: TierPeer, other: ResolvedEndpoint): boolean {
  if (peer.kind === 'unmatched') return false;
  if (peer.kind === 'network') return networkPeerMatches(peer, other);
  if (other.kind === 'entity') {
    if (peer.kind === 'entity') return peer.entities.includes(other.entity);
    if (peer.kind === 'identity') return peer.unscoped && peer.selector.matches(entityIdentityLabels(other.entity));
    return false;
  }
  if (peer.kind === 'entity') return other.kind === 'endpoint' ? peer.pods : peer.addresses;
  if (peer.kind === 'fqdn') {
    // toFQDNs: only addresses outside the cluster, found by a name it matches, through Cilium's DNS proxy (R9.1, R9.4).
    // A cluster policy's domainNames: whatever resolver the source used.
    return other.kind === 'ip' && other.host !== undefined && (peer.anyLookup === true || other.host.visible) && peer.names.test(other.host.name);
  }
  if (peer.kind === 'identity') {
    if (other.kind !== 'endpoint') return false;
    if (peer.namespace !== undefined && other.endpoint.namespace !== peer.namespace) return false;
    return peer.selector.matchesAll || peer.selector.matches(model.identityLabelsOf(other.endpoint));
  }
  if (peer.kind === 'ip') {
    if (other.kind !== 'ip' || !cidrContainsIp(peer.cidr, other.family, other.value)) return false;
    for (const except of peer.except) {
      if (cidrContainsIp(except, other.family, other.value)) return false;
    }
    return true;
  }
  if (other.kind !== 'endpoint') return false;
  const endpoint = other.endpoint;
  if (peer.excludesHostNetwork && endpoint.hostNetwork) return false;
  const inNamespace = peer.namespaces
    ? peer.namespaces.matchesAll || peer.namespaces.matches(model.namespaceLabels(endpoint.namespace))
    : endpoint.namespace === peer.ownNamespace;
  return inNamespace && (peer.pods.matchesAll || peer.pods.matches(endpoint.labels));
}

/**
 * A cluster policy's `networks`: an address in one of its CIDRs, or a pod
 * with an address (`status.podIPs`) in one ("cluster-internal traffic will be
 * checked against the rule as well"). Entities (nodes, the API server) have
 * no address the manifests give, so they never match.
 */
function networkPeerMatches(peer: NetworkPeer, other: ResolvedEndpoint): boolean {
  if (other.kind === 'ip') return peer.cidrs.some((cidr) => cidrContainsIp(cidr, other.family, other.value));
  if (other.kind !== 'endpoint') return false;
  return (other.endpoint.addresses ?? []).some((a) => peer.cidrs.some((cidr) => cidrContainsIp(cidr, a.family, a.value)));
}

/**
 * Does the port entry match the flow's port and protocol? A named port
 * resolves against the destination pod's container ports (name AND protocol);
 * it never matches an address outside the cluster.
 */
export function portMatches(port: CompiledPort, flowPort: number, protocol: Protocol, destination: ResolvedEndpoint): boolean {
  if (port.protocol !== protocol) return false;
  if (port.name !== undefined) {
    if (destination.kind !== 'endpoint') return false;
    return destination.endpoint.ports.some((p) => p.name === port.name && p.protocol === protocol && p.port === flowPort);
  }
  return numberedPortMatches(port, flowPort);
}

/** For an entry without a name: no port (every port of its protocol), a port, or a range. */
export function numberedPortMatches(port: CompiledPort, flowPort: number): boolean {
  if (port.port === undefined) return true;
  return port.endPort === undefined ? flowPort === port.port : flowPort >= port.port && flowPort <= port.endPort;
}

/** Does the policy apply to the endpoint: in its namespace (if it has one), with labels its selector matches? */
export function subjectMatches(model: LabelSource, subject: PolicySubject, endpoint: Endpoint): boolean {
  if (subject.namespace !== undefined && endpoint.namespace !== subject.namespace) return false;
  if (subject.selector.matchesAll) return true;
  return subject.selector.matches(subject.identity ? model.identityLabelsOf(endpoint) : endpoint.labels);
}

/** Does any peer of the rule match (absent peers: everyone; an empty list: no one)? */
export function rulePeersMatch(model: LabelSource, rule: TierRule, other: ResolvedEndpoint): boolean {
  return rule.peers === undefined || rule.peers.some((peer) => peerMatches(model, peer, other));
}

/** Does any port of the rule match (absent ports: every port; an empty list: none)? */
export function rulePortsMatch(rule: TierRule, flowPort: number, protocol: Protocol, destination: ResolvedEndpoint): boolean {
  return rule.ports === undefined || rule.ports.some((p) => portMatches(p, flowPort, protocol, destination));
}

/** What a flow carries between its endpoints: a port and protocol, or an ICMP message. */
export interface Traffic {
  /** The port (0 for ICMP). */
  readonly port: number;
  /** The transport protocol (unused for ICMP). */
  readonly protocol: Protocol;
  /** The ICMP message, for an ICMP flow. */
  readonly icmp?: IcmpProbe;
}

/** An ICMP message: family 4 (ICMP) or 6 (ICMPv6), and type. */
export interface IcmpProbe {
  readonly family: 4 | 6;
  readonly type: number;
}

/**
 * Does the rule admit the traffic? For a port, as rulePortsMatch. For ICMP: a
 * rule with neither ports nor ICMP types admits every protocol, ICMP included
 * (v1: a rule without ports matches all traffic; Cilium R6.1: an L3-only rule
 * allows "all ports and protocols including ICMP"); a rule with ports admits
 * no ICMP (v1 ports are TCP, UDP or SCTP; Cilium R6.3: ANY is those three);
 * a Cilium `icmps` rule admits the family and types it names (R6.7).
 */
export function ruleTrafficMatches(rule: TierRule, traffic: Traffic, destination: ResolvedEndpoint): boolean {
  if (traffic.icmp === undefined) return rulePortsMatch(rule, traffic.port, traffic.protocol, destination);
  return matchedIcmpText(rule, traffic.icmp) !== undefined;
}

/** The rule's entry that admits the ICMP message, described; undefined when none does. */
export function matchedIcmpText(rule: TierRule, icmp: IcmpProbe): string | undefined {
  if (rule.icmps !== undefined) return rule.icmps.find((f) => f.family === icmp.family && f.type === icmp.type)?.text;
  return rule.ports === undefined ? 'every protocol' : undefined;
}

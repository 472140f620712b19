import { Protocol } from '../protocol';
import { ClusterModel } from './cluster-model';
import { CompiledPeer, CompiledPort, CompiledRule } from './compiled-policy';
import { ResolvedEndpoint } from './endpoint-resolver';
import { cidrContainsIp } from '../validation/cidr';

/**
 * Does the peer select the endpoint? Pod peers select pods only (by namespace
 * AND pod labels); ipBlock peers select addresses outside the cluster only.
 */
export function peerMatches(model: ClusterModel, peer: CompiledPeer, other: ResolvedEndpoint): boolean {
  if (peer.kind === 'ip') {
    if (other.kind !== 'ip' || !cidrContainsIp(peer.cidr, other.family, other.value)) return false;
    for (const except of peer.except) {
      if (cidrContainsIp(except, other.family, other.value)) return false;
    }
    return true;
  }
  if (other.kind !== 'endpoint') return false;
  const endpoint = other.endpoint;
  const inNamespace = peer.namespaces
    ? peer.namespaces.matchesAll || peer.namespaces.matches(model.namespaceLabels(endpoint.namespace))
    : endpoint.namespace === peer.ownNamespace;
  return inNamespace && (peer.pods.matchesAll || peer.pods.matches(endpoint.labels));
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

/** Does any peer of the rule match (absent or empty peers: everyone)? */
export function rulePeersMatch(model: ClusterModel, rule: CompiledRule, other: ResolvedEndpoint): boolean {
  return rule.peers === undefined || rule.peers.some((peer) => peerMatches(model, peer, other));
}

/** Does any port of the rule match (absent or empty ports: every port)? */
export function rulePortsMatch(rule: CompiledRule, flowPort: number, protocol: Protocol, destination: ResolvedEndpoint): boolean {
  return rule.ports === undefined || rule.ports.some((p) => portMatches(p, flowPort, protocol, destination));
}

import { ClusterModel } from './cluster-model';
import { rulesOf } from './compiled-policy';
import { ConnectionPair } from './connection-pair';
import { ConnectionSet } from './connection-set';
import { addressSegments, ipBlockEdges, sortEndpoints } from './connectivity';
import { canonicalDnsName } from './dns-pattern';
import { L4Judge, lookUpName } from './dns-visibility';
import { Endpoint } from './endpoint';
import { ResolvedEndpoint } from './endpoint-resolver';
import { Evaluator } from './evaluator';
import { Direction } from './flow';
import { Traffic } from './matching';
import { sideConnections } from './pair-connections';
import { formatIp } from '../validation/cidr';

/**
 * The DNS names the endpoint's egress allow rules name (`toFQDNs`
 * `matchName`), as Cilium compares them without the trailing dot, sorted,
 * each once. Patterns are left out: the names they match cannot be listed.
 */
export function dnsNamesOf(model: ClusterModel, endpoint: Endpoint): string[] {
  const names = new Set<string>();
  for (const policy of model.sideOf(endpoint, Direction.EGRESS).policies) {
    for (const rule of rulesOf(policy, Direction.EGRESS)) {
      for (const peer of rule.peers ?? []) {
        if (peer.kind === 'fqdn' && !peer.pattern) names.add(canonicalDnsName(peer.selector).slice(0, -1));
      }
    }
  }
  return [...names].sort();
}

/**
 * Every connection `source` may open to the addresses `name` resolves to,
 * whichever they are: the intersection, over every range of addresses outside
 * the cluster (split at every CIDR edge, so each range is uniform), of what
 * the source's egress allows to an address of the range looked up by that
 * name (DNS-name peers match it when Cilium's DNS proxy sees the lookup: see
 * lookUpName). Nothing is sampled; addresses outside the cluster have no
 * ingress side.
 */
export function nameConnections(model: ClusterModel, judge: L4Judge, source: Endpoint, name: string): ConnectionSet {
  const from: ResolvedEndpoint = { kind: 'endpoint', endpoint: source, text: source.displayName };
  const host = lookUpName(model, judge, from, name);
  let result = ConnectionSet.all();
  for (const range of addressSegments(ipBlockEdges(model))) {
    const to: ResolvedEndpoint = { kind: 'ip', family: range.family, value: range.first, text: `ip:${formatIp(range.family, range.first)}`, host };
    result = result.intersect(sideConnections(model, Direction.EGRESS, from, to));
    if (result.isEmpty) break;
  }
  return result;
}

/**
 * For each pod or workload, the DNS names its egress rules name (toFQDNs
 * matchName), each with what it may open to the addresses of that name,
 * whichever they are (see nameConnections); pairs that allow nothing are left out.
 */
export function namePairs(model: ClusterModel): ConnectionPair[] {
  const evaluator = new Evaluator(model);
  const judge = (a: ResolvedEndpoint, b: ResolvedEndpoint, t: Traffic) => evaluator.l4Allows(a, b, t);
  const pairs: ConnectionPair[] = [];
  for (const endpoint of sortEndpoints(model.endpoints)) {
    for (const name of dnsNamesOf(model, endpoint)) {
      const allowed = nameConnections(model, judge, endpoint, name);
      if (!allowed.isEmpty) pairs.push({ from: endpoint.displayName, to: name, allowed });
    }
  }
  return pairs;
}

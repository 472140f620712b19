import { Protocol } from '../protocol';
import { clusterDnsEndpoints } from './cluster-dns';
import { ClusterModel } from './cluster-model';
import { canonicalDnsName } from './dns-pattern';
import { LookedUpName, ResolvedEndpoint } from './endpoint-resolver';
import { Direction } from './flow';
import { l7Limit } from './l7-rules';
import { Traffic } from './matching';

/** Judges a flow at L3/L4 (both sides), as the Evaluator does. */
export type L4Judge = (from: ResolvedEndpoint, to: ResolvedEndpoint, traffic: Traffic) => boolean;

/**
 * Whether Cilium learns the addresses of `name` when `source` looks it up,
 * so that DNS-name peers (`toFQDNs`) can match them (cilium/cilium layer3.rst
 * "DNS based", layer7.rst "DNS Proxy"; notes R9.4). Cilium's DNS proxy sees a
 * lookup only when the source's egress to cluster DNS on port 53 has a
 * `rules.dns` rule (the port is then proxied), and answers only names that
 * rule allows. So the name is visible when, for some cluster DNS endpoint and
 * UDP or TCP 53:
 * - the lookup is allowed at L3/L4 (egress at the source, ingress at DNS), and
 * - an allow rule of the source's egress covering that DNS endpoint and port
 *   carries DNS rules, and
 * - either one of those rules matches the name, or another allow rule covers
 *   the same peer and port without L7 rules (the DNS limit is then moot, and
 *   the proxy still sees every answer).
 */
export function lookUpName(model: ClusterModel, judge: L4Judge, source: ResolvedEndpoint, written: string): LookedUpName {
  const name = canonicalDnsName(written);
  const text = written;
  if (source.kind !== 'endpoint') {
    return { name, text, visible: false, reason: `only a pod's DNS lookups go through Cilium's DNS proxy, and ${source.text} is not a pod` };
  }
  const side = model.sideOf(source.endpoint, Direction.EGRESS);
  let best: string | undefined;
  let reachable = false;
  for (const server of clusterDnsEndpoints(model)) {
    const dns: ResolvedEndpoint = { kind: 'endpoint', endpoint: server, text: server.displayName };
    for (const protocol of [Protocol.UDP, Protocol.TCP]) {
      const traffic: Traffic = { port: 53, protocol };
      if (!judge(source, dns, traffic)) continue;
      reachable = true;
      const limit = l7Limit(model, side.policies, Direction.EGRESS, dns, traffic, dns);
      if (!limit.limited) {
        if (limit.moot !== undefined) {
          return {
            name,
            text,
            visible: true,
            reason: `${source.text} looks ${written} up through Cilium's DNS proxy (DNS rules on ${protocol} 53 to ${dns.text}; every name passes, as ${limit.moot})`,
          };
        }
        continue;
      }
      const covering = limit.entries.find((e) => e.port.dns?.some((r) => r.names.test(name)));
      if (covering) {
        const rule = covering.port.dns!.find((r) => r.names.test(name))!;
        return {
          name,
          text,
          visible: true,
          reason: `${source.text} looks ${written} up through Cilium's DNS proxy: ${covering.policy} ${covering.rule} allows it on ${protocol} 53 to ${dns.text} (DNS rule ${rule.text})`,
        };
      }
      best ??= `the DNS rules on ${source.text}'s egress to ${dns.text} (${limit.entries.map((e) => `${e.port.l7}, ${e.policy} ${e.rule}`).join('; ')}) do not allow looking up ${written}: Cilium's DNS proxy refuses the query, so no address of it is learned`;
    }
  }
  if (best) return { name, text, visible: false, reason: best };
  const reason = reachable
    ? `no DNS rule (rules.dns) is on ${source.text}'s egress to cluster DNS on port 53: Cilium's DNS proxy never sees its lookups, so DNS-name peers learn no address of ${written}`
    : `${source.text} cannot reach cluster DNS on port 53 at all, so it cannot look ${written} up`;
  return { name, text, visible: false, reason };
}

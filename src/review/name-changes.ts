import { Analyzer } from '../analysis/analyzer';
import { namePairs } from '../analysis/name-connections';

/** A pod or workload and a DNS name its egress names (Cilium toFQDNs), whose connections differ between two manifest sets. */
export interface DnsNameChange {
  /** The pod or workload. */
  readonly from: string;
  /** The DNS name, e.g. `api.stripe.com`. */
  readonly to: string;
  /** What the old manifests let it open to the name's addresses, whichever they are (`nothing` when nothing). */
  readonly before: string;
  /** What the new manifests let it open, written the same way. */
  readonly after: string;
  /** What the new manifests allow that the old did not (`nothing` when nothing): what a reviewer must look at. */
  readonly newlyAllowed: string;
}

/**
 * The pairs of a pod or workload and a DNS name (as `list` shows them) whose
 * connections differ: in the listing order of the new manifests, then the
 * pairs the old ones had alone. The connection sets of ReachabilityDiff are by
 * address, which a DNS name is not; this adds what they cannot carry.
 */
export function dnsNameChanges(before: Analyzer, after: Analyzer): DnsNameChange[] {
  const pairsOf = (analyzer: Analyzer) => new Map(namePairs(analyzer._model).map((p) => [`${p.from}\n${p.to}`, p]));
  const old = pairsOf(before);
  const now = pairsOf(after);
  const changes: DnsNameChange[] = [];
  for (const key of new Set([...now.keys(), ...old.keys()])) {
    const was = old.get(key);
    const is = now.get(key);
    if (was && is && was.allowed.isSameAs(is.allowed)) continue;
    const [from, to] = key.split('\n');
    changes.push({
      from,
      to,
      before: was ? String(was.allowed) : 'nothing',
      after: is ? String(is.allowed) : 'nothing',
      newlyAllowed: is ? String(was ? is.allowed.subtract(was.allowed) : is.allowed) : 'nothing',
    });
  }
  return changes;
}

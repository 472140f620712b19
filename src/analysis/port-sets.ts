import { CompiledPort, TierRule } from './compiled-policy';
import { ConnectionSet } from './connection-set';
import { ResolvedEndpoint } from './endpoint-resolver';

/** The part of each rule's ports that does not depend on the destination, made once per rule. */
const numberedParts = new WeakMap<TierRule, { readonly numbered: ConnectionSet; readonly named: readonly CompiledPort[] }>();

/**
 * The connections a port entry admits to the destination: every port of the
 * protocol (no port given), a port, a range (`endPort`), or a named port
 * resolved against the destination pod's container ports (name AND protocol;
 * nothing for an address outside the cluster, which has no named ports).
 */
export function portEntrySet(entry: CompiledPort, destination: ResolvedEndpoint): ConnectionSet {
  if (entry.name !== undefined) {
    if (destination.kind !== 'endpoint') return ConnectionSet.none();
    let result = ConnectionSet.none();
    for (const p of destination.endpoint.ports) {
      if (p.name === entry.name && p.protocol === entry.protocol) result = result.union(ConnectionSet.ports(p.protocol, p.port));
    }
    return result;
  }
  if (entry.port === undefined) return ConnectionSet.protocol(entry.protocol);
  return ConnectionSet.ports(entry.protocol, entry.port, entry.endPort ?? entry.port);
}

/**
 * The connections a rule's ports admit to the destination: all of them when
 * the rule has no `ports` (an empty list: none), else the union of its entries.
 */
export function rulePortSet(rule: TierRule, destination: ResolvedEndpoint): ConnectionSet {
  if (rule.ports === undefined) return ConnectionSet.all();
  let parts = numberedParts.get(rule);
  if (!parts) {
    let numbered = ConnectionSet.none();
    for (const entry of rule.ports) {
      if (entry.name === undefined) numbered = numbered.union(portEntrySet(entry, destination));
    }
    parts = { numbered, named: rule.ports.filter((entry) => entry.name !== undefined) };
    numberedParts.set(rule, parts);
  }
  let result = parts.numbered;
  for (const entry of parts.named) result = result.union(portEntrySet(entry, destination));
  return result;
}

/** Whether the rule's ports depend on the destination (it names a port). */
export function ruleHasNamedPorts(rule: TierRule): boolean {
  return rule.ports !== undefined && rule.ports.some((entry) => entry.name !== undefined);
}

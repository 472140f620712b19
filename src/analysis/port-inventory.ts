import { Protocol } from '../protocol';
import { ClusterModel } from './cluster-model';
import { allRulesOf } from './compiled-policy';
import { FlowPort } from './flow-port';

const PROTOCOL_ORDER: readonly Protocol[] = [Protocol.TCP, Protocol.UDP, Protocol.SCTP];

/**
 * Every port some container declares or some policy names, by protocol then
 * number. A range contributes its first and last port, where verdicts change;
 * a named port resolves to the container ports already listed.
 */
export function portsNamedBy(model: ClusterModel): FlowPort[] {
  const found = new Map<string, FlowPort>();
  const add = (port: number, protocol: Protocol) => found.set(`${protocol}/${port}`, { port, protocol });
  for (const endpoint of model.endpoints) {
    for (const p of endpoint.ports) add(p.port, p.protocol);
  }
  const rules = [...model.tierPolicies.flatMap(allRulesOf), ...model.clusterPolicies.flatMap((p) => [...p.ingress, ...p.egress])];
  for (const rule of rules) {
    for (const entry of rule.ports ?? []) {
      if (entry.port !== undefined) add(entry.port, entry.protocol);
      if (entry.endPort !== undefined) add(entry.endPort, entry.protocol);
    }
  }
  return sortPorts([...found.values()]);
}

/** Sorts by protocol (TCP, UDP, SCTP) then number. */
export function sortPorts(ports: readonly FlowPort[]): FlowPort[] {
  return [...ports].sort((a, b) => PROTOCOL_ORDER.indexOf(a.protocol) - PROTOCOL_ORDER.indexOf(b.protocol) || a.port - b.port);
}

/** `8080/TCP`, the notation of `--port`. */
export function formatFlowPort(port: FlowPort): string {
  return `${port.port}/${port.protocol}`;
}

import { Construct } from 'constructs';
import { GraphService, GraphServiceProps } from './graph-service';
import { ServiceCall } from './service-call';
import { HttpRule } from '../cilium/http-rule';
import { Port } from '../port';

/*
 * ServiceGraph's declaration checks (each throws a message naming the graph
 * and the declaration) and port-list helpers, apart from the class.
 */

/** A declaration needs at least one port, each a Port. */
export function assertPorts(graph: Construct, what: string, ports: Port[]): void {
  if (ports.length === 0) {
    throw new Error(`${graph.node.path}: ${what} has no ports: list them, or pass Port.allPorts() to allow every port explicitly.`);
  }
  ports.forEach((port, i) => {
    if (!(port instanceof Port)) {
      throw new Error(`${graph.node.path}: ${what}: port #${i + 1} is not a Port (${String(port)}); use Port.tcp(), Port.named(), ...`);
    }
  });
}

/**
 * A named port matches a container port of that name and the rule's protocol:
 * when the server's workload is known, a name it does not declare (with that
 * protocol) would allow nothing, so it is an error now rather than a silent gap.
 */
export function assertNamedPortsExist(what: string, server: GraphService, ports: Port[]): void {
  if (server.workload === undefined) return;
  for (const port of ports.filter((p) => p.name !== undefined)) {
    const declared = server._namedPort(port.name!);
    if (!declared || declared.protocol !== port.protocol) {
      const found = declared ? `, but it is ${declared.protocol}` : '';
      throw new Error(
        `${server.node.path}: ${what}: the named port ${port} matches no container port of ${server.endpoint}` +
        ` (a container port named "${port.name}" with protocol ${port.protocol} is needed${found}), so the call would allow nothing.`,
      );
    }
  }
}

/** Whether `props` declare the pods `service` already stands for. */
export function sameService(service: GraphService, props: GraphServiceProps): boolean {
  if (props.workload !== undefined) return service.workload === props.workload;
  return service.workload === undefined
    && String(service.pods) === String(props.pods)
    && (props.namespace === undefined || props.namespace === service.namespace);
}

/** Appends to `list` the ports it does not have yet (by text), each once. */
export function addNewPorts(list: Port[], ports: Port[]): void {
  const known = new Set(list.map((p) => p.toString()));
  list.push(...uniquePorts(ports).filter((p) => !known.has(p.toString())));
}

export function uniquePorts(ports: Port[]): Port[] {
  const seen = new Set<string>();
  return ports.filter((p) => !seen.has(p.toString()) && seen.add(p.toString()) !== undefined);
}

/**
 * An L4 allow and an L7 allow of the same pair on the same port cannot both
 * stand: Cilium lets every request through when any rule allows the port
 * without HTTP rules, so the HTTP limits would silently do nothing.
 */
export function assertNoMootHttp(graph: Construct, what: string, call: ServiceCall, ports: Port[], http: HttpRule[] | undefined): void {
  const limited = new Set((call.httpPorts ?? []).map(String));
  const open = new Set(call.ports.map(String).filter((p) => !limited.has(p)));
  const clash = ports.map(String).find((p) => (http ? open.has(p) : limited.has(p)));
  if (clash) {
    throw new Error(
      `${graph.node.path}: ${what} on ${clash}: the pair has ${http ? 'every request' : 'HTTP rules'} on that port already; ` +
      'Cilium lets every request through when a rule allows the port without HTTP rules, so the HTTP rules would do nothing. Declare the port one way.',
    );
  }
}

import { Expectation } from '../analysis/verification';
import { Port } from '../port';
import { Protocol } from '../protocol';
import { GraphService } from './graph-service';
import { ExternalCall, ServiceCall } from './service-call';
import { addressAfter, cidrContainsIp, formatIp, IpFamily, parseCidr, ParsedCidr, parseIp } from '../validation/cidr';

/** What `graphExpectations` needs from a ServiceGraph. */
export interface GraphDeclarations {
  readonly services: readonly GraphService[];
  readonly calls: readonly ServiceCall[];
  readonly externals: readonly ExternalCall[];
  /** The namespaces the graph owns. */
  readonly owned: ReadonlySet<string>;
  /** Cluster DNS as flows name it, when the graph allows DNS to a namespace given by name. */
  readonly dns?: { readonly endpoint: string };
  /** The graph's construct path, for messages. */
  readonly where: string;
  /** The CIDR of a node-local DNS cache the graph allows every owned namespace on UDP and TCP 53, if any. */
  readonly dnsCidr?: string;
  /** What the declarations say that the proof does not cover yet, a line each. */
  readonly notCovered: readonly string[];
}

/** A declared port as numbers: `protocols` on `from`..`to`. */
export interface PortSpan {
  readonly protocols: readonly Protocol[];
  readonly from: number;
  readonly to: number;
}

/** A port the expectations test: both ends of every declared port or range, and the ports just outside them. */
interface Probe {
  readonly port: number;
  readonly protocol: Protocol;
}

const ALL_PROTOCOLS: readonly Protocol[] = [Protocol.TCP, Protocol.UDP, Protocol.SCTP];
export const DNS_SPAN: PortSpan = { protocols: [Protocol.UDP, Protocol.TCP], from: 53, to: 53 };
const HTTPS_SPAN: PortSpan = { protocols: [Protocol.TCP], from: 443, to: 443 };
/** Addresses every external dependency is also probed with: public (documentation ranges), metadata, private. */
const INTERNET_PROBES: Record<IpFamily, string[]> = {
  4: ['203.0.113.10', '169.254.169.254', '10.0.0.1'],
  6: ['2001:db8::10', 'fd00:ec2::254', 'fe80::1'],
};

/**
 * The expectations of a service graph: declared calls allowed, every other
 * pair of services denied on every declared port, DNS allowed, and external
 * dependencies allowed exactly on their addresses and ports.
 */
export function graphExpectations(graph: GraphDeclarations): Expectation[] {
  const spansByPair = new Map<string, PortSpan[]>();
  for (const call of graph.calls) {
    const key = pairKey(call.client, call.server);
    const spans = call.ports.map((port) => spanOf(port, call, graph.where));
    spansByPair.set(key, [...(spansByPair.get(key) ?? []), ...spans]);
  }
  const callSpans = [...spansByPair.values()].flat();
  const probes = probesOf(callSpans);

  const expectations: Expectation[] = [];
  for (const client of graph.services) {
    for (const server of graph.services) {
      const governed = graph.owned.has(client.namespace) || graph.owned.has(server.namespace);
      // A single Pod talking to itself is loopback, which no policy governs.
      if (!governed || (client === server && client._isSinglePod)) continue;
      const declared = spansByPair.get(pairKey(client, server)) ?? [];
      // DNS declared as a service: every pod of an owned namespace may also reach it on 53.
      const spans = server.endpoint === graph.dns?.endpoint && graph.owned.has(client.namespace) ? [...declared, DNS_SPAN] : declared;
      for (const probe of probes) {
        expectations.push({ from: client.endpoint, to: server.endpoint, ...probe, allowed: covers(spans, probe) });
      }
    }
  }
  const ownedServices = graph.services.filter((s) => graph.owned.has(s.namespace));
  // DNS declared as a service is already among the pairs.
  if (graph.dns && !graph.services.some((s) => s.endpoint === graph.dns!.endpoint)) {
    // UDP and TCP 53 allowed; every other probe (and TCP 54, next door) denied.
    const dnsProbes = probesOf([...callSpans, DNS_SPAN, { protocols: [Protocol.TCP], from: 54, to: 54 }]);
    for (const service of ownedServices) {
      for (const probe of dnsProbes) {
        expectations.push({ from: service.endpoint, to: graph.dns.endpoint, ...probe, allowed: covers([DNS_SPAN], probe) });
      }
    }
  }
  expectations.push(...externalExpectations(graph.externals, ownedServices, callSpans, graph.where));
  return expectations;
}

/**
 * Every service of an owned namespace, to the addresses of every external
 * dependency (and a public, a metadata and a private address, declared or
 * not), on the external and call ports and HTTPS: allowed exactly where one
 * of its own external dependencies reaches.
 */
function externalExpectations(
  externals: readonly ExternalCall[],
  clients: readonly GraphService[],
  callSpans: readonly PortSpan[],
  where: string,
): Expectation[] {
  const addresses = externalProbeAddresses(externals);
  // Each dependency's ports and CIDRs once, not once per client, address and probe.
  const resolved = externals.map((e) => ({
    client: e.client,
    spans: e.ports.map((port) => spanOf(port, undefined, where)),
    cidrs: e.cidrs.map(parsed),
    except: e.except.map(parsed),
  }));
  const probes = probesOf([...resolved.flatMap((e) => e.spans), ...callSpans, HTTPS_SPAN]);
  const expectations: Expectation[] = [];
  for (const client of clients) {
    const mine = resolved.filter((e) => e.client === client);
    for (const address of addresses) {
      const reaching = mine.filter((e) => reaches(e.cidrs, e.except, address));
      for (const probe of probes) {
        expectations.push({ from: client.endpoint, to: `ip:${address.text}`, ...probe, allowed: reaching.some((e) => covers(e.spans, probe)) });
      }
    }
  }
  return expectations;
}

interface ProbeAddress {
  readonly family: IpFamily;
  readonly value: bigint;
  readonly text: string;
}

/**
 * The IPv4 internet probes (IPv6 too when a dependency is IPv6), the first
 * address of every CIDR and except, and the first one past each CIDR.
 */
function externalProbeAddresses(externals: readonly ExternalCall[]): ProbeAddress[] {
  const found = new Map<string, ProbeAddress>();
  const add = (family: IpFamily, value: bigint): void => {
    const text = formatIp(family, value);
    if (!found.has(text)) found.set(text, { family, value, text });
  };
  const cidrs = externals.flatMap((e) => [...e.cidrs, ...e.except]).map(parsed);
  const families: IpFamily[] = cidrs.some((c) => c.family === 6) ? [4, 6] : [4];
  for (const family of families) {
    INTERNET_PROBES[family].map((a) => parseIp(a)!).forEach((ip) => add(ip.family, ip.value));
  }
  for (const cidr of cidrs.filter((c) => c.prefix > 0)) {
    add(cidr.family, cidr.network);
    const next = addressAfter(cidr);
    if (next !== undefined) add(cidr.family, next);
  }
  return [...found.values()];
}

function reaches(cidrs: readonly ParsedCidr[], except: readonly ParsedCidr[], address: ProbeAddress): boolean {
  const inside = (cidr: ParsedCidr) => cidrContainsIp(cidr, address.family, address.value);
  return cidrs.some(inside) && !except.some(inside);
}

export function spanOf(port: Port, call: ServiceCall | undefined, where: string): PortSpan {
  if (port.isAllPorts) return { protocols: ALL_PROTOCOLS, from: 1, to: 65535 };
  const protocol = port.protocol ?? Protocol.TCP;
  if (port.name !== undefined) {
    const resolved = call?.server._namedPort(port.name);
    if (!resolved) {
      throw new Error(
        `${where}: expectations() cannot resolve the named port "${port.name}" of ${call ? `${call.client.node.id} -> ${call.server.node.id}` : 'an external call'}: ` +
        'no container of the server\'s cdk8s-plus workload declares it. Declare the service from its workload, or use a port number.',
      );
    }
    // A named port matches a container port of that name AND the rule's protocol (allow() checks it).
    if (resolved.protocol !== protocol) {
      throw new Error(`${where}: expectations(): the named port ${port} of ${call!.client.node.id} -> ${call!.server.node.id} is ${resolved.protocol} on the container; the call matches no port.`);
    }
    return { protocols: [protocol], from: resolved.number, to: resolved.number };
  }
  if (port.portNumber === undefined) return { protocols: [protocol], from: 1, to: 65535 };
  return { protocols: [protocol], from: port.portNumber, to: port.endPort ?? port.portNumber };
}

/** Both ends of every span, and the ports just outside them (a span widened by one shows). */
function probesOf(spans: readonly PortSpan[]): Probe[] {
  const found = new Map<string, Probe>();
  for (const span of spans) {
    const ports = [span.from - 1, span.from, span.to, span.to + 1].filter((p) => p >= 1 && p <= 65535);
    for (const protocol of span.protocols) {
      for (const port of ports) {
        found.set(`${protocol}/${port}`, { port, protocol });
      }
    }
  }
  return [...found.values()].sort((a, b) => (a.protocol === b.protocol ? a.port - b.port : a.protocol < b.protocol ? -1 : 1));
}

function covers(spans: readonly PortSpan[], probe: Probe): boolean {
  return spans.some((s) => s.protocols.includes(probe.protocol) && s.from <= probe.port && probe.port <= s.to);
}

export function pairKey(client: GraphService, server: GraphService): string {
  return `${client.node.id}\u0000${server.node.id}`;
}

export function parsed(text: string): ParsedCidr {
  const { cidr, problem } = parseCidr(text);
  if (!cidr) throw new Error(`Invalid CIDR "${text}": ${problem}`);
  return cidr;
}

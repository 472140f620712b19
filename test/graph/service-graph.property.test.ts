import { App, Chart } from 'cdk8s';
import * as kplus from 'cdk8s-plus-28';
import * as fc from 'fast-check';
import { ConnectionSet, GraphService, GraphVerificationReport, LabelExpression, Port, Protocol, Selector, ServiceGraph } from '../../src';
import { Analyzer } from '../../src/analysis/analyzer';
import { parseAddress } from '../support/address';
import { assertValidNetworkPolicy } from '../support/synth';

/*
 * Random service graphs: the synthesized policies must allow exactly the declared calls.
 *
 * Three checks per graph:
 * - graph.verify() finds no failure, and its report is the model's, computed from the generated declarations
 *   alone: every pair with an owned side, with the union of its declared ports as the connection set; DNS
 *   from every owned service; for every owned service, the IPv4 ranges (split at the CIDR edges, merged
 *   where the ports are the same) on which its external dependencies allow something, and nothing else;
 * - every expectation of expectations() agrees with the same model; the ports the pairs are probed on are the model's;
 * - independently of expectations(), the analyzer over the synthesized manifests (plus stand-ins
 *   written here) agrees with the model, for every ordered pair of services on every declared port,
 *   just outside every declared port and range, and on an undeclared port; for DNS on those ports; and
 *   for external addresses inside, just past and outside each declared CIDR.
 *
 * Services are declared from a Deployment, by labels (`app=<id>`), or by an expression
 * (`app in (<id>, <id>-alt)`: disjoint value sets); the stand-ins written here for the latter carry
 * `<id>-alt`, the value verify()'s own stand-ins do not use.
 */

type ProtocolName = 'TCP' | 'UDP' | 'SCTP';
type ServiceKind = 'workload' | 'labels' | 'expressions';

interface PortSpec {
  readonly protocol: ProtocolName;
  readonly port: number;
  /** Inclusive end of a range. */
  readonly end?: number;
}

interface CallSpec {
  readonly client: number;
  readonly server: number;
  readonly ports: PortSpec[];
}

interface ExternalSpec {
  readonly client: number;
  /** An index into CIDRS, or 'internet' for allowExternalHttps(). */
  readonly target: number | 'internet';
  readonly ports: number[];
}

interface GraphSpec {
  readonly namespaceCount: number;
  readonly ownedCount: number;
  readonly allowDns: boolean;
  readonly services: Array<{ readonly namespace: number; readonly kind: ServiceKind }>;
  readonly calls: CallSpec[];
  readonly externals: ExternalSpec[];
}

const NAMESPACES = ['ns-a', 'ns-b', 'ns-c'];
const PORTS = [80, 443, 5432, 8080, 9090];
const RANGE_STARTS = [30000, 30100];
/** A port no call ever declares. */
const UNDECLARED = 12345;
const CIDRS = ['10.20.0.0/16', '192.0.2.0/24', '198.51.100.0/28'];
/** Addresses to probe for each CIDR: its first address, and the first address past it. */
const CIDR_PROBES: Record<string, [string, string]> = {
  '10.20.0.0/16': ['10.20.0.0', '10.21.0.0'],
  '192.0.2.0/24': ['192.0.2.0', '192.0.3.0'],
  '198.51.100.0/28': ['198.51.100.0', '198.51.100.16'],
};
/** Public, cloud metadata, private. */
const INTERNET_PROBES = ['203.0.113.10', '169.254.169.254', '10.0.0.1'];
const NON_PUBLIC = ['10.0.0.0/8', '172.16.0.0/12', '192.168.0.0/16', '169.254.0.0/16', '100.64.0.0/10'];
/** The first address of each non-public range, and the first one past it. */
const NON_PUBLIC_PROBES = ['10.0.0.0', '11.0.0.0', '172.16.0.0', '172.32.0.0', '192.168.0.0', '192.169.0.0', '169.254.0.0', '169.255.0.0', '100.64.0.0', '100.128.0.0'];
const EXTERNAL_PORTS = [443, 5432, 8443];

// ---------------------------------------------------------------------------
// Arbitraries

const protocolArb = fc.constantFrom<ProtocolName>('TCP', 'TCP', 'UDP', 'SCTP');
const portSpecArb: fc.Arbitrary<PortSpec> = fc.oneof(
  { weight: 5, arbitrary: fc.record({ protocol: protocolArb, port: fc.constantFrom(...PORTS) }) },
  {
    weight: 1,
    arbitrary: fc.record({ protocol: protocolArb, port: fc.constantFrom(...RANGE_STARTS), length: fc.integer({ min: 1, max: 20 }) })
      .map(({ protocol, port, length }) => ({ protocol, port, end: port + length })),
  },
);

const graphSpecArb: fc.Arbitrary<GraphSpec> = fc.integer({ min: 2, max: 3 }).chain((namespaceCount) =>
  fc.integer({ min: 1, max: 2 }).chain((ownedCount) =>
    fc.array(fc.record({
      namespace: fc.integer({ min: 0, max: namespaceCount - 1 }),
      kind: fc.constantFrom<ServiceKind>('workload', 'labels', 'expressions'),
    }), { minLength: 2, maxLength: 6 })
      .chain((services) => {
        const index = fc.integer({ min: 0, max: services.length - 1 });
        const call = fc.record({ client: index, server: index, ports: fc.array(portSpecArb, { minLength: 1, maxLength: 3 }) });
        const external = fc.record({
          client: index,
          target: fc.oneof(fc.constant<'internet'>('internet'), fc.integer({ min: 0, max: CIDRS.length - 1 })),
          ports: fc.array(fc.constantFrom(...EXTERNAL_PORTS), { minLength: 1, maxLength: 2 }),
        });
        return fc.record({
          namespaceCount: fc.constant(namespaceCount),
          ownedCount: fc.constant(ownedCount),
          allowDns: fc.boolean(),
          services: fc.constant(services),
          // pairs repeat often with up to 3 services: repeated calls add ports
          calls: fc.array(call, { minLength: 1, maxLength: 8 }),
          externals: fc.array(external, { maxLength: 2 }),
        });
      })));

// ---------------------------------------------------------------------------
// Building the graph from a spec

interface Built {
  readonly app: App;
  readonly graph: ServiceGraph;
  readonly services: GraphService[];
  /** The calls the graph accepted (both sides not foreign). */
  readonly calls: CallSpec[];
  /** The external calls the graph accepted, with internet ports fixed to 443 by default when none given. */
  readonly externals: ExternalSpec[];
  readonly owned: Set<string>;
}

const PROTOCOLS: Record<ProtocolName, Protocol> = { TCP: Protocol.TCP, UDP: Protocol.UDP, SCTP: Protocol.SCTP };

function toPort(spec: PortSpec): Port {
  const protocol = PROTOCOLS[spec.protocol];
  return spec.end === undefined ? Port.number(protocol, spec.port) : Port.range(protocol, spec.port, spec.end);
}

function build(spec: GraphSpec): Built {
  const app = new App();
  const chart = new Chart(app, 'mesh', { namespace: NAMESPACES[0] });
  const namespaces = NAMESPACES.slice(0, spec.namespaceCount);
  const owned = new Set(namespaces.slice(0, Math.min(spec.ownedCount, spec.namespaceCount)));
  const graph = new ServiceGraph(chart, 'g', { namespaces: [...owned], allowDns: spec.allowDns });
  const services = spec.services.map((s, i) => {
    const id = `svc${i}`;
    const namespace = namespaces[s.namespace];
    if (s.kind === 'workload') {
      const deployment = new kplus.Deployment(chart, id, {
        metadata: { name: id, namespace },
        podMetadata: { labels: { app: id } },
        containers: [{ image: `example.com/${id}` }],
      });
      return graph.addService(id, { workload: deployment });
    }
    if (s.kind === 'expressions') {
      return graph.addService(id, { pods: Selector.expressions([LabelExpression.in('app', [id, `${id}-alt`])]), namespace });
    }
    return graph.addService(id, { pods: Selector.labels({ app: id }), namespace });
  });

  const calls: CallSpec[] = [];
  for (const call of spec.calls) {
    const client = services[call.client];
    const server = services[call.server];
    const ports = call.ports.map(toPort);
    if (!owned.has(client.namespace) && !owned.has(server.namespace)) {
      expect(() => graph.allow(client, server, ...ports)).toThrow(/the graph owns neither/);
      continue;
    }
    graph.allow(client, server, ...ports);
    calls.push(call);
  }

  const externals: ExternalSpec[] = [];
  const internetDone = new Set<number>();
  for (const external of spec.externals) {
    const client = services[external.client];
    if (!owned.has(client.namespace)) {
      expect(() => graph.allowExternalHttps(client)).toThrow(/which the graph does not own/);
      continue;
    }
    if (external.target === 'internet') {
      if (internetDone.has(external.client)) continue; // once per service, with the default options
      internetDone.add(external.client);
      graph.allowExternalHttps(client);
      externals.push({ ...external, ports: [443] });
    } else {
      graph.allowCidr(client, CIDRS[external.target], ...external.ports.map((p) => Port.tcp(p)));
      externals.push(external);
    }
  }
  return { app, graph, services, calls, externals, owned };
}

// ---------------------------------------------------------------------------
// The model: computed from the generated declarations only

function covers(port: PortSpec, protocol: ProtocolName, number: number): boolean {
  return port.protocol === protocol && port.port <= number && number <= (port.end ?? port.port);
}

/** Whether client -> server on protocol/port is allowed, per the declarations. */
function modelAllows(built: Built, client: number, server: number, protocol: ProtocolName, port: number): boolean {
  const declared = built.calls.some((c) => c.client === client && c.server === server && c.ports.some((p) => covers(p, protocol, port)));
  // A foreign namespace has no policy at all: its side lets everything through.
  const egress = !built.owned.has(built.services[client].namespace) || declared;
  const ingress = !built.owned.has(built.services[server].namespace) || declared;
  return egress && ingress;
}

function ipv4(text: string): number {
  return text.split('.').reduce((n, octet) => n * 256 + Number(octet), 0);
}

function inCidr(address: string, cidr: string): boolean {
  const [network, prefix] = cidr.split('/');
  const size = 2 ** (32 - Number(prefix));
  return Math.floor(ipv4(address) / size) === Math.floor(ipv4(network) / size);
}

function modelAllowsExternal(built: Built, client: number, address: string, protocol: ProtocolName, port: number): boolean {
  if (!built.owned.has(built.services[client].namespace)) return true;
  return protocol === 'TCP' && built.externals.some((e) => e.client === client && e.ports.includes(port) && (e.target === 'internet'
    ? !NON_PUBLIC.some((c) => inCidr(address, c))
    : inCidr(address, CIDRS[e.target])));
}

/** The declared set of a pair: the union of its calls' ports, as a connection set. */
function modelSet(built: Built, client: number, server: number): ConnectionSet {
  return built.calls.filter((c) => c.client === client && c.server === server).flatMap((c) => c.ports)
    .map((p) => ConnectionSet.ports(PROTOCOLS[p.protocol], p.port, p.end ?? p.port))
    .reduce((a, b) => a.union(b), ConnectionSet.none());
}

/** An IPv4 CIDR as its first and one-past-last address. */
function bounds(cidr: string): [number, number] {
  const [network, prefix] = cidr.split('/');
  return [ipv4(network), ipv4(network) + 2 ** (32 - Number(prefix))];
}

/**
 * What the model says a client may open outside the cluster: IPv4 split at every edge of the non-public
 * ranges and the CIDRs, each piece with the union of the ports of the dependencies holding it, adjacent
 * pieces with the same ports merged; `first-last` as numbers, with the ports as text.
 */
function modelRanges(built: Built, client: number): string[] {
  const edges = new Set([0, 2 ** 32]);
  for (const cidr of [...NON_PUBLIC, ...CIDRS]) bounds(cidr).forEach((edge) => edges.add(edge));
  const sorted = [...edges].sort((a, b) => a - b);
  const runs: Array<{ first: number; last: number; ports: string }> = [];
  for (let i = 0; i + 1 < sorted.length; i++) {
    const address = sorted[i];
    const holds = (cidr: string) => bounds(cidr)[0] <= address && address < bounds(cidr)[1];
    const ports = built.externals
      .filter((e) => e.client === client && (e.target === 'internet' ? !NON_PUBLIC.some(holds) : holds(CIDRS[e.target])))
      .flatMap((e) => e.ports)
      .reduce((set, port) => set.union(ConnectionSet.ports(Protocol.TCP, port)), ConnectionSet.none());
    const last = runs[runs.length - 1];
    if (last && last.last + 1 === address && last.ports === String(ports)) last.last = sorted[i + 1] - 1;
    else if (!ports.isEmpty) runs.push({ first: address, last: sorted[i + 1] - 1, ports: String(ports) });
  }
  return runs.map((r) => `${r.first}-${r.last} ${r.ports}`);
}

/** The model's report: every pair with an owned side, DNS, and each owned service's outside ranges, as text. */
function modelReport(built: Built, spec: GraphSpec): string[] {
  const owned = (i: number) => built.owned.has(built.services[i].namespace);
  const lines: string[] = [];
  built.services.forEach((client, i) => built.services.forEach((server, j) => {
    if (owned(i) || owned(j)) lines.push(`${client.endpoint} -> ${server.endpoint} ${modelSet(built, i, j)}`);
  }));
  built.services.forEach((client, i) => {
    if (!owned(i)) return;
    if (spec.allowDns) lines.push(`${client.endpoint} -> kube-system/coredns TCP 53, UDP 53`);
    lines.push(...modelRanges(built, i).map((range) => `${client.endpoint} -> ${range}`));
  });
  return lines.sort();
}

/** verify()'s report in the model's terms: each address range read back as numbers (IPv4 only: none is IPv6). */
function reportLines(report: GraphVerificationReport): string[] {
  const end = (text: string) => {
    if (!text.startsWith('ip:')) return text;
    const [first, last] = text.slice(3).split('-').map(parseAddress);
    expect([first.family, (last ?? first).family]).toEqual([4, 4]);
    return `${first.value}-${(last ?? first).value}`;
  };
  return report.results.map((r) => `${end(r.from)} -> ${end(r.to)} ${r.declared}`).sort();
}

/** Deployments for the services declared by labels or expressions, and for kube-dns: written here, not by the library. */
function standIns(built: Built, spec: GraphSpec): any[] {
  const deployment = (namespace: string, name: string, labels: Record<string, string>) => ({
    apiVersion: 'apps/v1',
    kind: 'Deployment',
    metadata: { name, namespace },
    spec: { selector: { matchLabels: labels }, template: { metadata: { labels }, spec: { containers: [{ name, image: name }] } } },
  });
  return [
    ...built.services.flatMap((s, i) => (s.workload !== undefined ? [] : [deployment(s.namespace, s.name, {
      app: spec.services[i].kind === 'expressions' ? `${s.node.id}-alt` : s.node.id,
    })])),
    deployment('kube-system', 'kube-dns', { 'k8s-app': 'kube-dns' }),
  ];
}

/** Every declared port and both ends of every range, and the port just outside each. */
function declaredProbes(calls: CallSpec[]): Map<string, [ProtocolName, number]> {
  const found = new Map<string, [ProtocolName, number]>();
  for (const port of calls.flatMap((c) => c.ports)) {
    for (const number of [port.port - 1, port.port, port.end ?? port.port, (port.end ?? port.port) + 1]) {
      found.set(`${port.protocol}/${number}`, [port.protocol, number]);
    }
  }
  return found;
}

/** Every (protocol, port) worth probing: the declared probes, and an undeclared port. */
function probes(calls: CallSpec[]): Array<[ProtocolName, number]> {
  return [...declaredProbes(calls).values(), ['TCP', UNDECLARED]];
}

// ---------------------------------------------------------------------------

test('random graphs allow exactly their declared calls', () => {
  fc.assert(
    fc.property(graphSpecArb, (spec) => {
      const built = build(spec);
      const { graph, services } = built;

      // the graph's own proof: allowed equals declared everywhere, and what is declared is the model's, pair by pair
      // and range by range (no pair missing, none extra; outside, only the dependencies' ranges, none coming in)
      const report = graph.verify();
      expect(report.results.filter((r) => !r.ok)).toEqual([]);
      expect(report).toMatchObject({ passed: report.results.length, failed: 0 });
      expect(reportLines(report)).toEqual(modelReport(built, spec));
      const expectations = graph.expectations();

      // expectations() agree with the model on every flow they state: pairs, DNS and external
      const indexOf = new Map(services.map((s, i) => [s.endpoint, i]));
      const pairProbes = new Set<string>();
      const disagreements: string[] = [];
      for (const e of expectations) {
        const client = indexOf.get(e.from)!;
        const server = indexOf.get(e.to);
        const protocol = e.protocol as ProtocolName;
        const flow = `${e.from} -> ${e.to} ${e.protocol}/${e.port}`;
        const owned = built.owned.has(services[client].namespace);
        let model: boolean;
        if (server !== undefined) {
          pairProbes.add(`${protocol}/${e.port}`);
          model = modelAllows(built, client, server, protocol, e.port!);
        } else if (e.to === 'kube-system/coredns' && spec.allowDns && owned) {
          model = e.port === 53 && protocol !== 'SCTP';
        } else if (e.to.startsWith('ip:') && owned) {
          model = modelAllowsExternal(built, client, e.to.slice(3), protocol, e.port!);
        } else {
          // DNS and external expectations only from the services of owned namespaces, DNS only when allowed
          disagreements.push(`${flow}: not a flow the graph states`);
          continue;
        }
        if (e.allowed !== model) disagreements.push(`${flow} allowed: ${e.allowed}, model: ${model}`);
      }
      expect(disagreements).toEqual([]);
      // the pairs are probed on exactly the declared probes
      expect([...pairProbes].sort()).toEqual([...declaredProbes(built.calls).keys()].sort());
      // every owned service is probed with the internet addresses and each declared CIDR's, on each external port
      const stated = new Set(expectations.map((e) => `${e.from} -> ${e.to} ${e.protocol}/${e.port}`));
      const missing: string[] = [];
      const cidrProbes = built.externals.flatMap((e) => (e.target === 'internet' ? NON_PUBLIC_PROBES : CIDR_PROBES[CIDRS[e.target]]));
      const externalPorts = [443, ...built.externals.flatMap((e) => e.ports)];
      for (const client of services.filter((s) => built.owned.has(s.namespace))) {
        for (const address of [...INTERNET_PROBES, ...cidrProbes]) {
          for (const port of externalPorts) {
            const flow = `${client.endpoint} -> ip:${address} TCP/${port}`;
            if (!stated.has(flow)) missing.push(flow);
          }
        }
      }
      expect(missing).toEqual([]);

      // the analyzer over the synthesized manifests agrees with the model
      const manifests = built.app.charts.flatMap((c) => c.toJson());
      manifests.forEach(assertValidNetworkPolicy);
      expect(manifests.filter((m) => m.kind === 'NetworkPolicy').every((m) => built.owned.has(m.metadata.namespace))).toBe(true);
      const analyzer = Analyzer.fromManifests([...manifests, ...standIns(built, spec)]);
      const verdicts: string[] = [];
      const expected: string[] = [];
      const record = (flow: string, actual: boolean, model: boolean) => {
        verdicts.push(`${flow} ${actual}`);
        expected.push(`${flow} ${model}`);
      };
      for (const [protocol, port] of probes(built.calls)) {
        services.forEach((client, i) => services.forEach((server, j) => {
          const flow = { from: client.endpoint, to: server.endpoint, port, protocol: PROTOCOLS[protocol] };
          record(`${flow.from} -> ${flow.to} ${protocol}/${port}`, analyzer.isAllowed(flow), modelAllows(built, i, j, protocol, port));
        }));
      }
      services.forEach((client, i) => {
        const owned = built.owned.has(client.namespace);
        const dnsProbes: Array<[ProtocolName, number]> = [['UDP', 53], ['TCP', 53], ['TCP', 54], ['SCTP', 53], ...probes(built.calls)];
        for (const [protocol, port] of dnsProbes) {
          const flow = { from: client.endpoint, to: 'kube-system/kube-dns', port, protocol: PROTOCOLS[protocol] };
          record(`${flow.from} -> dns ${protocol}/${port}`, analyzer.isAllowed(flow), !owned || (spec.allowDns && port === 53 && protocol !== 'SCTP'));
        }
        for (const address of [...INTERNET_PROBES, ...Object.values(CIDR_PROBES).flat()]) {
          for (const port of EXTERNAL_PORTS) {
            const flow = { from: client.endpoint, to: `ip:${address}`, port };
            record(`${flow.from} -> ${flow.to} TCP/${port}`, analyzer.isAllowed(flow), modelAllowsExternal(built, i, address, 'TCP', port));
          }
        }
      });
      expect(verdicts).toEqual(expected);
    }),
    { seed: 20250611, numRuns: 40 },
  );
});

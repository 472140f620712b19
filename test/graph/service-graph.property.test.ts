import { App, Chart } from 'cdk8s';
import * as kplus from 'cdk8s-plus-28';
import * as fc from 'fast-check';
import { GraphService, Port, Protocol, Selector, ServiceGraph } from '../../src';
import { Analyzer } from '../../src/analysis/analyzer';
import { assertValidNetworkPolicy } from '../support/synth';

/*
 * Random service graphs: the synthesized policies must allow exactly the declared calls.
 *
 * Two checks per graph:
 * - graph.verify() finds no failure (the graph's own expectations);
 * - independently of expectations(), the analyzer over the synthesized manifests (plus stand-ins
 *   written here) agrees with a model computed from the generated calls alone, for every ordered pair
 *   of services on every declared port, just outside every declared range, and on an undeclared port;
 *   for DNS; and for external addresses inside, just past and outside each declared CIDR.
 */

type ProtocolName = 'TCP' | 'UDP';

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
  readonly services: Array<{ readonly namespace: number; readonly workload: boolean }>;
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
const EXTERNAL_PORTS = [443, 5432, 8443];

// ---------------------------------------------------------------------------
// Arbitraries

const portSpecArb: fc.Arbitrary<PortSpec> = fc.oneof(
  { weight: 5, arbitrary: fc.record({ protocol: fc.constantFrom<ProtocolName>('TCP', 'UDP'), port: fc.constantFrom(...PORTS) }) },
  {
    weight: 1,
    arbitrary: fc.record({ protocol: fc.constantFrom<ProtocolName>('TCP', 'UDP'), port: fc.constantFrom(...RANGE_STARTS), length: fc.integer({ min: 1, max: 20 }) })
      .map(({ protocol, port, length }) => ({ protocol, port, end: port + length })),
  },
);

const graphSpecArb: fc.Arbitrary<GraphSpec> = fc.integer({ min: 2, max: 3 }).chain((namespaceCount) =>
  fc.integer({ min: 1, max: 2 }).chain((ownedCount) =>
    fc.array(fc.record({ namespace: fc.integer({ min: 0, max: namespaceCount - 1 }), workload: fc.boolean() }), { minLength: 2, maxLength: 6 })
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

function toPort(spec: PortSpec): Port {
  const protocol = spec.protocol === 'TCP' ? Protocol.TCP : Protocol.UDP;
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
    if (s.workload) {
      const deployment = new kplus.Deployment(chart, id, {
        metadata: { name: id, namespace },
        podMetadata: { labels: { app: id } },
        containers: [{ image: `example.com/${id}` }],
      });
      return graph.addService(id, { workload: deployment });
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

function modelAllowsExternal(built: Built, client: number, address: string, port: number): boolean {
  if (!built.owned.has(built.services[client].namespace)) return true;
  return built.externals.some((e) => e.client === client && e.ports.includes(port) && (e.target === 'internet'
    ? !NON_PUBLIC.some((c) => inCidr(address, c))
    : inCidr(address, CIDRS[e.target])));
}

/** Deployments for the services declared by labels, and for kube-dns: written here, not by the library. */
function standIns(built: Built): any[] {
  const deployment = (namespace: string, name: string, labels: Record<string, string>) => ({
    apiVersion: 'apps/v1',
    kind: 'Deployment',
    metadata: { name, namespace },
    spec: { selector: { matchLabels: labels }, template: { metadata: { labels }, spec: { containers: [{ name, image: name }] } } },
  });
  return [
    ...built.services.filter((s) => s.workload === undefined).map((s) => deployment(s.namespace, s.name, { app: s.node.id })),
    deployment('kube-system', 'kube-dns', { 'k8s-app': 'kube-dns' }),
  ];
}

/** Every (protocol, port) worth probing: declared ports, both ends of ranges and just outside them, and an undeclared port. */
function probes(calls: CallSpec[]): Array<[ProtocolName, number]> {
  const found = new Map<string, [ProtocolName, number]>();
  const add = (protocol: ProtocolName, port: number) => found.set(`${protocol}/${port}`, [protocol, port]);
  for (const port of calls.flatMap((c) => c.ports)) {
    add(port.protocol, port.port);
    if (port.end !== undefined) {
      add(port.protocol, port.end);
      add(port.protocol, port.port - 1);
      add(port.protocol, port.end + 1);
    }
  }
  add('TCP', UNDECLARED);
  return [...found.values()];
}

// ---------------------------------------------------------------------------

test('random graphs allow exactly their declared calls', () => {
  fc.assert(
    fc.property(graphSpecArb, (spec) => {
      const built = build(spec);
      const { graph, services } = built;

      // the graph's own proof
      const report = graph.verify();
      expect(report.results.filter((r) => !r.ok)).toEqual([]);
      expect(report.passed).toBe(graph.expectations().length);

      // expectations() agree with the model on every service pair they state
      const indexOf = new Map(services.map((s, i) => [s.endpoint, i]));
      for (const e of graph.expectations()) {
        const client = indexOf.get(e.from);
        const server = indexOf.get(e.to);
        if (client === undefined || server === undefined) continue;
        const model = modelAllows(built, client, server, e.protocol as ProtocolName, e.port);
        expect(`${e.from} -> ${e.to} ${e.protocol}/${e.port} ${e.allowed}`).toBe(`${e.from} -> ${e.to} ${e.protocol}/${e.port} ${model}`);
      }

      // the analyzer over the synthesized manifests agrees with the model
      const manifests = built.app.charts.flatMap((c) => c.toJson());
      manifests.forEach(assertValidNetworkPolicy);
      expect(manifests.filter((m) => m.kind === 'NetworkPolicy').every((m) => built.owned.has(m.metadata.namespace))).toBe(true);
      const analyzer = Analyzer.fromManifests([...manifests, ...standIns(built)]);
      const verdicts: string[] = [];
      const expected: string[] = [];
      const record = (flow: string, actual: boolean, model: boolean) => {
        verdicts.push(`${flow} ${actual}`);
        expected.push(`${flow} ${model}`);
      };
      for (const [protocol, port] of probes(built.calls)) {
        services.forEach((client, i) => services.forEach((server, j) => {
          const flow = { from: client.endpoint, to: server.endpoint, port, protocol: protocol as Protocol };
          record(`${flow.from} -> ${flow.to} ${protocol}/${port}`, analyzer.isAllowed(flow), modelAllows(built, i, j, protocol, port));
        }));
      }
      services.forEach((client, i) => {
        const owned = built.owned.has(client.namespace);
        for (const [protocol, port] of [['UDP', 53], ['TCP', 53], ['TCP', 54]] as Array<[ProtocolName, number]>) {
          const flow = { from: client.endpoint, to: 'kube-system/kube-dns', port, protocol: protocol as Protocol };
          record(`${flow.from} -> dns ${protocol}/${port}`, analyzer.isAllowed(flow), !owned || (spec.allowDns && port === 53));
        }
        for (const address of [...INTERNET_PROBES, ...Object.values(CIDR_PROBES).flat()]) {
          for (const port of EXTERNAL_PORTS) {
            const flow = { from: client.endpoint, to: `ip:${address}`, port };
            record(`${flow.from} -> ${flow.to} TCP/${port}`, analyzer.isAllowed(flow), modelAllowsExternal(built, i, address, port));
          }
        }
      });
      expect(verdicts).toEqual(expected);
    }),
    { seed: 20250611, numRuns: 40 },
  );
});

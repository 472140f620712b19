import { DNS_SPAN, GraphDeclarations, pairKey, parsed, PortSpan, spanOf } from './graph-expectations';
import { GraphPairResult, GraphVerificationReport } from './graph-verification-report';
import { AddressRange, formatAddressRange } from '../analysis/address-range';
import { Analyzer } from '../analysis/analyzer';
import { ConnectionSet } from '../analysis/connection-set';
import { addressSegments, ipBlockEdges, mergeSegments } from '../analysis/connectivity';
import { formatIp, cidrContainsIp, ParsedCidr } from '../validation/cidr';

/**
 * Compares, as exact connection sets, what the graph declares with what the
 * analyzer finds in the synthesized manifests: between every two services
 * (one of them owned), every port of every protocol; to and from outside the
 * cluster, every address, split at every CIDR edge of the declarations and
 * of the policies, so nothing is sampled.
 */
export function verifyGraph(graph: GraphDeclarations, analyzer: Analyzer): GraphVerificationReport {
  const results: GraphPairResult[] = [];
  const compare = (from: string, to: string, declared: ConnectionSet, actual: ConnectionSet, why: () => string) => {
    const ok = declared.isSameAs(actual);
    results.push({ from, to, declared, actual, ok, reason: describe(declared, actual, why) });
  };

  const declaredByPair = new Map<string, ConnectionSet>();
  for (const call of graph.calls) {
    const key = pairKey(call.client, call.server);
    const ports = call.ports.map((port) => setOf(spanOf(port, call, graph.where)));
    declaredByPair.set(key, ports.reduce((a, b) => a.union(b), declaredByPair.get(key) ?? ConnectionSet.none()));
  }
  const dnsPorts = setOf(DNS_SPAN);
  for (const client of graph.services) {
    for (const server of graph.services) {
      if (!(graph.owned.has(client.namespace) || graph.owned.has(server.namespace))) continue;
      if (client === server && client._isSinglePod) continue;
      let declared = declaredByPair.get(pairKey(client, server)) ?? ConnectionSet.none();
      // DNS declared as a service: every pod of an owned namespace may also reach it on 53.
      if (server.endpoint === graph.dns?.endpoint && graph.owned.has(client.namespace)) declared = declared.union(dnsPorts);
      compare(client.endpoint, server.endpoint, declared, analyzer._connectionsOfMany(client.endpoint, server.endpoint),
        () => analyzer._explainConnections(client.endpoint, server.endpoint));
    }
  }

  const owned = graph.services.filter((s) => graph.owned.has(s.namespace));
  const dns = graph.dns;
  if (dns && !graph.services.some((s) => s.endpoint === dns.endpoint)) {
    for (const service of owned) {
      compare(service.endpoint, dns.endpoint, dnsPorts, analyzer._connectionsOfMany(service.endpoint, dns.endpoint),
        () => analyzer._explainConnections(service.endpoint, dns.endpoint));
    }
  }

  const externals = graph.externals.map((e) => ({
    client: e.client,
    ports: e.ports.map((port) => setOf(spanOf(port, undefined, graph.where))).reduce((a, b) => a.union(b), ConnectionSet.none()),
    cidrs: e.cidrs.map(parsed),
    except: e.except.map(parsed),
  }));
  // A node-local DNS cache is an address outside the cluster that every owned service may ask on 53.
  if (graph.dnsCidr !== undefined) {
    const cidrs = [parsed(graph.dnsCidr)];
    externals.push(...owned.map((client) => ({ client, ports: dnsPorts, cidrs, except: [] })));
  }
  const segments = addressSegments([...ipBlockEdges(analyzer._model), ...externals.flatMap((e) => [...e.cidrs, ...e.except])]);
  for (const service of owned) {
    const mine = externals.filter((e) => e.client === service);
    const declaredAt = (segment: AddressRange) => mine
      .filter((e) => reaches(e.cidrs, e.except, segment))
      .reduce((set, e) => set.union(e.ports), ConnectionSet.none());
    for (const outgoing of [true, false]) {
      const values = segments.map((segment) => {
        const address = `ip:${formatIp(segment.family, segment.first)}`;
        const [from, to] = outgoing ? [service.endpoint, address] : [address, service.endpoint];
        // Nothing is declared from outside: a graph's services are reached by declared calls only.
        return { declared: outgoing ? declaredAt(segment) : ConnectionSet.none(), actual: analyzer.connections(from, to), from, to };
      });
      const runs = mergeSegments(segments, values,
        (a, b) => a.declared.isSameAs(b.declared) && a.actual.isSameAs(b.actual),
        (v) => !(v.declared.isEmpty && v.actual.isEmpty));
      for (const run of runs) {
        const range = formatAddressRange(run.range);
        const [from, to] = outgoing ? [service.endpoint, range] : [range, service.endpoint];
        compare(from, to, run.value.declared, run.value.actual, () => analyzer._explainConnections(run.value.from, run.value.to));
      }
    }
  }
  const failed = results.filter((r) => !r.ok).length;
  return { results, passed: results.length - failed, failed, notCovered: [...graph.notCovered] };
}

function setOf(span: PortSpan): ConnectionSet {
  return span.protocols.map((p) => ConnectionSet.ports(p, span.from, span.to)).reduce((a, b) => a.union(b), ConnectionSet.none());
}

/** Whether a dependency's CIDRs (less its excepts) hold the segment: the segment lies wholly inside or outside each. */
function reaches(cidrs: readonly ParsedCidr[], except: readonly ParsedCidr[], segment: AddressRange): boolean {
  const inside = (cidr: ParsedCidr) => cidrContainsIp(cidr, segment.family, segment.first);
  return cidrs.some(inside) && !except.some(inside);
}

function describe(declared: ConnectionSet, actual: ConnectionSet, why: () => string): string {
  if (declared.isSameAs(actual)) return `allows ${actual}, as declared.`;
  const extra = actual.subtract(declared);
  const missing = declared.subtract(actual);
  const parts = [
    ...(extra.isEmpty ? [] : [`allows ${extra} that is not declared`]),
    ...(missing.isEmpty ? [] : [`denies ${missing} that is declared`]),
  ];
  return `${parts.join(', and ')} (allows ${actual}, declared ${declared}). ${why()}`;
}


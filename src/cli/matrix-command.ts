import { formatOption, parseCommandArgs } from './args';
import { flowPortsOption } from './flow-port-option';
import { CliIo, ExitStatus } from './io';
import { describeLoad, loadManifests } from './load';
import { maxFileSizeHelp, readLimitsOption } from './max-file-size-option';
import { httpLimitsOfPairs } from './pair-http-limits';
import { ConnectionMatrix, MATRIX_FORMATS, MatrixFormat, renderConnectionMatrix, renderMatrix } from './render-matrix';
import { Analyzer, EndpointInfo } from '../analysis/analyzer';
import { compareText } from '../analysis/compare-text';
import { ConnectionSet } from '../analysis/connection-set';
import { HttpLimit } from '../analysis/l7-rules';

/** The text of `cdk8s-netpol matrix --help`. */
export const MATRIX_HELP = `Usage: cdk8s-netpol matrix <path>... [--port <n>[/<protocol>]]...
                           [--format text|markdown|csv|json]

Shows which pod or workload may open which connections to which, through
every tier of policy (the Admin tier, NetworkPolicies and Cilium policies, the
Baseline tier): rows are sources, columns destinations, both grouped by
namespace. Without --port,
each cell is the exact set of connections allowed, over every port of TCP,
UDP and SCTP ("TCP 8080, UDP 53", "all connections"), with the ports whose
requests Cilium HTTP rules limit saying so ("TCP 8080 (HTTP GET /public)");
with --port, one allowed-or-denied grid per port. A single Pod to itself is loopback, which
NetworkPolicy never restricts: always allowed.

Arguments:
  <path>...          manifest files (YAML, multi-document, or JSON) or folders
                     (read recursively for *.yaml, *.yml and *.json)

Options:
  --port <port>      show only this port, allowed or denied: N/PROTOCOL
                     (8080/TCP, 53/udp), or N for TCP; repeat it for several.
                     Default: every port, each cell the exact set
  --format <format>  text (default): the grid, each cell a key (A, B, ...)
                     to the connections listed below it, "." for nothing;
                     with --port, a grid per port of x and ".";
                     then a summary;
                     markdown: a table (a table per port with --port), to
                     paste in a pull request;
                     csv: from_namespace,from,to_namespace,to,connections,
                     one row per pair ("nothing" where nothing is allowed);
                     with --port, port,protocol,from_namespace,from,
                     to_namespace,to,allowed (true or false);
                     json: {"endpoints": [...], "connections": [{"from",
                     "to", "allowed": {"TCP": [[first, last], ...]}}]} for
                     the pairs that allow something; with --port,
                     {"endpoints": [...], "ports": [{"port", "protocol",
                     "allowedCount", "allowed": [[from, to], ...]}, ...]}
${maxFileSizeHelp(21)}  -h, --help         show this help

Exit status: 0 the matrix is printed (with no pod to show, a note says so);
2 bad input.
`;

/** `cdk8s-netpol matrix`: every source-destination pair, with its exact connections or port by port. */
export function matrixCommand(argv: readonly string[], io: CliIo): ExitStatus {
  const { positionals, values } = parseCommandArgs('matrix', argv, {
    port: { type: 'string', multiple: true },
    format: { type: 'string' },
  });
  if (values.help) {
    io.stdout(MATRIX_HELP);
    return ExitStatus.OK;
  }
  const limits = readLimitsOption('matrix', values);
  const format = formatOption('matrix', values.format, MATRIX_FORMATS) as MatrixFormat;
  const ports = flowPortsOption('matrix', values.port);
  const loaded = loadManifests('matrix', positionals, io, limits);
  const { analyzer } = loaded;
  if (analyzer.endpoints.length === 0) {
    const empty = 'No pod or workload in the manifests: there is no flow to show.';
    if (format === 'text' || format === 'markdown') {
      // Nothing is wrong with the input: say what there is, and succeed.
      io.stdout(`${empty} (${describeLoad(loaded)})\n`);
      return ExitStatus.OK;
    }
    io.stderr(`note: ${empty}\n`);
  }
  // The order of rows and columns: by namespace, then name.
  const sorted = analyzer.endpoints.sort((a, b) => compareText(a.namespace, b.namespace) || compareText(a.name, b.name));
  const endpoints = sorted.map((e) => e.name);
  if (ports !== undefined) {
    const tables = ports.map((p) => analyzer.reachability(p.port, p.protocol));
    io.stdout(renderMatrix(format, endpoints, tables, describeLoad(loaded)));
    return ExitStatus.OK;
  }
  io.stdout(renderConnectionMatrix(format, connectionMatrix(analyzer, sorted), describeLoad(loaded)));
  return ExitStatus.OK;
}

/**
 * The exact sets between the endpoints, from the analyzer's listing of every
 * pair that allows something; a Pod to itself, which the listing leaves out
 * as loopback, allows everything.
 */
function connectionMatrix(analyzer: Analyzer, endpoints: readonly EndpointInfo[]): ConnectionMatrix {
  const sets = new Map<string, ConnectionSet>();
  const pairs = analyzer.connectivity();
  for (const pair of pairs) sets.set(`${pair.from}\n${pair.to}`, pair.allowed);
  for (const e of endpoints) {
    if (e.kind === 'Pod') sets.set(`${e.name}\n${e.name}`, ConnectionSet.all());
  }
  const limits = new Map<string, HttpLimit[]>();
  for (const [pair, http] of httpLimitsOfPairs(analyzer._model, pairs)) limits.set(`${pair.from}\n${pair.to}`, http);
  return {
    endpoints: endpoints.map((e) => e.name),
    connections: (from, to) => sets.get(`${from}\n${to}`) ?? ConnectionSet.none(),
    httpLimits: (from, to) => limits.get(`${from}\n${to}`) ?? [],
  };
}

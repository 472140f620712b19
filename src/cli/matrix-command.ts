import { formatOption, parseCommandArgs } from './args';
import { flowPortsOption } from './flow-port-option';
import { CliIo, ExitStatus } from './io';
import { describeLoad, loadManifests } from './load';
import { maxFileSizeHelp, readLimitsOption } from './max-file-size-option';
import { MATRIX_FORMATS, MatrixFormat, renderMatrix } from './render-matrix';
import { compareText } from '../internal/compare-text';

/** The text of `cdk8s-netpol matrix --help`. */
export const MATRIX_HELP = `Usage: cdk8s-netpol matrix <path>... [--port <n>[/<protocol>]]...
                           [--format text|markdown|csv|json]

Shows which pod or workload may open a connection to which, port by port:
rows are sources, columns destinations, both grouped by namespace.

Arguments:
  <path>...          manifest files (YAML, multi-document, or JSON) or folders
                     (read recursively for *.yaml, *.yml and *.json)

Options:
  --port <port>      a port to show: N/PROTOCOL (8080/TCP, 53/udp), or N for
                     TCP; repeat it for several. Default: every port that a
                     container declares or a NetworkPolicy names
  --format <format>  text (default): a grid per port, then a summary;
                     markdown: a table per port, to paste in a pull request;
                     csv: one row per port, source and destination, with
                     allowed true or false;
                     json: {"endpoints": [...], "ports": [{"port", "protocol",
                     "allowedCount", "allowed": [[from, to], ...]}, ...]}
${maxFileSizeHelp(21)}  -h, --help         show this help

Exit status: 0 the matrix is printed (with no port or no pod to show, a note
says so); 2 bad input.
`;

/** `cdk8s-netpol matrix`: every source-destination verdict, port by port. */
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
  const given = flowPortsOption('matrix', values.port);
  const loaded = loadManifests('matrix', positionals, io, limits);
  const { analyzer } = loaded;
  const ports = given ?? analyzer.ports;
  const tables = ports.map((p) => analyzer.reachability(p.port, p.protocol));
  const empty = ports.length === 0
    ? 'No port to show: no container declares a port and no NetworkPolicy names one; give one with --port, e.g. --port 8080/TCP.'
    : analyzer.endpoints.length === 0 ? 'No pod or workload in the manifests: there is no flow to show.' : undefined;
  if (empty !== undefined && (format === 'text' || format === 'markdown')) {
    // Nothing is wrong with the input: say what there is, and succeed.
    io.stdout(`${empty} (${describeLoad(loaded)})\n`);
    return ExitStatus.OK;
  }
  if (empty !== undefined) io.stderr(`note: ${empty}\n`);
  // The order of the tables: by namespace, then name.
  const endpoints = analyzer.endpoints
    .sort((a, b) => compareText(a.namespace, b.namespace) || compareText(a.name, b.name))
    .map((e) => e.name);
  io.stdout(renderMatrix(format, endpoints, tables, describeLoad(loaded)));
  return ExitStatus.OK;
}


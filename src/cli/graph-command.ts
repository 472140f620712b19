import { formatOption, parseCommandArgs } from './args';
import { flowPortsOption } from './flow-port-option';
import { CliIo, ExitStatus } from './io';
import { describeLoad, loadManifests } from './load';
import { maxFileSizeHelp, readLimitsOption } from './max-file-size-option';
import { GRAPH_FORMATS, GraphFormat, renderGraph } from './render-graph';
import { buildFlowGraph } from '../review/flow-graph';

/** The text of `cdk8s-netpol graph --help`. */
export const GRAPH_HELP = `Usage: cdk8s-netpol graph <path>... [--port <n>[/<protocol>]]...
                          [--format mermaid|dot]

Draws the connections the policies allow (NetworkPolicies, Cilium policies,
and the cluster-wide Admin and Baseline tiers): namespaces as groups, pods
and workloads as nodes, and an edge from each source to each destination it
may connect to, labelled with exactly what it may open ("TCP 8080, UDP 53",
"all connections"), over every port of TCP, UDP and SCTP. Cluster DNS is a
node (a stand-in, dashed, when the manifests contain no kube-system pods
labelled k8s-app=kube-dns; edges to it are decided by the source's egress,
and on its side by the Admin tier alone: its namespace's own policies are not
in the manifests). Outside the cluster, the IPv4 and IPv6 address spaces are split into
the fewest ranges on which every pod and workload is allowed the same
connections to and from outside; each range with an edge is a node, written
as a CIDR when it is exactly one (0.0.0.0/0, 10.0.0.0/8), else
<first>-<last>. Every address is in one range; none is sampled.

Arguments:
  <path>...          manifest files (YAML, multi-document, or JSON) or folders
                     (read recursively for *.yaml, *.yml and *.json)

Options:
  --port <port>      draw only this port: N/PROTOCOL (8080/TCP, 53/udp), or N
                     for TCP; repeat it for several. Every edge is restricted
                     to the ports given (an edge allowing none of them is not
                     drawn). Default: every connection
  --format <format>  mermaid (default): a flowchart, which GitHub renders in
                     a \`\`\`mermaid block; dot: a Graphviz digraph
                     (dot -Tsvg graph.dot > graph.svg)
${maxFileSizeHelp(21)}  -h, --help         show this help

Exit status: 0 the graph is printed; 2 bad input.
`;

/** `cdk8s-netpol graph`: the allowed connections as a Mermaid or Graphviz graph. */
export function graphCommand(argv: readonly string[], io: CliIo): ExitStatus {
  const { positionals, values } = parseCommandArgs('graph', argv, {
    port: { type: 'string', multiple: true },
    format: { type: 'string' },
  });
  if (values.help) {
    io.stdout(GRAPH_HELP);
    return ExitStatus.OK;
  }
  const limits = readLimitsOption('graph', values);
  const format = formatOption('graph', values.format, GRAPH_FORMATS) as GraphFormat;
  const ports = flowPortsOption('graph', values.port);
  const loaded = loadManifests('graph', positionals, io, limits);
  io.stdout(renderGraph(format, buildFlowGraph(loaded.analyzer._model, ports), describeLoad(loaded)));
  return ExitStatus.OK;
}

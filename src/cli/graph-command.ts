import { formatOption, parseCommandArgs } from './args';
import { CliIo, ExitStatus } from './io';
import { describeLoad, loadManifests } from './load';
import { maxFileSizeHelp, readLimitsOption } from './max-file-size-option';
import { GRAPH_FORMATS, GraphFormat, renderGraph } from './render-graph';
import { buildFlowGraph } from '../review/flow-graph';

/** The text of `cdk8s-netpol graph --help`. */
export const GRAPH_HELP = `Usage: cdk8s-netpol graph <path>... [--format mermaid|dot]

Draws the flows the NetworkPolicies allow: namespaces as groups, pods and
workloads as nodes, and an edge from each source to each destination it may
connect to, labelled with the ports ("TCP 8080, UDP 53", or "all ports").
Cluster DNS is a node (a stand-in, dashed, when the manifests contain no
kube-system pods labelled k8s-app=kube-dns); so is each ipBlock a policy
names, and "any address" for pods whose traffic to or from outside the
cluster is not restricted to ipBlocks. The ports checked are every port a
container declares or a NetworkPolicy names, and DNS (UDP and TCP 53).

Arguments:
  <path>...          manifest files (YAML, multi-document, or JSON) or folders
                     (read recursively for *.yaml, *.yml and *.json)

Options:
  --format <format>  mermaid (default): a flowchart, which GitHub renders in
                     a \`\`\`mermaid block; dot: a Graphviz digraph
                     (dot -Tsvg graph.dot > graph.svg)
${maxFileSizeHelp(21)}  -h, --help         show this help

Exit status: 0 the graph is printed; 2 bad input.
`;

/** `cdk8s-netpol graph`: the allowed flows as a Mermaid or Graphviz graph. */
export function graphCommand(argv: readonly string[], io: CliIo): ExitStatus {
  const { positionals, values } = parseCommandArgs('graph', argv, { format: { type: 'string' } });
  if (values.help) {
    io.stdout(GRAPH_HELP);
    return ExitStatus.OK;
  }
  const limits = readLimitsOption('graph', values);
  const format = formatOption('graph', values.format, GRAPH_FORMATS) as GraphFormat;
  const loaded = loadManifests('graph', positionals, io, limits);
  io.stdout(renderGraph(format, buildFlowGraph(loaded.analyzer._model), describeLoad(loaded)));
  return ExitStatus.OK;
}

import { escapeId, FlowGraph, FlowNode } from '../review/flow-graph';
import { dotString as quoteDot, escapeMermaid, escapeTerminal } from '../text/escape';

/** The output formats of `cdk8s-netpol graph`, the default first. */
export const GRAPH_FORMATS = ['mermaid', 'dot'] as const;

/** One of GRAPH_FORMATS. */
export type GraphFormat = (typeof GRAPH_FORMATS)[number];

const OUTSIDE_TITLE = 'outside the cluster';

/**
 * Renders a flow graph as a Mermaid flowchart or a Graphviz digraph. The
 * first comment says what was loaded (`summary`) and what the edges show:
 * every connection, or only the ports the graph is restricted to.
 */
export function renderGraph(format: GraphFormat, graph: FlowGraph, summary: string): string {
  const shown = graph.restrictedTo === undefined
    ? 'edges show every connection (every port of TCP, UDP and SCTP)'
    : `edges show only ${graph.restrictedTo.map((p) => `${p.protocol} ${p.port}`).join(', ')}`;
  // A comment is one line: the summary names kinds, which are user text.
  const comment = `cdk8s-netpol graph of ${escapeTerminal(summary)}; ${shown}; ${graph.nodes.length} nodes, ${graph.edges.length} edges`;
  return format === 'dot' ? renderDot(graph, comment) : renderMermaid(graph, comment);
}

/**
 * Shapes tell the kinds apart without colours, which GitHub's dark and light
 * themes would each make illegible: workloads are boxes, DNS a hexagon
 * (dashed when it is the stand-in), address ranges stadiums.
 */
function renderMermaid(graph: FlowGraph, comment: string): string {
  const lines = ['flowchart LR', `  %% ${comment}`];
  for (const group of graph.groups) {
    const id = group.namespace === undefined ? 'outside' : `ns_${escapeId(group.namespace)}`;
    lines.push(`  subgraph ${id} ["${mermaidText(group.namespace ?? OUTSIDE_TITLE)}"]`);
    for (const node of group.nodes) lines.push(`    ${node.id}${mermaidShape(node)}`);
    lines.push('  end');
  }
  for (const edge of graph.edges) lines.push(`  ${edge.from} -->|"${mermaidText(edge.label)}"| ${edge.to}`);
  const synthetic = graph.nodes.filter((n) => n.synthetic).map((n) => n.id);
  if (synthetic.length > 0) {
    lines.push('  classDef synthetic stroke-dasharray: 5 5', `  class ${synthetic.join(',')} synthetic`);
  }
  return `${lines.join('\n')}\n`;
}

function mermaidShape(node: FlowNode): string {
  const text = `"${mermaidText(node.label)}"`;
  switch (node.kind) {
    case 'workload': return `[${text}]`;
    case 'dns': return `{{${text}}}`;
    case 'address-range': return `([${text}])`;
    case 'dns-name': return `>${text}]`;
  }
}

/** Mermaid has no backslash escapes in quoted text: see escapeMermaid. */
function mermaidText(text: string): string {
  return escapeMermaid(text);
}

function renderDot(graph: FlowGraph, comment: string): string {
  const lines = [`// ${comment}`, 'digraph netpol {', '  rankdir=LR;', '  node [shape=box];'];
  for (const group of graph.groups) {
    const id = group.namespace === undefined ? 'cluster_outside' : `cluster_ns_${escapeId(group.namespace)}`;
    lines.push(`  subgraph ${id} {`, `    label=${dotString(group.namespace ?? OUTSIDE_TITLE)};`);
    if (group.namespace === undefined) lines.push('    style=dashed;');
    for (const node of group.nodes) lines.push(`    ${node.id} [${dotAttributes(node)}];`);
    lines.push('  }');
  }
  for (const edge of graph.edges) lines.push(`  ${edge.from} -> ${edge.to} [label=${dotString(edge.label)}];`);
  lines.push('}');
  return `${lines.join('\n')}\n`;
}

function dotAttributes(node: FlowNode): string {
  const attributes = [`label=${dotString(node.label)}`];
  if (node.kind === 'dns') attributes.push('shape=hexagon');
  if (node.kind === 'address-range') attributes.push('shape=ellipse');
  if (node.kind === 'dns-name') attributes.push('shape=note');
  if (node.synthetic) attributes.push('style=dashed');
  return attributes.join(', ');
}

function dotString(text: string): string {
  return quoteDot(text);
}

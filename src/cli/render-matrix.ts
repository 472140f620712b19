import { formatFlowPort } from '../analysis/port-inventory';
import { ReachabilityTable } from '../analysis/reachability-table';
import { csvCell, escapeMarkdown } from '../internal/escape';

/** The output formats of `cdk8s-netpol matrix`, the default first. */
export const MATRIX_FORMATS = ['text', 'markdown', 'csv', 'json'] as const;

/** One of MATRIX_FORMATS. */
export type MatrixFormat = (typeof MATRIX_FORMATS)[number];

/**
 * Renders reachability tables, one per port, over `endpoints` (in the
 * tables' order, given apart so that the JSON lists them without a port).
 * `summary` ends the text and markdown outputs, e.g. "3 pods and workloads,
 * 5 NetworkPolicies in 2 namespaces, from 5 files".
 */
export function renderMatrix(format: MatrixFormat, endpoints: readonly string[], tables: readonly ReachabilityTable[], summary: string): string {
  switch (format) {
    case 'text': return renderText(tables, summary);
    case 'markdown': return renderMarkdown(tables, summary);
    case 'csv': return renderCsv(tables);
    case 'json': return renderJson(endpoints, tables);
  }
}

/** "2 ports: 3 of 18 pairs allowed (<summary>)." */
function totals(tables: readonly ReachabilityTable[], summary: string): string {
  const pairs = tables.reduce((n, t) => n + t.endpoints.length ** 2, 0);
  const allowed = tables.reduce((n, t) => n + t.allowedCount, 0);
  return `${tables.length} port${tables.length === 1 ? '' : 's'}: ${allowed} of ${pairs} pairs allowed (${summary}).`;
}

function portHeading(table: ReachabilityTable): string {
  const n = table.endpoints.length;
  return `${formatFlowPort(table)}: ${table.allowedCount} of ${n * n} pairs allowed`;
}

function renderText(tables: readonly ReachabilityTable[], summary: string): string {
  const blocks = tables.map((t) => `${portHeading(t)}\n\n${textGrid(t).join('\n')}\n`);
  return ['Rows are sources, columns destinations; x = allowed, . = denied.\n', ...blocks, `${totals(tables, summary)}\n`].join('\n');
}

/**
 * A grid whose rows and columns share numbers: row `3 web` of namespace `shop`
 * is column 3, under the `shop` header. Column groups widen to fit their
 * namespace name, so headers never shift the cells.
 */
function textGrid(table: ReachabilityTable): string[] {
  const names = table.endpoints;
  const numberWidth = String(names.length).length;
  const groups = groupByNamespace(names);
  const nsWidth = Math.max(...groups.map((g) => g.namespace.length));
  const nameWidth = Math.max(...names.map((n) => shortName(n).length));
  const corner = 'from \\ to';
  const labelWidth = Math.max(nsWidth + 2 + numberWidth + 1 + nameWidth, corner.length);
  const widths = groups.map((g) => Math.max(g.members.length * (numberWidth + 1) - 1, g.namespace.length));
  const row = (label: string, cells: (g: number) => string[]) =>
    `${label.padEnd(labelWidth)}  ${groups.map((_, g) => cells(g).join(' ').padStart(widths[g])).join(' | ')}`.trimEnd();
  const lines = [
    `${''.padEnd(labelWidth)}  ${groups.map((g, i) => g.namespace.padStart(widths[i])).join(' | ')}`,
    row(corner, (g) => groups[g].members.map((m) => String(m + 1).padStart(numberWidth))),
  ];
  for (const group of groups) {
    group.members.forEach((from, i) => {
      const label = `${(i === 0 ? group.namespace : '').padEnd(nsWidth)}  ${String(from + 1).padStart(numberWidth)} ${shortName(names[from])}`;
      lines.push(row(label, (g) => groups[g].members.map((to) => (table.isAllowed(names[from], names[to]) ? 'x' : '.').padStart(numberWidth))));
    });
  }
  return lines;
}

function renderMarkdown(tables: readonly ReachabilityTable[], summary: string): string {
  const blocks = tables.map((t) => {
    const names = t.endpoints;
    const lines = [
      `### ${formatFlowPort(t)}`,
      '',
      `${t.allowedCount} of ${names.length ** 2} pairs allowed.`,
      '',
      `| from \\ to | ${names.map(escapeMarkdown).join(' | ')} |`,
      `|---|${names.map(() => ':-:|').join('')}`,
      ...names.map((from) => `| **${escapeMarkdown(from)}** | ${names.map((to) => (t.isAllowed(from, to) ? '✓' : ' ')).join(' | ')} |`),
    ];
    return `${lines.join('\n')}\n`;
  });
  // The summary names the ignored kinds, which are user text.
  return ['Rows are sources, columns destinations; ✓ = allowed.\n', ...blocks, `${totals(tables, escapeMarkdown(summary))}\n`].join('\n');
}

/** Long format: one row per port, source and destination, which filters and pivots well in a spreadsheet. */
function renderCsv(tables: readonly ReachabilityTable[]): string {
  const lines = ['port,protocol,from_namespace,from,to_namespace,to,allowed'];
  for (const t of tables) {
    for (const from of t.endpoints) {
      for (const to of t.endpoints) {
        lines.push([t.port, t.protocol, namespaceOf(from), from, namespaceOf(to), to, t.isAllowed(from, to)].map((v) => csvField(String(v))).join(','));
      }
    }
  }
  return `${lines.join('\n')}\n`;
}

function renderJson(endpoints: readonly string[], tables: readonly ReachabilityTable[]): string {
  const report = {
    endpoints,
    ports: tables.map((t) => ({
      port: t.port,
      protocol: t.protocol,
      allowedCount: t.allowedCount,
      allowed: t.endpoints.flatMap((from) => t.destinationsOf(from).map((to) => [from, to])),
    })),
  };
  // One pair a line: JSON.stringify would spread each over four. The indentation is that of `ports[i].allowed[j]`.
  return `${JSON.stringify(report, undefined, 2).replace(/\[\n {10}("[^"\n]*"),\n {10}("[^"\n]*")\n {8}\]/g, '[$1, $2]')}\n`;
}

function groupByNamespace(names: readonly string[]): Array<{ namespace: string; members: number[] }> {
  const groups: Array<{ namespace: string; members: number[] }> = [];
  names.forEach((name, i) => {
    const last = groups[groups.length - 1];
    if (last?.namespace === namespaceOf(name)) last.members.push(i);
    else groups.push({ namespace: namespaceOf(name), members: [i] });
  });
  return groups;
}

/** Endpoint names are `<namespace>/<name>` or `<namespace>/<kind>/<name>`. */
function namespaceOf(name: string): string {
  return name.slice(0, name.indexOf('/'));
}

function shortName(name: string): string {
  return name.slice(name.indexOf('/') + 1);
}

function csvField(value: string): string {
  return csvCell(value);
}

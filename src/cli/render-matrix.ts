import { ConnectionSet } from '../analysis/connection-set';
import { describeWithHttpLimits, HttpLimit } from '../analysis/l7-rules';
import { formatFlowPort } from '../analysis/port-inventory';
import { ReachabilityTable } from '../analysis/reachability-table';
import { csvCell, escapeMarkdown } from '../text/escape';

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

/**
 * The exact connections between every two pods and workloads: what `matrix`
 * shows without `--port`.
 */
export interface ConnectionMatrix {
  /** By namespace, then name: the order of rows and columns. */
  readonly endpoints: readonly string[];
  /** Every connection `from` may open to `to` (everything for a single Pod to itself: loopback). */
  readonly connections: (from: string, to: string) => ConnectionSet;
  /** The pair's Cilium HTTP limits, if any: on those ports only some requests pass. */
  readonly httpLimits: (from: string, to: string) => readonly HttpLimit[];
}

/** The connections of a pair as text, with its HTTP limits: `TCP 8080 (HTTP GET /public)`. */
function describePair(matrix: ConnectionMatrix, from: string, to: string): string {
  return describeWithHttpLimits(matrix.connections(from, to), matrix.httpLimits(from, to));
}

/**
 * Renders the exact connection sets of every pair: the text grid holds a key
 * per distinct set (explained below it), markdown the sets themselves; csv
 * has one row per pair, json the pairs that allow something.
 */
export function renderConnectionMatrix(format: MatrixFormat, matrix: ConnectionMatrix, summary: string): string {
  switch (format) {
    case 'text': return renderConnectionText(matrix, summary);
    case 'markdown': return renderConnectionMarkdown(matrix, summary);
    case 'csv': return renderConnectionCsv(matrix);
    case 'json': return renderConnectionJson(matrix);
  }
}

const LOOPBACK_NOTE = 'A single Pod to itself is loopback, which NetworkPolicy never restricts.';

/** "3 of 9 pairs allow some connection (<summary>)." */
function connectionTotals(matrix: ConnectionMatrix, summary: string): string {
  const names = matrix.endpoints;
  const allowed = names.reduce((n, from) => n + names.filter((to) => !matrix.connections(from, to).isEmpty).length, 0);
  return `${allowed} of ${names.length ** 2} pairs allow some connection (${summary}).`;
}

/**
 * The grid with a short key per distinct connection set, in the order the
 * sets first appear (row by row), and the legend of the keys below it: the
 * sets are too long for a cell, and a few of them recur across the grid.
 */
function renderConnectionText(matrix: ConnectionMatrix, summary: string): string {
  // keyed by the text, HTTP limits included: the same ports with other limits are another key
  const keys = new Map<string, string>();
  const keyOf = (from: string, to: string): string => {
    if (matrix.connections(from, to).isEmpty) return '.';
    const text = describePair(matrix, from, to);
    let key = keys.get(text);
    if (key === undefined) {
      key = letterKey(keys.size);
      keys.set(text, key);
    }
    return key;
  };
  const names = matrix.endpoints;
  for (const from of names) for (const to of names) keyOf(from, to);
  const width = Math.max(1, ...[...keys.values()].map((k) => k.length));
  const grid = textGrid(names, width, keyOf);
  const legend = [...keys.entries()].map(([text, key]) => `${key.padStart(width)} = ${text}`);
  return [
    'Rows are sources, columns destinations; a cell is the key of the connections allowed, listed below the grid; . = nothing.',
    `${LOOPBACK_NOTE}\n`,
    `${grid.join('\n')}\n`,
    ...(legend.length > 0 ? [`${legend.join('\n')}\n`] : []),
    `${connectionTotals(matrix, summary)}\n`,
  ].join('\n');
}

/** A, B, ..., Z, AA, AB, ...: as short as the number of distinct sets allows. */
function letterKey(index: number): string {
  let key = '';
  for (let n = index + 1; n > 0; n = Math.floor((n - 1) / 26)) key = String.fromCharCode(65 + ((n - 1) % 26)) + key;
  return key;
}

function renderConnectionMarkdown(matrix: ConnectionMatrix, summary: string): string {
  const names = matrix.endpoints;
  const cell = (from: string, to: string) => (matrix.connections(from, to).isEmpty ? ' ' : describePair(matrix, from, to));
  const lines = [
    `Rows are sources, columns destinations; each cell is what the source may open to the destination, blank for nothing. ${LOOPBACK_NOTE}`,
    '',
    `| from \\ to | ${names.join(' | ')} |`,
    `|---|${names.map(() => ':-:|').join('')}`,
    ...names.map((from) => `| **${from}** | ${names.map((to) => cell(from, to)).join(' | ')} |`),
    '',
    connectionTotals(matrix, summary),
  ];
  return `${lines.join('\n')}\n`;
}

/** Long format: one row per source and destination, `nothing` where nothing is allowed. */
function renderConnectionCsv(matrix: ConnectionMatrix): string {
  const lines = ['from_namespace,from,to_namespace,to,connections'];
  for (const from of matrix.endpoints) {
    for (const to of matrix.endpoints) {
      lines.push([namespaceOf(from), from, namespaceOf(to), to, describePair(matrix, from, to)].map(csvCell).join(','));
    }
  }
  return `${lines.join('\n')}\n`;
}

/** `{"endpoints": [...], "connections": [{"from", "to", "allowed": {"TCP": [[first, last]]}}]}`: the pairs that allow something. */
function renderConnectionJson(matrix: ConnectionMatrix): string {
  const connections = matrix.endpoints.flatMap((from) => matrix.endpoints
    .map((to) => ({ from, to, allowed: matrix.connections(from, to) }))
    .filter((pair) => !pair.allowed.isEmpty)
    .map((pair) => {
      // as list writes them: "http" only on the pairs some HTTP rules limit
      const http = matrix.httpLimits(pair.from, pair.to).map((l) => ({ ports: [l.first, l.last], rules: l.text }));
      return { ...pair, allowed: pair.allowed.toJson(), ...(http.length ? { http } : {}) };
    }));
  const report = { endpoints: matrix.endpoints, connections };
  // One port range a line, as the diff and list reports write them.
  return `${JSON.stringify(report, undefined, 2).replace(/\[\n\s+(\d+),\n\s+(\d+)\n\s+\]/g, '[$1, $2]')}\n`;
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
  const blocks = tables.map((t) => `${portHeading(t)}\n\n${textGrid(t.endpoints, 1, (from, to) => (t.isAllowed(from, to) ? 'x' : '.')).join('\n')}\n`);
  return ['Rows are sources, columns destinations; x = allowed, . = denied.\n', ...blocks, `${totals(tables, summary)}\n`].join('\n');
}

/**
 * A grid whose rows and columns share numbers: row `3 web` of namespace `shop`
 * is column 3, under the `shop` header. Column groups widen to fit their
 * namespace name, so headers never shift the cells; `cell` writes at most
 * `cellWidth` characters.
 */
function textGrid(names: readonly string[], cellWidth: number, cell: (from: string, to: string) => string): string[] {
  const numberWidth = String(names.length).length;
  const width = Math.max(numberWidth, cellWidth);
  const groups = groupByNamespace(names);
  const nsWidth = Math.max(...groups.map((g) => g.namespace.length));
  const nameWidth = Math.max(...names.map((n) => shortName(n).length));
  const corner = 'from \\ to';
  const labelWidth = Math.max(nsWidth + 2 + numberWidth + 1 + nameWidth, corner.length);
  const widths = groups.map((g) => Math.max(g.members.length * (width + 1) - 1, g.namespace.length));
  const row = (label: string, cells: (g: number) => string[]) =>
    `${label.padEnd(labelWidth)}  ${groups.map((_, g) => cells(g).join(' ').padStart(widths[g])).join(' | ')}`.trimEnd();
  const lines = [
    `${''.padEnd(labelWidth)}  ${groups.map((g, i) => g.namespace.padStart(widths[i])).join(' | ')}`,
    row(corner, (g) => groups[g].members.map((m) => String(m + 1).padStart(width))),
  ];
  for (const group of groups) {
    group.members.forEach((from, i) => {
      const label = `${(i === 0 ? group.namespace : '').padEnd(nsWidth)}  ${String(from + 1).padStart(numberWidth)} ${shortName(names[from])}`;
      lines.push(row(label, (g) => groups[g].members.map((to) => cell(names[from], names[to]).padStart(width))));
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
        lines.push([t.port, t.protocol, namespaceOf(from), from, namespaceOf(to), to, t.isAllowed(from, to)].map((v) => csvCell(String(v))).join(','));
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


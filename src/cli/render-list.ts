import { ConnectionPair } from '../analysis/connection-pair';
import { describeWithHttpLimits, HttpLimit } from '../analysis/l7-rules';
import { csvCell } from '../text/escape';

/** The output formats of `cdk8s-netpol list`, the default first. */
export const LIST_FORMATS = ['text', 'json', 'csv', 'markdown'] as const;

/** One of LIST_FORMATS. */
export type ListFormat = (typeof LIST_FORMATS)[number];

/**
 * Renders the pairs with some allowed connection, in the order given (by
 * source, then destination). `summary` says what was loaded, e.g. "3 pods and
 * workloads, 5 NetworkPolicies in 2 namespaces, from 5 files", and ends the
 * text and markdown outputs.
 */
export function renderList(
  format: ListFormat, pairs: readonly ConnectionPair[], summary: string,
  limits: ReadonlyMap<ConnectionPair, readonly HttpLimit[]> = new Map(), names: ReadonlySet<ConnectionPair> = new Set(),
): string {
  const allowedText = (pair: ConnectionPair) => describeWithHttpLimits(pair.allowed, limits.get(pair) ?? []);
  switch (format) {
    case 'text': return renderText(pairs, summary, allowedText);
    case 'json': return renderJson(pairs, limits, names);
    case 'csv': return renderCsv(pairs, allowedText);
    case 'markdown': return renderMarkdown(pairs, summary, allowedText);
  }
}

/** "7 pairs with allowed connections (<summary>)." */
function totals(pairs: readonly ConnectionPair[], summary: string): string {
  return `${pairs.length} ${pairs.length === 1 ? 'pair' : 'pairs'} with allowed connections (${summary}).`;
}

/**
 * One block per source, its destinations below it with what each may be
 * opened, aligned so the connection sets read as a column.
 */
function renderText(pairs: readonly ConnectionPair[], summary: string, allowedText: (pair: ConnectionPair) => string): string {
  const lines: string[] = [];
  for (const group of groupBySource(pairs)) {
    const width = Math.max(...group.pairs.map((p) => p.to.length));
    lines.push(`${group.from}`);
    for (const pair of group.pairs) lines.push(`  -> ${pair.to.padEnd(width)}  ${allowedText(pair)}`);
    lines.push('');
  }
  lines.push(totals(pairs, summary));
  return `${lines.join('\n')}\n`;
}

function renderMarkdown(pairs: readonly ConnectionPair[], summary: string, allowedText: (pair: ConnectionPair) => string): string {
  const table = pairs.length === 0 ? [] : [
    '| From | To | Allowed |',
    '|---|---|---|',
    ...pairs.map((p) => `| \`${escapeCell(p.from)}\` | \`${escapeCell(p.to)}\` | ${escapeCell(allowedText(p))} |`),
    '',
  ];
  return [...table, `${totals(pairs, summary)}\n`].join('\n');
}

/** `from,to,connections`, one row per pair, quoted per RFC 4180 where a field needs it. */
function renderCsv(pairs: readonly ConnectionPair[], allowedText: (pair: ConnectionPair) => string): string {
  const lines = ['from,to,connections', ...pairs.map((p) => [p.from, p.to, allowedText(p)].map(csvCell).join(','))];
  return `${lines.join('\n')}\n`;
}

/**
 * `{"connections": [{"from", "to", "allowed": {"TCP": [[first, last], ...]}}]}`, each port range on one line;
 * a pair whose requests Cilium HTTP rules limit has `"http": [{"ports": [first, last], "rules": "HTTP GET /"}]`;
 * a pair to a DNS name (`"to": "api.stripe.com"`) has `"dnsName": true`.
 */
function renderJson(
  pairs: readonly ConnectionPair[], limits: ReadonlyMap<ConnectionPair, readonly HttpLimit[]>, names: ReadonlySet<ConnectionPair>,
): string {
  const report = {
    connections: pairs.map((p) => {
      const http = limits.get(p);
      const limited = http && http.length > 0 ? { http: http.map((l) => ({ ports: [l.first, l.last], rules: l.text })) } : {};
      return { from: p.from, to: p.to, ...(names.has(p) ? { dnsName: true } : {}), allowed: p.allowed.toJson(), ...limited };
    }),
  };
  return `${JSON.stringify(report, undefined, 2).replace(/\[\n\s+(\d+),\n\s+(\d+)\n\s+\]/g, '[$1, $2]')}\n`;
}

function groupBySource(pairs: readonly ConnectionPair[]): Array<{ from: string; pairs: ConnectionPair[] }> {
  const groups: Array<{ from: string; pairs: ConnectionPair[] }> = [];
  for (const pair of pairs) {
    const last = groups[groups.length - 1];
    if (last?.from === pair.from) last.pairs.push(pair);
    else groups.push({ from: pair.from, pairs: [pair] });
  }
  return groups;
}

/** A table cell holds one line, and a pipe would end it. */
function escapeCell(text: string): string {
  return text.replace(/\|/g, '\\|').replace(/\s*\n\s*/g, ' ');
}

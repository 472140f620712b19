import { formatFlowPort } from '../analysis/port-inventory';
import { escapeMarkdown, markdownCode } from '../internal/escape';
import { FlowChange, ReachabilityDiff } from '../review/reachability-diff';

/** The changes, grouped (newly allowed, then newly denied), one line each with its reason, then a summary line. */
export function renderDiffText(diff: ReachabilityDiff): string {
  const lines: string[] = [];
  const group = (title: string, sign: string, changes: readonly FlowChange[]) => {
    if (changes.length === 0) return;
    lines.push(`${title} (${changes.length}):`);
    for (const c of changes) {
      lines.push(`  ${sign} ${endpoint(c.from, c.fromChange)} -> ${endpoint(c.to, c.toChange)} ${portOf(c)}: ${c.why}`);
    }
  };
  group('Newly allowed', '+', diff.newlyAllowed);
  group('Newly denied', '-', diff.newlyDenied);
  const verdict = diff.hasNewlyAllowed ? 'REVIEW' : 'OK';
  lines.push(`${verdict}: ${counts(diff)}, on ${compared(diff)}.`);
  return `${lines.join('\n')}\n`;
}

/**
 * A comment for a pull request: the verdict first (what a reviewer must know),
 * then a table per group, then what was compared.
 */
export function renderDiffMarkdown(diff: ReachabilityDiff): string {
  const n = diff.newlyAllowed.length;
  const verdict = n > 0 ? `⚠️ ${plural(n, 'flow')} newly allowed: review before merging` : 'No flow newly allowed';
  const section = (title: string, changes: readonly FlowChange[]) => {
    const head = `### ${title} (${changes.length})\n\n`;
    if (changes.length === 0) return `${head}None.\n`;
    const rows = changes.map((c) => `| ${cell(c.from, c.fromChange)} | ${cell(c.to, c.toChange)} | ${portOf(c)} | ${escape(c.why)} |`);
    return `${head}| From | To | Port | Why |\n|---|---|---|---|\n${rows.join('\n')}\n`;
  };
  return [
    `${verdict}\n`,
    section('Newly allowed', diff.newlyAllowed),
    section('Newly denied', diff.newlyDenied),
    `Compared on ${compared(diff)}, between every pair of pods and workloads.\n`,
  ].join('\n');
}

/** The library's report, as is: `{"newlyAllowed": [...], "newlyDenied": [...], "ports": [...]}`. */
export function renderDiffJson(diff: ReachabilityDiff): string {
  const { newlyAllowed, newlyDenied, ports } = diff;
  return `${JSON.stringify({ newlyAllowed, newlyDenied, ports }, undefined, 2)}\n`;
}

function counts(diff: ReachabilityDiff): string {
  const allowed = diff.newlyAllowed.length === 0 ? 'no flow' : plural(diff.newlyAllowed.length, 'flow');
  const denied = diff.newlyDenied.length === 0 ? 'none' : String(diff.newlyDenied.length);
  return `${allowed} newly allowed, ${denied} newly denied`;
}

/** E.g. `3 ports (443/TCP, 5432/TCP, 8080/TCP) and 2 addresses outside the cluster (ip:0.0.0.0, ip:10.0.0.0)`. */
function compared(diff: ReachabilityDiff): string {
  const ports = `${plural(diff.ports.length, 'port')}${diff.ports.length ? ` (${diff.ports.map(formatFlowPort).join(', ')})` : ''}`;
  const addresses = diff.addresses.length === 0
    ? ''
    : ` and ${plural(diff.addresses.length, 'address', 'addresses')} outside the cluster (${diff.addresses.join(', ')})`;
  return `${ports}${addresses}`;
}

function portOf(change: FlowChange): string {
  return formatFlowPort(change);
}

function endpoint(name: string, change: string | undefined): string {
  return change ? `${name} (${change})` : name;
}

function cell(name: string, change: string | undefined): string {
  return `${markdownCode(name)}${change ? ` (${change})` : ''}`;
}

/** A table cell holds one line of text, without HTML: see escapeMarkdown. */
function escape(text: string): string {
  return escapeMarkdown(text);
}

function plural(n: number, word: string, many = `${word}s`): string {
  return `${n} ${n === 1 ? word : many}`;
}

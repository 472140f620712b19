import { HttpLimitChange } from '../review/http-limit-changes';
import { DnsNameChange } from '../review/name-changes';
import { ConnectionChange, ReachabilityDiff } from '../review/reachability-diff';
import { escapeMarkdown, markdownCode } from '../text/escape';

/** The changes, grouped (newly allowed, then newly denied), each with its reason, then a summary line. */
export function renderDiffText(diff: ReachabilityDiff, http: readonly HttpLimitChange[] = [], names: readonly DnsNameChange[] = []): string {
  const lines: string[] = [];
  const group = (title: string, sign: string, changes: readonly ConnectionChange[]) => {
    if (changes.length === 0) return;
    lines.push(`${title} (${plural(changes.length, 'pair')}):`);
    for (const c of changes) {
      lines.push(`  ${sign} ${endpoint(c.from, c.fromChange)} -> ${endpoint(c.to, c.toChange)}: ${c.after} (was ${c.before})`);
      lines.push(`      ${c.why}`);
    }
  };
  group('Newly allowed', '+', diff.newlyAllowed);
  group('Newly denied', '-', diff.newlyDenied);
  if (http.length > 0) {
    lines.push(`HTTP limits changed (${plural(http.length, 'pair')}):`);
    for (const c of http) lines.push(`  ~ ${c.from} -> ${c.to}: ${c.after} (was ${c.before})`);
  }
  if (names.length > 0) {
    lines.push(`DNS names changed (${plural(names.length, 'pair')}):`);
    for (const c of names) lines.push(`  ~ ${c.from} -> ${c.to}: ${c.after} (was ${c.before})`);
  }
  const verdict = needsReview(diff, http, names) ? 'REVIEW' : 'OK';
  lines.push(`${verdict}: ${counts(diff)}${httpCount(http)}${namesCount(names)}; ${compared(diff)}.`);
  return `${lines.join('\n')}\n`;
}

/**
 * A comment for a pull request: the verdict first (what a reviewer must know),
 * then a table per group, then what was compared.
 */
export function renderDiffMarkdown(diff: ReachabilityDiff, http: readonly HttpLimitChange[] = [], names: readonly DnsNameChange[] = []): string {
  const n = diff.newlyAllowed.length;
  const opened = names.filter((c) => c.newlyAllowed !== 'nothing').length;
  const verdict = n > 0 ? `⚠️ ${plural(n, 'pair')} newly allowed: review before merging`
    : http.length > 0 ? `⚠️ HTTP limits changed on ${plural(http.length, 'pair')}: review before merging`
      : opened > 0 ? `⚠️ ${plural(opened, 'pair')} newly allowed to DNS names: review before merging` : 'Nothing newly allowed';
  const section = (title: string, changes: readonly ConnectionChange[]) => {
    const head = `### ${title} (${changes.length})\n\n`;
    if (changes.length === 0) return `${head}None.\n`;
    const rows = changes.map((c) => `| ${cell(c.from, c.fromChange)} | ${cell(c.to, c.toChange)} | ${escape(String(c.after))} | ${escape(String(c.before))} | ${escape(c.why)} |`);
    return `${head}| From | To | Now | Was | Why |\n|---|---|---|---|---|\n${rows.join('\n')}\n`;
  };
  return [
    `${verdict}\n`,
    section('Newly allowed', diff.newlyAllowed),
    section('Newly denied', diff.newlyDenied),
    ...(http.length === 0 ? [] : [`### HTTP limits changed (${http.length})\n\n| From | To | Now | Was |\n|---|---|---|---|\n${http.map((c) =>
      `| ${cell(c.from, undefined)} | ${cell(c.to, undefined)} | ${escape(c.after)} | ${escape(c.before)} |`).join('\n')}\n`]),
    ...(names.length === 0 ? [] : [`### DNS names changed (${names.length})\n\n| From | To | Now | Was |\n|---|---|---|---|\n${names.map((c) =>
      `| ${cell(c.from, undefined)} | ${cell(c.to, undefined)} | ${escape(c.after)} | ${escape(c.before)} |`).join('\n')}\n`]),
    `${capitalize(compared(diff))}.\n`,
  ].join('\n');
}

/**
 * The report CI tools parse: `{"changes": [...], "summary": {"pairsNewlyAllowed", "pairsNewlyDenied"}}`
 * (`ReachabilityDiff.toJson`).
 */
export function renderDiffJson(diff: ReachabilityDiff, http: readonly HttpLimitChange[] = [], names: readonly DnsNameChange[] = []): string {
  const report = { ...diff.toJson(), ...(http.length ? { httpLimitChanges: http } : {}), ...(names.length ? { dnsNameChanges: names } : {}) };
  return `${JSON.stringify(report, undefined, 2).replace(/\[\n\s+(\d+),\n\s+(\d+)\n\s+\]/g, '[$1, $2]')}\n`;
}

/** Whether a reviewer must look: something newly allowed (by address or to a DNS name), or HTTP limits changed. */
export function needsReview(diff: ReachabilityDiff, http: readonly HttpLimitChange[], names: readonly DnsNameChange[]): boolean {
  return diff.hasNewlyAllowed || http.length > 0 || names.some((c) => c.newlyAllowed !== 'nothing');
}

/** `, 1 pair to DNS names changed`, or nothing. */
function namesCount(names: readonly DnsNameChange[]): string {
  return names.length === 0 ? '' : `, ${plural(names.length, 'pair')} to DNS names changed`;
}

/** `, 1 pair with HTTP limits changed`, or nothing. */
function httpCount(http: readonly HttpLimitChange[]): string {
  return http.length === 0 ? '' : `, ${plural(http.length, 'pair')} with HTTP limits changed`;
}

function counts(diff: ReachabilityDiff): string {
  const { pairsNewlyAllowed, pairsNewlyDenied } = diff.summary;
  const allowed = pairsNewlyAllowed === 0 ? 'no pair' : plural(pairsNewlyAllowed, 'pair');
  const denied = pairsNewlyDenied === 0 ? 'none' : String(pairsNewlyDenied);
  return `${allowed} newly allowed, ${denied} newly denied`;
}

/** E.g. `compared exactly: every port of TCP, UDP and SCTP, 12 pods and workloads, every address outside the cluster (in 9 ranges)`. */
function compared(diff: ReachabilityDiff): string {
  return `compared exactly: every port of TCP, UDP and SCTP, between ${plural(diff.endpointsCompared, 'pod or workload', 'pods and workloads')}`
    + ` and with every address outside the cluster (in ${plural(diff.addressRangesCompared, 'range')}, split at every ipBlock edge)`;
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

function capitalize(text: string): string {
  return text.charAt(0).toUpperCase() + text.slice(1);
}

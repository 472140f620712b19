import * as path from 'path';
import { subjectPrefix } from '../lint/finding-subject';
import { LintFinding } from '../lint/lint-finding';
import { LintReport } from '../lint/lint-report';
import { Linter } from '../lint/linter';
import { Severity } from '../lint/severity';
import { escapeTerminal } from '../text/escape';

/** Where the rules are documented, for SARIF `helpUri` and text output. */
export const RULES_DOC_URL = 'https://github.com/cdk8s-netpol/cdk8s-netpol/blob/main/docs/rules.md';

/** One finding as text: `where: severity rule-id: object field: message` and an indented fix. */
function findingText(f: LintFinding): string {
  // The reason is free text from an annotation: one line, escaped.
  const acknowledged = f.acknowledgedBecause !== undefined ? ` (acknowledged: ${escapeTerminal(f.acknowledgedBecause)})` : '';
  return `${f.location}: ${f.severity} ${f.ruleId}: ${subjectPrefix(f)}${f.message}${acknowledged}\n  fix: ${f.fix}\n`;
}

/** Open findings, then a summary line; acknowledged findings are counted, and listed only with `showAcknowledged`. */
export function renderLintText(report: LintReport, summary: string, showAcknowledged: boolean): string {
  const lines = report.findings.map(findingText);
  if (showAcknowledged) lines.push(...report.acknowledged.map(findingText));
  const plural = (n: number, word: string) => `${n} ${word}${n === 1 ? '' : 's'}`;
  const acknowledged = report.acknowledged.length ? `, ${report.acknowledged.length} acknowledged` : '';
  const info = report.infoCount ? `, ${report.infoCount} info` : '';
  lines.push(`${plural(report.errorCount, 'error')}, ${plural(report.warningCount, 'warning')}${info}${acknowledged} (${summary}).\n`);
  return lines.join('');
}

/** A stable JSON document: findings, acknowledged findings and counts. */
export function renderLintJson(report: LintReport, failOn: Severity): string {
  const document = {
    findings: report.findings,
    acknowledged: report.acknowledged,
    summary: {
      errors: report.errorCount,
      warnings: report.warningCount,
      info: report.infoCount,
      acknowledged: report.acknowledged.length,
      failOn,
      failed: report.failsAt(failOn),
    },
  };
  return `${JSON.stringify(document, undefined, 2)}\n`;
}

/**
 * SARIF 2.1.0, as code-scanning UIs (GitHub, Azure DevOps, GitLab) read it:
 * the rule catalogue in the driver, one result per finding with its file and
 * line (relative to `baseDir`, with forward slashes), and acknowledged
 * findings as results with an in-source suppression carrying the reason.
 */
export function renderLintSarif(report: LintReport, version: string, baseDir: string): string {
  const rules = Linter.rules;
  const index = new Map(rules.map((r, i) => [r.id, i]));
  const result = (f: LintFinding) => ({
    ruleId: f.ruleId,
    ruleIndex: index.get(f.ruleId),
    level: sarifLevel(f.severity),
    message: { text: `${subjectPrefix(f)}${f.message} Fix: ${f.fix}` },
    locations: [{
      ...(f.file ? {
        physicalLocation: {
          artifactLocation: { uri: toUri(f.file, baseDir) },
          ...(f.line !== undefined ? { region: { startLine: f.line } } : {}),
        },
      } : {}),
      logicalLocations: [{ fullyQualifiedName: `${f.object}${f.field ? `/${f.field}` : ''}`, kind: 'object' }],
    }],
    ...(f.acknowledgedBecause !== undefined ? { suppressions: [{ kind: 'inSource', justification: f.acknowledgedBecause }] } : {}),
  });
  const sarif = {
    $schema: 'https://json.schemastore.org/sarif-2.1.0.json',
    version: '2.1.0',
    runs: [{
      // Azure DevOps code scanning rejects a run without automationDetails.id, a driver without fullName and a
      // rule without name. The id is "<category>/" (no instance): the runs of this lint on one repository are one
      // category, so each new upload replaces the last one's alerts.
      automationDetails: { id: 'cdk8s-netpol/lint/' },
      tool: {
        driver: {
          name: 'cdk8s-netpol',
          fullName: `cdk8s-netpol lint ${version}`,
          version,
          informationUri: 'https://github.com/cdk8s-netpol/cdk8s-netpol',
          rules: rules.map((r) => ({
            id: r.id,
            name: sarifRuleName(r.id),
            shortDescription: { text: r.summary },
            fullDescription: { text: r.rationale },
            help: { text: r.fix },
            helpUri: `${RULES_DOC_URL}#${r.id}`,
            defaultConfiguration: { level: sarifLevel(r.severity) },
          })),
        },
      },
      results: [...report.findings, ...report.acknowledged].map(result),
    }],
  };
  return `${JSON.stringify(sarif, undefined, 2)}\n`;
}

/** SARIF's level for a severity: info is a `note`. */
function sarifLevel(severity: Severity): string {
  return severity === Severity.ERROR ? 'error' : severity === Severity.WARNING ? 'warning' : 'note';
}

/** A SARIF rule name: the id in PascalCase, as SARIF's examples and most tools write it (`DnsEgressBlocked`). */
export function sarifRuleName(id: string): string {
  return id.split('-').map((word) => word.charAt(0).toUpperCase() + word.slice(1)).join('');
}

function toUri(file: string, baseDir: string): string {
  const relative = path.relative(baseDir, path.resolve(file));
  return (relative.startsWith('..') ? path.resolve(file) : relative).split(path.sep).join('/');
}

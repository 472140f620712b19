import { LintFinding } from './lint-finding';
import { Severity } from './severity';
import { atOrAbove } from './severity-order';
import { compareText } from '../analysis/compare-text';

/**
 * What `Linter.lint` found: the open findings and the acknowledged ones.
 */
export class LintReport {
  /** @internal */
  public static _of(all: LintFinding[]): LintReport {
    return new LintReport(all);
  }

  /** Findings nobody acknowledged, ordered by file, line and rule. */
  public readonly findings: LintFinding[];
  /** Findings acknowledged by an `acknowledge.cdk8s-netpol.io/<rule-id>` annotation, with the reason. */
  public readonly acknowledged: LintFinding[];

  private constructor(all: LintFinding[]) {
    const sorted = [...all].sort(compareFindings);
    this.findings = sorted.filter((f) => f.acknowledgedBecause === undefined);
    this.acknowledged = sorted.filter((f) => f.acknowledgedBecause !== undefined);
  }

  /** The number of open errors. */
  public get errorCount(): number {
    return this.findings.filter((f) => f.severity === Severity.ERROR).length;
  }

  /** The number of open warnings. */
  public get warningCount(): number {
    return this.findings.filter((f) => f.severity === Severity.WARNING).length;
  }

  /** The number of open findings of severity info (traps worth knowing; they never fail a run). */
  public get infoCount(): number {
    return this.findings.filter((f) => f.severity === Severity.INFO).length;
  }

  /** True when an open finding is at or above the severity (what `--fail-on` checks). */
  public failsAt(severity: Severity): boolean {
    return this.findings.some((f) => atOrAbove(f.severity, severity));
  }
}

function compareFindings(a: LintFinding, b: LintFinding): number {
  return compareText(a.file ?? '\uffff', b.file ?? '\uffff')
    || (a.line ?? 0) - (b.line ?? 0)
    || compareText(a.location, b.location)
    || compareText(a.ruleId, b.ruleId)
    || compareText(a.message, b.message);
}


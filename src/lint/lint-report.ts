import { LintFinding } from './lint-finding';
import { Severity } from './severity';
import { atOrAbove } from './severity-order';

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

  /** True when an open finding is at or above the severity (what `--fail-on` checks). */
  public failsAt(severity: Severity): boolean {
    return this.findings.some((f) => atOrAbove(f.severity, severity));
  }
}

function compareFindings(a: LintFinding, b: LintFinding): number {
  return compare(a.file ?? '\uffff', b.file ?? '\uffff')
    || (a.line ?? 0) - (b.line ?? 0)
    || compare(a.location, b.location)
    || compare(a.ruleId, b.ruleId)
    || compare(a.message, b.message);
}

function compare(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}

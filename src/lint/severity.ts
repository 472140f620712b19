/**
 * How serious a lint finding is. `--fail-on` picks the lowest severity that fails a run.
 */
export enum Severity {
  /** The policies do not do what they were written for (an outage or a hole): fail the build. */
  ERROR = 'error',
  /** Worth a look: risky, redundant or incomplete, but possibly intended. */
  WARNING = 'warning',
  /**
   * Said for the reader: a trap of the policy language worth knowing, such as a Cilium rule that means the opposite of the same NetworkPolicy rule.
   *
   * Never fails a run.
   */
  INFO = 'info',
}

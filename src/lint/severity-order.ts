import { Severity } from './severity';

/** True when `severity` is at or above `threshold` (internal: jsii exports no free functions). */
export function atOrAbove(severity: Severity, threshold: Severity): boolean {
  return threshold === Severity.WARNING || severity === Severity.ERROR;
}

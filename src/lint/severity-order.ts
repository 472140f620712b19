import { Severity } from './severity';

/** How serious each severity is: higher fails first. */
const RANK: Readonly<Record<Severity, number>> = { [Severity.ERROR]: 2, [Severity.WARNING]: 1, [Severity.INFO]: 0 };

/** True when `severity` is at or above `threshold` (internal: jsii exports no free functions). */
export function atOrAbove(severity: Severity, threshold: Severity): boolean {
  return RANK[severity] >= RANK[threshold];
}

/**
 * How many random cases a property test runs: its standard count times
 * PROPERTY_RUNS_SCALE (default 1, at least one case).
 *
 * The standard counts keep `npx projen test` under a minute on 2 CPUs; each
 * test's new random seed covers other cases on every run. `npx projen
 * test:deep` runs the property tests with ten times the cases, for a change to
 * the analyzer or to a generator.
 */
export function propertyRuns(standard: number): number {
  return Math.max(1, Math.round(standard * scale()));
}

/** A property test's timeout: its standard one scaled as its cases are (never below the standard). */
export function propertyTimeout(standardMs: number): number {
  return Math.max(standardMs, Math.round(standardMs * scale()));
}

/** PROPERTY_RUNS_SCALE, 1 when unset. */
function scale(): number {
  const text = process.env.PROPERTY_RUNS_SCALE;
  const value = text === undefined || text === '' ? 1 : Number(text);
  if (!Number.isFinite(value) || value <= 0) {
    throw new Error(`PROPERTY_RUNS_SCALE must be a positive number, got "${text}".`);
  }
  return value;
}

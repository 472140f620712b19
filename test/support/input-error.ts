import { AnalysisInputError } from '../../src/analysis/input-error';

/** The AnalysisInputError thrown by `f`; fails when `f` throws nothing or something else. */
export function inputError(f: () => unknown): AnalysisInputError {
  try {
    f();
  } catch (e) {
    if (AnalysisInputError.is(e)) return e;
    throw e;
  }
  throw new Error('expected an AnalysisInputError, but nothing was thrown');
}

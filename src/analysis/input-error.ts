/**
 * Bad input to the analyzer: unreadable or unparseable manifests, an invalid
 * NetworkPolicy, an unknown endpoint. The message is meant for a human as is:
 * it names the file (and line), the object, the field and the bad value.
 * The CLI turns it into exit status 2 without a stack trace.
 */
export class AnalysisInputError extends Error {
  /** True for an AnalysisInputError, even one from another copy of this module. */
  public static is(e: unknown): e is AnalysisInputError {
    return typeof e === 'object' && e !== null && (e as AnalysisInputError).isAnalysisInputError === true;
  }

  public readonly isAnalysisInputError = true;

  constructor(message: string) {
    super(message);
    this.name = 'AnalysisInputError';
  }
}

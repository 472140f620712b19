/**
 * Options of `Analyzer.fromFiles()`.
 */
export interface AnalyzerFromFilesOptions {
  /**
   * The largest manifest file read, in bytes: a larger file is refused before it
   * is read (manifests from a pull request must not exhaust memory).
   * @default 16777216 (16 MiB)
   */
  readonly maxFileSize?: number;
}

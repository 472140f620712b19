/** Where a command writes: injected so tests run commands in-process. */
export interface CliIo {
  readonly stdout: (text: string) => void;
  readonly stderr: (text: string) => void;
}

/** Exit statuses of every command: the contract CI pipelines rely on. */
export enum ExitStatus {
  /** Everything holds (verify), the flow is allowed (explain). */
  OK = 0,
  /** An expectation does not hold (verify), the flow is denied (explain). */
  FINDING = 1,
  /** Bad input: unreadable files, invalid manifests or expectations, unknown endpoints, bad arguments. */
  BAD_INPUT = 2,
}

/** Bad command-line usage: reported with a pointer to `--help`, exit status 2. */
export class UsageError extends Error {
  constructor(message: string, public readonly command?: string) {
    super(message);
    this.name = 'UsageError';
  }
}

import { DIFF_HELP, diffCommand } from './diff-command';
import { EXPLAIN_HELP, explainCommand } from './explain-command';
import { GRAPH_HELP, graphCommand } from './graph-command';
import { CliIo, ExitStatus, UsageError } from './io';
import { LINT_HELP, lintCommand } from './lint-command';
import { LIST_HELP, listCommand } from './list-command';
import { MATRIX_HELP, matrixCommand } from './matrix-command';
import { VERIFY_HELP, verifyCommand } from './verify-command';
import { packageVersion } from './version';
import { AnalysisInputError } from '../analysis/input-error';
import { escapeTerminal, escapeTerminalLines } from '../text/escape';

export const MAIN_HELP = `Usage: cdk8s-netpol <command> [options]

Proves what Kubernetes NetworkPolicies allow, statically, from manifests.

Commands:
  verify <path>... --expect <file>     check flows that must be allowed or denied
  explain <path>... --from X --to Y --port N
                                       explain why one flow is allowed or denied
  lint <path>... [--fail-on error|warning] [--cni <name>]
                                       find the mistakes that cause outages and holes
  diff <old-path> <new-path>           connections newly allowed or denied by a change
  list <path>... [--focus <endpoint>]  every pair that may connect, and exactly how
  matrix <path>... [--port N/PROTO]...
                                       who may connect to whom, and on which ports
  graph <path>... [--port N/PROTO]... [--format mermaid|dot]
                                       the allowed connections as a graph

Run "cdk8s-netpol <command> --help" for a command's options.

Options:
  -h, --help       show this help
  -v, --version    show the version
`;

/** The commands; looked up by user text, so a Map: `constructor` is no command. */
const COMMANDS = new Map<string, { run: (argv: readonly string[], io: CliIo) => ExitStatus; help: string }>(Object.entries({
  verify: { run: verifyCommand, help: VERIFY_HELP },
  explain: { run: explainCommand, help: EXPLAIN_HELP },
  lint: { run: lintCommand, help: LINT_HELP },
  matrix: { run: matrixCommand, help: MATRIX_HELP },
  graph: { run: graphCommand, help: GRAPH_HELP },
  diff: { run: diffCommand, help: DIFF_HELP },
  list: { run: listCommand, help: LIST_HELP },
}));

/**
 * Runs the CLI in-process and returns the exit status. Bad input is reported
 * as one paragraph on stderr, without a stack trace.
 */
export function runCli(argv: readonly string[], rawIo: CliIo): ExitStatus {
  // Whatever a command prints, no control character but the newline reaches the terminal (or the file it is piped to).
  const io: CliIo = {
    stdout: (text) => rawIo.stdout(escapeTerminalLines(text)),
    stderr: (text) => rawIo.stderr(escapeTerminalLines(text)),
  };
  const [name, ...rest] = argv;
  try {
    if (name === undefined) {
      // No command is a usage error: the help goes to stderr, and the status says it failed.
      io.stderr(MAIN_HELP);
      return ExitStatus.BAD_INPUT;
    }
    if (name === '-h' || name === '--help' || name === 'help') {
      const topic = name === 'help' ? COMMANDS.get(rest[0]) : undefined;
      io.stdout(topic ? topic.help : MAIN_HELP);
      return ExitStatus.OK;
    }
    if (name === '-v' || name === '--version') {
      io.stdout(`${packageVersion()}\n`);
      return ExitStatus.OK;
    }
    const command = COMMANDS.get(name);
    if (!command) {
      throw new UsageError(`unknown command "${escapeTerminal(name)}"; the commands are ${[...COMMANDS.keys()].join(', ')}`);
    }
    return command.run(rest, io);
  } catch (e) {
    if (e instanceof UsageError) {
      const help = e.command ? `cdk8s-netpol ${e.command} --help` : 'cdk8s-netpol --help';
      io.stderr(`cdk8s-netpol${e.command ? ` ${e.command}` : ''}: ${e.message}. Run "${help}" for usage.\n`);
      return ExitStatus.BAD_INPUT;
    }
    if (AnalysisInputError.is(e)) {
      io.stderr(`cdk8s-netpol ${name}: ${e.message}\n`);
      return ExitStatus.BAD_INPUT;
    }
    throw e;
  }
}

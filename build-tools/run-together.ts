/**
 * Runs commands at the same time and reports as one: `npx projen test` runs
 * Jest beside the type check and eslint, so that no CPU waits while one of
 * them runs alone (on 2 CPUs: 67 s for the three, against about 80 s one after
 * the other).
 *
 * Usage: run-together.ts <command> <command>... -- [arguments for the first command]
 *
 * The first command (the tests) streams its output; each other command's
 * output is printed, under a heading, when it ends, so outputs never mix. The
 * exit status is that of the first command, in the order given, that failed.
 */
import { spawn } from 'child_process';

interface Outcome {
  readonly command: string;
  readonly status: number;
  readonly output: string;
}

function run(command: string, stream: boolean): Promise<Outcome> {
  return new Promise((resolve) => {
    const child = spawn(command, { shell: true, stdio: stream ? 'inherit' : ['ignore', 'pipe', 'pipe'] });
    const chunks: Buffer[] = [];
    child.stdout?.on('data', (chunk: Buffer) => chunks.push(chunk));
    child.stderr?.on('data', (chunk: Buffer) => chunks.push(chunk));
    child.on('error', (error) => resolve({ command, status: 127, output: `${error.message}\n` }));
    child.on('close', (code, signal) => resolve({ command, status: code ?? (signal ? 128 : 1), output: Buffer.concat(chunks).toString('utf8') }));
  });
}

async function main(): Promise<void> {
  const separator = process.argv.indexOf('--', 2);
  const commands = process.argv.slice(2, separator < 0 ? undefined : separator);
  const extra = separator < 0 ? [] : process.argv.slice(separator + 1);
  if (commands.length === 0) {
    process.stderr.write('run-together: give the commands to run, then -- and the arguments of the first one.\n');
    process.exit(2);
  }
  // Arguments given to the task (`npx projen test -- -t name`) go to the first command, quoted for the shell.
  const first = [commands[0], ...extra.map((a) => `'${a.replace(/'/g, "'\\''")}'`)].join(' ');
  const outcomes = await Promise.all([run(first, true), ...commands.slice(1).map((c) => run(c, false))]);
  for (const outcome of outcomes.slice(1)) {
    process.stdout.write(`\n👾 ${outcome.command} (${outcome.status === 0 ? 'ok' : `exit ${outcome.status}`})\n${outcome.output}`);
  }
  const failed = outcomes.find((o) => o.status !== 0);
  process.exit(failed ? failed.status : 0);
}

void main();

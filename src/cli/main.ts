#!/usr/bin/env node
import { runCli } from './cli';

// The bin entry: everything but process handling lives in cli.ts, which tests run in-process.
try {
  process.exitCode = runCli(process.argv.slice(2), {
    stdout: (text) => process.stdout.write(text),
    stderr: (text) => process.stderr.write(text),
  });
} catch (e) {
  // Not bad input but a bug: say so, with the stack only on request.
  process.stderr.write(`cdk8s-netpol: internal error: ${(e as Error)?.message ?? String(e)}\n`
    + (process.env.CDK8S_NETPOL_DEBUG ? `${(e as Error)?.stack}\n` : 'Set CDK8S_NETPOL_DEBUG=1 for the stack trace, and please report it.\n'));
  process.exitCode = 2;
}

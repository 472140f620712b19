import { spawnSync } from 'child_process';
import * as fs from 'fs';
import * as path from 'path';
import { expectBadInput, ROOT, run, STACK_LINE, useWorkspace, writeShop } from './cli-harness';

const VERSION = JSON.parse(fs.readFileSync(path.join(ROOT, 'package.json'), 'utf8')).version;

describe('help', () => {
  test.each([['--help'], ['-h'], ['help']])('top-level %s: the commands, exit 0', (flag) => {
    const result = run(flag);
    expect(result.status).toBe(0);
    expect(result.stderr).toBe('');
    expect(result.stdout).toMatch(/^Usage: cdk8s-netpol <command> \[options\]\n/);
    expect(result.stdout).toContain('verify <path>... --expect <file>');
    expect(result.stdout).toContain('explain <path>... --from X --to Y --port N');
  });

  test.each([
    ['verify', ['--expect <file>', '--format <format>', 'Exit status: 0 every expectation holds; 1 at least one does not; 2 bad input']],
    ['explain', ['--from <endpoint>', '--to <endpoint>', '--port <n>', '--protocol <p>', '--format <format>', 'Exit status: 0 the flow is allowed; 1 it is denied; 2 bad input']],
  ])('%s --help and -h: its options and exit statuses, exit 0', (command, mentions) => {
    const result = run(command, '--help');
    expect(result.status).toBe(0);
    expect(result.stderr).toBe('');
    expect(result.stdout).toMatch(new RegExp(`^Usage: cdk8s-netpol ${command} <path>\\.\\.\\. `));
    for (const text of mentions) expect(result.stdout).toContain(text);
    expect(run(command, '-h')).toEqual(result);
    expect(run('help', command)).toEqual(result);
  });

  test('--help wins over missing required options', () => {
    expect(run('verify', 'some/path', '--help').status).toBe(0);
    expect(run('explain', '--from', 'a/b', '--help').status).toBe(0);
  });
});

describe('version', () => {
  test.each([['--version'], ['-v']])('%s prints the package version, exit 0', (flag) => {
    expect(run(flag)).toEqual({ status: 0, stdout: `${VERSION}\n`, stderr: '' });
  });
});

describe('usage errors (exit 2)', () => {
  test('an unknown command names the commands', () => {
    expectBadInput(run('verfiy', 'x', '--expect', 'y'),
      'cdk8s-netpol: unknown command "verfiy"; the commands are verify, explain, lint, matrix, graph, diff, list. Run "cdk8s-netpol --help" for usage.');
  });

  test('no command: the usage, exit 2', () => {
    const result = run();
    expect(result.status).toBe(2);
    expect(result.stdout + result.stderr).toContain('Usage: cdk8s-netpol <command> [options]');
  });

  test.each([
    ['verify', ['--expect']],
    ['verify', ['--bogus']],
    ['explain', ['--from']],
    ['explain', ['-x']],
  ])('%s %j: the message points to the command\'s --help', (command, argv) => {
    expectBadInput(run(command, ...argv), `cdk8s-netpol ${command}: `, `Run "cdk8s-netpol ${command} --help" for usage.`);
  });
});

// One spawned process (each costs seconds of compiling src/ on a cold cache: build-tools/register-cached.js): the bin's wiring, that the exit status
// it sets is main()'s and that bad input prints no stack. Every other exit status is tested in-process (verify.test.ts...).
describe('the real process', () => {
  const workspace = useWorkspace();
  const shop = writeShop(workspace, 'shop');

  /** Runs src/cli/main.ts as the bin does, without the debug switch that prints stacks. */
  function spawnCli(...argv: string[]) {
    const env = { ...process.env };
    delete env.CDK8S_NETPOL_DEBUG;
    return spawnSync(process.execPath, ['-r', './build-tools/register-cached.js', path.join('src', 'cli', 'main.ts'), ...argv], {
      cwd: ROOT,
      env,
      encoding: 'utf8',
      timeout: 30_000,
    });
  }

  test('bad input: exit status 2, one message naming the file and line, no stack trace', () => {
    const bad = workspace.write('bad/policy.yaml', [
      'apiVersion: networking.k8s.io/v1',
      'kind: NetworkPolicy',
      'metadata: { name: np, namespace: shop }',
      'spec:',
      '  ingress:',
      '    - from: [{ ipBlock: { cidr: 10.0.0.0/33 } }]',
      '',
    ].join('\n'));
    const expectations = workspace.write('none.yaml', 'expectations: []\n');
    const child = spawnCli('verify', shop, bad, '--expect', expectations);
    expect(child.error).toBeUndefined();
    expect(child.stdout).toBe('');
    expect(child.stderr).not.toMatch(STACK_LINE);
    expect(child.stderr).not.toContain('internal error');
    expect(child.stderr).toContain(`${bad}:6: NetworkPolicy shop/np: spec.ingress[0].from[0].ipBlock.cidr: "10.0.0.0/33"`);
    expect(child.status).toBe(2);
  });
});

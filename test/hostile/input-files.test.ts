/**
 * Hostile input files: only regular files are read, each within a size limit
 * (checked on the opened file before reading it), with bounded document count
 * and nesting, and file-system errors reported as bad input (exit 2).
 */
import { ChildProcess, execFileSync, spawn } from 'child_process';
import * as fs from 'fs';
import * as path from 'path';
import { Analyzer } from '../../src/analysis/analyzer';
import { dedent, expectBadInput, run, useWorkspace } from '../cli/cli-harness';
import { inputError } from '../support/input-error';

const workspace = useWorkspace();
let counter = 0;

const POD = dedent(`
  apiVersion: v1
  kind: Pod
  metadata: { name: web, namespace: shop, labels: { app: web } }
  spec:
    containers: [{ name: web, image: web, ports: [{ containerPort: 8080 }] }]
`);

/** A fresh folder in the workspace. */
function freshDir(): string {
  const dir = workspace.path(`case-${++counter}`);
  fs.mkdirSync(dir, { recursive: true });
  return dir;
}

/**
 * Keeps a writer on the FIFO for a few seconds, then closes it. Reading a FIFO
 * blocks until a writer comes: without this, a reader that waits would hang the
 * test run forever instead of failing it.
 */
const writers: ChildProcess[] = [];
function fifo(file: string): string {
  execFileSync('mkfifo', [file]);
  writers.push(spawn('sh', ['-c', 'exec sleep 3 > "$0"', file], { stdio: 'ignore' }));
  return file;
}
afterEach(() => {
  for (const writer of writers.splice(0)) writer.kill();
});

describe('only regular files are read', () => {
  test('a FIFO among the manifests of a folder is bad input, not a hang', () => {
    const dir = freshDir();
    fs.writeFileSync(path.join(dir, 'pod.yaml'), POD);
    const pipe = fifo(path.join(dir, 'pipe.yaml'));
    // reading the FIFO would block until a writer came: the run would not return
    expectBadInput(run('lint', dir), `Cannot read "${pipe}": it is a FIFO, not a regular file`);
  });

  test('a FIFO given as a path is bad input', () => {
    const pipe = fifo(path.join(freshDir(), 'manifests'));
    expectBadInput(run('explain', pipe, '--from', 'shop/a', '--to', 'shop/b', '--port', '80'), `"${pipe}": it is a FIFO, not a regular file`);
  });

  test('a FIFO given as --expect is bad input', () => {
    const dir = freshDir();
    const manifests = path.join(dir, 'pod.yaml');
    fs.writeFileSync(manifests, POD);
    const pipe = fifo(path.join(dir, 'expect.yaml'));
    expectBadInput(run('verify', manifests, '--expect', pipe), `Cannot read the expectations file "${pipe}": it is a FIFO, not a regular file`);
  });

  test('devices are refused (/dev/null, /dev/zero)', () => {
    expect(inputError(() => Analyzer.fromFiles(['/dev/null'])).message).toBe('Cannot read "/dev/null": it is a character device, not a regular file; only regular files are read.');
    expectBadInput(run('lint', '/dev/zero'), 'Cannot read "/dev/zero": it is a character device, not a regular file');
  });
});

describe('the size of a file is limited', () => {
  test('a file over the default limit (16 MiB) is refused before it is read', () => {
    const big = path.join(freshDir(), 'big.yaml');
    // Sparse: the size is what fstat reports, nothing is written.
    fs.writeFileSync(big, '');
    fs.truncateSync(big, 150 * 1024 * 1024);
    const before = process.memoryUsage().rss;
    expectBadInput(run('lint', big),
      `Cannot read "${big}": it is 150.0 MiB, over the limit of 16 MiB per file; raise the limit with --max-file-size (e.g. --max-file-size 150M), or maxFileSize in Analyzer.fromFiles.`);
    // Nothing of the file was read.
    expect(process.memoryUsage().rss - before).toBeLessThan(50 * 1024 * 1024);
  });

  test('--max-file-size lowers and raises the limit', () => {
    const file = path.join(freshDir(), 'pod.yaml');
    // About 1.5 MiB: the pod, then comments.
    fs.writeFileSync(file, POD + '# padding padding padding padding padding padding padding\n'.repeat(27000));
    expectBadInput(run('lint', file, '--max-file-size', '1M'), `Cannot read "${file}": it is 1.5 MiB, over the limit of 1 MiB per file`);
    const raised = run('lint', file, '--max-file-size', '2M');
    expect(raised.stderr).toBe('');
    expect(raised.stdout).toContain('1 pod or workload');
    expect(run('lint', file, '--max-file-size', '1600000').stderr).toBe('');
  });

  test('--max-file-size limits the expectations file too', () => {
    const dir = freshDir();
    const manifests = path.join(dir, 'pod.yaml');
    fs.writeFileSync(manifests, POD);
    const expect_ = path.join(dir, 'expect.yaml');
    fs.writeFileSync(expect_, `expectations: []\n${'#'.repeat(2048)}\n`);
    expectBadInput(run('verify', manifests, '--expect', expect_, '--max-file-size', '1K'),
      `Cannot read the expectations file "${expect_}": it is 2.0 KiB, over the limit of 1 KiB per file`);
  });

  test('a bad --max-file-size is a usage error', () => {
    for (const bad of ['lots', '0', '-1M', '1.5M', '1T', '']) {
      expectBadInput(run('lint', '/nonexistent', `--max-file-size=${bad}`),
        `cdk8s-netpol lint: --max-file-size must be a number of bytes with an optional K, M or G suffix (e.g. 64M), at least 1, got "${bad}".`);
    }
  });

  test('every command that reads files documents --max-file-size', () => {
    for (const command of ['verify', 'explain', 'lint', 'diff', 'matrix', 'graph']) {
      expect(run(command, '--help').stdout).toMatch(/--max-file-size <size>\s+refuse files larger than <size>/);
    }
  });

  test('Analyzer.fromFiles takes the limit as an option', () => {
    const file = path.join(freshDir(), 'pod.yaml');
    fs.writeFileSync(file, POD);
    expect(inputError(() => Analyzer.fromFiles([file], { maxFileSize: 100 })).message)
      .toMatch(/^Cannot read ".*pod.yaml": it is \d+ bytes, over the limit of 100 bytes per file; raise the limit with --max-file-size/);
    expect(Analyzer.fromFiles([file], { maxFileSize: 1000 }).endpoints).toHaveLength(1);
  });
});

describe('documents and nesting are bounded', () => {
  test('more than 10,000 documents in a file is bad input', () => {
    const file = path.join(freshDir(), 'many.yaml');
    fs.writeFileSync(file, `${POD}${'---\n{}\n'.repeat(10_000)}`);
    expect(inputError(() => Analyzer.fromFiles([file])).message)
      .toBe(`${file}:20004: more than 10000 documents in one file; split the file.`);
  });

  test('nesting deeper than 100 levels is bad input, with the line', () => {
    const file = path.join(freshDir(), 'deep.yaml');
    fs.writeFileSync(file, `${POD}---\nkind: Pod\nmetadata:\n  annotations:\n    x: ${'['.repeat(120)}${']'.repeat(120)}\n`);
    expect(inputError(() => Analyzer.fromFiles([file])).message)
      .toBe(`${file}:10: the document nests deeper than 100 levels; no Kubernetes object does.`);
  });
});

describe('file-system errors are bad input, said plainly', () => {
  test('an over-long path (ENAMETOOLONG)', () => {
    const long = path.join(freshDir(), 'x'.repeat(300), 'pod.yaml');
    const result = run('lint', long);
    expectBadInput(result, `Cannot read "${long}": the path is too long.`);
    expect(result.stderr).not.toContain('ENAMETOOLONG');
  });

  test('an unreadable subfolder (EACCES)', () => {
    const dir = freshDir();
    fs.writeFileSync(path.join(dir, 'pod.yaml'), POD);
    const locked = path.join(dir, 'locked');
    fs.mkdirSync(locked);
    // Tests may run as root, whom permissions do not stop: the folder refuses by its error instead.
    // The module itself (the `import * as` namespace has only getters): the loader reads through it.
    // eslint-disable-next-line @typescript-eslint/no-require-imports
    const nodeFs: typeof fs = require('fs');
    const readdir = nodeFs.readdirSync;
    const spy = jest.spyOn(nodeFs, 'readdirSync').mockImplementation(((p: fs.PathLike, options?: any) => {
      if (String(p) === locked) {
        throw Object.assign(new Error(`EACCES: permission denied, scandir '${locked}'`), { code: 'EACCES', errno: -13, syscall: 'scandir', path: locked });
      }
      return readdir(p, options);
    }) as typeof fs.readdirSync);
    try {
      const result = run('lint', dir);
      expectBadInput(result, `Cannot read the folder "${locked}": permission denied.`);
      expect(result.stderr).not.toContain('EACCES');
    } finally {
      spy.mockRestore();
    }
  });
});

import { spawnSync } from 'child_process';
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';

const root = path.join(__dirname, '..', '..');
const hook = path.join(root, 'build-tools', 'register-cached.js');

describe('build-tools/register-cached.js', () => {
  let dir: string;
  beforeAll(() => {
    dir = fs.mkdtempSync(path.join(os.tmpdir(), 'cdk8s-netpol-register-cached-'));
  });
  afterAll(() => fs.rmSync(dir, { recursive: true, force: true }));

  /** Runs `file` through the hook, with the cache in `cacheDir`. */
  const runTs = (file: string, cacheDir: string) => spawnSync(process.execPath, ['-r', hook, file], {
    cwd: root,
    env: { ...process.env, REGISTER_CACHED_DIR: cacheDir },
    encoding: 'utf8',
    timeout: 30_000,
  });
  const cached = (cacheDir: string) => (fs.existsSync(cacheDir) ? fs.readdirSync(cacheDir) : []);

  test('a syntax error: not run, not cached, reported at the .ts file, line and column, every time', () => {
    // GIVEN a file whose transpiled JavaScript would run (TypeScript closes the call) and print
    const bad = path.join(dir, 'bad.ts');
    fs.writeFileSync(bad, "const ok: number = 1;\nconsole.log('ran', ok;\n");
    const cacheDir = path.join(dir, 'bad-cache');

    for (const attempt of [1, 2]) {
      // WHEN
      const child = runTs(bad, cacheDir);

      // THEN
      expect({ attempt, error: child.error, status: child.status, stdout: child.stdout }).toEqual({ attempt, error: undefined, status: 1, stdout: '' });
      expect(child.stderr).toContain(`SyntaxError: ${bad}:2:22: error TS1005: ')' expected.`);
      expect(cached(cacheDir)).toEqual([]);
    }
  });

  test('a file without syntax errors runs, and is cached', () => {
    const good = path.join(dir, 'good.ts');
    fs.writeFileSync(good, "const ok: number = 1;\nconsole.log('ran', ok);\n");
    const cacheDir = path.join(dir, 'good-cache');
    expect(runTs(good, cacheDir)).toMatchObject({ status: 0, stdout: 'ran 1\n', stderr: '' });
    expect(cached(cacheDir)).toEqual([expect.stringMatching(/^[0-9a-f]{64}\.js$/)]);
  });
});

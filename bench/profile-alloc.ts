/**
 * What building one side of a synthesis scenario allocates, by allocating function, collected
 * objects included (V8's sampling heap profiler, every 1 KB on average), after a warm-up:
 *   node -r ts-node/register/transpile-only bench/profile-alloc.ts <constructs|graph> <ours|raw> [top]
 * SYNTH=1 adds the synthYaml(); CALLERS=Set,keys lists who calls those functions.
 * The raw side reads the template bench/profile-synth.ts writes (run it for ours first).
 */
import * as fs from 'fs';
import * as inspector from 'inspector';
import * as os from 'os';
import * as path from 'path';
import { App } from 'cdk8s';
import { buildRaw, SCENARIOS } from './synth-scenarios';

const [name, side, top] = process.argv.slice(2);
const scenario = SCENARIOS.find((s) => s.name === name)!;
const templateFile = path.join(os.tmpdir(), `profile-synth.${name}.template.json`); // written by profile-synth.ts
const template = side === 'raw' ? JSON.parse(fs.readFileSync(templateFile, 'utf8')) : undefined;
const session = new inspector.Session();
session.connect();
const post = (method: string, params?: object) => new Promise<any>((resolve, reject) =>
  session.post(method, params ?? {}, (err, result) => (err ? reject(err) : resolve(result))));

async function main() {
  // warm up the side profiled (the raw side on a twentieth of its Charts)
  if (template) buildRaw(new App(), { charts: template.charts.slice(0, Math.ceil(template.charts.length / 20)) });
  else scenario.build(new App(), 0.05);
  await post('HeapProfiler.enable');
  await post('HeapProfiler.startSampling', { samplingInterval: 1024, includeObjectsCollectedByMajorGC: true, includeObjectsCollectedByMinorGC: true });
  const app = new App();
  if (template) buildRaw(app, template); else scenario.build(app, 1);
  if (process.env.SYNTH) app.synthYaml();
  const { profile } = await post('HeapProfiler.stopSampling');
  const self = new Map<string, number>();
  const total = new Map<string, number>();
  let all = 0;
  const walk = (node: any, stack: string[]) => {
    const cf = node.callFrame;
    const key = `${cf.functionName || '(anon)'} ${cf.url.split('/').slice(-2).join('/')}:${cf.lineNumber + 1}`;
    const bytes = node.selfSize;
    all += bytes;
    self.set(key, (self.get(key) ?? 0) + bytes);
    const next = [...stack, key];
    // inclusive: its own bytes count for every distinct function on the stack
    for (const k of new Set(next)) total.set(k, (total.get(k) ?? 0) + bytes);
    for (const child of node.children) walk(child, next);
  };
  walk(profile.head, []);
  // who calls the functions named in CALLERS (comma-separated), by bytes
  const callers = new Map<string, number>();
  const names = (process.env.CALLERS ?? '').split(',').filter(Boolean);
  const visit = (node: any, parent: string) => {
    const cf = node.callFrame;
    const key = `${cf.functionName || '(anon)'} ${cf.url.split('/').slice(-2).join('/')}:${cf.lineNumber + 1}`;
    if (names.includes(cf.functionName)) callers.set(`${cf.functionName} <- ${parent}`, (callers.get(`${cf.functionName} <- ${parent}`) ?? 0) + node.selfSize);
    for (const child of node.children) visit(child, key);
  };
  visit(profile.head, '');
  const mb = (b: number) => (b / 1048576).toFixed(1);
  process.stdout.write(`${name} ${side}: ${mb(all)} MB allocated\n--- self\n`);
  for (const [k, b] of [...self].sort((x, y) => y[1] - x[1]).slice(0, Number(top ?? 25))) process.stdout.write(`${mb(b).padStart(7)} ${k}\n`);
  if (names.length) {
    process.stdout.write('--- callers\n');
    for (const [k, b] of [...callers].sort((x, y) => y[1] - x[1]).slice(0, 30)) process.stdout.write(`${mb(b).padStart(7)} ${k}\n`);
  }
  process.stdout.write('--- inclusive\n');
  for (const [k, b] of [...total].sort((x, y) => y[1] - x[1]).slice(0, Number(top ?? 25) + 15)) process.stdout.write(`${mb(b).padStart(7)} ${k}\n`);
}
main().catch((e) => { console.error(e); process.exit(1); });

/**
 * One side of one synthesis scenario, alone in this process, for profiling:
 *   node -r ts-node/register/transpile-only --expose-gc [--cpu-prof|--trace-gc] bench/profile-synth.ts <constructs|graph> <ours|raw> [rounds]
 * The raw side reads the template the ours side writes (run ours first).
 */
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { performance } from 'perf_hooks';
import { App } from 'cdk8s';
import { buildRaw, SCENARIOS, templateOf } from './synth-scenarios';

const [name, side, roundsText] = process.argv.slice(2);
const scenario = SCENARIOS.find((s) => s.name === name)!;
const templateFile = path.join(os.tmpdir(), `profile-synth.${name}.template.json`);
const template = side === 'raw' ? JSON.parse(fs.readFileSync(templateFile, 'utf8')) : undefined;
const build = (app: App) => (template ? buildRaw(app, template) : scenario.build(app, 1));
const gc = () => (global as { gc?: () => void }).gc?.();

for (let round = 0; round < Number(roundsText ?? 1); round++) {
  gc();
  const start = performance.now();
  const app = new App();
  build(app);
  const built = performance.now();
  const yaml = app.synthYaml();
  const end = performance.now();
  const heap = process.memoryUsage().heapUsed / 1048576;
  process.stdout.write(`${name} ${side} round ${round + 1}: build ${(built - start).toFixed(0)} ms, synthYaml ${(end - built).toFixed(0)} ms, ` +
    `total ${(end - start).toFixed(0)} ms, heap ${heap.toFixed(0)} MB, ${yaml.length} chars\n`);
  if (!template && !fs.existsSync(templateFile)) {
    fs.writeFileSync(templateFile, JSON.stringify(templateOf(app, app.charts.map((c) => c.toJson()))));
  }
}

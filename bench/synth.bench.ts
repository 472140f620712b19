/**
 * `npm run bench`, second part: synthesis at scale, beside the same manifests
 * built as raw cdk8s ApiObjects in the same run.
 *
 * - `constructs`: 1,000 namespaces, one Chart each, with a NamespaceBaseline and
 *   five AllowFrom/AllowTo between pods of that namespace and one or two others.
 * - `graph`: one Chart, one ServiceGraph owning 100 namespaces, 2,000 services
 *   and 10,000 `allow()` calls.
 *
 * The raw side is the manifests our side synthesized (`chart.toJson()`, outside
 * the timed region), rebuilt every run as `new ApiObject(chart, id, manifest)`
 * in a fresh App with the same Charts.
 *
 * Time: one child process per scenario (this script, forked with `--child`
 * and --expose-gc) warms both sides up on a small instance of the scenario,
 * then runs ROUNDS rounds (BENCH_ROUNDS, default 5; BENCH_SCENARIOS=constructs
 * or graph runs one scenario). Each round runs the two sides back to back (ours
 * first in even rounds, raw first in odd ones), for `synthYaml()` and again
 * for `toJson()`, with a full GC before every run, so that no run pays for the
 * previous one's garbage. The report gives every round's times and ratio, and
 * the min / median / max of each side and of the ratio: one run cannot mislead.
 * A whole run takes 10 to 30 s, and on a shared machine raw alone has varied
 * 2.4x between rounds of one process (every run had a CPU to itself: the
 * memory system is what others share). So ROUNDS interleaved rounds follow:
 * both Apps built, then synthYaml() done by hand on both at once, Chart by
 * Chart (see interleavedRounds), so that such noise hits both sides alike.
 * The machine's load averages (as `uptime` prints them) are reported before and
 * after each scenario. Memory: one child per scenario and side (the two
 * sides at once, one per CPU) runs one cold `synthYaml()`, so that one side's
 * garbage is not in the other's peak; --trace-gc gives the heap's peak.
 *
 * Reports ratios, not absolute limits, and exits 0 when the time target is
 * missed: it is a report. It fails when the two sides' YAML differ, since the
 * comparison is then void.
 */
import { fork } from 'child_process';
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { performance } from 'perf_hooks';
import { ApiObject, App, Chart, DependencyGraph, Yaml } from 'cdk8s';
import { formatRatio, median, ratios, spread, time as measureTime } from './measure';
import { buildRaw, plainCopy, Scenario, SCENARIOS, SEED, Template, templateOf } from './synth-scenarios';

const TARGET_RATIO = 1.3;
/** Timed rounds: each runs both sides once per mode, back to back (BENCH_ROUNDS, at least 1). */
const ROUNDS = Math.max(1, Number(process.env.BENCH_ROUNDS) || 5);
/** The scenarios to run (BENCH_SCENARIOS, comma-separated names): all by default. */
const RUN_SCENARIOS = process.env.BENCH_SCENARIOS
  ? SCENARIOS.filter((s) => process.env.BENCH_SCENARIOS!.split(',').includes(s.name))
  : SCENARIOS;
/** A run that got less CPU time than this share of its wall time waited for the CPU: something else was running. */
const BUSY_SHARE = 0.9;
/** The warm-up builds the scenario at this scale: the same code paths, a fraction of the time. */
const WARM_UP_SCALE = 0.05;

type Side = 'ours' | 'raw';
type Mode = 'yaml' | 'json';
const SIDES: Side[] = ['ours', 'raw'];

// ---------------------------------------------------------------------------
// The children

function gc(): void {
  (global as { gc?: () => void }).gc?.();
}

const mb = (bytes: number) => bytes / 1048576;

interface Timings {
  /** construction + synthYaml() / construction + toJson() of every chart, per run */
  readonly total: number[];
  /** the construction part of each run */
  readonly construct: number[];
  /** the CPU time of the process (every thread, GC helpers included) in each run */
  readonly cpu: number[];
}

interface TimeResult {
  readonly description: string;
  /** os.loadavg() (1, 5 and 15 minutes) when the timed rounds began and ended */
  readonly loadBefore: number[];
  readonly loadAfter: number[];
  readonly objects: number;
  /** constructs in each side's tree (App included) */
  readonly constructs: Record<Side, number>;
  readonly yamlBytes: number;
  readonly runs: Record<Side, Record<Mode, Timings>>;
  /** null when both sides' YAML is byte-identical, else where it first differs */
  readonly difference: string | null;
  /** building the raw side's plain objects alone: the recursive copy it uses, and structuredClone */
  readonly copyMs: number;
  readonly structuredCloneMs: number;
  /** the interleaved rounds, per side */
  readonly interleaved: Record<Side, InterleavedTimings>;
  /** null when the interleaved rounds' YAML is the whole runs' YAML, and each Chart's own objects rendered alone are its toJson(), on both sides */
  readonly interleavedDifference: string | null;
}

/** Per interleaved round: the build, the Charts' toJson() and their YAML, and the sum. */
interface InterleavedTimings {
  readonly total: number[];
  readonly build: number[];
  readonly json: number[];
  readonly yaml: number[];
  /**
   * Rendering each Chart's own objects alone (not in `total`): what `chart.toJson()` does after
   * cdk8s's walk of the whole App. `json` less this is that walk.
   */
  readonly render: number[];
}

/**
 * What `chart.toJson()` does without first walking the whole App: its own ApiObjects, in
 * dependency order, rendered (cdk8s's chartToKube, which is not exported).
 */
function renderOwnObjects(chart: Chart): any[] {
  return new DependencyGraph(chart.node).topology()
    .filter((x): x is ApiObject => x instanceof ApiObject && Chart.of(x) === chart)
    .map((object) => object.toJson());
}

/**
 * Interleaved rounds: `synthYaml()` done by hand on both sides at once, so that machine noise
 * (which changes over seconds, while one whole run takes 10 to 30) hits both alike. Each side is
 * built in turn (a full GC before each, the order swapped every round); then, Chart by Chart
 * (the order swapped every Chart), `chart.toJson()` of one side and of the other; then
 * `Yaml.stringify()` of each Chart's documents the same way. That is what synthYaml() does
 * (it also validates the App once more before the first Chart: one walk of 1,001), with both
 * Apps in memory. Last, each Chart's own objects are rendered again without the walk, so that the
 * report can split `toJson()` into that rendering and cdk8s's walk of the whole App.
 */
function interleavedRounds(builders: Record<Side, (app: App) => void>, expected: Record<Side, string>): {
  timings: Record<Side, InterleavedTimings>; difference: string | null;
} {
  const timings: Record<Side, InterleavedTimings> = {
    ours: { total: [], build: [], json: [], yaml: [], render: [] },
    raw: { total: [], build: [], json: [], yaml: [], render: [] },
  };
  let difference: string | null = null;
  for (let round = 0; round < ROUNDS; round++) {
    const order: Side[] = round % 2 ? ['raw', 'ours'] : ['ours', 'raw'];
    const swap = (i: number) => (i % 2 ? [order[1], order[0]] : order);
    const ms = { ours: { build: 0, json: 0, yaml: 0, render: 0 }, raw: { build: 0, json: 0, yaml: 0, render: 0 } };
    const timed = <T>(side: Side, part: 'build' | 'json' | 'yaml' | 'render', run: () => T): T => {
      const start = performance.now();
      const result = run();
      ms[side][part] += performance.now() - start;
      return result;
    };
    const apps = {} as Record<Side, App>;
    for (const side of order) {
      gc();
      apps[side] = timed(side, 'build', () => {
        const app = new App();
        builders[side](app);
        return app;
      });
    }
    gc();
    const charts = {} as Record<Side, Chart[]>;
    for (const side of order) charts[side] = timed(side, 'json', () => apps[side].charts);
    if (charts.ours.length !== charts.raw.length) throw new Error('the two sides have different numbers of Charts');
    const docs: Record<Side, any[][]> = { ours: [], raw: [] };
    charts.ours.forEach((_, i) => {
      for (const side of swap(i)) docs[side].push(timed(side, 'json', () => Object.values(charts[side][i].toJson())));
    });
    const yaml: Record<Side, string[]> = { ours: [], raw: [] };
    charts.ours.forEach((_, i) => {
      for (const side of swap(i)) yaml[side].push(timed(side, 'yaml', () => Yaml.stringify(...docs[side][i])));
    });
    // the same Charts' own objects again, without the walk (the App is validated and its dependencies resolved by now)
    charts.ours.forEach((_, i) => {
      for (const side of swap(i)) {
        const own = timed(side, 'render', () => renderOwnObjects(charts[side][i]));
        if (round === 0 && JSON.stringify(own) !== JSON.stringify(docs[side][i])) {
          difference ??= `${side}, Chart ${charts[side][i].node.id}: its own objects rendered alone differ from its toJson()`;
        }
      }
    });
    for (const side of SIDES) {
      const text = yaml[side].join('---\n');
      if (text !== expected[side]) difference ??= `${side}, round ${round + 1}: ${firstDifference(text, expected[side])}`;
      const t = ms[side];
      timings[side].build.push(t.build);
      timings[side].json.push(t.json);
      timings[side].yaml.push(t.yaml);
      timings[side].render.push(t.render);
      timings[side].total.push(t.build + t.json + t.yaml);
    }
  }
  return { timings, difference };
}

/** One build + synthesis. */
function synthesize(build: (app: App) => void, mode: Mode): { app: App; output: string | any[][]; ms: number; constructMs: number; cpuMs: number } {
  const cpuStart = process.cpuUsage();
  const start = performance.now();
  const app = new App();
  build(app);
  const built = performance.now();
  const output = mode === 'yaml' ? app.synthYaml() : app.charts.map((chart) => chart.toJson());
  const end = performance.now();
  const cpu = process.cpuUsage(cpuStart);
  return { app, output, ms: end - start, constructMs: built - start, cpuMs: (cpu.user + cpu.system) / 1000 };
}

/** The timing child: both sides of one scenario, alternating. Writes the raw side's template for the memory children. */
function timeChild(scenario: Scenario, templateFile: string): TimeResult {
  // Warm up both sides on a small instance of the scenario.
  const small = synthesize((app) => scenario.build(app, WARM_UP_SCALE), 'json');
  const smallTemplate = templateOf(small.app, small.output as any[][]);
  for (const mode of ['yaml', 'json'] as Mode[]) {
    synthesize((app) => scenario.build(app, WARM_UP_SCALE), mode);
    synthesize((app) => buildRaw(app, smallTemplate), mode);
  }

  let description = '';
  let template: Template | undefined;
  const builders: Record<Side, (app: App) => void> = {
    ours: (app) => { description = scenario.build(app, 1); },
    raw: (app) => buildRaw(app, template!),
  };
  const runs: Record<Side, Record<Mode, Timings>> = {
    ours: { yaml: { total: [], construct: [], cpu: [] }, json: { total: [], construct: [], cpu: [] } },
    raw: { yaml: { total: [], construct: [], cpu: [] }, json: { total: [], construct: [], cpu: [] } },
  };
  const yaml: Record<Side, string> = { ours: '', raw: '' };
  const constructs: Record<Side, number> = { ours: 0, raw: 0 };
  let objects = 0;
  // ours first in even rounds (the first one's toJson() gives the raw side its manifests), raw first in odd ones
  const order: Array<[Side, Mode]> = [['ours', 'json'], ['raw', 'json'], ['ours', 'yaml'], ['raw', 'yaml']];
  const swapped: Array<[Side, Mode]> = [['raw', 'json'], ['ours', 'json'], ['raw', 'yaml'], ['ours', 'yaml']];
  const loadBefore = os.loadavg();
  for (let round = 0; round < ROUNDS; round++) {
    for (const [side, mode] of round % 2 ? swapped : order) {
      // the previous run's garbage is collected outside the timed region
      gc();
      const run = synthesize(builders[side], mode);
      runs[side][mode].total.push(run.ms);
      runs[side][mode].construct.push(run.constructMs);
      runs[side][mode].cpu.push(run.cpuMs);
      constructs[side] = run.app.node.findAll().length;
      if (mode === 'yaml') {
        yaml[side] = run.output as string;
      } else if (side === 'ours' && !template) {
        template = templateOf(run.app, run.output as any[][]);
        objects = template.charts.reduce((sum, chart) => sum + chart.manifests.length, 0);
        fs.writeFileSync(templateFile, JSON.stringify(template));
      }
    }
  }

  const interleaved = interleavedRounds(builders, yaml);

  // What building the raw side's plain objects costs alone.
  const all = template!.charts.map((chart) => chart.manifests);
  const timeIt = (run: () => unknown) => median([0, 1, 2].map(() => measureTime(run).ms));

  return {
    description,
    loadBefore,
    loadAfter: os.loadavg(),
    objects,
    constructs,
    yamlBytes: Buffer.byteLength(yaml.ours),
    runs,
    difference: yaml.ours === yaml.raw ? null : firstDifference(yaml.ours, yaml.raw),
    copyMs: timeIt(() => plainCopy(all)),
    structuredCloneMs: timeIt(() => structuredClone(all)),
    interleaved: interleaved.timings,
    interleavedDifference: interleaved.difference,
  };
}

interface MemoryResult {
  /** maxRSS of the process after one cold synthYaml(), and RSS before it (modules and, on the raw side, its template loaded) */
  readonly peakRssMb: number;
  readonly startRssMb: number;
  /** heapUsed before the run, and at its end (the App and the YAML still referenced) */
  readonly startHeapMb: number;
  readonly endHeapMb: number;
  /** heapUsed after a full GC at the end of the run, the App and the YAML still referenced: what stays live */
  readonly liveHeapMb: number;
  readonly charts: number;
  /** the peak of heapUsed: the largest of endHeapMb and the heap used before each GC (filled in by the parent, from --trace-gc) */
  readonly peakHeapMb?: number;
}

/** A memory child: one side of one scenario, one cold synthYaml() in this fresh process. Writes its YAML. */
function memoryChild(scenario: Scenario, side: Side, templateFile: string, yamlFile: string): MemoryResult {
  const template: Template | undefined = side === 'raw' ? JSON.parse(fs.readFileSync(templateFile, 'utf8')) : undefined;
  gc();
  const startRssMb = mb(process.memoryUsage().rss);
  const startHeapMb = mb(process.memoryUsage().heapUsed);
  const app = new App();
  if (template) buildRaw(app, template);
  else scenario.build(app, 1);
  const yaml = app.synthYaml();
  const endHeapMb = mb(process.memoryUsage().heapUsed);
  const peakRssMb = process.resourceUsage().maxRSS / 1024;
  gc();
  const liveHeapMb = mb(process.memoryUsage().heapUsed);
  fs.writeFileSync(yamlFile, yaml);
  return { peakRssMb, startRssMb, startHeapMb, endHeapMb, liveHeapMb, charts: app.charts.length };
}

// ---------------------------------------------------------------------------
// The parent: fork the children, compare, report

/**
 * Runs this script as a child and returns what it sends. With `traceGc`, the
 * child runs with --trace-gc, and the largest heap any GC found (the heap used
 * just before it) is returned beside: the heap's peaks are just before GCs.
 */
function spawnChild<T>(args: string[], traceGc = false): Promise<{ result: T; peakHeapBeforeGcMb: number }> {
  return new Promise((resolve, reject) => {
    const child = fork(__filename, ['--child', ...args], {
      // the child runs this TypeScript file too; --expose-gc for the memory children's start and live heap
      execArgv: ['-r', 'ts-node/register/transpile-only', '--expose-gc', ...(traceGc ? ['--trace-gc'] : [])],
      env: { ...process.env, TS_NODE_PROJECT: path.join(__dirname, 'tsconfig.json') },
      stdio: ['ignore', traceGc ? 'pipe' : 'inherit', 'inherit', 'ipc'],
    });
    let result: T | undefined;
    let peakHeapBeforeGcMb = 0;
    let pending = '';
    const scan = (text: string) => {
      // e.g. "[123:0x5f0]  8533 ms: Scavenge 147.7 (179.9) -> 132.1 (179.9) MB, 0.59 / 0.00 ms ..."
      for (const match of text.matchAll(/ms: [^,\n]*?([\d.]+) \([\d.]+\) -> [\d.]+ \([\d.]+\) MB/g)) {
        peakHeapBeforeGcMb = Math.max(peakHeapBeforeGcMb, Number(match[1]));
      }
    };
    child.stdout?.setEncoding('utf8').on('data', (chunk: string) => {
      const lines = (pending + chunk).split('\n');
      pending = lines.pop()!;
      scan(lines.join('\n'));
    });
    child.on('message', (message) => { result = message as T; });
    child.on('error', reject);
    child.on('close', (code, signal) => {
      scan(pending);
      if (code === 0 && result !== undefined) resolve({ result, peakHeapBeforeGcMb });
      else reject(new Error(`the child "${args.slice(0, 3).join(' ')}" failed (exit code ${code}${signal ? `, signal ${signal}` : ''})`));
    });
  });
}

/** Where two texts first differ, line by line. */
function firstDifference(a: string, b: string): string {
  const linesA = a.split('\n');
  const linesB = b.split('\n');
  for (let i = 0; i < Math.max(linesA.length, linesB.length); i++) {
    if (linesA[i] !== linesB[i]) {
      return `line ${i + 1}: ours ${JSON.stringify(linesA[i])}, raw ${JSON.stringify(linesB[i])}`;
    }
  }
  return 'no line differs (line endings?)';
}

/** Load averages as `uptime` prints them. */
const loads = (averages: number[]) => averages.map((a) => a.toFixed(2)).join(', ');

/** One line per round (ours / raw = ratio), then min / median / max of each side and of the ratio. */
function roundLines(ours: number[], raw: number[]): string[] {
  const perRound = ratios(ours, raw);
  const ms = (n: number) => num(n);
  return [
    ...ours.map((_, i) => `round ${i + 1}: ${num(ours[i])} / ${num(raw[i])} = ${formatRatio(perRound[i])}`),
    `ours: ${spread(ours, ms, 'labelled')} ms; raw: ${spread(raw, ms, 'labelled')} ms; ratio: ${spread(perRound, formatRatio, 'labelled')}`,
  ];
}

const num = (n: number, digits = 0) => n.toLocaleString('en-US', { minimumFractionDigits: digits, maximumFractionDigits: digits });
const times = (a: number, b: number) => formatRatio(a / b);
const pct = (share: number) => `${(100 * share).toFixed(0)}%`;

/** CPU time over wall time of every timed run: at least ~100% when the run had a CPU to itself (GC threads add to it). */
function cpuShares(time: TimeResult): number[] {
  return SIDES.flatMap((side) => (['yaml', 'json'] as Mode[]).flatMap((mode) => {
    const runs = time.runs[side][mode];
    return runs.cpu.map((cpu, i) => cpu / runs.total[i]);
  }));
}

function table(rows: string[][]): string[] {
  const widths = rows[0].map((_, c) => Math.max(...rows.map((r) => r[c].length)));
  return rows.map((r) => r.map((cell, c) => (c < 2 ? cell.padEnd(widths[c]) : cell.padStart(widths[c]))).join('  ').trimEnd());
}

interface ScenarioReport {
  readonly scenario: Scenario;
  readonly time: TimeResult;
  readonly memory: Record<Side, MemoryResult>;
  readonly identical: boolean;
}

async function main(): Promise<void> {
  const log = (line = '') => process.stdout.write(`${line}\n`);
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'cdk8s-netpol-synth-bench-'));
  log(`cdk8s-netpol synthesis benchmark (seed ${SEED}), Node ${process.version}, ${os.cpus().length} CPUs`);
  log('ours: this library\'s constructs. raw: the manifests ours synthesized (chart.toJson(), outside the timed region), rebuilt');
  log('every run as new ApiObject(chart, id, <recursive copy of the manifest>) in a fresh App with the same Charts; the copy');
  log('stands in for the object literals a hand-written app builds, and is part of the raw time.');
  log(`Time: one process per scenario warms both sides up (scale ${WARM_UP_SCALE}), then runs ${ROUNDS} rounds; each runs the two sides`);
  log('back to back (ours first in even rounds, raw first in odd ones) with a full GC before every run; then as many interleaved rounds');
  log('(both Apps built, then their Charts\' toJson() and YAML done alternately, Chart by Chart). Memory: one process per side (the two');
  log('at once), one cold synthYaml().');

  const reports: ScenarioReport[] = [];
  try {
    for (const scenario of RUN_SCENARIOS) {
      const templateFile = path.join(dir, `${scenario.name}.template.json`);
      const yamlFile = (side: Side) => path.join(dir, `${scenario.name}.${side}.yaml`);
      const { result: time } = await spawnChild<TimeResult>(['time', scenario.name, templateFile]);
      const memory = {} as Record<Side, MemoryResult>;
      // the two sides side by side, one per CPU: separate processes, so neither's garbage is in the other's peak
      await Promise.all(SIDES.map(async (side) => {
        const { result, peakHeapBeforeGcMb } = await spawnChild<MemoryResult>(['memory', scenario.name, side, templateFile, yamlFile(side)], true);
        memory[side] = { ...result, peakHeapMb: Math.max(result.endHeapMb, peakHeapBeforeGcMb) };
      }));
      const [oursYaml, rawYaml] = SIDES.map((side) => fs.readFileSync(yamlFile(side), 'utf8'));
      const memoryDifference = oursYaml === rawYaml ? null : firstDifference(oursYaml, rawYaml);
      const identical = time.difference === null && memoryDifference === null && time.interleavedDifference === null;
      const ours = time.runs.ours;
      const raw = time.runs.raw;

      log();
      log(`${scenario.name}: ${time.description}`);
      log(`  ${num(time.objects)} NetworkPolicies, ${num(mb(time.yamlBytes), 1)} MB of YAML; ours and raw YAML ` +
        `${identical ? 'byte-identical' : `DIFFER: ${time.difference ?? memoryDifference}`}`);
      log(`  constructs in the tree: ours ${num(time.constructs.ours)}, raw ${num(time.constructs.raw)}; ` +
        'toJson() of each chart validates and walks the whole App (cdk8s), and synthYaml() calls it for every chart');
      log(`  runs per side and mode: ${ours.yaml.total.length}; construction alone (median): ours ${num(median(ours.yaml.construct))} ms, ` +
        `raw ${num(median(raw.yaml.construct))} ms, of which building the plain objects ${num(time.copyMs)} ms (structuredClone: ${num(time.structuredCloneMs)} ms)`);
      const shares = cpuShares(time);
      log(`  load averages (1, 5, 15 min): ${loads(time.loadBefore)} before the rounds, ${loads(time.loadAfter)} after`);
      for (const mode of ['yaml', 'json'] as Mode[]) {
        log(`  ${mode === 'yaml' ? 'construct + synthYaml()' : 'construct + toJson()  '}, ms per round (ours / raw = ratio):`);
        for (const line of roundLines(ours[mode].total, raw[mode].total)) log(`    ${line}`);
      }
      const [io, ir] = [time.interleaved.ours, time.interleaved.raw];
      const part = (p: keyof InterleavedTimings) => `${p} ${times(median(io[p]), median(ir[p]))}`;
      log('  interleaved (both Apps built, then their Charts synthesized alternately: the same noise for both), ms per round:');
      for (const line of roundLines(io.total, ir.total)) log(`    ${line}`);
      log(`    by part (medians, ours / raw): ${part('build')}, ${part('json')} (toJson() of every Chart), ${part('yaml')}` +
        `${time.interleavedDifference ? `; its output DIFFERS: ${time.interleavedDifference}` : ''}`);
      const walk = (t: InterleavedTimings) => median(t.json.map((json, i) => json - t.render[i]));
      const [oursRender, rawRender, oursWalk, rawWalk] = [median(io.render), median(ir.render), walk(io), walk(ir)];
      log(`    toJson() of every Chart, split (medians): rendering each Chart's own objects ours ${num(oursRender)} ms, ` +
        `raw ${num(rawRender)} ms (${times(oursRender, rawRender)}); the rest, cdk8s's walk of the whole App ` +
        `before each Chart, ours ${num(oursWalk)} ms, raw ${num(rawWalk)} ms (${times(oursWalk, rawWalk)})`);
      log(`  by CPU time (medians): ${times(median(ours.yaml.cpu), median(raw.yaml.cpu))}, ` +
        `without YAML ${times(median(ours.json.cpu), median(raw.json.cpu))}; the runs got ${pct(Math.min(...shares))} to ${pct(Math.max(...shares))} of a CPU ` +
        `${Math.min(...shares) < BUSY_SHARE ? '(below ~100%, another process competed for the CPUs: the times are less certain)' : '(none was short of CPU)'}`);
      log(`  memory at the start of the run: ours ${num(memory.ours.startRssMb)} MB RSS, ${num(memory.ours.startHeapMb)} MB heap; ` +
        `raw ${num(memory.raw.startRssMb)} MB RSS, ${num(memory.raw.startHeapMb)} MB heap (its manifests loaded); ` +
        `live heap at its end (App and YAML referenced, after a full GC): ours ${num(memory.ours.liveHeapMb)} MB, raw ${num(memory.raw.liveHeapMb)} MB`);
      reports.push({ scenario, time, memory, identical });
    }
  } finally {
    fs.rmSync(dir, { recursive: true, force: true });
  }

  log();
  const rows: string[][] = [[
    'scenario', 'timed', 'objects', 'ours ms', 'raw ms', 'ratio', 'ours peak RSS MB', 'raw peak RSS MB', 'ratio', 'ours peak heap MB', 'raw peak heap MB', 'ratio',
  ]];
  for (const { scenario, time, memory } of reports) {
    const [ours, raw] = [time.runs.ours, time.runs.raw];
    rows.push([
      scenario.name, 'construct + app.synthYaml()', num(time.objects),
      num(median(ours.yaml.total)), num(median(raw.yaml.total)), times(median(ours.yaml.total), median(raw.yaml.total)),
      num(memory.ours.peakRssMb), num(memory.raw.peakRssMb), times(memory.ours.peakRssMb, memory.raw.peakRssMb),
      num(memory.ours.peakHeapMb!), num(memory.raw.peakHeapMb!), times(memory.ours.peakHeapMb!, memory.raw.peakHeapMb!),
    ]);
    rows.push([
      '', 'construct + chart.toJson()', num(time.objects),
      num(median(ours.json.total)), num(median(raw.json.total)), times(median(ours.json.total), median(raw.json.total)),
      '', '', '', '', '', '',
    ]);
  }
  for (const line of table(rows)) log(line);
  log('Peak RSS: maxRSS of a fresh process after one synthYaml() (node, ts-node and the modules are about the first 170 MB of it).');
  log('Peak heap: the most heap used at any time of that run (garbage included): the heap used before each GC (--trace-gc) and at the end.');
  log();
  for (const { scenario, time, identical } of reports) {
    const [ours, raw] = [time.runs.ours, time.runs.raw];
    const ratio = median(ours.yaml.total) / median(raw.yaml.total);
    const jsonRatio = median(ours.json.total) / median(raw.json.total);
    const perRound = ratios(ours.yaml.total, raw.yaml.total);
    const worst = Math.max(...perRound);
    const verdict = !identical ? '*** NOT JUDGED (YAML differs) ***' : worst <= TARGET_RATIO ? 'target met:' : '*** TARGET MISSED ***';
    const busy = Math.min(...cpuShares(time)) < BUSY_SHARE;
    log(`${verdict} ${scenario.name}: synthesis takes ${formatRatio(ratio)} the raw time (medians; rounds ${formatRatio(Math.min(...perRound))} to ` +
      `${formatRatio(worst)}; target: at most ${TARGET_RATIO}x in every round; without YAML ${formatRatio(jsonRatio)})` +
      `${busy ? '; the machine was busy during some runs: re-run to confirm' : ''}`);
    const interleaved = ratios(time.interleaved.ours.total, time.interleaved.raw.total);
    const interleavedWorst = Math.max(...interleaved);
    const interleavedVerdict = !identical ? '*** NOT JUDGED (YAML differs) ***' : interleavedWorst <= TARGET_RATIO ? 'target met:' : '*** TARGET MISSED ***';
    log(`${interleavedVerdict} ${scenario.name}, interleaved: ${formatRatio(median(interleaved))} (median; rounds ` +
      `${formatRatio(Math.min(...interleaved))} to ${formatRatio(interleavedWorst)})`);
  }
  if (reports.some((r) => !r.identical)) {
    log();
    log('*** FAILED: our YAML and the raw ApiObjects\' YAML differ, so the comparison above is void. ***');
    process.exitCode = 1;
  }
}

function runChild(args: string[]): void {
  const [kind, name, ...rest] = args;
  const scenario = SCENARIOS.find((s) => s.name === name);
  if (!scenario) throw new Error(`unknown scenario "${name}"`);
  const result = kind === 'time'
    ? timeChild(scenario, rest[0])
    : memoryChild(scenario, rest[0] as Side, rest[1], rest[2]);
  process.send!(result, () => process.disconnect());
}

if (process.argv[2] === '--child') {
  runChild(process.argv.slice(3));
} else {
  main().catch((error) => {
    process.stderr.write(`${error instanceof Error ? error.stack : String(error)}\n`);
    process.exitCode = 1;
  });
}

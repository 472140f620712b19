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
 * then runs ROUNDS rounds. Each round runs the two sides back to back (ours
 * first in even rounds, raw first in odd ones), for `synthYaml()` and again
 * for `toJson()`, with a full GC before every run, so that a burst of load
 * elsewhere on the machine hits both sides of a round and no run pays for the
 * previous one's garbage. The report gives every round's times and ratio, and
 * the min / median / max of each side and of the ratio: one run cannot mislead.
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
import { ApiObject, App, Chart } from 'cdk8s';
import { mulberry32 } from './generate-cluster';
import { AllowFrom, AllowTo, GraphService, IPeer, NamespaceBaseline, Peer, Port, Selector, ServiceGraph } from '../src';

const SEED = 20261125;
const TARGET_RATIO = 1.3;
/** Timed rounds: each runs both sides once per mode, back to back. */
const ROUNDS = 5;
/** A run that got less CPU time than this share of its wall time waited for the CPU: something else was running. */
const BUSY_SHARE = 0.9;
/** The warm-up builds the scenario at this scale: the same code paths, a fraction of the time. */
const WARM_UP_SCALE = 0.05;

type ScenarioName = 'constructs' | 'graph';
type Side = 'ours' | 'raw';
type Mode = 'yaml' | 'json';
const SIDES: Side[] = ['ours', 'raw'];

interface Scenario {
  readonly name: ScenarioName;
  /** Builds the scenario (`scale` 1: full size) into `app` with this library's constructs; returns what it built, in a line. */
  build(app: App, scale: number): string;
}

// ---------------------------------------------------------------------------
// The scenarios (this library's side)

const CONSTRUCTS_SHAPE = { namespaces: 1_000, allowsPerNamespace: 5 };
const APPS = ['web', 'api', 'worker', 'db', 'cache', 'auth', 'search', 'billing'];
const TCP_PORTS = [80, 443, 3000, 5432, 6379, 8080, 8443, 9000, 9090, 9092];

const constructsScenario: Scenario = {
  name: 'constructs',
  build(app, scale) {
    const random = mulberry32(SEED);
    const int = (n: number) => Math.floor(random() * n);
    const pick = <T>(items: readonly T[]): T => items[int(items.length)];
    const namespaces = Math.max(3, Math.round(CONSTRUCTS_SHAPE.namespaces * scale));
    const { allowsPerNamespace } = CONSTRUCTS_SHAPE;
    const nameOf = (i: number) => `team-${String(i).padStart(4, '0')}`;
    const other = (n: number) => (n + 1 + int(namespaces - 1)) % namespaces;
    let from = 0;
    let twoNamespaces = 0;
    for (let n = 0; n < namespaces; n++) {
      const namespace = nameOf(n);
      const chart = new Chart(app, namespace, { namespace });
      new NamespaceBaseline(chart, 'baseline');
      // the two other namespaces this one talks to
      const first = other(n);
      let second = other(n);
      while (second === first) second = other(n);
      for (let a = 0; a < allowsPerNamespace; a++) {
        const pods = Selector.labels({ app: pick(APPS) });
        const peers: IPeer[] = [Peer.podsInNamespace(nameOf(first), Selector.labels({ app: pick(APPS) }))];
        if (random() < 0.4) {
          peers.push(Peer.podsInNamespace(nameOf(second), Selector.labels({ app: pick(APPS) })));
          twoNamespaces++;
        }
        const port = pick(TCP_PORTS);
        const ports = [Port.tcp(port)];
        if (random() < 0.3) ports.push(Port.tcp(pick(TCP_PORTS.filter((p) => p !== port))));
        if (random() < 0.5) {
          new AllowFrom(chart, `allow-${a}-from`, { pods, from: peers, ports });
          from++;
        } else {
          new AllowTo(chart, `allow-${a}-to`, { pods, to: peers, ports });
        }
      }
    }
    const allows = namespaces * allowsPerNamespace;
    return `${namespaces} Charts, each a NamespaceBaseline (4 policies) and ${allowsPerNamespace} allows on TCP: ` +
      `${from} AllowFrom and ${allows - from} AllowTo, ${twoNamespaces} of them with peers in two other namespaces, the rest in one`;
  },
};

const GRAPH_SHAPE = { namespaces: 100, services: 2_000, calls: 10_000, dependencies: 3 };
const GRAPH_PORTS = [8080, 8443, 9090, 5432, 6379];

const graphScenario: Scenario = {
  name: 'graph',
  build(app, scale) {
    const random = mulberry32(SEED + 1);
    const int = (n: number) => Math.floor(random() * n);
    const nsCount = Math.max(4, Math.round(GRAPH_SHAPE.namespaces * scale));
    const serviceCount = Math.max(2 * nsCount, Math.round(GRAPH_SHAPE.services * scale));
    const callCount = Math.round(GRAPH_SHAPE.calls * scale);
    const { dependencies } = GRAPH_SHAPE;
    const chart = new Chart(app, 'mesh');
    const namespaces = Array.from({ length: nsCount }, (_, i) => `shop-${String(i).padStart(3, '0')}`);
    const graph = new ServiceGraph(chart, 'mesh', { namespaces });
    const byNamespace: GraphService[][] = namespaces.map(() => []);
    for (let s = 0; s < serviceCount; s++) {
      const id = `svc-${String(s).padStart(4, '0')}`;
      const n = s % nsCount;
      byNamespace[n].push(graph.addService(id, { namespace: namespaces[n], pods: Selector.labels({ app: id }) }));
    }
    // Half the calls stay in the client's namespace, half go to one of the few namespaces
    // it depends on: some client-server pairs come up twice, as in a real service graph.
    const dependsOn = namespaces.map((_, n) => Array.from({ length: dependencies }, () => (n + 1 + int(nsCount - 1)) % nsCount));
    for (let c = 0; c < callCount; c++) {
      const clientNs = int(nsCount);
      const client = byNamespace[clientNs][int(byNamespace[clientNs].length)];
      const serverNs = random() < 0.5 ? clientNs : dependsOn[clientNs][int(dependencies)];
      let server = byNamespace[serverNs][int(byNamespace[serverNs].length)];
      while (server === client) server = byNamespace[serverNs][int(byNamespace[serverNs].length)];
      graph.allow(client, server, Port.tcp(GRAPH_PORTS[int(GRAPH_PORTS.length)]));
    }
    const calls = graph.calls;
    const portCalls = calls.reduce((sum, call) => sum + call.ports.length, 0);
    return `1 Chart, 1 ServiceGraph owning ${nsCount} namespaces, ${serviceCount} services, ${callCount} allow() calls: ` +
      `${calls.length} distinct client-server pairs (${callCount - calls.length} calls repeat a pair), ` +
      `${portCalls} distinct (client, server, port) calls`;
  },
};

const SCENARIOS: Scenario[] = [constructsScenario, graphScenario];

// ---------------------------------------------------------------------------
// The raw side: the same manifests as plain ApiObjects

/** What the raw side rebuilds: per Chart, its id, namespace and manifests (our side's `chart.toJson()`). */
interface Template {
  readonly charts: Array<{ id: string; namespace?: string; manifests: any[] }>;
}

function templateOf(app: App, json: any[][]): Template {
  return { charts: app.charts.map((chart, i) => ({ id: chart.node.id, namespace: chart.namespace, manifests: json[i] })) };
}

/**
 * Builds the plain objects a hand-written cdk8s app would pass to `ApiObject`:
 * a recursive copy allocates the same objects that object literals would.
 * structuredClone goes through V8's serializer and costs several times more,
 * which would flatter our side; both are timed and reported.
 */
function plainCopy(value: any): any {
  if (Array.isArray(value)) return value.map(plainCopy);
  if (value !== null && typeof value === 'object') {
    const copy: any = {};
    for (const key of Object.keys(value)) copy[key] = plainCopy(value[key]);
    return copy;
  }
  return value;
}

function buildRaw(app: App, template: Template): void {
  for (const chartTemplate of template.charts) {
    const chart = new Chart(app, chartTemplate.id, { namespace: chartTemplate.namespace });
    chartTemplate.manifests.forEach((manifest, i) => new ApiObject(chart, `o${i}`, plainCopy(manifest)));
  }
}

// ---------------------------------------------------------------------------
// The children

function gc(): void {
  (global as { gc?: () => void }).gc?.();
}

function median(values: number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  const mid = Math.floor(sorted.length / 2);
  return sorted.length % 2 ? sorted[mid] : (sorted[mid - 1] + sorted[mid]) / 2;
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

  // What building the raw side's plain objects costs alone.
  const all = template!.charts.map((chart) => chart.manifests);
  const timeIt = (run: () => unknown) => median([0, 1, 2].map(() => {
    const start = performance.now();
    run();
    return performance.now() - start;
  }));

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
  const ratios = ours.map((ms, i) => ms / raw[i]);
  const spread = (values: number[], show: (n: number) => string) =>
    `min ${show(Math.min(...values))}, median ${show(median(values))}, max ${show(Math.max(...values))}`;
  const ms = (n: number) => num(n);
  const x = (n: number) => `${n.toFixed(2)}x`;
  return [
    ...ours.map((_, i) => `round ${i + 1}: ${num(ours[i])} / ${num(raw[i])} = ${x(ratios[i])}`),
    `ours: ${spread(ours, ms)} ms; raw: ${spread(raw, ms)} ms; ratio: ${spread(ratios, x)}`,
  ];
}

const num = (n: number, digits = 0) => n.toLocaleString('en-US', { minimumFractionDigits: digits, maximumFractionDigits: digits });
const times = (a: number, b: number) => `${(a / b).toFixed(2)}x`;
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
  log('back to back (ours first in even rounds, raw first in odd ones) with a full GC before every run. Memory: one process per side');
  log('(the two at once), one cold synthYaml().');

  const reports: ScenarioReport[] = [];
  try {
    for (const scenario of SCENARIOS) {
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
      const identical = time.difference === null && memoryDifference === null;
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
    const ratios = ours.yaml.total.map((ms, i) => ms / raw.yaml.total[i]);
    const worst = Math.max(...ratios);
    const verdict = !identical ? '*** NOT JUDGED (YAML differs) ***' : worst <= TARGET_RATIO ? 'target met:' : '*** TARGET MISSED ***';
    const busy = Math.min(...cpuShares(time)) < BUSY_SHARE;
    log(`${verdict} ${scenario.name}: synthesis takes ${ratio.toFixed(2)}x the raw time (medians; rounds ${Math.min(...ratios).toFixed(2)}x to ` +
      `${worst.toFixed(2)}x; target: at most ${TARGET_RATIO}x in every round; without YAML ${jsonRatio.toFixed(2)}x)` +
      `${busy ? '; the machine was busy during some runs: re-run to confirm' : ''}`);
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

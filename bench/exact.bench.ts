/**
 * `npm run bench`, part two: exact answers at scale. On the generated cluster
 * of analyzer.bench.ts (200 namespaces, 5,000 pods and workloads, 2,000
 * NetworkPolicies) and a copy with 100 policies changed, measures:
 *
 * - the one-port bitset matrix (TCP 8080), the baseline of one "who reaches whom";
 * - connectivity(): every pair's exact connection set, address ranges included;
 * - the sampled diff (what `diff` was before connection sets: every named port
 *   and the first address of each ipBlock; kept in bench/sampled-diff.ts);
 * - the exact diff (ReachabilityDiff).
 *
 * Each measurement runs in its own Node process, so peak memory (maxRSS) is
 * that scenario's own; the scenarios are interleaved round by round, and the
 * report gives min / median / max of every round and of the ratios, so that
 * one noisy run cannot mislead. BENCH_ROUNDS sets the rounds (default 3).
 */
import { execFileSync } from 'child_process';
import * as path from 'path';
import { performance } from 'perf_hooks';
import { changePolicies } from './change-policies';
import { generateCluster } from './generate-cluster';
import { formatRatio as x, ratios, spread } from './measure';
import { SampledDiff } from './sampled-diff';
import { Analyzer } from '../src/analysis/analyzer';
import { ReachabilityMatrix } from '../src/analysis/reachability-matrix';
import { Protocol } from '../src/protocol';
import { ReachabilityDiff } from '../src/review/reachability-diff';

const SHAPE = { namespaces: 200, podsPerNamespace: 25, policiesPerNamespace: 10, seed: 20261124 };
const CHANGED = 100;
const SCENARIOS = ['matrix', 'connectivity', 'sampled-diff', 'exact-diff'] as const;
type Scenario = (typeof SCENARIOS)[number];

interface Measurement {
  readonly ms: number;
  /** Peak resident memory of the process after loading the manifests, and at the end. */
  readonly loadedMb: number;
  readonly peakMb: number;
  readonly result: string;
}

/** Runs one scenario in this process (the child side). */
function measure(scenario: Scenario): Measurement {
  const objects = generateCluster(SHAPE);
  const before = Analyzer.fromManifests(objects);
  const after = Analyzer.fromManifests(changePolicies(objects, CHANGED));
  const loadedMb = process.resourceUsage().maxRSS / 1024;
  const start = performance.now();
  let result: string;
  switch (scenario) {
    case 'matrix':
      result = `${ReachabilityMatrix.compute(before._model, 8080, Protocol.TCP).countAllowed()} pairs allowed on TCP 8080`;
      break;
    case 'connectivity':
      result = `${before.connectivity().length} pairs with connections`;
      break;
    case 'sampled-diff': {
      const diff = SampledDiff.between(before, after);
      result = `${diff.newlyAllowed.length} flows newly allowed, ${diff.newlyDenied.length} newly denied on ${diff.ports.length} ports`;
      break;
    }
    case 'exact-diff': {
      const diff = ReachabilityDiff.between(before, after);
      result = `${diff.summary.pairsNewlyAllowed} pairs newly allowed, ${diff.summary.pairsNewlyDenied} newly denied`;
      break;
    }
  }
  return { ms: performance.now() - start, loadedMb, peakMb: process.resourceUsage().maxRSS / 1024, result };
}

function main(): void {
  const child = process.argv[2] as Scenario | undefined;
  if (child) {
    process.stdout.write(`${JSON.stringify(measure(child))}\n`);
    return;
  }
  const rounds = Number(process.env.BENCH_ROUNDS ?? 3);
  const log = (line: string) => process.stdout.write(`${line}\n`);
  log(`\nExact answers: connectivity and diff on the bench cluster (${SHAPE.namespaces} namespaces, 5,000 pods and workloads, 2,000 policies), `
    + `the diff against a copy with ${CHANGED} policies changed; ${rounds} rounds, each scenario in its own process, interleaved; min / median / max`);
  const runs = new Map<Scenario, Measurement[]>(SCENARIOS.map((s) => [s, []]));
  for (let round = 0; round < rounds; round++) {
    for (const scenario of SCENARIOS) {
      // A fresh Node process per scenario, compiling this file as `npm run bench` does.
      const output = execFileSync(process.execPath, ['-r', 'ts-node/register/transpile-only', __filename, scenario], {
        encoding: 'utf8',
        env: { ...process.env, TS_NODE_PROJECT: path.join(__dirname, 'tsconfig.json') },
      });
      runs.get(scenario)!.push(JSON.parse(output.trim().split('\n').pop()!));
    }
  }
  const ms = (v: number) => (v < 1000 ? `${v.toFixed(0)} ms` : `${(v / 1000).toFixed(2)} s`);
  const mb = (v: number) => `${v.toFixed(0)} MB`;
  for (const scenario of SCENARIOS) {
    const m = runs.get(scenario)!;
    log(`${scenario.padEnd(14)} time ${spread(m.map((r) => r.ms), ms).padEnd(28)} peak RSS ${spread(m.map((r) => r.peakMb), mb)} `
      + `(after loading both sides: ${spread(m.map((r) => r.loadedMb), mb)})   ${m[0].result}`);
  }
  const ratio = (a: Scenario, b: Scenario) => ratios(runs.get(a)!.map((m) => m.ms), runs.get(b)!.map((m) => m.ms));
  log(`connectivity / one-port matrix, per round: ${spread(ratio('connectivity', 'matrix'), x)}`);
  const diffRatio = ratio('exact-diff', 'sampled-diff');
  log(`exact diff / sampled diff, per round:      ${spread(diffRatio, x)}; target at most 3x: ${Math.max(...diffRatio) <= 3 ? 'met in every round' : 'MISSED'}`);
}

main();

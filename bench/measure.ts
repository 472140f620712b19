import { performance } from 'perf_hooks';
import { Analyzer } from '../src/analysis/analyzer';
import { ConnectionPair } from '../src/analysis/connection-pair';
import { Flow } from '../src/analysis/flow';
import { Protocol } from '../src/protocol';

/** Runs `run` once and returns its result and wall time in milliseconds. */
export function time<T>(run: () => T): { result: T; ms: number } {
  const start = performance.now();
  const result = run();
  return { result, ms: performance.now() - start };
}

/** The middle value (the mean of the two middles for an even count). */
export function median(values: number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  const mid = Math.floor(sorted.length / 2);
  return sorted.length % 2 ? sorted[mid] : (sorted[mid - 1] + sorted[mid]) / 2;
}

/**
 * isAllowed per query, in ms, of three passes over `flows`, after a warm-up (of the JIT and the
 * endpoint cache) on the first 10,000 of them.
 */
export function isAllowedPerQuery(analyzer: Analyzer, flows: readonly Flow[]): number[] {
  for (let i = 0; i < Math.min(10_000, flows.length); i++) analyzer.isAllowed(flows[i]);
  return [0, 1, 2].map(() => time(() => flows.reduce((n, f) => n + (analyzer.isAllowed(f) ? 1 : 0), 0)).ms / flows.length);
}

/** A flow of randomFlows as the naive evaluators of the tests take it (TCP when it names no protocol). */
export function naiveFlow(f: Flow & { readonly port: number }): { from: string; to: string; port: number; protocol: 'TCP' | 'UDP' | 'SCTP' } {
  return { from: f.from, to: f.to, port: f.port, protocol: (f.protocol ?? Protocol.TCP) as 'TCP' | 'UDP' | 'SCTP' };
}

/** `count` flows between random endpoints of `names` on random ones of `ports`, the same for the same seed (an LCG). */
export function randomFlows(
  names: readonly string[], ports: ReadonlyArray<[number, Protocol]>, count: number, seed: number,
): Array<Flow & { readonly port: number }> {
  let state = seed;
  const next = (n: number) => {
    state = (state * 1103515245 + 12345) % 2147483648;
    return state % n;
  };
  return Array.from({ length: count }, () => {
    const [port, protocol] = ports[next(ports.length)];
    return { from: names[next(names.length)], to: names[next(names.length)], port, protocol };
  });
}

/** `min / median / max` of the values, each shown by `show`; `labelled`: `min a, median b, max c`. */
export function spread(values: number[], show: (n: number) => string, style: 'slashes' | 'labelled' = 'slashes'): string {
  const [min, mid, max] = [Math.min(...values), median(values), Math.max(...values)].map((n) => show(n));
  return style === 'labelled' ? `min ${min}, median ${mid}, max ${max}` : `${min} / ${mid} / ${max}`;
}

/** A duration for a report: µs below a millisecond, s above a second. */
export function formatMs(ms: number): string {
  if (ms < 1) return `${(ms * 1000).toFixed(1)} µs`;
  if (ms < 10) return `${ms.toFixed(2)} ms`;
  if (ms < 1000) return `${ms.toFixed(0)} ms`;
  return `${(ms / 1000).toFixed(2)} s`;
}

/** A ratio for a report: `1.23x`. */
export function formatRatio(n: number): string {
  return `${n.toFixed(2)}x`;
}

/** Load and connectivity() of a baseline set of manifests and ours, side by side in each round. */
export interface SideBySide {
  readonly load: { readonly base: number[]; readonly ours: number[] };
  readonly connectivity: { readonly base: number[]; readonly ours: number[] };
  /** Ours, as loaded in the last round. */
  readonly analyzer: Analyzer;
  /** Ours: connectivity() of the last round. */
  readonly pairs: ConnectionPair[];
}

/** Loads both sets and lists their connectivity, `rounds` times, alternating them within each round. */
export function loadAndConnectivity(base: any[], ours: any[], rounds: number): SideBySide {
  const load = { base: [] as number[], ours: [] as number[] };
  const connectivity = { base: [] as number[], ours: [] as number[] };
  let last: { analyzer: Analyzer; pairs: ConnectionPair[] } | undefined;
  for (let round = 0; round < rounds; round++) {
    const a = time(() => Analyzer.fromManifests(base));
    const b = time(() => Analyzer.fromManifests(ours));
    load.base.push(a.ms);
    load.ours.push(b.ms);
    const c = time(() => a.result.connectivity().length);
    const d = time(() => b.result.connectivity());
    connectivity.base.push(c.ms);
    connectivity.ours.push(d.ms);
    last = { analyzer: b.result, pairs: d.result };
  }
  return { load, connectivity, ...last! };
}

/** Each of `ours` divided by the `base` of the same round. */
export function ratios(ours: number[], base: number[]): number[] {
  return ours.map((ms, i) => ms / base[i]);
}

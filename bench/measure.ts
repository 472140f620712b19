import { performance } from 'perf_hooks';
import { Flow } from '../src/analysis/flow';
import { Protocol } from '../src/protocol';

/** Runs `run` once and returns its result and wall time in milliseconds. */
export function time<T>(run: () => T): { result: T; ms: number } {
  const start = performance.now();
  const result = run();
  return { result, ms: performance.now() - start };
}

/** The middle value (the upper one of the two middles for an even count). */
export function median(values: number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.floor(sorted.length / 2)];
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

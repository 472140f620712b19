/**
 * `npm run bench`: the analyzer on a generated cluster (200 namespaces, 5,000
 * pods and workloads, 2,000 NetworkPolicies), beside the naive evaluator of the
 * tests (test/support/naive-evaluator.ts, which scans every policy on every
 * call) on the same data in the same run. Reports ratios, not absolute limits:
 * absolute times depend on the machine.
 */
import { generateCluster } from './generate-cluster';
import { median, randomFlows, time } from './measure';
import { Analyzer } from '../src/analysis/analyzer';
import { ReachabilityMatrix } from '../src/analysis/reachability-matrix';
import { Protocol } from '../src/protocol';
import { naiveIsAllowed } from '../test/support/naive-evaluator';

const SHAPE = { namespaces: 200, podsPerNamespace: 25, policiesPerNamespace: 10, seed: 20261124 };
const QUERIES = 200_000;
const NAIVE_QUERIES = 2_000;
const NAIVE_MATRIX_ROWS = 4;
const MATRIX_PORT = 8080;


function fmt(ms: number): string {
  if (ms < 0.001) return `${(ms * 1e6).toFixed(0)} ns`;
  if (ms < 1) return `${(ms * 1000).toFixed(2)} µs`;
  if (ms < 1000) return `${ms.toFixed(1)} ms`;
  return `${(ms / 1000).toFixed(2)} s`;
}

function main(): void {
  const log = (line: string) => process.stdout.write(`${line}\n`);
  const objects = generateCluster(SHAPE);
  const policies = objects.filter((o) => o.kind === 'NetworkPolicy').length;
  const endpointsCount = objects.filter((o) => o.kind !== 'NetworkPolicy' && o.kind !== 'Namespace').length;
  log(`cdk8s-netpol benchmark: ${SHAPE.namespaces} namespaces, ${endpointsCount} pods and workloads, ${policies} NetworkPolicies (seed ${SHAPE.seed}), Node ${process.version}`);

  // Load: parse, validate and index. The naive evaluator has no load step: it re-reads the objects on every call.
  const loads = [0, 1, 2].map(() => time(() => Analyzer.fromManifests(objects)));
  const analyzer = loads[loads.length - 1].result;
  const loadMs = median(loads.map((l) => l.ms));
  log(`load            analyzer ${fmt(loadMs)} (median of 3)   naive: none (reads every object on every call)`);

  // Queries: random endpoint pairs on ports the policies name.
  const names = analyzer.endpoints.map((e) => e.name);
  const ports: Array<[number, Protocol]> = [
    [8080, Protocol.TCP], [5432, Protocol.TCP], [9090, Protocol.TCP], [9000, Protocol.UDP], [8050, Protocol.TCP], [53, Protocol.UDP],
  ];
  const flows = randomFlows(names, ports, QUERIES, 7);
  for (let i = 0; i < 20_000; i++) analyzer.isAllowed(flows[i]); // warm up the JIT and the endpoint cache
  const ours = time(() => {
    let allowed = 0;
    for (const flow of flows) if (analyzer.isAllowed(flow)) allowed++;
    return allowed;
  });
  const naive = time(() => {
    let allowed = 0;
    for (let i = 0; i < NAIVE_QUERIES; i++) if (naiveIsAllowed(objects, flows[i])) allowed++;
    return allowed;
  });
  let disagreements = 0;
  for (let i = 0; i < NAIVE_QUERIES; i++) if (analyzer.isAllowed(flows[i]) !== naiveIsAllowed(objects, flows[i])) disagreements++;
  const ourQuery = ours.ms / QUERIES;
  const naiveQuery = naive.ms / NAIVE_QUERIES;
  log(`isAllowed       analyzer ${fmt(ourQuery)} per query (${QUERIES} queries, ${(100 * ours.result / QUERIES).toFixed(1)}% allowed)   naive ${fmt(naiveQuery)} per query (${NAIVE_QUERIES} queries)   ${(naiveQuery / ourQuery).toFixed(0)}x faster; target < 50 µs: ${ourQuery * 1000 < 50 ? 'met' : 'MISSED'}`);
  log(`                agreement with naive on ${NAIVE_QUERIES} queries: ${disagreements === 0 ? 'all agree' : `${disagreements} DISAGREE`}`);

  // The full pod-by-pod matrix for one port. Naive: every pair through naiveIsAllowed; 25 million
  // calls would take hours, so it runs on the first rows and the per-row time is scaled up.
  const model = analyzer._model;
  const n = model.endpoints.length;
  const matrices = [0, 1, 2].map(() => time(() => ReachabilityMatrix.compute(model, MATRIX_PORT, Protocol.TCP)));
  const matrix = matrices[matrices.length - 1].result;
  const matrixMs = median(matrices.map((m) => m.ms));
  const naiveRows = time(() => {
    let mismatches = 0;
    for (let s = 0; s < NAIVE_MATRIX_ROWS; s++) {
      for (let d = 0; d < n; d++) {
        if (naiveIsAllowed(objects, { from: names[s], to: names[d], port: MATRIX_PORT, protocol: 'TCP' }) !== matrix.isAllowed(s, d)) mismatches++;
      }
    }
    return mismatches;
  });
  const naiveMatrixMs = (naiveRows.ms / NAIVE_MATRIX_ROWS) * n;
  const flowByFlow = time(() => {
    let mismatches = 0;
    for (let s = 0; s < n; s += 50) {
      for (let d = 0; d < n; d++) {
        if (analyzer.isAllowed({ from: names[s], to: names[d], port: MATRIX_PORT }) !== matrix.isAllowed(s, d)) mismatches++;
      }
    }
    return mismatches;
  });
  const flowByFlowMs = (flowByFlow.ms / Math.ceil(n / 50)) * n;
  const allowedPairs = matrix.countAllowed();
  log(`matrix TCP ${MATRIX_PORT}  analyzer ${fmt(matrixMs)} for ${n}x${n} = ${(n * n / 1e6).toFixed(1)}M pairs (median of 3; ${allowedPairs} allowed)`);
  log(`                naive ${fmt(naiveMatrixMs)} (estimated: ${NAIVE_MATRIX_ROWS} rows took ${fmt(naiveRows.ms)})   ${(naiveMatrixMs / matrixMs).toFixed(0)}x faster; target >= 50x: ${naiveMatrixMs / matrixMs >= 50 ? 'met' : 'MISSED'}`);
  log(`                analyzer.isAllowed pair by pair ${fmt(flowByFlowMs)} (estimated from every 50th row)   the bitset matrix is ${(flowByFlowMs / matrixMs).toFixed(0)}x faster`);
  log(`                agreement: naive on ${NAIVE_MATRIX_ROWS} rows ${naiveRows.result === 0 ? 'agrees' : `${naiveRows.result} DISAGREE`}; isAllowed on every 50th row ${flowByFlow.result === 0 ? 'agrees' : `${flowByFlow.result} DISAGREE`}`);
  const heap = process.memoryUsage();
  log(`memory          heap used ${(heap.heapUsed / 1048576).toFixed(0)} MB, rss ${(heap.rss / 1048576).toFixed(0)} MB`);
  if (disagreements + naiveRows.result + flowByFlow.result > 0) process.exitCode = 1;
}

main();

/**
 * `npm run bench`, Cilium part: the generated cluster of analyzer.bench.ts
 * (200 namespaces, 5,000 pods and workloads) with its 2,000 NetworkPolicies
 * written as 2,000 CiliumNetworkPolicies that say the same
 * (test/support/cilium-translation.ts), a tenth of them with HTTP rules on a
 * port and some with DNS-name egress. Beside it in the same run: the v1
 * cluster (load and connectivity()) and the naive tier evaluator of the tests
 * (test/support/naive-cilium-evaluator.ts, which scans every policy on every
 * call). Three rounds; the report gives min / median / max and ratios, never
 * absolute limits.
 */
import { generateCluster } from './generate-cluster';
import { formatMs as fmt, formatRatio as x, isAllowedPerQuery, loadAndConnectivity, median, naiveFlow, randomFlows, ratios, spread, time } from './measure';
import { Protocol } from '../src/protocol';
import { translateToCilium } from '../test/support/cilium-translation';
import { naiveTierIsAllowed } from '../test/support/naive-cilium-evaluator';

const SHAPE = { namespaces: 200, podsPerNamespace: 25, policiesPerNamespace: 10, seed: 20261124 };
const ROUNDS = Number(process.env.BENCH_ROUNDS ?? 3);
const QUERIES = 100_000;
const NAIVE_QUERIES = 1_000;
const NAIVE_ROWS = 1;

/** A tenth of the policies get an HTTP rule on their first TCP port; every 25th an egress rule to a DNS name, with its DNS rule. */
function addL7AndNames(objects: any[]): { http: number; names: number } {
  let http = 0;
  let names = 0;
  objects.filter((o) => o.kind === 'CiliumNetworkPolicy').forEach((policy, i) => {
    const spec = policy.spec ?? policy.specs[0];
    if (i % 10 === 2) { // the generator writes a namespace's default deny first: every 10th from the third has ports
      const entry = [...(spec.ingress ?? []), ...(spec.egress ?? [])].flatMap((r: any) => r.toPorts ?? [])
        .find((t: any) => t.ports.some((p: any) => p.protocol === 'TCP' && /^[1-9][0-9]*$/.test(p.port) && p.endPort === undefined));
      if (entry) {
        entry.ports = entry.ports.filter((p: any) => p.protocol === 'TCP' && /^[1-9][0-9]*$/.test(p.port) && p.endPort === undefined);
        entry.rules = { http: [{ method: 'GET', path: '/api/.*' }, { method: 'POST', path: '/api/orders' }] };
        http++;
      }
    }
    if (i % 25 === 0) {
      const name = `api-${i}.example.com`;
      spec.egress = [
        ...(spec.egress ?? []),
        { toFQDNs: [{ matchName: name }], toPorts: [{ ports: [{ port: '443', protocol: 'TCP' }] }] },
        {
          toEndpoints: [{ matchLabels: { 'k8s:io.kubernetes.pod.namespace': 'kube-system', 'k8s-app': 'kube-dns' } }],
          toPorts: [{ ports: [{ port: '53', protocol: 'ANY' }], rules: { dns: [{ matchName: name }] } }],
        },
      ];
      names++;
    }
  });
  return { http, names };
}

function main(): void {
  const log = (line: string) => process.stdout.write(`${line}\n`);
  const v1 = generateCluster(SHAPE);
  const cilium = translateToCilium(structuredClone(v1));
  const added = addL7AndNames(cilium);
  const policies = cilium.filter((o) => o.kind === 'CiliumNetworkPolicy').length;
  log(`cdk8s-netpol Cilium benchmark (seed ${SHAPE.seed}), Node ${process.version}: ${policies} CiliumNetworkPolicies ` +
    `(${added.http} with HTTP rules, ${added.names} with a DNS name), the same intents as ${v1.filter((o) => o.kind === 'NetworkPolicy').length} NetworkPolicies; ${ROUNDS} rounds`);

  const { load, connectivity, analyzer, pairs } = loadAndConnectivity(v1, cilium, ROUNDS);
  log(`load (min / median / max)          v1 ${spread(load.base, fmt)}   Cilium ${spread(load.ours, fmt)}   Cilium / v1 ${spread(ratios(load.ours, load.base), x)}`);
  log(`connectivity() (${pairs.length} pairs)   v1 ${spread(connectivity.base, fmt)}   Cilium ${spread(connectivity.ours, fmt)}   `
    + `Cilium / v1 ${spread(ratios(connectivity.ours, connectivity.base), x)}`);

  // Point queries beside the naive evaluator, on random pairs and ports the policies name.
  const names = analyzer.endpoints.map((e) => e.name);
  const ports: Array<[number, Protocol]> = [
    [8080, Protocol.TCP], [5432, Protocol.TCP], [9090, Protocol.TCP], [9000, Protocol.UDP], [53, Protocol.UDP],
  ];
  const flows = randomFlows(names, ports, QUERIES, 11);
  const ours = isAllowedPerQuery(analyzer, flows);
  const naive = time(() => {
    let disagreements = 0;
    for (let i = 0; i < NAIVE_QUERIES; i++) if (naiveTierIsAllowed(cilium, naiveFlow(flows[i])) !== analyzer.isAllowed(flows[i])) disagreements++;
    return disagreements;
  });
  const naivePerQuery = naive.ms / NAIVE_QUERIES;
  log(`isAllowed per query (min / median / max)   analyzer ${spread(ours, fmt)}   naive ${fmt(naivePerQuery)} (${NAIVE_QUERIES} queries)   ` +
    `naive / analyzer ${x(naivePerQuery / median(ours))}; agreement: ${naive.result === 0 ? 'all agree' : `${naive.result} DISAGREE`}`);

  // Every pair's exact set beside the naive evaluator: the naive one answers one port at a time, so a
  // row of it (every destination, on the ports above) is timed and scaled to the whole cluster.
  const row = time(() => {
    for (let s = 0; s < NAIVE_ROWS; s++) {
      for (const to of names) for (const [port, protocol] of ports) naiveTierIsAllowed(cilium, { from: names[s], to, port, protocol: protocol as 'TCP' | 'UDP' });
    }
  });
  const naiveAll = (row.ms / NAIVE_ROWS) * names.length;
  log(`every pair on ${ports.length} ports   naive ${fmt(naiveAll)} (estimated from ${NAIVE_ROWS} rows: ${fmt(row.ms)})   ` +
    `connectivity() gives every port of every pair in ${fmt(median(connectivity.ours))}: ${x(naiveAll / median(connectivity.ours))} faster`);
  if (naive.result > 0) process.exitCode = 1;
}

main();

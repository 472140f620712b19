/**
 * `npm run bench`, tiers part: a generated cluster of analyzer.bench.ts's shape
 * (200 namespaces, 5,000 pods and workloads, 2,000 NetworkPolicies) plus 100
 * ClusterNetworkPolicies across both tiers (50 Admin, 50 Baseline: tenant
 * Pass/Deny, DNS and monitoring Accept, metadata and private-range Deny by
 * networks that also match pods by their addresses, named ports). Beside it
 * in the same run: the cluster without them (load and connectivity()), and
 * the naive evaluator of the tests extended to the tiers
 * (test/support/naive-cluster-tier-evaluator.ts, which scans every policy on
 * every call). The report gives min / median / max over BENCH_ROUNDS rounds
 * and ratios, never absolute limits.
 */
import { generateCluster } from './generate-cluster';
import { formatMs as fmt, formatRatio as x, isAllowedPerQuery, loadAndConnectivity, median, naiveFlow, randomFlows, ratios, spread, time } from './measure';
import { Analyzer } from '../src/analysis/analyzer';
import { Protocol } from '../src/protocol';
import { naiveClusterTierIsAllowed } from '../test/support/naive-cluster-tier-evaluator';

const SHAPE = { namespaces: 200, podsPerNamespace: 25, policiesPerNamespace: 10, seed: 20261207 };
const ROUNDS = Number(process.env.BENCH_ROUNDS ?? 3);
const QUERIES = 100_000;
const NAIVE_QUERIES = 1_000;

const cnp = (name: string, tier: 'Admin' | 'Baseline', priority: number, spec: any): any =>
  ({ apiVersion: 'policy.networking.k8s.io/v1alpha2', kind: 'ClusterNetworkPolicy', metadata: { name }, spec: { tier, priority, ...spec } });
const team = (t: number) => ({ namespaces: { matchLabels: { team: `team-${t}` } } });
const tcp = (number: number) => ({ tcp: { destinationPort: { number } } });

/** Gives each standalone Pod an address in 10.<namespace>.0.0/16, so that networks peers match some pods. */
function addPodAddresses(objects: any[]): number {
  let count = 0;
  for (const o of objects) {
    if (o.kind !== 'Pod') continue;
    const ns = Number(o.metadata.namespace.slice(3));
    o.status = { podIPs: [{ ip: `10.${ns % 256}.${Math.floor(count / 250) % 256}.${(count % 250) + 1}` }] };
    count++;
  }
  return count;
}

/** 100 ClusterNetworkPolicies: for each of 20 teams, two Admin and two Baseline ones, and 20 cluster-wide guardrails. */
function clusterPolicies(): any[] {
  const policies: any[] = [];
  const dns = [{ pods: { namespaceSelector: { matchLabels: { 'kubernetes.io/metadata.name': 'kube-system' } }, podSelector: { matchLabels: { 'k8s-app': 'kube-dns' } } } }];
  for (let t = 0; t < 20; t++) {
    policies.push(
      cnp(`tenant-${t}`, 'Admin', 100 + t, {
        subject: team(t),
        ingress: [{ action: 'Pass', from: [team(t)] }, { action: 'Deny', from: [{ namespaces: { matchLabels: { env: 'staging' } } }], protocols: [tcp(5432)] }],
        egress: [{ action: 'Pass', to: [team(t)] }, { action: 'Deny', to: [{ networks: [`10.${t}.0.0/16`] }] }],
      }),
      cnp(`tenant-${t}-metrics`, 'Admin', 200 + t, {
        subject: { pods: { namespaceSelector: team(t).namespaces, podSelector: { matchLabels: { tier: 'api' } } } },
        ingress: [{ action: 'Accept', from: [{ namespaces: { matchLabels: { 'kubernetes.io/metadata.name': 'ns-000' } } }], protocols: [{ destinationNamedPort: 'metrics' }] }],
      }),
      cnp(`tenant-${t}-baseline`, 'Baseline', 100 + t, {
        subject: team(t),
        ingress: [{ action: 'Accept', from: [team(t)] }, { action: 'Deny', from: [{ namespaces: {} }] }],
        egress: [{ action: 'Deny', to: [{ networks: ['172.16.0.0/12', '192.168.0.0/16'] }] }],
      }),
      cnp(`tenant-${t}-web`, 'Baseline', 200 + t, {
        subject: { pods: { namespaceSelector: team(t).namespaces, podSelector: { matchLabels: { tier: 'web' } } } },
        ingress: [{ action: 'Accept', from: [{ namespaces: {} }], protocols: [tcp(8080), { tcp: { destinationPort: { range: { start: 8000, end: 8100 } } } }] }],
      }),
    );
  }
  for (let g = 0; g < 10; g++) {
    policies.push(
      cnp(`guardrail-${g}`, 'Admin', g, {
        subject: { namespaces: { matchLabels: { env: g % 2 === 0 ? 'prod' : 'staging' } } },
        egress: [
          { action: 'Accept', to: dns, protocols: [{ udp: { destinationPort: { number: 53 } } }, tcp(53)] },
          { action: 'Deny', to: [{ networks: ['169.254.169.254/32', `10.${200 + g}.0.0/16`] }] },
        ],
      }),
      cnp(`baseline-${g}`, 'Baseline', g, {
        subject: { pods: { namespaceSelector: {}, podSelector: { matchLabels: { app: `app-${g}` } } } },
        egress: [{ action: 'Pass', to: [{ namespaces: {} }] }, { action: 'Deny', to: [{ networks: ['0.0.0.0/0', '::/0'] }], protocols: [tcp(25)] }],
      }),
    );
  }
  return policies;
}

function main(): void {
  const log = (line: string) => process.stdout.write(`${line}\n`);
  const base = generateCluster(SHAPE);
  const addressed = addPodAddresses(base);
  const extra = clusterPolicies();
  const tiered = [...base, ...extra];
  const admin = extra.filter((p) => p.spec.tier === 'Admin').length;
  log(`cdk8s-netpol tiers benchmark (seed ${SHAPE.seed}), Node ${process.version}: the generated cluster ` +
    `(${base.filter((o) => o.kind === 'NetworkPolicy').length} NetworkPolicies, ${addressed} Pods with addresses) plus ${extra.length} ClusterNetworkPolicies ` +
    `(${admin} Admin, ${extra.length - admin} Baseline); ${ROUNDS} rounds`);

  const { load, connectivity, analyzer, pairs } = loadAndConnectivity(base, tiered, ROUNDS);
  // Pairs with something allowed between two endpoints, each with its first allowed port: half of the checked queries.
  const open = pairs.filter((p) => !p.from.startsWith('ip:') && !p.to.startsWith('ip:'));
  const allowedPairs = Array.from({ length: NAIVE_QUERIES / 2 }, (_, i) => open[Math.floor((i * open.length) / (NAIVE_QUERIES / 2))]).map((p) => {
    const protocol = p.allowed.protocols[0];
    return { from: p.from, to: p.to, port: p.allowed.portRanges(protocol)[0].first, protocol };
  });
  // The cost follows the endpoint classes (endpoints no policy can tell apart): cluster policies whose subjects cut across namespaces add classes.
  const classes = (objects: any[]) => Analyzer.fromManifests(objects)._connectivityEngine().classes.length;
  const [baseClasses, ourClasses] = [classes(base), classes(tiered)];
  const morePairs = (ourClasses / baseClasses) ** 2;
  log(`endpoint classes   without ${baseClasses}   with tiers ${ourClasses}: ${x(morePairs)} the pairs of classes`);
  log(`load (min / median / max)          without ${spread(load.base, fmt)}   with tiers ${spread(load.ours, fmt)}   ratio ${spread(ratios(load.ours, load.base), x)}`);
  const connectivityRatios = ratios(connectivity.ours, connectivity.base);
  log(`connectivity() (${pairs.length} pairs)   without ${spread(connectivity.base, fmt)}   with tiers ${spread(connectivity.ours, fmt)}   ` +
    `ratio ${spread(connectivityRatios, x)}; per pair of classes ${spread(connectivityRatios.map((r) => r / morePairs), x)}`);

  const names = analyzer.endpoints.map((e) => e.name);
  const ports: Array<[number, Protocol]> = [[8080, Protocol.TCP], [5432, Protocol.TCP], [9090, Protocol.TCP], [53, Protocol.UDP], [25, Protocol.TCP]];
  const flows = randomFlows(names, ports, QUERIES, 13);
  const ours = isAllowedPerQuery(analyzer, flows);
  let allowed = 0;
  const checked = [...flows.slice(0, NAIVE_QUERIES / 2), ...allowedPairs];
  const naive = time(() => {
    let disagreements = 0;
    for (const flow of checked) {
      const expected = naiveClusterTierIsAllowed(tiered, naiveFlow(flow));
      if (expected) allowed++;
      if (expected !== analyzer.isAllowed(flow)) disagreements++;
    }
    return disagreements;
  });
  const naivePerQuery = naive.ms / NAIVE_QUERIES;
  log(`isAllowed per query (min / median / max)   analyzer ${spread(ours, fmt)}   naive ${fmt(naivePerQuery)} (${checked.length} queries: ${NAIVE_QUERIES / 2} random, ${NAIVE_QUERIES / 2} on pairs connectivity() says have some port open; ${allowed} allowed)   ` +
    `naive / analyzer ${x(naivePerQuery / median(ours))}; agreement: ${naive.result === 0 ? 'all agree' : `${naive.result} DISAGREE`}`);

  // A row of the naive evaluator (one source, every destination, the ports above), scaled to the cluster.
  const row = time(() => {
    for (const to of names) for (const [port, protocol] of ports) naiveClusterTierIsAllowed(tiered, { from: names[0], to, port, protocol: protocol as 'TCP' | 'UDP' });
  });
  const naiveAll = row.ms * names.length;
  log(`every pair on ${ports.length} ports   naive ${fmt(naiveAll)} (estimated from 1 row: ${fmt(row.ms)})   ` +
    `connectivity() gives every port of every pair in ${fmt(median(connectivity.ours))}: ${x(naiveAll / median(connectivity.ours))} faster`);
  if (naive.result > 0) process.exitCode = 1;
}

main();

/**
 * The synthesis benchmark's scenarios (this library's side) and the raw side
 * that rebuilds the same manifests as plain cdk8s ApiObjects: shared by
 * synth.bench.ts and anyone profiling one side alone.
 */
import { ApiObject, App, Chart } from 'cdk8s';
import { mulberry32 } from './generate-cluster';
import { AllowFrom, AllowTo, GraphService, IPeer, NamespaceBaseline, Peer, Port, Selector, ServiceGraph } from '../src';

export const SEED = 20261125;

export type ScenarioName = 'constructs' | 'graph';

export interface Scenario {
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

export const SCENARIOS: Scenario[] = [constructsScenario, graphScenario];

// ---------------------------------------------------------------------------
// The raw side: the same manifests as plain ApiObjects

/** What the raw side rebuilds: per Chart, its id, namespace and manifests (our side's `chart.toJson()`). */
export interface Template {
  readonly charts: Array<{ id: string; namespace?: string; manifests: any[] }>;
}

export function templateOf(app: App, json: any[][]): Template {
  return { charts: app.charts.map((chart, i) => ({ id: chart.node.id, namespace: chart.namespace, manifests: json[i] })) };
}

/**
 * Builds the plain objects a hand-written cdk8s app would pass to `ApiObject`:
 * a recursive copy allocates the same objects that object literals would.
 * structuredClone goes through V8's serializer and costs several times more,
 * which would flatter our side; both are timed and reported.
 */
export function plainCopy(value: any): any {
  if (Array.isArray(value)) return value.map(plainCopy);
  if (value !== null && typeof value === 'object') {
    const copy: any = {};
    for (const key of Object.keys(value)) copy[key] = plainCopy(value[key]);
    return copy;
  }
  return value;
}

export function buildRaw(app: App, template: Template): void {
  for (const chartTemplate of template.charts) {
    const chart = new Chart(app, chartTemplate.id, { namespace: chartTemplate.namespace });
    chartTemplate.manifests.forEach((manifest, i) => new ApiObject(chart, `o${i}`, plainCopy(manifest)));
  }
}

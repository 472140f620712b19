import { App, Chart } from 'cdk8s';
import { IConstruct } from 'constructs';
import { toAllowExactlyTheDeclaredCalls } from './graph-matcher';
import { describeValue, MatcherResult } from './matcher-result';
import { Analyzer } from '../analysis/analyzer';
import { Flow } from '../analysis/flow';
import { formatExplanation } from '../analysis/format-explanation';
import { Protocol } from '../protocol';
import { workloadApiObject } from '../workload';

/**
 * An endpoint in a traffic assertion: `<namespace>/<name>`,
 * `<namespace>/<kind>/<name>`, `ip:<address>`, or the cdk8s object itself
 * (a workload or Pod of any cdk8s-plus, an ApiObject, an Include that holds one workload), named by its synthesized
 * namespace, kind and name.
 */
export type TrafficEndpoint = string | IConstruct;

/** The flow a traffic matcher checks. */
export interface TrafficFlow {
  readonly from: TrafficEndpoint;
  readonly to: TrafficEndpoint;
  readonly port: number;
  /** TCP when absent; 'TCP' | 'UDP' | 'SCTP' or the Protocol enum. */
  readonly protocol?: Protocol | 'TCP' | 'UDP' | 'SCTP';
}

/** What a traffic matcher accepts as `expect(...)`: a Chart, an App, an Analyzer, or synthesized objects. */
export type TrafficSubject = Chart | App | Analyzer | any[];

/**
 * Jest matchers over NetworkPolicies: `expect(chart).toAllowTraffic(flow)` and
 * `expect(chart).toDenyTraffic(flow)`, failing with the analyzer's explanation.
 * Register them with `expect.extend(netpolMatchers)`, or add
 * `cdk8s-netpol/lib/jest/setup` to Jest's `setupFilesAfterEnv`.
 */
export const netpolMatchers = {
  toAllowTraffic(received: TrafficSubject, flow: TrafficFlow): MatcherResult {
    return judge(received, flow, true);
  },
  toDenyTraffic(received: TrafficSubject, flow: TrafficFlow): MatcherResult {
    return judge(received, flow, false);
  },
  toAllowExactlyTheDeclaredCalls,
};

function judge(received: TrafficSubject, flow: TrafficFlow, wantAllowed: boolean): MatcherResult {
  const analyzer = analyzerFor(received);
  const resolved: Flow = {
    from: endpointName(flow.from),
    to: endpointName(flow.to),
    port: flow.port,
    protocol: (flow.protocol ?? Protocol.TCP) as Protocol,
  };
  const explanation = analyzer.explain(resolved);
  const pass = explanation.allowed === wantAllowed;
  const flowText = `${explanation.from} -> ${explanation.to} on ${explanation.protocol} ${explanation.port}`;
  return {
    pass,
    // `pass` true reaches the message only under `.not`: the flow is what was asked, and must not be.
    message: () => `Expected ${flowText} ${pass ? 'not ' : ''}to be ${wantAllowed ? 'allowed' : 'denied'}, `
      + `but it is ${explanation.allowed ? 'allowed' : 'denied'}:\n\n${formatExplanation(explanation)}`,
  };
}

/** The analyzer for whatever was passed to `expect`. */
export function analyzerFor(received: TrafficSubject): Analyzer {
  if (received instanceof Analyzer) return received;
  if (Array.isArray(received)) return Analyzer.fromManifests(received);
  if (received instanceof App) return Analyzer.fromApp(received);
  if (Chart.isChart(received)) return Analyzer.fromChart(received);
  throw new Error(`toAllowTraffic/toDenyTraffic expect a cdk8s Chart or App, an Analyzer, or an array of Kubernetes objects; got ${describeValue(received)}.`);
}

/** `<namespace>/<kind>/<name>` of a cdk8s object, or the string as is. */
export function endpointName(endpoint: TrafficEndpoint): string {
  if (typeof endpoint === 'string') return endpoint;
  // A workload of any cdk8s-plus, an ApiObject, an Include that holds one workload: the object behind it.
  const apiObject = (typeof endpoint?.node?.path === 'string' ? workloadApiObject(endpoint) : undefined) ?? endpoint;
  const { kind, name, metadata } = apiObject as { kind?: unknown; name?: unknown; metadata?: { namespace?: string } };
  if (typeof kind !== 'string' || typeof name !== 'string') {
    throw new Error(`Cannot name the endpoint ${describeValue(endpoint)}: pass "<namespace>/<name>", "ip:<address>", or a cdk8s ApiObject or workload.`);
  }
  const namespace = metadata?.namespace ?? Chart.of(endpoint).namespace ?? 'default';
  return `${namespace}/${kind}/${name}`;
}


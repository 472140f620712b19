/**
 * The analyzer, rule by rule: hand-written manifests (plain objects) for every
 * semantic rule of the NetworkPolicy specification and every trap listed in
 * /work/shared/DESIGN.md. Each expected verdict is derived from the
 * specification, never from the analyzer's output.
 */
import { App, Chart, Testing } from 'cdk8s';
import * as kplus from 'cdk8s-plus-28';
import { AllowFrom, AllowTo, DefaultDeny, NamespaceSelector, Peer, Port, Protocol, Selector } from '../../src';
import { Analyzer } from '../../src/analysis/analyzer';
import { FlowExplanation } from '../../src/analysis/explanation';
import { inputError } from '../support/input-error';

// ---------------------------------------------------------------------------
// Helpers: plain Kubernetes objects.
// ---------------------------------------------------------------------------

type Labels = Record<string, string>;

interface ContainerPortSpec {
  readonly name?: string;
  readonly containerPort: number;
  readonly protocol?: string;
}

function namespace(name: string, labels?: Labels): any {
  return { apiVersion: 'v1', kind: 'Namespace', metadata: { name, ...(labels ? { labels } : {}) } };
}

function podSpec(ports: ContainerPortSpec[]): any {
  return { containers: [{ name: 'main', image: 'registry.example/app:1', ...(ports.length ? { ports } : {}) }] };
}

function pod(ns: string | undefined, name: string, labels: Labels = {}, ports: ContainerPortSpec[] = []): any {
  return {
    apiVersion: 'v1',
    kind: 'Pod',
    metadata: { name, ...(ns ? { namespace: ns } : {}), labels },
    spec: podSpec(ports),
  };
}

const WORKLOAD_API: Record<string, string> = {
  Deployment: 'apps/v1',
  StatefulSet: 'apps/v1',
  DaemonSet: 'apps/v1',
  ReplicaSet: 'apps/v1',
  ReplicationController: 'v1',
  Job: 'batch/v1',
  CronJob: 'batch/v1',
};

/**
 * A workload whose own metadata labels (`decoyLabels`) differ from its pod
 * template's labels: only the template's labels are the pods' labels.
 */
function workload(kind: string, ns: string, name: string, templateLabels: Labels, ports: ContainerPortSpec[] = [], decoyLabels: Labels = { decoy: 'metadata' }): any {
  const template = { metadata: { labels: templateLabels }, spec: podSpec(ports) };
  const metadata = { name, namespace: ns, labels: decoyLabels };
  if (kind === 'CronJob') {
    return { apiVersion: WORKLOAD_API[kind], kind, metadata, spec: { schedule: '*/5 * * * *', jobTemplate: { spec: { template } } } };
  }
  return { apiVersion: WORKLOAD_API[kind], kind, metadata, spec: { selector: { matchLabels: templateLabels }, template } };
}

function deployment(ns: string, name: string, labels: Labels, ports: ContainerPortSpec[] = []): any {
  return workload('Deployment', ns, name, labels, ports);
}

function netpol(ns: string | undefined, name: string, spec: any, apiVersion = 'networking.k8s.io/v1'): any {
  return { apiVersion, kind: 'NetworkPolicy', metadata: { name, ...(ns ? { namespace: ns } : {}) }, spec };
}

/** `{ podSelector: { matchLabels } }` */
function pods(matchLabels: Labels): any {
  return { podSelector: { matchLabels } };
}

function allowed(analyzer: Analyzer, from: string, to: string, port: number, protocol?: Protocol): boolean {
  return analyzer.isAllowed({ from, to, port, protocol });
}

function explain(analyzer: Analyzer, from: string, to: string, port: number, protocol?: Protocol): FlowExplanation {
  return analyzer.explain({ from, to, port, protocol });
}


// ---------------------------------------------------------------------------
// Peers
// ---------------------------------------------------------------------------

describe('peers: namespaceSelector + podSelector in one peer is an AND, two peers are an OR', () => {
  const cluster = [
    namespace('prod', { team: 'shop' }),
    namespace('dev', { team: 'lab' }),
    pod('prod', 'api', { app: 'api' }),
    pod('prod', 'web', { app: 'web' }),
    pod('prod', 'other', { app: 'other' }),
    pod('dev', 'web', { app: 'web' }),
    pod('dev', 'db', { app: 'db' }),
  ];
  const withFrom = (from: any[]) => Analyzer.fromManifests([...cluster, netpol('prod', 'api', { podSelector: { matchLabels: { app: 'api' } }, ingress: [{ from }] })]);

  test('one peer with both selectors: pods app=web AND in namespaces team=lab', () => {
    const a = withFrom([{ namespaceSelector: { matchLabels: { team: 'lab' } }, podSelector: { matchLabels: { app: 'web' } } }]);
    expect(allowed(a, 'dev/web', 'prod/api', 80)).toBe(true);
    expect(allowed(a, 'dev/db', 'prod/api', 80)).toBe(false); // right namespace, wrong pod
    expect(allowed(a, 'prod/web', 'prod/api', 80)).toBe(false); // right pod, wrong namespace
  });

  test('two peers: namespaces team=lab OR pods app=web (of the policy namespace)', () => {
    const a = withFrom([{ namespaceSelector: { matchLabels: { team: 'lab' } } }, pods({ app: 'web' })]);
    expect(allowed(a, 'dev/web', 'prod/api', 80)).toBe(true);
    expect(allowed(a, 'dev/db', 'prod/api', 80)).toBe(true);
    expect(allowed(a, 'prod/web', 'prod/api', 80)).toBe(true);
    expect(allowed(a, 'prod/other', 'prod/api', 80)).toBe(false);
  });

  test('a podSelector alone selects pods of the policy namespace only', () => {
    const a = withFrom([pods({ app: 'web' })]);
    expect(allowed(a, 'prod/web', 'prod/api', 80)).toBe(true);
    expect(allowed(a, 'dev/web', 'prod/api', 80)).toBe(false);
  });

  test('namespaceSelector {} with a podSelector selects those pods in every namespace', () => {
    const a = withFrom([{ namespaceSelector: {}, podSelector: { matchLabels: { app: 'web' } } }]);
    expect(allowed(a, 'prod/web', 'prod/api', 80)).toBe(true);
    expect(allowed(a, 'dev/web', 'prod/api', 80)).toBe(true);
    expect(allowed(a, 'dev/db', 'prod/api', 80)).toBe(false);
    expect(allowed(a, 'prod/other', 'prod/api', 80)).toBe(false);
  });

  test('namespaceSelector {} alone selects every pod of every namespace', () => {
    const a = withFrom([{ namespaceSelector: {} }]);
    expect(allowed(a, 'dev/db', 'prod/api', 80)).toBe(true);
    expect(allowed(a, 'prod/other', 'prod/api', 80)).toBe(true);
  });

  test('the explanation names the matching peer', () => {
    const a = withFrom([{ namespaceSelector: { matchLabels: { team: 'lab' } }, podSelector: { matchLabels: { app: 'web' } } }]);
    expect(explain(a, 'dev/web', 'prod/api', 80).ingress.allowedBy?.peer).toBe('pods app=web in namespaces team=lab');
  });
});

describe('label selector operators (k8s labels.Selector semantics)', () => {
  const cluster = [
    pod('prod', 'api', { app: 'api' }),
    pod('prod', 'web', { app: 'web', tier: 'front' }),
    pod('prod', 'batch', { app: 'batch' }),
    pod('prod', 'bad', { app: 'bad', tier: 'untrusted' }),
  ];
  const withSelector = (podSelector: any) =>
    Analyzer.fromManifests([...cluster, netpol('prod', 'api', { podSelector: { matchLabels: { app: 'api' } }, ingress: [{ from: [{ podSelector }] }] })]);
  const sources = (a: Analyzer) => ['web', 'batch', 'bad'].filter((p) => allowed(a, `prod/${p}`, 'prod/api', 80));

  test('NotIn also matches pods without the key', () => {
    expect(sources(withSelector({ matchExpressions: [{ key: 'tier', operator: 'NotIn', values: ['untrusted'] }] }))).toEqual(['web', 'batch']);
  });

  test('Exists and DoesNotExist', () => {
    expect(sources(withSelector({ matchExpressions: [{ key: 'tier', operator: 'Exists' }] }))).toEqual(['web', 'bad']);
    expect(sources(withSelector({ matchExpressions: [{ key: 'tier', operator: 'DoesNotExist' }] }))).toEqual(['batch']);
  });

  test('In with several values', () => {
    expect(sources(withSelector({ matchExpressions: [{ key: 'tier', operator: 'In', values: ['front', 'back'] }] }))).toEqual(['web']);
  });

  test('matchLabels and matchExpressions are ANDed', () => {
    expect(sources(withSelector({ matchLabels: { app: 'web' }, matchExpressions: [{ key: 'tier', operator: 'NotIn', values: ['front'] }] }))).toEqual([]);
    expect(sources(withSelector({ matchLabels: { app: 'web' }, matchExpressions: [{ key: 'tier', operator: 'In', values: ['front'] }] }))).toEqual(['web']);
  });

  test('NotIn on a namespaceSelector matches namespaces without the key', () => {
    const a = Analyzer.fromManifests([
      namespace('live', { env: 'prod' }),
      namespace('scratch'),
      pod('live', 'client', { app: 'client' }),
      pod('scratch', 'client', { app: 'client' }),
      ...cluster,
      netpol('prod', 'api', {
        podSelector: { matchLabels: { app: 'api' } },
        ingress: [{ from: [{ namespaceSelector: { matchExpressions: [{ key: 'env', operator: 'NotIn', values: ['prod'] }] } }] }],
      }),
    ]);
    expect(allowed(a, 'scratch/client', 'prod/api', 80)).toBe(true);
    expect(allowed(a, 'live/client', 'prod/api', 80)).toBe(false);
    // prod is implicit: it has only kubernetes.io/metadata.name, no env label
    expect(allowed(a, 'prod/web', 'prod/api', 80)).toBe(true);
  });
});

// ---------------------------------------------------------------------------
// Combining policies and directions
// ---------------------------------------------------------------------------

describe('policies are additive: the union of the rules of every policy selecting the pod', () => {
  const cluster = [
    pod('prod', 'api', { app: 'api' }),
    pod('prod', 'web', { app: 'web' }),
    pod('prod', 'other', { app: 'other' }),
  ];
  const policies = [
    netpol('prod', 'deny', { podSelector: {}, policyTypes: ['Ingress'] }),
    netpol('prod', 'allow-web-80', { podSelector: { matchLabels: { app: 'api' } }, ingress: [{ from: [pods({ app: 'web' })], ports: [{ port: 80 }] }] }),
    netpol('prod', 'allow-other-81', { podSelector: { matchLabels: { app: 'api' } }, ingress: [{ from: [pods({ app: 'other' })], ports: [{ port: 81 }] }] }),
  ];

  test('each rule allows what it names, a deny policy subtracts nothing', () => {
    const a = Analyzer.fromManifests([...cluster, ...policies]);
    expect(allowed(a, 'prod/web', 'prod/api', 80)).toBe(true);
    expect(allowed(a, 'prod/other', 'prod/api', 81)).toBe(true);
    // rules are not mixed across policies: web may not use other's port, and vice versa
    expect(allowed(a, 'prod/web', 'prod/api', 81)).toBe(false);
    expect(allowed(a, 'prod/other', 'prod/api', 80)).toBe(false);
    // the deny alone isolates web and other too (podSelector {}): nothing allows ingress to them
    expect(allowed(a, 'prod/api', 'prod/web', 80)).toBe(false);
  });

  test('the order of the policies does not matter', () => {
    const a = Analyzer.fromManifests([...cluster, ...[...policies].reverse()]);
    expect(allowed(a, 'prod/web', 'prod/api', 80)).toBe(true);
    expect(allowed(a, 'prod/web', 'prod/api', 81)).toBe(false);
  });

  test('the explanation lists every selecting policy and the one that allowed', () => {
    const a = Analyzer.fromManifests([...cluster, ...policies]);
    const e = explain(a, 'prod/web', 'prod/api', 80);
    expect(e.ingress.selectingPolicies).toEqual(['prod/deny', 'prod/allow-web-80', 'prod/allow-other-81']);
    expect(e.ingress.allowedBy).toEqual({ policy: 'prod/allow-web-80', rule: 'spec.ingress[0]', peer: 'pods app=web in namespace prod', port: 'TCP 80' });
  });
});

describe('a connection needs egress allowed at the source AND ingress allowed at the destination', () => {
  const cluster = [
    pod('prod', 'api', { app: 'api' }),
    pod('prod', 'web', { app: 'web' }),
    pod('prod', 'db', { app: 'db' }),
    pod('prod', 'other', { app: 'other' }),
    netpol('prod', 'web-egress', { podSelector: { matchLabels: { app: 'web' } }, policyTypes: ['Egress'], egress: [{ to: [pods({ app: 'db' })], ports: [{ port: 5432 }] }] }),
    netpol('prod', 'api-ingress', { podSelector: { matchLabels: { app: 'api' } }, ingress: [{ from: [pods({ app: 'web' })], ports: [{ port: 80 }] }] }),
  ];

  test('ingress allows but egress does not: denied, and the reason names the egress side only', () => {
    const a = Analyzer.fromManifests(cluster);
    const e = explain(a, 'prod/web', 'prod/api', 80);
    expect(e.allowed).toBe(false);
    expect(e.egress.allowed).toBe(false);
    expect(e.ingress.allowed).toBe(true);
    expect(e.reason).toMatch(/^denied: prod\/web -> prod\/api on TCP 80\. Egress from prod\/web is denied/);
    expect(e.reason).not.toContain('Ingress to prod/api');
  });

  test('egress allows but ingress does not: denied', () => {
    const a = Analyzer.fromManifests(cluster);
    const e = explain(a, 'prod/other', 'prod/api', 80);
    expect(e.allowed).toBe(false);
    expect(e.egress).toMatchObject({ allowed: true, isolated: false });
    expect(e.ingress).toMatchObject({ allowed: false, isolated: true });
    expect(e.reason).toMatch(/^denied: prod\/other -> prod\/api on TCP 80\. Ingress to prod\/api is denied/);
  });

  test('both sides allow: allowed', () => {
    const a = Analyzer.fromManifests([
      ...cluster,
      netpol('prod', 'web-to-api', { podSelector: { matchLabels: { app: 'web' } }, policyTypes: ['Egress'], egress: [{ to: [pods({ app: 'api' })], ports: [{ port: 80 }] }] }),
    ]);
    expect(allowed(a, 'prod/web', 'prod/api', 80)).toBe(true);
    expect(allowed(a, 'prod/web', 'prod/db', 5432)).toBe(true);
    expect(allowed(a, 'prod/web', 'prod/other', 80)).toBe(false);
  });
});

describe('policyTypes: what a policy isolates', () => {
  const cluster = [pod('prod', 'web', { app: 'web' }), pod('prod', 'api', { app: 'api' }), pod('prod', 'db', { app: 'db' })];
  const withSpec = (spec: any) => Analyzer.fromManifests([...cluster, netpol('prod', 'p', { podSelector: { matchLabels: { app: 'web' } }, ...spec })]);

  test('absent policyTypes with ingress rules: Ingress only', () => {
    const a = withSpec({ ingress: [{ from: [pods({ app: 'api' })] }] });
    expect(allowed(a, 'prod/api', 'prod/web', 80)).toBe(true);
    expect(allowed(a, 'prod/db', 'prod/web', 80)).toBe(false);
    expect(allowed(a, 'prod/web', 'prod/db', 80)).toBe(true);
    expect(explain(a, 'prod/web', 'prod/db', 80).egress).toMatchObject({ isolated: false, selectingPolicies: [] });
  });

  test('absent policyTypes with egress rules only: Egress AND Ingress (Ingress is always defaulted, so all ingress is denied)', () => {
    const a = withSpec({ egress: [{ to: [pods({ app: 'db' })] }] });
    expect(allowed(a, 'prod/web', 'prod/db', 5432)).toBe(true);
    expect(allowed(a, 'prod/web', 'prod/api', 80)).toBe(false);
    const e = explain(a, 'prod/api', 'prod/web', 80);
    expect(e.allowed).toBe(false);
    expect(e.ingress.isolated).toBe(true);
    expect(e.ingress.unmatched).toEqual([{ policy: 'prod/p', rules: [], reason: 'prod/p has no ingress rules (it denies)' }]);
  });

  test('`egress: []` without policyTypes isolates nothing for egress', () => {
    const a = withSpec({ egress: [] });
    expect(allowed(a, 'prod/web', 'prod/api', 80)).toBe(true);
    expect(allowed(a, 'prod/web', 'ip:203.0.113.7', 443)).toBe(true);
    expect(explain(a, 'prod/web', 'prod/api', 80).egress).toMatchObject({ isolated: false, selectingPolicies: [] });
    // ...but the defaulted Ingress isolates ingress
    expect(allowed(a, 'prod/api', 'prod/web', 80)).toBe(false);
  });

  test('explicit policyTypes [Egress] without rules denies all egress and leaves ingress open', () => {
    const a = withSpec({ policyTypes: ['Egress'] });
    expect(allowed(a, 'prod/web', 'prod/api', 80)).toBe(false);
    expect(allowed(a, 'prod/web', 'ip:203.0.113.7', 443)).toBe(false);
    expect(allowed(a, 'prod/api', 'prod/web', 80)).toBe(true);
    expect(explain(a, 'prod/web', 'prod/api', 80).egress.unmatched).toEqual([
      { policy: 'prod/p', rules: [], reason: 'prod/p has no egress rules (it denies)' },
    ]);
  });

  test('empty `policyTypes: []` is defaulted like an absent one', () => {
    const noEgress = withSpec({ policyTypes: [], egress: [] });
    expect(allowed(noEgress, 'prod/web', 'prod/api', 80)).toBe(true);
    expect(allowed(noEgress, 'prod/api', 'prod/web', 80)).toBe(false);
    const withEgress = withSpec({ policyTypes: [], egress: [{ to: [pods({ app: 'db' })] }] });
    expect(allowed(withEgress, 'prod/web', 'prod/db', 80)).toBe(true);
    expect(allowed(withEgress, 'prod/web', 'prod/api', 80)).toBe(false);
    expect(allowed(withEgress, 'prod/api', 'prod/web', 80)).toBe(false);
  });

  test('explicit policyTypes [Ingress] ignores egress rules: egress is not isolated', () => {
    const a = withSpec({ policyTypes: ['Ingress'], egress: [{ to: [pods({ app: 'db' })] }] });
    expect(allowed(a, 'prod/web', 'prod/api', 80)).toBe(true);
    expect(allowed(a, 'prod/api', 'prod/web', 80)).toBe(false);
  });

  test('egress-only isolation with rules', () => {
    const a = withSpec({ policyTypes: ['Egress'], egress: [{ to: [pods({ app: 'db' })], ports: [{ port: 5432 }] }] });
    expect(allowed(a, 'prod/web', 'prod/db', 5432)).toBe(true);
    expect(allowed(a, 'prod/web', 'prod/db', 5433)).toBe(false);
    expect(allowed(a, 'prod/web', 'prod/api', 80)).toBe(false);
    expect(allowed(a, 'prod/api', 'prod/web', 80)).toBe(true);
    expect(allowed(a, 'ip:203.0.113.7', 'prod/web', 80)).toBe(true);
  });
});

// ---------------------------------------------------------------------------
// Rules: peers and ports
// ---------------------------------------------------------------------------

describe('an absent or empty peer list means everyone', () => {
  const cluster = [namespace('dev'), pod('prod', 'api', { app: 'api' }), pod('prod', 'db', { app: 'db' }), pod('dev', 'web', { app: 'web' })];

  test.each([
    ['absent from', { ports: [{ port: 80 }] }],
    ['from: []', { from: [], ports: [{ port: 80 }] }],
  ])('%s: every pod and every address, on the rule ports', (_, rule) => {
    const a = Analyzer.fromManifests([...cluster, netpol('prod', 'p', { podSelector: { matchLabels: { app: 'api' } }, ingress: [rule] })]);
    expect(allowed(a, 'prod/db', 'prod/api', 80)).toBe(true);
    expect(allowed(a, 'dev/web', 'prod/api', 80)).toBe(true);
    expect(allowed(a, 'ip:203.0.113.7', 'prod/api', 80)).toBe(true);
    expect(allowed(a, 'ip:2001:db8::1', 'prod/api', 80)).toBe(true);
    expect(allowed(a, 'prod/db', 'prod/api', 81)).toBe(false);
    expect(explain(a, 'ip:203.0.113.7', 'prod/api', 80).ingress.allowedBy).toEqual({ policy: 'prod/p', rule: 'spec.ingress[0]', peer: 'everyone', port: 'TCP 80' });
  });

  test('`to: []` in an egress rule: every destination', () => {
    const a = Analyzer.fromManifests([...cluster, netpol('prod', 'p', { podSelector: { matchLabels: { app: 'db' } }, policyTypes: ['Egress'], egress: [{ to: [], ports: [{ port: 443 }] }] })]);
    expect(allowed(a, 'prod/db', 'ip:8.8.8.8', 443)).toBe(true);
    expect(allowed(a, 'prod/db', 'dev/web', 443)).toBe(true);
    expect(allowed(a, 'prod/db', 'dev/web', 80)).toBe(false);
  });

  test('an empty rule `{}` allows everything', () => {
    const a = Analyzer.fromManifests([...cluster, netpol('prod', 'p', { podSelector: {}, policyTypes: ['Ingress', 'Egress'], ingress: [{}], egress: [{}] })]);
    expect(allowed(a, 'ip:198.51.100.1', 'prod/api', 1, Protocol.SCTP)).toBe(true);
    expect(allowed(a, 'prod/api', 'ip:198.51.100.1', 65535, Protocol.UDP)).toBe(true);
    expect(explain(a, 'prod/db', 'prod/api', 5).ingress.allowedBy).toEqual({ policy: 'prod/p', rule: 'spec.ingress[0]', peer: 'everyone', port: 'every port' });
  });
});

describe('ports', () => {
  const cluster = [
    pod('prod', 'api', { app: 'api' }, [
      { name: 'http', containerPort: 8080 },
      { name: 'dns', containerPort: 53, protocol: 'UDP' },
      { name: 'metrics', containerPort: 9090, protocol: 'TCP' },
    ]),
    pod('prod', 'web', { app: 'web' }, [{ name: 'http', containerPort: 80 }, { name: 'https', containerPort: 443 }]),
    pod('prod', 'db', { app: 'db' }),
  ];
  const ingressPorts = (ports: any) =>
    Analyzer.fromManifests([...cluster, netpol('prod', 'p', { podSelector: { matchLabels: { app: 'api' } }, ingress: [{ from: [pods({ app: 'web' })], ...(ports === undefined ? {} : { ports }) }] })]);

  test('a rule without ports allows every port of every protocol', () => {
    for (const a of [ingressPorts(undefined), ingressPorts([])]) {
      expect(allowed(a, 'prod/web', 'prod/api', 1)).toBe(true);
      expect(allowed(a, 'prod/web', 'prod/api', 65535)).toBe(true);
      expect(allowed(a, 'prod/web', 'prod/api', 53, Protocol.UDP)).toBe(true);
      expect(allowed(a, 'prod/web', 'prod/api', 9, Protocol.SCTP)).toBe(true);
      expect(allowed(a, 'prod/db', 'prod/api', 80)).toBe(false);
      expect(explain(a, 'prod/web', 'prod/api', 7).ingress.allowedBy?.port).toBe('every port');
    }
  });

  test('a port entry with only a protocol: every port of that protocol', () => {
    const a = ingressPorts([{ protocol: 'UDP' }]);
    expect(allowed(a, 'prod/web', 'prod/api', 1, Protocol.UDP)).toBe(true);
    expect(allowed(a, 'prod/web', 'prod/api', 65535, Protocol.UDP)).toBe(true);
    expect(allowed(a, 'prod/web', 'prod/api', 53, Protocol.TCP)).toBe(false);
    expect(allowed(a, 'prod/web', 'prod/api', 53, Protocol.SCTP)).toBe(false);
    expect(explain(a, 'prod/web', 'prod/api', 53, Protocol.UDP).ingress.allowedBy?.port).toBe('every UDP port');
  });

  test('a port entry `{}` defaults to TCP: every TCP port', () => {
    const a = ingressPorts([{}]);
    expect(allowed(a, 'prod/web', 'prod/api', 12345)).toBe(true);
    expect(allowed(a, 'prod/web', 'prod/api', 12345, Protocol.UDP)).toBe(false);
  });

  test('a numeric port without protocol is TCP only', () => {
    const a = ingressPorts([{ port: 53 }]);
    expect(allowed(a, 'prod/web', 'prod/api', 53)).toBe(true);
    expect(allowed(a, 'prod/web', 'prod/api', 53, Protocol.UDP)).toBe(false);
    expect(allowed(a, 'prod/web', 'prod/api', 54)).toBe(false);
  });

  test('endPort ranges are inclusive at both ends', () => {
    const a = ingressPorts([{ port: 8000, endPort: 8100 }, { port: 9000, endPort: 9000, protocol: 'UDP' }]);
    expect(allowed(a, 'prod/web', 'prod/api', 7999)).toBe(false);
    expect(allowed(a, 'prod/web', 'prod/api', 8000)).toBe(true);
    expect(allowed(a, 'prod/web', 'prod/api', 8050)).toBe(true);
    expect(allowed(a, 'prod/web', 'prod/api', 8100)).toBe(true);
    expect(allowed(a, 'prod/web', 'prod/api', 8101)).toBe(false);
    expect(allowed(a, 'prod/web', 'prod/api', 8050, Protocol.UDP)).toBe(false);
    expect(allowed(a, 'prod/web', 'prod/api', 9000, Protocol.UDP)).toBe(true);
    expect(allowed(a, 'prod/web', 'prod/api', 9001, Protocol.UDP)).toBe(false);
    expect(explain(a, 'prod/web', 'prod/api', 8100).ingress.allowedBy?.port).toBe('TCP 8000-8100');
  });

  test('SCTP', () => {
    const a = ingressPorts([{ port: 3868, protocol: 'SCTP' }]);
    expect(allowed(a, 'prod/web', 'prod/api', 3868, Protocol.SCTP)).toBe(true);
    expect(allowed(a, 'prod/web', 'prod/api', 3868, Protocol.TCP)).toBe(false);
    expect(allowed(a, 'prod/web', 'prod/api', 3868, Protocol.UDP)).toBe(false);
    expect(allowed(a, 'prod/web', 'prod/api', 3869, Protocol.SCTP)).toBe(false);
    expect(explain(a, 'prod/web', 'prod/api', 3868, Protocol.SCTP).protocol).toBe('SCTP');
  });

  describe('named ports resolve against the destination pod (name AND protocol)', () => {
    test('the name resolves to the container port number of the destination', () => {
      const a = ingressPorts([{ port: 'http' }]);
      expect(allowed(a, 'prod/web', 'prod/api', 8080)).toBe(true);
      // the name resolves to 8080 on api: another number does not match (80 is web's own "http")
      expect(allowed(a, 'prod/web', 'prod/api', 80)).toBe(false);
      expect(allowed(a, 'prod/web', 'prod/api', 9090)).toBe(false);
      expect(allowed(a, 'prod/web', 'prod/api', 8080, Protocol.UDP)).toBe(false);
      expect(explain(a, 'prod/web', 'prod/api', 8080).ingress.allowedBy?.port).toBe('TCP port named "http"');
    });

    test('a UDP named port', () => {
      const a = ingressPorts([{ port: 'dns', protocol: 'UDP' }]);
      expect(allowed(a, 'prod/web', 'prod/api', 53, Protocol.UDP)).toBe(true);
      expect(allowed(a, 'prod/web', 'prod/api', 53, Protocol.TCP)).toBe(false);
    });

    test('the right name with the wrong protocol matches nothing', () => {
      const a = ingressPorts([{ port: 'dns' }]); // TCP by default, but "dns" is a UDP container port
      expect(allowed(a, 'prod/web', 'prod/api', 53, Protocol.TCP)).toBe(false);
      expect(allowed(a, 'prod/web', 'prod/api', 53, Protocol.UDP)).toBe(false);
      const rule = explain(a, 'prod/web', 'prod/api', 53, Protocol.UDP).ingress.unmatched[0].rules[0];
      expect(rule).toMatchObject({ rule: 'spec.ingress[0]', peerMatched: true, portMatched: false });
      // the reason says what the name resolves to on the destination
      expect(rule.reason).toContain('TCP port named "dns" (on prod/api: UDP 53)');
    });

    test('a name the destination does not have matches nothing', () => {
      const a = ingressPorts([{ port: 'grpc' }]);
      for (const port of [80, 443, 8080, 9090]) {
        expect(allowed(a, 'prod/web', 'prod/api', port)).toBe(false);
      }
      expect(explain(a, 'prod/web', 'prod/api', 8080).ingress.unmatched[0].rules[0].reason).toContain('prod/api has no container port of that name');
    });

    test('in an egress rule the name resolves on the destination, not on the source', () => {
      const a = Analyzer.fromManifests([...cluster, netpol('prod', 'p', { podSelector: { matchLabels: { app: 'web' } }, policyTypes: ['Egress'], egress: [{ ports: [{ port: 'http' }] }] })]);
      expect(allowed(a, 'prod/web', 'prod/api', 8080)).toBe(true); // api's "http"
      expect(allowed(a, 'prod/web', 'prod/api', 80)).toBe(false); // web's own "http" is irrelevant
      expect(allowed(a, 'prod/web', 'prod/db', 80)).toBe(false); // db has no "http"
      expect(allowed(a, 'prod/web', 'prod/db', 8080)).toBe(false);
    });

    test('a named port never matches an address outside the cluster', () => {
      const a = Analyzer.fromManifests([
        ...cluster,
        netpol('prod', 'p', {
          podSelector: { matchLabels: { app: 'web' } },
          policyTypes: ['Egress'],
          egress: [{ to: [{ ipBlock: { cidr: '0.0.0.0/0' } }], ports: [{ port: 'https' }] }, { to: [{ ipBlock: { cidr: '198.51.100.0/24' } }], ports: [{ port: 443 }] }],
        }),
      ]);
      // web itself has a container port "https" = 443: it does not matter
      expect(allowed(a, 'prod/web', 'ip:203.0.113.7', 443)).toBe(false);
      expect(allowed(a, 'prod/web', 'ip:198.51.100.7', 443)).toBe(true);
      const rules = explain(a, 'prod/web', 'ip:203.0.113.7', 443).egress.unmatched[0].rules;
      expect(rules.map((r) => [r.peerMatched, r.portMatched])).toEqual([[true, false], [false, true]]);
      expect(rules[0].reason).toContain('named ports never match addresses outside the cluster');
    });

    test('from an address outside the cluster to a named port of a pod', () => {
      const a = Analyzer.fromManifests([...cluster, netpol('prod', 'p', { podSelector: { matchLabels: { app: 'api' } }, ingress: [{ ports: [{ port: 'metrics' }] }] })]);
      expect(allowed(a, 'ip:203.0.113.7', 'prod/api', 9090)).toBe(true);
      expect(allowed(a, 'ip:203.0.113.7', 'prod/api', 8080)).toBe(false);
    });
  });
});

describe('ipBlock', () => {
  const cluster = [pod('prod', 'web', { app: 'web' }), pod('prod', 'api', { app: 'api' })];
  const egressTo = (peers: any[], ports?: any[]) =>
    Analyzer.fromManifests([...cluster, netpol('prod', 'p', { podSelector: { matchLabels: { app: 'web' } }, policyTypes: ['Egress'], egress: [{ to: peers, ...(ports ? { ports } : {}) }] })]);

  test('IPv4 cidr with except', () => {
    const a = egressTo([{ ipBlock: { cidr: '0.0.0.0/0', except: ['10.0.0.0/8', '192.168.0.0/16'] } }], [{ port: 443 }]);
    expect(allowed(a, 'prod/web', 'ip:8.8.8.8', 443)).toBe(true);
    expect(allowed(a, 'prod/web', 'ip:9.255.255.255', 443)).toBe(true);
    expect(allowed(a, 'prod/web', 'ip:10.0.0.0', 443)).toBe(false);
    expect(allowed(a, 'prod/web', 'ip:10.1.2.3', 443)).toBe(false);
    expect(allowed(a, 'prod/web', 'ip:10.255.255.255', 443)).toBe(false);
    expect(allowed(a, 'prod/web', 'ip:11.0.0.0', 443)).toBe(true);
    expect(allowed(a, 'prod/web', 'ip:192.168.1.1', 443)).toBe(false);
    expect(allowed(a, 'prod/web', 'ip:192.169.0.1', 443)).toBe(true);
    expect(allowed(a, 'prod/web', 'ip:8.8.8.8', 80)).toBe(false);
    // an IPv4 block does not hold IPv6 addresses
    expect(allowed(a, 'prod/web', 'ip:2001:db8::1', 443)).toBe(false);
    expect(explain(a, 'prod/web', 'ip:8.8.8.8', 443).egress.allowedBy?.peer).toBe('ipBlock 0.0.0.0/0 except 10.0.0.0/8, 192.168.0.0/16');
  });

  test('IPv6 cidr with except', () => {
    const a = egressTo([{ ipBlock: { cidr: '2001:db8::/32', except: ['2001:db8:ff::/48'] } }]);
    expect(allowed(a, 'prod/web', 'ip:2001:db8::1', 443)).toBe(true);
    expect(allowed(a, 'prod/web', 'ip:2001:db8:fe:ffff::1', 443)).toBe(true);
    expect(allowed(a, 'prod/web', 'ip:2001:db8:ff::1', 443)).toBe(false);
    expect(allowed(a, 'prod/web', 'ip:2001:db8:ff:ffff:ffff:ffff:ffff:ffff', 443)).toBe(false);
    expect(allowed(a, 'prod/web', 'ip:2001:db9::1', 443)).toBe(false);
    expect(allowed(a, 'prod/web', 'ip:10.0.0.1', 443)).toBe(false);
  });

  test('::/0 does not hold IPv4 addresses', () => {
    const a = egressTo([{ ipBlock: { cidr: '::/0' } }]);
    expect(allowed(a, 'prod/web', 'ip:2a00:1450::1', 443)).toBe(true);
    expect(allowed(a, 'prod/web', 'ip:8.8.8.8', 443)).toBe(false);
  });

  test('a /32 block holds exactly one address', () => {
    const a = egressTo([{ ipBlock: { cidr: '203.0.113.7/32' } }]);
    expect(allowed(a, 'prod/web', 'ip:203.0.113.7', 443)).toBe(true);
    expect(allowed(a, 'prod/web', 'ip:203.0.113.8', 443)).toBe(false);
  });

  test('addresses are written canonically in explanations', () => {
    const a = egressTo([{ ipBlock: { cidr: '2001:db8::/32' } }]);
    expect(explain(a, 'prod/web', 'ip:2001:DB8:0:0:0:0:0:1', 443).to).toBe('ip:2001:db8::1');
    expect(allowed(a, 'prod/web', 'ip:2001:DB8:0:0:0:0:0:1', 443)).toBe(true);
  });

  test('an ipBlock never selects pods, even when the pod addresses would fall inside it', () => {
    const egress = egressTo([{ ipBlock: { cidr: '0.0.0.0/0' } }]);
    expect(allowed(egress, 'prod/web', 'prod/api', 443)).toBe(false);
    const ingress = Analyzer.fromManifests([...cluster, netpol('prod', 'p', { podSelector: { matchLabels: { app: 'api' } }, ingress: [{ from: [{ ipBlock: { cidr: '0.0.0.0/0' } }] }] })]);
    expect(allowed(ingress, 'ip:203.0.113.7', 'prod/api', 80)).toBe(true);
    expect(allowed(ingress, 'prod/web', 'prod/api', 80)).toBe(false);
  });

  test('an except only carves out of its own peer: another peer may still allow the address', () => {
    const a = egressTo([{ ipBlock: { cidr: '10.0.0.0/8', except: ['10.1.0.0/16'] } }, { ipBlock: { cidr: '10.1.2.0/24' } }]);
    expect(allowed(a, 'prod/web', 'ip:10.9.9.9', 443)).toBe(true);
    expect(allowed(a, 'prod/web', 'ip:10.1.2.3', 443)).toBe(true);
    expect(allowed(a, 'prod/web', 'ip:10.1.3.3', 443)).toBe(false);
    expect(explain(a, 'prod/web', 'ip:10.1.2.3', 443).egress.allowedBy?.peer).toBe('ipBlock 10.1.2.0/24');
  });

  test('pod and namespace selectors never select addresses outside the cluster', () => {
    const egress = egressTo([{ namespaceSelector: {}, podSelector: {} }]);
    expect(allowed(egress, 'prod/web', 'prod/api', 443)).toBe(true);
    expect(allowed(egress, 'prod/web', 'ip:8.8.8.8', 443)).toBe(false);
    const ingress = Analyzer.fromManifests([...cluster, netpol('prod', 'p', { podSelector: { matchLabels: { app: 'api' } }, ingress: [{ from: [{ namespaceSelector: {} }, pods({})] }] })]);
    expect(allowed(ingress, 'prod/web', 'prod/api', 80)).toBe(true);
    expect(allowed(ingress, 'ip:203.0.113.7', 'prod/api', 80)).toBe(false);
  });
});

// ---------------------------------------------------------------------------
// Namespaces
// ---------------------------------------------------------------------------

describe('namespaces', () => {
  const fromNamespace = (namespaceSelector: any) => netpol('prod', 'p', { podSelector: { matchLabels: { app: 'api' } }, ingress: [{ from: [{ namespaceSelector }] }] });
  const workloads = [pod('prod', 'api', { app: 'api' }), pod('dev', 'web', { app: 'web' }), pod('other', 'web', { app: 'web' })];

  test('an implicit namespace (no Namespace object) has only kubernetes.io/metadata.name', () => {
    const a = Analyzer.fromManifests([...workloads, fromNamespace({ matchLabels: { 'kubernetes.io/metadata.name': 'dev' } })]);
    expect(a.namespaces.sort()).toEqual(['dev', 'other', 'prod']);
    expect(allowed(a, 'dev/web', 'prod/api', 80)).toBe(true);
    expect(allowed(a, 'other/web', 'prod/api', 80)).toBe(false);
  });

  test('a `name:` label is not set automatically: it matches nothing', () => {
    const implicit = Analyzer.fromManifests([...workloads, fromNamespace({ matchLabels: { name: 'dev' } })]);
    expect(allowed(implicit, 'dev/web', 'prod/api', 80)).toBe(false);
    const declared = Analyzer.fromManifests([namespace('dev', { team: 'lab' }), ...workloads, fromNamespace({ matchLabels: { name: 'dev' } })]);
    expect(allowed(declared, 'dev/web', 'prod/api', 80)).toBe(false);
  });

  test('a declared Namespace has its labels plus kubernetes.io/metadata.name', () => {
    const objects = [namespace('dev', { team: 'lab' }), ...workloads];
    const byTeam = Analyzer.fromManifests([...objects, fromNamespace({ matchLabels: { team: 'lab' } })]);
    expect(allowed(byTeam, 'dev/web', 'prod/api', 80)).toBe(true);
    expect(allowed(byTeam, 'other/web', 'prod/api', 80)).toBe(false);
    const byName = Analyzer.fromManifests([...objects, fromNamespace({ matchLabels: { 'kubernetes.io/metadata.name': 'dev', 'team': 'lab' } })]);
    expect(allowed(byName, 'dev/web', 'prod/api', 80)).toBe(true);
    // without the Namespace object, dev has no team label
    const undeclared = Analyzer.fromManifests([...workloads, fromNamespace({ matchLabels: { team: 'lab' } })]);
    expect(allowed(undeclared, 'dev/web', 'prod/api', 80)).toBe(false);
  });

  test('a wrong kubernetes.io/metadata.name label on a Namespace is overwritten, with a warning', () => {
    const objects = [namespace('dev', { 'kubernetes.io/metadata.name': 'prod' }), ...workloads];
    const byDev = Analyzer.fromManifests([...objects, fromNamespace({ matchLabels: { 'kubernetes.io/metadata.name': 'dev' } })]);
    expect(allowed(byDev, 'dev/web', 'prod/api', 80)).toBe(true);
    expect(byDev.warnings).toEqual(['Namespace dev: the label kubernetes.io/metadata.name=prod is overwritten by the API server with "dev".']);
    const byProd = Analyzer.fromManifests([...objects, fromNamespace({ matchLabels: { 'kubernetes.io/metadata.name': 'prod' } })]);
    expect(allowed(byProd, 'dev/web', 'prod/api', 80)).toBe(false);
  });

  test('a policy selects pods of its own namespace only', () => {
    const a = Analyzer.fromManifests([...workloads, pod('prod', 'web', { app: 'web' }), netpol('prod', 'deny', { podSelector: {}, policyTypes: ['Ingress', 'Egress'] })]);
    expect(allowed(a, 'other/web', 'dev/web', 80)).toBe(true);
    expect(allowed(a, 'other/web', 'prod/web', 80)).toBe(false);
    expect(allowed(a, 'prod/api', 'dev/web', 80)).toBe(false);
  });

  test('objects without metadata.namespace are in `default`', () => {
    const a = Analyzer.fromManifests([
      pod(undefined, 'lonely', { app: 'lonely' }),
      pod('prod', 'web', { app: 'web' }),
      netpol(undefined, 'deny', { podSelector: {}, policyTypes: ['Ingress'] }),
    ]);
    expect(a.endpoints.map((e) => e.name)).toEqual(['default/lonely', 'prod/web']);
    expect(a.policies).toEqual(['default/deny']);
    expect(a.namespaces).toContain('default');
    expect(allowed(a, 'prod/web', 'default/lonely', 80)).toBe(false);
    expect(allowed(a, 'default/lonely', 'prod/web', 80)).toBe(true);
  });

  test('an empty metadata.namespace is `default` too (as kubectl treats it)', () => {
    const lonely = pod(undefined, 'lonely');
    const a = Analyzer.fromManifests([
      { ...lonely, metadata: { ...lonely.metadata, namespace: '' } },
      { ...netpol(undefined, 'deny', { podSelector: {}, policyTypes: ['Ingress'] }), metadata: { name: 'deny', namespace: '' } },
    ]);
    expect(a.endpoints.map((e) => e.name)).toEqual(['default/lonely']);
    expect(a.policies).toEqual(['default/deny']);
    expect(allowed(a, 'ip:203.0.113.7', 'default/lonely', 80)).toBe(false);
  });
});

// ---------------------------------------------------------------------------
// Workloads and loopback
// ---------------------------------------------------------------------------

describe('workloads of every kind stand for the pods of their template', () => {
  const KINDS = ['Deployment', 'StatefulSet', 'DaemonSet', 'ReplicaSet', 'ReplicationController', 'Job', 'CronJob'];
  // each workload serves "http" on its own number: 8000 + index
  const objects = [
    pod('w', 'client', { app: 'client' }),
    pod('w', 'plain-pod', { app: 'pod', role: 'server' }, [{ name: 'http', containerPort: 7999 }]),
    ...KINDS.map((kind, i) => workload(kind, 'w', kind.toLowerCase(), { app: kind.toLowerCase(), role: 'server' }, [{ name: 'http', containerPort: 8000 + i }])),
    // servers: ingress only on the named port "http"
    netpol('w', 'servers', { podSelector: { matchLabels: { role: 'server' } }, ingress: [{ ports: [{ port: 'http' }] }] }),
    // would deny all egress of the workloads if their own metadata labels were (wrongly) taken as pod labels
    netpol('w', 'decoy', { podSelector: { matchLabels: { decoy: 'metadata' } }, policyTypes: ['Egress'] }),
  ];
  const a = Analyzer.fromManifests(objects);

  test('endpoints carry the kind and the template labels', () => {
    expect(a.endpoints).toEqual([
      { name: 'w/client', id: 'w/pod/client', namespace: 'w', kind: 'Pod', labels: { app: 'client' } },
      { name: 'w/plain-pod', id: 'w/pod/plain-pod', namespace: 'w', kind: 'Pod', labels: { app: 'pod', role: 'server' } },
      ...KINDS.map((kind) => ({
        name: `w/${kind.toLowerCase()}`,
        id: `w/${kind.toLowerCase()}/${kind.toLowerCase()}`,
        namespace: 'w',
        kind,
        // The Job controller adds the job's name to its pods' labels.
        labels: kind === 'Job'
          ? { 'app': 'job', 'role': 'server', 'job-name': 'job', 'batch.kubernetes.io/job-name': 'job' }
          : { app: kind.toLowerCase(), role: 'server' },
      })),
    ]);
  });

  test('a Job\'s pods carry job-name and batch.kubernetes.io/job-name, so a policy can select them by the Job\'s name', () => {
    const job = workload('Job', 'w', 'migrate', { app: 'migrate' });
    const onlyMigrate = netpol('w', 'migrate-egress', { podSelector: { matchLabels: { 'job-name': 'migrate' } }, policyTypes: ['Egress'] });
    const byNewKey = netpol('w', 'migrate-egress', { podSelector: { matchLabels: { 'batch.kubernetes.io/job-name': 'migrate' } }, policyTypes: ['Egress'] });
    const target = pod('w', 'db', { app: 'db' });
    expect(allowed(Analyzer.fromManifests([job, target]), 'w/migrate', 'w/db', 5432)).toBe(true);
    expect(allowed(Analyzer.fromManifests([job, target, onlyMigrate]), 'w/migrate', 'w/db', 5432)).toBe(false);
    expect(allowed(Analyzer.fromManifests([job, target, byNewKey]), 'w/migrate', 'w/db', 5432)).toBe(false);
  });

  test.each(KINDS.map((kind, i) => [kind, i]))('%s: the named port resolves on the template containers', (kind, i) => {
    const name = `w/${(kind as string).toLowerCase()}`;
    expect(allowed(a, 'w/client', name, 8000 + (i as number))).toBe(true);
    expect(allowed(a, 'w/client', name, 8001 + (i as number))).toBe(false);
    expect(allowed(a, 'w/client', name, 7999)).toBe(false);
  });

  test.each(KINDS)('%s: its metadata labels are not pod labels', (kind) => {
    expect(allowed(a, `w/${kind.toLowerCase()}`, 'ip:203.0.113.7', 443)).toBe(true);
  });

  test('a Pod: labels and ports from the Pod itself', () => {
    expect(allowed(a, 'w/client', 'w/plain-pod', 7999)).toBe(true);
    expect(allowed(a, 'w/client', 'w/plain-pod', 8000)).toBe(false);
  });

  test('a workload as the peer of a rule is matched by its template labels', () => {
    const b = Analyzer.fromManifests([
      ...objects,
      netpol('w', 'client-from-cronjob', { podSelector: { matchLabels: { app: 'client' } }, ingress: [{ from: [pods({ app: 'cronjob' })] }] }),
    ]);
    expect(allowed(b, 'w/cronjob', 'w/client', 80)).toBe(true);
    expect(allowed(b, 'w/job', 'w/client', 80)).toBe(false);
  });

  test('hostNetwork pods are judged as ordinary pods selected by their labels', () => {
    const node = { ...pod('kube-system', 'node-agent', { app: 'node-agent' }), spec: { hostNetwork: true, ...podSpec([]) } };
    const b = Analyzer.fromManifests([node, pod('kube-system', 'other', { app: 'other' }), netpol('kube-system', 'deny-agent', { podSelector: { matchLabels: { app: 'node-agent' } }, policyTypes: ['Ingress'] })]);
    expect(allowed(b, 'kube-system/other', 'kube-system/node-agent', 10250)).toBe(false);
    expect(allowed(b, 'kube-system/node-agent', 'kube-system/other', 10250)).toBe(true);
  });
});

describe('loopback', () => {
  const a = Analyzer.fromManifests([
    pod('prod', 'solo', { app: 'solo' }),
    deployment('prod', 'replicas', { app: 'replicas' }),
    pod('prod', 'app', { app: 'app' }),
    deployment('prod', 'app', { app: 'app' }),
    netpol('prod', 'default-deny', { podSelector: {}, policyTypes: ['Ingress', 'Egress'] }),
  ]);

  test('a single Pod talking to itself is loopback: always allowed, and said so', () => {
    const e = explain(a, 'prod/solo', 'prod/solo', 8080);
    expect(a.isAllowed({ from: 'prod/solo', to: 'prod/solo', port: 8080 })).toBe(true);
    expect(e.allowed).toBe(true);
    expect(e.loopback).toBe(true);
    expect(e.reason).toMatch(/^allowed: .*loopback/);
    expect(e.egress).toMatchObject({ enforced: false, allowed: true });
    expect(e.ingress).toMatchObject({ enforced: false, allowed: true });
  });

  test('a workload talking to itself is one replica talking to another: judged like any flow', () => {
    const e = explain(a, 'prod/replicas', 'prod/replicas', 8080);
    expect(a.isAllowed({ from: 'prod/replicas', to: 'prod/replicas', port: 8080 })).toBe(false);
    expect(e.allowed).toBe(false);
    expect(e.loopback).toBe(false);
    expect(e.reason).not.toMatch(/loopback/);
    expect(e.egress).toMatchObject({ enforced: true, isolated: true, allowed: false });
    expect(e.ingress).toMatchObject({ enforced: true, isolated: true, allowed: false });
  });

  test('a Pod and a Deployment sharing a name are two endpoints: not loopback', () => {
    const e = explain(a, 'prod/pod/app', 'prod/deployment/app', 80);
    expect(e.loopback).toBe(false);
    expect(e.allowed).toBe(false);
  });
});

// ---------------------------------------------------------------------------
// Endpoint notation
// ---------------------------------------------------------------------------

describe('endpoint resolution', () => {
  const a = Analyzer.fromManifests([
    pod('prod', 'web', { app: 'web' }),
    pod('prod', 'api', { app: 'api' }),
    pod('dev', 'database', { app: 'db' }),
    pod('prod', 'app', { app: 'app' }),
    deployment('prod', 'app', { app: 'app' }),
  ]);

  test('an unknown name, with the close match', () => {
    expect(inputError(() => a.isAllowed({ from: 'prod/wbe', to: 'prod/api', port: 80 })).message)
      .toBe('Unknown endpoint "prod/wbe": no Pod or workload named "wbe" in namespace "prod". Did you mean prod/web?');
  });

  test('an unknown namespace lists the known ones', () => {
    const message = inputError(() => a.isAllowed({ from: 'prod/web', to: 'stage/api', port: 80 })).message;
    expect(message).toMatch(/^Unknown endpoint "stage\/api": no Pod or workload named "api" in namespace "stage" \(no such namespace; known: dev, prod\)\. Did you mean .*prod\/api/);
  });

  test('a name shared by a Pod and a Deployment is ambiguous: <ns>/<kind>/<name> is needed', () => {
    expect(inputError(() => a.isAllowed({ from: 'prod/app', to: 'prod/api', port: 80 })).message)
      .toBe('"prod/app" is ambiguous: prod/pod/app (Pod), prod/deployment/app (Deployment) share that name; write <namespace>/<kind>/<name>, e.g. prod/pod/app.');
    expect(explain(a, 'prod/deployment/app', 'prod/api', 80).from).toBe('prod/deployment/app');
    expect(explain(a, 'prod/Deployment/app', 'prod/api', 80).from).toBe('prod/deployment/app');
    expect(explain(a, 'prod/pod/app', 'prod/api', 80).from).toBe('prod/pod/app');
    expect(a.endpoints.filter((e) => e.id.endsWith('/app')).map((e) => e.name)).toEqual(['prod/pod/app', 'prod/deployment/app']);
    // unambiguous names keep the short form, and accept the long one
    expect(explain(a, 'prod/pod/web', 'prod/api', 80).from).toBe('prod/web');
  });

  test('a kind that does not match', () => {
    expect(inputError(() => a.isAllowed({ from: 'prod/statefulset/web', to: 'prod/api', port: 80 })).message)
      .toMatch(/^Unknown endpoint "prod\/statefulset\/web": no statefulset named "web" in namespace "prod"\./);
  });

  test.each(['ip:10.0.0.256', 'ip:10.0.0.0/8', 'ip:010.0.0.1', 'ip:', 'ip:2001:db8:::1', 'ip:example.com'])('%s is not an address', (text) => {
    expect(inputError(() => a.isAllowed({ from: text, to: 'prod/api', port: 80 })).message)
      .toBe(`"${text}" is not an address: after "ip:" write an IPv4 or IPv6 address such as ip:203.0.113.7 or ip:2001:db8::1 (no prefix length).`);
  });

  test('a flow between two addresses is rejected', () => {
    expect(inputError(() => a.isAllowed({ from: 'ip:198.51.100.1', to: 'ip:203.0.113.7', port: 443 })).message)
      .toBe('The flow ip:198.51.100.1 -> ip:203.0.113.7 is between two addresses outside the cluster; NetworkPolicy only governs flows from or to a pod.');
  });

  test.each(['web', 'a/b/c/d'])('%s is not endpoint notation', (text) => {
    expect(inputError(() => a.isAllowed({ from: text, to: 'prod/api', port: 80 })).message)
      .toBe(`"${text}" is not an endpoint: write "<namespace>/<name>", "<namespace>/<kind>/<name>", "ip:<address>" or "entity:<entity>".`);
  });

  test('an empty endpoint', () => {
    expect(inputError(() => a.isAllowed({ from: '', to: 'prod/api', port: 80 })).message)
      .toBe('An endpoint must be "<namespace>/<name>", "<namespace>/<kind>/<name>" or "ip:<address>", got "".');
  });

  test('invalid ports and protocols of a flow', () => {
    expect(inputError(() => a.isAllowed({ from: 'prod/web', to: 'prod/api', port: 0 })).message)
      .toBe('Invalid port 0 in the flow prod/web -> prod/api: a port must be between 1 and 65535.');
    expect(inputError(() => a.isAllowed({ from: 'prod/web', to: 'prod/api', port: 65536 })).message)
      .toBe('Invalid port 65536 in the flow prod/web -> prod/api: a port must be between 1 and 65535.');
    expect(inputError(() => a.isAllowed({ from: 'prod/web', to: 'prod/api', port: 80.5 })).message)
      .toBe('Invalid port 80.5 in the flow prod/web -> prod/api: a port must be a whole number.');
    expect(inputError(() => a.isAllowed({ from: 'prod/web', to: 'prod/api', port: 80, protocol: 'tcp' as Protocol })).message)
      .toBe('Invalid protocol "tcp" in the flow prod/web -> prod/api: use TCP, UDP or SCTP.');
  });

  test('the protocol defaults to TCP', () => {
    expect(explain(a, 'prod/web', 'prod/api', 80).protocol).toBe('TCP');
  });
});

// ---------------------------------------------------------------------------
// Explanations
// ---------------------------------------------------------------------------

describe('explain', () => {
  const objects = [
    namespace('shop'),
    namespace('ops', { team: 'ops' }),
    pod('shop', 'frontend', { app: 'frontend' }),
    pod('shop', 'api', { app: 'api' }),
    pod('shop', 'admin', { app: 'admin' }),
    netpol('shop', 'default-deny', { podSelector: {}, policyTypes: ['Ingress'] }),
    netpol('shop', 'api-ingress', {
      podSelector: { matchLabels: { app: 'api' } },
      ingress: [
        { from: [pods({ app: 'frontend' })], ports: [{ port: 8080 }] },
        { from: [pods({ app: 'admin' }), { namespaceSelector: { matchLabels: { team: 'ops' } } }], ports: [{ port: 9090 }, { port: 9091, protocol: 'UDP' }] },
      ],
    }),
  ];
  const a = Analyzer.fromManifests(objects);

  test('a denial: both sides, the selecting policies, and why each rule did not match', () => {
    const e = explain(a, 'shop/frontend', 'shop/api', 9090);
    expect(e).toEqual({
      from: 'shop/frontend',
      to: 'shop/api',
      port: 9090,
      protocol: 'TCP',
      allowed: false,
      loopback: false,
      reason: expect.stringMatching(/^denied: shop\/frontend -> shop\/api on TCP 9090\. Ingress to shop\/api is denied/),
      egress: {
        direction: 'Egress',
        endpoint: 'shop/frontend',
        enforced: true,
        isolated: false,
        selectingPolicies: [],
        allowed: true,
        unmatched: [],
        reason: expect.any(String),
      },
      ingress: {
        direction: 'Ingress',
        endpoint: 'shop/api',
        enforced: true,
        isolated: true,
        selectingPolicies: ['shop/default-deny', 'shop/api-ingress'],
        allowed: false,
        unmatched: [
          { policy: 'shop/default-deny', rules: [], reason: 'shop/default-deny has no ingress rules (it denies)' },
          {
            policy: 'shop/api-ingress',
            rules: [
              { rule: 'spec.ingress[0]', peerMatched: true, portMatched: false, reason: expect.any(String) },
              { rule: 'spec.ingress[1]', peerMatched: false, portMatched: true, reason: expect.any(String) },
            ],
            reason: expect.any(String),
          },
        ],
        reason: expect.any(String),
      },
    });
    expect(e.ingress.allowedBy).toBeUndefined();
    const [first, second] = e.ingress.unmatched[1].rules;
    expect(first.reason).toBe('port TCP 8080 does not match TCP 9090');
    expect(second.reason).toBe('peer pods app=admin in namespace shop or all pods in namespaces team=ops does not match shop/frontend');
    expect(e.ingress.reason).toContain('isolated by shop/default-deny, shop/api-ingress');
  });

  test('an allowed flow names the policy, rule, peer and port', () => {
    const e = explain(a, 'shop/admin', 'shop/api', 9091, Protocol.UDP);
    expect(e.allowed).toBe(true);
    expect(e.reason).toMatch(/^allowed: shop\/admin -> shop\/api on UDP 9091\./);
    expect(e.ingress).toMatchObject({ enforced: true, isolated: true, allowed: true, unmatched: [] });
    expect(e.ingress.allowedBy).toEqual({ policy: 'shop/api-ingress', rule: 'spec.ingress[1]', peer: 'pods app=admin in namespace shop', port: 'UDP 9091' });
    expect(explain(a, 'shop/frontend', 'shop/api', 8080).ingress.allowedBy).toEqual({
      policy: 'shop/api-ingress',
      rule: 'spec.ingress[0]',
      peer: 'pods app=frontend in namespace shop',
      port: 'TCP 8080',
    });
  });

  test('a side that is not isolated has no allowedBy', () => {
    const e = explain(a, 'shop/frontend', 'shop/api', 8080);
    expect(e.egress).toEqual({
      direction: 'Egress',
      endpoint: 'shop/frontend',
      enforced: true,
      isolated: false,
      selectingPolicies: [],
      allowed: true,
      unmatched: [],
      reason: expect.stringContaining('not isolated'),
    });
  });

  test('ip: endpoints are not enforced', () => {
    const inbound = explain(a, 'ip:198.51.100.1', 'shop/api', 9090);
    expect(inbound.egress).toEqual({
      direction: 'Egress',
      endpoint: 'ip:198.51.100.1',
      enforced: false,
      isolated: false,
      selectingPolicies: [],
      allowed: true,
      unmatched: [],
      reason: expect.stringContaining('outside the cluster'),
    });
    expect(inbound.allowed).toBe(false);
    const outbound = explain(a, 'shop/api', 'ip:198.51.100.1', 443);
    expect(outbound.ingress).toMatchObject({ endpoint: 'ip:198.51.100.1', enforced: false, isolated: false, allowed: true });
    expect(outbound.allowed).toBe(true);
  });

  test('isAllowed and explain agree on every flow', () => {
    const b = Analyzer.fromManifests([
      ...objects,
      deployment('shop', 'worker', { app: 'worker' }, [{ name: 'http', containerPort: 8080 }]),
      netpol('shop', 'worker-egress', { podSelector: { matchLabels: { app: 'worker' } }, egress: [{ to: [pods({ app: 'api' })], ports: [{ port: 'http' }, { port: 9000, endPort: 9100 }] }] }),
      netpol('ops', 'ops-deny', { podSelector: {}, policyTypes: ['Egress'] }),
      pod('ops', 'tool', { app: 'tool' }),
    ]);
    const endpoints = [...b.endpoints.map((e) => e.id), 'ip:203.0.113.7', 'ip:2001:db8::7'];
    const PORTS = [[80, Protocol.TCP], [8080, Protocol.TCP], [9050, Protocol.TCP], [9091, Protocol.UDP], [9090, Protocol.SCTP]] as const;
    let allowedCount = 0;
    let deniedCount = 0;
    for (const from of endpoints) {
      for (const to of endpoints) {
        if (from.startsWith('ip:') && to.startsWith('ip:')) continue;
        for (const [port, protocol] of PORTS) {
          const verdict = b.isAllowed({ from, to, port, protocol });
          const e = b.explain({ from, to, port, protocol });
          expect(e.allowed).toBe(verdict);
          expect(e.allowed).toBe(e.loopback || (e.egress.allowed && e.ingress.allowed));
          for (const side of [e.egress, e.ingress]) {
            expect(side.isolated).toBe(side.selectingPolicies.length > 0);
            if (side.isolated && side.allowed) expect(side.allowedBy).toBeDefined();
            if (!side.allowed) expect(side.unmatched.map((u) => u.policy)).toEqual(side.selectingPolicies);
          }
          if (verdict) allowedCount++;
          else deniedCount++;
        }
      }
    }
    // the model has both outcomes, so the agreement is not vacuous
    expect(allowedCount).toBeGreaterThan(0);
    expect(deniedCount).toBeGreaterThan(0);
  });
});

// ---------------------------------------------------------------------------
// verify
// ---------------------------------------------------------------------------

describe('verify', () => {
  const a = Analyzer.fromManifests([
    pod('shop', 'frontend', { app: 'frontend' }),
    pod('shop', 'api', { app: 'api' }),
    netpol('shop', 'api', { podSelector: { matchLabels: { app: 'api' } }, ingress: [{ from: [pods({ app: 'frontend' })], ports: [{ port: 8080 }] }] }),
  ]);

  test('returns one result per expectation, and the counts', () => {
    const report = a.verify([
      { from: 'shop/frontend', to: 'shop/api', port: 8080, allowed: true },
      { from: 'shop/frontend', to: 'shop/api', port: 8080, protocol: Protocol.UDP, allowed: false },
      { from: 'shop/api', to: 'shop/frontend', port: 80, allowed: false },
    ]);
    expect(report.passed).toBe(2);
    expect(report.failed).toBe(1);
    expect(report.results).toEqual([
      { from: 'shop/frontend', to: 'shop/api', port: 8080, protocol: 'TCP', expected: true, actual: true, ok: true, reason: expect.stringMatching(/^allowed: /) },
      { from: 'shop/frontend', to: 'shop/api', port: 8080, protocol: 'UDP', expected: false, actual: false, ok: true, reason: expect.stringMatching(/^denied: /) },
      { from: 'shop/api', to: 'shop/frontend', port: 80, protocol: 'TCP', expected: false, actual: true, ok: false, reason: expect.stringMatching(/^allowed: /) },
    ]);
  });

  test('an unknown endpoint in an expectation is an input error', () => {
    expect(inputError(() => a.verify([{ from: 'shop/frontnd', to: 'shop/api', port: 8080, allowed: true }])).message).toMatch(/^Unknown endpoint "shop\/frontnd"/);
  });
});

// ---------------------------------------------------------------------------
// What is ignored
// ---------------------------------------------------------------------------

describe('input that is not analyzed', () => {
  test('NetworkPolicies of other API groups are ignored, with a warning', () => {
    const calico = {
      apiVersion: 'projectcalico.org/v3',
      kind: 'NetworkPolicy',
      metadata: { name: 'calico-deny', namespace: 'prod' },
      spec: { selector: 'all()', types: ['Ingress', 'Egress'] },
    };
    const a = Analyzer.fromManifests([pod('prod', 'web', { app: 'web' }), pod('prod', 'api', { app: 'api' }), calico]);
    expect(a.policies).toEqual([]);
    expect(allowed(a, 'prod/web', 'prod/api', 80)).toBe(true);
    expect(a.warnings).toEqual([
      'manifest #3: ignored NetworkPolicy prod/calico-deny of apiVersion "projectcalico.org/v3": only networking.k8s.io/v1 NetworkPolicies are analyzed, so what it allows or denies is not reflected.',
    ]);
  });

  test('other kinds are ignored: they are neither endpoints nor policies', () => {
    const a = Analyzer.fromManifests([
      pod('prod', 'web', { app: 'web' }),
      { apiVersion: 'v1', kind: 'Service', metadata: { name: 'web', namespace: 'prod' }, spec: { selector: { app: 'web' }, ports: [{ port: 80 }] } },
      { apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'web', namespace: 'prod' }, data: { a: 'b' } },
      { apiVersion: 'networking.k8s.io/v1', kind: 'Ingress', metadata: { name: 'web', namespace: 'prod' }, spec: {} },
      { apiVersion: 'argoproj.io/v1alpha1', kind: 'Rollout', metadata: { name: 'roll', namespace: 'prod' }, spec: { template: { metadata: { labels: { app: 'roll' } } } } },
    ]);
    expect(a.endpoints.map((e) => e.id)).toEqual(['prod/pod/web']);
    expect(a.policies).toEqual([]);
    expect(a.warnings).toEqual([]);
    expect(inputError(() => a.isAllowed({ from: 'prod/roll', to: 'prod/web', port: 80 })).message).toMatch(/^Unknown endpoint "prod\/roll"/);
  });

  test('a document without a kind is skipped with a warning', () => {
    const a = Analyzer.fromManifests([pod('prod', 'web'), { metadata: { name: 'x' } }]);
    expect(a.endpoints).toHaveLength(1);
    expect(a.warnings).toEqual(['manifest #2: skipped a document without a kind.']);
  });

  test('List objects are flattened', () => {
    const a = Analyzer.fromManifests([{ apiVersion: 'v1', kind: 'List', items: [pod('prod', 'web'), pod('prod', 'api')] }]);
    expect(a.endpoints.map((e) => e.name)).toEqual(['prod/web', 'prod/api']);
  });

  test('fromManifests needs an array', () => {
    expect(inputError(() => Analyzer.fromManifests({ kind: 'Pod' } as any)).message).toBe('Analyzer.fromManifests expects an array of Kubernetes objects, got an object.');
  });

  test('the same object twice is an error', () => {
    expect(inputError(() => Analyzer.fromManifests([pod('prod', 'web'), pod('prod', 'web')])).message)
      .toBe('Invalid manifests (1 problem):\nmanifest #2: Pod prod/web is defined twice (also at manifest #1); remove one of them.');
  });
});

// ---------------------------------------------------------------------------
// cdk8s: fromChart and fromApp
// ---------------------------------------------------------------------------

describe('Analyzer.fromChart and Analyzer.fromApp', () => {
  function shopChart(app: App, withEgress: boolean) {
    const chart = new Chart(app, 'shop', { namespace: 'shop' });
    const frontend = new kplus.Deployment(chart, 'frontend', { containers: [{ image: 'frontend', portNumber: 80 }] });
    const api = new kplus.Deployment(chart, 'api', { containers: [{ image: 'api', portNumber: 8080 }] });
    new DefaultDeny(chart, 'default-deny');
    new AllowFrom(chart, 'api-from-frontend', { pods: Selector.fromWorkload(api), from: [Peer.workload(frontend)], ports: [Port.tcp(8080)] });
    if (withEgress) {
      new AllowTo(chart, 'frontend-to-api', { pods: Selector.fromWorkload(frontend), to: [Peer.workload(api)], ports: [Port.tcp(8080)] });
    }
    return { chart, frontend: `shop/${frontend.name}`, api: `shop/${api.name}` };
  }

  test('a chart built with the constructs', () => {
    const { chart, frontend, api } = shopChart(Testing.app(), true);
    const a = Analyzer.fromChart(chart);
    expect(a.policies.sort()).toEqual(['shop/api-from-frontend', 'shop/default-deny', 'shop/frontend-to-api']);
    expect(a.endpoints.map((e) => e.name).sort()).toEqual([api, frontend].sort());
    expect(a.endpoints.every((e) => e.kind === 'Deployment')).toBe(true);
    expect(allowed(a, frontend, api, 8080)).toBe(true);
    expect(allowed(a, frontend, api, 8081)).toBe(false);
    expect(allowed(a, api, frontend, 80)).toBe(false);
    expect(explain(a, frontend, api, 8080).egress.allowedBy).toMatchObject({ policy: 'shop/frontend-to-api', rule: 'spec.egress[0]', port: 'TCP 8080' });
  });

  test('without the egress rule, the default deny blocks the frontend', () => {
    const { chart, frontend, api } = shopChart(Testing.app(), false);
    const e = Analyzer.fromChart(chart).explain({ from: frontend, to: api, port: 8080 });
    expect(e.allowed).toBe(false);
    expect(e.egress.allowed).toBe(false);
    expect(e.ingress.allowed).toBe(true);
  });

  test('an app with several charts, across namespaces', () => {
    const app = Testing.app();
    const shop = new Chart(app, 'shop', { namespace: 'shop' });
    const web = new Chart(app, 'web', { namespace: 'web' });
    const api = new kplus.Deployment(shop, 'api', { containers: [{ image: 'api', portNumber: 8080 }] });
    const frontend = new kplus.Deployment(web, 'frontend', { containers: [{ image: 'frontend' }] });
    const batch = new kplus.Deployment(web, 'batch', { containers: [{ image: 'batch' }] });
    new DefaultDeny(shop, 'default-deny', { egress: false });
    new AllowFrom(shop, 'api-from-frontend', { pods: Selector.fromWorkload(api), from: [Peer.workload(frontend)], ports: [Port.tcp(8080)] });
    new AllowFrom(shop, 'api-from-web-batch', {
      pods: Selector.fromWorkload(api),
      from: [Peer.podsIn(NamespaceSelector.named('web'), Selector.labels({ role: 'batch' }))],
      ports: [Port.tcp(9090)],
    });
    const a = Analyzer.fromApp(app);
    expect(a.namespaces.sort()).toEqual(['shop', 'web']);
    expect(a.endpoints).toHaveLength(3);
    expect(allowed(a, `web/${frontend.name}`, `shop/${api.name}`, 8080)).toBe(true);
    expect(allowed(a, `web/${batch.name}`, `shop/${api.name}`, 8080)).toBe(false);
    // no pod of web has role=batch
    expect(allowed(a, `web/${batch.name}`, `shop/${api.name}`, 9090)).toBe(false);
  });

  test('fromChart runs the chart validations: duplicate policy names throw', () => {
    const chart = new Chart(Testing.app(), 'shop', { namespace: 'shop' });
    new DefaultDeny(chart, 'deny', { name: 'same' });
    new DefaultDeny(chart, 'deny-again', { name: 'same', egress: false });
    expect(() => Analyzer.fromChart(chart)).toThrow(/two NetworkPolicies are named "same" in namespace "shop"/);
  });

  test('fromApp runs the validations too', () => {
    const app = Testing.app();
    const chart = new Chart(app, 'shop', { namespace: 'shop' });
    new DefaultDeny(chart, 'deny', { name: 'same' });
    new DefaultDeny(chart, 'deny-again', { name: 'same', egress: false });
    expect(() => Analyzer.fromApp(app)).toThrow(/two NetworkPolicies are named "same" in namespace "shop"/);
  });
});

import * as fc from 'fast-check';
import { Analyzer } from '../../src/analysis/analyzer';
import { Protocol } from '../../src/protocol';
import { naiveIsAllowed } from '../support/naive-evaluator';
import { propertyRuns, propertyTimeout } from '../support/property-runs';
import { clusterArb, flowsOf } from '../support/random-cluster';
import { assertValidNetworkPolicy } from '../support/synth';

// ---------------------------------------------------------------------------
// The property

describe('Analyzer agrees with the naive evaluator', () => {
  test('the generated NetworkPolicies match the Kubernetes schema', () => {
    for (const cluster of fc.sample(clusterArb, 100)) {
      for (const object of cluster.objects) {
        assertValidNetworkPolicy(object);
        for (const rule of [...(object.spec?.ingress ?? []), ...(object.spec?.egress ?? [])]) {
          for (const entry of rule.ports ?? []) {
            if (entry.endPort !== undefined) {
              expect(typeof entry.port).toBe('number');
              expect(entry.endPort).toBeGreaterThanOrEqual(entry.port);
            }
          }
        }
      }
    }
  });

  test('on random small clusters, for every flow', () => {
    fc.assert(
      fc.property(clusterArb, (cluster) => {
        // The analyzer gets its own copy, so it cannot change what the naive evaluator sees.
        const analyzer = Analyzer.fromManifests(structuredClone(cluster.objects));
        const disagreements: string[] = [];
        for (const flow of flowsOf(cluster)) {
          const analyzerFlow = { from: flow.from, to: flow.to, port: flow.port, protocol: Protocol[flow.protocol ?? 'TCP'] };
          const expected = naiveIsAllowed(cluster.objects, flow);
          const actual = analyzer.isAllowed(analyzerFlow);
          if (actual !== expected) {
            disagreements.push(
              `${flow.from} -> ${flow.to} ${flow.protocol}/${flow.port}: analyzer ${actual ? 'allows' : 'denies'}, naive ${expected ? 'allows' : 'denies'}; ` +
              `analyzer reason: ${analyzer.explain(analyzerFlow).reason}`,
            );
          }
        }
        if (disagreements.length > 0) {
          throw new Error(`${disagreements.length} disagreement(s):\n${disagreements.slice(0, 5).join('\n')}`);
        }
      }),
      { numRuns: propertyRuns(400) },
    );
  }, propertyTimeout(30_000));
});

// ---------------------------------------------------------------------------
// The naive evaluator on its own, with hand-checked examples.

function ns(name: string, labels?: Record<string, string>): any {
  return { apiVersion: 'v1', kind: 'Namespace', metadata: labels ? { name, labels } : { name } };
}

function pod(namespace: string, name: string, labels: Record<string, string>, ports: any[] = []): any {
  return {
    apiVersion: 'v1',
    kind: 'Pod',
    metadata: { name, namespace, labels },
    spec: { containers: [{ name: 'main', image: 'nginx', ports }] },
  };
}

function policy(namespace: string, name: string, spec: any): any {
  return { apiVersion: 'networking.k8s.io/v1', kind: 'NetworkPolicy', metadata: { name, namespace }, spec };
}

const denyAllIngress = (namespace: string) => policy(namespace, 'deny-ingress', { podSelector: {}, policyTypes: ['Ingress'] });

describe('naiveIsAllowed', () => {
  const base = [
    ns('prod', { team: 'red' }),
    ns('dev', { team: 'blue' }),
    pod('prod', 'web', { app: 'web' }),
    pod('prod', 'api', { app: 'api' }, [{ name: 'http', containerPort: 8080 }, { name: 'dns', containerPort: 53, protocol: 'UDP' }]),
    pod('dev', 'web', { app: 'web' }),
    pod('dev', 'tool', { app: 'tool' }),
  ];

  test('without policies everything is allowed', () => {
    expect(naiveIsAllowed(base, { from: 'prod/web', to: 'dev/tool', port: 1234, protocol: 'UDP' })).toBe(true);
    expect(naiveIsAllowed(base, { from: 'ip:8.8.8.8', to: 'prod/api', port: 80 })).toBe(true);
    expect(naiveIsAllowed(base, { from: 'prod/api', to: 'ip:2001:db8::1', port: 443 })).toBe(true);
  });

  test('a deny-all-ingress policy isolates ingress only', () => {
    const objects = [...base, denyAllIngress('prod')];
    expect(naiveIsAllowed(objects, { from: 'dev/web', to: 'prod/api', port: 8080 })).toBe(false);
    expect(naiveIsAllowed(objects, { from: 'prod/web', to: 'prod/api', port: 8080 })).toBe(false);
    expect(naiveIsAllowed(objects, { from: 'prod/api', to: 'dev/web', port: 8080 })).toBe(true);
    expect(naiveIsAllowed(objects, { from: 'ip:8.8.8.8', to: 'prod/web', port: 80 })).toBe(false);
  });

  test('namespaceSelector + podSelector in one peer is an AND; two peers are an OR', () => {
    const and = policy('prod', 'and', {
      podSelector: { matchLabels: { app: 'api' } },
      ingress: [{ from: [{ namespaceSelector: { matchLabels: { team: 'blue' } }, podSelector: { matchLabels: { app: 'web' } } }] }],
    });
    const or = policy('prod', 'or', {
      podSelector: { matchLabels: { app: 'api' } },
      ingress: [{ from: [{ namespaceSelector: { matchLabels: { team: 'blue' } } }, { podSelector: { matchLabels: { app: 'web' } } }] }],
    });
    const flows = ['dev/web', 'dev/tool', 'prod/web'].map((from) => ({ from, to: 'prod/api', port: 8080 }));
    expect(flows.map((f) => naiveIsAllowed([...base, and], f))).toEqual([true, false, false]);
    expect(flows.map((f) => naiveIsAllowed([...base, or], f))).toEqual([true, true, true]);
  });

  test('policies are additive: the union of their rules', () => {
    const fromWeb80 = policy('prod', 'web-80', {
      podSelector: { matchLabels: { app: 'api' } },
      ingress: [{ from: [{ podSelector: { matchLabels: { app: 'web' } } }], ports: [{ port: 80 }] }],
    });
    const fromDev443 = policy('prod', 'dev-443', {
      podSelector: {},
      ingress: [{ from: [{ namespaceSelector: { matchLabels: { 'kubernetes.io/metadata.name': 'dev' } } }], ports: [{ protocol: 'TCP', port: 443 }] }],
    });
    const objects = [...base, fromWeb80, fromDev443];
    expect(naiveIsAllowed(objects, { from: 'prod/web', to: 'prod/api', port: 80 })).toBe(true);
    expect(naiveIsAllowed(objects, { from: 'prod/web', to: 'prod/api', port: 443 })).toBe(false);
    expect(naiveIsAllowed(objects, { from: 'dev/tool', to: 'prod/api', port: 443 })).toBe(true);
    expect(naiveIsAllowed(objects, { from: 'dev/tool', to: 'prod/api', port: 443, protocol: 'UDP' })).toBe(false);
    expect(naiveIsAllowed(objects, { from: 'dev/tool', to: 'prod/api', port: 80 })).toBe(false);
    // prod/web is selected only by dev-443
    expect(naiveIsAllowed(objects, { from: 'dev/tool', to: 'prod/web', port: 443 })).toBe(true);
    expect(naiveIsAllowed(objects, { from: 'prod/api', to: 'prod/web', port: 80 })).toBe(false);
  });

  test('a flow needs egress at the source AND ingress at the destination', () => {
    const denyEgress = policy('dev', 'deny-egress', { podSelector: {}, policyTypes: ['Egress'] });
    const objects = [...base, denyEgress];
    expect(naiveIsAllowed(objects, { from: 'dev/web', to: 'prod/api', port: 8080 })).toBe(false);
    expect(naiveIsAllowed(objects, { from: 'prod/web', to: 'dev/web', port: 8080 })).toBe(true);
    expect(naiveIsAllowed(objects, { from: 'ip:8.8.8.8', to: 'dev/web', port: 80 })).toBe(true);
    expect(naiveIsAllowed(objects, { from: 'dev/web', to: 'ip:8.8.8.8', port: 80 })).toBe(false);
  });

  test('policyTypes defaulting: egress: [] isolates nothing; policyTypes Egress with no rules denies', () => {
    const emptyEgress = policy('dev', 'empty-egress', { podSelector: {}, egress: [] });
    expect(naiveIsAllowed([...base, emptyEgress], { from: 'dev/web', to: 'prod/api', port: 8080 })).toBe(true);
    expect(naiveIsAllowed([...base, emptyEgress], { from: 'prod/api', to: 'dev/web', port: 8080 })).toBe(false); // still Ingress
    const declared = policy('dev', 'declared', { podSelector: {}, policyTypes: ['Egress'], egress: [] });
    expect(naiveIsAllowed([...base, declared], { from: 'dev/web', to: 'prod/api', port: 8080 })).toBe(false);
    expect(naiveIsAllowed([...base, declared], { from: 'prod/api', to: 'dev/web', port: 8080 })).toBe(true);
    const egressRule = policy('dev', 'rule', { podSelector: {}, egress: [{ ports: [{ port: 53, protocol: 'UDP' }] }] });
    expect(naiveIsAllowed([...base, egressRule], { from: 'dev/web', to: 'ip:10.0.0.10', port: 53, protocol: 'UDP' })).toBe(true);
    expect(naiveIsAllowed([...base, egressRule], { from: 'dev/web', to: 'ip:10.0.0.10', port: 53 })).toBe(false);
  });

  test('policyTypes [Egress] ignores ingress rules; empty peers and ports mean everyone and every port', () => {
    const egressOnly = policy('prod', 'egress-only', { podSelector: {}, policyTypes: ['Egress'], ingress: [{ from: [{ podSelector: {} }] }] });
    expect(naiveIsAllowed([...base, egressOnly], { from: 'dev/web', to: 'prod/api', port: 8080 })).toBe(true);
    const everyone = policy('prod', 'everyone', { podSelector: {}, policyTypes: ['Ingress'], ingress: [{ from: [], ports: [] }] });
    expect(naiveIsAllowed([...base, denyAllIngress('prod'), everyone], { from: 'ip:198.51.100.1', to: 'prod/api', port: 9, protocol: 'SCTP' })).toBe(true);
    const nothing = policy('prod', 'nothing', { podSelector: {}, ingress: [{ from: [{ podSelector: {} }] }] });
    expect(naiveIsAllowed([...base, nothing], { from: 'ip:198.51.100.1', to: 'prod/api', port: 80 })).toBe(false);
    expect(naiveIsAllowed([...base, nothing], { from: 'prod/web', to: 'prod/api', port: 80 })).toBe(true);
    expect(naiveIsAllowed([...base, nothing], { from: 'dev/web', to: 'prod/api', port: 80 })).toBe(false);
  });

  test('namespaces: kubernetes.io/metadata.name always, a name label never by itself', () => {
    const objects = [
      pod('kube-system', 'coredns', { k8s: 'dns' }),
      pod('prod', 'web', { app: 'web' }),
      policy('prod', 'dns', {
        podSelector: {},
        policyTypes: ['Egress'],
        egress: [{ to: [{ namespaceSelector: { matchLabels: { name: 'kube-system' } } }] }],
      }),
    ];
    expect(naiveIsAllowed(objects, { from: 'prod/web', to: 'kube-system/coredns', port: 53, protocol: 'UDP' })).toBe(false);
    const fixed = [...objects.slice(0, 2), policy('prod', 'dns', {
      podSelector: {},
      policyTypes: ['Egress'],
      egress: [{ to: [{ namespaceSelector: { matchExpressions: [{ key: 'kubernetes.io/metadata.name', operator: 'In', values: ['kube-system'] }] } }] }],
    })];
    expect(naiveIsAllowed(fixed, { from: 'prod/web', to: 'kube-system/coredns', port: 53, protocol: 'UDP' })).toBe(true);
    // A Namespace object cannot override the metadata.name label.
    const lying = [...fixed, ns('kube-system', { 'kubernetes.io/metadata.name': 'other' })];
    expect(naiveIsAllowed(lying, { from: 'prod/web', to: 'kube-system/coredns', port: 53, protocol: 'UDP' })).toBe(true);
  });

  test('ipBlock: cidr minus except, both families, never pods', () => {
    const objects = [...base, policy('prod', 'out', {
      podSelector: {},
      policyTypes: ['Egress'],
      egress: [{
        to: [
          { ipBlock: { cidr: '0.0.0.0/0', except: ['10.0.0.0/8', '192.168.0.0/16'] } },
          { ipBlock: { cidr: '2001:db8::/32', except: ['2001:db8:1::/48'] } },
        ],
      }],
    })];
    const to = (ip: string) => naiveIsAllowed(objects, { from: 'prod/web', to: `ip:${ip}`, port: 443 });
    expect(to('8.8.8.8')).toBe(true);
    expect(to('10.1.2.3')).toBe(false);
    expect(to('192.168.255.255')).toBe(false);
    expect(to('2001:db8:2::1')).toBe(true);
    expect(to('2001:0db8:0001:0000:0000:0000:0000:0001')).toBe(false);
    expect(to('2001:db9::1')).toBe(false);
    expect(to('::ffff:8.8.8.8')).toBe(false); // IPv6, outside 2001:db8::/32
    expect(naiveIsAllowed(objects, { from: 'prod/web', to: 'dev/web', port: 443 })).toBe(false);
  });

  test('ports: endPort ranges are inclusive; named ports resolve on the destination pod, with its protocol', () => {
    const ranged = policy('prod', 'ranged', { podSelector: {}, ingress: [{ ports: [{ port: 8000, endPort: 8080 }] }] });
    expect([7999, 8000, 8080, 8081].map((port) => naiveIsAllowed([...base, ranged], { from: 'dev/web', to: 'prod/api', port }))).toEqual([false, true, true, false]);
    const named = policy('prod', 'named', { podSelector: {}, ingress: [{ ports: [{ port: 'http' }, { port: 'dns', protocol: 'UDP' }] }] });
    const objects = [...base, named];
    expect(naiveIsAllowed(objects, { from: 'dev/web', to: 'prod/api', port: 8080 })).toBe(true);
    expect(naiveIsAllowed(objects, { from: 'dev/web', to: 'prod/api', port: 8080, protocol: 'UDP' })).toBe(false);
    expect(naiveIsAllowed(objects, { from: 'dev/web', to: 'prod/api', port: 53, protocol: 'UDP' })).toBe(true);
    expect(naiveIsAllowed(objects, { from: 'dev/web', to: 'prod/api', port: 53 })).toBe(false);
    expect(naiveIsAllowed(objects, { from: 'dev/web', to: 'prod/web', port: 8080 })).toBe(false); // prod/web has no port named http
    const namedEgress = policy('dev', 'named-egress', { podSelector: {}, egress: [{ ports: [{ port: 'http' }] }] });
    expect(naiveIsAllowed([...base, namedEgress], { from: 'dev/web', to: 'prod/api', port: 8080 })).toBe(true);
    expect(naiveIsAllowed([...base, namedEgress], { from: 'dev/web', to: 'ip:8.8.8.8', port: 8080 })).toBe(false);
  });

  test('selectors: NotIn and DoesNotExist match pods without the key; empty label values', () => {
    const objects = [
      pod('x', 'plain', {}),
      pod('x', 'blank', { app: '' }),
      pod('x', 'db', { app: 'db' }),
      pod('x', 'server', { role: 'server' }),
      policy('x', 'not-db', { podSelector: {}, ingress: [{ from: [{ podSelector: { matchExpressions: [{ key: 'app', operator: 'NotIn', values: ['db'] }] } }] }] }),
    ];
    expect(['plain', 'blank', 'db'].map((name) => naiveIsAllowed(objects, { from: `x/${name}`, to: 'x/server', port: 5432 }))).toEqual([true, true, false]);
    const blank = [...objects.slice(0, 4), policy('x', 'blank', { podSelector: {}, ingress: [{ from: [{ podSelector: { matchLabels: { app: '' } } }] }] })];
    expect(['plain', 'blank', 'db'].map((name) => naiveIsAllowed(blank, { from: `x/${name}`, to: 'x/server', port: 1 }))).toEqual([false, true, false]);
    const missing = [...objects.slice(0, 4), policy('x', 'missing', { podSelector: {}, ingress: [{ from: [{ podSelector: { matchExpressions: [{ key: 'app', operator: 'DoesNotExist' }] } }] }] })];
    expect(['plain', 'blank', 'db'].map((name) => naiveIsAllowed(missing, { from: `x/${name}`, to: 'x/server', port: 1 }))).toEqual([true, false, false]);
  });

  test('workloads: template labels and ports; default namespace; self flows', () => {
    const cron = {
      apiVersion: 'batch/v1',
      kind: 'CronJob',
      metadata: { name: 'backup' },
      spec: { schedule: '@daily', jobTemplate: { spec: { template: { metadata: { labels: { app: 'backup' } }, spec: { containers: [{ name: 'b', image: 'b' }] } } } } },
    };
    const deploy = {
      apiVersion: 'apps/v1',
      kind: 'Deployment',
      metadata: { name: 'api', namespace: 'default', labels: { app: 'wrong' } },
      spec: {
        selector: { matchLabels: { app: 'api' } },
        template: { metadata: { labels: { app: 'api' } }, spec: { containers: [{ name: 'a', image: 'a', ports: [{ name: 'http', containerPort: 8080 }] }] } },
      },
    };
    const single = { apiVersion: 'v1', kind: 'Pod', metadata: { name: 'single', labels: { app: 'api' } }, spec: { containers: [] } };
    const onlyBackup = {
      apiVersion: 'networking.k8s.io/v1',
      kind: 'NetworkPolicy',
      metadata: { name: 'only-backup' },
      spec: { podSelector: { matchLabels: { app: 'api' } }, ingress: [{ from: [{ podSelector: { matchLabels: { app: 'backup' } } }], ports: [{ port: 'http' }] }] },
    };
    const objects = [cron, deploy, single, onlyBackup];
    expect(naiveIsAllowed(objects, { from: 'default/backup', to: 'default/api', port: 8080 })).toBe(true);
    expect(naiveIsAllowed(objects, { from: 'default/backup', to: 'default/api', port: 8081 })).toBe(false);
    expect(naiveIsAllowed(objects, { from: 'default/api', to: 'default/api', port: 8080 })).toBe(false); // replica to replica
    expect(naiveIsAllowed(objects, { from: 'default/single', to: 'default/single', port: 8080 })).toBe(true); // loopback
    expect(naiveIsAllowed(objects, { from: 'default/backup', to: 'default/single', port: 8080 })).toBe(false); // no port named http
  });

  test('unknown endpoints and ip -> ip flows are errors', () => {
    expect(() => naiveIsAllowed(base, { from: 'prod/nope', to: 'prod/web', port: 80 })).toThrow(/no Pod or workload/);
    expect(() => naiveIsAllowed(base, { from: 'ip:1.2.3.4', to: 'ip:5.6.7.8', port: 80 })).toThrow(/two external/);
    expect(() => naiveIsAllowed(base, { from: 'ip:1.2.3', to: 'prod/web', port: 80 })).toThrow(/not an IP/);
  });
});

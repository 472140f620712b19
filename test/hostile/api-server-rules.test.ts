/**
 * What the API server rejects, the analyzer rejects too: names, namespaces,
 * metadata of NetworkPolicies, the shape of workloads, container ports and
 * hostNetwork. Every problem names the object, the field and the bad value.
 */
import { Analyzer } from '../../src/analysis/analyzer';
import { inputError } from '../support/input-error';

const CONTAINERS = [{ name: 'c', image: 'c', ports: [{ containerPort: 80 }] }];

function pod(metadata: any, spec: any = { containers: CONTAINERS }): any {
  return { apiVersion: 'v1', kind: 'Pod', metadata: { namespace: 'shop', labels: { app: 'x' }, ...metadata }, spec };
}

function deployment(name: string, spec: any): any {
  return { apiVersion: 'apps/v1', kind: 'Deployment', metadata: { name, namespace: 'shop' }, spec };
}

function netpol(extra: any = {}, metadata: any = {}): any {
  return {
    apiVersion: 'networking.k8s.io/v1',
    kind: 'NetworkPolicy',
    metadata: { name: 'p', namespace: 'shop', ...metadata },
    spec: { podSelector: {}, policyTypes: ['Ingress'] },
    ...extra,
  };
}

/** The message for these manifests, which must be invalid. */
function problems(...objects: any[]): string {
  return inputError(() => Analyzer.fromManifests(objects)).message;
}

function one(line: string): string {
  return `Invalid manifests (1 problem):\n${line}`;
}

describe('names of pods and workloads are DNS-1123 subdomains', () => {
  test.each([
    ['evil\nFAIL forged line', '"evil\\nFAIL forged line"'],
    ['\u001b[31mred', '"\\u001b[31mred"'],
    ['Web', '"Web"'],
    ['a`b<!--', '"a`b<!--"'],
    ['x'.repeat(254), `${JSON.stringify('x'.repeat(254)).slice(0, 77)}...`],
  ])('a Pod named %j', (name, shown) => {
    const message = problems(pod({ name }));
    expect(message).toMatch(/^Invalid manifests \(1 problem\):\nmanifest #1: Pod shop\/[^\n]+: metadata\.name: /);
    expect(message).toContain(`metadata.name: ${shown}: the name `);
    expect(message.split('\n')).toHaveLength(2);
  });

  test('a Deployment with an invalid name', () => {
    expect(problems(deployment('API', { template: { spec: { containers: CONTAINERS } } }))).toBe(one(
      'manifest #1: Deployment shop/API: metadata.name: "API": the name must be a DNS-1123 subdomain: lower-case alphanumerics, "-" and ".", starting and ending with an alphanumeric.',
    ));
  });

  test('a CronJob name of more than 52 characters', () => {
    const name = 'c'.repeat(53);
    expect(problems({ apiVersion: 'batch/v1', kind: 'CronJob', metadata: { name, namespace: 'shop' }, spec: { jobTemplate: { spec: { template: { spec: { containers: CONTAINERS } } } } } }))
      .toBe(one(`manifest #1: CronJob shop/${name}: metadata.name: "${name}": the name of a CronJob is at most 52 characters (its Jobs add 11).`));
  });

  test('a non-string name', () => {
    expect(problems(pod({ name: 5 }))).toBe(one('manifest #1: Pod shop/(invalid name): metadata.name: 5: the name must be a string.'));
  });
});

describe('metadata.namespace must be a string', () => {
  test('metadata.namespace: 0 is not the default namespace', () => {
    expect(problems(pod({ name: 'web', namespace: 0 }))).toBe(one('manifest #1: Pod (invalid namespace)/web: metadata.namespace: 0: the namespace must be a string.'));
    expect(problems(netpol({}, { namespace: 0 }))).toBe(one('manifest #1: NetworkPolicy (invalid namespace)/p: metadata.namespace: 0: the namespace must be a string.'));
    expect(problems(netpol({}, { namespace: false }))).toBe(one('manifest #1: NetworkPolicy (invalid namespace)/p: metadata.namespace: false: the namespace must be a string.'));
  });

  test('an empty namespace is the default one, as for the API server', () => {
    expect(Analyzer.fromManifests([pod({ name: 'web', namespace: '' })]).endpoints[0].namespace).toBe('default');
  });
});

describe('NetworkPolicy metadata and top-level fields', () => {
  test('invalid labels', () => {
    expect(problems(netpol({}, { labels: { 'bad key!': 'x', 'app': 'not valid!', 'n': 5 } }))).toBe([
      'Invalid manifests (3 problems):',
      'manifest #1: NetworkPolicy shop/p: metadata.labels.bad key!: "bad key!": invalid label key: the name part "bad key!" must consist of alphanumerics, "-", "_" or ".", and start and end with an alphanumeric.',
      'manifest #1: NetworkPolicy shop/p: metadata.labels.app: "not valid!": invalid label value: it must be empty or consist of alphanumerics, "-", "_" or ".", and start and end with an alphanumeric.',
      'manifest #1: NetworkPolicy shop/p: metadata.labels.n: 5: a label value must be a string (quote it: "5").',
    ].join('\n'));
  });

  test('invalid annotations: keys, values and their total size', () => {
    expect(problems(netpol({}, { annotations: { 'not/a/key': 'x', 'n': 5 } }))).toBe([
      'Invalid manifests (2 problems):',
      'manifest #1: NetworkPolicy shop/p: metadata.annotations.not/a/key: "not/a/key": invalid annotation key: the name part "a/key" must consist of alphanumerics, "-", "_" or ".", and start and end with an alphanumeric.',
      'manifest #1: NetworkPolicy shop/p: metadata.annotations.n: 5: an annotation value must be a string.',
    ].join('\n'));
    const big = { a: 'x'.repeat(200 * 1024), b: 'y'.repeat(60 * 1024) };
    expect(problems(netpol({}, { annotations: big }))).toBe(one(
      `manifest #1: NetworkPolicy shop/p: metadata.annotations: ${JSON.stringify(big).slice(0, 77)}...: annotations total 266242 bytes; at most 262144 (256 KiB) are allowed.`,
    ));
    expect(Analyzer.fromManifests([netpol({}, { annotations: { 'Example.COM/Team': 'ok' } })]).policies).toEqual(['shop/p']);
  });

  test('unknown top-level fields', () => {
    expect(problems(netpol({ sepc: {}, status: {} }))).toBe(one(
      'manifest #1: NetworkPolicy shop/p: sepc: {}: unknown field "sepc"; expected one of apiVersion, kind, metadata, spec, status.',
    ));
  });

  test('metadata that is not a mapping', () => {
    expect(problems({ ...netpol(), metadata: ['p'] })).toBe([
      'Invalid manifests (2 problems):',
      'manifest #1: NetworkPolicy (no name): metadata: ["p"]: metadata must be a mapping with name and namespace.',
      'manifest #1: NetworkPolicy (no name): metadata.name: missing: a NetworkPolicy needs a name.',
    ].join('\n'));
  });
});

describe('the shape of pods and workloads', () => {
  test('a Deployment with spec: [1]', () => {
    expect(problems(deployment('api', [1]))).toBe(one('manifest #1: Deployment shop/api: spec: [1]: spec must be a mapping.'));
  });

  test('a Deployment without a template, a CronJob without a jobTemplate', () => {
    expect(problems(deployment('api', {}))).toBe(one('manifest #1: Deployment shop/api: spec.template: missing: a Deployment needs spec.template (the pods it runs).'));
    expect(problems({ apiVersion: 'batch/v1', kind: 'CronJob', metadata: { name: 'backup', namespace: 'shop' }, spec: { schedule: '@daily' } }))
      .toBe(one('manifest #1: CronJob shop/backup: spec.jobTemplate: missing: a CronJob needs spec.jobTemplate.spec.template (the pods it runs).'));
    expect(problems({ apiVersion: 'batch/v1', kind: 'Job', metadata: { name: 'once', namespace: 'shop' }, spec: { template: 'x' } }))
      .toBe(one('manifest #1: Job shop/once: spec.template: "x": spec.template must be a mapping.'));
  });

  test('a Pod whose spec is not a mapping, or whose containers are not a list', () => {
    expect(problems(pod({ name: 'web' }, [1]))).toBe(one('manifest #1: Pod shop/web: spec: [1]: spec must be a mapping.'));
    expect(problems(pod({ name: 'web' }, { containers: { c: 1 } }))).toBe(one('manifest #1: Pod shop/web: spec.containers: {"c":1}: containers must be a list.'));
  });

  test('duplicate container port names in one pod', () => {
    const spec = {
      containers: [
        { name: 'a', image: 'a', ports: [{ name: 'http', containerPort: 80 }] },
        { name: 'b', image: 'b', ports: [{ name: 'http', containerPort: 8080 }] },
      ],
    };
    expect(problems(pod({ name: 'web' }, spec))).toBe(one(
      'manifest #1: Pod shop/web: spec.containers[1].ports[0].name: "http": the port name "http" is also spec.containers[0].ports[0]; port names must be unique in a pod.',
    ));
  });

  test('hostNetwork must be a boolean', () => {
    expect(problems(pod({ name: 'web' }, { hostNetwork: 'true', containers: CONTAINERS }))).toBe(one(
      'manifest #1: Pod shop/web: spec.hostNetwork: "true": hostNetwork must be true or false (unquoted).',
    ));
    expect(problems(deployment('api', { template: { spec: { hostNetwork: 1, containers: CONTAINERS } } }))).toBe(one(
      'manifest #1: Deployment shop/api: spec.template.spec.hostNetwork: 1: hostNetwork must be true or false (unquoted).',
    ));
  });
});

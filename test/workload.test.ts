/*
 * Workloads of every origin, wherever pods are selected. This file is also a type-check test: the
 * `tsc --noEmit -p test/tsconfig.json` step of `test` compiles it, so passing a cdk8s-plus-33 object
 * where a workload is taken must keep compiling (it failed with TS2345 while the parameters were
 * cdk8s-plus-28's IPodSelector, whose LabelSelector is a different declaration than 33's).
 */
import * as path from 'path';
import { ApiObject, Chart, Cron, Include, Testing } from 'cdk8s';
import * as kplus28 from 'cdk8s-plus-28';
import * as kplus33 from 'cdk8s-plus-33';
import { IPeer, Peer, Port, Selector, ServiceGraph } from '../src';
import { netpolMatchers } from '../src/jest';

expect.extend(netpolMatchers);

const FIXTURES = path.join(__dirname, 'fixtures', 'include');

/** The peer as it synthesizes (fields left undefined dropped). */
function rendered(peer: IPeer, policyNamespace: string): unknown {
  return JSON.parse(JSON.stringify(peer.toPeerConfig(policyNamespace).peer));
}

function shopChart(): Chart {
  return new Chart(Testing.app(), 'c', { namespace: 'shop' });
}

describe('cdk8s-plus-33 workloads', () => {
  test('Selector.fromWorkload() and Peer.workload() take a kplus33.Deployment (and select what a kplus28 one selects)', () => {
    // GIVEN the same Deployment made with cdk8s-plus-28 and with cdk8s-plus-33
    const deployment33: kplus33.Deployment = new kplus33.Deployment(shopChart(), 'api', { containers: [{ image: 'api:1' }] });
    const deployment28 = new kplus28.Deployment(shopChart(), 'api', { containers: [{ image: 'api:1' }] });

    // WHEN
    const selector = Selector.fromWorkload(deployment33);
    const peer = Peer.workload(deployment33);

    // THEN the labels the Deployment selects its pods with, in its namespace
    const address = deployment33.matchLabels['cdk8s.io/metadata.addr'];
    expect(address).toMatch(/^c-api-/);
    expect(selector.toString()).toBe(`cdk8s.io/metadata.addr=${address}`);
    expect(selector.namespace).toBe('shop');
    expect(rendered(peer, 'payments')).toStrictEqual({
      namespaceSelector: { matchLabels: { 'kubernetes.io/metadata.name': 'shop' } },
      podSelector: { matchLabels: { 'cdk8s.io/metadata.addr': address } },
    });
    expect(Selector.fromWorkload(deployment28).toString()).toBe(selector.toString());
  });

  test.each([
    ['StatefulSet', (c: Chart) => new kplus33.StatefulSet(c, 'db', { containers: [{ image: 'db:1', portNumber: 5432 }] })],
    ['DaemonSet', (c: Chart) => new kplus33.DaemonSet(c, 'agent', { containers: [{ image: 'agent:1' }] })],
    ['Job', (c: Chart) => new kplus33.Job(c, 'migrate', { containers: [{ image: 'migrate:1' }] })],
    ['CronJob', (c: Chart) => new kplus33.CronJob(c, 'report', { containers: [{ image: 'report:1' }], schedule: Cron.daily() })],
    ['Pod', (c: Chart) => new kplus33.Pod(c, 'debug', { containers: [{ image: 'debug:1' }] })],
  ])('a kplus33.%s is selected by its address label', (_kind, make) => {
    const workload = make(shopChart());
    const selector = Selector.fromWorkload(workload);
    expect(Object.keys(selector.matchLabels)).toStrictEqual(['cdk8s.io/metadata.addr']);
    expect(selector.namespace).toBe('shop');
  });

  test('a Deployment selected before its first container is added (it cannot synthesize yet) selects what it will', () => {
    // GIVEN
    const chart = shopChart();
    const api = new kplus33.Deployment(chart, 'api', { metadata: { name: 'api' } });

    // WHEN selected now, and declared as a service now
    const early = Selector.fromWorkload(api);
    const graph = new ServiceGraph(chart, 'mesh', { namespaces: ['shop'] });
    const service = graph.addService('api', { workload: api });
    api.addContainer({ image: 'api:1' });

    // THEN
    expect(early.toString()).toBe(Selector.fromWorkload(api).toString());
    expect(early.namespace).toBe('shop');
    expect(service.endpoint).toBe('shop/api');
  });

  test('a ServiceGraph service from a kplus33.Deployment: its name, and its named ports checked', () => {
    // GIVEN
    const chart = shopChart();
    const graph = new ServiceGraph(chart, 'mesh', { namespaces: ['shop'] });
    const api = new kplus33.Deployment(chart, 'api', { metadata: { name: 'api' }, containers: [{ image: 'api:1', ports: [{ name: 'http', number: 8080 }] }] });
    const web = new kplus33.Deployment(chart, 'web', { metadata: { name: 'web' }, containers: [{ image: 'web:1' }] });

    // WHEN
    const apiService = graph.addService('api', { workload: api });
    const webService = graph.addService('web', { workload: web });
    graph.allow(webService, apiService, Port.named('http'));

    // THEN
    expect(apiService.endpoint).toBe('shop/api');
    expect(() => graph.allow(apiService, webService, Port.named('http'))).toThrow(/^c\/mesh\/web: .*the named port TCP\/http matches no container port of shop\/web /);
  });
});

describe('raw ApiObjects (cdk8s import, hand-written)', () => {
  test('a KubeDeployment: its spec.selector, expressions included, and its namespace', () => {
    // GIVEN a KubeDeployment, the class `cdk8s import k8s` generates (here cdk8s-plus-33's copy of it)
    const chart = shopChart();
    const api = new kplus33.k8s.KubeDeployment(chart, 'api', {
      metadata: { name: 'api', namespace: 'payments' },
      spec: {
        selector: { matchLabels: { app: 'api' }, matchExpressions: [{ key: 'track', operator: 'In', values: ['stable'] }] },
        template: { metadata: { labels: { app: 'api', track: 'stable' } }, spec: { containers: [{ name: 'api', image: 'api:1' }] } },
      },
    });

    // WHEN
    const peer = Peer.workload(api);

    // THEN
    expect(rendered(peer, 'shop')).toStrictEqual({
      namespaceSelector: { matchLabels: { 'kubernetes.io/metadata.name': 'payments' } },
      podSelector: { matchLabels: { app: 'api' }, matchExpressions: [{ key: 'track', operator: 'In', values: ['stable'] }] },
    });
  });

  test('a plain ApiObject Pod is selected by all its labels; a ReplicationController by its selector map', () => {
    const chart = shopChart();
    const pod = new ApiObject(chart, 'pod', {
      apiVersion: 'v1',
      kind: 'Pod',
      metadata: { name: 'debug', labels: { app: 'debug', team: 'sre' } },
      spec: { containers: [{ name: 'debug', image: 'debug:1' }] },
    });
    const rc = new ApiObject(chart, 'rc', {
      apiVersion: 'v1',
      kind: 'ReplicationController',
      metadata: { name: 'legacy' },
      spec: { selector: { app: 'legacy' }, template: { metadata: { labels: { app: 'legacy', v: '1' } }, spec: { containers: [] } } },
    });
    expect(Selector.fromWorkload(pod).toString()).toBe('app=debug,team=sre');
    expect(Selector.fromWorkload(rc).toString()).toBe('app=legacy');
  });

  test('an object that makes no pods is refused, naming its kind', () => {
    const chart = shopChart();
    const service = new kplus33.Service(chart, 'svc', { ports: [{ port: 80 }] });
    expect(() => Selector.fromWorkload(service)).toThrow(/^c\/svc is a Service, which makes no pods; expected a workload construct: /);
  });

  test('pods without labels are refused: an empty selector would select the whole namespace', () => {
    const chart = shopChart();
    const pod = new ApiObject(chart, 'bare', { apiVersion: 'v1', kind: 'Pod', metadata: { name: 'bare' }, spec: { containers: [] } });
    expect(() => Peer.workload(pod)).toThrow(
      'c/bare (Pod bare) has pods without labels, so no selector can tell them from the other pods of its namespace; '
      + 'give its pods labels (metadata.labels of the pod template).',
    );
  });

  test('a selector that is empty or not a selector is refused, naming the field', () => {
    const chart = shopChart();
    const deployment = (id: string, selector: unknown) => new ApiObject(chart, id, {
      apiVersion: 'apps/v1',
      kind: 'Deployment',
      metadata: { name: id },
      spec: { selector, template: { metadata: { labels: { app: id } } } },
    });
    expect(() => Selector.fromWorkload(deployment('empty', {}))).toThrow(
      'The spec.selector of c/empty (Deployment empty) is empty, so it would stand for every pod of its namespace; select its pods by their labels.',
    );
    expect(() => Selector.fromWorkload(deployment('text', 'app=text'))).toThrow('The spec.selector of c/text (Deployment text) is not a label selector: "app=text".');
    expect(() => Selector.fromWorkload(deployment('chars', { matchLabels: 'abc' }))).toThrow(
      'The label selector of c/chars is invalid: matchLabels must be a map and matchExpressions a list, got {"matchLabels":"abc"}.',
    );
  });

  test('invalid labels in the synthesized selector name the workload', () => {
    const chart = shopChart();
    const api = new ApiObject(chart, 'api', {
      apiVersion: 'apps/v1',
      kind: 'Deployment',
      metadata: { name: 'api' },
      spec: { selector: { matchLabels: { app: 'api-' } }, template: { metadata: { labels: { app: 'api-' } } } },
    });
    expect(() => Selector.fromWorkload(api)).toThrow(/^Invalid label value "api-" for key "app" in the pod selector of c\/api: /);
  });
});

describe('imported charts (cdk8s Include)', () => {
  test('an Include that holds one workload (beside a Service) stands for that workload everywhere', () => {
    // GIVEN a Helm-rendered app, included
    const chart = new Chart(Testing.app(), 'c');
    const imported = new Include(chart, 'helm-api', { url: path.join(FIXTURES, 'shop.yaml') });
    const graph = new ServiceGraph(chart, 'mesh', { namespaces: ['shop'] });
    const web = graph.addService('web', { namespace: 'shop', pods: Selector.labels({ app: 'web' }) });
    new ApiObject(chart, 'web', {
      apiVersion: 'apps/v1',
      kind: 'Deployment',
      metadata: { name: 'web', namespace: 'shop' },
      spec: { selector: { matchLabels: { app: 'web' } }, template: { metadata: { labels: { app: 'web' } }, spec: { containers: [{ name: 'web', image: 'web:1' }] } } },
    });

    // WHEN
    const api = graph.addService('api', { workload: imported });
    graph.allow(web, api, Port.named('http'));

    // THEN the Deployment's selector, namespace, name and named ports
    expect(Selector.fromWorkload(imported).toString()).toBe('app.kubernetes.io/instance=shop,app.kubernetes.io/name=api');
    expect(rendered(Peer.workload(imported), 'shop')).toStrictEqual({
      podSelector: { matchLabels: { 'app.kubernetes.io/instance': 'shop', 'app.kubernetes.io/name': 'api' } },
    });
    expect(api.endpoint).toBe('shop/api');
    expect(chart).toAllowTraffic({ from: 'shop/web', to: imported, port: 8080 });
    expect(chart).toDenyTraffic({ from: 'shop/web', to: imported, port: 9090 });
  });

  test('an Include that holds several workloads is refused, naming them', () => {
    const chart = new Chart(Testing.app(), 'c');
    const imported = new Include(chart, 'helm', { url: path.join(FIXTURES, 'two-workloads.yaml') });
    expect(() => Peer.workload(imported)).toThrow(
      /^c\/helm holds 2 workloads \(Deployment api, CronJob report\); pass the one whose pods you mean \(e\.g\. c\/helm\/api-deployment-shop\)\.$/,
    );
    // a Chart of many workloads: the first five are named
    for (let i = 0; i < 6; i++) new kplus33.Deployment(chart, `d${i}`, { containers: [{ image: 'x' }] });
    expect(() => Selector.fromWorkload(chart)).toThrow(/^c holds 8 workloads \(Deployment api, CronJob report, Deployment c-d0-\w+, Deployment c-d1-\w+, Deployment c-d2-\w+, and 3 more\); /);
    const cronJob = imported.apiObjects.find((o) => o.kind === 'CronJob')!;
    expect(Selector.fromWorkload(cronJob).toString()).toBe('app=report');
  });
});

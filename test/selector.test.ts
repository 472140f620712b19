import { Chart, Testing } from 'cdk8s';
import * as kplus from 'cdk8s-plus-28';
import { LabelExpression, Selector } from '../src';

/** The selector as it appears in the synthesized YAML (no undefined fields). */
function rendered(selector: Selector): unknown {
  return kplus.k8s.toJson_LabelSelector(selector.toLabelSelector());
}

describe('Selector.all()', () => {
  test('selects every pod and renders {}', () => {
    const selector = Selector.all();
    expect(selector.isAll).toBe(true);
    expect(rendered(selector)).toStrictEqual({});
    expect(selector.toString()).toBe('*');
    expect(selector.matchLabels).toStrictEqual({});
    expect(selector.matchExpressions).toStrictEqual([]);
    expect(selector.namespace).toBeUndefined();
    expect(selector.workloadPath).toBeUndefined();
  });

  test('Selector.of({}) is the same as all()', () => {
    const selector = Selector.of({});
    expect(selector.isAll).toBe(true);
    expect(rendered(selector)).toStrictEqual({});
  });
});

describe('Selector.labels()', () => {
  test('renders matchLabels with the keys sorted', () => {
    // WHEN
    const selector = Selector.labels({ 'tier': 'web', 'app.kubernetes.io/name': 'shop', 'app': 'api' });

    // THEN
    expect(Object.keys(selector.matchLabels)).toEqual(['app', 'app.kubernetes.io/name', 'tier']);
    expect(rendered(selector)).toStrictEqual({ matchLabels: { 'app': 'api', 'app.kubernetes.io/name': 'shop', 'tier': 'web' } });
    expect(Object.keys(selector.toLabelSelector().matchLabels!)).toEqual(['app', 'app.kubernetes.io/name', 'tier']);
    expect(selector.toString()).toBe('app=api,app.kubernetes.io/name=shop,tier=web');
    expect(selector.isAll).toBe(false);
  });

  test('an empty label value is valid', () => {
    expect(rendered(Selector.labels({ canary: '' }))).toStrictEqual({ matchLabels: { canary: '' } });
  });

  test('the selector does not share the caller\'s object', () => {
    // GIVEN
    const labels: { [key: string]: string } = { app: 'api' };
    const selector = Selector.labels(labels);

    // WHEN the caller changes its object afterwards
    labels.app = 'other';

    // THEN the selector is unchanged
    expect(rendered(selector)).toStrictEqual({ matchLabels: { app: 'api' } });
  });

  test('no labels is an error pointing to Selector.all()', () => {
    expect(() => Selector.labels({})).toThrow(/^Selector\.labels\(\) needs at least one label; use Selector\.all\(\) to select every pod\.$/);
  });

  test('an invalid key is rejected', () => {
    expect(() => Selector.labels({ 'app name': 'api' })).toThrow(
      /^Invalid label key "app name" in a pod selector: the name part "app name" must consist of alphanumerics/,
    );
  });

  test('an invalid value is rejected', () => {
    expect(() => Selector.labels({ app: 'api-' })).toThrow(
      /^Invalid label value "api-" for key "app" in a pod selector: it must be empty or consist of alphanumerics/,
    );
  });
});

describe('Selector.expressions() and Selector.of()', () => {
  test('renders matchExpressions in order, deduplicated', () => {
    // GIVEN the same In expression twice (values in another order) and two more
    const selector = Selector.expressions([
      LabelExpression.in('track', ['stable', 'canary']),
      LabelExpression.doesNotExist('quarantined'),
      LabelExpression.in('track', ['canary', 'stable', 'canary']),
      LabelExpression.exists('team'),
    ]);

    // THEN
    expect(rendered(selector)).toStrictEqual({
      matchExpressions: [
        { key: 'track', operator: 'In', values: ['canary', 'stable'] },
        { key: 'quarantined', operator: 'DoesNotExist' },
        { key: 'team', operator: 'Exists' },
      ],
    });
    expect(selector.matchExpressions).toHaveLength(3);
    expect(selector.toString()).toBe('track in (canary,stable),!quarantined,team');
  });

  test('no expressions is an error pointing to Selector.all()', () => {
    expect(() => Selector.expressions([])).toThrow(
      /^Selector\.expressions\(\) needs at least one expression; use Selector\.all\(\) to select every pod\.$/,
    );
  });

  test('labels and expressions together', () => {
    const selector = Selector.of({
      labels: { tier: 'backend', app: 'api' },
      expressions: [LabelExpression.notIn('env', ['dev', 'ci'])],
    });
    expect(rendered(selector)).toStrictEqual({
      matchLabels: { app: 'api', tier: 'backend' },
      matchExpressions: [{ key: 'env', operator: 'NotIn', values: ['ci', 'dev'] }],
    });
    expect(selector.toString()).toBe('app=api,tier=backend,env notin (ci,dev)');
    expect(selector.isAll).toBe(false);
  });

  test('an expression that is not a LabelExpression is rejected', () => {
    const fake = { key: 'app', operator: 'In', values: ['api'] } as unknown as LabelExpression;
    expect(() => Selector.of({ expressions: [fake] })).toThrow(
      /^Invalid expression in a pod selector: use LabelExpression\.in\(\), notIn\(\), exists\(\) or doesNotExist\(\)\.$/,
    );
  });
});

describe('Selector.fromWorkload()', () => {
  test('a Deployment: its own labels and the namespace of its chart', () => {
    // GIVEN
    const chart = new Chart(Testing.app(), 'c', { namespace: 'production' });
    const api = new kplus.Deployment(chart, 'api', { containers: [{ image: 'api:1' }] });

    // WHEN
    const selector = Selector.fromWorkload(api);

    // THEN
    expect(api.matchLabels).toStrictEqual({ 'cdk8s.io/metadata.addr': expect.stringMatching(/^c-api-[0-9a-f]{8}$/) });
    expect(rendered(selector)).toStrictEqual({ matchLabels: api.matchLabels });
    expect(selector.namespace).toBe('production');
    expect(selector.workloadPath).toBe('c/api');
  });

  test('a Deployment in a chart without a namespace has no namespace', () => {
    const chart = Testing.chart();
    const web = new kplus.Deployment(chart, 'web', { containers: [{ image: 'web:1' }] });
    const selector = Selector.fromWorkload(web);
    expect(selector.namespace).toBeUndefined();
    expect(selector.workloadPath).toBe('test/web');
    expect(rendered(selector)).toStrictEqual({ matchLabels: web.matchLabels });
  });

  test('kplus.Pods.select() with labels and expressions', () => {
    const chart = Testing.chart();
    const pods = kplus.Pods.select(chart, 'workers', {
      labels: { app: 'worker' },
      expressions: [kplus.LabelExpression.in('queue', ['slow', 'fast'])],
    });
    const selector = Selector.fromWorkload(pods);
    expect(rendered(selector)).toStrictEqual({
      matchLabels: { app: 'worker' },
      matchExpressions: [{ key: 'queue', operator: 'In', values: ['fast', 'slow'] }],
    });
    expect(selector.namespace).toBeUndefined();
    expect(selector.toString()).toBe('app=worker,queue in (fast,slow)');
  });

  test('kplus.Pods.select() in one namespace given by name records that namespace', () => {
    // GIVEN a selection with one namespace name (cdk8s-plus adds an empty namespace label selector)
    const chart = Testing.chart();
    const pods = kplus.Pods.select(chart, 'jobs', {
      labels: { app: 'job' },
      namespaces: kplus.Namespaces.select(chart, 'batch', { names: ['batch'] }),
    });

    // WHEN
    const selector = Selector.fromWorkload(pods);

    // THEN
    expect(selector.namespace).toBe('batch');
    expect(rendered(selector)).toStrictEqual({ matchLabels: { app: 'job' } });
  });

  test('a selection spanning namespaces given by labels is refused', () => {
    const chart = Testing.chart();
    const pods = kplus.Pods.select(chart, 'prometheus', {
      labels: { app: 'prometheus' },
      namespaces: kplus.Namespaces.select(chart, 'observability', { labels: { team: 'observability' } }),
    });
    expect(() => Selector.fromWorkload(pods)).toThrow(
      /^test\/prometheus selects pods in several namespaces; a policy selects pods of its own namespace only\. Use it as a peer with Peer\.workload\(\) instead\.$/,
    );
  });

  test('a selection spanning several namespace names is refused', () => {
    const chart = Testing.chart();
    const pods = kplus.Pods.select(chart, 'api', {
      labels: { app: 'api' },
      namespaces: kplus.Namespaces.select(chart, 'envs', { names: ['staging', 'production'] }),
    });
    expect(() => Selector.fromWorkload(pods)).toThrow(/^test\/api selects pods in several namespaces/);
  });

  test('a selection of all namespaces is refused', () => {
    const chart = Testing.chart();
    const pods = kplus.Pods.select(chart, 'everywhere', { labels: { app: 'agent' }, namespaces: kplus.Namespaces.all(chart, 'all') });
    expect(() => Selector.fromWorkload(pods)).toThrow(/^test\/everywhere selects pods in several namespaces/);
  });

  test('something that is not a construct is refused', () => {
    expect(() => Selector.fromWorkload({} as unknown as Chart)).toThrow(
      /^Expected a workload construct: a cdk8s-plus Deployment, .*; got an object that is not a construct\.$/,
    );
  });
});

import { ApiObject, App, Chart, Testing } from 'cdk8s';
import * as kplus from 'cdk8s-plus-28';
import { AllowDns, AllowTo, ExternalHttps, NetpolChecks, Peer, Port, Selector } from '../../src';
import { Cni } from '../../src/lint/cni';
import { Linter } from '../../src/lint/linter';
import { Severity } from '../../src/lint/severity';
import { thrown } from '../support/thrown';

const METADATA_ERROR = '[NetpolChecks] [metadata-endpoint-reachable] NetworkPolicy shop/egress spec.egress[0].to[0].ipBlock: '
  + 'spec.egress[0] allows egress to ipBlock 0.0.0.0/0, which includes link-local 169.254.0.0/16 (cloud metadata endpoints such as 169.254.169.254). '
  + 'Fix: Add "169.254.0.0/16" to the except list of 0.0.0.0/0. (construct shop/egress)';

const ACK_KEY = 'acknowledge.cdk8s-netpol.io/metadata-endpoint-reachable';

interface Shop {
  readonly app: App;
  readonly chart: Chart;
  readonly egress: AllowTo;
}

/** A Deployment `api` in namespace shop, with DNS allowed and egress to the internet: 0.0.0.0/0 by default (an error). */
function shop(to: 'everything' | 'external-https' = 'everything'): Shop {
  const app = Testing.app();
  const chart = new Chart(app, 'shop', { namespace: 'shop' });
  new ApiObject(chart, 'api', {
    apiVersion: 'apps/v1',
    kind: 'Deployment',
    metadata: { name: 'api' },
    spec: {
      selector: { matchLabels: { app: 'api' } },
      template: { metadata: { labels: { app: 'api' } }, spec: { containers: [{ name: 'api', image: 'api' }] } },
    },
  });
  new AllowDns(chart, 'dns');
  const egress = new AllowTo(chart, 'egress', {
    pods: Selector.labels({ app: 'api' }),
    to: to === 'everything' ? [Peer.ipBlock('0.0.0.0/0')] : [Peer.ipBlock('203.0.113.0/24')],
    ports: [Port.HTTPS],
  });
  if (to === 'external-https') {
    new ExternalHttps(chart, 'external', { pods: Selector.labels({ app: 'api' }) });
  }
  return { app, chart, egress };
}

let warn: jest.SpyInstance;
beforeEach(() => {
  warn = jest.spyOn(console, 'warn').mockImplementation(() => undefined);
});
afterEach(() => {
  warn.mockRestore();
  jest.restoreAllMocks();
});

describe('NetpolChecks: synthesis fails on findings at or above failOn', () => {
  test('an error fails Testing.synth, app.synth and synthYaml with the finding, the fix and the construct path', () => {
    const { app, chart } = shop();
    // Without the checks the same app synthesizes: the failure below is theirs.
    expect(Testing.synth(chart).map((o) => o.metadata.name)).toEqual(['api', 'dns', 'egress']);

    NetpolChecks.of(app);

    const message = thrown(() => Testing.synth(chart));
    expect(message).toContain(`Validation failed with the following errors:\n  ${METADATA_ERROR}`);
    expect(thrown(() => app.synth())).toContain(METADATA_ERROR);
    expect(thrown(() => app.synthYaml())).toContain(METADATA_ERROR);
  });

  test('a compliant app synthesizes, and its warnings go to stderr once per distinct set of manifests', () => {
    const { app, chart } = shop('external-https');
    new Chart(app, 'other', { namespace: 'other' });
    const checks = NetpolChecks.of(app);

    const objects = Testing.synth(chart);
    app.synth(); // validates the app once, then once per chart
    Testing.synth(chart);

    expect(objects.map((o) => o.metadata.name)).toEqual(['api', 'dns', 'egress', 'external']);
    expect(checks.report().errorCount).toBe(0);
    expect(checks.report().warningCount).toBeGreaterThan(0);
    expect(warn).toHaveBeenCalledTimes(1);
    const printed: string = warn.mock.calls[0][0];
    expect(printed).toMatch(/^cdk8s-netpol: \d+ findings? below failOn \(error\), not failing the synthesis:\n/);
    // The message names its object: the line does not name it twice.
    const line = printed.split('\n').find((l) => l.startsWith('  [missing-default-deny] Namespace shop has no default-deny for ingress '));
    expect(line).toMatch(/^ {2}\[missing-default-deny\] Namespace shop has no default-deny for ingress .* Fix: /);
    // A namespace without a Namespace object is no construct: no construct path.
    expect(line).not.toContain('(construct ');

    // Another object changes the manifests: the warnings are printed again.
    new ApiObject(chart, 'config', { apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'config' } });
    Testing.synth(chart);
    expect(warn).toHaveBeenCalledTimes(2);
  });

  test('the app is linted once per distinct set of manifests, though cdk8s validates it once per chart', () => {
    const { app } = shop('external-https');
    new Chart(app, 'other', { namespace: 'other' });
    NetpolChecks.of(app, { reportBelowFailOn: false });
    const lint = jest.spyOn(Linter, 'lint');

    app.synth();

    expect(lint).toHaveBeenCalledTimes(1);
    expect(warn).not.toHaveBeenCalled();
  });

  test('failOn WARNING fails on a warning that failOn ERROR lets through', () => {
    const lenient = shop('external-https');
    NetpolChecks.of(lenient.app, { failOn: Severity.ERROR, reportBelowFailOn: false });
    expect(Testing.synth(lenient.chart)).toHaveLength(4);

    const strict = shop('external-https');
    NetpolChecks.of(strict.app, { failOn: Severity.WARNING });
    const message = thrown(() => Testing.synth(strict.chart));
    expect(message).toMatch(/^ {2}\[NetpolChecks\] \[missing-default-deny\] Namespace shop has no default-deny for ingress/m);
    // Nothing is below WARNING: nothing to print.
    expect(warn).not.toHaveBeenCalled();
  });

  test('an object the analyzer rejects is a validation error naming it, not a crash', () => {
    const app = Testing.app();
    const chart = new Chart(app, 'raw', { namespace: 'raw' });
    new kplus.k8s.KubeNetworkPolicy(chart, 'bad', {
      metadata: { name: 'bad' },
      spec: { podSelector: {}, ingress: [{ from: [{ ipBlock: { cidr: '10.0.0.0/33' } }] }] },
    });
    NetpolChecks.of(app);

    const message = thrown(() => Testing.synth(chart));

    expect(message).toContain('\n  [NetpolChecks] cannot check the NetworkPolicies: Invalid manifests (1 problem):\n'
      + '    construct raw/bad: NetworkPolicy raw/bad: spec.ingress[0].from[0].ipBlock.cidr: "10.0.0.0/33": the prefix length "33" must be');
  });
});

describe('NetpolChecks.acknowledge', () => {
  test('moves the findings to report().acknowledged, lets the synthesis pass and writes the annotation', () => {
    const { app, chart, egress } = shop();
    const checks = NetpolChecks.of(app);

    checks.acknowledge(egress, 'metadata-endpoint-reachable', '  the proxy reads the metadata endpoint on purpose ');

    const report = checks.report();
    expect(report.findings.filter((f) => f.ruleId === 'metadata-endpoint-reachable')).toEqual([]);
    expect(report.acknowledged.map((f) => [f.ruleId, f.object, f.acknowledgedBecause])).toEqual([
      ['metadata-endpoint-reachable', 'NetworkPolicy shop/egress', 'the proxy reads the metadata endpoint on purpose'],
    ]);
    const objects = Testing.synth(chart);
    const annotated = objects.filter((o) => o.metadata.annotations?.[ACK_KEY] !== undefined).map((o) => o.metadata.name);
    expect(annotated).toEqual(['egress']);
    expect(app.synthYaml()).toContain(`${ACK_KEY}: the proxy reads the metadata endpoint on purpose\n`);
  });

  test('on a Chart, annotates every object of the chart; acknowledging again with the same reason is harmless', () => {
    const { app, chart } = shop();
    const checks = NetpolChecks.of(app);

    checks.acknowledge(chart, 'metadata-endpoint-reachable', 'egress proxy');
    checks.acknowledge(chart, 'metadata-endpoint-reachable', 'egress proxy');

    expect(Testing.synth(chart).map((o) => [o.metadata.name, o.metadata.annotations?.[ACK_KEY]])).toEqual([
      ['api', 'egress proxy'], ['dns', 'egress proxy'], ['egress', 'egress proxy'],
    ]);
  });

  test('rejects an unknown rule id, listing the valid ones', () => {
    const { app, egress } = shop();
    const checks = NetpolChecks.of(app);

    const message = thrown(() => checks.acknowledge(egress, 'metadata-endpoint-reachble', 'typo'));

    expect(message).toMatch(/^shop\/egress: cannot acknowledge "metadata-endpoint-reachble": there is no such rule\. The rule ids are: dns-egress-blocked, /);
    expect(message).toContain(', metadata-endpoint-reachable, ');
    expect(message).not.toContain('acknowledgement-invalid');
    // Nothing was annotated.
    expect(egress.policy.apiObject.toJson().metadata.annotations).toBeUndefined();
  });

  test('rejects an empty reason, acknowledgement-invalid, a scope without objects and a second, different reason', () => {
    const { app, chart, egress } = shop();
    const checks = NetpolChecks.of(app);

    expect(thrown(() => checks.acknowledge(egress, 'metadata-endpoint-reachable', ' \n')))
      .toBe('shop/egress: acknowledging "metadata-endpoint-reachable" needs a reason: say why the findings are intended, for the next reviewer.');
    expect(thrown(() => checks.acknowledge(egress, 'acknowledgement-invalid', 'why not')))
      .toMatch(/^shop\/egress: "acknowledgement-invalid" cannot be acknowledged/);
    expect(thrown(() => checks.acknowledge(new Chart(app, 'empty'), 'allow-all-rule', 'nothing here')))
      .toMatch(/^empty: there is no Kubernetes object to acknowledge "allow-all-rule" on \(yet\)/);
    checks.acknowledge(egress, 'metadata-endpoint-reachable', 'first reason');
    expect(thrown(() => checks.acknowledge(chart, 'metadata-endpoint-reachable', 'second reason')))
      .toBe('shop/egress: "metadata-endpoint-reachable" is already acknowledged with the reason "first reason"; '
        + 'acknowledging it again with "second reason" would silently replace it. Keep one reason.');
  });

  test('rejects a construct of another App', () => {
    const first = shop();
    const second = shop();

    const message = thrown(() => NetpolChecks.of(first.app).acknowledge(second.egress, 'metadata-endpoint-reachable', 'why'));

    expect(message).toMatch(/^shop\/egress: the construct belongs to another App than these checks/);
  });
});

describe('NetpolChecks.of', () => {
  test('returns one instance per App, from any construct of it', () => {
    const { app, chart, egress } = shop();
    const other = shop();

    const checks = NetpolChecks.of(chart, { failOn: Severity.ERROR });

    expect(NetpolChecks.of(app)).toBe(checks);
    expect(NetpolChecks.of(egress, { failOn: Severity.ERROR })).toBe(checks);
    expect(NetpolChecks.of(other.app)).not.toBe(checks);
    expect(app.node.children.filter((c) => c instanceof NetpolChecks).map((c) => c.node.path)).toEqual(['NetpolChecks']);
  });

  test('a second call with other options throws, naming both', () => {
    const { app, chart } = shop();
    NetpolChecks.of(app);

    const message = thrown(() => NetpolChecks.of(chart, { failOn: Severity.WARNING, cni: Cni.CALICO }));

    expect(message).toBe('NetpolChecks.of(shop): the checks of this App are already set up with '
      + '{ failOn: error, cni: none, scraper: the default, reportBelowFailOn: true }, and cannot be set up again with '
      + '{ failOn: warning, cni: calico, scraper: the default, reportBelowFailOn: true }. '
      + 'Pass the options in one place and call NetpolChecks.of(scope) without options elsewhere.');
  });

  test('the CNI version reaches the linter (it was dropped): a gap of an older release is reported', () => {
    // GIVEN a port range (endPort), which Cilium before 1.16 ignores
    const report = (options: { cniVersion?: string }) => {
      const app = Testing.app();
      const chart = new Chart(app, 'shop', { namespace: 'shop' });
      new AllowTo(chart, 'range', { pods: Selector.labels({ app: 'api' }), to: [Peer.ipBlock('203.0.113.0/24')], ports: [Port.tcpRange(7000, 7100)] });
      return NetpolChecks.of(app, { cni: Cni.CILIUM, ...options }).report().findings.map((f) => f.ruleId);
    };

    // WHEN / THEN
    expect(report({ cniVersion: '1.15' })).toContain('end-port-ignored');
    expect(report({ cniVersion: '1.16' })).not.toContain('end-port-ignored');
    expect(report({})).not.toContain('end-port-ignored');
  });

  test('the CNI version is part of the settings two calls must agree on', () => {
    const app = Testing.app();
    NetpolChecks.of(app, { cni: Cni.CILIUM, cniVersion: '1.15' });
    expect(thrown(() => NetpolChecks.of(app, { cni: Cni.CILIUM }))).toContain('already set up with { failOn: error, cni: cilium@1.15,');
    expect(thrown(() => NetpolChecks.of(Testing.app(), { cniVersion: '1.15' })))
      .toBe('NetpolChecks.of(the App): A CNI version ("1.15") was given without a CNI: give cni too.');
  });

  test('the pod network reaches the linter, and is part of the settings two calls must agree on', () => {
    const app = Testing.app();
    const checks = NetpolChecks.of(app, { podCidrs: ['10.244.0.0/16'] });
    expect(thrown(() => NetpolChecks.of(app, { podCidrs: ['10.245.0.0/16'] }))).toContain('scraper: the default, podCidrs: 10.244.0.0/16, reportBelowFailOn: true }');
    expect(thrown(() => NetpolChecks.of(Testing.app(), { podCidrs: ['10.244.0.1/16'] })))
      .toBe('NetpolChecks.of(the App): podCidrs "10.244.0.1/16": host bits are set after the /16 prefix: did you mean "10.244.0.0/16"?');
    expect(checks).toBe(NetpolChecks.of(app, { podCidrs: ['10.244.0.0/16'] }));
    // GIVEN an Admin policy that denies 10.0.0.0/8, which holds the pod network
    new ApiObject(new Chart(app, 'platform'), 'private', {
      apiVersion: 'policy.networking.k8s.io/v1alpha2',
      kind: 'ClusterNetworkPolicy',
      metadata: { name: 'private' },
      spec: { tier: 'Admin', priority: 40, subject: { namespaces: {} }, egress: [{ action: 'Deny', to: [{ networks: ['10.0.0.0/8'] }] }] },
    });
    // THEN the linter reads the pod network: the rule finds pod traffic in 10.0.0.0/8
    const ids = (c: NetpolChecks) => c.report().findings.map((f) => f.ruleId);
    expect(ids(checks)).toContain('network-peer-matches-pods');
  });

  test('checks the options when they are given', () => {
    expect(thrown(() => NetpolChecks.of(Testing.app(), { failOn: 'fatal' as Severity })))
      .toBe('NetpolChecks.of(the App): failOn "fatal" is not a severity; use error or warning.');
    expect(thrown(() => NetpolChecks.of(Testing.app(), { cni: 'calicoo' as Cni })))
      .toMatch(/^NetpolChecks\.of\(the App\): cni "calicoo" is not a CNI this tool knows; use one of calico, cilium, /);
    expect(thrown(() => NetpolChecks.of(Testing.app(), { scraper: { namespace: 'Monitoring', labels: { app: 'prometheus' } } })))
      .toMatch(/^NetpolChecks\.of\(the App\): Invalid metrics scraper: namespace "Monitoring": /);
  });
});

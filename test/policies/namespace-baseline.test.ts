import { Chart, Testing } from 'cdk8s';
import { NamespaceBaseline, Port, Selector } from '../../src';
import { synthPolicies } from '../support/synth';

describe('NamespaceBaseline', () => {
  test('default: deny both ways, DNS, same namespace, external HTTPS', () => {
    const chart = new Chart(Testing.app(), 'test', { namespace: 'production' });

    new NamespaceBaseline(chart, 'baseline');

    const policies = synthPolicies(chart);
    expect(policies).toMatchSnapshot();
    expect(policies.map((p) => p.metadata.name)).toEqual([
      'baseline-default-deny',
      'baseline-allow-dns',
      'baseline-same-namespace',
      'baseline-external-https',
    ]);
    expect(policies.every((p) => p.metadata.namespace === 'production')).toBe(true);
  });

  test('with monitoring, NodeLocal DNS and IPv6', () => {
    const chart = Testing.chart();
    const baseline = new NamespaceBaseline(chart, 'baseline', {
      namespace: 'payments',
      dns: { nodeLocalDnsAddress: '169.254.20.10' },
      externalHttps: { ipv6: true },
      monitoring: { ports: [Port.tcp(9090)], pods: Selector.labels({ app: 'payments' }) },
    });
    const policies = synthPolicies(chart);
    expect(policies).toMatchSnapshot();
    expect(baseline.monitoring?.policy.name).toBe('baseline-monitoring-scrape');
    const scrape = policies.find((p) => p.metadata.name === 'baseline-monitoring-scrape');
    expect(scrape.spec.podSelector).toEqual({ matchLabels: { app: 'payments' } });
    const dns = policies.find((p) => p.metadata.name === 'baseline-allow-dns');
    expect(dns.spec.egress[0].to[1]).toEqual({ ipBlock: { cidr: '169.254.20.10/32' } });
  });

  test('each part can be switched off', () => {
    const chart = Testing.chart();
    const baseline = new NamespaceBaseline(chart, 'b', { allowSameNamespace: false, allowExternalHttps: false, allowDns: false });
    expect(synthPolicies(chart).map((p) => p.metadata.name)).toEqual(['b-default-deny']);
    expect(baseline.allowDns).toBeUndefined();
    expect(baseline.externalHttps).toBeUndefined();
  });

  test('options for a switched-off part are an error, not ignored', () => {
    expect(() => new NamespaceBaseline(Testing.chart(), 'b', { allowDns: false, dns: { nodeLocalDnsAddress: '169.254.20.10' } }))
      .toThrow(/test\/b: `dns` options are given but allowDns is false/);
    expect(() => new NamespaceBaseline(Testing.chart(), 'b', { allowExternalHttps: false, externalHttps: { ipv6: true } }))
      .toThrow(/test\/b: `externalHttps` options are given but allowExternalHttps is false/);
  });

  test('a baseline with every part off is an error', () => {
    expect(() => new NamespaceBaseline(Testing.chart(), 'b', {
      defaultDeny: false, allowDns: false, allowSameNamespace: false, allowExternalHttps: false,
    })).toThrow(/test\/b: every part of the NamespaceBaseline is switched off/);
  });

  test('two baselines in one namespace with the same id clash at synth', () => {
    const app = Testing.app();
    new NamespaceBaseline(new Chart(app, 'one', { namespace: 'shared' }), 'baseline');
    const two = new Chart(app, 'two', { namespace: 'shared' });
    new NamespaceBaseline(two, 'baseline');
    expect(() => Testing.synth(two)).toThrow(/two NetworkPolicies are named "baseline-default-deny" in namespace "shared"/);
  });
});

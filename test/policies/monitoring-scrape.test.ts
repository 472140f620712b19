import { Chart, Testing } from 'cdk8s';
import { MonitoringScrape, NamespaceSelector, Peer, Port, Selector } from '../../src';
import { policyNamed } from '../support/synth';

describe('MonitoringScrape', () => {
  test('lets Prometheus in monitoring reach the metrics port', () => {
    const chart = new Chart(Testing.app(), 'test', { namespace: 'payments' });

    new MonitoringScrape(chart, 'scrape', { pods: Selector.labels({ app: 'payments' }), ports: [Port.tcp(9090)] });

    const policy = policyNamed(chart, 'scrape');
    expect(policy).toMatchSnapshot();
    expect(policy.spec.ingress).toEqual([{
      from: [{
        namespaceSelector: { matchLabels: { 'kubernetes.io/metadata.name': 'monitoring' } },
        podSelector: { matchLabels: { 'app.kubernetes.io/name': 'prometheus' } },
      }],
      ports: [{ port: 9090, protocol: 'TCP' }],
    }]);
  });

  test('another scraper on a named port', () => {
    const chart = Testing.chart();
    new MonitoringScrape(chart, 'scrape', {
      pods: Selector.all(),
      ports: [Port.named('metrics')],
      scraper: Peer.podsIn(NamespaceSelector.named('observability'), Selector.labels({ app: 'vmagent' })),
    });
    const policy = policyNamed(chart, 'scrape');
    expect(policy).toMatchSnapshot();
    expect(policy.spec.ingress[0].from[0].podSelector).toEqual({ matchLabels: { app: 'vmagent' } });
    expect(policy.spec.ingress[0].ports).toEqual([{ port: 'metrics', protocol: 'TCP' }]);
  });

  test('the metrics ports are required', () => {
    expect(() => new MonitoringScrape(Testing.chart(), 's', { pods: Selector.all() } as any)).toThrow(/test\/s: the `ports` prop is required/);
  });
});

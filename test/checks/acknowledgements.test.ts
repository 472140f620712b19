import { Chart, Testing } from 'cdk8s';
import { Acknowledgements, Analyzer, Linter, Peer, Port, Selector, AllowTo } from '../../src';

describe('Acknowledgements.add', () => {
  test('annotates the objects of a construct without any NetpolChecks, and lint honours it', () => {
    // GIVEN an app without synth-time checks, with egress to the whole internet (a metadata-endpoint-reachable error)
    const chart = new Chart(Testing.app(), 'proxy', { namespace: 'proxy' });
    const egress = new AllowTo(chart, 'egress', { pods: Selector.labels({ app: 'proxy' }), to: [Peer.ipBlock('0.0.0.0/0')], ports: [Port.HTTPS] });

    // WHEN
    Acknowledgements.add(egress, 'metadata-endpoint-reachable', 'the egress proxy fronts the metadata endpoint');

    // THEN the YAML carries the acknowledgement, the synthesis has no NetpolChecks to fail, and lint moves the finding
    const objects = Testing.synth(chart);
    expect(objects[0].metadata.annotations).toEqual({ 'acknowledge.cdk8s-netpol.io/metadata-endpoint-reachable': 'the egress proxy fronts the metadata endpoint' });
    expect(chart.node.root.node.tryFindChild('NetpolChecks')).toBeUndefined();
    const report = Linter.lint(Analyzer.fromManifests(objects));
    expect(report.findings.filter((f) => f.ruleId === 'metadata-endpoint-reachable')).toEqual([]);
    expect(report.acknowledged.map((f) => [f.ruleId, f.acknowledgedBecause])).toEqual([['metadata-endpoint-reachable', 'the egress proxy fronts the metadata endpoint']]);
  });

  test('checks the rule id and the reason like NetpolChecks.acknowledge', () => {
    const chart = new Chart(Testing.app(), 'proxy', { namespace: 'proxy' });
    const egress = new AllowTo(chart, 'egress', { pods: Selector.labels({ app: 'proxy' }), to: [Peer.ipBlock('0.0.0.0/0')], ports: [Port.HTTPS] });
    expect(() => Acknowledgements.add(egress, 'allow-everything', 'why')).toThrow(/^proxy\/egress: cannot acknowledge "allow-everything": there is no such rule\./);
    expect(() => Acknowledgements.add(egress, 'allow-all-rule', '')).toThrow(/needs a reason/);
  });
});

import { Testing } from 'cdk8s';
import { PaymentsNamespace } from '../../examples/org-standard/payments-namespace';
import { synthPolicies } from '../support/synth';

describe('examples/org-standard: PaymentsNamespace', () => {
  test('emits the platform standard for a payments namespace', () => {
    // GIVEN
    const chart = Testing.chart();

    // WHEN a team uses the platform construct
    new PaymentsNamespace(chart, 'payments', {
      namespace: 'payments-eu',
      servicePods: { app: 'payments' },
      servicePort: 8443,
      processorCidr: '198.51.100.0/24',
    });

    // THEN
    const policies = synthPolicies(chart);
    expect(policies).toMatchSnapshot();
    expect(policies.map((p) => p.metadata.name)).toEqual([
      'payments-baseline-default-deny',
      'payments-baseline-allow-dns',
      'payments-baseline-monitoring-scrape',
      'payments-from-ingress',
      'payments-to-processor',
    ]);
    expect(policies.every((p) => p.metadata.namespace === 'payments-eu')).toBe(true);
    const egress = policies.flatMap((p) => p.spec.egress ?? []).flatMap((r) => r.to ?? []);
    // the only address outside the cluster it may reach is the processor
    expect(egress.filter((peer) => peer.ipBlock)).toEqual([{ ipBlock: { cidr: '198.51.100.0/24' } }]);
  });

  test('a bad processor CIDR fails where the team uses the construct', () => {
    expect(() => new PaymentsNamespace(Testing.chart(), 'payments', {
      namespace: 'payments',
      servicePods: { app: 'payments' },
      servicePort: 8443,
      processorCidr: '198.51.100.7/24',
    })).toThrow(/Invalid CIDR "198.51.100.7\/24" in Peer.ipBlock\(\): host bits are set after the \/24 prefix: did you mean "198.51.100.0\/24"\?/);
  });
});

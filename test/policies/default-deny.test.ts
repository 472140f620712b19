import { Chart, Testing } from 'cdk8s';
import { DefaultDeny, Selector } from '../../src';
import { policyNamed, synthPolicies } from '../support/synth';

describe('DefaultDeny', () => {
  test('denies both directions for every pod by default', () => {
    const chart = new Chart(Testing.app(), 'test', { namespace: 'production' });

    new DefaultDeny(chart, 'default-deny');

    const policies = synthPolicies(chart);
    expect(policies).toMatchSnapshot();
    expect(policies[0].spec).toEqual({ podSelector: {}, policyTypes: ['Ingress', 'Egress'] });
  });

  test('ingress only', () => {
    const chart = Testing.chart();
    new DefaultDeny(chart, 'deny-ingress', { egress: false });
    const policy = policyNamed(chart, 'deny-ingress');
    expect(policy).toMatchSnapshot();
    expect(policy.spec.policyTypes).toEqual(['Ingress']);
  });

  test('egress only, for selected pods, in a given namespace', () => {
    const chart = Testing.chart();
    new DefaultDeny(chart, 'deny-egress', { ingress: false, pods: Selector.labels({ app: 'batch' }), namespace: 'jobs' });
    const policy = policyNamed(chart, 'deny-egress');
    expect(policy).toMatchSnapshot();
    expect(policy.metadata.namespace).toBe('jobs');
    expect(policy.spec).toEqual({ podSelector: { matchLabels: { app: 'batch' } }, policyTypes: ['Egress'] });
  });

  test('denying neither direction is an error', () => {
    expect(() => new DefaultDeny(Testing.chart(), 'x', { ingress: false, egress: false }))
      .toThrow(/test\/x: a DefaultDeny with ingress and egress both false denies nothing/);
  });
});

import { Testing } from 'cdk8s';
import { AllowSameNamespace, Port } from '../../src';
import { policyNamed } from '../support/synth';

describe('AllowSameNamespace', () => {
  test('allows every port to and from the pods of the namespace', () => {
    const chart = Testing.chart();

    new AllowSameNamespace(chart, 'same-namespace');

    const policy = policyNamed(chart, 'same-namespace');
    expect(policy).toMatchSnapshot();
    expect(policy.spec.ingress).toEqual([{ from: [{ podSelector: {} }] }]);
    expect(policy.spec.egress).toEqual([{ to: [{ podSelector: {} }] }]);
    expect(policy.spec.policyTypes).toEqual(['Ingress', 'Egress']);
  });

  test('ingress only, on given ports', () => {
    const chart = Testing.chart();
    new AllowSameNamespace(chart, 'same-namespace', { egress: false, ports: [Port.tcp(8080)] });
    const policy = policyNamed(chart, 'same-namespace');
    expect(policy.spec.policyTypes).toEqual(['Ingress']);
    expect(policy.spec.egress).toBeUndefined();
    expect(policy.spec.ingress[0].ports).toEqual([{ port: 8080, protocol: 'TCP' }]);
  });

  test('neither direction is an error', () => {
    expect(() => new AllowSameNamespace(Testing.chart(), 's', { ingress: false, egress: false }))
      .toThrow(/test\/s: an AllowSameNamespace with ingress and egress both false allows nothing/);
  });
});

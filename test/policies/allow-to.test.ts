import { Chart, Testing } from 'cdk8s';
import { AllowTo, NamespaceSelector, Peer, Port, Selector } from '../../src';
import { policyNamed } from '../support/synth';

describe('AllowTo', () => {
  test('allows the pods to reach the peers on the ports', () => {
    const chart = new Chart(Testing.app(), 'test', { namespace: 'production' });

    new AllowTo(chart, 'api-to-postgres', {
      pods: Selector.labels({ app: 'api-server' }),
      to: [Peer.pods(Selector.labels({ app: 'postgres' }))],
      ports: [Port.tcp(5432)],
    });

    const policy = policyNamed(chart, 'api-to-postgres');
    expect(policy).toMatchSnapshot();
    expect(policy.spec.policyTypes).toEqual(['Egress']);
    expect(policy.spec.egress).toEqual([{
      to: [{ podSelector: { matchLabels: { app: 'postgres' } } }],
      ports: [{ port: 5432, protocol: 'TCP' }],
    }]);
  });

  test('to an external CIDR and to pods in other namespaces, SCTP and UDP', () => {
    const chart = Testing.chart();
    new AllowTo(chart, 'gateway', {
      pods: Selector.labels({ app: 'gateway' }),
      to: [
        Peer.ipBlock('198.51.100.0/24', ['198.51.100.128/25']),
        Peer.podsIn(NamespaceSelector.named('telecom', 'signalling'), Selector.labels({ app: 'sctp-server' })),
      ],
      ports: [Port.sctp(3868), Port.udpRange(10000, 10100)],
    });
    const policy = policyNamed(chart, 'gateway');
    expect(policy).toMatchSnapshot();
    expect(policy.spec.egress[0].to[0]).toEqual({ ipBlock: { cidr: '198.51.100.0/24', except: ['198.51.100.128/25'] } });
    expect(policy.spec.egress[0].to[1].namespaceSelector).toEqual({
      matchExpressions: [{ key: 'kubernetes.io/metadata.name', operator: 'In', values: ['signalling', 'telecom'] }],
    });
    expect(policy.spec.egress[0].ports).toEqual([{ port: 3868, protocol: 'SCTP' }, { port: 10000, endPort: 10100, protocol: 'UDP' }]);
  });

  test('an empty destination list is an error', () => {
    expect(() => new AllowTo(Testing.chart(), 'x', { pods: Selector.all(), to: [], ports: [Port.HTTPS] }))
      .toThrow(/test\/x: egress rule has no peers: an empty peer list would allow every destination/);
  });
});

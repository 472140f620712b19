import { Testing } from 'cdk8s';
import { AllowDns, NamespaceSelector, Selector } from '../../src';
import { policyNamed } from '../support/synth';

describe('AllowDns', () => {
  test('allows UDP and TCP 53 to kube-dns in kube-system, for every pod', () => {
    const chart = Testing.chart();

    new AllowDns(chart, 'AllowDns');

    const policy = policyNamed(chart, 'allow-dns');
    expect(policy).toMatchSnapshot();
    expect(policy.spec.policyTypes).toEqual(['Egress']);
    expect(policy.spec.podSelector).toEqual({});
    const [rule] = policy.spec.egress;
    expect(rule.ports).toEqual([{ port: 53, protocol: 'UDP' }, { port: 53, protocol: 'TCP' }]);
    // one peer: namespace AND pod selector, by the immutable namespace name label
    expect(rule.to).toEqual([{
      namespaceSelector: { matchLabels: { 'kubernetes.io/metadata.name': 'kube-system' } },
      podSelector: { matchLabels: { 'k8s-app': 'kube-dns' } },
    }]);
  });

  test('adds a NodeLocal DNSCache address as a /32 ipBlock', () => {
    const chart = Testing.chart();
    new AllowDns(chart, 'dns', { nodeLocalDnsAddress: '169.254.20.10', pods: Selector.labels({ app: 'api' }) });
    const policy = policyNamed(chart, 'dns');
    expect(policy).toMatchSnapshot();
    expect(policy.spec.egress[0].to[1]).toEqual({ ipBlock: { cidr: '169.254.20.10/32' } });
    expect(policy.spec.podSelector).toEqual({ matchLabels: { app: 'api' } });
  });

  test('an IPv6 NodeLocal DNSCache address becomes a /128', () => {
    const chart = Testing.chart();
    new AllowDns(chart, 'dns', { nodeLocalDnsAddress: 'fd00::10' });
    expect(policyNamed(chart, 'dns').spec.egress[0].to[1]).toEqual({ ipBlock: { cidr: 'fd00::10/128' } });
  });

  test('another DNS server', () => {
    const chart = Testing.chart();
    new AllowDns(chart, 'dns', { dnsPods: Selector.labels({ app: 'unbound' }), dnsNamespace: NamespaceSelector.named('dns') });
    const policy = policyNamed(chart, 'dns');
    expect(policy).toMatchSnapshot();
    expect(policy.spec.egress[0].to).toEqual([{
      namespaceSelector: { matchLabels: { 'kubernetes.io/metadata.name': 'dns' } },
      podSelector: { matchLabels: { app: 'unbound' } },
    }]);
  });

  test('an invalid NodeLocal address names the construct and the value', () => {
    expect(() => new AllowDns(Testing.chart(), 'dns', { nodeLocalDnsAddress: '169.254.20' }))
      .toThrow(/test\/dns: invalid nodeLocalDnsAddress "169.254.20"/);
  });
});

import { Testing } from 'cdk8s';
import { ExternalHttps, Port, Selector } from '../../src';
import { policyNamed } from '../support/synth';

describe('ExternalHttps', () => {
  test('allows TCP 443 to the internet, not to private, link-local or CGNAT ranges', () => {
    const chart = Testing.chart();

    new ExternalHttps(chart, 'ExternalHttps');

    const policy = policyNamed(chart, 'external-https');
    expect(policy).toMatchSnapshot();
    expect(policy.spec.egress).toEqual([{
      to: [{
        ipBlock: {
          cidr: '0.0.0.0/0',
          except: ['10.0.0.0/8', '172.16.0.0/12', '192.168.0.0/16', '169.254.0.0/16', '100.64.0.0/10'],
        },
      }],
      ports: [{ port: 443, protocol: 'TCP' }],
    }]);
  });

  test('IPv6, more excepted ranges and other ports on request', () => {
    const chart = Testing.chart();
    new ExternalHttps(chart, 'egress', {
      pods: Selector.labels({ app: 'api-server' }),
      ipv6: true,
      exceptCidrs: ['203.0.113.0/24', '2001:db8::/32'],
      ports: [Port.HTTPS, Port.tcp(8443)],
    });
    const policy = policyNamed(chart, 'egress');
    expect(policy).toMatchSnapshot();
    const [v4, v6] = policy.spec.egress[0].to;
    expect(v4.ipBlock.except).toContain('203.0.113.0/24');
    expect(v6).toEqual({ ipBlock: { cidr: '::/0', except: ['fc00::/7', 'fe80::/10', '2001:db8::/32'] } });
    expect(policy.spec.egress[0].ports).toEqual([{ port: 443, protocol: 'TCP' }, { port: 8443, protocol: 'TCP' }]);
  });

  test('an IPv6 except without ipv6 is an error, not silently dropped', () => {
    expect(() => new ExternalHttps(Testing.chart(), 'e', { exceptCidrs: ['2001:db8::/32'] }))
      .toThrow(/test\/e: exceptCidrs has the IPv6 CIDR "2001:db8::\/32" but ipv6 is off/);
  });

  test('an invalid except CIDR names the value and the fix', () => {
    expect(() => new ExternalHttps(Testing.chart(), 'e', { exceptCidrs: ['203.0.113.7'] }))
      .toThrow(/test\/e: invalid CIDR "203.0.113.7" in exceptCidrs: the CIDR mask is missing: did you mean "203.0.113.7\/32"\?/);
  });
});

test('the non-public ranges cannot be changed by accident', () => {
  expect(Object.isFrozen(ExternalHttps.NON_PUBLIC_IPV4)).toBe(true);
  expect(Object.isFrozen(ExternalHttps.NON_PUBLIC_IPV6)).toBe(true);
  expect(() => (ExternalHttps.NON_PUBLIC_IPV4 as string[]).pop()).toThrow(TypeError);
});

test('an except of the whole address space is an error with the construct path', () => {
  expect(() => new ExternalHttps(Testing.chart(), 'e', { exceptCidrs: ['0.0.0.0/0'] }))
    .toThrow(/test\/e: exceptCidrs has "0.0.0.0\/0", which excepts every address/);
});

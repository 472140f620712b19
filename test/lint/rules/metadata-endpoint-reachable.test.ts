import { cnp, deployment, findingsOf, policy } from '../lint-fixtures';

const RULE = 'metadata-endpoint-reachable';

/** The web pods' egress to an ipBlock on 443. */
function egressTo(ipBlock: any, spec: any = {}): any[] {
  return [
    deployment('shop', 'web', { app: 'web' }),
    policy('shop', 'web-egress', {
      podSelector: { matchLabels: { app: 'web' } },
      policyTypes: ['Egress'],
      egress: [{ to: [{ ipBlock }], ports: [{ port: 443 }] }],
      ...spec,
    }),
  ];
}

describe(RULE, () => {
  test('Compliance: 0.0.0.0/0 except link-local (as ExternalHttps writes it)', () => {
    expect(findingsOf(egressTo({ cidr: '0.0.0.0/0', except: ['10.0.0.0/8', '169.254.0.0/16'] }), RULE)).toEqual([]);
  });

  test('Noncompliance: 0.0.0.0/0 without the link-local except', () => {
    const findings = findingsOf(egressTo({ cidr: '0.0.0.0/0', except: ['10.0.0.0/8'] }), RULE);
    expect(findings.map((f) => [f.object, f.field, f.severity, f.message, f.fix])).toEqual([[
      'NetworkPolicy shop/web-egress',
      'spec.egress[0].to[0].ipBlock',
      'error',
      'spec.egress[0] allows egress to ipBlock 0.0.0.0/0 except 10.0.0.0/8, which includes link-local 169.254.0.0/16 (cloud metadata endpoints such as 169.254.169.254).',
      'Add "169.254.0.0/16" to the except list of 0.0.0.0/0.',
    ]]);
  });

  test('excepting only 169.254.169.254/32 leaves the rest of link-local (e.g. ECS task metadata at 169.254.170.2) reachable', () => {
    expect(findingsOf(egressTo({ cidr: '0.0.0.0/0', except: ['169.254.169.254/32'] }), RULE)).toHaveLength(1);
  });

  test('excepts that together cover 169.254.0.0/16 count as covering it', () => {
    expect(findingsOf(egressTo({ cidr: '128.0.0.0/1', except: ['169.254.0.0/17', '169.254.128.0/17'] }), RULE)).toEqual([]);
    expect(findingsOf(egressTo({ cidr: '128.0.0.0/1', except: ['169.254.0.0/17'] }), RULE)).toHaveLength(1);
  });

  test('a block that does not contain link-local, or lies inside it on purpose, is not flagged', () => {
    expect(findingsOf(egressTo({ cidr: '0.0.0.0/1' }), RULE)).toEqual([]);
    expect(findingsOf(egressTo({ cidr: '169.254.169.254/32' }), RULE)).toEqual([]);
  });

  test('IPv6: ::/0 must except fe80::/10 and the AWS metadata address fd00:ec2::254', () => {
    const fields = (except: string[]) => findingsOf(egressTo({ cidr: '::/0', except }), RULE).map((f) => f.message.replace(/.*which includes /, ''));
    expect(fields([])).toEqual(['IPv6 link-local fe80::/10.', 'the AWS IPv6 metadata endpoint fd00:ec2::254.']);
    expect(fields(['fe80::/10', 'fc00::/7'])).toEqual([]);
  });

  test('ingress from 0.0.0.0/0 is not egress: not this rule', () => {
    const ingress = [deployment('shop', 'web', { app: 'web' }), policy('shop', 'web-in', { podSelector: {}, ingress: [{ from: [{ ipBlock: { cidr: '0.0.0.0/0' } }] }] })];
    expect(findingsOf(ingress, RULE)).toEqual([]);
  });

  test('egress rules of a policy that does not isolate egress have no effect: not flagged', () => {
    expect(findingsOf(egressTo({ cidr: '0.0.0.0/0' }, { policyTypes: ['Ingress'] }), RULE)).toEqual([]);
  });
});

describe(`${RULE}: Cilium policies`, () => {
  const pods = deployment('shop', 'web', { app: 'web' });
  test('Noncompliance: toCIDRSet 0.0.0.0/0 without except, and the world entity', () => {
    const findings = findingsOf([pods, cnp('shop', 'out', { endpointSelector: {}, egress: [{ toCIDRSet: [{ cidr: '0.0.0.0/0' }] }, { toEntities: ['world'] }] })], RULE);
    expect(findings.map((f) => [f.object, f.field])).toEqual([
      ['CiliumNetworkPolicy shop/out', 'spec.egress[0].toCIDRSet[0]'],
      ['CiliumNetworkPolicy shop/out', 'spec.egress[1].toEntities[0]'],
    ]);
    expect(findings[1].message).toBe('spec.egress[1] allows egress to the world entity, which includes link-local 169.254.0.0/16 (cloud metadata endpoints such as 169.254.169.254), '
      + 'IPv6 link-local fe80::/10, the AWS IPv6 metadata endpoint fd00:ec2::254.');
  });

  test('Compliance: except, or an egressDeny of the ranges in the same policy', () => {
    const excepted = cnp('shop', 'out', { endpointSelector: {}, egress: [{ toCIDRSet: [{ cidr: '0.0.0.0/0', except: ['169.254.0.0/16'] }] }] });
    expect(findingsOf([pods, excepted], RULE)).toEqual([]);
    const denied = cnp('shop', 'out', {
      endpointSelector: {},
      egress: [{ toEntities: ['world'] }],
      egressDeny: [{ toCIDR: ['169.254.0.0/16', 'fe80::/10', 'fd00:ec2::254/128'] }],
    });
    expect(findingsOf([pods, denied], RULE)).toEqual([]);
  });
});

import { ciliumDnsRule, cnp, deployment, findingsOf, KUBE_DNS_ENDPOINT } from '../lint-fixtures';

const RULE = 'dns-name-without-dns-rule';
const payments = () => deployment('shop', 'payments', { app: 'payments' });
const PAYMENTS = { matchLabels: { app: 'payments' } };
const toStripe = (fqdn: any) => ({ toFQDNs: [fqdn], toPorts: [{ ports: [{ port: '443', protocol: 'TCP' }] }] });

describe(RULE, () => {
  test('Compliance: the DNS rule names the name, in the same policy', () => {
    const policy = cnp('shop', 'stripe', { endpointSelector: PAYMENTS, egress: [ciliumDnsRule([{ matchName: 'api.stripe.com' }]), toStripe({ matchName: 'api.stripe.com' })] });
    expect(findingsOf([payments(), policy], RULE)).toEqual([]);
  });

  test('Noncompliance: a name with no DNS rule at all (an L4 DNS allow gives no visibility)', () => {
    const policy = cnp('shop', 'stripe', {
      endpointSelector: PAYMENTS,
      egress: [
        { toEndpoints: [KUBE_DNS_ENDPOINT], toPorts: [{ ports: [{ port: '53', protocol: 'ANY' }] }] },
        toStripe({ matchName: 'api.stripe.com' }),
      ],
    });
    const findings = findingsOf([payments(), policy], RULE);
    expect(findings.map((f) => [f.object, f.field, f.severity])).toEqual([['CiliumNetworkPolicy shop/stripe', 'spec.egress[1].toFQDNs[0].matchName', 'error']]);
    expect(findings[0].message).toBe('spec.egress[1].toFQDNs[0] (name api.stripe.com): no egress rule to cluster DNS on port 53 with rules.dns applies to '
      + 'pods app=payments in namespace shop, so Cilium never learns the addresses of api.stripe.com and spec.egress[1] allows nothing there.');
  });

  test('Noncompliance: a DNS pattern that does not cover the name (* stays within one label)', () => {
    const policy = cnp('shop', 'stripe', {
      endpointSelector: PAYMENTS,
      egress: [ciliumDnsRule([{ matchPattern: '*.stripe.com' }]), toStripe({ matchName: 'files.eu.stripe.com' }), toStripe({ matchName: 'api.stripe.com' })],
    });
    const findings = findingsOf([payments(), policy], RULE);
    expect(findings.map((f) => f.field)).toEqual(['spec.egress[1].toFQDNs[0].matchName']);
    expect(findings[0].message).toContain('the DNS rules that apply to pods app=payments in namespace shop '
      + '(*.stripe.com in CiliumNetworkPolicy shop/stripe spec.egress[0].toPorts[0].rules.dns[0]) do not cover it');
    expect(findings[0].fix).toContain('use a leading **. for names of any depth');
  });

  test('a toFQDNs pattern needs a DNS pattern covering every name it matches', () => {
    const spec = (dns: string) => ({ endpointSelector: PAYMENTS, egress: [ciliumDnsRule([{ matchPattern: dns }]), toStripe({ matchPattern: '**.stripe.com' })] });
    expect(findingsOf([payments(), cnp('shop', 'stripe', spec('*.stripe.com'))], RULE).map((f) => f.field)).toEqual(['spec.egress[1].toFQDNs[0].matchPattern']);
    expect(findingsOf([payments(), cnp('shop', 'stripe', spec('**.stripe.com'))], RULE)).toEqual([]);
    expect(findingsOf([payments(), cnp('shop', 'stripe', spec('*'))], RULE)).toEqual([]);
  });

  test('a DNS rule of another policy counts when it selects the same pods (every pod of the namespace), not when it selects others', () => {
    const names = cnp('shop', 'stripe', { endpointSelector: PAYMENTS, egress: [toStripe({ matchName: 'api.stripe.com' })] });
    const everyPod = cnp('shop', 'dns', { endpointSelector: {}, egress: [ciliumDnsRule([{ matchPattern: '*' }])] });
    const otherPods = cnp('shop', 'dns', { endpointSelector: { matchLabels: { app: 'web' } }, egress: [ciliumDnsRule([{ matchPattern: '*' }])] });
    expect(findingsOf([payments(), names, everyPod], RULE)).toEqual([]);
    expect(findingsOf([payments(), names, otherPods], RULE)).toHaveLength(1);
    // Without the pods in the manifests, the selectors decide.
    expect(findingsOf([names, everyPod], RULE)).toEqual([]);
    expect(findingsOf([names, otherPods], RULE)).toHaveLength(1);
  });

  test('a DNS rule towards something other than cluster DNS gives no visibility', () => {
    const policy = cnp('shop', 'stripe', {
      endpointSelector: PAYMENTS,
      egress: [
        { toEndpoints: [{ matchLabels: { app: 'resolver' } }], toPorts: [{ ports: [{ port: '53', protocol: 'UDP' }], rules: { dns: [{ matchPattern: '*' }] } }] },
        toStripe({ matchName: 'api.stripe.com' }),
      ],
    });
    expect(findingsOf([payments(), policy], RULE)).toHaveLength(1);
  });

  test('acknowledged on the policy', () => {
    const policy = cnp('shop', 'stripe', { endpointSelector: PAYMENTS, egress: [toStripe({ matchName: 'api.stripe.com' })] }, {
      'acknowledge.cdk8s-netpol.io/dns-name-without-dns-rule': 'the DNS rule comes from the platform team\'s clusterwide policy',
    });
    expect(findingsOf([payments(), policy], RULE)).toEqual([]);
  });
});

import { Chart, Testing } from 'cdk8s';
import {
  Analyzer,
  AlwaysAllowDns, AlwaysAllowMonitoring, BaselineDefaultDeny, ClusterNetworkPolicy, ClusterPeer, ClusterRuleAction, ClusterSubject, ClusterTier,
  DenyCloudMetadata, DenyPrivateRanges, NamespaceSelector, Port, Selector, TenantIsolation,
} from '../../src';
import { assertValidCustomResource } from '../support/crd-schema';

/** A platform chart: cluster-scoped, so without a namespace. */
function platform(): Chart {
  return new Chart(Testing.app(), 'platform');
}

function synth(chart: Chart): any[] {
  const objects = Testing.synth(chart);
  objects.forEach(assertValidCustomResource);
  return objects;
}

const everyone = ClusterPeer.namespaces(NamespaceSelector.all());

describe('ClusterNetworkPolicy', () => {
  test('tier, priority, subject and ordered rules, as the v1alpha2 API has them', () => {
    const chart = platform();
    const policy = new ClusterNetworkPolicy(chart, 'guard', {
      tier: ClusterTier.ADMIN,
      priority: 5,
      subject: ClusterSubject.pods(NamespaceSelector.labels({ env: 'prod' }), Selector.labels({ app: 'api' })),
      ingress: [
        {
          name: 'from-monitoring',
          action: ClusterRuleAction.ACCEPT,
          peers: [ClusterPeer.namespaces(NamespaceSelector.named('monitoring'))],
          ports: [Port.tcp(9090)],
        },
        { action: ClusterRuleAction.PASS, peers: [everyone], ports: [Port.allPorts()] },
      ],
    });
    policy.addEgressRule({
      action: ClusterRuleAction.DENY,
      peers: [ClusterPeer.networks('10.0.0.0/8', '192.168.0.0/16'), ClusterPeer.pods(NamespaceSelector.named('db'), Selector.all())],
      ports: [Port.tcpRange(5000, 5100), Port.udp(53), Port.allSctp(), Port.named('https'), Port.udp(53)],
    });
    expect(synth(chart)).toEqual([{
      apiVersion: 'policy.networking.k8s.io/v1alpha2',
      kind: 'ClusterNetworkPolicy',
      metadata: { name: 'guard' },
      spec: {
        tier: 'Admin',
        priority: 5,
        subject: { pods: { namespaceSelector: { matchLabels: { env: 'prod' } }, podSelector: { matchLabels: { app: 'api' } } } },
        ingress: [
          {
            name: 'from-monitoring',
            action: 'Accept',
            from: [{ namespaces: { matchLabels: { 'kubernetes.io/metadata.name': 'monitoring' } } }],
            protocols: [{ tcp: { destinationPort: { number: 9090 } } }],
          },
          { action: 'Pass', from: [{ namespaces: {} }] },
        ],
        egress: [{
          action: 'Deny',
          to: [{ networks: ['10.0.0.0/8', '192.168.0.0/16'] }, { pods: { namespaceSelector: { matchLabels: { 'kubernetes.io/metadata.name': 'db' } }, podSelector: {} } }],
          protocols: [
            { tcp: { destinationPort: { range: { start: 5000, end: 5100 } } } },
            { udp: { destinationPort: { number: 53 } } },
            { sctp: { destinationPort: { range: { start: 1, end: 65535 } } } },
            { destinationNamedPort: 'https' },
          ],
        }],
      },
    }]);
  });

  test.each([
    ['a namespaced Chart', () => new ClusterNetworkPolicy(new Chart(Testing.app(), 'c', { namespace: 'shop' }), 'p', {
      tier: ClusterTier.ADMIN, priority: 1, subject: ClusterSubject.allNamespaces(),
    }), 'c/p: a ClusterNetworkPolicy is cluster-scoped, but its Chart has the namespace "shop"'],
    ['a priority above 1000', () => new ClusterNetworkPolicy(platform(), 'p', { tier: ClusterTier.ADMIN, priority: 1001, subject: ClusterSubject.allNamespaces() }),
      'platform/p: `priority` must be a whole number from 0 to 1000 (the API\'s range), got 1001.'],
    ['a fractional priority', () => new ClusterNetworkPolicy(platform(), 'p', { tier: ClusterTier.BASELINE, priority: 1.5, subject: ClusterSubject.allNamespaces() }),
      'got 1.5'],
    ['an unknown tier', () => new ClusterNetworkPolicy(platform(), 'p', { tier: 'Middle' as ClusterTier, priority: 1, subject: ClusterSubject.allNamespaces() }),
      '`tier` must be ClusterTier.ADMIN or ClusterTier.BASELINE, got Middle.'],
    ['networks as a source', () => new ClusterNetworkPolicy(platform(), 'p', {
      tier: ClusterTier.ADMIN,
      priority: 1,
      subject: ClusterSubject.allNamespaces(),
      ingress: [{ action: ClusterRuleAction.DENY, peers: [ClusterPeer.networks('10.0.0.0/8')], ports: [Port.allPorts()] }],
    }), 'platform/p: ingress rule #1: networks 10.0.0.0/8 is a source, but networks are destinations only'],
    ['26 peers', () => new ClusterNetworkPolicy(platform(), 'p', {
      tier: ClusterTier.ADMIN,
      priority: 1,
      subject: ClusterSubject.allNamespaces(),
      egress: [{ action: ClusterRuleAction.DENY, peers: Array.from({ length: 26 }, () => everyone), ports: [Port.allPorts()] }],
    }), 'a rule needs 1 to 25 peers (the API\'s limit), got 26.'],
    ['26 rules', () => new ClusterNetworkPolicy(platform(), 'p', {
      tier: ClusterTier.ADMIN,
      priority: 1,
      subject: ClusterSubject.allNamespaces(),
      egress: Array.from({ length: 26 }, () => ({ action: ClusterRuleAction.DENY, peers: [everyone], ports: [Port.allPorts()] })),
    }), '26 egress rules; the API allows at most 25.'],
    ['an unknown action', () => new ClusterNetworkPolicy(platform(), 'p', {
      tier: ClusterTier.ADMIN,
      priority: 1,
      subject: ClusterSubject.allNamespaces(),
      egress: [{ action: 'Allow' as ClusterRuleAction, peers: [everyone], ports: [Port.allPorts()] }],
    }), 'egress rule #1: `action` must be ClusterRuleAction.ACCEPT, DENY or PASS, got Allow.'],
  ])('%s is an error naming the construct', (_, make, message) => {
    expect(make).toThrow(message);
  });

  test('labels are checked as the API server checks them', () => {
    expect(() => new ClusterNetworkPolicy(platform(), 'p', {
      tier: ClusterTier.ADMIN, priority: 1, subject: ClusterSubject.allNamespaces(), labels: { team: 'a b' },
    })).toThrow('platform/p (labels)');
  });

  test('26 networks, and a bad CIDR, are errors', () => {
    expect(() => ClusterPeer.networks(...Array.from({ length: 26 }, (_, i) => `10.${i}.0.0/16`))).toThrow('takes 1 to 25 CIDRs (the API\'s limit), got 26.');
    expect(() => ClusterPeer.networks('10.0.0.1/8')).toThrow('ClusterPeer.networks(): invalid CIDR "10.0.0.1/8"');
  });

  test('a policy without rules fails at synth', () => {
    const chart = platform();
    new ClusterNetworkPolicy(chart, 'empty', { tier: ClusterTier.BASELINE, priority: 0, subject: ClusterSubject.allNamespaces() });
    expect(() => Testing.synth(chart)).toThrow('the ClusterNetworkPolicy has no rules, so it does nothing');
  });
});

describe('guardrails', () => {
  test('AlwaysAllowDns and AlwaysAllowMonitoring acknowledge admin-accept-overrides-default-deny on themselves: overriding is their purpose', () => {
    const chart = platform();
    new AlwaysAllowDns(chart, 'dns');
    new AlwaysAllowMonitoring(chart, 'scrape', { ports: [Port.named('metrics')] });
    const rule = 'acknowledge.cdk8s-netpol.io/admin-accept-overrides-default-deny';
    expect(synth(chart).map((o) => o.metadata.annotations[rule])).toEqual([
      'AlwaysAllowDns: cluster DNS must work whatever the namespaces\' policies say; that is what this guardrail is for.',
      'AlwaysAllowMonitoring: the metrics scraper must reach every namespace whatever its policies say; that is what this guardrail is for.',
    ]);
  });

  test('AlwaysAllowDns: an Admin Accept of egress to kube-dns on UDP and TCP 53 for every namespace', () => {
    const chart = platform();
    new AlwaysAllowDns(chart, 'dns');
    expect(synth(chart)[0].spec).toEqual({
      tier: 'Admin',
      priority: 10,
      subject: { namespaces: {} },
      egress: [{
        name: 'cluster-dns',
        action: 'Accept',
        to: [{ pods: { namespaceSelector: { matchLabels: { 'kubernetes.io/metadata.name': 'kube-system' } }, podSelector: { matchLabels: { 'k8s-app': 'kube-dns' } } } }],
        protocols: [{ udp: { destinationPort: { number: 53 } } }, { tcp: { destinationPort: { number: 53 } } }],
      }],
    });
  });

  test('DenyCloudMetadata: a Deny for everyone, and a Pass per exception decided one priority before', () => {
    const chart = platform();
    const guard = new DenyCloudMetadata(chart, 'no-metadata', {
      except: [{ namespaces: NamespaceSelector.named('kube-system'), pods: Selector.labels({ app: 'node-agent' }) }],
    });
    const [deny, exception] = synth(chart);
    expect(guard.exceptions.map((p) => p.name)).toEqual(['no-metadata-exception-1']);
    expect(deny.spec).toEqual({
      tier: 'Admin',
      priority: 20,
      subject: { namespaces: {} },
      egress: [{ name: 'cloud-metadata', action: 'Deny', to: [{ networks: ['169.254.169.254/32', 'fd00:ec2::254/128'] }] }],
    });
    expect(exception.spec).toMatchObject({ tier: 'Admin', priority: 19, egress: [{ action: 'Pass' }] });
    expect(exception.spec.subject).toEqual({
      pods: { namespaceSelector: { matchLabels: { 'kubernetes.io/metadata.name': 'kube-system' } }, podSelector: { matchLabels: { app: 'node-agent' } } },
    });
    expect(() => new DenyCloudMetadata(platform(), 'x', { priority: 0, except: [{ namespaces: NamespaceSelector.all(), pods: Selector.all() }] }))
      .toThrow('platform/x: with exceptions the priority must be at least 1');
    expect(() => new DenyCloudMetadata(platform(), 'x', { except: [{ namespaces: 'kube-system' as any, pods: Selector.all() }] }))
      .toThrow('platform/x: exception #1 must have `namespaces` (a NamespaceSelector) and `pods` (a Selector).');
  });

  test('DenyCloudMetadata read back: an exception is not denied, and its namespace\'s policies still decide (Pass, not Accept)', () => {
    const chart = platform();
    new DenyCloudMetadata(chart, 'no-metadata', { except: [{ namespaces: NamespaceSelector.all(), pods: Selector.labels({ app: 'node-agent' }) }] });
    const pod = (namespace: string, app: string) => ({ apiVersion: 'v1', kind: 'Pod', metadata: { name: app, namespace, labels: { app } }, spec: { containers: [{ name: 'c', image: 'c' }] } });
    const lockedEgress = { apiVersion: 'networking.k8s.io/v1', kind: 'NetworkPolicy', metadata: { name: 'lock', namespace: 'locked' }, spec: { podSelector: {}, policyTypes: ['Egress'] } };
    const a = Analyzer.fromManifests([...synth(chart), pod('agents', 'node-agent'), pod('agents', 'other'), pod('locked', 'node-agent'), lockedEgress]);
    const metadata = (from: string) => a.explain({ from, to: 'ip:169.254.169.254', port: 80 });
    expect(metadata('agents/node-agent').allowed).toBe(true);
    expect(metadata('agents/node-agent').egress.tiers?.[0]).toBe('Admin: ClusterNetworkPolicy no-metadata-exception-1 spec.egress[0] ("cloud-metadata") Pass');
    // the namespace's default deny still holds: the guardrail does not open the metadata service over its head
    expect(metadata('locked/node-agent').allowed).toBe(false);
    expect(metadata('agents/other').egress.deniedBy?.policy).toBe('ClusterNetworkPolicy no-metadata');
  });

  test('TenantIsolation: per tenant, Pass within it and Deny across tenants, both ways', () => {
    const chart = platform();
    new TenantIsolation(chart, 'tenants', { labelKey: 'tenant', tenants: ['blue', 'green'] });
    const [blue, green] = synth(chart);
    expect(blue.metadata.name).toBe('tenants-blue');
    expect(green.spec.subject).toEqual({ namespaces: { matchLabels: { tenant: 'green' } } });
    expect(blue.spec.ingress).toEqual([
      { name: 'within-blue', action: 'Pass', from: [{ namespaces: { matchLabels: { tenant: 'blue' } } }] },
      { name: 'from-other-tenants', action: 'Deny', from: [{ namespaces: { matchExpressions: [{ key: 'tenant', operator: 'Exists' }] } }] },
    ]);
    expect(blue.spec.egress.map((r: any) => r.action)).toEqual(['Pass', 'Deny']);
    expect(() => new TenantIsolation(platform(), 't', { labelKey: 'tenant', tenants: ['a', 'a'] })).toThrow('platform/t: `tenants` lists a tenant twice.');
    expect(() => new TenantIsolation(platform(), 't', { labelKey: 'bad key!', tenants: ['a'] })).toThrow('platform/t (labelKey)');
  });

  test('two guardrails of one name clash at synth', () => {
    const chart = platform();
    new AlwaysAllowDns(chart, 'dns');
    new AlwaysAllowDns(chart, 'dns2', { name: 'dns' });
    expect(() => Testing.synth(chart)).toThrow('two ClusterNetworkPolicies are named "dns"');
  });


  test('BaselineDefaultDeny: a Baseline Deny both ways for every namespace but the system ones and those excluded', () => {
    const chart = platform();
    new BaselineDefaultDeny(chart, 'baseline', { exclude: ['monitoring', 'kube-system'] });
    expect(synth(chart)[0].spec).toEqual({
      tier: 'Baseline',
      priority: 1000,
      subject: { namespaces: { matchExpressions: [{ key: 'kubernetes.io/metadata.name', operator: 'NotIn', values: ['kube-node-lease', 'kube-public', 'kube-system', 'monitoring'] }] } },
      ingress: [{ name: 'default-deny', action: 'Deny', from: [{ namespaces: {} }] }],
      egress: [{ name: 'default-deny', action: 'Deny', to: [{ namespaces: {} }, { networks: ['0.0.0.0/0', '::/0'] }] }],
    });
    expect(() => new BaselineDefaultDeny(platform(), 'b', { exclude: ['Bad_Name'] })).toThrow('platform/b (exclude)');
  });

  test('DenyPrivateRanges: pods passed on first, then the approved CIDRs passed on, then the private ranges denied', () => {
    const chart = platform();
    new DenyPrivateRanges(chart, 'private', { approved: ['10.20.0.0/16'] });
    expect(synth(chart)[0].spec.egress).toEqual([
      { name: 'cluster-pods', action: 'Pass', to: [{ namespaces: {} }] },
      { name: 'approved', action: 'Pass', to: [{ networks: ['10.20.0.0/16'] }] },
      { name: 'private-ranges', action: 'Deny', to: [{ networks: ['10.0.0.0/8', '172.16.0.0/12', '192.168.0.0/16', '100.64.0.0/10', 'fc00::/7'] }] },
    ]);
    const plain = platform();
    new DenyPrivateRanges(plain, 'private');
    expect(synth(plain)[0].spec.egress.map((r: any) => r.name)).toEqual(['cluster-pods', 'private-ranges']);
    expect(() => new DenyPrivateRanges(platform(), 'p', { approved: [] })).toThrow('platform/p: `approved` must list at least one CIDR');
  });

  test('DenyPrivateRanges read back: an approved CIDR is left to the namespaces\' policies (a namespace in default deny stays closed)', () => {
    const chart = platform();
    new DenyPrivateRanges(chart, 'private', { approved: ['10.20.0.0/16'] });
    const pod = (namespace: string) => ({ apiVersion: 'v1', kind: 'Pod', metadata: { name: 'app', namespace }, spec: { containers: [{ name: 'c', image: 'c' }] } });
    const denyAll = { apiVersion: 'networking.k8s.io/v1', kind: 'NetworkPolicy', metadata: { name: 'deny-all', namespace: 'closed' }, spec: { podSelector: {}, policyTypes: ['Egress'] } };
    const a = Analyzer.fromManifests([...synth(chart), pod('open'), pod('closed'), denyAll]);
    expect(a.connections('open/app', 'ip:10.20.1.1').toString()).toBe('all connections');
    expect(a.connections('closed/app', 'ip:10.20.1.1').toString()).toBe('nothing');
    expect(a.connections('open/app', 'ip:10.21.1.1').toString()).toBe('nothing');
    expect(a.connections('open/app', 'ip:8.8.8.8').toString()).toBe('all connections');
  });

  test('DenyPrivateRanges comes last in the Admin tier: its Pass of pod traffic skips no other guardrail', () => {
    // GIVEN tenant isolation and the private ranges at their default priorities, and two tenants' pods
    const chart = platform();
    new TenantIsolation(chart, 'tenants', { labelKey: 'tenant', tenants: ['blue', 'green'] });
    new DenyPrivateRanges(chart, 'private');
    const pod = (namespace: string) => ({ apiVersion: 'v1', kind: 'Pod', metadata: { name: 'app', namespace }, spec: { containers: [{ name: 'c', image: 'c' }] } });
    const namespace = (name: string, tenant: string) => ({ apiVersion: 'v1', kind: 'Namespace', metadata: { name, labels: { tenant } } });
    const objects = [...synth(chart), namespace('blue', 'blue'), namespace('green', 'green'), pod('blue'), pod('green')];
    expect(objects.find((o) => o.metadata.name === 'private').spec.priority).toBe(1000);

    // WHEN a blue pod connects to a green one
    const explained = Analyzer.fromManifests(objects).explain({ from: 'blue/app', to: 'green/app', port: 80 });

    // THEN the tenant Deny decides its egress: the private ranges' Pass, decided after it, does not skip it
    expect(explained.egress.deniedBy?.policy).toBe('ClusterNetworkPolicy tenants-blue');
    expect(explained.egress.tiers).toEqual(['Admin: ClusterNetworkPolicy tenants-blue spec.egress[1] ("to-other-tenants") Deny']);
  });

  test('AlwaysAllowMonitoring: an Admin Accept of the scraper on the metrics ports, on every pod', () => {
    const chart = platform();
    new AlwaysAllowMonitoring(chart, 'scrape', { ports: [Port.tcp(9090), Port.named('metrics')] });
    expect(synth(chart)[0].spec.ingress).toEqual([{
      name: 'metrics-scraper',
      action: 'Accept',
      from: [{ pods: { namespaceSelector: { matchLabels: { 'kubernetes.io/metadata.name': 'monitoring' } }, podSelector: { matchLabels: { 'app.kubernetes.io/name': 'prometheus' } } } }],
      protocols: [{ tcp: { destinationPort: { number: 9090 } } }, { destinationNamedPort: 'metrics' }],
    }]);
    expect(() => new AlwaysAllowMonitoring(platform(), 'm', {} as any)).toThrow('platform/m: the `ports` prop is required.');
  });
});

import { Chart, Testing } from 'cdk8s';
import {
  AllowDns, AllowFrom, AllowTo, CiliumEntity, ExternalHttps, HttpRule, IPeer, NamespaceBaseline, NetworkPolicy, Peer, PolicyTarget, Port, Selector,
} from '../../src';
import { assertValidCustomResource } from '../support/crd-schema';

function ciliumChart(): Chart {
  const app = Testing.app();
  PolicyTarget.set(app, PolicyTarget.CILIUM);
  return new Chart(app, 'shop', { namespace: 'shop' });
}

function synthCilium(chart: Chart): any[] {
  const objects = Testing.synth(chart);
  for (const object of objects) assertValidCustomResource(object);
  return objects;
}

const api = Selector.labels({ app: 'api' });
const DNS_VISIBILITY = (dns: object[]) => ({
  toEndpoints: [{ matchLabels: { 'k8s-app': 'kube-dns', 'k8s:io.kubernetes.pod.namespace': 'kube-system' } }],
  toPorts: [{ ports: [{ port: '53', protocol: 'UDP' }, { port: '53', protocol: 'TCP' }], rules: { dns } }],
});

describe('entities', () => {
  test('the API server for a controller: toEntities', () => {
    const chart = ciliumChart();
    new AllowTo(chart, 'apiserver', { pods: api, to: [Peer.entity(CiliumEntity.KUBE_APISERVER)], ports: [Port.tcp(6443)] });
    expect(synthCilium(chart)[0].spec.egress).toEqual([
      { toEntities: ['kube-apiserver'], toPorts: [{ ports: [{ port: '6443', protocol: 'TCP' }] }] },
    ]);
  });

  test('entities beside pods: one rule each; a repeated entity once', () => {
    const chart = ciliumChart();
    new AllowFrom(chart, 'in', {
      pods: api,
      from: [Peer.entity(CiliumEntity.HOST), Peer.pods(Selector.labels({ app: 'web' })), Peer.entity(CiliumEntity.HOST), Peer.entity(CiliumEntity.REMOTE_NODE)],
      ports: [Port.tcp(8080)],
    });
    const toPorts = [{ ports: [{ port: '8080', protocol: 'TCP' }] }];
    expect(synthCilium(chart)[0].spec.ingress).toEqual([
      { fromEndpoints: [{ matchLabels: { app: 'web' } }], toPorts },
      { fromEntities: ['host', 'remote-node'], toPorts },
    ]);
  });

  test('an unknown entity is an error listing the entities', () => {
    expect(() => Peer.entity('internet' as CiliumEntity)).toThrow(
      'Peer.entity(): unknown entity "internet"; the entities are all, world, cluster, host, remote-node, kube-apiserver, ingress, health, init, unmanaged.',
    );
  });
});

describe('DNS names', () => {
  test('ExternalHttps with hosts: toFQDNs, and the DNS rule Cilium needs to learn the addresses', () => {
    const chart = ciliumChart();
    new ExternalHttps(chart, 'stripe', { pods: api, hosts: ['api.stripe.com', '*.stripe.network'] });
    expect(synthCilium(chart)[0].spec).toEqual({
      endpointSelector: { matchLabels: { app: 'api' } },
      egress: [
        { toFQDNs: [{ matchName: 'api.stripe.com' }, { matchPattern: '*.stripe.network' }], toPorts: [{ ports: [{ port: '443', protocol: 'TCP' }] }] },
        DNS_VISIBILITY([{ matchName: 'api.stripe.com' }, { matchPattern: '*.stripe.network' }]),
      ],
    });
  });

  test('names used in several rules are looked up through one DNS rule, each name once', () => {
    const chart = ciliumChart();
    const policy = new NetworkPolicy(chart, 'out', { pods: api });
    policy.addEgressRule({ peers: [Peer.dnsName('a.example.com')], ports: [Port.HTTPS] });
    policy.addEgressRule({ peers: [Peer.dnsName('a.example.com'), Peer.dnsPattern('**.example.org')], ports: [Port.tcp(8443)] });
    const egress = synthCilium(chart)[0].spec.egress;
    expect(egress[egress.length - 1]).toEqual(DNS_VISIBILITY([{ matchName: 'a.example.com' }, { matchPattern: '**.example.org' }]));
  });

  test.each([
    ['', 'Peer.dnsName(): the DNS name must have 1 to 255 characters, got 0.'],
    ['a..b', 'Peer.dnsName(): invalid DNS name "a..b"'],
    ['evil.com\nkind: Secret', 'Peer.dnsName(): invalid DNS name "evil.com\\nkind: Secret"'],
    [`${'a'.repeat(60)}.`.repeat(5), 'Peer.dnsName(): the DNS name must have 1 to 255 characters, got 305.'],
    [42, 'Peer.dnsName(): a DNS name must be a string, got number.'],
  ])('the bad name %j is an error', (name, message) => {
    expect(() => Peer.dnsName(name as string)).toThrow(message);
  });

  test('a long bad name is rejected (the CRD\'s own pattern would backtrack for hours on it: this test would not end)', () => {
    expect(() => Peer.dnsName(`${'a'.repeat(60)}.`.repeat(4).slice(0, 254) + '!')).toThrow('invalid DNS name');
    expect(() => Peer.dnsPattern(`${'*a'.repeat(126)}!`)).toThrow('invalid DNS pattern');
  });

  test.each([
    ['api.stripe.com', 'has no "*"; use a DNS name'],
    ['a.**.com', '"**" may only begin it'],
    ['***.com', '"**" may only begin it'],
  ])('the bad pattern %j is an error', (pattern, message) => {
    expect(() => Peer.dnsPattern(pattern)).toThrow(message);
  });

  test('DNS names are destinations only', () => {
    const chart = ciliumChart();
    expect(() => new AllowFrom(chart, 'in', { pods: api, from: [Peer.dnsName('a.example.com')], ports: [Port.HTTPS] })).toThrow(
      'shop/in: ingress rule: DNS name a.example.com is a destination: DNS names can only be allowed for egress (Cilium has no fromFQDNs).',
    );
  });

  test('a named port with a DNS name is an error (no pod to resolve it against)', () => {
    const chart = ciliumChart();
    expect(() => new AllowTo(chart, 'out', { pods: api, to: [Peer.dnsName('a.example.com')], ports: [Port.named('https')] }))
      .toThrow('uses the named port TCP/https with the ipBlock peer DNS name a.example.com');
  });

  test('hosts cannot be combined with the address options', () => {
    const chart = ciliumChart();
    expect(() => new ExternalHttps(chart, 'x', { hosts: ['a.example.com'], ipv6: true })).toThrow('`hosts` allows those names only');
    expect(() => new ExternalHttps(chart, 'y', { hosts: [] })).toThrow('`hosts` must list at least one DNS name');
  });
});

describe('HTTP rules', () => {
  test('GET /public only: rules.http on each port', () => {
    const chart = ciliumChart();
    new AllowFrom(chart, 'public', {
      pods: api,
      from: [Peer.anyone()],
      ports: [Port.tcp(8080)],
      http: [HttpRule.get('/public/.*'), HttpRule.of({ method: 'POST|PUT', path: '/v1/orders', host: 'shop.example.com', headers: ['X-Team: shop'] })],
    });
    expect(synthCilium(chart)[0].spec.ingress).toEqual([{
      fromEntities: ['all'],
      toPorts: [{
        ports: [{ port: '8080', protocol: 'TCP' }],
        rules: { http: [{ method: 'GET', path: '/public/.*' }, { method: 'POST|PUT', path: '/v1/orders', host: 'shop.example.com', headers: ['X-Team: shop'] }] },
      }],
    }]);
  });

  test('the same peers with and without HTTP rules stay two rules (merging would put the limits on both)', () => {
    const chart = ciliumChart();
    const policy = new NetworkPolicy(chart, 'api', { pods: api });
    const web = Peer.pods(Selector.labels({ app: 'web' }));
    policy.addIngressRule({ peers: [web], ports: [Port.tcp(8080)], http: [HttpRule.get('/')] });
    policy.addIngressRule({ peers: [web], ports: [Port.tcp(9090)] });
    expect(synthCilium(chart)[0].spec.ingress.map((r: any) => r.toPorts[0].rules)).toEqual([{ http: [{ method: 'GET', path: '/' }] }, undefined]);
  });

  test.each([
    [{ path: '/(?!admin)' }, 'uses lookaround'],
    [{ path: '/(a)\\1' }, 'uses backreferences'],
    [{ path: '/[' }, 'is not a valid regular expression'],
    [{ method: 'GET /' }, 'should be method names'],
    [{ host: 'bad host' }, 'must be a DNS name'],
    [{ headers: ['X-A: b\r\nX-Injected: 1'] }, 'must be "Name" or "Name: value"'],
    [{}, 'matches every request'],
  ])('HttpRule.of(%j) is an error', (options, message) => {
    expect(() => HttpRule.of(options)).toThrow(message);
  });

  test('HTTP rules need TCP port numbers', () => {
    const chart = ciliumChart();
    expect(() => new AllowFrom(chart, 'a', { pods: api, from: [Peer.anyone()], ports: [Port.udp(53)], http: [HttpRule.get('/')] }))
      .toThrow('HTTP rules need TCP port numbers (Cilium parses HTTP on one TCP port at a time), got UDP/53.');
    expect(() => new AllowFrom(chart, 'b', { pods: api, from: [Peer.anyone()], ports: [Port.tcpRange(80, 90)], http: [HttpRule.get('/')] }))
      .toThrow('got TCP/80-90');
  });

  test('HttpRule values are immutable and read as text', () => {
    const rule = HttpRule.of({ method: 'GET', path: '/a', headers: ['X-A'] });
    expect(() => { (rule as any).path = '/'; }).toThrow(TypeError);
    expect(() => (rule.headers as string[]).push('X-B')).toThrow(TypeError);
    expect(rule.toString()).toBe('GET /a header X-A');
  });
});

describe('under the Kubernetes target, a Cilium-only feature is an error naming the construct, the feature and the target', () => {
  test.each([
    ['an entity', (chart: Chart) => new AllowTo(chart, 'x', { pods: api, to: [Peer.entity(CiliumEntity.KUBE_APISERVER)], ports: [Port.HTTPS] }),
      'test/x: egress rule: the peer the kube-apiserver entity needs the Cilium target: networking.k8s.io/v1 NetworkPolicy has no Cilium entities.'],
    ['a DNS name', (chart: Chart) => new ExternalHttps(chart, 'x', { hosts: ['api.stripe.com'] }),
      'test/x: egress rule: the peer DNS name api.stripe.com needs the Cilium target: networking.k8s.io/v1 NetworkPolicy has no DNS names.'],
    ['an HTTP rule', (chart: Chart) => new AllowFrom(chart, 'x', { pods: api, from: [Peer.anyone()], ports: [Port.HTTP], http: [HttpRule.get('/')] }),
      'test/x: ingress rule: the HTTP rule GET / needs the Cilium target: networking.k8s.io/v1 NetworkPolicy has no L7 HTTP rules.'],
    ['hosts in a NamespaceBaseline', (chart: Chart) => new NamespaceBaseline(chart, 'x', { externalHttps: { hosts: ['a.example.com'] } }),
      'test/x/ExternalHttps: egress rule: the peer DNS name a.example.com needs the Cilium target'],
  ])('%s', (_, make, message) => {
    const chart = Testing.chart();
    expect(() => make(chart)).toThrow(message);
    expect(() => make(Testing.chart())).toThrow('Set it for the App, a Chart or this construct with PolicyTarget.set(scope, PolicyTarget.CILIUM), or with the `target` prop.');
  });

  test('the target prop of a NamespaceBaseline reaches its parts', () => {
    const chart = Testing.chart();
    new NamespaceBaseline(chart, 'base', { target: PolicyTarget.CILIUM, externalHttps: { hosts: ['a.example.com'] } });
    expect(new Set(synthCilium(chart).map((o) => o.kind))).toEqual(new Set(['CiliumNetworkPolicy']));
  });
});

describe('custom peers may render Cilium peers; they are checked', () => {
  const custom = (config: any): IPeer => ({ toPeerConfig: () => config });
  test.each([
    [{ description: 'x', cilium: { entity: 'host', dnsName: 'a.b' } }, 'must set exactly one of `cilium.entity`, `cilium.dnsName` and `cilium.dnsPattern`, not entity and dnsName'],
    [{ description: 'x', cilium: { entity: 'nowhere' } }, 'has the unknown entity "nowhere"'],
    [{ description: 'x', cilium: { dnsName: 'a b' } }, 'invalid DNS name "a b"'],
    [{ description: 'x', cilium: { entity: 'host' }, peer: { podSelector: {} } }, 'sets both `peer` and `cilium`; set one of them.'],
  ])('%j', (config, message) => {
    const chart = ciliumChart();
    expect(() => new AllowTo(chart, 'x', { pods: api, to: [custom(config)], ports: [Port.HTTPS] })).toThrow(message);
  });

  test('a valid custom entity peer is emitted', () => {
    const chart = ciliumChart();
    new AllowTo(chart, 'x', { pods: api, to: [custom({ description: 'the nodes', cilium: { entity: 'remote-node' } })], ports: [Port.tcp(10250)] });
    expect(synthCilium(chart)[0].spec.egress[0].toEntities).toEqual(['remote-node']);
  });
});

describe('what Cilium would silently drop is an error', () => {
  test('AllowDns with a NodeLocal DNSCache address (a CIDR rule never matches the node in Cilium)', () => {
    const chart = ciliumChart();
    expect(() => new AllowDns(chart, 'dns', { nodeLocalDnsAddress: '169.254.20.10' })).toThrow(
      'shop/dns: nodeLocalDnsAddress is an address on each node, and Cilium\'s CIDR rules never match a node.',
    );
    // on v1 the address is an ipBlock peer
    const v1 = Testing.chart();
    new AllowDns(v1, 'dns', { nodeLocalDnsAddress: '169.254.20.10' });
    expect(Testing.synth(v1)[0].spec.egress[0].to).toContainEqual({ ipBlock: { cidr: '169.254.20.10/32' } });
  });
});

import { ApiObject, Chart, Testing } from 'cdk8s';
import * as kplus from 'cdk8s-plus-28';
import { IPeer, LabelExpression, NamespaceSelector, NetworkPolicy, Peer, Port, Selector } from '../src';
import { synthValidated } from './support/synth';

const NAME_LABEL = 'kubernetes.io/metadata.name';

/** The peer as it appears in the synthesized YAML of a policy in `policyNamespace`. */
function rendered(peer: IPeer, policyNamespace?: string): unknown {
  return kplus.k8s.toJson_NetworkPolicyPeer(peer.toPeerConfig(policyNamespace).peer);
}

function description(peer: IPeer, policyNamespace?: string): string {
  return peer.toPeerConfig(policyNamespace).description;
}

describe('Peer.pods()', () => {
  test('pods of the policy\'s namespace: a podSelector only', () => {
    const peer = Peer.pods(Selector.labels({ app: 'frontend' }));
    expect(rendered(peer, 'shop')).toStrictEqual({ podSelector: { matchLabels: { app: 'frontend' } } });
    expect(rendered(peer)).toStrictEqual({ podSelector: { matchLabels: { app: 'frontend' } } });
    expect(description(peer)).toBe('pods app=frontend');
    expect(peer.toString()).toBe('pods app=frontend');
  });

  test('every pod of the namespace', () => {
    const peer = Peer.pods(Selector.all());
    expect(rendered(peer)).toStrictEqual({ podSelector: {} });
    expect(peer.toString()).toBe('pods *');
  });

  test('a selector made from a workload keeps the workload\'s namespace', () => {
    // GIVEN a Deployment in namespace production
    const chart = new Chart(Testing.app(), 'c', { namespace: 'production' });
    const api = new kplus.Deployment(chart, 'api', { containers: [{ image: 'api:1' }] });

    // WHEN
    const peer = Peer.pods(Selector.fromWorkload(api));

    // THEN in a policy of production it is a podSelector; elsewhere, those pods in production
    expect(rendered(peer, 'production')).toStrictEqual({ podSelector: { matchLabels: api.matchLabels } });
    expect(rendered(peer, 'staging')).toStrictEqual({
      namespaceSelector: { matchLabels: { [NAME_LABEL]: 'production' } },
      podSelector: { matchLabels: api.matchLabels },
    });
    expect(peer.toString()).toBe('pods of c/api in namespace production');
  });

  test('anything but a Selector is rejected', () => {
    expect(() => Peer.pods(undefined as unknown as Selector)).toThrow(/^Peer\.pods\(\) expects a Selector, got undefined\.$/);
    expect(() => Peer.pods(NamespaceSelector.named('a') as unknown as Selector)).toThrow(/^Peer\.pods\(\) expects a Selector, got namespace a\.$/);
  });
});

describe('Peer.podsIn()', () => {
  test('namespaceSelector AND podSelector in one peer', () => {
    const peer = Peer.podsIn(NamespaceSelector.named('monitoring'), Selector.labels({ app: 'prometheus' }));
    expect(rendered(peer, 'shop')).toStrictEqual({
      namespaceSelector: { matchLabels: { [NAME_LABEL]: 'monitoring' } },
      podSelector: { matchLabels: { app: 'prometheus' } },
    });
    expect(peer.toString()).toBe('pods app=prometheus in namespace monitoring');
  });

  test('namespaces by labels and pods by expressions', () => {
    const peer = Peer.podsIn(
      NamespaceSelector.labels({ team: 'observability' }),
      Selector.expressions([LabelExpression.in('app', ['prometheus', 'grafana'])]),
    );
    expect(rendered(peer)).toStrictEqual({
      namespaceSelector: { matchLabels: { team: 'observability' } },
      podSelector: { matchExpressions: [{ key: 'app', operator: 'In', values: ['grafana', 'prometheus'] }] },
    });
    expect(peer.toString()).toBe('pods app in (grafana,prometheus) in namespaces team=observability');
  });

  test('the arguments are checked', () => {
    expect(() => Peer.podsIn(Selector.all() as unknown as NamespaceSelector, Selector.all())).toThrow(
      /^Peer\.podsIn\(\) expects a NamespaceSelector, got \*\.$/,
    );
    expect(() => Peer.podsIn(NamespaceSelector.all(), undefined as unknown as Selector)).toThrow(/^Peer\.podsIn\(\) expects a Selector, got undefined\.$/);
  });
});

describe('Peer.podsInNamespace()', () => {
  test('in a policy of that namespace: a bare podSelector', () => {
    const peer = Peer.podsInNamespace('shop', Selector.labels({ app: 'frontend' }));
    expect(rendered(peer, 'shop')).toStrictEqual({ podSelector: { matchLabels: { app: 'frontend' } } });
    expect(peer.toString()).toBe('pods app=frontend in namespace shop');
  });

  test('in a policy of another namespace, or of an unknown one: namespaceSelector by name AND podSelector', () => {
    const peer = Peer.podsInNamespace('shop', Selector.labels({ app: 'frontend' }));
    const inShop = { namespaceSelector: { matchLabels: { [NAME_LABEL]: 'shop' } }, podSelector: { matchLabels: { app: 'frontend' } } };
    expect(rendered(peer, 'payments')).toStrictEqual(inShop);
    expect(rendered(peer)).toStrictEqual(inShop);
  });

  test('every pod of the namespace, however the policy\'s namespace is written', () => {
    const peer = Peer.podsInNamespace('shop', Selector.all());
    expect(rendered(peer, 'shop')).toStrictEqual({ podSelector: {} });
    expect(rendered(peer, 'payments')).toStrictEqual({ namespaceSelector: { matchLabels: { [NAME_LABEL]: 'shop' } }, podSelector: {} });
  });

  test('renders valid policies on both sides', () => {
    // GIVEN
    const app = Testing.app();
    const shop = new Chart(app, 'shop', { namespace: 'shop' });
    const payments = new Chart(app, 'payments', { namespace: 'payments' });
    const frontend = Peer.podsInNamespace('shop', Selector.labels({ app: 'frontend' }));

    // WHEN the same peer is used in a policy of each namespace
    new NetworkPolicy(shop, 'api', { pods: Selector.labels({ app: 'api' }), ingress: [{ peers: [frontend], ports: [Port.tcp(8080)] }] });
    new NetworkPolicy(payments, 'billing', { pods: Selector.labels({ app: 'billing' }), ingress: [{ peers: [frontend], ports: [Port.tcp(9000)] }] });

    // THEN
    expect(synthValidated(shop).find((o) => o.kind === 'NetworkPolicy').spec.ingress[0].from).toStrictEqual([{ podSelector: { matchLabels: { app: 'frontend' } } }]);
    expect(synthValidated(payments).find((o) => o.kind === 'NetworkPolicy').spec.ingress[0].from).toStrictEqual([
      { namespaceSelector: { matchLabels: { [NAME_LABEL]: 'shop' } }, podSelector: { matchLabels: { app: 'frontend' } } },
    ]);
  });

  test('the pods of a workload of that namespace', () => {
    const chart = new Chart(Testing.app(), 'c', { namespace: 'production' });
    const api = new kplus.Deployment(chart, 'api', { containers: [{ image: 'api:1' }] });

    const peer = Peer.podsInNamespace('production', Selector.fromWorkload(api));

    expect(rendered(peer, 'production')).toStrictEqual({ podSelector: { matchLabels: api.matchLabels } });
    expect(rendered(peer, 'staging')).toStrictEqual({ namespaceSelector: { matchLabels: { [NAME_LABEL]: 'production' } }, podSelector: { matchLabels: api.matchLabels } });
    expect(peer.toString()).toBe('pods c/api in namespace production');
  });

  test('the pods of a workload of another namespace are rejected', () => {
    const chart = new Chart(Testing.app(), 'c', { namespace: 'production' });
    const api = new kplus.Deployment(chart, 'api', { containers: [{ image: 'api:1' }] });

    expect(() => Peer.podsInNamespace('staging', Selector.fromWorkload(api)))
      .toThrow(/^Peer\.podsInNamespace\("staging"\) got the pods of c\/api, which are in namespace "production"\.$/);
  });

  test('an invalid namespace name, or something that is not a Selector, is rejected', () => {
    expect(() => Peer.podsInNamespace('Shop', Selector.all()))
      .toThrow(/^Invalid namespace name "Shop" in Peer\.podsInNamespace\(\): it must be a DNS-1123 label/);
    expect(() => Peer.podsInNamespace('', Selector.all())).toThrow(/^Invalid namespace name "" in Peer\.podsInNamespace\(\)/);
    expect(() => Peer.podsInNamespace('shop', undefined as unknown as Selector)).toThrow(/^Peer\.podsInNamespace\(\) expects a Selector, got undefined\.$/);
  });
});

describe('Peer.namespaces() and Peer.allPodsInCluster()', () => {
  test('every pod of the selected namespaces: a namespaceSelector only', () => {
    const peer = Peer.namespaces(NamespaceSelector.named('kube-system', 'monitoring'));
    expect(rendered(peer)).toStrictEqual({
      namespaceSelector: { matchExpressions: [{ key: NAME_LABEL, operator: 'In', values: ['kube-system', 'monitoring'] }] },
    });
    expect(peer.toString()).toBe('all pods in namespaces kube-system,monitoring');
  });

  test('every pod of the cluster: an empty namespaceSelector', () => {
    const peer = Peer.allPodsInCluster();
    expect(rendered(peer, 'shop')).toStrictEqual({ namespaceSelector: {} });
    expect(peer.toString()).toBe('all pods in all namespaces');
  });

  test('anything but a NamespaceSelector is rejected', () => {
    expect(() => Peer.namespaces(Selector.labels({ a: 'b' }) as unknown as NamespaceSelector)).toThrow(
      /^Peer\.namespaces\(\) expects a NamespaceSelector, got a=b\.$/,
    );
  });
});

describe('Peer.anyone()', () => {
  test('renders no peer at all', () => {
    const config = Peer.anyone().toPeerConfig('shop');
    expect(config).toStrictEqual({ description: 'anyone', anyone: true });
    expect(Peer.anyone().toString()).toBe('anyone');
  });
});

describe('Peer.ipBlock()', () => {
  test('an IPv4 block without except renders no except field', () => {
    const peer = Peer.ipBlock('203.0.113.0/24');
    expect(rendered(peer)).toStrictEqual({ ipBlock: { cidr: '203.0.113.0/24' } });
    expect(peer.toString()).toBe('203.0.113.0/24');
  });

  test('an IPv4 block with except, deduplicated in the given order', () => {
    const peer = Peer.ipBlock('0.0.0.0/0', ['192.168.0.0/16', '10.0.0.0/8', '192.168.0.0/16', '172.16.0.0/12']);
    expect(rendered(peer)).toStrictEqual({ ipBlock: { cidr: '0.0.0.0/0', except: ['192.168.0.0/16', '10.0.0.0/8', '172.16.0.0/12'] } });
    expect(peer.toString()).toBe('0.0.0.0/0 except 192.168.0.0/16, 10.0.0.0/8, 172.16.0.0/12');
  });

  test('an IPv6 block with except, in canonical text', () => {
    // WHEN written in long, upper-case form
    const peer = Peer.ipBlock('2001:DB8:0:0::/32', ['2001:0db8:0000:0000:0001:0000:0000:0000/80', '2001:DB8:FFFF::/48']);

    // THEN the manifest has the canonical text
    expect(rendered(peer)).toStrictEqual({ ipBlock: { cidr: '2001:db8::/32', except: ['2001:db8:0:0:1::/80', '2001:db8:ffff::/48'] } });
    expect(peer.toString()).toBe('2001:db8::/32 except 2001:db8:0:0:1::/80, 2001:db8:ffff::/48');
  });

  test('::/0 is every IPv6 address', () => {
    expect(rendered(Peer.ipBlock('::/0', ['fc00::/7', 'fe80::/10']))).toStrictEqual({ ipBlock: { cidr: '::/0', except: ['fc00::/7', 'fe80::/10'] } });
  });

  test.each([
    ['10.0.0.1', /^Invalid CIDR "10\.0\.0\.1" in Peer\.ipBlock\(\): the CIDR mask is missing: did you mean "10\.0\.0\.1\/32"\?$/],
    ['2001:db8::1', /^Invalid CIDR "2001:db8::1" in Peer\.ipBlock\(\): the CIDR mask is missing: did you mean "2001:db8::1\/128"\?$/],
    ['::', /^Invalid CIDR "::" in Peer\.ipBlock\(\): the CIDR mask is missing: did you mean "::\/128"\?$/],
    ['10.0.0.1/8', /^Invalid CIDR "10\.0\.0\.1\/8" in Peer\.ipBlock\(\): host bits are set after the \/8 prefix: did you mean "10\.0\.0\.0\/8"\?$/],
    ['2001:DB8::1/32', /^Invalid CIDR "2001:DB8::1\/32" in Peer\.ipBlock\(\): host bits are set after the \/32 prefix: did you mean "2001:db8::\/32"\?$/],
    ['010.0.0.0/8', /^Invalid CIDR "010\.0\.0\.0\/8" in Peer\.ipBlock\(\): "010\.0\.0\.0" is not an IPv4 or IPv6 address$/],
    ['256.0.0.0/8', /^Invalid CIDR "256\.0\.0\.0\/8" in Peer\.ipBlock\(\): "256\.0\.0\.0" is not an IPv4 or IPv6 address$/],
    ['10.0.0.0/33', /^Invalid CIDR "10\.0\.0\.0\/33" in Peer\.ipBlock\(\): the prefix length "33" must be a number from 0 to 32 without leading zeros$/],
    ['2001:db8::/129', /^Invalid CIDR "2001:db8::\/129" in Peer\.ipBlock\(\): the prefix length "129" must be a number from 0 to 128 without leading zeros$/],
    ['garbage', /^Invalid CIDR "garbage" in Peer\.ipBlock\(\): it is not an IPv4 or IPv6 CIDR such as "10\.0\.0\.0\/8" or "2001:db8::\/32"$/],
    ['', /^Invalid CIDR "" in Peer\.ipBlock\(\): a CIDR must be a non-empty string such as "10\.0\.0\.0\/8"$/],
    ['1:::2/64', /^Invalid CIDR "1:::2\/64" in Peer\.ipBlock\(\): "1:::2" is not an IPv4 or IPv6 address$/],
    ['fe80::1%eth0/64', /^Invalid CIDR "fe80::1%eth0\/64" in Peer\.ipBlock\(\): "fe80::1%eth0" is not an IPv4 or IPv6 address$/],
    [
      '::ffff:10.0.0.0/104',
      /^Invalid CIDR "::ffff:10\.0\.0\.0\/104" in Peer\.ipBlock\(\): "::ffff:10\.0\.0\.0" is an IPv4-mapped IPv6 address, which is ambiguous; write IPv4 CIDRs in IPv4: did you mean "10\.0\.0\.0\/8"\?$/,
    ],
  ])('the invalid CIDR %p is rejected', (cidr, message) => {
    expect(() => Peer.ipBlock(cidr)).toThrow(message);
  });

  test('an except outside the block is rejected', () => {
    expect(() => Peer.ipBlock('10.0.0.0/8', ['192.168.0.0/16'])).toThrow(
      /^Invalid except CIDR "192\.168\.0\.0\/16" for ipBlock "10\.0\.0\.0\/8": an except must be strictly inside the block \(a longer prefix within 10\.0\.0\.0\/8\)\.$/,
    );
  });

  test('an except equal to the block is not strictly inside it', () => {
    expect(() => Peer.ipBlock('10.0.0.0/8', ['10.0.0.0/8'])).toThrow(
      /^Invalid except CIDR "10\.0\.0\.0\/8" for ipBlock "10\.0\.0\.0\/8": an except must be strictly inside the block/,
    );
  });

  test('an except equal to the block in another spelling is not strictly inside it', () => {
    expect(() => Peer.ipBlock('2001:db8::/32', ['2001:DB8:0::/32'])).toThrow(
      /^Invalid except CIDR "2001:DB8:0::\/32" for ipBlock "2001:db8::\/32": an except must be strictly inside the block \(a longer prefix within 2001:db8::\/32\)\.$/,
    );
  });

  test('an except wider than the block is rejected', () => {
    expect(() => Peer.ipBlock('10.1.0.0/16', ['10.0.0.0/8'])).toThrow(/^Invalid except CIDR "10\.0\.0\.0\/8" for ipBlock "10\.1\.0\.0\/16": an except must be strictly inside/);
  });

  test('an IPv6 except in an IPv4 block is rejected', () => {
    expect(() => Peer.ipBlock('0.0.0.0/0', ['fc00::/7'])).toThrow(
      /^Invalid except CIDR "fc00::\/7" for ipBlock "0\.0\.0\.0\/0": it is IPv6 but the block is IPv4; an except must be of the same family\.$/,
    );
  });

  test('an IPv4 except in an IPv6 block is rejected', () => {
    expect(() => Peer.ipBlock('::/0', ['10.0.0.0/8'])).toThrow(/^Invalid except CIDR "10\.0\.0\.0\/8" for ipBlock "::\/0": it is IPv4 but the block is IPv6/);
  });

  test('an invalid except CIDR is rejected, naming the block', () => {
    expect(() => Peer.ipBlock('10.0.0.0/8', ['10.1.0.1/16'])).toThrow(
      /^Invalid CIDR "10\.1\.0\.1\/16" in the except list of Peer\.ipBlock\("10\.0\.0\.0\/8"\): host bits are set after the \/16 prefix: did you mean "10\.1\.0\.0\/16"\?$/,
    );
  });

  test('an IPv4-mapped except is rejected', () => {
    expect(() => Peer.ipBlock('::/0', ['::ffff:10.0.0.0/104'])).toThrow(
      /^Invalid CIDR "::ffff:10\.0\.0\.0\/104" in the except list of Peer\.ipBlock\("::\/0"\): "::ffff:10\.0\.0\.0" is an IPv4-mapped IPv6 address/,
    );
  });
});

describe('Peer.workload()', () => {
  test('a Deployment in the policy\'s namespace: only a podSelector', () => {
    // GIVEN
    const chart = new Chart(Testing.app(), 'c', { namespace: 'production' });
    const api = new kplus.Deployment(chart, 'api', { containers: [{ image: 'api:1' }] });

    // WHEN
    const peer = Peer.workload(api);

    // THEN
    expect(rendered(peer, 'production')).toStrictEqual({ podSelector: { matchLabels: api.matchLabels } });
    expect(description(peer, 'production')).toBe('pods of c/api in namespace production');
  });

  test('a Deployment in another namespace: namespaceSelector by name AND podSelector', () => {
    const chart = new Chart(Testing.app(), 'c', { namespace: 'production' });
    const api = new kplus.Deployment(chart, 'api', { containers: [{ image: 'api:1' }] });

    expect(rendered(Peer.workload(api), 'monitoring')).toStrictEqual({
      namespaceSelector: { matchLabels: { [NAME_LABEL]: 'production' } },
      podSelector: { matchLabels: api.matchLabels },
    });
  });

  test('a Deployment with a namespace, for a policy whose namespace is unknown: its namespace is spelled out', () => {
    const chart = new Chart(Testing.app(), 'c', { namespace: 'production' });
    const api = new kplus.Deployment(chart, 'api', { containers: [{ image: 'api:1' }] });

    expect(rendered(Peer.workload(api))).toStrictEqual({
      namespaceSelector: { matchLabels: { [NAME_LABEL]: 'production' } },
      podSelector: { matchLabels: api.matchLabels },
    });
  });

  test('a Deployment without a namespace: the policy\'s namespace', () => {
    const chart = Testing.chart();
    const web = new kplus.Deployment(chart, 'web', { containers: [{ image: 'web:1' }] });
    const peer = Peer.workload(web);
    expect(rendered(peer, 'shop')).toStrictEqual({ podSelector: { matchLabels: web.matchLabels } });
    expect(peer.toString()).toBe('pods of test/web');
  });

  test('a StatefulSet is a workload too', () => {
    const chart = new Chart(Testing.app(), 'c', { namespace: 'data' });
    const db = new kplus.StatefulSet(chart, 'db', { containers: [{ image: 'postgres:16', portNumber: 5432 }] });
    expect(rendered(Peer.workload(db), 'shop')).toStrictEqual({
      namespaceSelector: { matchLabels: { [NAME_LABEL]: 'data' } },
      podSelector: { matchLabels: db.matchLabels },
    });
  });

  test('kplus.Pods.select() in namespaces given by labels: one peer, both selectors', () => {
    // GIVEN
    const chart = Testing.chart();
    const prometheus = kplus.Pods.select(chart, 'prometheus', {
      labels: { app: 'prometheus' },
      namespaces: kplus.Namespaces.select(chart, 'observability', { labels: { team: 'observability' } }),
    });

    // WHEN
    const peer = Peer.workload(prometheus);

    // THEN
    expect(rendered(peer, 'shop')).toStrictEqual({
      namespaceSelector: { matchLabels: { team: 'observability' } },
      podSelector: { matchLabels: { app: 'prometheus' } },
    });
    expect(peer.toString()).toBe('pods app=prometheus in namespaces team=observability');
  });

  test('kplus.Pods.select() in namespaces given by expressions', () => {
    const chart = Testing.chart();
    const pods = kplus.Pods.select(chart, 'agents', {
      expressions: [kplus.LabelExpression.exists('agent')],
      namespaces: kplus.Namespaces.select(chart, 'ns', { expressions: [kplus.LabelExpression.notIn('env', ['dev'])] }),
    });
    expect(rendered(Peer.workload(pods))).toStrictEqual({
      namespaceSelector: { matchExpressions: [{ key: 'env', operator: 'NotIn', values: ['dev'] }] },
      podSelector: { matchExpressions: [{ key: 'agent', operator: 'Exists' }] },
    });
  });

  test('kplus.Pods.select() in one namespace given by name is matched in that namespace only', () => {
    // GIVEN a selection in namespace batch (cdk8s-plus pairs the names with an empty label selector)
    const chart = Testing.chart();
    const jobs = kplus.Pods.select(chart, 'jobs', {
      labels: { app: 'job' },
      namespaces: kplus.Namespaces.select(chart, 'batch', { names: ['batch'] }),
    });

    // WHEN
    const peer = Peer.workload(jobs);

    // THEN never every namespace
    expect(rendered(peer, 'shop')).toStrictEqual({
      namespaceSelector: { matchLabels: { [NAME_LABEL]: 'batch' } },
      podSelector: { matchLabels: { app: 'job' } },
    });
    expect(rendered(peer, 'batch')).toStrictEqual({ podSelector: { matchLabels: { app: 'job' } } });
  });

  test('kplus.Pods.select() in several namespaces given by name: one In expression', () => {
    const chart = Testing.chart();
    const api = kplus.Pods.select(chart, 'api', {
      labels: { app: 'api' },
      namespaces: kplus.Namespaces.select(chart, 'envs', { names: ['staging', 'production'] }),
    });
    expect(rendered(Peer.workload(api), 'staging')).toStrictEqual({
      namespaceSelector: { matchExpressions: [{ key: NAME_LABEL, operator: 'In', values: ['production', 'staging'] }] },
      podSelector: { matchLabels: { app: 'api' } },
    });
  });

  test('kplus.Pods.select() in namespaces given by names and labels: both must match', () => {
    const chart = Testing.chart();
    const api = kplus.Pods.select(chart, 'api', {
      labels: { app: 'api' },
      namespaces: kplus.Namespaces.select(chart, 'envs', { names: ['production'], labels: { team: 'payments' } }),
    });
    expect(rendered(Peer.workload(api), 'shop')).toStrictEqual({
      namespaceSelector: {
        matchLabels: { team: 'payments' },
        matchExpressions: [{ key: NAME_LABEL, operator: 'In', values: ['production'] }],
      },
      podSelector: { matchLabels: { app: 'api' } },
    });
  });

  test('kplus.Pods.select() in all namespaces: an empty namespaceSelector', () => {
    const chart = Testing.chart();
    const agents = kplus.Pods.select(chart, 'agents', { labels: { app: 'agent' }, namespaces: kplus.Namespaces.all(chart, 'all') });
    expect(rendered(Peer.workload(agents), 'shop')).toStrictEqual({ namespaceSelector: {}, podSelector: { matchLabels: { app: 'agent' } } });
  });

  test('something that is not a workload construct is rejected', () => {
    expect(() => Peer.workload(undefined as unknown as kplus.Deployment)).toThrow(
      /^Expected a workload construct: a cdk8s-plus Deployment, StatefulSet, DaemonSet, Job, CronJob or Pod \(any cdk8s-plus version\), an ApiObject of one of those kinds \(e\.g\. a KubeDeployment of `cdk8s import`\), or an Include that holds one; got undefined\.$/,
    );
    expect(() => Peer.workload('api' as unknown as kplus.Deployment)).toThrow(/; got the string "api"\.$/);
  });
});

describe('rendered peers are valid Kubernetes', () => {
  test('every kind of peer passes the NetworkPolicy schema', () => {
    // GIVEN an L1 NetworkPolicy whose rules use each kind of peer
    const chart = new Chart(Testing.app(), 'c', { namespace: 'production' });
    const api = new kplus.Deployment(chart, 'api', { containers: [{ image: 'api:1' }] });
    const peers = [
      Peer.pods(Selector.labels({ app: 'frontend' })),
      Peer.podsIn(NamespaceSelector.named('monitoring'), Selector.labels({ app: 'prometheus' })),
      Peer.namespaces(NamespaceSelector.named('a', 'b')),
      Peer.allPodsInCluster(),
      Peer.ipBlock('2001:db8::/32', ['2001:db8:1::/48']),
      Peer.workload(api),
    ];
    new ApiObject(chart, 'peers', {
      apiVersion: 'networking.k8s.io/v1',
      kind: 'NetworkPolicy',
      metadata: { name: 'peers' },
      spec: {
        podSelector: {},
        policyTypes: ['Ingress'],
        ingress: [{ from: peers.map((p) => p.toPeerConfig('staging').peer!), ports: [Port.HTTPS._toKube()] }],
      },
    });

    // WHEN
    const policy = synthValidated(chart).find((o) => o.kind === 'NetworkPolicy');

    // THEN
    expect(policy.spec.ingress[0].from).toHaveLength(6);
    expect(policy.spec.ingress[0].from[5]).toStrictEqual({
      namespaceSelector: { matchLabels: { [NAME_LABEL]: 'production' } },
      podSelector: { matchLabels: api.matchLabels },
    });
  });
});

describe('Peer.workload() with an invalid cdk8s-plus selector', () => {
  test('names the workload', () => {
    const chart = Testing.chart();
    const pods = kplus.Pods.select(chart, 'broken', { expressions: [kplus.LabelExpression.in('tier', [])] });
    expect(() => Peer.workload(pods)).toThrow(/^The label selector of test\/broken is invalid: Invalid In label expression on "tier"/);
  });
});

import { Chart, Testing, Yaml } from 'cdk8s';
import * as kplus from 'cdk8s-plus-28';
import { Construct } from 'constructs';
import {
  NetworkPolicy, PolicyType, Selector, NamespaceSelector, Peer, Port, LabelExpression, Protocol,
  DefaultDeny, AllowDns, AllowFrom, AllowTo, AllowSameNamespace, ExternalHttps, MonitoringScrape, NamespaceBaseline,
} from '../src';

function show(title: string, f: (c: Chart) => void, ns?: string, labels?: any) {
  const app = Testing.app();
  const chart = new Chart(app, 'test', { namespace: ns, labels });
  try {
    f(chart);
    const out = Testing.synth(chart).filter((o: any) => o.kind === 'NetworkPolicy');
    console.log(`##### ${title}\n` + Yaml.stringify(...out));
  } catch (e) { console.log(`##### ${title}\nERROR: ${(e as Error).message}\n`); }
}
function err(title: string, f: () => any) {
  try { const v = f(); console.log(`## ${title}: OK ${String(v)}`); } catch (e) { console.log(`## ${title}: ERROR: ${(e as Error).message}`); }
}
err('tcp0', () => Port.tcp(0));
err('tcp70000', () => Port.tcp(70000));
err('tcp 1.5', () => Port.tcp(1.5));
err('range rev', () => Port.tcpRange(8080, 8000));
err('range eq', () => Port.tcpRange(8080, 8080));
err('range end 0', () => Port.udpRange(1, 0));
err('named upper', () => Port.named('Metrics'));
err('named long', () => Port.named('my-metrics-port-1'));
err('named digits', () => Port.named('8080'));
err('named --', () => Port.named('a--b'));
err('ipblock nomask', () => Peer.ipBlock('10.0.0.1'));
err('ipblock hostbits', () => Peer.ipBlock('10.0.0.1/8'));
err('ipblock bad', () => Peer.ipBlock('10.0.0.256/32'));
err('ipblock prefix', () => Peer.ipBlock('10.0.0.0/33'));
err('ipblock leading0', () => Peer.ipBlock('010.0.0.0/8'));
err('ipblock except outside', () => Peer.ipBlock('10.0.0.0/8', ['192.168.0.0/16']));
err('ipblock except same', () => Peer.ipBlock('10.0.0.0/8', ['10.0.0.0/8']));
err('ipblock except family', () => Peer.ipBlock('10.0.0.0/8', ['fc00::/7']));
err('ipblock v6 nomask', () => Peer.ipBlock('2001:db8::1'));
err('sel labels empty', () => Selector.labels({}));
err('sel exprs empty', () => Selector.expressions([]));
err('sel bad key', () => Selector.labels({ 'app/': 'x' }));
err('sel bad key2', () => Selector.labels({ 'my app': 'x' }));
err('sel bad value', () => Selector.labels({ app: '-frontend' }));
err('sel long value', () => Selector.labels({ app: 'x'.repeat(64) }));
err('ns named none', () => NamespaceSelector.named());
err('ns named bad', () => NamespaceSelector.named('Kube_System'));
err('ns labels empty', () => NamespaceSelector.labels({}));
err('expr in empty', () => LabelExpression.in('tier', []));
err('expr ok', () => LabelExpression.in('tier', ['web', 'api', 'web']));
err('expr notin', () => LabelExpression.notIn('tier', ['web']).toString());
err('peer pods non-selector', () => Peer.pods(undefined as any));
err('peer podsIn swapped', () => Peer.podsIn(Selector.all() as any, NamespaceSelector.all() as any));
err('sel toString', () => Selector.of({ labels: { b: '1', a: '2' }, expressions: [LabelExpression.exists('x')] }).toString());
err('port toString', () => [Port.tcp(1), Port.tcpRange(1, 5), Port.named('metrics'), Port.allUdp(), Port.allPorts()].join(' '));
err('peer toString', () => [Peer.pods(Selector.all()), Peer.podsIn(NamespaceSelector.named('a', 'b'), Selector.labels({ x: 'y' })), Peer.ipBlock('10.0.0.0/8', ['10.1.0.0/16']), Peer.anyone(), Peer.allPodsInCluster(), Peer.namespaces(NamespaceSelector.labels({ team: 'a' }))].join(' | '));
err('ipv6 canonical', () => Peer.ipBlock('2001:0db8:0000::/32').toString());

show('ports', (c) => {
  new AllowFrom(c, 'ports', {
    pods: Selector.all(),
    from: [Peer.anyone()],
    ports: [Port.tcp(80), Port.tcpRange(8000, 8080), Port.tcpRange(9000, 9000), Port.allUdp(), Port.named('metrics'), Port.named('dns', Protocol.UDP), Port.sctp(3868), Port.tcp(80)],
  });
}, 'shop');
show('anyone allports', (c) => {
  new AllowFrom(c, 'open', { pods: Selector.all(), from: [Peer.anyone()], ports: [Port.allPorts()] });
}, 'shop');
show('anyone combined', (c) => {
  new AllowFrom(c, 'open', { pods: Selector.all(), from: [Peer.anyone(), Peer.pods(Selector.all())], ports: [Port.allPorts()] });
}, 'shop');
show('allports combined', (c) => {
  new AllowFrom(c, 'open', { pods: Selector.all(), from: [Peer.pods(Selector.all())], ports: [Port.allPorts(), Port.tcp(80)] });
}, 'shop');
show('empty peers', (c) => {
  new AllowFrom(c, 'open', { pods: Selector.all(), from: [], ports: [Port.tcp(80)] });
}, 'shop');
show('empty peers egress', (c) => {
  new AllowTo(c, 'open', { pods: Selector.all(), to: [], ports: [Port.tcp(80)] });
}, 'shop');
show('empty ports', (c) => {
  new AllowFrom(c, 'open', { pods: Selector.all(), from: [Peer.anyone()], ports: [] });
}, 'shop');
show('missing props', (c) => {
  new AllowFrom(c, 'open', { pods: Selector.all() } as any);
}, 'shop');
show('peers misc', (c) => {
  new AllowTo(c, 'misc', { pods: Selector.all(), to: [
    Peer.allPodsInCluster(),
    Peer.namespaces(NamespaceSelector.named('a', 'b')),
    Peer.namespaces(NamespaceSelector.labels({ team: 'payments' })),
    Peer.pods(Selector.of({ labels: { app: 'x' }, expressions: [LabelExpression.in('track', ['stable', 'canary']), LabelExpression.doesNotExist('quarantined')] })),
    Peer.ipBlock('10.0.0.0/8', ['10.1.0.0/16']),
    Peer.namespaces(NamespaceSelector.all()),
  ], ports: [Port.tcp(443)] });
}, 'shop');
show('workload other ns', (c) => {
  const db = new kplus.Deployment(c, 'Db', { metadata: { namespace: 'data' }, containers: [{ image: 'pg', portNumber: 5432 }] });
  const web = new kplus.Deployment(c, 'Web', { containers: [{ image: 'web' }] });
  new AllowTo(c, 'web-to-db', { pods: Selector.fromWorkload(web), to: [Peer.workload(db)], ports: [Port.tcp(5432)] });
  new AllowFrom(c, 'db-from-web', { pods: Selector.fromWorkload(db), from: [Peer.workload(web)], ports: [Port.tcp(5432)] });
}, 'shop');
show('workload conflict', (c) => {
  const db = new kplus.Deployment(c, 'Db', { metadata: { namespace: 'data' }, containers: [{ image: 'pg', portNumber: 5432 }] });
  new AllowFrom(c, 'db-from-web', { namespace: 'shop', pods: Selector.fromWorkload(db), from: [Peer.anyone()], ports: [Port.tcp(5432)] });
}, 'shop');
show('workload no chart ns', (c) => {
  const db = new kplus.Deployment(c, 'Db', { containers: [{ image: 'pg', portNumber: 5432 }] });
  const web = new kplus.Deployment(c, 'Web', { containers: [{ image: 'web' }] });
  new AllowFrom(c, 'db-from-web', { pods: Selector.fromWorkload(db), from: [Peer.workload(web)], ports: [Port.tcp(5432)] });
  new AllowFrom(c, 'db-from-web2', { namespace: 'other', pods: Selector.labels({a: 'b'}), from: [Peer.workload(web)], ports: [Port.tcp(5432)] });
});
show('pods of workload via Peer.pods', (c) => {
  const db = new kplus.Deployment(c, 'Db', { metadata: { namespace: 'data' }, containers: [{ image: 'pg', portNumber: 5432 }] });
  new AllowTo(c, 'x', { pods: Selector.all(), to: [Peer.pods(Selector.fromWorkload(db))], ports: [Port.tcp(5432)] });
}, 'shop');
show('Pods.select all ns', (c) => {
  new AllowTo(c, 'x', { pods: Selector.all(), to: [Peer.workload(kplus.Pods.select(c, 'p', { labels: { app: 'x' }, namespaces: kplus.Namespaces.select(c, 'n', { names: ['a', 'b'] }) }))], ports: [Port.tcp(5432)] });
}, 'shop');
show('Pods.select all', (c) => {
  new AllowTo(c, 'x', { pods: Selector.all(), to: [Peer.workload(kplus.Pods.all(c, 'p'))], ports: [Port.tcp(5432)] });
}, 'shop');
show('fromWorkload multi ns', (c) => {
  new AllowTo(c, 'x', { pods: Selector.fromWorkload(kplus.Pods.select(c, 'p', { labels: { app: 'x' }, namespaces: kplus.Namespaces.select(c, 'n', { names: ['a', 'b'] }) })), to: [Peer.anyone()], ports: [Port.tcp(5432)] });
}, 'shop');
show('naming', (c) => {
  class Team extends Construct { constructor(s: Construct, id: string) { super(s, id); new DefaultDeny(this, 'Default'); new AllowDns(this, 'HTTPSEgress'); new AllowDns(this, 'api_server'); } }
  new Team(c, 'PaymentsTeam');
  new DefaultDeny(c, 'x', { name: 'custom-name' });
}, 'shop');
show('naming empty', (c) => { new DefaultDeny(c, 'Default'); });
show('naming bad', (c) => { new DefaultDeny(c, 'ünï'); });
show('name bad', (c) => { new DefaultDeny(c, 'x', { name: 'Bad_Name' }); });
show('ns bad', (c) => { new DefaultDeny(c, 'x', { namespace: 'Bad' }); });
show('chart labels + extra', (c) => { new DefaultDeny(c, 'x', { labels: { team: 'a' }, annotations: { 'example.com/owner': 'team-a' } }); }, 'shop', { env: 'prod' });
show('bad label meta', (c) => { new DefaultDeny(c, 'x', { labels: { team: 'a b' } }); });
show('same ns both false', (c) => { new AllowSameNamespace(c, 'x', { ingress: false, egress: false }); });
show('scrape named custom scraper', (c) => { new MonitoringScrape(c, 'scrape', { pods: Selector.labels({ app: 'payments' }), ports: [Port.named('metrics')], scraper: Peer.podsIn(NamespaceSelector.named('observability'), Selector.labels({ app: 'vmagent' })) }); }, 'shop');
show('baseline minimal', (c) => { new NamespaceBaseline(c, 'Baseline', { allowExternalHttps: false, allowSameNamespace: false, dns: { nodeLocalDnsAddress: '169.254.20.10' }, pods: Selector.labels({ app: 'x' }), monitoring: { ports: [Port.tcp(9090)], pods: Selector.labels({ app: 'y' }) } }); }, 'shop');
show('isolate and egress rule empty', (c) => { const p = new NetworkPolicy(c, 'P', { isolate: [PolicyType.INGRESS, PolicyType.INGRESS] }); console.log('types', p.policyTypes); });

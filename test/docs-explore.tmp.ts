import { Chart, Testing, Yaml, App } from 'cdk8s';
import * as kplus from 'cdk8s-plus-28';
import {
  NetworkPolicy, PolicyType, Selector, NamespaceSelector, Peer, Port, LabelExpression, Protocol,
  DefaultDeny, AllowDns, AllowFrom, AllowTo, AllowSameNamespace, ExternalHttps, MonitoringScrape, NamespaceBaseline,
} from '../src';

function show(title: string, f: (c: Chart) => void, ns?: string) {
  const app = Testing.app();
  const chart = new Chart(app, 'test', { namespace: ns });
  try {
    f(chart);
    const out = Testing.synth(chart);
    console.log(`##### ${title}\n` + Yaml.stringify(...out));
  } catch (e) { console.log(`##### ${title}\nERROR: ${(e as Error).message}\n`); }
}

show('netpol', (c) => {
  const p = new NetworkPolicy(c, 'ApiServer', {
    namespace: 'shop',
    pods: Selector.labels({ app: 'api-server' }),
    ingress: [{ peers: [Peer.pods(Selector.labels({ app: 'frontend' }))], ports: [Port.tcp(8080)] }],
  });
  console.log('add1', p.addIngressRule({ peers: [Peer.pods(Selector.labels({ app: 'frontend' }))], ports: [Port.tcp(8080)] }));
  console.log('add2', p.addEgressRule({ peers: [Peer.podsIn(NamespaceSelector.named('db'), Selector.labels({ app: 'postgres' }))], ports: [Port.tcp(5432)] }));
  p.isolate(PolicyType.INGRESS);
});
show('netpol empty', (c) => { new NetworkPolicy(c, 'Nothing'); });
show('isolate only', (c) => { new NetworkPolicy(c, 'Iso', { isolate: [PolicyType.EGRESS] }); });
show('dup', (c) => { new DefaultDeny(c, 'a', { name: 'x' }); new AllowDns(c, 'b', { name: 'x' }); }, 'shop');
show('defaultdeny', (c) => { new DefaultDeny(c, 'default-deny'); }, 'shop');
show('defaultdeny ingress only', (c) => { new DefaultDeny(c, 'DenyIngress', { egress: false }); }, 'shop');
show('defaultdeny none', (c) => { new DefaultDeny(c, 'DenyIngress', { egress: false, ingress: false }); }, 'shop');
show('allowdns', (c) => { new AllowDns(c, 'allow-dns'); }, 'shop');
show('allowdns nodelocal', (c) => { new AllowDns(c, 'AllowDns', { nodeLocalDnsAddress: '169.254.20.10' }); }, 'shop');
show('allowdns nodelocal bad', (c) => { new AllowDns(c, 'AllowDns', { nodeLocalDnsAddress: '169.254.20' }); }, 'shop');
show('allowfrom', (c) => {
  new AllowFrom(c, 'api-from-frontend', {
    pods: Selector.labels({ app: 'api-server' }),
    from: [Peer.pods(Selector.labels({ app: 'frontend' })), Peer.podsIn(NamespaceSelector.named('ingress-nginx'), Selector.labels({ 'app.kubernetes.io/name': 'ingress-nginx' }))],
    ports: [Port.tcp(8080), Port.named('grpc')],
  });
}, 'shop');
show('allowto', (c) => {
  new AllowTo(c, 'frontend-to-api', {
    pods: Selector.labels({ app: 'frontend' }),
    to: [Peer.pods(Selector.labels({ app: 'api-server' }))],
    ports: [Port.tcp(8080)],
  });
}, 'shop');
show('allowto named ipblock', (c) => {
  new AllowTo(c, 'x', { pods: Selector.all(), to: [Peer.ipBlock('203.0.113.0/24')], ports: [Port.named('https')] });
}, 'shop');
show('same ns', (c) => { new AllowSameNamespace(c, 'same-namespace'); }, 'shop');
show('same ns ingress only', (c) => { new AllowSameNamespace(c, 'SameNamespace', { egress: false, ports: [Port.tcp(8080)] }); }, 'shop');
show('exthttps', (c) => { new ExternalHttps(c, 'external-https', { pods: Selector.labels({ app: 'api-server' }) }); }, 'shop');
show('exthttps v6', (c) => { new ExternalHttps(c, 'ExternalHttps', { ipv6: true, exceptCidrs: ['198.51.100.0/24', '2001:db8::/32'] }); }, 'shop');
show('exthttps v6 off', (c) => { new ExternalHttps(c, 'ExternalHttps', { exceptCidrs: ['2001:db8::/32'] }); }, 'shop');
show('scrape', (c) => { new MonitoringScrape(c, 'scrape', { pods: Selector.labels({ app: 'payments' }), ports: [Port.tcp(9090)] }); }, 'shop');
show('baseline', (c) => { new NamespaceBaseline(c, 'baseline', { namespace: 'payments', monitoring: { ports: [Port.tcp(9090)] } }); });
show('baseline off', (c) => { new NamespaceBaseline(c, 'baseline', { allowDns: false, dns: { nodeLocalDnsAddress: '169.254.20.10' } }); });
show('baseline off2', (c) => { new NamespaceBaseline(c, 'baseline', { allowExternalHttps: false, externalHttps: { ipv6: true } }); });
show('baseline alloff', (c) => { new NamespaceBaseline(c, 'baseline', { defaultDeny: false, allowDns: false, allowSameNamespace: false, allowExternalHttps: false }); });
show('workload', (c) => {
  const api = new kplus.Deployment(c, 'Api', { containers: [{ image: 'api', portNumber: 8080 }] });
  const web = new kplus.Deployment(c, 'Web', { containers: [{ image: 'web' }] });
  new AllowFrom(c, 'api-from-web', { pods: Selector.fromWorkload(api), from: [Peer.workload(web)], ports: [Port.tcp(8080)] });
}, 'shop');

// The README's example, verbatim but for the import path (test/readme.test.ts keeps them equal).
import { App, Chart } from 'cdk8s';
import {
  AllowFrom, AllowTo, ExternalHttps, NamespaceBaseline, NamespaceSelector, Peer, Port, Selector,
} from '../../src';

const app = new App();
const chart = new Chart(app, 'production', { namespace: 'production' });

// default-deny both ways, DNS (UDP and TCP 53 to kube-dns), nothing else
new NamespaceBaseline(chart, 'baseline', { allowSameNamespace: false, allowExternalHttps: false });

const frontend = Selector.labels({ app: 'frontend' });
const api = Selector.labels({ app: 'api-server' });

// a call needs both sides: egress at the client, ingress at the server
new AllowTo(chart, 'frontend-to-api', { pods: frontend, to: [Peer.pods(api)], ports: [Port.tcp(8080)] });
new AllowFrom(chart, 'api-from-frontend', { pods: api, from: [Peer.pods(frontend)], ports: [Port.tcp(8080)] });

// ingress-nginx, in its own namespace: namespace AND pod selector in one peer
new AllowFrom(chart, 'frontend-from-ingress', {
  pods: frontend,
  from: [Peer.podsIn(NamespaceSelector.named('ingress-nginx'), Selector.labels({ 'app.kubernetes.io/name': 'ingress-nginx' }))],
  ports: [Port.tcp(8080)],
});

// HTTPS to the internet, never to 10/8, 172.16/12, 192.168/16, 169.254/16 or 100.64/10
new ExternalHttps(chart, 'api-external-https', { pods: api });

app.synth(); // dist/production.k8s.yaml: baseline-default-deny, baseline-allow-dns, frontend-to-api, ...

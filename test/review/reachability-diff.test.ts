/**
 * ReachabilityDiff: each case is a change whose effect on connectivity is easy
 * to get wrong (a change that opens less, or more, than it seems), with the
 * expected changes derived from the NetworkPolicy specification by hand.
 */
import { App, Chart, JsonPatch } from 'cdk8s';
import { buildApp } from '../../examples/production-cluster/app';
import { Analyzer, EndpointChange, ExternalHttps, FlowChange, Protocol, ReachabilityDiff } from '../../src';
import { inputError } from '../support/input-error';

type Labels = Record<string, string>;

function namespace(name: string): any {
  return { apiVersion: 'v1', kind: 'Namespace', metadata: { name } };
}

function containers(ports: number[]): any {
  return { containers: [{ name: 'main', image: 'registry.example/app:1', ports: ports.map((containerPort) => ({ containerPort })) }] };
}

function deployment(ns: string, name: string, ports: number[], labels: Labels = { app: name }): any {
  return {
    apiVersion: 'apps/v1',
    kind: 'Deployment',
    metadata: { name, namespace: ns },
    spec: { selector: { matchLabels: labels }, template: { metadata: { labels }, spec: containers(ports) } },
  };
}

function statefulSet(ns: string, name: string, ports: number[]): any {
  return { ...deployment(ns, name, ports), kind: 'StatefulSet' };
}

function pod(ns: string, name: string, ports: number[]): any {
  return { apiVersion: 'v1', kind: 'Pod', metadata: { name, namespace: ns, labels: { app: name } }, spec: containers(ports) };
}

function netpol(ns: string, name: string, spec: any): any {
  return { apiVersion: 'networking.k8s.io/v1', kind: 'NetworkPolicy', metadata: { name, namespace: ns }, spec };
}

function app(name: string): any {
  return { podSelector: { matchLabels: { app: name } } };
}

function diffOf(before: any[], after: any[]): ReachabilityDiff {
  return ReachabilityDiff.between(Analyzer.fromManifests(before), Analyzer.fromManifests(after));
}

/** A change in one line, markers included: `shop/web -> shop/api 9090/TCP`, `open/cache (added) -> open/web 80/TCP`. */
function line(c: FlowChange): string {
  const end = (name: string, change?: EndpointChange) => (change ? `${name} (${change})` : name);
  return `${end(c.from, c.fromChange)} -> ${end(c.to, c.toChange)} ${c.port}/${c.protocol}`;
}

/** The shop: web calls api on 8080; everything else in the namespace is denied both ways. */
const DENY_ALL = netpol('shop', 'deny', { podSelector: {}, policyTypes: ['Ingress', 'Egress'] });
const WEB_TO_API = netpol('shop', 'web-to-api', { ...app('web'), policyTypes: ['Egress'], egress: [{ to: [app('api')], ports: [{ port: 8080 }] }] });
const API_FROM_WEB = netpol('shop', 'api-from-web', { ...app('api'), ingress: [{ from: [app('web')], ports: [{ port: 8080 }] }] });
const SHOP = [namespace('shop'), deployment('shop', 'web', [8080]), deployment('shop', 'api', [8080, 9090])];

describe('ReachabilityDiff: what is compared', () => {
  test('identical inputs: no change, on the ports both name', () => {
    const manifests = [...SHOP, DENY_ALL, WEB_TO_API, API_FROM_WEB];
    const diff = diffOf(manifests, manifests);
    expect(diff.newlyAllowed).toEqual([]);
    expect(diff.newlyDenied).toEqual([]);
    expect(diff.hasNewlyAllowed).toBe(false);
    expect(diff.ports).toEqual([{ port: 8080, protocol: Protocol.TCP }, { port: 9090, protocol: Protocol.TCP }]);
    expect(diff.addresses).toEqual([]);
  });

  test('the ports are the union of both sides, including a port only the old side names', () => {
    const before = [namespace('shop'), deployment('shop', 'web', [8080])];
    const after = [namespace('shop'), deployment('shop', 'web', [9090]), netpol('shop', 'udp', { podSelector: {}, ingress: [{ ports: [{ port: 53, protocol: 'UDP' }] }] })];
    expect(diffOf(before, after).ports).toEqual([
      { port: 8080, protocol: Protocol.TCP },
      { port: 9090, protocol: Protocol.TCP },
      { port: 53, protocol: Protocol.UDP },
    ]);
  });

  test('the result is plain data: JSON.stringify gives the changes, the ports and the addresses only', () => {
    const diff = diffOf(SHOP, [...SHOP, DENY_ALL]);
    expect(Object.keys(JSON.parse(JSON.stringify(diff))).sort()).toEqual(['addresses', 'newlyAllowed', 'newlyDenied', 'ports']);
  });

  test('anything but two Analyzers is bad input', () => {
    const analyzer = Analyzer.fromManifests(SHOP);
    expect(inputError(() => ReachabilityDiff.between(analyzer, SHOP as any)).message).toBe(
      'ReachabilityDiff.between expects two Analyzers: the manifests before the change and after it.',
    );
  });
});

describe('ReachabilityDiff: changes to policies', () => {
  test('widening a port range opens exactly the newly covered port, for the peer of that rule only', () => {
    const range = (endPort: number) => netpol('shop', 'api-from-web', { ...app('api'), ingress: [{ from: [app('web')], ports: [{ port: 8000, endPort }] }] });
    const diff = diffOf([...SHOP, range(8080)], [...SHOP, range(9090)]);
    // web is not isolated for egress; only ingress to api changes, and only for web, only on 9090.
    expect(diff.newlyAllowed.map(line)).toEqual(['shop/web -> shop/api 9090/TCP']);
    expect(diff.newlyDenied).toEqual([]);
    expect(diff.hasNewlyAllowed).toBe(true);
    expect(diff.ports.map((p) => p.port)).toEqual([8000, 8080, 9090]);
    expect(diff.newlyAllowed[0].why).toBe(
      'Egress from shop/web is not isolated: no NetworkPolicy selecting it has Egress in its policyTypes. '
      + 'Ingress to shop/api is allowed by shop/api-from-web spec.ingress[0] (peer: pods app=web in namespace shop; port: TCP 8000-9090).',
    );
  });

  test('removing a default-deny opens only what no other policy still isolates', () => {
    // web stays egress-isolated by web-to-api and api ingress-isolated by api-from-web:
    // only api -> web (api's egress and web's ingress were isolated by the deny alone) opens.
    const diff = diffOf([...SHOP, DENY_ALL, WEB_TO_API, API_FROM_WEB], [...SHOP, WEB_TO_API, API_FROM_WEB]);
    expect(diff.newlyAllowed.map(line)).toEqual(['shop/api -> shop/web 8080/TCP', 'shop/api -> shop/web 9090/TCP']);
    expect(diff.newlyDenied).toEqual([]);
  });

  test('adding a default-deny: newly denied, with the new side\'s reason naming the deny', () => {
    const diff = diffOf([...SHOP, WEB_TO_API, API_FROM_WEB], [...SHOP, DENY_ALL, WEB_TO_API, API_FROM_WEB]);
    expect(diff.newlyAllowed).toEqual([]);
    expect(diff.hasNewlyAllowed).toBe(false);
    expect(diff.newlyDenied.map(line)).toEqual(['shop/api -> shop/web 8080/TCP', 'shop/api -> shop/web 9090/TCP']);
    expect(diff.newlyDenied[0].why).toBe(
      'Egress from shop/api is denied: it is isolated by shop/deny and no rule matches (shop/deny has no egress rules (it denies)). '
      + 'Ingress to shop/web is denied: it is isolated by shop/deny and no rule matches (shop/deny has no ingress rules (it denies)).',
    );
  });

  test('widening an ingress peer changes nothing when the clients are still denied egress', () => {
    const apiFrom = (from: any[]) => netpol('shop', 'api-from-web', { ...app('api'), ingress: [{ from, ports: [{ port: 8080 }] }] });
    // The new peer admits every pod of shop, but the deny isolates their egress and allows web -> api only.
    const diff = diffOf([...SHOP, DENY_ALL, WEB_TO_API, apiFrom([app('web')])], [...SHOP, DENY_ALL, WEB_TO_API, apiFrom([{ podSelector: {} }])]);
    expect(diff.newlyAllowed).toEqual([]);
    expect(diff.newlyDenied).toEqual([]);
  });

  test('dropping an except opens the first address of that range, and nothing else', () => {
    const external = (except: string[]) => netpol('shop', 'web-external', {
      ...app('web'), policyTypes: ['Egress'], egress: [{ to: [{ ipBlock: { cidr: '0.0.0.0/0', except } }], ports: [{ port: 443 }] }],
    });
    const diff = diffOf([...SHOP, external(['10.0.0.0/8', '169.254.0.0/16'])], [...SHOP, external(['10.0.0.0/8'])]);
    expect(diff.addresses).toEqual(['ip:0.0.0.0', 'ip:10.0.0.0', 'ip:169.254.0.0']);
    expect(diff.newlyAllowed.map(line)).toEqual(['shop/web -> ip:169.254.0.0 443/TCP']);
    expect(diff.newlyDenied).toEqual([]);
    expect(diff.newlyAllowed[0].why).toContain('Egress from shop/web is allowed by shop/web-external spec.egress[0] (peer: ipBlock 0.0.0.0/0 except 10.0.0.0/8; port: TCP 443).');
  });

  test('widening an ingress cidr opens the new block as a client, IPv6 included', () => {
    const from = (cidr: string) => netpol('shop', 'api-from-partners', { ...app('api'), ingress: [{ from: [{ ipBlock: { cidr } }, { ipBlock: { cidr: '2001:db8::/32' } }], ports: [{ port: 8080 }] }] });
    const diff = diffOf([...SHOP, from('203.0.113.0/24')], [...SHOP, from('203.0.112.0/23')]);
    expect(diff.addresses).toEqual(['ip:203.0.112.0', 'ip:203.0.113.0', 'ip:2001:db8::']);
    expect(diff.newlyAllowed.map(line)).toEqual(['ip:203.0.112.0 -> shop/api 8080/TCP']);
    expect(diff.newlyDenied).toEqual([]);
  });
});

describe('ReachabilityDiff: workloads on one side only', () => {
  const OPEN = [namespace('open'), deployment('open', 'web', [80])];

  test('an added workload: every flow it opens or accepts is newly allowed and marked, on every port of either side', () => {
    const diff = diffOf(OPEN, [...OPEN, deployment('open', 'cache', [6379])]);
    // No policy: everything is allowed after. web -> web on 6379 was allowed before too (no port is special).
    expect(diff.newlyAllowed.map(line)).toEqual([
      'open/cache (added) -> open/cache (added) 80/TCP',
      'open/cache (added) -> open/web 80/TCP',
      'open/web -> open/cache (added) 80/TCP',
      'open/cache (added) -> open/cache (added) 6379/TCP',
      'open/cache (added) -> open/web 6379/TCP',
      'open/web -> open/cache (added) 6379/TCP',
    ]);
    expect(diff.newlyDenied).toEqual([]);
    expect(diff.newlyAllowed[1]).toEqual({
      from: 'open/cache',
      to: 'open/web',
      port: 80,
      protocol: Protocol.TCP,
      why: 'Egress from open/cache is not isolated: no NetworkPolicy selecting it has Egress in its policyTypes. '
        + 'Ingress to open/web is not isolated: no NetworkPolicy selecting it has Ingress in its policyTypes.',
      fromChange: EndpointChange.ADDED,
    });
  });

  test('a removed Pod: its flows are newly denied and marked; its loopback is not a change', () => {
    const diff = diffOf([...OPEN, pod('open', 'db', [5432])], OPEN);
    expect(diff.newlyAllowed).toEqual([]);
    expect(diff.newlyDenied.map(line)).toEqual([
      'open/db (removed) -> open/web 80/TCP',
      'open/web -> open/db (removed) 80/TCP',
      'open/db (removed) -> open/web 5432/TCP',
      'open/web -> open/db (removed) 5432/TCP',
    ]);
    expect(diff.newlyDenied[0].why).toBe('open/db is not in the new manifests.');
  });

  test('an added workload that policies isolate: only what they allow is newly allowed', () => {
    const before = [...SHOP, DENY_ALL, WEB_TO_API, API_FROM_WEB];
    // A second client, selected by the deny: it can reach nothing, and web cannot reach it.
    const diff = diffOf(before, [...before, deployment('shop', 'batch', [7000])]);
    expect(diff.newlyAllowed).toEqual([]);
    expect(diff.newlyDenied).toEqual([]);
    expect(diff.ports.map((p) => p.port)).toEqual([7000, 8080, 9090]);
  });

  test('workloads are matched by kind too: a Deployment turned StatefulSet is removed and added, named by id', () => {
    const diff = diffOf([namespace('open'), deployment('open', 'web', [80])], [namespace('open'), statefulSet('open', 'web', [80])]);
    expect(diff.newlyAllowed.map(line)).toEqual(['open/statefulset/web (added) -> open/statefulset/web (added) 80/TCP']);
    expect(diff.newlyDenied.map(line)).toEqual(['open/deployment/web (removed) -> open/deployment/web (removed) 80/TCP']);
  });
});

describe('ReachabilityDiff: the production-cluster example with one mistake', () => {
  /**
   * The mistake: the api-server's external HTTPS policy with its except list
   * written by hand, forgetting link-local 169.254.0.0/16, where the cloud
   * metadata endpoint (169.254.169.254) hands out credentials.
   */
  function withoutLinkLocal(checks = false): App {
    // The synth-time checks would stop this mistake (see below): switch them off to get the YAML a reviewer would see.
    const mistaken = buildApp({}, { checks });
    const production = mistaken.charts.find((c: Chart) => c.node.id === 'production')!;
    const external = production.node.findChild('api-server-external-https') as ExternalHttps;
    const except: string[] = external.policy.apiObject.toJson().spec.egress[0].to[0].ipBlock.except;
    expect(except).toEqual(ExternalHttps.NON_PUBLIC_IPV4);
    external.policy.apiObject.addJsonPatch(JsonPatch.replace('/spec/egress/0/to/0/ipBlock/except', except.filter((c) => c !== '169.254.0.0/16')));
    return mistaken;
  }

  test('exactly the flow the mistake opens is newly allowed: the api-server to link-local on 443; nothing is newly denied', () => {
    const diff = ReachabilityDiff.between(Analyzer.fromApp(buildApp()), Analyzer.fromApp(withoutLinkLocal()));
    expect(diff.newlyAllowed).toEqual([{
      from: 'production/api-server',
      to: 'ip:169.254.0.0',
      port: 443,
      protocol: Protocol.TCP,
      why: 'Egress from production/api-server is allowed by production/api-server-external-https spec.egress[0] '
        + '(peer: ipBlock 0.0.0.0/0 except 10.0.0.0/8, 172.16.0.0/12, 192.168.0.0/16, 100.64.0.0/10; port: TCP 443). '
        + 'Ingress to ip:169.254.0.0 is not restricted: ip:169.254.0.0 is outside the cluster, where no NetworkPolicy applies.',
    }]);
    expect(diff.newlyDenied).toEqual([]);
    expect(diff.addresses).toEqual(['ip:0.0.0.0', 'ip:10.0.0.0', 'ip:100.64.0.0', 'ip:169.254.0.0', 'ip:172.16.0.0', 'ip:192.168.0.0']);
    expect(diff.ports.map((p) => `${p.port}/${p.protocol}`)).toEqual(['53/TCP', '80/TCP', '443/TCP', '5432/TCP', '8080/TCP', '8443/TCP', '9090/TCP', '53/UDP']);
  });

  test('with the synth-time checks on, the same mistake fails the synthesis before any review', () => {
    expect(() => Analyzer.fromApp(withoutLinkLocal(true))).toThrow(/\[metadata-endpoint-reachable\] NetworkPolicy production\/api-server-external-https/);
  });

  test('the example against itself: no change', () => {
    const diff = ReachabilityDiff.between(Analyzer.fromApp(buildApp()), Analyzer.fromApp(buildApp()));
    expect([diff.newlyAllowed, diff.newlyDenied]).toEqual([[], []]);
  });
});

/**
 * ReachabilityDiff: each case is a change whose effect on connectivity is easy
 * to get wrong (a change that opens less, or more, than it seems), with the
 * expected changes derived from the NetworkPolicy specification by hand.
 */
import { App, Chart, JsonPatch } from 'cdk8s';
import { buildApp } from '../../examples/production-cluster/app';
import { Analyzer, ConnectionChange, ConnectionSet, EndpointChange, ExternalHttps, Protocol, ReachabilityDiff } from '../../src';
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

/** A change in one line, markers included: `shop/web -> shop/api: TCP 8080-9090 (was TCP 8080)`. */
function line(c: ConnectionChange): string {
  const end = (name: string, change?: EndpointChange) => (change ? `${name} (${change})` : name);
  return `${end(c.from, c.fromChange)} -> ${end(c.to, c.toChange)}: ${c.after} (was ${c.before})`;
}

const IPV4 = 'ip:0.0.0.0-255.255.255.255';
// IPv6 in two ranges around the IPv4-mapped block ::ffff:0:0/96, whose addresses are the IPv4 ones.
const IPV6_LOW = 'ip:::-::fffe:ffff:ffff';
const IPV6_HIGH = 'ip:::1:0:0:0-ffff:ffff:ffff:ffff:ffff:ffff:ffff:ffff';

/** The shop: web calls api on 8080; everything else in the namespace is denied both ways. */
const DENY_ALL = netpol('shop', 'deny', { podSelector: {}, policyTypes: ['Ingress', 'Egress'] });
const WEB_TO_API = netpol('shop', 'web-to-api', { ...app('web'), policyTypes: ['Egress'], egress: [{ to: [app('api')], ports: [{ port: 8080 }] }] });
const API_FROM_WEB = netpol('shop', 'api-from-web', { ...app('api'), ingress: [{ from: [app('web')], ports: [{ port: 8080 }] }] });
const SHOP = [namespace('shop'), deployment('shop', 'web', [8080]), deployment('shop', 'api', [8080, 9090])];

describe('ReachabilityDiff: what is compared', () => {
  test('identical inputs: no change; every pod and workload, and the address space in as many ranges as ipBlocks split it', () => {
    const manifests = [...SHOP, DENY_ALL, WEB_TO_API, API_FROM_WEB];
    const diff = diffOf(manifests, manifests);
    expect(diff.changes).toEqual([]);
    expect(diff.hasNewlyAllowed).toBe(false);
    expect(diff.summary).toEqual({ pairsNewlyAllowed: 0, pairsNewlyDenied: 0 });
    expect(diff.endpointsCompared).toBe(2);
    // No ipBlock: IPv4 is one range, IPv6 two, around the IPv4-mapped block (whose addresses are IPv4's).
    expect(diff.addressRangesCompared).toBe(3);
  });

  test('the JSON form is the contract CI tools parse', () => {
    const before = [...SHOP, DENY_ALL, WEB_TO_API, API_FROM_WEB];
    const after = [...SHOP, DENY_ALL, WEB_TO_API, netpol('shop', 'api-from-web', { ...app('api'), ingress: [{ from: [app('web')], ports: [{ port: 8080 }, { port: 8443 }] }] })];
    const json = diffOf(before, after).toJson();
    // web may open only 8080 to api (its egress), so the wider ingress opens nothing.
    expect(json).toEqual({ changes: [], summary: { pairsNewlyAllowed: 0, pairsNewlyDenied: 0 } });
    const opened = diffOf(SHOP, [...SHOP, DENY_ALL]).toJson();
    expect(Object.keys(opened)).toEqual(['changes', 'summary']);
    expect(Object.keys(opened.changes[0])).toEqual(['from', 'to', 'before', 'after', 'newlyAllowed', 'newlyDenied', 'why']);
    expect(opened.changes[0]).toMatchObject({ from: 'shop/api', to: 'shop/api', before: ALL_JSON, after: {}, newlyAllowed: {}, newlyDenied: ALL_JSON });
  });

  test('anything but two Analyzers is bad input', () => {
    const analyzer = Analyzer.fromManifests(SHOP);
    expect(inputError(() => ReachabilityDiff.between(analyzer, SHOP as any)).message).toBe(
      'ReachabilityDiff.between expects two Analyzers: the manifests before the change and after it.',
    );
  });
});

const ALL_JSON = { TCP: [[1, 65535]], UDP: [[1, 65535]], SCTP: [[1, 65535]] };

describe('ReachabilityDiff: changes to policies', () => {
  test('widening a port range by one port opens exactly that port, for the peer of that rule only', () => {
    const range = (endPort: number) => netpol('shop', 'api-from-web', { ...app('api'), ingress: [{ from: [app('web')], ports: [{ port: 8000, endPort }] }] });
    const diff = diffOf([...SHOP, range(8080)], [...SHOP, range(8081)]);
    // web is not isolated for egress; only ingress to api changes, and only for web, only on 8081.
    expect(diff.changes.map(line)).toEqual(['shop/web -> shop/api: TCP 8000-8081 (was TCP 8000-8080)']);
    expect(diff.changes[0].newlyAllowed.toString()).toBe('TCP 8081');
    expect(diff.changes[0].newlyDenied.isEmpty).toBe(true);
    expect(diff.changes[0].why).toBe(
      'Egress: not isolated (no NetworkPolicy selects it for Egress). Ingress: allowed by shop/api-from-web spec.ingress[0] (TCP 8000-8081).',
    );
  });

  test('a port nobody names: all connections narrowed to TCP 9080 is newly denied everywhere else', () => {
    const ports = (list?: any[]) => netpol('shop', 'api-from-web', { ...app('api'), ingress: [{ from: [app('web')], ...(list ? { ports: list } : {}) }] });
    const diff = diffOf([...SHOP, ports()], [...SHOP, ports([{ port: 9080 }])]);
    expect(diff.changes.map(line)).toEqual(['shop/web -> shop/api: TCP 9080 (was all connections)']);
    expect(diff.changes[0].newlyDenied.toString()).toBe('TCP 1-9079, 9081-65535, all UDP, all SCTP');
    expect(diff.hasNewlyAllowed).toBe(false);
    // ...and the reverse opens every other port, which a sampled diff on the named ports would not see.
    const reverse = diffOf([...SHOP, ports([{ port: 9080 }])], [...SHOP, ports()]);
    expect(reverse.newlyAllowed.map((c) => `${c.from} -> ${c.to}: +${c.newlyAllowed}`)).toEqual(['shop/web -> shop/api: +TCP 1-9079, 9081-65535, all UDP, all SCTP']);
  });

  test('removing a default-deny opens what no other policy still isolates, outside the cluster included', () => {
    // web stays egress-isolated by web-to-api and api ingress-isolated by api-from-web: api's egress and
    // web's ingress were isolated by the deny alone, so api -> web opens, and so do api -> anywhere and anywhere -> web.
    const diff = diffOf([...SHOP, DENY_ALL, WEB_TO_API, API_FROM_WEB], [...SHOP, WEB_TO_API, API_FROM_WEB]);
    expect(diff.changes.map(line)).toEqual([
      'shop/api -> shop/web: all connections (was nothing)',
      `shop/api -> ${IPV4}: all connections (was nothing)`,
      `shop/api -> ${IPV6_LOW}: all connections (was nothing)`,
      `shop/api -> ${IPV6_HIGH}: all connections (was nothing)`,
      `${IPV4} -> shop/web: all connections (was nothing)`,
      `${IPV6_LOW} -> shop/web: all connections (was nothing)`,
      `${IPV6_HIGH} -> shop/web: all connections (was nothing)`,
    ]);
    expect(diff.summary).toEqual({ pairsNewlyAllowed: 7, pairsNewlyDenied: 0 });
  });

  test('adding a default-deny: newly denied, with the new side\'s reason naming the deny', () => {
    const diff = diffOf([...SHOP, WEB_TO_API, API_FROM_WEB], [...SHOP, DENY_ALL, WEB_TO_API, API_FROM_WEB]);
    expect(diff.hasNewlyAllowed).toBe(false);
    expect(diff.newlyDenied.map(line)).toEqual([
      'shop/api -> shop/web: nothing (was all connections)',
      `shop/api -> ${IPV4}: nothing (was all connections)`,
      `shop/api -> ${IPV6_LOW}: nothing (was all connections)`,
      `shop/api -> ${IPV6_HIGH}: nothing (was all connections)`,
      `${IPV4} -> shop/web: nothing (was all connections)`,
      `${IPV6_LOW} -> shop/web: nothing (was all connections)`,
      `${IPV6_HIGH} -> shop/web: nothing (was all connections)`,
    ]);
    expect(diff.newlyDenied[0].why).toBe('Egress: isolated by shop/deny, and no rule matches. Ingress: isolated by shop/deny, and no rule matches.');
  });

  test('widening an ingress peer changes nothing when the clients are still denied egress', () => {
    const apiFrom = (from: any[]) => netpol('shop', 'api-from-web', { ...app('api'), ingress: [{ from, ports: [{ port: 8080 }] }] });
    // The new peer admits every pod of shop, but the deny isolates their egress and allows web -> api only.
    const diff = diffOf([...SHOP, DENY_ALL, WEB_TO_API, apiFrom([app('web')])], [...SHOP, DENY_ALL, WEB_TO_API, apiFrom([{ podSelector: {} }])]);
    expect(diff.changes).toEqual([]);
  });

  const external = (cidr: string, except: string[]) => netpol('shop', 'web-external', {
    ...app('web'), policyTypes: ['Egress'], egress: [{ to: [{ ipBlock: { cidr, except } }], ports: [{ port: 443 }] }],
  });

  test('dropping an except opens that whole range, and nothing else', () => {
    const diff = diffOf([...SHOP, external('0.0.0.0/0', ['10.0.0.0/8', '169.254.0.0/16'])], [...SHOP, external('0.0.0.0/0', ['10.0.0.0/8'])]);
    expect(diff.changes.map(line)).toEqual(['shop/web -> ip:169.254.0.0-169.254.255.255: TCP 443 (was nothing)']);
    expect(diff.changes[0].why).toBe(
      'Egress: allowed by shop/web-external spec.egress[0] (TCP 443). Ingress: not restricted (outside the cluster).',
    );
  });

  test('narrowing 0.0.0.0/0 to 0.0.0.0/1 newly denies 128.0.0.0/1', () => {
    const diff = diffOf([...SHOP, external('0.0.0.0/0', [])], [...SHOP, external('0.0.0.0/1', [])]);
    expect(diff.changes.map(line)).toEqual(['shop/web -> ip:128.0.0.0-255.255.255.255: nothing (was TCP 443)']);
    expect(diff.hasNewlyAllowed).toBe(false);
    expect(diff.changes[0].why).toBe('Egress: isolated by shop/web-external, and no rule matches. Ingress: not restricted (outside the cluster).');
  });

  test('widening an ingress cidr opens the new block as a client, and only it', () => {
    const from = (cidr: string) => netpol('shop', 'api-from-partners', { ...app('api'), ingress: [{ from: [{ ipBlock: { cidr } }, { ipBlock: { cidr: '2001:db8::/32' } }], ports: [{ port: 8080 }] }] });
    const diff = diffOf([...SHOP, from('203.0.113.0/24')], [...SHOP, from('203.0.112.0/23')]);
    expect(diff.changes.map(line)).toEqual(['ip:203.0.112.0-203.0.112.255 -> shop/api: TCP 8080 (was nothing)']);
  });
});

describe('ReachabilityDiff: workloads on one side only', () => {
  const OPEN = [namespace('open'), deployment('open', 'web', [80])];

  test('an added workload: every connection it opens or accepts is newly allowed and marked, outside the cluster too', () => {
    const diff = diffOf(OPEN, [...OPEN, deployment('open', 'cache', [6379])]);
    // No policy: everything is allowed after, on every port, to and from every address.
    expect(diff.changes.map(line)).toEqual([
      'open/cache (added) -> open/cache (added): all connections (was nothing)',
      'open/cache (added) -> open/web: all connections (was nothing)',
      `open/cache (added) -> ${IPV4}: all connections (was nothing)`,
      `open/cache (added) -> ${IPV6_LOW}: all connections (was nothing)`,
      `open/cache (added) -> ${IPV6_HIGH}: all connections (was nothing)`,
      'open/web -> open/cache (added): all connections (was nothing)',
      `${IPV4} -> open/cache (added): all connections (was nothing)`,
      `${IPV6_LOW} -> open/cache (added): all connections (was nothing)`,
      `${IPV6_HIGH} -> open/cache (added): all connections (was nothing)`,
    ]);
    expect(diff.changes[1]).toEqual({
      from: 'open/cache',
      to: 'open/web',
      before: ConnectionSet.none(),
      after: ConnectionSet.all(),
      newlyAllowed: ConnectionSet.all(),
      newlyDenied: ConnectionSet.none(),
      why: 'Egress: not isolated (no NetworkPolicy selects it for Egress). Ingress: not isolated (no NetworkPolicy selects it for Ingress).',
      fromChange: EndpointChange.ADDED,
    });
  });

  test('a removed Pod: its connections are newly denied and marked; its loopback is not a change', () => {
    const diff = diffOf([...OPEN, pod('open', 'db', [5432])], OPEN);
    expect(diff.hasNewlyAllowed).toBe(false);
    expect(diff.changes.map(line)).toEqual([
      'open/db (removed) -> open/web: nothing (was all connections)',
      `open/db (removed) -> ${IPV4}: nothing (was all connections)`,
      `open/db (removed) -> ${IPV6_LOW}: nothing (was all connections)`,
      `open/db (removed) -> ${IPV6_HIGH}: nothing (was all connections)`,
      'open/web -> open/db (removed): nothing (was all connections)',
      `${IPV4} -> open/db (removed): nothing (was all connections)`,
      `${IPV6_LOW} -> open/db (removed): nothing (was all connections)`,
      `${IPV6_HIGH} -> open/db (removed): nothing (was all connections)`,
    ]);
    expect(diff.changes.map((c) => c.why)).toEqual(Array(8).fill('open/db is not in the new manifests.'));
  });

  test('an added workload that policies isolate: only what they allow is newly allowed', () => {
    const before = [...SHOP, DENY_ALL, WEB_TO_API, API_FROM_WEB];
    // A second client, selected by the deny: it can reach nothing, and nothing can reach it.
    const diff = diffOf(before, [...before, deployment('shop', 'batch', [7000])]);
    expect(diff.changes).toEqual([]);
    expect(diff.endpointsCompared).toBe(3);
  });

  test('an added workload reachable from outside on one port', () => {
    const before = [...SHOP, DENY_ALL];
    const ingress = netpol('shop', 'admin-from-office', { ...app('admin'), ingress: [{ from: [{ ipBlock: { cidr: '198.51.100.0/24' } }], ports: [{ port: 'https' }] }] });
    const admin = deployment('shop', 'admin', [8443]);
    admin.spec.template.spec.containers[0].ports[0].name = 'https';
    const diff = diffOf(before, [...before, admin, ingress]);
    // The named port resolves against admin's container: TCP 8443.
    expect(diff.changes.map(line)).toEqual(['ip:198.51.100.0-198.51.100.255 -> shop/admin (added): TCP 8443 (was nothing)']);
  });

  test('workloads are matched by kind too: a Deployment turned StatefulSet is removed and added, named by id', () => {
    const diff = diffOf([namespace('open'), deployment('open', 'web', [80])], [namespace('open'), statefulSet('open', 'web', [80])]);
    expect(diff.newlyAllowed.map(line)).toEqual([
      'open/statefulset/web (added) -> open/statefulset/web (added): all connections (was nothing)',
      `open/statefulset/web (added) -> ${IPV4}: all connections (was nothing)`,
      `open/statefulset/web (added) -> ${IPV6_LOW}: all connections (was nothing)`,
      `open/statefulset/web (added) -> ${IPV6_HIGH}: all connections (was nothing)`,
      `${IPV4} -> open/statefulset/web (added): all connections (was nothing)`,
      `${IPV6_LOW} -> open/statefulset/web (added): all connections (was nothing)`,
      `${IPV6_HIGH} -> open/statefulset/web (added): all connections (was nothing)`,
    ]);
    expect(diff.newlyDenied.map((c) => `${c.from} -> ${c.to}`)).toEqual([
      'open/deployment/web -> open/deployment/web',
      `open/deployment/web -> ${IPV4}`,
      `open/deployment/web -> ${IPV6_LOW}`,
      `open/deployment/web -> ${IPV6_HIGH}`,
      `${IPV4} -> open/deployment/web`,
      `${IPV6_LOW} -> open/deployment/web`,
      `${IPV6_HIGH} -> open/deployment/web`,
    ]);
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

  test('exactly what the mistake opens is newly allowed: the api-server to all of link-local on 443; nothing is newly denied', () => {
    const diff = ReachabilityDiff.between(Analyzer.fromApp(buildApp()), Analyzer.fromApp(withoutLinkLocal()));
    expect(diff.changes).toEqual([{
      from: 'production/api-server',
      to: 'ip:169.254.0.0-169.254.255.255',
      before: ConnectionSet.none(),
      after: ConnectionSet.ports(Protocol.TCP, 443),
      newlyAllowed: ConnectionSet.ports(Protocol.TCP, 443),
      newlyDenied: ConnectionSet.none(),
      why: 'Egress: allowed by production/api-server-external-https spec.egress[0] (TCP 443). Ingress: not restricted (outside the cluster).',
    }]);
  });

  test('with the synth-time checks on, the same mistake fails the synthesis before any review', () => {
    expect(() => Analyzer.fromApp(withoutLinkLocal(true))).toThrow(/\[metadata-endpoint-reachable\] NetworkPolicy production\/api-server-external-https/);
  });

  test('the example against itself: no change', () => {
    const diff = ReachabilityDiff.between(Analyzer.fromApp(buildApp()), Analyzer.fromApp(buildApp()));
    expect(diff.changes).toEqual([]);
  });
});

import { App, Chart } from 'cdk8s';
import { Construct } from 'constructs';
import { formatExpectationsFile } from '../analysis/expectations-file';
import { Expectation } from '../analysis/verification';
import { kebab, policyNameFor } from '../internal/naming';
import { NetworkPolicy } from '../network-policy';
import { Peer } from '../peer';
import { workloadObject } from '../workload';
import { addNewPorts, assertNamedPortsExist, assertNoMootHttp, assertPorts, sameService, uniquePorts } from './graph-declaration-checks';
import { GraphDeclarations, graphExpectations } from './graph-expectations';
import { GraphService, GraphServiceProps } from './graph-service';
import { standInsFor } from './graph-stand-ins';
import { verifyGraph } from './graph-verification';
import { GraphVerificationReport } from './graph-verification-report';
import { overlapOf, SelectorAndPods } from './selector-overlap';
import { CiliumDependency, ExternalCall, ServiceCall } from './service-call';
import { Analyzer } from '../analysis/analyzer';
import { CiliumEntity } from '../cilium/cilium-entity';
import { HttpRule } from '../cilium/http-rule';
import { nodeLocalDnsCidr } from '../internal/node-local-dns';
import { checkProps, childPath } from '../internal/props';
import { AllowDns, AllowDnsOptions } from '../policies/allow-dns';
import { DefaultDeny } from '../policies/default-deny';
import { ExternalHttps, ExternalHttpsOptions } from '../policies/external-https';
import { Port } from '../port';
import { Selector } from '../selector';
import { PolicyTarget } from '../target/policy-target';
import { parseCidr } from '../validation/cidr';
import { assertNamespaceName, dnsSubdomainProblem } from '../validation/labels';

/**
 * Properties of a `ServiceGraph`.
 */
export interface ServiceGraphProps {
  /**
   * The namespaces whose traffic the graph owns. Each gets a default-deny in
   * both directions (and DNS), and the graph writes the policies of its
   * services' calls there. In any other namespace it writes nothing: a call to
   * or from a service there gets its policy on the owned side only.
   * @default - the Chart's namespace
   */
  readonly namespaces?: string[];

  /**
   * Allow DNS (UDP and TCP 53 to kube-dns) to every pod of the owned namespaces.
   * @default true
   */
  readonly allowDns?: boolean;

  /**
   * Where DNS is served.
   * @default - kube-dns in kube-system
   */
  readonly dns?: AllowDnsOptions;

  /**
   * The name of the workload that serves DNS, as expectations name it
   * (`<dns namespace>/<name>`): `coredns` in kubeadm, EKS, AKS and most
   * distributions, `kube-dns` in GKE.
   * @default 'coredns'
   */
  readonly dnsWorkloadName?: string;

  /**
   * The metrics scraper that `allowScrape()` lets in, declared as a service named after it.
   * @default - the service `prometheus`: pods `app.kubernetes.io/name: prometheus` in namespace `monitoring`
   */
  readonly scraper?: GraphServiceProps;

  /**
   * Labels for every policy the graph writes.
   * @default - none
   */
  readonly labels?: { [key: string]: string };

  /**
   * Annotations for every policy the graph writes.
   * @default - none
   */
  readonly annotations?: { [key: string]: string };
}

/** A call's two policies: egress at the client, ingress at the server (each only in an owned namespace). */
interface CallPolicies {
  readonly call: ServiceCall;
  readonly egress?: NetworkPolicy;
  readonly ingress?: NetworkPolicy;
}

/**
 * Declare who talks to whom; get the minimal policies on both sides.
 *
 * With egress denied by default, every call needs two policies: egress at the
 * client and ingress at the server. Declare the services and their calls, and
 * the graph writes both, across namespaces, plus a default-deny and DNS for
 * each namespace it owns. `expectations()` states what the result must allow
 * and deny, and `verify()` proves it with the analyzer.
 *
 * Policy names read as the calls: `<graph>-frontend-to-api` (egress, in the
 * frontend's namespace) and `<graph>-api-from-frontend` (ingress, in the api's).
 * Service ids feed the names: renaming a service renames its policies.
 *
 * @example
 * const graph = new ServiceGraph(chart, 'shop', { namespaces: ['shop'] });
 * const frontend = graph.addService('frontend', { workload: frontendDeployment });
 * const api = graph.addService('api', { pods: Selector.labels({ app: 'api' }) });
 * graph.allow(frontend, api, Port.tcp(8080));
 * graph.allowExternalHttps(api);
 * graph.allowScrape(api, Port.tcp(9090));
 */
export class ServiceGraph extends Construct {
  /** The owned namespaces, in the order given. */
  private readonly owned: ReadonlySet<string>;

  private readonly prefix: string;
  private readonly props: ServiceGraphProps;
  private readonly serviceList: GraphService[] = [];
  private readonly servicesByEndpoint = new Map<string, GraphService>();
  /** By the word their id gives policy names, so that two ids never name policies alike. */
  private readonly servicesByWord = new Map<string, GraphService>();
  /** Each namespace's services with what they select (pod labels read once, when declared), for the overlap check. */
  private readonly selectorsByNamespace = new Map<string, Array<SelectorAndPods & { readonly service: GraphService }>>();
  private readonly callPolicies = new Map<string, CallPolicies>();
  /** By client and CIDR (or `internet`); `options` describes allowExternalHttps()'s options, to refuse other ones later. */
  private readonly externals = new Map<string, { readonly call: ExternalCall; readonly policy: NetworkPolicy; readonly options?: string }>();
  private scraperService?: GraphService;
  /** Cilium-only dependencies (DNS names, the API server), by client, kind and target. */
  private readonly dependencies = new Map<string, { readonly dependency: CiliumDependency; readonly policy: NetworkPolicy }>();
  /** The policies the graph writes, as `<namespace>/<name>`, with the declaration that writes each. */
  private readonly policyNames = new Map<string, string>();

  /**
   * @param scope the parent construct (a Chart or a construct inside one)
   * @param id the construct id; it prefixes the names of the graph's policies
   * @param props the ServiceGraphProps
   */
  constructor(scope: Construct, id: string, props: ServiceGraphProps = {}) {
    checkProps(childPath(scope, id), 'ServiceGraph', props);
    super(scope, id);
    this.props = props;
    const namespaces = props.namespaces ?? (Chart.of(this).namespace !== undefined ? [Chart.of(this).namespace!] : undefined);
    if (!namespaces || namespaces.length === 0) {
      throw new Error(`${this.node.path}: say which namespaces the graph owns: set \`namespaces\`, or the Chart's namespace.`);
    }
    for (const namespace of namespaces) {
      assertNamespaceName(namespace, `${this.node.path} (namespaces)`);
    }
    this.owned = new Set(namespaces);
    const allowDns = props.allowDns ?? true;
    if (!allowDns && props.dns) {
      throw new Error(`${this.node.path}: \`dns\` options are given but allowDns is false; remove one of them.`);
    }
    if (props.dnsWorkloadName !== undefined) {
      const problem = dnsSubdomainProblem(props.dnsWorkloadName);
      if (!allowDns) {
        throw new Error(`${this.node.path}: \`dnsWorkloadName\` is given but allowDns is false; remove one of them.`);
      }
      if (problem) {
        throw new Error(`${this.node.path}: invalid dnsWorkloadName "${props.dnsWorkloadName}": it ${problem}.`);
      }
    }
    this.prefix = policyNameFor(scope, this.node.id);
    for (const namespace of this.owned) {
      this.claimNames('the graph', [
        { namespace, name: `${this.prefix}-default-deny` },
        ...(allowDns ? [{ namespace, name: `${this.prefix}-allow-dns` }] : []),
      ]);
      const scopeOfNamespace = new Construct(this, `Namespace-${namespace}`);
      new DefaultDeny(scopeOfNamespace, 'DefaultDeny', { ...this.metadata(namespace), name: `${this.prefix}-default-deny` });
      if (allowDns) {
        new AllowDns(scopeOfNamespace, 'AllowDns', { ...this.metadata(namespace), ...props.dns, name: `${this.prefix}-allow-dns` });
      }
    }
  }

  /** The namespaces the graph owns. */
  public get namespaces(): string[] {
    return [...this.owned];
  }

  /** The services declared so far, in order. */
  public get services(): GraphService[] {
    return [...this.serviceList];
  }

  /** The calls declared so far, in order. */
  public get calls(): ServiceCall[] {
    return [...this.callPolicies.values()].map((c) => ({
      ...c.call,
      ports: [...c.call.ports],
      http: c.call.http!.length ? [...c.call.http!] : undefined,
      httpPorts: c.call.httpPorts!.length ? [...c.call.httpPorts!] : undefined,
    }));
  }

  /** The Cilium-only dependencies declared so far (DNS names, the API server), in order. */
  public get ciliumDependencies(): CiliumDependency[] {
    return [...this.dependencies.values()].map((d) => ({ ...d.dependency, ports: [...d.dependency.ports] }));
  }

  /** The external dependencies declared so far, in order. */
  public get externalCalls(): ExternalCall[] {
    return [...this.externals.values()].map((e) => ({ ...e.call, cidrs: [...e.call.cidrs], except: [...e.call.except], ports: [...e.call.ports] }));
  }

  /**
   * The metrics scraper, once `allowScrape()` has declared it (undefined before).
   */
  public get scraper(): GraphService | undefined {
    return this.scraperService;
  }

  /**
   * Declares a service: a workload (of any cdk8s-plus, an ApiObject, an Include), or pods by label in a namespace.
   * @param id the service id, unique in the graph; it names the policies of its calls
   * @param props the workload or the pods
   */
  public addService(id: string, props: GraphServiceProps): GraphService {
    if (this.node.tryFindChild(id)) {
      throw new Error(`${this.node.path}: there is already a service (or part of the graph) with the id "${id}"; give the service another id.`);
    }
    const word = kebab(id);
    const sameWord = this.servicesByWord.get(word);
    if (sameWord) {
      throw new Error(
        `${this.node.path}: the service ids "${sameWord.node.id}" and "${id}" would both name policies "${this.prefix}-${word}-..."; give the service another id.`,
      );
    }
    let service: GraphService;
    let selector: SelectorAndPods;
    try {
      service = new GraphService(this, id, props);
      selector = this.assertNewService(service);
    } catch (e) {
      // A service that failed must not stay in the tree, where it would still be found.
      this.node.tryRemoveChild(id);
      throw e;
    }
    this.servicesByEndpoint.set(service.endpoint, service);
    this.servicesByWord.set(word, service);
    const inNamespace = this.selectorsByNamespace.get(service.namespace) ?? [];
    inNamespace.push({ ...selector, service });
    this.selectorsByNamespace.set(service.namespace, inNamespace);
    this.serviceList.push(service);
    return service;
  }

  /**
   * Allows `client` to connect to `server` on `ports`: an egress policy at the
   * client and an ingress policy at the server, each written when the graph
   * owns that side's namespace. Repeating a call adds its new ports.
   *
   * @param client the service that opens the connections
   * @param server the service that accepts them
   * @param ports the destination ports (at least one)
   */
  public allow(client: GraphService, server: GraphService, ...ports: Port[]): void {
    this.addCall('allow', client, server, ports);
  }

  /**
   * Allows `client` to send `server` the HTTP requests that match `rules` on
   * `port` (Cilium target: an L7 rule at the server; the client's egress is
   * L3/L4). The same port of the same pair cannot also be allowed without
   * HTTP rules (`allow()`): that would let every request through.
   *
   * @param client the service that sends the requests
   * @param server the service that serves them
   * @param port a TCP port number
   * @param rules the requests allowed (at least one)
   */
  public allowHttp(client: GraphService, server: GraphService, port: Port, ...rules: HttpRule[]): void {
    if (rules.length === 0) {
      throw new Error(`${this.node.path}: allowHttp(${client?.node?.id}, ${server?.node?.id}) has no HTTP rules; use allow() for every request.`);
    }
    this.assertCilium(`allowHttp(${client?.node?.id}, ${server?.node?.id})`, 'L7 HTTP rules');
    this.addCall('allowHttp', client, server, [port], rules);
  }

  /** Cilium-only declarations are refused up front on another target, before any policy or name is made. */
  private assertCilium(what: string, feature: string): void {
    const target = PolicyTarget.of(this);
    if (target !== PolicyTarget.CILIUM) {
      throw new Error(
        `${this.node.path}: ${what}: ${feature} need the Cilium target: ${target.apiVersion} ${target.kind} has none. ` +
        'Set it for the App, the Chart or the graph with PolicyTarget.set(scope, PolicyTarget.CILIUM) before creating them.',
      );
    }
  }

  /**
   * Allows `client` to connect to the addresses of DNS names (Cilium target):
   * `api.stripe.com`, or patterns such as `*.stripe.com`. The client also
   * looks the names up through cluster DNS (the rule Cilium needs).
   *
   * `verify()` lists it in `notCovered`: the proof of DNS names is to come.
   * @param client a service in a namespace the graph owns
   * @param names DNS names or patterns (with `*`)
   * @param ports the destination ports (at least one, by number)
   */
  public allowDnsNames(client: GraphService, names: string[], ...ports: Port[]): void {
    this.assertService(client, 'allowDnsNames()', 'client');
    this.assertOwnedClient(client, 'allowDnsNames()');
    const what = `allowDnsNames(${client.node.id})`;
    this.assertCilium(what, 'DNS names');
    if (!Array.isArray(names) || names.length === 0) {
      throw new Error(`${this.node.path}: ${what} has no names: list at least one DNS name or pattern.`);
    }
    assertPorts(this, what, ports);
    const peers = names.map((n) => (typeof n === 'string' && n.includes('*') ? Peer.dnsPattern(n) : Peer.dnsName(n)));
    this.addDependency(what, client, 'dns-names', `DNS names ${names.join(', ')}`, peers, ports);
  }

  /**
   * Allows `client` to reach the Kubernetes API server (Cilium target: the
   * `kube-apiserver` entity), as controllers and operators do.
   *
   * `verify()` lists it in `notCovered`: the proof of entities is to come.
   * @param client a service in a namespace the graph owns
   * @param ports the API server's ports as the pods reach them after service
   *   translation; `Port.tcp(443)` and `Port.tcp(6443)` cover most clusters
   */
  public allowApiServer(client: GraphService, ...ports: Port[]): void {
    this.assertService(client, 'allowApiServer()', 'client');
    this.assertOwnedClient(client, 'allowApiServer()');
    const what = `allowApiServer(${client.node.id})`;
    this.assertCilium(what, 'Cilium entities');
    assertPorts(this, what, ports);
    this.addDependency(what, client, 'apiserver', 'the kube-apiserver entity', [Peer.entity(CiliumEntity.KUBE_APISERVER)], ports);
  }

  /** The calls of allow() and allowHttp(): both sides' policies, the HTTP rules at the server. */
  private addCall(method: string, client: GraphService, server: GraphService, ports: Port[], http?: HttpRule[]): void {
    this.assertService(client, `${method}()`, 'client');
    this.assertService(server, `${method}()`, 'server');
    const what = `${method}(${client.node.id}, ${server.node.id})`;
    assertPorts(this, what, ports);
    if (!this.owns(client) && !this.owns(server)) {
      throw new Error(
        `${this.node.path}: ${what}: the graph owns neither ${client.namespace} nor ${server.namespace} ` +
        `(it owns ${this.namespaces.join(', ')}), so it would write no policy for this call.`,
      );
    }
    assertNamedPortsExist(what, server, ports);
    const key = `${client.node.id}\u0000${server.node.id}`;
    const existing = this.callPolicies.get(key);
    if (existing) {
      assertNoMootHttp(this, what, existing.call, ports, http);
      existing.egress?.addEgressRule({ peers: [server.peer], ports });
      existing.ingress?.addIngressRule({ peers: [client.peer], ports, http });
      addNewPorts(existing.call.ports, ports);
      if (http) {
        addNewPorts(existing.call.httpPorts!, ports);
        existing.call.http!.push(...http.filter((h) => !existing.call.http!.some((k) => k.toString() === h.toString())));
      }
      return;
    }
    const callPorts = uniquePorts(ports);
    const egressName = `${this.prefix}-${kebab(client.node.id)}-to-${kebab(server.node.id)}`;
    const ingressName = `${this.prefix}-${kebab(server.node.id)}-from-${kebab(client.node.id)}`;
    this.claimNames(what, [
      ...(this.owns(client) ? [{ namespace: client.namespace, name: egressName }] : []),
      ...(this.owns(server) ? [{ namespace: server.namespace, name: ingressName }] : []),
    ]);
    const egress = this.owns(client)
      ? new NetworkPolicy(client, `To-${server.node.id}`, {
        ...this.metadata(client.namespace),
        name: egressName,
        pods: client.pods,
        egress: [{ peers: [server.peer], ports: callPorts }],
      })
      : undefined;
    const ingress = this.owns(server)
      ? new NetworkPolicy(server, `From-${client.node.id}`, {
        ...this.metadata(server.namespace),
        name: ingressName,
        pods: server.pods,
        ingress: [{ peers: [client.peer], ports: callPorts, http }],
      })
      : undefined;
    // http and httpPorts are always there (empty for L4 calls), so a later allowHttp() can add to them
    const call = { client, server, ports: [...callPorts], http: [...(http ?? [])], httpPorts: http ? [...callPorts] : [] };
    this.callPolicies.set(key, { call, egress, ingress });
  }

  /** A Cilium-only egress dependency: one policy per client and kind, rules added on repeats. */
  private addDependency(what: string, client: GraphService, kind: string, target: string, peers: Peer[], ports: Port[]): void {
    const key = `${client.node.id}\u0000${kind}\u0000${target}`;
    const existing = this.dependencies.get(key);
    if (existing) {
      existing.policy.addEgressRule({ peers, ports });
      addNewPorts(existing.dependency.ports, ports);
      return;
    }
    const name = `${this.prefix}-${kebab(client.node.id)}-to-${kind}${this.dependencyCount(client, kind)}`;
    this.claimNames(what, [{ namespace: client.namespace, name }]);
    const policy = new NetworkPolicy(client, `Dependency-${kind}-${name}`, {
      ...this.metadata(client.namespace),
      name,
      pods: client.pods,
      egress: [{ peers, ports }],
    });
    this.dependencies.set(key, { dependency: { client, target, ports: uniquePorts(ports) }, policy });
  }

  /** `""` for a client's first dependency of a kind, then `-2`, `-3`...: names stay stable as dependencies are added. */
  private dependencyCount(client: GraphService, kind: string): string {
    const count = [...this.dependencies.values()].filter((d) => d.dependency.client === client && d.policy.node.id.startsWith(`Dependency-${kind}-`)).length;
    return count === 0 ? '' : `-${count + 1}`;
  }

  /**
   * Allows `client` HTTPS to the internet: addresses outside the private,
   * link-local (cloud metadata) and CGNAT ranges, like `ExternalHttps`.
   * @param client a service in a namespace the graph owns
   * @param options ports, more ranges to leave out, IPv6
   */
  public allowExternalHttps(client: GraphService, options: ExternalHttpsOptions = {}): void {
    this.assertService(client, 'allowExternalHttps()', 'client');
    this.assertOwnedClient(client, 'allowExternalHttps()');
    const key = `${client.node.id}\u0000internet`;
    // The same options written differently (defaults spelled out, another order) are the same call.
    const excepts = [...new Set(options.exceptCidrs ?? [])].sort();
    const optionsKey = `ports ${[...new Set((options.ports ?? [Port.HTTPS]).map(String))].sort().join(', ')}; `
      + `exceptCidrs ${excepts.length ? excepts.join(', ') : 'none'}; ipv6 ${options.ipv6 ?? false}`;
    const existing = this.externals.get(key);
    if (existing) {
      if (existing.options !== optionsKey) {
        throw new Error(
          `${this.node.path}: allowExternalHttps(${client.node.id}) was already called with other options ` +
          `(${existing.options}), now ${optionsKey}; call it once per service.`,
        );
      }
      return;
    }
    const name = `${this.prefix}-${kebab(client.node.id)}-to-internet`;
    this.claimNames(`allowExternalHttps(${client.node.id})`, [{ namespace: client.namespace, name }]);
    const policy = new ExternalHttps(client, 'External-internet', {
      ...this.metadata(client.namespace),
      ...options,
      name,
      pods: client.pods,
    });
    const [v4, v6] = [ExternalHttps.NON_PUBLIC_IPV4, ExternalHttps.NON_PUBLIC_IPV6];
    const cidrs = options.ipv6 ? ['0.0.0.0/0', '::/0'] : ['0.0.0.0/0'];
    const except = [...v4, ...(options.ipv6 ? v6 : []), ...(options.exceptCidrs ?? [])];
    this.externals.set(key, {
      call: { client, cidrs, except, ports: uniquePorts(options.ports ?? [Port.HTTPS]) },
      policy,
      options: optionsKey,
    });
  }

  /**
   * Allows `client` to connect to the addresses of `cidr` (outside the
   * cluster: a database, a partner API) on `ports`. Repeating it adds ports.
   * @param client a service in a namespace the graph owns
   * @param cidr the addresses, e.g. `10.20.0.0/16`; for the internet use `allowExternalHttps()`
   * @param ports the destination ports (at least one, by number)
   */
  public allowCidr(client: GraphService, cidr: string, ...ports: Port[]): void {
    this.assertService(client, 'allowCidr()', 'client');
    this.assertOwnedClient(client, 'allowCidr()');
    const { cidr: parsed, problem } = parseCidr(cidr);
    if (!parsed) {
      throw new Error(`${this.node.path}: allowCidr(${client.node.id}): invalid CIDR "${cidr}": ${problem}`);
    }
    if (parsed.prefix === 0) {
      throw new Error(
        `${this.node.path}: allowCidr(${client.node.id}, "${cidr}") would allow every address, cloud metadata endpoints ` +
        'and private ranges included; use allowExternalHttps() for the internet.',
      );
    }
    assertPorts(this, `allowCidr(${client.node.id}, "${cidr}")`, ports);
    const key = `${client.node.id}\u0000${parsed.text}`;
    const existing = this.externals.get(key);
    if (existing) {
      existing.policy.addEgressRule({ peers: [Peer.ipBlock(parsed.text)], ports });
      addNewPorts(existing.call.ports, ports);
      return;
    }
    const callPorts = uniquePorts(ports);
    const name = `${this.prefix}-${kebab(client.node.id)}-to-${kebab(parsed.text)}`;
    this.claimNames(`allowCidr(${client.node.id}, "${cidr}")`, [{ namespace: client.namespace, name }]);
    const policy = new NetworkPolicy(client, `External-${parsed.text.replace('/', '-')}`, {
      ...this.metadata(client.namespace),
      name,
      pods: client.pods,
      egress: [{ peers: [Peer.ipBlock(parsed.text)], ports: callPorts }],
    });
    this.externals.set(key, { call: { client, cidrs: [parsed.text], except: [], ports: [...callPorts] }, policy });
  }

  /**
   * Lets the metrics scraper (`scraper`) reach `target` on its metrics ports.
   * @param target the scraped service
   * @param ports the metrics ports (at least one)
   */
  public allowScrape(target: GraphService, ...ports: Port[]): void {
    this.allow(this.declareScraper(), target, ...ports);
  }

  /**
   * The scraper as a service: one already declared with the same workload or
   * pods (by default, `monitoring/prometheus`), else a new one named after it.
   */
  private declareScraper(): GraphService {
    if (this.scraperService) return this.scraperService;
    const props: GraphServiceProps = this.props.scraper ?? {
      namespace: 'monitoring',
      // the pods of MonitoringScrape.defaultScraper(), as a service flows can name
      pods: Selector.labels({ 'app.kubernetes.io/name': 'prometheus' }),
      name: 'prometheus',
    };
    const declared = this.props.scraper
      ? this.serviceList.find((s) => sameService(s, props))
      : this.servicesByEndpoint.get('monitoring/prometheus');
    this.scraperService = declared ?? this.addService(props.name ?? (props.workload !== undefined ? workloadObject(props.workload)?.name : undefined) ?? 'scraper', props);
    return this.scraperService;
  }

  /**
   * What the synthesized policies must allow and deny, in the `verify`
   * expectations format:
   *
   * - every declared call, on each of its ports: allowed;
   * - every other ordered pair of services (a service and itself included,
   *   unless it is a single Pod, whose traffic to itself is loopback), on every
   *   port some call declares: denied, unless neither service is in an owned namespace;
   * - DNS from each service of an owned namespace to `<dns namespace>/<dnsWorkloadName>`
   *   on UDP and TCP 53 (when DNS is allowed and its namespace is given by name);
   * - each external dependency: allowed to its first address, and denied just
   *   outside it (the next block, private and metadata addresses), for every
   *   service of an owned namespace.
   *
   * A range port is probed at both ends; a named port needs the service to be
   * declared from its cdk8s-plus workload, whose containers give the number.
   */
  public expectations(): Expectation[] {
    return graphExpectations(this.declarations());
  }

  private declarations(): GraphDeclarations {
    return {
      services: this.serviceList,
      calls: this.calls,
      externals: this.externalCalls,
      owned: this.owned,
      dns: this.dnsEndpoint(),
      where: this.node.path,
      dnsCidr: (this.props.allowDns ?? true) && this.props.dns?.nodeLocalDnsAddress !== undefined
        ? nodeLocalDnsCidr(this.props.dns.nodeLocalDnsAddress) : undefined,
      notCovered: [
        ...this.calls.filter((c) => c.http).map((c) =>
          `${c.client.endpoint} -> ${c.server.endpoint} on ${c.httpPorts!.join(', ')}: the ports are proven, not which HTTP requests pass (${c.http!.join('; ')})`),
        ...this.ciliumDependencies.map((d) => `${d.client.endpoint} -> ${d.target} on ${d.ports.join(', ')}: not in the proof yet`),
      ],
    };
  }

  /**
   * `expectations()` as a `verify` expectations file (YAML, one flow per
   * line), to check the manifests with `cdk8s-netpol verify <manifests> --expect <file>`.
   */
  public expectationsFile(): string {
    const expectations = this.expectations();
    return formatExpectationsFile(expectations, [
      `What the ServiceGraph ${this.node.path} must allow and deny: ${expectations.length} flows,`,
      'generated by expectationsFile(). Declared calls are allowed; every other flow here is denied.',
    ]);
  }

  /**
   * Proves the graph, exactly: runs the analyzer over what the graph's App
   * synthesizes and compares connection sets, not sample ports. Between every
   * two services (one of them in an owned namespace), what the policies allow
   * must equal the declared calls (and DNS, to DNS declared as a service); for
   * each service of an owned namespace, what it may open to every address
   * outside the cluster must equal its external dependencies, and nothing may
   * reach it from outside. A service whose workload is not in the manifests
   * (declared by `pods`) is stood in for by a Deployment of that name carrying
   * the labels its selector asks for; so is cluster DNS.
   */
  public verify(): GraphVerificationReport {
    const app = App.of(this);
    const manifests = app.charts.flatMap((chart) => chart.toJson());
    const dns = this.dnsEndpoint();
    const standIns = standInsFor(manifests, [...this.serviceList, ...(dns ? [dns] : [])], this.node.path);
    return verifyGraph(this.declarations(), Analyzer.fromManifests([...manifests, ...standIns]));
  }

  /** Cluster DNS as flows name it, when DNS is allowed to a namespace given by name. */
  private dnsEndpoint(): { endpoint: string; namespace: string; name: string; pods: Selector } | undefined {
    if (!(this.props.allowDns ?? true)) return undefined;
    const names = this.props.dns?.dnsNamespace ? this.props.dns.dnsNamespace.names : ['kube-system'];
    if (!names || names.length === 0) return undefined;
    const pods = this.props.dns?.dnsPods ?? Selector.labels(AllowDns.KUBE_DNS_LABELS);
    const name = this.props.dnsWorkloadName ?? 'coredns';
    return { endpoint: `${names[0]}/${name}`, namespace: names[0], name, pods };
  }

  /**
   * Reserves the names of a declaration's policies. Service ids such as
   * `a-to-b` could give two calls one name; say so now, naming both calls,
   * rather than at synth.
   */
  private claimNames(what: string, policies: Array<{ namespace: string; name: string }>): void {
    for (const { namespace, name } of policies) {
      const owner = this.policyNames.get(`${namespace}/${name}`);
      if (owner) {
        throw new Error(`${this.node.path}: ${what} would write the policy ${namespace}/${name}, which ${owner} writes; rename one of the services.`);
      }
    }
    for (const { namespace, name } of policies) this.policyNames.set(`${namespace}/${name}`, what);
  }

  /** A service must be a workload of its own: not one declared already, and not pods another service may select. */
  private assertNewService(service: GraphService): SelectorAndPods {
    const clash = this.servicesByEndpoint.get(service.endpoint);
    if (clash) {
      throw new Error(`${service.node.path}: services "${clash.node.id}" and "${service.node.id}" are both ${service.endpoint}; declare each workload once.`);
    }
    const mine = { pods: service.pods, podLabels: service._podLabels };
    for (const other of this.selectorsByNamespace.get(service.namespace) ?? []) {
      const labels = overlapOf(mine, other);
      if (labels) {
        throw new Error(
          `${service.node.path}: services "${other.service.node.id}" and "${service.node.id}" can select the same pods in ${service.namespace} ` +
          `(e.g. a pod labelled ${JSON.stringify(labels)}): such a pod would get the calls of both. Make their selectors exclusive.`,
        );
      }
    }
    return mine;
  }

  private owns(service: GraphService): boolean {
    return this.owned.has(service.namespace);
  }

  private metadata(namespace: string): { namespace: string; labels?: { [key: string]: string }; annotations?: { [key: string]: string } } {
    return { namespace, labels: this.props.labels, annotations: this.props.annotations };
  }

  private assertService(service: GraphService, method: string, role: string): void {
    if (!(service instanceof GraphService) || service.node.scope !== this) {
      throw new Error(`${this.node.path}: ${method}: the ${role} must be a service of this graph (from graph.addService()), got ${service?.node?.path ?? String(service)}.`);
    }
  }

  private assertOwnedClient(client: GraphService, method: string): void {
    if (!this.owns(client)) {
      throw new Error(
        `${this.node.path}: ${method}: ${client.node.id} is in namespace ${client.namespace}, which the graph does not own ` +
        `(it owns ${this.namespaces.join(', ')}), so it writes no egress policy there.`,
      );
    }
  }
}

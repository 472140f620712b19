import { Protocol } from '../protocol';
import { identityLabels } from './cilium-identity';
import { ClusterPolicy, clusterRulesOf, compareClusterPolicies } from './cluster-policy';
import { CILIUM_API, CILIUM_POLICY_KINDS, compileCiliumPolicy } from './compile-cilium-policy';
import { CLUSTER_POLICY_APIS, compileClusterPolicy } from './compile-cluster-policy';
import { compilePolicy } from './compile-policy';
import { CompiledPolicy, TierPolicy } from './compiled-policy';
import { ContainerPort, Endpoint, PodAddress } from './endpoint';
import { Direction } from './flow';
import { AnalysisInputError } from './input-error';
import { Labels } from './label-matcher';
import { describeObject, FieldPath, formatPath, ManifestObject } from './manifest-object';
import { subjectMatches } from './matching';
import { ProblemSink } from './problems';
import { readLabels, readMetadata, readNamespace } from './read-metadata';
import { NAMESPACE_NAME_LABEL } from '../kube/namespace-name-label';
import { podTemplatePath } from '../kube/pod-template';
import { parseIp, unmapIpv4 } from '../validation/cidr';
import { dnsLabelProblem, dnsSubdomainProblem } from '../validation/labels';
import { isProtocol } from '../validation/ports';


const NETWORK_POLICY_API = 'networking.k8s.io/v1';
const MAX_REPORTED_PROBLEMS = 20;
/** The API server's limit: a CronJob's Jobs are named after it with an 11-character suffix. */
const CRONJOB_NAME_MAX = 52;
/** CNI- and SIG-specific policy kinds: they change connectivity, so ignoring them is worth a warning. */
const OTHER_POLICY_KINDS: readonly string[] = ['GlobalNetworkPolicy', 'AntreaClusterNetworkPolicy'];

/** A namespace and its labels. */
export interface NamespaceInfo {
  readonly name: string;
  readonly labels: Labels;
  /** False when no Namespace object was given: it has only the name label. */
  readonly declared: boolean;
  /** The Namespace object, when one was given. */
  readonly source?: ManifestObject;
}

/**
 * The tiers on one side of an endpoint: the cluster policies of the Admin
 * tier whose subject is the endpoint and that have rules in the direction (in
 * evaluation order); the NetworkPolicy tier's policies of any kind whose
 * rules apply to it in the direction, and whether one of them puts it into
 * default deny (isolates it); and the Baseline tier's cluster policies.
 */
export interface EndpointSide {
  readonly admin: readonly ClusterPolicy[];
  readonly isolated: boolean;
  readonly policies: readonly TierPolicy[];
  readonly baseline: readonly ClusterPolicy[];
}

const OPEN_SIDE: EndpointSide = { admin: [], isolated: false, policies: [], baseline: [] };

/** What was loaded: counts for summaries. */
export interface LoadSummary {
  readonly objects: number;
  readonly ignoredKinds: ReadonlyMap<string, number>;
}

/**
 * The cluster as the analyzer sees it: namespaces with their labels, endpoints
 * (pods and workloads), and validated NetworkPolicies, with the policies that
 * select each endpoint precomputed per direction.
 */
export class ClusterModel {
  /** Builds the model, or throws an AnalysisInputError naming every invalid object. */
  public static build(entries: readonly ManifestObject[]): ClusterModel {
    return new ClusterModel(entries);
  }

  public readonly namespaces = new Map<string, NamespaceInfo>();
  public readonly endpoints: Endpoint[] = [];
  /** The networking.k8s.io/v1 NetworkPolicies. */
  public readonly policies: CompiledPolicy[] = [];
  /**
   * Every policy of the NetworkPolicy tier: the NetworkPolicies, then each
   * rule (`spec`, `specs[i]`) of each CiliumNetworkPolicy and
   * CiliumClusterwideNetworkPolicy, in input order.
   */
  public readonly tierPolicies: TierPolicy[] = [];
  /**
   * The cluster policies of the Admin and Baseline tiers (ClusterNetworkPolicy,
   * AdminNetworkPolicy, BaselineAdminNetworkPolicy), in evaluation order:
   * Admin then Baseline, each by ascending priority.
   */
  public readonly clusterPolicies: ClusterPolicy[] = [];
  public readonly warnings: string[] = [];
  public readonly summary: LoadSummary;
  /** For each endpoint index: the policies selecting it that isolate egress. */
  public readonly egressPolicies: CompiledPolicy[][] = [];
  /** For each endpoint index: the policies selecting it that isolate ingress. */
  public readonly ingressPolicies: CompiledPolicy[][] = [];
  /** For each endpoint index: the NetworkPolicy tier on its egress side (every policy kind). */
  public readonly egressSides: EndpointSide[] = [];
  /** For each endpoint index: the NetworkPolicy tier on its ingress side (every policy kind). */
  public readonly ingressSides: EndpointSide[] = [];
  private readonly identities: Array<Labels | undefined> = [];
  private readonly ciliumPolicies: TierPolicy[] = [];
  private readonly endpointsByNamespace = new Map<string, Endpoint[]>();
  private readonly endpointsByName = new Map<string, Endpoint[]>();
  /** Per direction, the Admin-tier policies a stand-in's side picks from (`standInSide`); made on the first stand-in. */
  private standInAdmin?: Readonly<Record<Direction, readonly ClusterPolicy[]>>;

  private constructor(entries: readonly ManifestObject[]) {
    const errors: string[] = [];
    const ignored = new Map<string, number>();
    const seen = new Map<string, string>();
    const declaredNamespaces = new Map<string, { labels: Record<string, string>; source: ManifestObject }>();

    const checkUnique = (entry: ManifestObject, key: string): boolean => {
      const previous = seen.get(key);
      if (previous !== undefined) {
        errors.push(`${entry.origin}: ${describeObject(entry.object)} is defined twice (also at ${previous}); remove one of them.`);
        return false;
      }
      seen.set(key, entry.origin);
      return true;
    };

    for (const entry of entries) {
      const object = entry.object;
      if (typeof object !== 'object' || object === null || typeof object.kind !== 'string') {
        this.warnings.push(`${entry.origin}: skipped a document without a kind.`);
        continue;
      }
      const kind: string = object.kind;
      const problems = new ProblemSink();
      if (kind === 'NetworkPolicy') {
        if (object.apiVersion !== NETWORK_POLICY_API) {
          this.warnings.push(`${entry.origin}: ignored ${describeObject(object)} of apiVersion ${JSON.stringify(object.apiVersion)}: only ${NETWORK_POLICY_API} NetworkPolicies are analyzed, so what it allows or denies is not reflected.`);
          continue;
        }
        const result = compilePolicy(entry);
        this.warnings.push(...result.warnings);
        if (result.policy) {
          if (checkUnique(entry, `NetworkPolicy ${result.policy.id}`)) this.policies.push(result.policy);
        } else {
          errors.push(...result.problems.format(entry));
        }
        continue;
      }
      if (CILIUM_POLICY_KINDS.includes(kind)) {
        if (object.apiVersion !== CILIUM_API) {
          this.warnings.push(`${entry.origin}: ignored ${describeObject(object)} of apiVersion ${JSON.stringify(object.apiVersion)}: only ${CILIUM_API} ${kind}s are analyzed, so what it allows or denies is not reflected.`);
          continue;
        }
        const result = compileCiliumPolicy(entry);
        this.warnings.push(...result.warnings);
        if (result.problems.count > 0) {
          errors.push(...result.problems.format(entry));
        } else if (checkUnique(entry, `${kind} ${kind === 'CiliumNetworkPolicy' ? `${object.metadata?.namespace || 'default'}/` : ''}${object.metadata?.name}`)) {
          this.ciliumPolicies.push(...result.policies);
        }
        continue;
      }
      const clusterApi = CLUSTER_POLICY_APIS.get(kind);
      if (clusterApi !== undefined) {
        if (object.apiVersion !== clusterApi) {
          this.warnings.push(`${entry.origin}: ignored ${describeObject(object)} of apiVersion ${JSON.stringify(object.apiVersion)}: only ${clusterApi} ${kind}s are analyzed, so what it allows or denies is not reflected.`);
          continue;
        }
        const result = compileClusterPolicy(entry);
        this.warnings.push(...result.warnings);
        if (result.policy) {
          if (checkUnique(entry, result.policy.id)) this.clusterPolicies.push(result.policy);
        } else {
          errors.push(...result.problems.format(entry));
        }
        continue;
      }
      if (kind === 'Namespace') {
        const name = object.metadata?.name;
        const nameProblem = typeof name === 'string' ? dnsLabelProblem(name) : 'is required';
        if (nameProblem) problems.add(['metadata', 'name'], name, `the namespace name ${nameProblem}`);
        const labels = readLabels(object.metadata?.labels, ['metadata', 'labels'], problems);
        if (problems.count === 0 && checkUnique(entry, `Namespace ${name}`)) {
          declaredNamespaces.set(name, { labels, source: entry });
        }
        errors.push(...problems.format(entry));
        continue;
      }
      const templatePath = podTemplatePath(kind);
      if (OTHER_POLICY_KINDS.includes(kind)) {
        this.warnings.push(`${entry.origin}: ignored ${describeObject(object)}: ${kind} is not a Kubernetes NetworkPolicy and is not analyzed, so what it allows or denies is not reflected.`);
        continue;
      }
      if (!templatePath) {
        ignored.set(kind, (ignored.get(kind) ?? 0) + 1);
        continue;
      }
      const endpoint = this.readEndpoint(entry, kind, templatePath, problems);
      if (endpoint && checkUnique(entry, endpoint.id)) {
        this.endpoints.push(endpoint);
      }
      errors.push(...problems.format(entry));
    }

    if (errors.length > 0) {
      const shown = errors.slice(0, MAX_REPORTED_PROBLEMS);
      const more = errors.length > shown.length ? `\n(and ${errors.length - shown.length} more)` : '';
      throw new AnalysisInputError(`Invalid manifests (${errors.length} problem${errors.length === 1 ? '' : 's'}):\n${shown.join('\n')}${more}`);
    }

    this.summary = { objects: entries.length, ignoredKinds: ignored };
    this.tierPolicies.push(...this.policies, ...this.ciliumPolicies);
    this.clusterPolicies.sort((a, b) => (a.tier === b.tier ? compareClusterPolicies(a, b) : a.tier === 'Admin' ? -1 : 1));
    this.indexNamespaces(declaredNamespaces);
    this.nameEndpoints();
    this.selectPolicies();
  }

  /** The endpoints in a namespace. */
  public endpointsIn(namespace: string): readonly Endpoint[] {
    return this.endpointsByNamespace.get(namespace) ?? [];
  }

  /** The endpoints of a namespace with this `metadata.name` (a Pod and workloads may share one). */
  public endpointsNamed(namespace: string, name: string): readonly Endpoint[] {
    return this.endpointsByName.get(`${namespace}/${name}`) ?? [];
  }

  /** The labels of a namespace (implicit namespaces have only the name label). */
  public namespaceLabels(namespace: string): Labels {
    return this.namespaces.get(namespace)?.labels ?? { [NAMESPACE_NAME_LABEL]: namespace };
  }

  /**
   * The tiers on one side of the endpoint: for an endpoint outside the model
   * (whose namespace's policies the manifests do not show), the Admin tier only.
   */
  public sideOf(endpoint: Endpoint, direction: Direction): EndpointSide {
    if (endpoint.index < 0) return this.standInSide(endpoint, direction);
    return (direction === Direction.EGRESS ? this.egressSides : this.ingressSides)[endpoint.index];
  }

  /**
   * A stand-in (cluster DNS, the scraper) has no NetworkPolicy the manifests
   * show, so its NetworkPolicy tier is open and the Baseline tier, which
   * depends on it, unknown; but the Admin tier is cluster-wide and above
   * both, so its policies whose subject is the stand-in apply.
   */
  private standInSide(endpoint: Endpoint, direction: Direction): EndpointSide {
    this.standInAdmin ??= {
      [Direction.EGRESS]: this.adminPoliciesWithRules(Direction.EGRESS),
      [Direction.INGRESS]: this.adminPoliciesWithRules(Direction.INGRESS),
    };
    const admin = this.standInAdmin[direction].filter((p) => this.clusterSubjectMatches(p, endpoint));
    return admin.length === 0 ? OPEN_SIDE : { ...OPEN_SIDE, admin };
  }

  /** The Admin-tier cluster policies with rules in the direction, in evaluation order. */
  private adminPoliciesWithRules(direction: Direction): readonly ClusterPolicy[] {
    return this.clusterPolicies.filter((p) => p.tier === 'Admin' && clusterRulesOf(p, direction).length > 0);
  }

  /**
   * The labels of the endpoint's Cilium identity: its own, and those Cilium
   * adds (namespace, namespace labels, service account, cluster).
   */
  public identityLabelsOf(endpoint: Endpoint): Labels {
    if (endpoint.index < 0) return identityLabels(endpoint, this.namespaceLabels(endpoint.namespace));
    let labels = this.identities[endpoint.index];
    if (!labels) this.identities[endpoint.index] = labels = identityLabels(endpoint, this.namespaceLabels(endpoint.namespace));
    return labels;
  }

  /**
   * The NetworkPolicies that select the endpoint and isolate it in the direction; none
   * for an endpoint outside the model (whose policies the manifests do not show).
   */
  public policiesFor(endpoint: Endpoint, direction: Direction): readonly CompiledPolicy[] {
    if (endpoint.index < 0) return [];
    return (direction === Direction.EGRESS ? this.egressPolicies : this.ingressPolicies)[endpoint.index];
  }

  /** Is the endpoint a subject of the cluster policy? Never a host-network pod (the API leaves them out). */
  public clusterSubjectMatches(policy: ClusterPolicy, endpoint: Endpoint): boolean {
    if (endpoint.hostNetwork) return false;
    const subject = policy.subject;
    if (!subject.namespaces.matchesAll && !subject.namespaces.matches(this.namespaceLabels(endpoint.namespace))) return false;
    return subject.pods.matchesAll || subject.pods.matches(endpoint.labels);
  }

  private readEndpoint(entry: ManifestObject, kind: string, templatePath: readonly string[], problems: ProblemSink): Endpoint | undefined {
    const object = entry.object;
    const metadata = readMetadata(object, problems);
    const name = readObjectName(kind, metadata.name, problems);
    const namespace = readNamespace(metadata, problems);
    const template = readTemplate(object, kind, templatePath, problems);
    if (template === undefined) return undefined;
    const templateLabels = readLabels(template.metadata?.labels, [...templatePath, 'metadata', 'labels'], problems);
    // The Job controller labels every pod of a Job with its name (both keys since Kubernetes 1.27), and policies select them so.
    const labels = kind === 'Job' && name !== undefined ? { 'job-name': name, 'batch.kubernetes.io/job-name': name, ...templateLabels } : templateLabels;
    const ports = readContainerPorts(template.spec?.containers, [...templatePath, 'spec', 'containers'], problems);
    const serviceAccount = readServiceAccount(template.spec, [...templatePath, 'spec'], problems);
    const addresses = kind === 'Pod' ? readPodAddresses(object.status, problems) : [];
    const hostNetwork = template.spec?.hostNetwork ?? false;
    if (typeof hostNetwork !== 'boolean') {
      // A string "true" read as false would hide a host-network pod.
      problems.add([...templatePath, 'spec', 'hostNetwork'], hostNetwork, 'hostNetwork must be true or false (unquoted)');
    }
    if (problems.count > 0 || name === undefined || namespace === undefined) return undefined;
    return {
      index: this.endpoints.length,
      namespace,
      name,
      kind,
      id: `${namespace}/${kind.toLowerCase()}/${name}`,
      displayName: `${namespace}/${name}`,
      labels,
      ports,
      isPod: kind === 'Pod',
      origin: entry.origin,
      annotations: readAnnotations(template.metadata?.annotations),
      hostNetwork,
      serviceAccount,
      addresses,
      source: entry,
    };
  }

  private indexNamespaces(declared: Map<string, { labels: Record<string, string>; source: ManifestObject }>): void {
    const policyNamespaces = this.tierPolicies.flatMap((p) => (p.namespace === undefined ? [] : [p.namespace]));
    const names = new Set<string>([...declared.keys(), ...this.endpoints.map((e) => e.namespace), ...policyNamespaces]);
    for (const name of [...names].sort()) {
      const labels = declared.get(name)?.labels;
      const given = labels?.[NAMESPACE_NAME_LABEL];
      if (given !== undefined && given !== name) {
        this.warnings.push(`Namespace ${name}: the label ${NAMESPACE_NAME_LABEL}=${given} is overwritten by the API server with "${name}".`);
      }
      // The API server sets this label on every namespace; no object can change it.
      const source = declared.get(name)?.source;
      this.namespaces.set(name, { name, labels: { ...labels, [NAMESPACE_NAME_LABEL]: name }, declared: labels !== undefined, source });
    }
    for (const endpoint of this.endpoints) {
      const list = this.endpointsByNamespace.get(endpoint.namespace) ?? [];
      list.push(endpoint);
      this.endpointsByNamespace.set(endpoint.namespace, list);
    }
  }

  private nameEndpoints(): void {
    for (const endpoint of this.endpoints) {
      const key = `${endpoint.namespace}/${endpoint.name}`;
      const group = this.endpointsByName.get(key) ?? [];
      group.push(endpoint);
      this.endpointsByName.set(key, group);
    }
    for (const group of this.endpointsByName.values()) {
      if (group.length > 1) group.forEach((e) => (e.displayName = e.id));
    }
  }

  private selectPolicies(): void {
    this.egressPolicies.push(...this.endpoints.map(() => []));
    this.ingressPolicies.push(...this.endpoints.map(() => []));
    for (const policy of this.policies) {
      for (const endpoint of this.endpointsIn(policy.namespace)) {
        if (!policy.podSelector.matches(endpoint.labels)) continue;
        if (policy.isolates.has(Direction.EGRESS)) this.egressPolicies[endpoint.index].push(policy);
        if (policy.isolates.has(Direction.INGRESS)) this.ingressPolicies[endpoint.index].push(policy);
      }
    }
    const open = () => this.endpoints.map(() => ({
      admin: [] as ClusterPolicy[], isolated: false, policies: [] as TierPolicy[], baseline: [] as ClusterPolicy[],
    }));
    const sides = { [Direction.EGRESS]: open(), [Direction.INGRESS]: open() };
    for (const policy of this.tierPolicies) {
      const candidates = policy.namespace === undefined ? this.endpoints : this.endpointsIn(policy.namespace);
      for (const endpoint of candidates) {
        if (!subjectMatches(this, policy.subject, endpoint)) continue;
        for (const direction of [Direction.EGRESS, Direction.INGRESS]) {
          if (!policy.applies.has(direction)) continue;
          const side = sides[direction][endpoint.index];
          side.policies.push(policy);
          if (policy.isolates.has(direction)) side.isolated = true;
        }
      }
    }
    for (const policy of this.clusterPolicies) {
      for (const endpoint of this.endpoints) {
        if (!this.clusterSubjectMatches(policy, endpoint)) continue;
        for (const direction of [Direction.EGRESS, Direction.INGRESS]) {
          // A policy without rules in a direction does not affect that direction.
          if (clusterRulesOf(policy, direction).length === 0) continue;
          const side = sides[direction][endpoint.index];
          (policy.tier === 'Admin' ? side.admin : side.baseline).push(policy);
        }
      }
    }
    this.egressSides.push(...sides[Direction.EGRESS]);
    this.ingressSides.push(...sides[Direction.INGRESS]);
  }
}

/** The name of a Pod or workload: a DNS-1123 subdomain, as the API server requires (a newline or escape could otherwise forge output). */
function readObjectName(kind: string, name: unknown, problems: ProblemSink): string | undefined {
  if (name === undefined || name === null || name === '') {
    problems.add(['metadata', 'name'], name, `a ${kind} needs a name`);
    return undefined;
  }
  if (typeof name !== 'string') {
    problems.add(['metadata', 'name'], name, 'the name must be a string');
    return undefined;
  }
  const problem = dnsSubdomainProblem(name);
  if (problem) {
    problems.add(['metadata', 'name'], name, `the name ${problem}`);
    return undefined;
  }
  if (kind === 'CronJob' && name.length > CRONJOB_NAME_MAX) {
    problems.add(['metadata', 'name'], name, `the name of a CronJob is at most ${CRONJOB_NAME_MAX} characters (its Jobs add 11)`);
    return undefined;
  }
  return name;
}

/**
 * The pod template (for a Pod, the object itself): every step of the path must
 * be a mapping, and the template must be there (a CronJob without jobTemplate
 * runs no pods the analyzer could know).
 */
function readTemplate(object: any, kind: string, templatePath: readonly string[], problems: ProblemSink): any {
  // A Pod's spec may be left out (a shorthand some tools use): it has no ports then.
  const needed = templatePath;
  let node: any = object;
  for (let i = 0; i < needed.length; i++) {
    const path = needed.slice(0, i + 1);
    node = node[needed[i]];
    if (node === undefined || node === null) {
      problems.add(path, node ?? undefined, `a ${kind} needs ${formatPath(needed)} (the pods it runs)`);
      return undefined;
    }
    if (typeof node !== 'object' || Array.isArray(node)) {
      problems.add(path, node, `${formatPath(path)} must be a mapping`);
      return undefined;
    }
  }
  const template = node;
  const spec = template.spec;
  if (spec !== undefined && spec !== null && (typeof spec !== 'object' || Array.isArray(spec))) {
    problems.add([...templatePath, 'spec'], spec, `${formatPath([...templatePath, 'spec'])} must be a mapping`);
    return undefined;
  }
  return template;
}

/**
 * The pod's service account: `serviceAccountName`, else the deprecated
 * `serviceAccount`, else `default` (the API server's defaulting).
 */
function readServiceAccount(spec: any, path: FieldPath, problems: ProblemSink): string {
  for (const field of ['serviceAccountName', 'serviceAccount']) {
    const value = spec?.[field];
    if (value === undefined || value === null || value === '') continue;
    const problem = typeof value === 'string' ? dnsSubdomainProblem(value) : 'must be a string';
    if (problem) {
      problems.add([...path, field], value, `the service account name ${problem}`);
      return 'default';
    }
    return value;
  }
  return 'default';
}

/**
 * A Pod's addresses (`status.podIPs[].ip`, else `status.podIP`), which
 * cluster policies' `networks` peers match; an address that is not an IP is
 * bad input (it would silently match nothing).
 */
function readPodAddresses(status: any, problems: ProblemSink): PodAddress[] {
  if (status === undefined || status === null) return [];
  if (typeof status !== 'object' || Array.isArray(status)) {
    problems.add(['status'], status, 'status must be a mapping');
    return [];
  }
  const entries: Array<{ text: unknown; path: FieldPath }> = [];
  if (Array.isArray(status.podIPs) && status.podIPs.length > 0) {
    status.podIPs.forEach((entry: any, i: number) => entries.push({ text: entry?.ip, path: ['status', 'podIPs', i, 'ip'] }));
  } else if (status.podIPs !== undefined && status.podIPs !== null && !Array.isArray(status.podIPs)) {
    problems.add(['status', 'podIPs'], status.podIPs, 'podIPs must be a list of {ip: <address>}');
  } else if (status.podIP !== undefined && status.podIP !== null && status.podIP !== '') {
    entries.push({ text: status.podIP, path: ['status', 'podIP'] });
  }
  const addresses: PodAddress[] = [];
  for (const { text, path } of entries) {
    const ip = typeof text === 'string' ? parseIp(text) : undefined;
    if (!ip) {
      problems.add(path, text, 'a pod IP must be an IPv4 or IPv6 address');
      continue;
    }
    addresses.push({ ...unmapIpv4(ip), text: text as string });
  }
  return addresses;
}

/** Annotations are free-form: keep the string values, ignore the rest (the API server would reject them). */
function readAnnotations(raw: unknown): Labels {
  if (typeof raw !== 'object' || raw === null || Array.isArray(raw)) return {};
  return Object.fromEntries(Object.entries(raw as Record<string, unknown>).filter(([, v]) => typeof v === 'string')) as Labels;
}

function readContainerPorts(containers: unknown, path: FieldPath, problems: ProblemSink): ContainerPort[] {
  if (containers === undefined || containers === null) return [];
  if (!Array.isArray(containers)) {
    problems.add(path, containers, 'containers must be a list');
    return [];
  }
  const ports: ContainerPort[] = [];
  // The API server rejects a port name used twice in a pod: a named port would match both.
  const named = new Map<string, FieldPath>();
  containers.forEach((container: any, c: number) => {
    const list = container?.ports;
    if (list === undefined || list === null) return;
    if (!Array.isArray(list)) {
      problems.add([...path, c, 'ports'], list, 'ports must be a list');
      return;
    }
    list.forEach((p: any, i: number) => {
      const at = [...path, c, 'ports', i];
      const number = p?.containerPort;
      if (!Number.isInteger(number) || number < 1 || number > 65535) {
        problems.add([...at, 'containerPort'], number, 'containerPort must be a whole number from 1 to 65535');
        return;
      }
      const protocol = p.protocol ?? Protocol.TCP;
      if (!isProtocol(protocol)) {
        problems.add([...at, 'protocol'], p.protocol, 'the protocol must be TCP, UDP or SCTP');
        return;
      }
      if (p.name !== undefined && typeof p.name !== 'string') {
        problems.add([...at, 'name'], p.name, 'a port name must be a string');
        return;
      }
      if (p.name !== undefined) {
        const previous = named.get(p.name);
        if (previous) {
          problems.add([...at, 'name'], p.name, `the port name "${p.name}" is also ${formatPath(previous)}; port names must be unique in a pod`);
          return;
        }
        named.set(p.name, at);
      }
      ports.push({ name: p.name, port: number, protocol });
    });
  });
  return ports;
}

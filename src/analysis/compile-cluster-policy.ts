import { Protocol } from '../protocol';
import { ClusterAction, ClusterPolicy, ClusterPolicyKind, ClusterRule, ClusterSubject } from './cluster-policy';
import { CompiledPort, TierPeer } from './compiled-policy';
import { dnsNameRegExp } from './dns-pattern';
import { Direction } from './flow';
import { LabelMatcher } from './label-matcher';
import { FieldPath, formatPath, locateField, ManifestObject } from './manifest-object';
import { ProblemSink } from './problems';
import { checkAnnotations, readLabels, readMetadata } from './read-metadata';
import { parseCidr, ParsedCidr } from '../validation/cidr';
import { dnsSubdomainProblem } from '../validation/labels';
import { portNameProblem, portNumberProblem } from '../validation/ports';

/**
 * Reads the cluster-scoped policies of the Admin and Baseline tiers as the
 * network-policy-api CRDs define them: ClusterNetworkPolicy
 * (`policy.networking.k8s.io/v1alpha2`, v0.2.0) and AdminNetworkPolicy /
 * BaselineAdminNetworkPolicy (`v1alpha1`, v0.1.7). Every field the schema
 * or its CEL rules would reject is bad input; unknown fields too (a peer the
 * analyzer cannot read could only be guessed).
 */

/** The API group and version of ClusterNetworkPolicy. */
export const CLUSTER_NETWORK_POLICY_API = 'policy.networking.k8s.io/v1alpha2';
/** The API group and version of AdminNetworkPolicy and BaselineAdminNetworkPolicy. */
export const ADMIN_NETWORK_POLICY_API = 'policy.networking.k8s.io/v1alpha1';

/** The kinds read, with their API version. */
export const CLUSTER_POLICY_APIS: ReadonlyMap<string, string> = new Map([
  ['ClusterNetworkPolicy', CLUSTER_NETWORK_POLICY_API],
  ['AdminNetworkPolicy', ADMIN_NETWORK_POLICY_API],
  ['BaselineAdminNetworkPolicy', ADMIN_NETWORK_POLICY_API],
]);

/** The priority a BaselineAdminNetworkPolicy is ordered at: after every Baseline ClusterNetworkPolicy. */
export const BASELINE_ADMIN_PRIORITY = 1001;

/** The result of compiling one object: the policy, or its problems. */
export interface ClusterCompileResult {
  readonly policy?: ClusterPolicy;
  readonly problems: ProblemSink;
  readonly warnings: string[];
}

/** What differs between the three kinds. */
interface KindRules {
  readonly kind: ClusterPolicyKind;
  readonly specFields: readonly string[];
  /** The actions as written, and what they mean. */
  readonly actions: ReadonlyMap<string, ClusterAction>;
  readonly maxRules: number;
  readonly maxPeers: number;
  readonly maxPorts: number;
  readonly egressPeers: readonly string[];
  /** `protocols` (v1alpha2) or `ports` (v1alpha1). */
  readonly portsField: 'protocols' | 'ports';
}

const V1ALPHA2_ACTIONS = new Map<string, ClusterAction>([['Accept', 'Accept'], ['Deny', 'Deny'], ['Pass', 'Pass']]);
const KINDS: ReadonlyMap<string, KindRules> = new Map([
  ['ClusterNetworkPolicy', {
    kind: 'ClusterNetworkPolicy',
    specFields: ['tier', 'priority', 'subject', 'ingress', 'egress'],
    actions: V1ALPHA2_ACTIONS,
    maxRules: 25,
    maxPeers: 25,
    maxPorts: 25,
    egressPeers: ['namespaces', 'pods', 'nodes', 'networks', 'domainNames'],
    portsField: 'protocols',
  }],
  ['AdminNetworkPolicy', {
    kind: 'AdminNetworkPolicy',
    specFields: ['priority', 'subject', 'ingress', 'egress'],
    actions: new Map<string, ClusterAction>([['Allow', 'Accept'], ['Deny', 'Deny'], ['Pass', 'Pass']]),
    maxRules: 100,
    maxPeers: 100,
    maxPorts: 100,
    egressPeers: ['namespaces', 'pods', 'nodes', 'networks', 'domainNames'],
    portsField: 'ports',
  }],
  ['BaselineAdminNetworkPolicy', {
    kind: 'BaselineAdminNetworkPolicy',
    specFields: ['subject', 'ingress', 'egress'],
    actions: new Map<string, ClusterAction>([['Allow', 'Accept'], ['Deny', 'Deny']]),
    maxRules: 100,
    maxPeers: 100,
    maxPorts: 100,
    egressPeers: ['namespaces', 'pods', 'nodes', 'networks'],
    portsField: 'ports',
  }],
]);
const INGRESS_PEERS = ['namespaces', 'pods'];
const MAX_NETWORKS = 25;
const MAX_DOMAIN_NAMES = 25;
const MAX_RULE_NAME = 100;
const PRIORITY_MAX = 1000;
/** The CRD pattern of a domain name (a `*.` prefix at most). */
const DOMAIN_NAME = /^(\*\.)?([a-zA-Z0-9]([-a-zA-Z0-9_]*[a-zA-Z0-9])?\.)+[a-zA-Z0-9]([-a-zA-Z0-9_]*[a-zA-Z0-9])?\.?$/;
const TRANSPORTS: ReadonlyArray<[string, Protocol]> = [['tcp', Protocol.TCP], ['udp', Protocol.UDP], ['sctp', Protocol.SCTP]];

interface Context {
  readonly rules: KindRules;
  readonly problems: ProblemSink;
  readonly warnings: string[];
  readonly locate: (path: FieldPath) => string;
}

/** Validates and compiles a ClusterNetworkPolicy, AdminNetworkPolicy or BaselineAdminNetworkPolicy. */
export function compileClusterPolicy(entry: ManifestObject): ClusterCompileResult {
  const object = entry.object;
  const rules = KINDS.get(object.kind)!;
  const problems = new ProblemSink();
  const warnings: string[] = [];
  problems.unknownFields(object, [], ['apiVersion', 'kind', 'metadata', 'spec', 'status']);
  const metadata = readMetadata(object, problems);
  const name = readName(metadata.name, rules.kind, problems);
  if (metadata.namespace !== undefined && metadata.namespace !== null && metadata.namespace !== '') {
    warnings.push(`${locateField(entry, ['metadata', 'namespace'])}: ${rules.kind} ${String(name)}: metadata.namespace is ignored: the kind is cluster-scoped, so the policy applies to its subject in every namespace.`);
  }
  readLabels(metadata.labels, ['metadata', 'labels'], problems);
  checkAnnotations(metadata.annotations, ['metadata', 'annotations'], problems);
  const spec = object.spec;
  if (typeof spec !== 'object' || spec === null || Array.isArray(spec)) {
    problems.add(['spec'], spec, `a ${rules.kind} needs a spec mapping`);
    return { problems, warnings };
  }
  problems.unknownFields(spec, ['spec'], rules.specFields);
  const context: Context = { rules, problems, warnings, locate: (path) => `${locateField(entry, path)}: ${rules.kind} ${String(name)}` };
  const tier = rules.kind === 'ClusterNetworkPolicy' ? readTier(spec.tier, problems)
    : rules.kind === 'AdminNetworkPolicy' ? 'Admin' : 'Baseline';
  const priority = rules.kind === 'BaselineAdminNetworkPolicy' ? BASELINE_ADMIN_PRIORITY : readPriority(spec.priority, problems);
  const subject = readSubject(spec.subject, problems);
  const ingress = compileRules(spec.ingress, Direction.INGRESS, context);
  const egress = compileRules(spec.egress, Direction.EGRESS, context);
  if (problems.count > 0 || name === undefined || tier === undefined || priority === undefined || subject === undefined) {
    return { problems, warnings };
  }
  return {
    problems,
    warnings,
    policy: { kind: rules.kind, tier, priority, name, id: `${rules.kind} ${name}`, subject, ingress, egress, origin: entry.origin, source: entry },
  };
}

function readName(name: unknown, kind: ClusterPolicyKind, problems: ProblemSink): string | undefined {
  if (name === undefined || name === null || name === '') {
    problems.add(['metadata', 'name'], name, `a ${kind} needs a name`);
    return undefined;
  }
  const problem = typeof name === 'string' ? dnsSubdomainProblem(name) : 'must be a string';
  if (problem) {
    problems.add(['metadata', 'name'], name, `the name ${problem}`);
    return undefined;
  }
  if (kind === 'BaselineAdminNetworkPolicy' && name !== 'default') {
    // The CRD's rule: the cluster has one BaselineAdminNetworkPolicy, named default.
    problems.add(['metadata', 'name'], name, 'a BaselineAdminNetworkPolicy must be named "default" (the cluster has only one)');
    return undefined;
  }
  return name as string;
}

function readTier(tier: unknown, problems: ProblemSink): 'Admin' | 'Baseline' | undefined {
  if (tier === 'Admin' || tier === 'Baseline') return tier;
  problems.add(['spec', 'tier'], tier, 'the tier must be "Admin" or "Baseline"');
  return undefined;
}

function readPriority(priority: unknown, problems: ProblemSink): number | undefined {
  if (typeof priority === 'number' && Number.isInteger(priority) && priority >= 0 && priority <= PRIORITY_MAX) return priority;
  problems.add(['spec', 'priority'], priority, `the priority must be a whole number from 0 to ${PRIORITY_MAX}`);
  return undefined;
}

/** A mapping with exactly one of `fields` set (the CRD's MinProperties/MaxProperties = 1); its key, or undefined. */
function oneOf(raw: unknown, path: FieldPath, fields: readonly string[], what: string, problems: ProblemSink): string | undefined {
  if (typeof raw !== 'object' || raw === null || Array.isArray(raw)) {
    problems.add(path, raw, `${what} must be a mapping with one of ${fields.join(', ')}`);
    return undefined;
  }
  problems.unknownFields(raw, path, fields);
  const present = fields.filter((f) => (raw as Record<string, unknown>)[f] !== undefined && (raw as Record<string, unknown>)[f] !== null);
  if (present.length !== 1) {
    problems.add(path, raw, `${what} must set exactly one of ${fields.join(', ')}${present.length > 1 ? `, not ${present.join(' and ')}` : ''}`);
    return undefined;
  }
  return present[0];
}

function readSubject(raw: unknown, problems: ProblemSink): ClusterSubject | undefined {
  const path = ['spec', 'subject'];
  const field = oneOf(raw, path, ['namespaces', 'pods'], 'the subject', problems);
  if (field === undefined) return undefined;
  const selected = readPods((raw as any)[field], [...path, field], field, problems);
  return selected && { namespaces: selected.namespaces, pods: selected.pods, text: selected.text };
}

/** Pods by namespace labels and pod labels. */
interface SelectedPods {
  readonly namespaces: LabelMatcher;
  readonly pods: LabelMatcher;
  readonly text: string;
}

/** `namespaces` (a namespace selector: every pod there) or `pods` (namespaceSelector AND podSelector). */
function readPods(raw: any, path: FieldPath, field: string, problems: ProblemSink): SelectedPods | undefined {
  if (field === 'namespaces') {
    const namespaces = LabelMatcher.compile(raw, path, problems);
    if (!namespaces) return undefined;
    return { namespaces, pods: LabelMatcher.ALL, text: `every pod ${namespacesText(namespaces)}` };
  }
  if (typeof raw !== 'object' || Array.isArray(raw)) {
    problems.add(path, raw, 'pods must be a mapping with namespaceSelector and podSelector');
    return undefined;
  }
  problems.unknownFields(raw, path, ['namespaceSelector', 'podSelector']);
  if (raw.podSelector === undefined || raw.podSelector === null) {
    problems.add([...path, 'podSelector'], undefined, 'pods needs a podSelector ({} selects every pod)');
    return undefined;
  }
  const namespaces = LabelMatcher.compile(raw.namespaceSelector, [...path, 'namespaceSelector'], problems);
  const pods = LabelMatcher.compile(raw.podSelector, [...path, 'podSelector'], problems);
  if (!namespaces || !pods) return undefined;
  return { namespaces, pods, text: `${pods.matchesAll ? 'every pod' : `pods ${pods.text}`} ${namespacesText(namespaces)}` };
}

function namespacesText(namespaces: LabelMatcher): string {
  return namespaces.matchesAll ? 'in every namespace' : `in namespaces ${namespaces.text}`;
}

function compileRules(raw: unknown, direction: Direction, context: Context): ClusterRule[] {
  const { problems, rules: kind } = context;
  const field = direction === Direction.INGRESS ? 'ingress' : 'egress';
  if (raw === undefined || raw === null) return [];
  if (!Array.isArray(raw)) {
    problems.add(['spec', field], raw, `${field} must be a list of rules`);
    return [];
  }
  if (raw.length > kind.maxRules) {
    problems.add(['spec', field], `${raw.length} rules`, `a ${kind.kind} has at most ${kind.maxRules} ${field} rules`);
  }
  const compiled: ClusterRule[] = [];
  raw.forEach((rule, i) => {
    const result = compileRule(rule, ['spec', field, i], direction, context);
    if (result) compiled.push(result);
  });
  return compiled;
}

function compileRule(rule: any, path: FieldPath, direction: Direction, context: Context): ClusterRule | undefined {
  const { problems, rules: kind } = context;
  const peersField = direction === Direction.INGRESS ? 'from' : 'to';
  if (typeof rule !== 'object' || rule === null || Array.isArray(rule)) {
    problems.add(path, rule, `a rule must be a mapping with action, ${peersField} and ${kind.portsField}`);
    return undefined;
  }
  const before = problems.count;
  problems.unknownFields(rule, path, ['name', 'action', peersField, kind.portsField]);
  const name = rule.name;
  if (name !== undefined && (typeof name !== 'string' || name.length > MAX_RULE_NAME)) {
    problems.add([...path, 'name'], name, `a rule name is a string of at most ${MAX_RULE_NAME} characters`);
  }
  const action = kind.actions.get(rule.action);
  if (action === undefined) {
    problems.add([...path, 'action'], rule.action, `the action must be ${[...kind.actions.keys()].join(', ')} (case-sensitive)`);
  }
  const rawPeers = rule[peersField];
  const peers: TierPeer[] = [];
  let addressPeer = false;
  if (!Array.isArray(rawPeers) || rawPeers.length === 0) {
    problems.add([...path, peersField], rawPeers, `${peersField} must list at least one peer`);
  } else {
    if (rawPeers.length > kind.maxPeers) problems.add([...path, peersField], `${rawPeers.length} peers`, `a rule has at most ${kind.maxPeers} peers`);
    const allowed = direction === Direction.INGRESS ? INGRESS_PEERS : kind.egressPeers;
    rawPeers.forEach((peer: unknown, i: number) => {
      const peerPath = [...path, peersField, i];
      const peerField = oneOf(peer, peerPath, allowed, 'a peer', problems);
      if (peerField === undefined) return;
      if (peerField === 'networks' || peerField === 'nodes' || peerField === 'domainNames') addressPeer = true;
      if (peerField === 'domainNames' && action !== undefined && action !== 'Accept') {
        problems.add([...peerPath, 'domainNames'], (peer as any).domainNames, `domainNames peers are only allowed in ${kind.kind === 'ClusterNetworkPolicy' ? 'Accept' : 'Allow'} rules`);
      }
      const compiled = compilePeer((peer as any)[peerField], [...peerPath, peerField], peerField, context);
      if (compiled) peers.push(compiled);
    });
  }
  const ports = compilePorts(rule[kind.portsField], [...path, kind.portsField], context);
  if (addressPeer && ports?.some((p) => p.name !== undefined)) {
    problems.add([...path, kind.portsField], rule[kind.portsField], 'a named port cannot be used with networks, nodes or domainNames peers (they have no named ports)');
  }
  if (problems.count > before || action === undefined) return undefined;
  return {
    path: formatPath(path),
    fieldPath: path,
    action,
    ...(typeof name === 'string' && name !== '' ? { name } : {}),
    peers,
    ports,
  };
}

function compilePeer(raw: any, path: FieldPath, field: string, context: Context): TierPeer | undefined {
  const { problems } = context;
  if (field === 'namespaces' || field === 'pods') {
    const selected = readPods(raw, path, field, problems);
    if (!selected) return undefined;
    const key = `cluster ns[${selected.namespaces.text}] pods[${selected.pods.text}]`;
    return { kind: 'pods', namespaces: selected.namespaces, ownNamespace: '', pods: selected.pods, text: selected.text, key, path, excludesHostNetwork: true };
  }
  if (field === 'nodes') {
    const nodes = LabelMatcher.compile(raw, path, problems);
    if (!nodes) return undefined;
    if (nodes.matchesAll) {
      // Every node: the flow entities for nodes (the pod's own, and the others).
      return { kind: 'entity', entity: 'nodes', pods: false, addresses: false, entities: ['host', 'remote-node'], text: 'every node', path };
    }
    context.warnings.push(`${context.locate(path)}: ${formatPath(path)}: nodes ${nodes.text} is taken to match no node: the manifests do not give node labels, so what it allows or denies toward nodes is not reflected.`);
    return { kind: 'unmatched', text: `nodes ${nodes.text} (node labels are not known)`, path };
  }
  if (field === 'networks') return compileNetworks(raw, path, context);
  return compileDomainNames(raw, path, context);
}

function compileNetworks(raw: unknown, path: FieldPath, context: Context): TierPeer | undefined {
  const { problems } = context;
  if (!Array.isArray(raw) || raw.length === 0 || raw.length > MAX_NETWORKS) {
    problems.add(path, raw, `networks must list 1 to ${MAX_NETWORKS} CIDRs`);
    return undefined;
  }
  const cidrs: ParsedCidr[] = [];
  raw.forEach((text: unknown, i: number) => {
    const parsed = parseCidr(text as string, { allowHostBits: true });
    if (!parsed.cidr) {
      problems.add([...path, i], text, parsed.problem ?? 'not a CIDR');
      return;
    }
    if (parsed.hostBits) context.warnings.push(`${context.locate([...path, i])}: ${formatPath([...path, i])}: "${String(text)}": ${parsed.hostBits}.`);
    cidrs.push(parsed.cidr);
  });
  if (cidrs.length !== raw.length) return undefined;
  const text = `networks ${cidrs.map((c) => c.text).join(', ')}`;
  return { kind: 'network', cidrs, text, key: text, path };
}

function compileDomainNames(raw: unknown, path: FieldPath, context: Context): TierPeer | undefined {
  const { problems } = context;
  if (!Array.isArray(raw) || raw.length === 0 || raw.length > MAX_DOMAIN_NAMES) {
    problems.add(path, raw, `domainNames must list 1 to ${MAX_DOMAIN_NAMES} names`);
    return undefined;
  }
  const sources: string[] = [];
  raw.forEach((name: unknown, i: number) => {
    if (typeof name !== 'string' || !DOMAIN_NAME.test(name)) {
      problems.add([...path, i], name, 'a domain name is a DNS name, optionally with a "*." prefix (which matches one or more labels)');
      return;
    }
    const wildcard = name.startsWith('*.');
    const exact = dnsNameRegExp(wildcard ? name.slice(2) : name).source.slice(1);
    // `*.` matches one or more entire labels; the name itself never.
    sources.push(wildcard ? `^([-a-z0-9_]+[.])+${exact}` : `^${exact}`);
  });
  if (sources.length !== raw.length) return undefined;
  const text = `domain names ${(raw as string[]).join(', ')}`;
  return { kind: 'fqdn', selector: (raw as string[]).join(','), pattern: sources.some((s) => s.startsWith('^(')), names: new RegExp(sources.join('|')), text, path, anyLookup: true };
}

/** `protocols` (v1alpha2) or `ports` (v1alpha1): undefined when absent (every port of every protocol, ICMP too). */
function compilePorts(raw: unknown, path: FieldPath, context: Context): CompiledPort[] | undefined {
  const { problems, rules: kind } = context;
  if (raw === undefined || raw === null) return undefined;
  if (!Array.isArray(raw) || raw.length === 0 || raw.length > kind.maxPorts) {
    problems.add(path, raw, `${kind.portsField} must list 1 to ${kind.maxPorts} entries (leave it out to match every port)`);
    return undefined;
  }
  const ports: CompiledPort[] = [];
  raw.forEach((entry: unknown, i: number) => {
    const compiled = kind.portsField === 'protocols' ? compileProtocol(entry, [...path, i], problems) : compileAdminPort(entry, [...path, i], problems);
    if (compiled) ports.push(...compiled);
  });
  return ports;
}

/** A named port: the destination pod's container port of that name, whatever its protocol. */
function namedPort(name: unknown, path: FieldPath, problems: ProblemSink): CompiledPort[] | undefined {
  const problem = typeof name === 'string' ? portNameProblem(name) : 'a port name must be a string';
  if (problem) {
    problems.add(path, name, problem);
    return undefined;
  }
  return TRANSPORTS.map(([, protocol]) => ({ protocol, name: name as string, text: `port named "${name as string}"`, path }));
}

/** One v1alpha2 `protocols` entry: exactly one of tcp, udp, sctp (with destinationPort) or destinationNamedPort. */
function compileProtocol(entry: unknown, path: FieldPath, problems: ProblemSink): CompiledPort[] | undefined {
  const field = oneOf(entry, path, ['tcp', 'udp', 'sctp', 'destinationNamedPort'], 'a protocols entry', problems);
  if (field === undefined) return undefined;
  const value = (entry as any)[field];
  if (field === 'destinationNamedPort') return namedPort(value, [...path, field], problems);
  const protocol = TRANSPORTS.find(([name]) => name === field)![1];
  const protocolPath = [...path, field];
  if (typeof value !== 'object' || Array.isArray(value)) {
    problems.add(protocolPath, value, `${field} must be a mapping with destinationPort`);
    return undefined;
  }
  problems.unknownFields(value, protocolPath, ['destinationPort']);
  const portPath = [...protocolPath, 'destinationPort'];
  const which = oneOf(value.destinationPort, portPath, ['number', 'range'], 'destinationPort', problems);
  if (which === undefined) return undefined;
  if (which === 'number') {
    const number = value.destinationPort.number;
    const problem = portNumberProblem(number);
    if (problem) {
      problems.add([...portPath, 'number'], number, problem);
      return undefined;
    }
    return [{ protocol, port: number, text: `${protocol} ${number}`, path }];
  }
  return portRange(value.destinationPort.range, [...portPath, 'range'], protocol, problems);
}

/** A range `{start, end}`: both ports, start below end (the CRD's rule). */
function portRange(
  range: any, path: FieldPath, protocol: Protocol, problems: ProblemSink, extra: readonly string[] = [],
): CompiledPort[] | undefined {
  if (typeof range !== 'object' || range === null || Array.isArray(range)) {
    problems.add(path, range, 'a port range must be a mapping with start and end');
    return undefined;
  }
  problems.unknownFields(range, path, ['start', 'end', ...extra]);
  const before = problems.count;
  for (const field of ['start', 'end']) {
    const problem = portNumberProblem(range[field]);
    if (problem) problems.add([...path, field], range[field], problem);
  }
  if (problems.count > before) return undefined;
  if (!(range.start < range.end)) {
    problems.add(path, range, 'the start port must be less than the end port');
    return undefined;
  }
  return [{ protocol, port: range.start, endPort: range.end, text: `${protocol} ${range.start}-${range.end}`, path }];
}

/** One v1alpha1 `ports` entry: exactly one of portNumber, namedPort or portRange. */
function compileAdminPort(entry: unknown, path: FieldPath, problems: ProblemSink): CompiledPort[] | undefined {
  const field = oneOf(entry, path, ['portNumber', 'namedPort', 'portRange'], 'a ports entry', problems);
  if (field === undefined) return undefined;
  const value = (entry as any)[field];
  const fieldPath = [...path, field];
  if (field === 'namedPort') return namedPort(value, fieldPath, problems);
  if (typeof value !== 'object' || Array.isArray(value)) {
    problems.add(fieldPath, value, `${field} must be a mapping`);
    return undefined;
  }
  // The CRD defaults an absent protocol to TCP (before its `required` check).
  const protocol = value.protocol ?? Protocol.TCP;
  if (protocol !== Protocol.TCP && protocol !== Protocol.UDP && protocol !== Protocol.SCTP) {
    problems.add([...fieldPath, 'protocol'], value.protocol, 'the protocol must be TCP, UDP or SCTP (upper case)');
    return undefined;
  }
  if (field === 'portRange') return portRange(value, fieldPath, protocol, problems, ['protocol']);
  problems.unknownFields(value, fieldPath, ['protocol', 'port']);
  const problem = portNumberProblem(value.port);
  if (problem) {
    problems.add([...fieldPath, 'port'], value.port, problem);
    return undefined;
  }
  return [{ protocol, port: value.port, text: `${protocol} ${value.port}`, path }];
}

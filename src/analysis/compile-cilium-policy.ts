import { Protocol } from '../protocol';
import { isPodSource, NAMESPACE_LABELS_PREFIX, POD_NAMESPACE_LABEL, ciliumSelectorKey, splitSourcedKey } from './cilium-identity';
import { CompiledPort, DnsRuleSpec, HttpRuleSpec, IcmpField, IdentityPeer, PolicyKind, TierPeer, TierPolicy, TierRule } from './compiled-policy';
import { dnsNameRegExp, dnsPatternRegExp } from './dns-pattern';
import { Direction } from './flow';
import { LabelMatcher } from './label-matcher';
import { FieldPath, formatPath, locateField, ManifestObject } from './manifest-object';
import { ProblemSink } from './problems';
import { checkAnnotations, DEFAULT_NAMESPACE, readLabels, readMetadata, readNamespace } from './read-metadata';
import { cidrContains, parseCidr, parseIp, ParsedCidr } from '../validation/cidr';
import { dnsSubdomainProblem } from '../validation/labels';
import { portNameProblem } from '../validation/ports';
import { re2PatternProblem, wholeValueRegExp } from '../validation/re2-pattern';

/**
 * Reads CiliumNetworkPolicy and CiliumClusterwideNetworkPolicy (cilium.io/v2)
 * with Cilium's semantics, as of Cilium 1.19 (the CRD schema and the agent's
 * `Validate()` rules of cilium/cilium main at 1.20.0-dev, `pkg/policy/api/`,
 * `pkg/k8s/apis/cilium.io/utils/`): each rule (`spec`, and every entry of
 * `specs`) becomes one policy of the NetworkPolicy tier.
 */

/** The API version of both kinds. */
export const CILIUM_API = 'cilium.io/v2';
/** The Cilium policy kinds the analyzer reads. */
export const CILIUM_POLICY_KINDS: readonly string[] = ['CiliumNetworkPolicy', 'CiliumClusterwideNetworkPolicy'];

/** The result of compiling one Cilium policy object: a policy per rule, or the problems. */
export interface CiliumCompileResult {
  readonly policies: TierPolicy[];
  readonly problems: ProblemSink;
  readonly warnings: string[];
}

const SPEC_FIELDS = ['description', 'egress', 'egressDeny', 'enableDefaultDeny', 'endpointSelector', 'ingress', 'ingressDeny', 'labels', 'log', 'nodeSelector'];
const INGRESS_L3 = ['fromEndpoints', 'fromCIDR', 'fromCIDRSet', 'fromEntities', 'fromNodes', 'fromGroups'];
const EGRESS_L3 = ['toEndpoints', 'toCIDR', 'toCIDRSet', 'toEntities', 'toNodes', 'toGroups', 'toServices', 'toFQDNs'];
const ENTITIES = ['all', 'world', 'cluster', 'host', 'init', 'ingress', 'unmanaged', 'remote-node', 'health', 'none', 'kube-apiserver'];
const EXTENDED_PROTOCOLS = ['VRRP', 'IGMP', 'GRE', 'IPIP', 'IPV6', 'ESP', 'AH'];
const TRANSPORT_PROTOCOLS: readonly Protocol[] = [Protocol.TCP, Protocol.UDP, Protocol.SCTP];
/** CRD `maxItems` of `toPorts[].ports`. */
const MAX_PORTS = 40;
/** CRD patterns of `toFQDNs`. */
const FQDN_NAME = /^([-a-zA-Z0-9_]+[.]?)+$/;
const FQDN_PATTERN = /^([-a-zA-Z0-9_*]+[.]?)+$/;

interface Context {
  readonly kind: PolicyKind;
  /** The policy's namespace; undefined for a CiliumClusterwideNetworkPolicy. */
  readonly namespace?: string;
  readonly problems: ProblemSink;
  /** Warnings by topic: each topic is reported once per object, at its first place. */
  readonly notes: Map<string, string>;
  readonly locate: (path: FieldPath) => string;
}

/**
 * Validates a CiliumNetworkPolicy or CiliumClusterwideNetworkPolicy with the
 * CRD schema and the agent's rules for the fields the analyzer reads (an
 * object Cilium would reject is bad input, never a guess), and compiles each
 * of its rules. What is not evaluated (host policies, nodes by labels,
 * services, CIDR groups) is said in a warning, once per object.
 */
export function compileCiliumPolicy(entry: ManifestObject): CiliumCompileResult {
  const object = entry.object;
  const kind = object.kind as PolicyKind;
  const problems = new ProblemSink();
  const warnings: string[] = [];
  problems.unknownFields(object, [], ['apiVersion', 'kind', 'metadata', 'spec', 'specs', 'status']);
  const metadata = readMetadata(object, problems);
  const name = metadata.name;
  if (name === undefined || name === null || name === '') {
    problems.add(['metadata', 'name'], name, `a ${kind} needs a name`);
  } else if (typeof name !== 'string') {
    problems.add(['metadata', 'name'], name, 'the name must be a string');
  } else {
    const problem = dnsSubdomainProblem(name);
    if (problem) problems.add(['metadata', 'name'], name, `the name ${problem}`);
  }
  const clusterWide = kind === 'CiliumClusterwideNetworkPolicy';
  const namespace = clusterWide ? undefined : readNamespace(metadata, problems) ?? DEFAULT_NAMESPACE;
  if (clusterWide && metadata.namespace !== undefined && metadata.namespace !== null && metadata.namespace !== '') {
    warnings.push(`${locateField(entry, ['metadata', 'namespace'])}: ${kind} ${String(name)}: metadata.namespace is ignored: the policy is cluster-wide.`);
  }
  readLabels(metadata.labels, ['metadata', 'labels'], problems);
  checkAnnotations(metadata.annotations, ['metadata', 'annotations'], problems);
  const id = clusterWide ? `${kind} ${String(name)}` : `${kind} ${namespace}/${String(name)}`;
  const notes = new Map<string, string>();
  const context: Context = { kind, namespace, problems, notes, locate: (path) => `${locateField(entry, path)}: ${id}` };

  const specs: Array<{ raw: unknown; path: FieldPath }> = [];
  const hasSpec = object.spec !== undefined && object.spec !== null;
  if (hasSpec) specs.push({ raw: object.spec, path: ['spec'] });
  if (object.specs !== undefined && object.specs !== null) {
    if (!Array.isArray(object.specs)) problems.add(['specs'], object.specs, 'specs must be a list of rules');
    else object.specs.forEach((raw: unknown, i: number) => specs.push({ raw, path: ['specs', i] }));
  } else if (!hasSpec) {
    problems.add(['spec'], undefined, `a ${kind} needs spec or specs`);
  }
  const policies: TierPolicy[] = [];
  for (const { raw, path } of specs) {
    const compiled = compileSpec(raw, path, context);
    if (compiled) policies.push({ ...compiled, id, name: String(name), origin: entry.origin, source: entry, specPath: path });
  }
  warnings.push(...notes.values());
  return { policies: problems.count > 0 ? [] : policies, problems, warnings };
}

/** Records a warning once per object and topic. */
function note(context: Context, topic: string, path: FieldPath, message: string): void {
  if (!context.notes.has(topic)) context.notes.set(topic, `${context.locate(path)}: ${formatPath(path)}: ${message}`);
}

type CompiledSpec = Omit<TierPolicy, 'id' | 'name' | 'origin' | 'source'>;

function compileSpec(spec: any, path: FieldPath, context: Context): CompiledSpec | undefined {
  const { problems } = context;
  if (typeof spec !== 'object' || spec === null || Array.isArray(spec)) {
    problems.add(path, spec, 'a rule must be a mapping with endpointSelector and ingress/egress rules');
    return undefined;
  }
  problems.unknownFields(spec, path, SPEC_FIELDS);
  const present = (field: string) => spec[field] !== undefined && spec[field] !== null;
  if (present('endpointSelector') && present('nodeSelector')) {
    problems.add(path, spec, 'a rule cannot have both endpointSelector and nodeSelector');
  } else if (!present('endpointSelector') && !present('nodeSelector')) {
    problems.add([...path, 'endpointSelector'], undefined, 'a rule needs one of endpointSelector or nodeSelector');
  }
  if (!['ingress', 'ingressDeny', 'egress', 'egressDeny'].some(present)) {
    problems.add(path, spec, 'a rule needs at least one of ingress, ingressDeny, egress or egressDeny');
  }
  for (const field of ['description']) {
    if (present(field) && typeof spec[field] !== 'string') problems.add([...path, field], spec[field], `${field} must be a string`);
  }
  if (present('labels') && !Array.isArray(spec.labels)) problems.add([...path, 'labels'], spec.labels, 'labels must be a list of {key, value, source}');
  if (present('log') && (typeof spec.log !== 'object' || Array.isArray(spec.log))) problems.add([...path, 'log'], spec.log, 'log must be a mapping with value');
  const defaultDeny = readDefaultDeny(spec.enableDefaultDeny, [...path, 'enableDefaultDeny'], problems);

  const hostPolicy = present('nodeSelector');
  let subject: LabelMatcher | undefined;
  if (hostPolicy) {
    LabelMatcher.compile(spec.nodeSelector, [...path, 'nodeSelector'], problems, ciliumSelectorKey);
    note(context, `host:${formatPath(path)}`, [...path, 'nodeSelector'], 'a host policy (nodeSelector) applies to nodes, which are not endpoints of the manifests: it is not evaluated.');
  } else if (present('endpointSelector')) {
    subject = compileSubject(spec.endpointSelector, [...path, 'endpointSelector'], context);
  }
  const ingress = compileRules(spec.ingress, [...path, 'ingress'], Direction.INGRESS, false, context, hostPolicy);
  const ingressDeny = compileRules(spec.ingressDeny, [...path, 'ingressDeny'], Direction.INGRESS, true, context, hostPolicy);
  const egress = compileRules(spec.egress, [...path, 'egress'], Direction.EGRESS, false, context, hostPolicy);
  const egressDeny = compileRules(spec.egressDeny, [...path, 'egressDeny'], Direction.EGRESS, true, context, hostPolicy);
  if (hostPolicy || !subject) return undefined;

  // Default deny per direction (evaluateDefaultDenyForRule): as enableDefaultDeny says, else when the rule has rules for it.
  const isolates = new Set<Direction>();
  const applies = new Set<Direction>();
  const hasIngress = (Array.isArray(spec.ingress) && spec.ingress.length > 0) || (Array.isArray(spec.ingressDeny) && spec.ingressDeny.length > 0);
  const hasEgress = (Array.isArray(spec.egress) && spec.egress.length > 0) || (Array.isArray(spec.egressDeny) && spec.egressDeny.length > 0);
  if (defaultDeny.ingress ?? hasIngress) isolates.add(Direction.INGRESS);
  if (defaultDeny.egress ?? hasEgress) isolates.add(Direction.EGRESS);
  if (hasIngress || isolates.has(Direction.INGRESS)) applies.add(Direction.INGRESS);
  if (hasEgress || isolates.has(Direction.EGRESS)) applies.add(Direction.EGRESS);
  return {
    kind: context.kind,
    namespace: context.namespace,
    subject: { selector: subject, namespace: context.namespace, identity: true },
    isolates,
    applies,
    ingress,
    egress,
    ingressDeny,
    egressDeny,
  };
}

function readDefaultDeny(raw: unknown, path: FieldPath, problems: ProblemSink): { ingress?: boolean; egress?: boolean } {
  if (raw === undefined || raw === null) return {};
  if (typeof raw !== 'object' || Array.isArray(raw)) {
    problems.add(path, raw, 'enableDefaultDeny must be a mapping with ingress and/or egress (true or false)');
    return {};
  }
  problems.unknownFields(raw, path, ['ingress', 'egress']);
  const result: { ingress?: boolean; egress?: boolean } = {};
  for (const direction of ['ingress', 'egress'] as const) {
    const value = (raw as Record<string, unknown>)[direction];
    if (value === undefined || value === null) continue;
    if (typeof value !== 'boolean') problems.add([...path, direction], value, 'must be true or false (unquoted)');
    else result[direction] = value;
  }
  return result;
}

/**
 * The subject of a rule: a namespaced policy pins it to its namespace
 * (ParseCiliumRule: a `k8s:io.kubernetes.pod.namespace` match label is
 * replaced by the policy's namespace; any other namespace constraint stays,
 * ANDed, so a different namespace selects nothing).
 */
function compileSubject(raw: any, path: FieldPath, context: Context): LabelMatcher | undefined {
  let selector = raw;
  const pinned = `k8s:${POD_NAMESPACE_LABEL}`;
  if (context.namespace !== undefined && typeof raw === 'object' && raw !== null && !Array.isArray(raw)
    && typeof raw.matchLabels === 'object' && raw.matchLabels !== null && !Array.isArray(raw.matchLabels)
    && Object.prototype.hasOwnProperty.call(raw.matchLabels, pinned)) {
    const { [pinned]: written, ...rest } = raw.matchLabels;
    if (written !== context.namespace) {
      note(context, `subject-ns:${formatPath(path)}`, [...path, 'matchLabels', pinned],
        `Cilium replaces this namespace (${JSON.stringify(written)}) with the policy's own, ${context.namespace}: the rule selects pods of ${context.namespace} only.`);
    }
    selector = { ...raw, matchLabels: rest };
  }
  const matcher = LabelMatcher.compile(selector, path, context.problems, ciliumSelectorKey);
  if (matcher) checkSources(selector, path, context);
  return matcher;
}

/** The source-qualified keys a raw selector names (matchLabels and matchExpressions). */
function selectorKeys(raw: any): Array<{ source: string; key: string }> {
  const keys: string[] = [];
  if (raw && typeof raw.matchLabels === 'object' && raw.matchLabels !== null) keys.push(...Object.keys(raw.matchLabels));
  if (raw && Array.isArray(raw.matchExpressions)) {
    for (const e of raw.matchExpressions) if (e && typeof e.key === 'string') keys.push(e.key);
  }
  return keys.map(splitSourcedKey);
}

/** Warns about keys of sources no pod label has (`reserved:`, `cidr:`...): such identities are not evaluated. */
function checkSources(raw: any, path: FieldPath, context: Context): void {
  const other = selectorKeys(raw).find((k) => !isPodSource(k.source));
  if (other) {
    note(context, `source:${other.source}`, path, `selects by "${other.source}:" labels, which no pod carries: it is evaluated on pods and on the entities of flows (entity:host, entity:remote-node, entity:kube-apiserver), not on ip: addresses (reserved:world) or other identities.`);
  }
}

function compileRules(raw: unknown, path: FieldPath, direction: Direction, deny: boolean, context: Context, hostPolicy: boolean): TierRule[] {
  const { problems } = context;
  if (raw === undefined || raw === null) return [];
  if (!Array.isArray(raw)) {
    problems.add(path, raw, `${formatPath(path.slice(-1))} must be a list of rules`);
    return [];
  }
  const ingress = direction === Direction.INGRESS;
  const l3 = ingress ? INGRESS_L3 : deny ? EGRESS_L3.filter((f) => f !== 'toFQDNs') : EGRESS_L3;
  const known = [...l3, ingress ? 'fromRequires' : 'toRequires', 'icmps', 'toPorts', ...(deny ? [] : ['authentication'])];
  const rules: TierRule[] = [];
  raw.forEach((item: any, i: number) => {
    const at: FieldPath = [...path, i];
    const text = formatPath(at);
    const rule = item ?? {};
    if (typeof rule !== 'object' || Array.isArray(rule)) {
      problems.add(at, rule, 'a rule must be a mapping of peers and toPorts');
      return;
    }
    problems.unknownFields(rule, at, known);
    const given = l3.filter((f) => rule[f] !== undefined && rule[f] !== null);
    if (given.length > 1) {
      problems.add(at, rule, `combining ${given[0]} and ${given[1]} is not supported (Cilium rejects the rule)`);
      return;
    }
    const requires = ingress ? 'fromRequires' : 'toRequires';
    if (rule[requires] !== undefined && rule[requires] !== null && !(Array.isArray(rule[requires]) && rule[requires].length === 0)) {
      problems.add([...at, requires], rule[requires], `${requires} was removed from Cilium (the CRD allows no items); use endpoint selectors`);
    }
    const toPorts = rule.toPorts;
    const icmps = rule.icmps;
    const hasIcmps = icmps !== undefined && icmps !== null;
    if (hasIcmps && !Array.isArray(icmps)) problems.add([...at, 'icmps'], icmps, 'icmps must be a list');
    const icmpCount = Array.isArray(icmps) ? icmps.length : 0;
    const portCount = Array.isArray(toPorts) ? toPorts.length : 0;
    if (icmpCount > 0 && portCount > 0) {
      problems.add([...at, 'icmps'], icmps, 'icmps may only be present without toPorts');
      return;
    }
    let ports = compilePortRules(toPorts, [...at, 'toPorts'], direction, deny, context, hostPolicy);
    let icmpFields: IcmpField[] | undefined;
    if (icmpCount > 0) {
      // ICMP only: nothing of TCP, UDP or SCTP (connection sets leave ICMP out; flows judge it).
      icmpFields = compileIcmps(icmps, [...at, 'icmps'], context);
      ports = [];
    }
    if (!deny && !readAuthentication(rule.authentication, [...at, 'authentication'], context)) {
      ports = [];
      if (icmpFields) icmpFields = [];
    }
    let peers: TierPeer[] | undefined;
    if (given.length === 0) {
      // No peer: with toPorts (or icmps), every peer (a wildcard, not namespace-scoped); with neither, nothing.
      peers = portCount > 0 || icmpCount > 0 ? undefined : [];
    } else {
      peers = compilePeers(given[0], rule[given[0]], [...at, given[0]], context);
    }
    rules.push({ path: text, fieldPath: at, peers, ports, ...(icmpFields ? { icmps: icmpFields } : {}) });
  });
  return rules;
}

/** True when the rule can allow: `authentication.mode` other than `test-always-fail`. */
function readAuthentication(raw: unknown, path: FieldPath, context: Context): boolean {
  if (raw === undefined || raw === null) return true;
  if (typeof raw !== 'object' || Array.isArray(raw)) {
    context.problems.add(path, raw, 'authentication must be a mapping with mode');
    return true;
  }
  context.problems.unknownFields(raw, path, ['mode']);
  const mode = (raw as { mode?: unknown }).mode;
  if (mode !== 'disabled' && mode !== 'required' && mode !== 'test-always-fail') {
    context.problems.add([...path, 'mode'], mode, 'the mode must be disabled, required or test-always-fail');
    return true;
  }
  if (mode === 'required') note(context, 'auth', path, 'mutual authentication (mode: required) is not evaluated: the rule is read as if the peers authenticate.');
  return mode !== 'test-always-fail';
}

function compilePeers(field: string, raw: unknown, path: FieldPath, context: Context): TierPeer[] | undefined {
  const { problems } = context;
  if (!Array.isArray(raw)) {
    problems.add(path, raw, `${field} must be a list`);
    return [];
  }
  const peers: TierPeer[] = [];
  raw.forEach((item: unknown, i: number) => {
    const at: FieldPath = [...path, i];
    const peer = compilePeer(field, item, at, context);
    if (peer) peers.push(peer);
  });
  // An explicitly empty list selects nothing (mergeEndpointSelectors).
  return peers;
}

function compilePeer(field: string, item: any, path: FieldPath, context: Context): TierPeer | undefined {
  const { problems } = context;
  switch (field) {
    case 'fromEndpoints':
    case 'toEndpoints':
      return compileEndpointPeer(item, path, context);
    case 'fromEntities':
    case 'toEntities':
      return compileEntity(item, path, context);
    case 'fromCIDR':
    case 'toCIDR': {
      const cidr = parseCiliumCidr(item, path, context);
      return cidr && { kind: 'ip', cidr, except: [], text: `CIDR ${cidr.text}`, path };
    }
    case 'fromCIDRSet':
    case 'toCIDRSet':
      return compileCidrRule(item, path, context);
    case 'toFQDNs': {
      if (typeof item !== 'object' || item === null || Array.isArray(item)) {
        problems.add(path, item, 'a toFQDNs entry must be a mapping with matchName or matchPattern');
        return undefined;
      }
      problems.unknownFields(item, path, ['matchName', 'matchPattern']);
      const given = ['matchName', 'matchPattern'].filter((k) => item[k] !== undefined && item[k] !== null);
      if (given.length !== 1) {
        problems.add(path, item, 'a toFQDNs entry needs exactly one of matchName or matchPattern');
        return undefined;
      }
      const value = item[given[0]];
      const pattern = given[0] === 'matchName' ? FQDN_NAME : FQDN_PATTERN;
      if (typeof value !== 'string' || value.length > 255 || !pattern.test(value)) {
        problems.add([...path, given[0]], value, `${given[0]} must be a DNS name${given[0] === 'matchPattern' ? ' pattern' : ''} of at most 255 characters (letters, digits, "-", "_", "."${given[0] === 'matchPattern' ? ', "*"' : ''})`);
        return undefined;
      }
      // Evaluated in flows that give the name looked up (host:); connection sets are by address, so a name never adds to them.
      const names = given[0] === 'matchName' ? dnsNameRegExp(value) : dnsPatternRegExp(value);
      return { kind: 'fqdn', selector: value, pattern: given[0] === 'matchPattern', names, text: `DNS ${given[0] === 'matchName' ? 'name' : 'pattern'} ${value}`, path };
    }
    default: {
      // fromNodes/toNodes, fromGroups/toGroups, toServices: not endpoints or addresses of the manifests.
      if (typeof item !== 'object' || item === null || Array.isArray(item)) {
        problems.add(path, item, `a ${field} entry must be a mapping`);
        return undefined;
      }
      const what: Record<string, string> = {
        fromNodes: 'nodes', toNodes: 'nodes', fromGroups: 'cloud provider groups', toGroups: 'cloud provider groups', toServices: 'Services',
      };
      note(context, `peer:${field}`, path, `${field} peers (${what[field]}) are not evaluated yet: they match no endpoint or address here, so what they allow or deny is not reflected.`);
      return { kind: 'unmatched', text: `${what[field]} (${field}, not evaluated)`, path };
    }
  }
}

/**
 * `fromEndpoints`/`toEndpoints` entries, with Cilium's namespace injection
 * (getEndpointSelector): none when a key has the `reserved:` source or names
 * the namespace (`io.kubernetes.pod.namespace`, `k8s:` or not); in a
 * namespaced policy, the policy's namespace unless a key is a namespace label
 * (`io.cilium.k8s.namespace.labels.*`); in a cluster-wide one, any namespace
 * (pods only, which is all the manifests hold).
 */
function compileEndpointPeer(raw: unknown, path: FieldPath, context: Context): IdentityPeer | undefined {
  const selector = LabelMatcher.compile(raw ?? {}, path, context.problems, ciliumSelectorKey);
  if (!selector) return undefined;
  checkSources(raw, path, context);
  const keys = selectorKeys(raw);
  const reserved = keys.some((k) => k.source === 'reserved');
  const namesNamespace = keys.some((k) => isPodSource(k.source) && k.key === POD_NAMESPACE_LABEL);
  const namespaceLabels = keys.some((k) => isPodSource(k.source) && k.key.startsWith(NAMESPACE_LABELS_PREFIX));
  let namespace: string | undefined;
  if (!reserved && !namesNamespace && context.namespace !== undefined) {
    if (namespaceLabels) {
      note(context, 'ns-labels', path, `selects by namespace labels (${NAMESPACE_LABELS_PREFIX}*), read as Cilium 1.19 does: in every namespace, not only ${context.namespace} (older releases kept such peers in the policy's namespace).`);
    } else {
      namespace = context.namespace;
    }
  }
  const podText = selector.matchesAll ? 'all pods' : `pods ${selector.text}`;
  const nsText = namespace !== undefined ? `in namespace ${namespace}` : namesNamespace || namespaceLabels ? '(namespace as selected)' : 'in every namespace';
  // No namespace constraint added (getEndpointSelector (a), or no injection): the selector may select entities too.
  const unscoped = reserved || namesNamespace || (context.namespace !== undefined && namespaceLabels);
  return {
    kind: 'identity', selector, namespace, unscoped, text: `endpoints: ${podText} ${nsText}`, key: `cilium ns=${namespace ?? '*'}${unscoped ? ' unscoped' : ''} [${selector.text}]`, path,
  };
}

function compileEntity(raw: unknown, path: FieldPath, context: Context): TierPeer | undefined {
  if (raw === 'world-ipv4' || raw === 'world-ipv6') {
    context.problems.add(path, raw, `the CRD's entity enum does not have ${raw} (the API server rejects it); use world, or a CIDR set such as ${raw === 'world-ipv4' ? '0.0.0.0/0' : '::/0'}`);
    return undefined;
  }
  if (typeof raw !== 'string' || !ENTITIES.includes(raw)) {
    context.problems.add(path, raw, `an entity must be one of ${ENTITIES.join(', ')}`);
    return undefined;
  }
  const pods = raw === 'all' || raw === 'cluster';
  const addresses = raw === 'all' || raw === 'world';
  // entity.go EntitySelectorMapping: cluster takes in host, remote-node and kube-apiserver (not world); all, everything.
  const entities = pods ? ['kube-apiserver', 'host', 'remote-node'] : ['kube-apiserver', 'host', 'remote-node'].filter((e) => e === raw);
  if (!pods && !addresses && entities.length === 0 && raw !== 'none') {
    note(context, `entity:${raw}`, path, `the entity ${raw} is not an endpoint of the manifests or of flows: it matches no pod, no ip: address and no entity: endpoint.`);
  }
  const scope = raw === 'all' ? 'everyone' : raw === 'cluster' ? 'every pod, node and the API server' : raw === 'world' ? 'every address outside the cluster'
    : entities.length > 0 ? `entity:${raw}` : 'no endpoint of the manifests';
  return { kind: 'entity', entity: raw, pods, addresses, entities, text: `entity ${raw} (${scope})`, path };
}

/** A CIDR or a bare address (Cilium accepts both); host bits are masked, with a warning. */
function parseCiliumCidr(raw: unknown, path: FieldPath, context: Context): ParsedCidr | undefined {
  let text = raw;
  if (typeof raw === 'string' && !raw.includes('/')) {
    const ip = parseIp(raw);
    if (ip) text = `${raw}/${ip.family === 4 ? 32 : 128}`;
  }
  const parsed = parseCidr(text as string, { allowHostBits: true });
  if (!parsed.cidr) {
    context.problems.add(path, raw, parsed.problem ?? 'not a CIDR');
    return undefined;
  }
  if (parsed.hostBits) note(context, `hostbits:${formatPath(path)}`, path, `"${String(raw)}": ${parsed.hostBits}.`);
  return parsed.cidr;
}

function compileCidrRule(raw: any, path: FieldPath, context: Context): TierPeer | undefined {
  const { problems } = context;
  if (typeof raw !== 'object' || raw === null || Array.isArray(raw)) {
    problems.add(path, raw, 'a CIDR set entry must be a mapping with cidr and except');
    return undefined;
  }
  problems.unknownFields(raw, path, ['cidr', 'cidrGroupRef', 'cidrGroupSelector', 'except']);
  const given = ['cidr', 'cidrGroupRef', 'cidrGroupSelector'].filter((k) => raw[k] !== undefined && raw[k] !== null);
  if (given.length !== 1) {
    problems.add(path, raw, 'a CIDR set entry needs exactly one of cidr, cidrGroupRef or cidrGroupSelector');
    return undefined;
  }
  if (given[0] !== 'cidr') {
    note(context, 'cidr-group', [...path, given[0]], 'CiliumCIDRGroup references are not evaluated yet: they match no address here, so what they allow or deny is not reflected.');
    return { kind: 'unmatched', text: `CIDR group (${given[0]}, not evaluated)`, path };
  }
  const cidr = parseCiliumCidr(raw.cidr, [...path, 'cidr'], context);
  if (!cidr) return undefined;
  const rawExcept = raw.except ?? [];
  if (!Array.isArray(rawExcept)) {
    problems.add([...path, 'except'], rawExcept, 'except must be a list of CIDRs');
    return undefined;
  }
  const except: ParsedCidr[] = [];
  rawExcept.forEach((text: unknown, i: number) => {
    const parsed = parseCiliumCidr(text, [...path, 'except', i], context);
    if (!parsed) return;
    // CIDRRule.Validate: same family, inside the cidr, at least as long a prefix.
    if (!cidrContains(cidr, parsed)) {
      problems.add([...path, 'except', i], text, `must be inside the cidr ${cidr.text} (same family, a prefix at least as long)`);
      return;
    }
    except.push(parsed);
  });
  const exceptText = except.length ? ` except ${except.map((e) => e.text).join(', ')}` : '';
  return { kind: 'ip', cidr, except, text: `CIDR ${cidr.text}${exceptText}`, path };
}

/**
 * `toPorts`: each entry's ports (protocol TCP, UDP, SCTP, or ANY/omitted for
 * all three; port 0 or omitted for every port; a range with endPort; a named
 * port), flattened. Undefined (every port of every protocol) when absent or empty.
 */
function compilePortRules(
  raw: unknown, path: FieldPath, direction: Direction, deny: boolean, context: Context, hostPolicy: boolean,
): CompiledPort[] | undefined {
  const { problems } = context;
  if (raw === undefined || raw === null) return undefined;
  if (!Array.isArray(raw)) {
    problems.add(path, raw, 'toPorts must be a list of {ports, rules}');
    return undefined;
  }
  if (raw.length === 0) return undefined;
  const result: CompiledPort[] = [];
  raw.forEach((entry: any, i: number) => {
    const at: FieldPath = [...path, i];
    if (typeof entry !== 'object' || entry === null || Array.isArray(entry)) {
      problems.add(at, entry, 'a toPorts entry must be a mapping with ports');
      return;
    }
    problems.unknownFields(entry, at, deny ? ['ports'] : ['ports', 'rules', 'listener', 'originatingTLS', 'serverNames', 'terminatingTLS']);
    const l7 = deny ? undefined : readL7(entry, at, direction, context, hostPolicy);
    const ports = entry.ports ?? [];
    if (!Array.isArray(ports)) {
      problems.add([...at, 'ports'], ports, 'ports must be a list of {port, endPort, protocol}');
      return;
    }
    if (ports.length > MAX_PORTS) {
      problems.add([...at, 'ports'], `${ports.length} entries`, `at most ${MAX_PORTS} ports per toPorts entry`);
      return;
    }
    ports.forEach((port: unknown, j: number) => result.push(...compilePort(port, [...at, 'ports', j], l7, context)));
  });
  return result;
}

/** The L7 rules of a toPorts entry, validated as Cilium does. */
interface L7Rules {
  readonly kind: 'http' | 'dns';
  readonly text: string;
  readonly http?: HttpRuleSpec[];
  readonly dns?: DnsRuleSpec[];
}

/** The L7 rules of a toPorts entry, validated as Cilium does; undefined when there are none. */
function readL7(entry: any, path: FieldPath, direction: Direction, context: Context, hostPolicy: boolean): L7Rules | undefined {
  const { problems } = context;
  for (const field of ['listener', 'originatingTLS', 'terminatingTLS', 'serverNames']) {
    if (entry[field] !== undefined && entry[field] !== null) {
      note(context, `tls:${field}`, [...path, field], `${field} is not evaluated (it concerns L7 proxying, not which connections pass).`);
    }
  }
  const rules = entry.rules;
  if (rules === undefined || rules === null) return undefined;
  const at = [...path, 'rules'];
  if (typeof rules !== 'object' || Array.isArray(rules)) {
    problems.add(at, rules, 'rules must be a mapping with http or dns');
    return undefined;
  }
  problems.unknownFields(rules, at, ['http', 'dns']);
  const kinds = (['http', 'dns'] as const).filter((k) => rules[k] !== undefined && rules[k] !== null);
  if (kinds.length > 1) {
    problems.add(at, rules, 'multiple L7 protocol rule types specified in single rule (http and dns)');
    return undefined;
  }
  if (kinds.length === 0) return undefined;
  const kind = kinds[0];
  if (!Array.isArray(rules[kind])) {
    problems.add([...at, kind], rules[kind], `${kind} must be a list of rules`);
    return undefined;
  }
  if (hostPolicy && kind === 'http') problems.add([...at, kind], rules[kind], 'L7 (HTTP) rules are not supported in host policies');
  if (kind === 'dns' && direction === Direction.INGRESS) problems.add([...at, kind], rules[kind], 'DNS rules are not allowed on ingress');
  if (kind === 'dns' && (entry.ports === undefined || entry.ports === null || (Array.isArray(entry.ports) && entry.ports.length === 0))) {
    problems.add([...path, 'ports'], entry.ports, 'DNS rules need explicit ports (port 53 must be specified)');
  }
  if (kind === 'http') {
    const http = (rules.http as unknown[]).map((r, i) => compileHttpRule(r, [...at, 'http', i], context)).filter((r): r is HttpRuleSpec => r !== undefined);
    // layer7.rst: "If no rules are specified, then all traffic is permitted"; an empty list leaves the port unrestricted.
    const text = http.length === 0 ? 'HTTP rules: every request' : `HTTP ${http.map((r) => r.text).join(' or ')}`;
    return { kind, text, http };
  }
  const dns = (rules.dns as unknown[]).map((r, i) => compileDnsRule(r, [...at, 'dns', i], context)).filter((r): r is DnsRuleSpec => r !== undefined);
  return { kind, text: `DNS lookups of ${dns.map((r) => r.text).join(' or ') || 'any name'}`, dns };
}

/**
 * One `rules.http` entry: each field set must match (pkg/envoy/server.go
 * getHTTPRule: method, path and host as RE2 regexes on the whole header
 * value; headers present, or present with a value). Flows carry a method and
 * a path only, so an entry that needs a host or a header matches none of
 * their requests (`needs` says what); a headerMatches entry with `mismatch`
 * set never drops a request (CRD), so it demands nothing.
 */
function compileHttpRule(raw: unknown, path: FieldPath, context: Context): HttpRuleSpec | undefined {
  const { problems } = context;
  if (typeof raw !== 'object' || raw === null || Array.isArray(raw)) {
    problems.add(path, raw, 'an http rule must be a mapping with method, path, host, headers or headerMatches');
    return undefined;
  }
  const rule = raw as Record<string, unknown>;
  problems.unknownFields(rule, path, ['method', 'path', 'host', 'headers', 'headerMatches']);
  const regex = (field: 'method' | 'path' | 'host'): RegExp | undefined => {
    const value = rule[field];
    if (value === undefined || value === null || value === '') return undefined;
    const problem = re2PatternProblem(value);
    if (problem) {
      problems.add([...path, field], value, `the ${field} must be an RE2 regular expression (Envoy matches it): ${problem}`);
      return undefined;
    }
    return wholeValueRegExp(value as string);
  };
  const method = regex('method');
  const pathRegex = regex('path');
  const host = regex('host');
  const needs: string[] = [];
  if (host) needs.push(`host ${String(rule.host)}`);
  if (rule.headers !== undefined && rule.headers !== null) {
    if (!Array.isArray(rule.headers) || rule.headers.some((h) => typeof h !== 'string')) {
      problems.add([...path, 'headers'], rule.headers, 'headers must be a list of strings ("Name" or "Name: value")');
    } else if (rule.headers.length > 0) {
      needs.push(`header${rule.headers.length === 1 ? '' : 's'} ${rule.headers.join(', ')}`);
    }
  }
  if (rule.headerMatches !== undefined && rule.headerMatches !== null) {
    if (!Array.isArray(rule.headerMatches)) {
      problems.add([...path, 'headerMatches'], rule.headerMatches, 'headerMatches must be a list of {name, value, secret, mismatch}');
    } else {
      rule.headerMatches.forEach((m: any, i: number) => {
        if (typeof m !== 'object' || m === null || Array.isArray(m) || typeof m.name !== 'string' || m.name === '') {
          problems.add([...path, 'headerMatches', i], m, 'a headerMatches entry needs a name');
        } else if (m.mismatch === undefined || m.mismatch === null) {
          needs.push(`header ${m.name}`);
        }
      });
    }
  }
  const methodText = typeof rule.method === 'string' && rule.method !== '' ? rule.method : 'any method';
  const pathText = typeof rule.path === 'string' && rule.path !== '' ? rule.path : 'any path';
  const text = `${methodText} ${pathText}${needs.length ? ` (with ${needs.join(', ')})` : ''}`;
  return { ...(method ? { method } : {}), ...(pathRegex ? { path: pathRegex } : {}), ...(needs.length ? { needs: needs.join(', ') } : {}), text };
}

/** One `rules.dns` entry: a name or a pattern (PortRuleDNS), matched as toFQDNs ones are. */
function compileDnsRule(raw: unknown, path: FieldPath, context: Context): DnsRuleSpec | undefined {
  const { problems } = context;
  if (typeof raw !== 'object' || raw === null || Array.isArray(raw)) {
    problems.add(path, raw, 'a dns rule must be a mapping with matchName or matchPattern');
    return undefined;
  }
  const rule = raw as Record<string, unknown>;
  problems.unknownFields(rule, path, ['matchName', 'matchPattern']);
  const given = ['matchName', 'matchPattern'].filter((k) => rule[k] !== undefined && rule[k] !== null);
  if (given.length !== 1) {
    problems.add(path, raw, 'a dns rule needs exactly one of matchName or matchPattern');
    return undefined;
  }
  const value = rule[given[0]];
  const language = given[0] === 'matchName' ? FQDN_NAME : FQDN_PATTERN;
  if (typeof value !== 'string' || value.length > 255 || !language.test(value)) {
    problems.add([...path, given[0]], value, `${given[0]} must be a DNS name${given[0] === 'matchPattern' ? ' pattern' : ''} of at most 255 characters`);
    return undefined;
  }
  return { names: given[0] === 'matchName' ? dnsNameRegExp(value) : dnsPatternRegExp(value), text: value };
}

/** ICMP type names by family (pkg/policy/api/icmp.go icmpIpv4TypeNameToCode, icmpIpv6TypeNameToCode). */
const ICMP_TYPE_NAMES: Readonly<Record<4 | 6, Readonly<Record<string, number>>>> = {
  4: {
    EchoReply: 0,
    DestinationUnreachable: 3,
    Redirect: 5,
    Echo: 8,
    EchoRequest: 8,
    RouterAdvertisement: 9,
    RouterSelection: 10,
    TimeExceeded: 11,
    ParameterProblem: 12,
    Timestamp: 13,
    TimestampReply: 14,
    Photuris: 40,
    ExtendedEchoRequest: 42,
    ExtendedEchoReply: 43,
  },
  6: {
    DestinationUnreachable: 1,
    PacketTooBig: 2,
    TimeExceeded: 3,
    ParameterProblem: 4,
    EchoRequest: 128,
    EchoReply: 129,
    MulticastListenerQuery: 130,
    MulticastListenerReport: 131,
    MulticastListenerDone: 132,
    RouterSolicitation: 133,
    RouterAdvertisement: 134,
    NeighborSolicitation: 135,
    NeighborAdvertisement: 136,
    RedirectMessage: 137,
    RouterRenumbering: 138,
    ICMPNodeInformationQuery: 139,
    ICMPNodeInformationResponse: 140,
    InverseNeighborDiscoverySolicitation: 141,
    InverseNeighborDiscoveryAdvertisement: 142,
    HomeAgentAddressDiscoveryRequest: 144,
    HomeAgentAddressDiscoveryReply: 145,
    MobilePrefixSolicitation: 146,
    MobilePrefixAdvertisement: 147,
    DuplicateAddressRequestCodeSuffix: 157,
    DuplicateAddressConfirmationCodeSuffix: 158,
    ExtendedEchoRequest: 160,
    ExtendedEchoReply: 161,
  },
};
/** CRD `icmps[].fields` maxItems. */
const MAX_ICMP_FIELDS = 40;

/**
 * `icmps`: each entry's fields, flattened: a family (IPv4 by default, or
 * IPv6) and a type, a number 0-255 or a name of that family (a name of the
 * other family is rejected, as ICMPField.UnmarshalJSON does).
 */
function compileIcmps(raw: unknown[], path: FieldPath, context: Context): IcmpField[] {
  const { problems } = context;
  const result: IcmpField[] = [];
  raw.forEach((entry: any, i: number) => {
    const at: FieldPath = [...path, i];
    if (typeof entry !== 'object' || entry === null || Array.isArray(entry)) {
      problems.add(at, entry, 'an icmps entry must be a mapping with fields');
      return;
    }
    problems.unknownFields(entry, at, ['fields']);
    const fields = entry.fields ?? [];
    if (!Array.isArray(fields) || fields.length > MAX_ICMP_FIELDS) {
      problems.add([...at, 'fields'], fields, `fields must be a list of at most ${MAX_ICMP_FIELDS} {family, type}`);
      return;
    }
    fields.forEach((field: any, j: number) => {
      const fat: FieldPath = [...at, 'fields', j];
      if (typeof field !== 'object' || field === null || Array.isArray(field)) {
        problems.add(fat, field, 'an ICMP field must be a mapping with family and type');
        return;
      }
      problems.unknownFields(field, fat, ['family', 'type']);
      const familyText = field.family ?? 'IPv4';
      if (familyText !== 'IPv4' && familyText !== 'IPv6') {
        problems.add([...fat, 'family'], field.family, 'the family must be IPv4 or IPv6');
        return;
      }
      const family: 4 | 6 = familyText === 'IPv4' ? 4 : 6;
      const type = field.type;
      let number: number | undefined;
      if (typeof type === 'number' && Number.isInteger(type) && type >= 0 && type <= 255) number = type;
      else if (typeof type === 'string' && /^(0|[1-9][0-9]{0,2})$/.test(type) && Number(type) <= 255) number = Number(type);
      else if (typeof type === 'string') number = ICMP_TYPE_NAMES[family][type];
      if (number === undefined) {
        problems.add([...fat, 'type'], type, `the type must be a number from 0 to 255 or an ${familyText} ICMP type name (${Object.keys(ICMP_TYPE_NAMES[family]).slice(0, 4).join(', ')}...)`);
        return;
      }
      const name = typeof type === 'string' && !/^[0-9]/.test(type) ? ` (${type})` : '';
      result.push({ family, type: number, text: `${family === 4 ? 'ICMP' : 'ICMPv6'} type ${number}${name}` });
    });
  });
  return result;
}

/** One `ports` entry: a CompiledPort per transport protocol it covers (none for an extended IP protocol). */
function compilePort(raw: any, path: FieldPath, l7: L7Rules | undefined, context: Context): CompiledPort[] {
  const { problems } = context;
  if (typeof raw !== 'object' || raw === null || Array.isArray(raw)) {
    problems.add(path, raw, 'a port entry must be a mapping with port, endPort and protocol');
    return [];
  }
  problems.unknownFields(raw, path, ['port', 'endPort', 'protocol']);
  const protocol = raw.protocol ?? '';
  let protocols: readonly Protocol[];
  if (protocol === '' || protocol === 'ANY') {
    protocols = TRANSPORT_PROTOCOLS;
  } else if (TRANSPORT_PROTOCOLS.includes(protocol)) {
    protocols = [protocol];
  } else if (EXTENDED_PROTOCOLS.includes(protocol)) {
    protocols = [];
  } else {
    problems.add([...path, 'protocol'], raw.protocol, `the protocol must be one of TCP, UDP, SCTP, ANY, ${EXTENDED_PROTOCOLS.join(', ')} (upper case; ICMP is matched with icmps)`);
    return [];
  }
  const port = raw.port ?? '';
  if (typeof port !== 'string') {
    problems.add([...path, 'port'], port, `the port must be a string (quote it: "${String(port)}")`);
    return [];
  }
  const endPort = raw.endPort ?? 0;
  if (!Number.isInteger(endPort) || endPort < 0 || endPort > 65535) {
    problems.add([...path, 'endPort'], raw.endPort, 'endPort must be a whole number from 0 to 65535');
    return [];
  }
  let number: number | undefined;
  let name: string | undefined;
  if (/^[0-9]+$/.test(port)) {
    if (port.length > 1 && port.startsWith('0')) {
      problems.add([...path, 'port'], port, 'a port with a leading zero is read as octal by Cilium; write it in decimal');
      return [];
    }
    number = Number(port);
    if (number > 65535) {
      problems.add([...path, 'port'], port, 'a port must be between 0 and 65535');
      return [];
    }
  } else if (port !== '') {
    name = port.toLowerCase();
    const problem = portNameProblem(name);
    if (problem) {
      problems.add([...path, 'port'], port, problem);
      return [];
    }
  }
  if (protocols.length === 0) {
    if ((number ?? 0) !== 0 || name !== undefined) problems.add([...path, 'port'], port, `the protocol ${protocol} has no ports: leave port empty or "0"`);
    else note(context, 'extended', [...path, 'protocol'], `the IP protocol ${protocol} is not evaluated (connection sets cover TCP, UDP and SCTP).`);
    return [];
  }
  const all = number === undefined && name === undefined ? true : number === 0;
  if (l7 && all) problems.add([...path, 'port'], port, 'L7 rules can not be used when a port is 0 (or empty)');
  if (l7?.kind === 'http' && protocols.length !== 1) problems.add([...path, 'protocol'], raw.protocol, 'L7 rules can only apply to TCP, except for DNS rules: set protocol: TCP');
  if (l7?.kind === 'http' && protocols[0] !== Protocol.TCP) problems.add([...path, 'protocol'], raw.protocol, `L7 rules can only apply to TCP (not ${protocols[0]}) except for DNS rules`);
  if (l7?.kind === 'dns' && endPort > (number ?? 0)) problems.add([...path, 'endPort'], endPort, 'DNS rules do not support port ranges');
  let range: number | undefined;
  if (endPort !== 0) {
    if (name !== undefined) {
      note(context, `endport-name:${formatPath(path)}`, [...path, 'endPort'], 'endPort is ignored with a named port (as Cilium does).');
    } else if (all) {
      problems.add([...path, 'endPort'], endPort, 'endPort needs a port from 1 to 65535 (with port 0, what Cilium does is not defined); write port: "1"');
      return [];
    } else if (endPort < number!) {
      problems.add([...path, 'endPort'], endPort, `endPort must not be below port ${number} (what Cilium does then is not defined)`);
      return [];
    } else if (endPort > number!) {
      range = endPort;
    }
  }
  const l7text = l7 ? { l7: l7.text, ...(l7.http ? { http: l7.http } : {}), ...(l7.dns ? { dns: l7.dns } : {}) } : {};
  return protocols.map((p): CompiledPort => {
    if (name !== undefined) return { protocol: p, name, text: `${p} port named "${name}"`, path, ...l7text };
    if (all) return { protocol: p, text: `every ${p} port`, path, ...l7text };
    if (range !== undefined) return { protocol: p, port: number, endPort: range, text: `${p} ${number}-${range}`, path, ...l7text };
    return { protocol: p, port: number, text: `${p} ${number}`, path, ...l7text };
  });
}

import { Protocol } from '../protocol';
import { CompiledPeer, CompiledPolicy, CompiledPort, CompiledRule } from './compiled-policy';
import { Direction } from './flow';
import { LabelMatcher } from './label-matcher';
import { FieldPath, formatPath, locateField, ManifestObject } from './manifest-object';
import { ProblemSink } from './problems';
import { checkAnnotations, DEFAULT_NAMESPACE, readLabels, readMetadata, readNamespace } from './read-metadata';
import { cidrContains, parseCidr, ParsedCidr } from '../validation/cidr';
import { dnsSubdomainProblem } from '../validation/labels';
import { isProtocol, portNameProblem, portNumberProblem } from '../validation/ports';

export { DEFAULT_NAMESPACE };

/** The result of compiling one NetworkPolicy: the policy, or its problems. */
export interface CompileResult {
  readonly policy?: CompiledPolicy;
  readonly problems: ProblemSink;
  /** Non-fatal notes, e.g. host bits in a CIDR. */
  readonly warnings: string[];
}

/**
 * Validates a `networking.k8s.io/v1` NetworkPolicy with the API server's rules
 * (and rejects unknown fields, as kubectl's strict validation does), and
 * compiles it for evaluation. Defaulting is the API server's: an absent
 * podSelector selects every pod, absent policyTypes mean Ingress plus Egress
 * when `spec.egress` is a non-empty list, and an absent protocol is TCP.
 */
export function compilePolicy(entry: ManifestObject): CompileResult {
  const object = entry.object;
  const problems = new ProblemSink();
  const warnings: string[] = [];
  // The fields the API server knows: anything else is a typo that would silently be dropped.
  problems.unknownFields(object, [], ['apiVersion', 'kind', 'metadata', 'spec', 'status']);
  const metadata = readMetadata(object, problems);
  const name = metadata.name;
  if (name === undefined || name === null || name === '') {
    problems.add(['metadata', 'name'], name, 'a NetworkPolicy needs a name');
  } else if (typeof name !== 'string') {
    problems.add(['metadata', 'name'], name, 'the name must be a string');
  } else {
    const problem = dnsSubdomainProblem(name);
    if (problem) problems.add(['metadata', 'name'], name, `the name ${problem}`);
  }
  // An invalid namespace is reported; the rules are still checked, in the default one.
  const namespace = readNamespace(metadata, problems) ?? DEFAULT_NAMESPACE;
  readLabels(metadata.labels, ['metadata', 'labels'], problems);
  checkAnnotations(metadata.annotations, ['metadata', 'annotations'], problems);
  const spec = object.spec ?? {};
  if (typeof spec !== 'object' || Array.isArray(spec)) {
    problems.add(['spec'], spec, 'spec must be a mapping');
    return { problems, warnings };
  }
  problems.unknownFields(spec, ['spec'], ['podSelector', 'policyTypes', 'ingress', 'egress']);
  const podSelector = LabelMatcher.compile(spec.podSelector, ['spec', 'podSelector'], problems);
  const locate = (path: FieldPath): string => `${locateField(entry, path)}: NetworkPolicy ${namespace}/${name}`;
  const context: RuleContext = { namespace, problems, warnings, locate };
  const ingress = compileRules(spec.ingress, Direction.INGRESS, context);
  const egress = compileRules(spec.egress, Direction.EGRESS, context);
  const isolates = effectivePolicyTypes(spec, problems);
  if (problems.count > 0 || !podSelector) {
    return { problems, warnings };
  }
  return {
    problems,
    warnings,
    policy: {
      kind: 'NetworkPolicy',
      id: `${namespace}/${name}`,
      namespace,
      name,
      podSelector,
      subject: { selector: podSelector, namespace, identity: false },
      isolates,
      // The rules of a direction that is not in policyTypes are not enforced.
      applies: isolates,
      ingress,
      egress,
      ingressDeny: [],
      egressDeny: [],
      origin: entry.origin,
      source: entry,
    },
  };
}

function effectivePolicyTypes(spec: any, problems: ProblemSink): Set<Direction> {
  const types = spec.policyTypes;
  if (types !== undefined && types !== null && !Array.isArray(types)) {
    problems.add(['spec', 'policyTypes'], types, 'policyTypes must be a list of Ingress and/or Egress');
    return new Set();
  }
  if (Array.isArray(types) && types.length > 0) {
    if (types.length > 2) {
      problems.add(['spec', 'policyTypes'], types, 'at most two policyTypes (Ingress, Egress) are allowed');
    }
    const result = new Set<Direction>();
    types.forEach((t, i) => {
      if (t === Direction.INGRESS || t === Direction.EGRESS) result.add(t);
      else problems.add(['spec', 'policyTypes', i], t, 'a policy type must be "Ingress" or "Egress" (case-sensitive)');
    });
    return result;
  }
  // The API server's defaulting: Ingress always; Egress only for a non-empty egress list.
  const result = new Set<Direction>([Direction.INGRESS]);
  if (Array.isArray(spec.egress) && spec.egress.length > 0) {
    result.add(Direction.EGRESS);
  }
  return result;
}

interface RuleContext {
  readonly namespace: string;
  readonly problems: ProblemSink;
  readonly warnings: string[];
  /** `file:line: NetworkPolicy ns/name` for a field, for warnings. */
  readonly locate: (path: FieldPath) => string;
}

function compileRules(raw: unknown, direction: Direction, context: RuleContext): CompiledRule[] {
  const field = direction === Direction.INGRESS ? 'ingress' : 'egress';
  const peersField = direction === Direction.INGRESS ? 'from' : 'to';
  if (raw === undefined || raw === null) return [];
  if (!Array.isArray(raw)) {
    context.problems.add(['spec', field], raw, `${field} must be a list of rules`);
    return [];
  }
  return raw.map((rule, i) => {
    const path: FieldPath = ['spec', field, i];
    const pathText = `spec.${field}[${i}]`;
    if (rule === null || rule === undefined) {
      return { path: pathText, fieldPath: path };
    }
    if (typeof rule !== 'object' || Array.isArray(rule)) {
      context.problems.add(path, rule, `a rule must be a mapping with ${peersField} and ports`);
      return { path: pathText, fieldPath: path };
    }
    context.problems.unknownFields(rule, path, [peersField, 'ports']);
    const peers = compileList(rule[peersField], [...path, peersField], context, compilePeer);
    const ports = compileList(rule.ports, [...path, 'ports'], context, compilePort);
    return { path: pathText, fieldPath: path, peers, ports };
  });
}

/** Compiles a list field; an absent or empty list is undefined ("everything"). */
type ItemCompiler<T> = (item: any, path: FieldPath, context: RuleContext) => T | undefined;

function compileList<T>(raw: unknown, path: FieldPath, context: RuleContext, compile: ItemCompiler<T>): T[] | undefined {
  if (raw === undefined || raw === null) return undefined;
  if (!Array.isArray(raw)) {
    context.problems.add(path, raw, 'must be a list');
    return undefined;
  }
  if (raw.length === 0) return undefined;
  const items: T[] = [];
  raw.forEach((item, i) => {
    const compiled = compile(item, [...path, i], context);
    if (compiled !== undefined) items.push(compiled);
  });
  return items;
}

function compilePeer(peer: any, path: FieldPath, context: RuleContext): CompiledPeer | undefined {
  const { problems } = context;
  if (typeof peer !== 'object' || peer === null || Array.isArray(peer)) {
    problems.add(path, peer, 'a peer must be a mapping with podSelector, namespaceSelector or ipBlock');
    return undefined;
  }
  problems.unknownFields(peer, path, ['podSelector', 'namespaceSelector', 'ipBlock']);
  const present = ['podSelector', 'namespaceSelector', 'ipBlock'].filter((k) => peer[k] !== undefined && peer[k] !== null);
  if (present.length === 0) {
    problems.add(path, peer, 'a peer must specify a podSelector, a namespaceSelector or an ipBlock');
    return undefined;
  }
  if (peer.ipBlock !== undefined && peer.ipBlock !== null) {
    if (present.length > 1) {
      problems.add(path, peer, 'an ipBlock peer may not also specify a podSelector or namespaceSelector');
      return undefined;
    }
    return compileIpBlock(peer.ipBlock, path, context);
  }
  const hasNamespaces = peer.namespaceSelector !== undefined && peer.namespaceSelector !== null;
  const pods = LabelMatcher.compile(peer.podSelector, [...path, 'podSelector'], problems);
  const namespaces = hasNamespaces ? LabelMatcher.compile(peer.namespaceSelector, [...path, 'namespaceSelector'], problems) : undefined;
  if (!pods || (hasNamespaces && !namespaces)) return undefined;
  const podText = pods.matchesAll ? 'all pods' : `pods ${pods.text}`;
  const nsText = namespaces
    ? namespaces.matchesAll ? 'in every namespace' : `in namespaces ${namespaces.text}`
    : `in namespace ${context.namespace}`;
  return {
    kind: 'pods',
    namespaces,
    ownNamespace: context.namespace,
    pods,
    text: `${podText} ${nsText}`,
    key: `${namespaces ? `ns[${namespaces.text}]` : `ns=${context.namespace}`} pods[${pods.text}]`,
    path,
  };
}

function compileIpBlock(block: any, peerPath: FieldPath, context: RuleContext): CompiledPeer | undefined {
  const { problems } = context;
  const path = [...peerPath, 'ipBlock'];
  if (typeof block !== 'object' || Array.isArray(block)) {
    problems.add(path, block, 'an ipBlock must be a mapping with cidr and except');
    return undefined;
  }
  problems.unknownFields(block, path, ['cidr', 'except']);
  const cidr = parseInputCidr(block.cidr, [...path, 'cidr'], context);
  if (!cidr) return undefined;
  const except: ParsedCidr[] = [];
  const rawExcept = block.except ?? [];
  if (!Array.isArray(rawExcept)) {
    problems.add([...path, 'except'], rawExcept, 'except must be a list of CIDRs');
    return undefined;
  }
  rawExcept.forEach((text: unknown, i: number) => {
    const parsed = parseInputCidr(text, [...path, 'except', i], context);
    if (!parsed) return;
    if (!(cidrContains(cidr, parsed) && parsed.prefix > cidr.prefix)) {
      problems.add([...path, 'except', i], text, `must be a strict subset of the cidr ${cidr.text}`);
      return;
    }
    except.push(parsed);
  });
  const exceptText = except.length ? ` except ${except.map((e) => e.text).join(', ')}` : '';
  return { kind: 'ip', cidr, except, text: `ipBlock ${cidr.text}${exceptText}`, path: peerPath };
}

function parseInputCidr(text: unknown, path: FieldPath, context: RuleContext): ParsedCidr | undefined {
  const parsed = parseCidr(text as string, { allowHostBits: true });
  if (!parsed.cidr) {
    context.problems.add(path, text, parsed.problem ?? 'not a CIDR');
    return undefined;
  }
  if (parsed.hostBits) {
    context.warnings.push(`${context.locate(path)}: ${formatPath(path)}: "${String(text)}": ${parsed.hostBits}.`);
  }
  return parsed.cidr;
}

function compilePort(entry: any, path: FieldPath, context: RuleContext): CompiledPort | undefined {
  const { problems } = context;
  if (typeof entry !== 'object' || entry === null || Array.isArray(entry)) {
    problems.add(path, entry, 'a port entry must be a mapping with protocol, port and endPort');
    return undefined;
  }
  problems.unknownFields(entry, path, ['protocol', 'port', 'endPort']);
  const protocol = entry.protocol ?? Protocol.TCP;
  if (!isProtocol(protocol)) {
    problems.add([...path, 'protocol'], entry.protocol, 'the protocol must be TCP, UDP or SCTP (upper case)');
    return undefined;
  }
  const port = entry.port;
  const endPort = entry.endPort;
  if (port === undefined || port === null) {
    if (endPort !== undefined && endPort !== null) {
      problems.add([...path, 'endPort'], endPort, 'endPort needs a numeric port');
      return undefined;
    }
    return { protocol, text: `every ${protocol} port`, path };
  }
  if (typeof port === 'string') {
    const problem = portNameProblem(port);
    if (problem) {
      problems.add([...path, 'port'], port, problem);
      return undefined;
    }
    if (endPort !== undefined && endPort !== null) {
      problems.add([...path, 'endPort'], endPort, 'endPort may not be used with a named port');
      return undefined;
    }
    return { protocol, name: port, text: `${protocol} port named "${port}"`, path };
  }
  const portProblem = portNumberProblem(port);
  if (portProblem) {
    problems.add([...path, 'port'], port, portProblem);
    return undefined;
  }
  if (endPort === undefined || endPort === null) {
    return { protocol, port, text: `${protocol} ${port}`, path };
  }
  const endProblem = portNumberProblem(endPort);
  if (endProblem || endPort < port) {
    problems.add([...path, 'endPort'], endPort, endProblem ?? `endPort must not be below port ${port}`);
    return undefined;
  }
  return { protocol, port, endPort, text: `${protocol} ${port}-${endPort}`, path };
}

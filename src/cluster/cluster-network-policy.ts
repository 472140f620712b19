import { ApiObject, Chart, Lazy } from 'cdk8s';
import { Construct } from 'constructs';
import { ClusterPeer } from './cluster-peer';
import { ClusterSubject } from './cluster-subject';
import { ClusterRuleAction, ClusterTier } from './cluster-tier';
import { policyNameFor } from '../internal/naming';
import { checkProps, childPath } from '../internal/props';
import { registerPolicy } from '../internal/registry';
import { Port } from '../port';
import { assertLabelKey, assertLabelValue, dnsSubdomainProblem } from '../validation/labels';

/** The API's limits (policy.networking.k8s.io/v1alpha2). */
const MAX_RULES = 25;
const MAX_PEERS = 25;
const MAX_PROTOCOLS = 25;
const MAX_RULE_NAME = 100;
const MAX_PRIORITY = 1000;

/**
 * One rule of a ClusterNetworkPolicy: what to do with connections from (or
 * to) `peers` on `ports`. Rules are decided in order; the first that matches wins.
 */
export interface ClusterNetworkPolicyRule {
  /** Accept, Deny or Pass. */
  readonly action: ClusterRuleAction;

  /** Sources (ingress) or destinations (egress): 1 to 25. `networks` peers are destinations only. */
  readonly peers: ClusterPeer[];

  /**
   * Destination ports (1 to 25). `Port.allPorts()` (alone) matches every port
   * and protocol; a named port matches the container port of that name, with
   * that container port's protocol.
   */
  readonly ports: Port[];

  /**
   * A name for the rule (at most 100 characters), shown in explanations.
   * @default - none
   */
  readonly name?: string;
}

/**
 * Properties of a `ClusterNetworkPolicy`.
 */
export interface ClusterNetworkPolicyProps {
  /** Admin (above NetworkPolicies) or Baseline (below them). */
  readonly tier: ClusterTier;

  /**
   * 0 to 1000: lower numbers are decided first. Two policies of one tier with
   * the same priority whose subjects overlap are decided in an order the API
   * leaves undefined (`cdk8s-netpol lint` reports it).
   */
  readonly priority: number;

  /** The pods the policy applies to. */
  readonly subject: ClusterSubject;

  /**
   * Ingress rules, in order (at most 25).
   * @default - none; add them with `addIngressRule()`
   */
  readonly ingress?: ClusterNetworkPolicyRule[];

  /**
   * Egress rules, in order (at most 25).
   * @default - none; add them with `addEgressRule()`
   */
  readonly egress?: ClusterNetworkPolicyRule[];

  /**
   * `metadata.name` (cluster-wide: unique in the cluster).
   * @default - derived from the construct path below the Chart
   */
  readonly name?: string;

  /**
   * Labels of the object.
   * @default - the Chart's labels only
   */
  readonly labels?: { [key: string]: string };
}

/**
 * A cluster-scoped `ClusterNetworkPolicy` (policy.networking.k8s.io/v1alpha2,
 * network-policy-api v0.2.0): guardrails a platform team sets for every
 * namespace, in the Admin tier (above NetworkPolicies: Accept, Deny or Pass)
 * or the Baseline tier (defaults below them). Put it in a Chart without a
 * namespace.
 *
 * The API's limits are checked when it is created: priority 0 to 1000, at
 * most 25 rules a direction, 25 peers and 25 ports a rule, 25 networks a peer.
 *
 * @example
 * new ClusterNetworkPolicy(platformChart, 'no-metadata', {
 *   tier: ClusterTier.ADMIN,
 *   priority: 10,
 *   subject: ClusterSubject.allNamespaces(),
 *   egress: [{ action: ClusterRuleAction.DENY, peers: [ClusterPeer.networks('169.254.169.254/32')], ports: [Port.allPorts()] }],
 * });
 */
export class ClusterNetworkPolicy extends ApiObject {
  /** The tier. */
  public readonly tier: ClusterTier;
  /** The priority (0 to 1000, lower first). */
  public readonly priority: number;
  /** The pods it applies to. */
  public readonly subject: ClusterSubject;

  private readonly ingressRules: object[] = [];
  private readonly egressRules: object[] = [];

  /**
   * @param scope the parent construct (in a Chart without a namespace)
   * @param id the construct id; it names the policy, so changing it renames it
   * @param props the ClusterNetworkPolicyProps
   */
  constructor(scope: Construct, id: string, props: ClusterNetworkPolicyProps) {
    const path = childPath(scope, id);
    checkProps(path, 'ClusterNetworkPolicy', props);
    if (!props) throw new Error(`${path}: ClusterNetworkPolicy needs props: tier, priority and subject.`);
    if (props.tier !== ClusterTier.ADMIN && props.tier !== ClusterTier.BASELINE) {
      throw new Error(`${path}: \`tier\` must be ClusterTier.ADMIN or ClusterTier.BASELINE, got ${String(props.tier)}.`);
    }
    if (!Number.isInteger(props.priority) || props.priority < 0 || props.priority > MAX_PRIORITY) {
      throw new Error(`${path}: \`priority\` must be a whole number from 0 to ${MAX_PRIORITY} (the API's range), got ${String(props.priority)}.`);
    }
    if (!(props.subject instanceof ClusterSubject)) {
      throw new Error(`${path}: \`subject\` must be a ClusterSubject (ClusterSubject.namespaces(), .pods(), .allNamespaces()).`);
    }
    const namespace = Chart.of(scope).namespace;
    if (namespace !== undefined) {
      throw new Error(
        `${path}: a ClusterNetworkPolicy is cluster-scoped, but its Chart has the namespace "${namespace}" ` +
        '(cdk8s would write it into the object); put it in a Chart without a namespace.',
      );
    }
    for (const [key, value] of Object.entries(props.labels ?? {})) {
      assertLabelKey(key, `${path} (labels)`);
      assertLabelValue(key, value, `${path} (labels)`);
    }
    const name = props.name ?? policyNameFor(scope, id);
    const nameProblem = dnsSubdomainProblem(name);
    if (nameProblem) throw new Error(`${path}: invalid policy name "${name}": it ${nameProblem}.`);
    const ingress = (props.ingress ?? []).map((rule, i) => renderRule(`${path}: ingress rule #${i + 1}`, 'from', rule));
    const egress = (props.egress ?? []).map((rule, i) => renderRule(`${path}: egress rule #${i + 1}`, 'to', rule));
    for (const [rules, direction] of [[ingress, 'ingress'], [egress, 'egress']] as const) {
      if (rules.length > MAX_RULES) throw new Error(`${path}: ${rules.length} ${direction} rules; the API allows at most ${MAX_RULES}.`);
    }
    const manifest: { apiVersion: string; kind: string; metadata: object; spec?: unknown } = {
      apiVersion: 'policy.networking.k8s.io/v1alpha2',
      kind: 'ClusterNetworkPolicy',
      metadata: { name, labels: props.labels && { ...props.labels } },
    };
    super(scope, id, manifest);
    manifest.spec = Lazy.any({ produce: () => this.renderSpec() });
    this.tier = props.tier;
    this.priority = props.priority;
    this.subject = props.subject;
    this.ingressRules.push(...ingress);
    this.egressRules.push(...egress);
    registerPolicy(this, 'ClusterNetworkPolicy', undefined, name);
    this.node.addValidation({
      validate: () => (this.ingressRules.length + this.egressRules.length === 0
        ? ['the ClusterNetworkPolicy has no rules, so it does nothing; add an ingress or egress rule.']
        : []),
    });
  }

  /** Adds an ingress rule after the others (rules are decided in order). */
  public addIngressRule(rule: ClusterNetworkPolicyRule): void {
    this.addRule(this.ingressRules, 'ingress', 'from', rule);
  }

  /** Adds an egress rule after the others (rules are decided in order). */
  public addEgressRule(rule: ClusterNetworkPolicyRule): void {
    this.addRule(this.egressRules, 'egress', 'to', rule);
  }

  private addRule(rules: object[], direction: string, side: 'from' | 'to', rule: ClusterNetworkPolicyRule): void {
    if (rules.length >= MAX_RULES) throw new Error(`${this.node.path}: a ${direction} rule more than the ${MAX_RULES} the API allows.`);
    rules.push(renderRule(`${this.node.path}: ${direction} rule #${rules.length + 1}`, side, rule));
  }

  private renderSpec(): object {
    return {
      tier: this.tier,
      priority: this.priority,
      subject: this.subject._toKube(),
      ingress: this.ingressRules.length ? this.ingressRules : undefined,
      egress: this.egressRules.length ? this.egressRules : undefined,
    };
  }
}

function renderRule(where: string, side: 'from' | 'to', rule: ClusterNetworkPolicyRule): object {
  if (!rule || typeof rule !== 'object') throw new Error(`${where} is not a rule (${String(rule)}).`);
  if (![ClusterRuleAction.ACCEPT, ClusterRuleAction.DENY, ClusterRuleAction.PASS].includes(rule.action)) {
    throw new Error(`${where}: \`action\` must be ClusterRuleAction.ACCEPT, DENY or PASS, got ${String(rule.action)}.`);
  }
  if (rule.name !== undefined && (typeof rule.name !== 'string' || rule.name.length > MAX_RULE_NAME)) {
    throw new Error(`${where}: the rule name must be a string of at most ${MAX_RULE_NAME} characters.`);
  }
  if (!Array.isArray(rule.peers) || rule.peers.length === 0 || rule.peers.length > MAX_PEERS) {
    throw new Error(`${where}: a rule needs 1 to ${MAX_PEERS} peers (the API's limit), got ${Array.isArray(rule.peers) ? rule.peers.length : String(rule.peers)}.`);
  }
  rule.peers.forEach((peer, i) => {
    if (!(peer instanceof ClusterPeer)) throw new Error(`${where}: peer #${i + 1} is not a ClusterPeer (${String(peer)}).`);
    if (peer.isNetworks && side === 'from') {
      throw new Error(`${where}: ${peer} is a source, but networks are destinations only (ingress peers are namespaces and pods).`);
    }
  });
  if (!Array.isArray(rule.ports) || rule.ports.length === 0) {
    throw new Error(`${where}: a rule needs ports: list them, or pass [Port.allPorts()] for every port explicitly.`);
  }
  const protocols = protocolsOf(where, rule.ports);
  if (protocols && protocols.length > MAX_PROTOCOLS) throw new Error(`${where}: ${protocols.length} ports; the API allows at most ${MAX_PROTOCOLS}.`);
  return {
    name: rule.name,
    action: rule.action,
    [side]: rule.peers.map((p) => p._toKube()),
    protocols,
  };
}

/** The ports as the API's `protocols` (undefined: every port and protocol). */
function protocolsOf(where: string, ports: Port[]): object[] | undefined {
  ports.forEach((p, i) => {
    if (!(p instanceof Port)) throw new Error(`${where}: port #${i + 1} is not a Port (${String(p)}).`);
  });
  if (ports.some((p) => p.isAllPorts)) {
    if (ports.length > 1) throw new Error(`${where} combines Port.allPorts() with other ports; allPorts() already includes them.`);
    return undefined;
  }
  const unique = new Map(ports.map((p) => [String(p), p]));
  return [...unique.values()].map((port) => {
    if (port.name !== undefined) return { destinationNamedPort: port.name };
    const protocol = String(port.protocol).toLowerCase();
    // every port of a protocol: the API has no "any port" per protocol, so the whole range
    const destinationPort = port.portNumber === undefined
      ? { range: { start: 1, end: 65535 } }
      : port.endPort === undefined || port.endPort === port.portNumber
        ? { number: port.portNumber }
        : { range: { start: port.portNumber, end: port.endPort } };
    return { [protocol]: { destinationPort } };
  });
}

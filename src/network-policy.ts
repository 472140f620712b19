import { ApiObject, ApiObjectProps, Chart, Lazy } from 'cdk8s';
import { Construct } from 'constructs';
import { CiliumPeerConfig } from './cilium/cilium-peer-config';
import { ciliumSpecOf } from './cilium/cilium-spec';
import { HttpRule } from './cilium/http-rule';
import { policyNameFor } from './internal/naming';
import { checkProps, childPath, pathOf } from './internal/props';
import { registerPolicy } from './internal/registry';
import { CLUSTER_DNS_LABELS, CLUSTER_DNS_NAMESPACE } from './kube/cluster-dns';
import type { K8sNetworkPolicyPeer } from './kube/types';
import { IPeer, Peer, PeerConfig } from './peer';
import { checkPeerConfig } from './peer-check';
import { NamedPolicyOptions } from './policy-options';
import { Port } from './port';
import { RenderedRule } from './rendered-rule';
import { Selector } from './selector';
import { PolicyTarget } from './target/policy-target';
import { assertLabelKey, assertLabelValue, assertNamespaceName, dnsSubdomainProblem } from './validation/labels';

/**
 * The directions a NetworkPolicy can isolate (its `policyTypes`).
 */
export enum PolicyType {
  /** Incoming connections to the selected pods. */
  INGRESS = 'Ingress',
  /** Outgoing connections from the selected pods. */
  EGRESS = 'Egress',
}

/**
 * One rule of a policy: traffic with any of `peers` on any of `ports`.
 */
export interface NetworkPolicyRule {
  /**
   * Sources (ingress) or destinations (egress). Must not be empty: use
   * `[Peer.anyone()]` to allow everyone explicitly.
   */
  readonly peers: IPeer[];

  /**
   * Destination ports. Must not be empty: use `[Port.allPorts()]` to allow every port explicitly.
   */
  readonly ports: Port[];

  /**
   * L7: on these ports, only HTTP requests that match one of these rules
   * (Cilium target only; TCP port numbers only).
   * @default - every request: the rule is L3/L4 only
   */
  readonly http?: HttpRule[];
}

/**
 * Properties of a `NetworkPolicy`.
 */
export interface NetworkPolicyProps extends NamedPolicyOptions {
  /**
   * The pods the policy applies to, in the policy's namespace.
   * @default - every pod of the namespace
   */
  readonly pods?: Selector;

  /**
   * Ingress rules (who may connect to the selected pods).
   * @default - none; add them with `addIngressRule()`
   */
  readonly ingress?: NetworkPolicyRule[];

  /**
   * Egress rules (where the selected pods may connect).
   * @default - none; add them with `addEgressRule()`
   */
  readonly egress?: NetworkPolicyRule[];

  /**
   * Directions the policy isolates even without rules for them (a direction
   * with rules is always isolated). Isolating a direction without rules denies
   * it, unless another policy that selects the same pods allows it.
   * @default - only the directions that have rules
   */
  readonly isolate?: PolicyType[];
}

const NETWORK_POLICY_SYMBOL = Symbol.for('cdk8s-netpol.NetworkPolicy');


/**
 * One Kubernetes NetworkPolicy, with validated rules and a readable name.
 *
 * The building block of every other construct of this library. Rules can be
 * added after creation; adding a rule that is already there does nothing.
 * `policyTypes` are always rendered explicitly: every direction that has a rule
 * or was asked for with `isolate`.
 *
 * It is itself the cdk8s `ApiObject` of the manifest (one construct per
 * policy keeps large apps fast to synthesize): `name` is its `metadata.name`,
 * and `addJsonPatch()` works on it directly.
 */
export class NetworkPolicy extends ApiObject {
  /**
   * Whether `x` is a NetworkPolicy of this library (in any copy of it).
   * @param x any value
   */
  public static isNetworkPolicy(x: any): x is NetworkPolicy {
    return x !== null && typeof x === 'object' && NETWORK_POLICY_SYMBOL in x;
  }

  /**
   * `instanceof NetworkPolicy` by `isNetworkPolicy`: the inherited
   * `ApiObject[Symbol.hasInstance]` would say yes to every ApiObject.
   * @internal
   */
  public static [Symbol.hasInstance](x: unknown): x is NetworkPolicy {
    return NetworkPolicy.isNetworkPolicy(x);
  }

  /**
   * The policy's namespace.
   * @default - none: the namespace kubectl applies it to
   */
  public readonly namespace?: string;

  /** The pods the policy applies to. */
  public readonly pods: Selector;

  /** What the policy is emitted as: a `networking.k8s.io/v1` NetworkPolicy or a Cilium one. */
  public readonly target: PolicyTarget;

  private readonly ingressRules: RenderedRule[] = [];
  private readonly egressRules: RenderedRule[] = [];
  private isolatesIngress = false;
  private isolatesEgress = false;

  /**
   * @param scope the parent construct (a Chart or a construct inside one)
   * @param id the construct id; it names the emitted policies, so changing it renames them
   * @param props the NetworkPolicyProps
   */
  constructor(scope: Construct, id: string, props: NetworkPolicyProps = {}) {
    // Everything is checked before the object joins the tree: a bad policy leaves nothing behind.
    const path = childPath(scope, id);
    checkProps(path, 'NetworkPolicy', props);
    const pods = props.pods ?? Selector.all();
    if (!(pods instanceof Selector)) {
      throw new Error(`${path}: \`pods\` must be a Selector (Selector.labels(), Selector.fromWorkload(), ...).`);
    }
    const namespace = resolveNamespace(path, scope, props.namespace, pods);
    // a derived name was checked when it was derived
    const name = props.name ?? policyNameFor(scope, id);
    const nameProblem = props.name === undefined ? undefined : dnsSubdomainProblem(name);
    if (nameProblem) {
      throw new Error(`${path}: invalid policy name "${name}": it ${nameProblem}.`);
    }
    validateMetadata(path, props.labels, props.annotations);
    for (const type of props.isolate ?? []) {
      assertPolicyType(path, type);
    }
    const target = props.target ?? PolicyTarget.of(scope);
    if (!(target instanceof PolicyTarget)) {
      throw new Error(`${path}: \`target\` must be a PolicyTarget (PolicyTarget.KUBERNETES or PolicyTarget.CILIUM), got ${String(target)}.`);
    }
    const ingress = (props.ingress ?? []).map((rule) => renderRule(`${path}: ingress rule`, PolicyType.INGRESS, rule, namespace, target));
    const egress = (props.egress ?? []).map((rule) => renderRule(`${path}: egress rule`, PolicyType.EGRESS, rule, namespace, target));
    const manifest: ApiObjectProps & { spec?: unknown } = {
      apiVersion: target.apiVersion,
      kind: target.kind,
      // Copies: the maps were validated, and a caller changing theirs later must not change the manifest.
      metadata: { name, namespace, labels: props.labels && { ...props.labels }, annotations: props.annotations && { ...props.annotations } },
    };
    super(scope, id, manifest);
    // ApiObject keeps `manifest` and renders it at synth time, so the spec can follow later rules.
    manifest.spec = Lazy.any(new SpecProducer(this));
    this.pods = pods;
    this.namespace = namespace;
    this.target = target;
    for (const type of props.isolate ?? []) {
      this.isolateType(type);
    }
    for (const rule of ingress) this.keepRule(PolicyType.INGRESS, rule);
    for (const rule of egress) this.keepRule(PolicyType.EGRESS, rule);

    registerPolicy(this, target.kind, this.namespace, this.name);
    // Rules and isolation are only ever added: a policy that has some now needs no check at synth
    // (large apps run every validation once per Chart).
    if (!this.isolatesIngress && !this.isolatesEgress) {
      this.node.addValidation({
        validate: () => (this._doesNothing()
          ? ['the policy has no rules and isolates no direction, so it does nothing; add a rule or `isolate`.']
          : []),
      });
    }
  }

  /**
   * The ApiObject of the manifest: the policy itself (kept for code written
   * when the policy wrapped a separate object).
   */
  public get apiObject(): ApiObject {
    return this;
  }

  /**
   * The directions this policy isolates (`spec.policyTypes`), Ingress first.
   */
  public get policyTypes(): PolicyType[] {
    const types: PolicyType[] = [];
    if (this.isolatesIngress) types.push(PolicyType.INGRESS);
    if (this.isolatesEgress) types.push(PolicyType.EGRESS);
    return types;
  }

  /**
   * Isolates a direction for the selected pods, with or without rules.
   */
  public isolate(type: PolicyType): void {
    assertPolicyType(pathOf(this), type);
    this.isolateType(type);
  }

  /**
   * Allows traffic from `rule.peers` to the selected pods on `rule.ports`.
   *
   * A rule with the same peers as an earlier one adds its ports to that rule
   * (the same traffic, one rule fewer to read).
   * @returns false when nothing is added: the rule, or each of its ports for those peers, was already there
   */
  public addIngressRule(rule: NetworkPolicyRule): boolean {
    return this.addRule(PolicyType.INGRESS, rule);
  }

  /**
   * Allows traffic from the selected pods to `rule.peers` on `rule.ports`.
   *
   * A rule with the same peers as an earlier one adds its ports to that rule
   * (the same traffic, one rule fewer to read).
   * @returns false when nothing is added: the rule, or each of its ports for those peers, was already there
   */
  public addEgressRule(rule: NetworkPolicyRule): boolean {
    return this.addRule(PolicyType.EGRESS, rule);
  }

  private addRule(type: PolicyType, rule: NetworkPolicyRule): boolean {
    return this.keepRule(type, renderRule(`${pathOf(this)}: ${type.toLowerCase()} rule`, type, rule, this.namespace, this.target));
  }

  private isolateType(type: PolicyType): void {
    if (type === PolicyType.INGRESS) this.isolatesIngress = true;
    else this.isolatesEgress = true;
  }

  /** Adds a rendered rule; a rule with the same peers as an earlier one adds its ports to it. */
  private keepRule(type: PolicyType, rendered: RenderedRule): boolean {
    this.isolateType(type);
    const rules = type === PolicyType.INGRESS ? this.ingressRules : this.egressRules;
    // Same peers: allowing ports A then ports B is one rule on A and B (keys are made only when there is a rule to compare with).
    const key = rules.length ? peerKeyOf(rendered) : '';
    const samePeers = rules.find((r) => peerKeyOf(r) === key);
    if (!samePeers) {
      rules.push(rendered);
      return true;
    }
    return mergePorts(samePeers, rendered);
  }

  /**
   * True when the policy has no rules and isolates nothing (checked at synth).
   * @internal
   */
  protected _doesNothing(): boolean {
    return !this.isolatesIngress && !this.isolatesEgress;
  }

  /**
   * A rule checked and rendered as the rules of this policy are, for subclasses' own kinds of rule.
   * @internal
   */
  protected _renderRule(where: string, type: PolicyType, rule: NetworkPolicyRule): RenderedRule {
    return renderRule(where, type, rule, this.namespace, this.target);
  }

  /**
   * The spec as it appears in the manifest (plain JSON: the ApiObject resolves it as is).
   * @internal
   */
  protected _renderSpec(): Record<string, unknown> {
    if (this.target === PolicyTarget.CILIUM) {
      return ciliumSpecOf({
        podSelector: this.pods.toLabelSelector(),
        isolatesIngress: this.isolatesIngress,
        isolatesEgress: this.isolatesEgress,
        ingress: this.ingressRules,
        egress: this.egressRules,
        dnsServer: { namespace: CLUSTER_DNS_NAMESPACE, labels: { ...CLUSTER_DNS_LABELS } },
      });
    }
    return {
      podSelector: this.pods.toLabelSelector(),
      policyTypes: this.policyTypes,
      ingress: this.ingressRules.length ? this.ingressRules.map((r) => ({ from: r.peers, ports: r.ports })) : undefined,
      egress: this.egressRules.length ? this.egressRules.map((r) => ({ to: r.peers, ports: r.ports })) : undefined,
    };
  }
}

// On the prototype rather than on every policy: `in` finds it there, and a policy is one property smaller.
Object.defineProperty(NetworkPolicy.prototype, NETWORK_POLICY_SYMBOL, { value: true });

/** What renders a policy's spec at synth time (a Lazy's producer): one small object per policy, no closure. */
class SpecProducer {
  constructor(private readonly policy: NetworkPolicy) {}

  public produce(): Record<string, unknown> {
    return (this.policy as unknown as { _renderSpec(): Record<string, unknown> })._renderSpec();
  }
}

function assertPolicyType(path: string, type: PolicyType): void {
  if (type !== PolicyType.INGRESS && type !== PolicyType.EGRESS) {
    throw new Error(`${path}: unknown policy type "${type}"; use PolicyType.INGRESS or PolicyType.EGRESS.`);
  }
}

function resolveNamespace(path: string, scope: Construct, explicit: string | undefined, pods: Selector): string | undefined {
  if (explicit !== undefined) {
    assertNamespaceName(explicit, `${path} (namespace)`);
  }
  if (explicit !== undefined && pods.namespace !== undefined && explicit !== pods.namespace) {
    throw new Error(
      `${path}: the policy is in namespace "${explicit}" but its pods (${pods.workloadPath}) are in namespace ` +
      `"${pods.namespace}"; a policy only selects pods of its own namespace.`,
    );
  }
  return explicit ?? pods.namespace ?? Chart.of(scope).namespace;
}

function validateMetadata(path: string, labels?: { [key: string]: string }, annotations?: { [key: string]: string }): void {
  if (labels === undefined && annotations === undefined) return;
  for (const [key, value] of Object.entries(labels ?? {})) {
    assertLabelKey(key, `${path} (labels)`);
    assertLabelValue(key, value, `${path} (labels)`);
  }
  for (const [key, value] of Object.entries(annotations ?? {})) {
    // the API server checks annotation keys case-insensitively (IsQualifiedName of the lower-cased key)
    assertLabelKey(key.toLowerCase(), `${path} (annotations)`);
    if (typeof value !== 'string') {
      throw new Error(`${path}: the annotation "${key}" must have a string value, got ${typeof value}.`);
    }
  }
}

function renderRule(where: string, type: PolicyType, rule: NetworkPolicyRule, namespace: string | undefined, target: PolicyTarget): RenderedRule {
  const side = type === PolicyType.INGRESS ? 'source' : 'destination';
  if (!rule || !Array.isArray(rule.peers) || rule.peers.length === 0) {
    throw new Error(
      `${where} has no peers: an empty peer list would allow every ${side}. ` +
      'List the peers, or pass [Peer.anyone()] to allow everyone explicitly.',
    );
  }
  if (!Array.isArray(rule.ports) || rule.ports.length === 0) {
    throw new Error(`${where} has no ports: list them, or pass [Port.allPorts()] to allow every port explicitly.`);
  }

  // One pass over the peers: their configs, and what the checks below need. Large apps render
  // tens of thousands of rules, so this allocates only what the rule keeps (and arrays for rare peers).
  const configs: PeerConfig[] = [];
  let anyoneCount = 0;
  let ciliumOnly: PeerConfig[] | undefined;
  let dnsPeers: PeerConfig[] | undefined;
  let v1Peers = 0;
  for (let i = 0; i < rule.peers.length; i++) {
    const peer = rule.peers[i];
    if (!peer || typeof (peer as IPeer).toPeerConfig !== 'function') {
      throw new Error(`${where}: peer #${i + 1} is not a peer (${String(peer)}); use the Peer factories.`);
    }
    // Our own Peers were validated when created (and make their descriptions only for messages);
    // only custom IPeers need the API server's rules here.
    const own = peer instanceof Peer;
    const config = own ? peer._toPeerConfig(namespace) : peer.toPeerConfig(namespace);
    if (!own) {
      checkPeerConfig(config, where);
    }
    configs.push(config);
    if (config.anyone) anyoneCount++;
    if (config.peer !== undefined) v1Peers++;
    if (config.cilium !== undefined) {
      (ciliumOnly ??= []).push(config);
      if (config.cilium.entity === undefined) (dnsPeers ??= []).push(config);
    }
  }
  if (anyoneCount > 0 && configs.length > anyoneCount) {
    const anyone = configs.find((c) => c.anyone)!;
    throw new Error(
      `${where} combines ${anyone.description} with other peers (${configs.filter((c) => !c.anyone).map((c) => c.description).join(', ')}); ` +
      `${anyone.description} already includes them: remove them or the "anyone" peer.`,
    );
  }
  if (ciliumOnly !== undefined && target !== PolicyTarget.CILIUM) {
    throw needsCilium(where, `the peer ${ciliumOnly[0].description}`, ciliumOnly[0].cilium!.entity ? 'Cilium entities' : 'DNS names', target);
  }
  if (dnsPeers !== undefined && type === PolicyType.INGRESS) {
    throw new Error(`${where}: ${dnsPeers[0].description} is a destination: DNS names can only be allowed for egress (Cilium has no fromFQDNs).`);
  }

  let allPorts = false;
  let namedPort: Port | undefined;
  for (const port of rule.ports) {
    if (!(port instanceof Port)) {
      throw new Error(`${where}: ${String(port)} is not a Port; use Port.tcp(), Port.named(), ...`);
    }
    if (port.isAllPorts) allPorts = true;
    if (port.name !== undefined) namedPort ??= port;
  }
  if (allPorts && rule.ports.length > 1) {
    throw new Error(`${where} combines Port.allPorts() with other ports (${rule.ports.filter((p) => !p.isAllPorts).join(', ')}); allPorts() already includes them.`);
  }
  if (type === PolicyType.EGRESS && namedPort !== undefined) {
    const ipBlock = configs.find((c) => c.peer?.ipBlock) ?? dnsPeers?.[0];
    if (ipBlock !== undefined) {
      throw new Error(
        `${where} uses the named port ${namedPort} with the ipBlock peer ${ipBlock.description}: a named port is resolved ` +
        'against the destination pod\'s containers, and an address outside the cluster has none. Use a port number.',
      );
    }
  }

  // Repeated peers are dropped, by their JSON text (not needed for a single peer).
  let peers: K8sNetworkPolicyPeer[] | undefined;
  if (v1Peers === 1) {
    peers = [configs.find((c) => c.peer !== undefined)!.peer!];
  } else if (v1Peers > 1) {
    const peersByText = new Map<string, K8sNetworkPolicyPeer>();
    for (const config of configs) {
      if (config.peer !== undefined) peersByText.set(JSON.stringify(config.peer), config.peer);
    }
    peers = [...peersByText.values()];
  }
  let ciliumPeers = NO_CILIUM_PEERS;
  if (ciliumOnly !== undefined) {
    const ciliumByText = new Map<string, CiliumPeerConfig>();
    for (const config of ciliumOnly) ciliumByText.set(JSON.stringify(config.cilium), { ...config.cilium });
    ciliumPeers = [...ciliumByText.values()];
  }
  const http = renderHttp(where, rule, target);
  const ports = rule.ports.length > 1 ? uniqueBy(rule.ports, (p) => p.toString()) : rule.ports;
  return {
    peers,
    ciliumPeers,
    http,
    ports: allPorts ? undefined : ports.map((p) => p._toKube()),
  };
}

/** No Cilium-only peers: shared by the rules that have none (most), and never changed. */
const NO_CILIUM_PEERS: CiliumPeerConfig[] = Object.freeze([]) as unknown as CiliumPeerConfig[];

/**
 * The same for two rules with the same peers in any order (and the same HTTP rules): the peers'
 * JSON texts, sorted. Made when a rule is first compared with another one, then kept.
 */
function peerKeyOf(rule: RenderedRule): string {
  if (rule.peerKey === undefined) {
    const keys = [...(rule.peers ?? []), ...rule.ciliumPeers].map((p) => JSON.stringify(p)).sort();
    // rules merge only when peers and HTTP rules are the same: ports of the one must not get the other's L7 limits
    rule.peerKey = `${keys.length ? keys.join('\n') : '*'}${rule.http ? `\nhttp ${JSON.stringify(rule.http)}` : ''}`;
  }
  return rule.peerKey;
}

/** The rule's HTTP rules, checked: Cilium target, TCP port numbers. */
function renderHttp(where: string, rule: NetworkPolicyRule, target: PolicyTarget): RenderedRule['http'] {
  if (rule.http === undefined) return undefined;
  if (!Array.isArray(rule.http) || rule.http.length === 0) {
    throw new Error(`${where}: \`http\` must be a non-empty list of HttpRule (HttpRule.get(), HttpRule.of()), or left out.`);
  }
  rule.http.forEach((h, i) => {
    if (!(h instanceof HttpRule)) throw new Error(`${where}: http rule #${i + 1} is not an HttpRule (${String(h)}); use HttpRule.get() or HttpRule.of().`);
  });
  if (target !== PolicyTarget.CILIUM) {
    throw needsCilium(where, `the HTTP rule ${rule.http[0]}`, 'L7 HTTP rules', target);
  }
  const notTcpNumber = rule.ports.find((p) => p.isAllPorts || p.protocol !== 'TCP' || p.portNumber === undefined || p.endPort !== undefined);
  if (notTcpNumber) {
    throw new Error(`${where}: HTTP rules need TCP port numbers (Cilium parses HTTP on one TCP port at a time), got ${notTcpNumber}.`);
  }
  return uniqueBy(rule.http, (h) => h.toString()).map((h) => h._toCilium());
}

function needsCilium(where: string, what: string, feature: string, target: PolicyTarget): Error {
  return new Error(
    `${where}: ${what} needs the Cilium target: ${target.apiVersion} ${target.kind} has no ${feature}. ` +
    'Set it for the App, a Chart or this construct with PolicyTarget.set(scope, PolicyTarget.CILIUM), or with the `target` prop.',
  );
}

/** Adds the ports of `extra` to `rule` (same peers); false when it already had them all. */
function mergePorts(rule: RenderedRule, extra: RenderedRule): boolean {
  if (rule.ports === undefined) {
    return false;
  }
  if (extra.ports === undefined) {
    rule.ports = undefined;
    return true;
  }
  const known = new Set(rule.ports.map((p) => JSON.stringify(p)));
  const added = extra.ports.filter((p) => !known.has(JSON.stringify(p)));
  rule.ports = [...rule.ports, ...added];
  return added.length > 0;
}

function uniqueBy<T>(items: T[], key: (item: T) => string): T[] {
  const seen = new Set<string>();
  return items.filter((item) => {
    const k = key(item);
    if (seen.has(k)) {
      return false;
    }
    seen.add(k);
    return true;
  });
}

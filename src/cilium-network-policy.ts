import { Construct } from 'constructs';
import { ciliumDenyRulesOf } from './cilium/cilium-spec';
import { checkProps, childPath } from './internal/props';
import { NetworkPolicy, NetworkPolicyProps, NetworkPolicyRule, PolicyType } from './network-policy';
import { RenderedRule } from './rendered-rule';
import { PolicyTarget } from './target/policy-target';

/**
 * Whether the policy puts the pods it selects in default deny, per direction
 * (Cilium's `enableDefaultDeny`).
 */
export interface CiliumDefaultDeny {
  /**
   * Ingress default deny.
   * @default - on when the policy has ingress rules (allow or deny)
   */
  readonly ingress?: boolean;

  /**
   * Egress default deny.
   * @default - on when the policy has egress rules (allow or deny)
   */
  readonly egress?: boolean;
}

/**
 * A deny rule: traffic with any of `peers` on any of `ports` is dropped,
 * whatever any policy allows. Peers are pods, addresses or entities (not DNS
 * names); no HTTP rules (Cilium denies at L3/L4 only).
 */
export interface CiliumDenyRule {
  /** Sources (ingress) or destinations (egress). Must not be empty; `[Peer.anyone()]` denies every one. */
  readonly peers: NetworkPolicyRule['peers'];

  /** Ports. Must not be empty; `[Port.allPorts()]` denies every port and protocol. */
  readonly ports: NetworkPolicyRule['ports'];
}

/**
 * Properties of a `CiliumNetworkPolicy`.
 */
export interface CiliumNetworkPolicyProps extends NetworkPolicyProps {
  /**
   * A sentence on the policy's purpose (`spec.description`).
   * @default - none
   */
  readonly description?: string;

  /**
   * Whether the policy puts its pods in default deny (`enableDefaultDeny`).
   * Off for a direction lets a policy allow (or deny) some traffic without
   * denying the rest.
   * @default - Cilium's default: on for each direction the policy has rules for
   */
  readonly defaultDeny?: CiliumDefaultDeny;

  /**
   * Ingress deny rules (`ingressDeny`): they win over every allow.
   * @default - none
   */
  readonly ingressDeny?: CiliumDenyRule[];

  /**
   * Egress deny rules (`egressDeny`): they win over every allow.
   * @default - none
   */
  readonly egressDeny?: CiliumDenyRule[];
}

const MAX_DESCRIPTION = 1024;

/**
 * A Cilium `cilium.io/v2` CiliumNetworkPolicy, for what the other constructs
 * do not cover: deny rules, `enableDefaultDeny`, a description, beside the
 * allow rules, entities, DNS names and HTTP rules every construct has on the
 * Cilium target. Always emitted for Cilium, whatever target is set above it.
 *
 * A policy with deny rules for a direction puts its pods in default deny for
 * that direction (Cilium's rule), unless `defaultDeny` turns it off.
 *
 * @example
 * new CiliumNetworkPolicy(chart, 'no-metadata', {
 *   description: 'No pod reads the cloud metadata service',
 *   egressDeny: [{ peers: [Peer.ipBlock('169.254.169.254/32')], ports: [Port.allPorts()] }],
 *   defaultDeny: { egress: false },
 * });
 */
export class CiliumNetworkPolicy extends NetworkPolicy {
  /** The description. @default - none */
  public readonly description?: string;

  private readonly denyRules: Record<PolicyType, RenderedRule[]> = { [PolicyType.INGRESS]: [], [PolicyType.EGRESS]: [] };
  private readonly defaultDeny?: CiliumDefaultDeny;

  /**
   * @param scope the parent construct (a Chart or a construct inside one)
   * @param id the construct id; it names the emitted policy, so changing it renames it
   * @param props the CiliumNetworkPolicyProps
   */
  constructor(scope: Construct, id: string, props: CiliumNetworkPolicyProps = {}) {
    const path = childPath(scope, id);
    checkProps(path, 'CiliumNetworkPolicy', props);
    if (props.target !== undefined && props.target !== PolicyTarget.CILIUM) {
      throw new Error(`${path}: a CiliumNetworkPolicy is always emitted for Cilium; leave \`target\` out (got ${String(props.target)}).`);
    }
    if (props.description !== undefined && (typeof props.description !== 'string' || props.description.length > MAX_DESCRIPTION)) {
      throw new Error(`${path}: \`description\` must be a string of at most ${MAX_DESCRIPTION} characters.`);
    }
    checkDefaultDeny(path, props.defaultDeny);
    super(scope, id, { ...props, target: PolicyTarget.CILIUM });
    this.description = props.description;
    this.defaultDeny = props.defaultDeny && { ingress: props.defaultDeny.ingress, egress: props.defaultDeny.egress };
    for (const rule of props.ingressDeny ?? []) this.addIngressDenyRule(rule);
    for (const rule of props.egressDeny ?? []) this.addEgressDenyRule(rule);
  }

  /**
   * Drops traffic from `rule.peers` to the selected pods on `rule.ports`, whatever any policy allows.
   */
  public addIngressDenyRule(rule: CiliumDenyRule): void {
    this.addDenyRule(PolicyType.INGRESS, rule);
  }

  /**
   * Drops traffic from the selected pods to `rule.peers` on `rule.ports`, whatever any policy allows.
   */
  public addEgressDenyRule(rule: CiliumDenyRule): void {
    this.addDenyRule(PolicyType.EGRESS, rule);
  }

  /** @internal */
  protected _doesNothing(): boolean {
    return super._doesNothing() && this.denyRules.Ingress.length === 0 && this.denyRules.Egress.length === 0;
  }

  /** @internal */
  protected _renderSpec(): Record<string, unknown> {
    const spec = super._renderSpec();
    const out: Record<string, unknown> = { endpointSelector: spec.endpointSelector };
    if (this.description !== undefined) out.description = this.description;
    if (this.defaultDeny !== undefined) out.enableDefaultDeny = { ...this.defaultDeny };
    out.ingress = spec.ingress;
    out.egress = spec.egress;
    if (this.denyRules.Ingress.length) out.ingressDeny = ciliumDenyRulesOf(this.denyRules.Ingress, 'from');
    if (this.denyRules.Egress.length) out.egressDeny = ciliumDenyRulesOf(this.denyRules.Egress, 'to');
    return out;
  }

  private addDenyRule(type: PolicyType, rule: CiliumDenyRule): void {
    const where = `${this.node.path}: ${type.toLowerCase()} deny rule`;
    if (rule && (rule as { http?: unknown }).http !== undefined) {
      throw new Error(`${where}: deny rules have no HTTP rules (Cilium denies at L3/L4 only); deny the port, or allow only some requests with an allow rule's \`http\`.`);
    }
    const rendered = this._renderRule(where, type, rule);
    const names = rendered.ciliumPeers.filter((p) => p.entity === undefined);
    if (names.length) {
      throw new Error(`${where}: ${names[0].dnsName ?? names[0].dnsPattern} is a DNS name; Cilium's deny rules take pods, addresses and entities only.`);
    }
    this.denyRules[type].push(rendered);
  }
}

function checkDefaultDeny(path: string, defaultDeny: CiliumDefaultDeny | undefined): void {
  if (defaultDeny === undefined) return;
  if (defaultDeny === null || typeof defaultDeny !== 'object') {
    throw new Error(`${path}: \`defaultDeny\` must be an object such as { egress: false }.`);
  }
  for (const [key, value] of Object.entries(defaultDeny)) {
    if (key !== 'ingress' && key !== 'egress') {
      throw new Error(`${path}: \`defaultDeny\` has the unknown field "${key}"; the fields are ingress and egress.`);
    }
    if (value !== undefined && typeof value !== 'boolean') {
      throw new Error(`${path}: \`defaultDeny.${key}\` must be true or false, got ${JSON.stringify(value)}.`);
    }
  }
}

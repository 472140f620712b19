import { Direction, HttpRequest } from './flow';

/**
 * Why a flow is allowed or denied: the verdict, and both sides of it.
 *
 * A connection needs egress allowed at the source AND ingress allowed at the
 * destination; `egress` and `ingress` explain each side.
 */
export interface FlowExplanation {
  /** The source, as resolved (e.g. `production/deployment/frontend` or `ip:203.0.113.7`). */
  readonly from: string;
  /** The destination, as resolved. */
  readonly to: string;
  /**
   * The destination port.
   * @default - none: an ICMP flow has no port
   */
  readonly port?: number;
  /** The protocol: TCP, UDP, SCTP, ICMP or ICMPv6. */
  readonly protocol: string;
  /**
   * The ICMP type, for an ICMP flow.
   * @default - none: the flow is not ICMP
   */
  readonly icmpType?: number;
  /**
   * The DNS name the source looked up, when the flow gives one.
   * @default - none
   */
  readonly host?: string;
  /**
   * The HTTP request, when the flow gives one.
   * @default - none
   */
  readonly http?: HttpRequest;
  /** The verdict: true when both sides allow the flow. */
  readonly allowed: boolean;
  /** True when a single Pod talks to itself (loopback), which policies never restrict. */
  readonly loopback: boolean;
  /** One paragraph a human can read: the verdict and the side(s) that decided it. */
  readonly reason: string;
  /** Egress at the source. */
  readonly egress: SideExplanation;
  /** Ingress at the destination. */
  readonly ingress: SideExplanation;
}

/**
 * One side of a flow: egress at the source, or ingress at the destination.
 */
export interface SideExplanation {
  /** Which side this is. */
  readonly direction: Direction;
  /** The endpoint whose policies decide this side. */
  readonly endpoint: string;
  /**
   * False when no NetworkPolicy can apply on this side: the endpoint is outside
   * the cluster (an `ip:` address), or the flow is loopback.
   */
  readonly enforced: boolean;
  /** True when some policy selecting the pod has this direction in its effective policyTypes (Cilium: puts it into default deny for it). */
  readonly isolated: boolean;
  /** The policies (`<namespace>/<name>`; `CiliumNetworkPolicy <namespace>/<name>`...) that select the pod and isolate it in this direction. */
  readonly selectingPolicies: string[];
  /** Whether this side lets the flow through. */
  readonly allowed: boolean;
  /**
   * The rule that let the flow through: when the pod is isolated and allowed,
   * or when an Admin- or Baseline-tier rule accepted it.
   * @default - none: the side is not isolated, or it denies the flow
   */
  readonly allowedBy?: RuleMatch;
  /**
   * The deny rule that denied the flow: Cilium `ingressDeny`/`egressDeny`
   * (deny rules win over every allow), or an Admin- or Baseline-tier rule
   * with action Deny.
   * @default - none: no deny rule matched
   */
  readonly deniedBy?: RuleMatch;
  /**
   * The Cilium L7 rules that limit the requests on the connection on this
   * side, described (e.g. `HTTP GET /public (CiliumNetworkPolicy shop/api spec.ingress[0])`).
   * @default - none: no L7 rule limits them
   */
  readonly l7?: string;
  /**
   * The path through the tiers, one step per tier that had something to say,
   * e.g. `["Admin: ClusterNetworkPolicy platform spec.egress[0] Pass",
   * "NetworkPolicy: allowed by shop/api spec.egress[1]"]`.
   * @default - none: no cluster policy (ClusterNetworkPolicy, AdminNetworkPolicy, BaselineAdminNetworkPolicy) applies to this side
   */
  readonly tiers?: string[];
  /** When the side denies the flow: for each selecting policy, why none of its rules matched. */
  readonly unmatched: PolicyMismatch[];
  /** A sentence about this side alone. */
  readonly reason: string;
}

/**
 * The policy rule, peer and port that allowed a flow.
 */
export interface RuleMatch {
  /** The policy, `<namespace>/<name>`. */
  readonly policy: string;
  /** The field path of the rule, e.g. `spec.ingress[1]`. */
  readonly rule: string;
  /** The peer that matched, described (e.g. `pods app=frontend in namespace production`), or `everyone` when the rule has no peers. */
  readonly peer: string;
  /** The port entry that matched, described (e.g. `TCP 8080`), or `every port` when the rule has no ports. */
  readonly port: string;
}

/**
 * Why a policy selecting the pod did not allow the flow.
 */
export interface PolicyMismatch {
  /** The policy, `<namespace>/<name>`. */
  readonly policy: string;
  /** Each rule of the policy in this direction and why it did not match; empty when the policy has no rules (a deny). */
  readonly rules: RuleMismatch[];
  /** A sentence summing up the policy's rules. */
  readonly reason: string;
}

/**
 * Why one rule did not match the flow.
 */
export interface RuleMismatch {
  /** The field path of the rule, e.g. `spec.ingress[0]`. */
  readonly rule: string;
  /** True when some peer of the rule matched the other endpoint. */
  readonly peerMatched: boolean;
  /** True when some port entry of the rule matched the port and protocol. */
  readonly portMatched: boolean;
  /** A sentence naming what did not match. */
  readonly reason: string;
}

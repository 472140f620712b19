import { Protocol } from '../protocol';
import { HttpRequest, IcmpMessage } from './flow';

/**
 * A flow that must be allowed, or must stay denied: one entry of a `verify`
 * expectations file.
 */
export interface Expectation {
  /** The client: `<namespace>/<name>`, `<namespace>/<kind>/<name>`, `ip:<address>` or `entity:<entity>`. */
  readonly from: string;
  /** The server: `<namespace>/<name>`, `<namespace>/<kind>/<name>`, `ip:<address>` or `entity:<entity>`. */
  readonly to: string;
  /**
   * The destination port number: required but for ICMP.
   * @default - none: only an ICMP flow has no port
   */
  readonly port?: number;
  /**
   * The protocol (for ICMP, see `icmp`).
   * @default Protocol.TCP
   */
  readonly protocol?: Protocol;
  /**
   * An ICMP message instead of a port.
   * @default - none: the flow is TCP, UDP or SCTP
   */
  readonly icmp?: IcmpMessage;
  /**
   * The DNS name the source looked up (with `to: ip:<address>`).
   * @default - none
   */
  readonly host?: string;
  /**
   * One HTTP request on the connection.
   * @default - none
   */
  readonly http?: HttpRequest;
  /** True when the flow must be allowed, false when it must be denied. */
  readonly allowed: boolean;
}

/** The outcome of one expectation: the flow as given (every field given echoed), and the verdict. */
export interface ExpectationResult {
  /** The client, as written in the expectation. */
  readonly from: string;
  /** The server, as written in the expectation. */
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
   * @default - none
   */
  readonly icmpType?: number;
  /**
   * The DNS name the source looked up, when given.
   * @default - none
   */
  readonly host?: string;
  /**
   * The HTTP request, when given.
   * @default - none
   */
  readonly http?: HttpRequest;
  /** What the expectation demands: true for allowed. */
  readonly expected: boolean;
  /** What the manifests do: true for allowed. */
  readonly actual: boolean;
  /** True when expected equals actual. */
  readonly ok: boolean;
  /** The explanation of the verdict. */
  readonly reason: string;
}

/** The outcome of a set of expectations. */
export interface VerificationReport {
  /** One result per expectation, in order. */
  readonly results: ExpectationResult[];
  /** How many expectations hold. */
  readonly passed: number;
  /** How many expectations do not hold. */
  readonly failed: number;
}

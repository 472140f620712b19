import { Protocol } from '../protocol';

/**
 * A flow that must be allowed, or must stay denied: one entry of a `verify`
 * expectations file.
 */
export interface Expectation {
  /** The client: `<namespace>/<name>`, `<namespace>/<kind>/<name>` or `ip:<address>`. */
  readonly from: string;
  /** The server: `<namespace>/<name>`, `<namespace>/<kind>/<name>` or `ip:<address>`. */
  readonly to: string;
  /** The destination port number. */
  readonly port: number;
  /**
   * The protocol.
   * @default Protocol.TCP
   */
  readonly protocol?: Protocol;
  /** True when the flow must be allowed, false when it must be denied. */
  readonly allowed: boolean;
}

/** The outcome of one expectation. */
export interface ExpectationResult {
  /** The client, as written in the expectation. */
  readonly from: string;
  /** The server, as written in the expectation. */
  readonly to: string;
  /** The destination port. */
  readonly port: number;
  /** The protocol. */
  readonly protocol: Protocol;
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

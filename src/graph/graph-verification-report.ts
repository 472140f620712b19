import { ConnectionSet } from '../analysis/connection-set';

/**
 * One pair a ServiceGraph governs, compared as sets: what the graph declares
 * and what the synthesized policies allow.
 */
export interface GraphPairResult {
  /** The client: a service (`<namespace>/<name>`) or a range of addresses outside the cluster (`ip:<first>-<last>`). */
  readonly from: string;
  /** The server, written the same way. */
  readonly to: string;
  /** The connections the graph declares (calls, DNS, external dependencies). */
  readonly declared: ConnectionSet;
  /** The connections the synthesized policies allow. */
  readonly actual: ConnectionSet;
  /** True when `actual` equals `declared`. */
  readonly ok: boolean;
  /** What the policies allow and why (the rules on each side); for a mismatch, what is extra and what is missing first. */
  readonly reason: string;
}

/** The outcome of `ServiceGraph.verify()`. */
export interface GraphVerificationReport {
  /**
   * The pairs compared: every ordered pair of services where one side is in an
   * owned namespace (a single Pod and itself excepted: loopback), and every
   * service of an owned namespace with every range of outside addresses, both
   * ways; for ranges, only those where something is declared or allowed, and
   * every mismatch.
   */
  readonly results: GraphPairResult[];
  /** The pairs whose allowed connections equal the declared ones. */
  readonly passed: number;
  /** The pairs whose allowed connections differ from the declared ones. */
  readonly failed: number;

  /**
   * What the graph declares that this proof does not cover yet, each in a
   * line: HTTP limits (the ports are proven, not which requests pass), DNS
   * names and the API server (Cilium). Empty when everything is proven.
   */
  readonly notCovered: string[];
}

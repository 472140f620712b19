import { Protocol } from '../protocol';

/**
 * A destination port and its protocol, e.g. TCP 8080.
 */
export interface FlowPort {
  /** The port number (1-65535). */
  readonly port: number;
  /** The transport protocol. */
  readonly protocol: Protocol;
}

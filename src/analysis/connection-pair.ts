import { ConnectionSet } from './connection-set';

/**
 * What one endpoint may open to another: a pod or workload, or a range of
 * addresses outside the cluster.
 */
export interface ConnectionPair {
  /**
   * The client: `<namespace>/<name>` (`<namespace>/<kind>/<name>` when the name
   * is ambiguous), or a range of addresses outside the cluster,
   * `ip:<first>-<last>` (`ip:<address>` for one address).
   */
  readonly from: string;
  /** The server, written the same way. */
  readonly to: string;
  /** Every connection allowed from `from` to `to`; never empty in a listing. */
  readonly allowed: ConnectionSet;
}

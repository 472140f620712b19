import { Protocol } from '../protocol';

/**
 * A connection to judge: from one endpoint to another, on a destination port.
 *
 * Endpoints are written as in the `verify` expectations file:
 * `<namespace>/<name>` names a Pod or a workload (Deployment, StatefulSet,
 * DaemonSet, ReplicaSet, ReplicationController, Job, CronJob) by
 * `metadata.name`; `<namespace>/<kind>/<name>` disambiguates when a Pod and a
 * workload share a name; `ip:<address>` is an address outside the cluster.
 */
export interface Flow {
  /** The client: `<namespace>/<name>`, `<namespace>/<kind>/<name>` or `ip:<address>`. */
  readonly from: string;
  /** The server: `<namespace>/<name>`, `<namespace>/<kind>/<name>` or `ip:<address>`. */
  readonly to: string;
  /** The destination port number (1-65535). */
  readonly port: number;
  /**
   * The transport protocol.
   * @default Protocol.TCP
   */
  readonly protocol?: Protocol;
}

/**
 * The two directions a NetworkPolicy can isolate.
 */
export enum Direction {
  /** Traffic leaving the source pod. */
  EGRESS = 'Egress',
  /** Traffic arriving at the destination pod. */
  INGRESS = 'Ingress',
}

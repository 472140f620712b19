import { Protocol } from '../protocol';

/**
 * A connection to judge: from one endpoint to another, on a destination port
 * (or an ICMP message), optionally with the DNS name the source looked up and
 * one HTTP request.
 *
 * Endpoints are written as in the `verify` expectations file:
 * `<namespace>/<name>` names a Pod or a workload (Deployment, StatefulSet,
 * DaemonSet, ReplicaSet, ReplicationController, Job, CronJob) by
 * `metadata.name`; `<namespace>/<kind>/<name>` disambiguates when a Pod and a
 * workload share a name; `ip:<address>` is an address outside the cluster;
 * `entity:kube-apiserver`, `entity:host` (the node of the other endpoint) and
 * `entity:remote-node` (another node) are what Cilium calls those entities.
 */
export interface Flow {
  /** The client: `<namespace>/<name>`, `<namespace>/<kind>/<name>`, `ip:<address>` or `entity:<entity>`. */
  readonly from: string;
  /** The server: `<namespace>/<name>`, `<namespace>/<kind>/<name>`, `ip:<address>` or `entity:<entity>`. */
  readonly to: string;
  /**
   * The destination port number (1-65535): required for TCP, UDP and SCTP,
   * not given for ICMP.
   * @default - none: only an ICMP flow has no port
   */
  readonly port?: number;
  /**
   * The transport protocol; not given for an ICMP flow (see `icmp`).
   * @default Protocol.TCP
   */
  readonly protocol?: Protocol;
  /**
   * An ICMP message instead of a port: the flow is ICMP (or ICMPv6) of this type.
   * @default - none: the flow is TCP, UDP or SCTP on `port`
   */
  readonly icmp?: IcmpMessage;
  /**
   * The DNS name the source looked up to find `to`, which must be `ip:<address>`:
   * Cilium DNS-name peers (`toFQDNs`) match the flow only by it.
   * @default - none: the address was not looked up by name
   */
  readonly host?: string;
  /**
   * One HTTP request on the connection (TCP only): Cilium HTTP rules on the
   * port decide it.
   * @default - none: the connection alone is judged
   */
  readonly http?: HttpRequest;
}

/** The ICMP versions a flow can use. */
export enum IcmpVersion {
  /** ICMP, for IPv4. */
  ICMP = 'ICMP',
  /** ICMPv6. */
  ICMPV6 = 'ICMPv6',
}

/** An ICMP message: its version and type. */
export interface IcmpMessage {
  /**
   * ICMP (IPv4) or ICMPv6.
   * @default IcmpVersion.ICMP
   */
  readonly version?: IcmpVersion;
  /**
   * The ICMP type (0-255).
   * @default - echo request: 8 for ICMP, 128 for ICMPv6
   */
  readonly type?: number;
}

/** One HTTP request. */
export interface HttpRequest {
  /** The method, e.g. `GET`. */
  readonly method: string;
  /** The path, e.g. `/public/index.html` (with the query string, if any). */
  readonly path: string;
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

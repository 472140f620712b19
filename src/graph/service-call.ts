import { HttpRule } from '../cilium/http-rule';
import { Port } from '../port';
import { GraphService } from './graph-service';

/**
 * A call declared in a `ServiceGraph`: `client` may open connections to `server` on `ports`.
 */
export interface ServiceCall {
  /** The service that opens the connections. */
  readonly client: GraphService;
  /** The service that accepts them. */
  readonly server: GraphService;
  /** The destination ports, in the order they were declared. */
  readonly ports: Port[];

  /**
   * The HTTP requests allowed on `httpPorts` (Cilium): `allowHttp()` calls.
   * @default - none: every request on every port
   */
  readonly http?: HttpRule[];

  /**
   * The ports of `ports` limited to the requests of `http`.
   * @default - none
   */
  readonly httpPorts?: Port[];
}

/**
 * A dependency of a service on something outside the graph's proof so far
 * (Cilium): DNS names or the Kubernetes API server.
 */
export interface CiliumDependency {
  /** The service that opens the connections. */
  readonly client: GraphService;
  /** What it connects to: `DNS names a.example.com, *.example.org` or `the kube-apiserver entity`. */
  readonly target: string;
  /** The destination ports. */
  readonly ports: Port[];
}

/**
 * An external dependency declared in a `ServiceGraph`: `client` may connect to
 * addresses outside the cluster.
 */
export interface ExternalCall {
  /** The service that opens the connections. */
  readonly client: GraphService;
  /** The CIDR, or `0.0.0.0/0` (and `::/0`) for the internet. */
  readonly cidrs: string[];
  /** CIDRs left out of `cidrs` (private, link-local and CGNAT ranges for the internet). */
  readonly except: string[];
  /** The destination ports. */
  readonly ports: Port[];
}

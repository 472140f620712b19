import { Protocol } from '../protocol';
import { Labels } from './label-matcher';
import { ManifestObject } from './manifest-object';
import { IpFamily } from '../validation/cidr';

/** A container port of an endpoint, for resolving named ports. */
export interface ContainerPort {
  readonly name?: string;
  readonly port: number;
  readonly protocol: Protocol;
}

/** An address of a pod (`status.podIPs`), with IPv4-mapped IPv6 addresses taken as IPv4. */
export interface PodAddress {
  readonly family: IpFamily;
  readonly value: bigint;
  readonly text: string;
}

/**
 * A pod, or a workload standing for the pods its template creates: the
 * analyzer reasons about one representative pod per workload.
 */
export interface Endpoint {
  /** Position in the model's endpoint list (used by bitsets). */
  readonly index: number;
  readonly namespace: string;
  readonly name: string;
  /** The object's kind, as written (e.g. `Deployment`, `Pod`). */
  readonly kind: string;
  /** `<namespace>/<kind>/<name>` with the kind in lower case: unique. */
  readonly id: string;
  /** `<namespace>/<name>`, or the id when another object of the namespace has the same name. */
  displayName: string;
  /** The pod labels (the template's for a workload). */
  readonly labels: Labels;
  readonly ports: readonly ContainerPort[];
  /** True for a single Pod: talking to itself is loopback. */
  readonly isPod: boolean;
  readonly origin: string;
  /** The pod annotations (the template's for a workload), e.g. `prometheus.io/scrape`. */
  readonly annotations: Labels;
  /** The pod's service account (`spec.serviceAccountName`; `default` when not given). */
  readonly serviceAccount: string;
  /** `spec.hostNetwork` of the pod (template): enforcement then depends on the CNI. */
  readonly hostNetwork: boolean;
  /** The Pod's addresses (`status.podIPs`), when the manifests give them; none for a workload. */
  readonly addresses?: readonly PodAddress[];
  /** The object as loaded; undefined for an endpoint that stands for something not in the manifests. */
  readonly source?: ManifestObject;
}

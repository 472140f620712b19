import { ContainerPort, Endpoint } from './endpoint';
import { Labels } from './label-matcher';

/** What a stand-in is: something every cluster runs that the manifests do not show. */
export interface StandInOptions {
  readonly namespace: string;
  readonly name: string;
  readonly kind: string;
  readonly labels: Labels;
  readonly ports: readonly ContainerPort[];
  /** Shown wherever an endpoint's origin is, e.g. `cluster DNS (not in the manifests)`. */
  readonly origin: string;
  /** How flows name it; `<namespace>/<name>` by default. */
  readonly displayName?: string;
}

/**
 * An endpoint for something outside the manifests (cluster DNS, the metrics
 * scraper). Its index is -1, so the model knows no policy selecting it: a flow
 * to it is decided by the other side alone, which is all the manifests can
 * tell. It is never a single Pod, so it is never mistaken for loopback.
 */
export function standInEndpoint(options: StandInOptions): Endpoint {
  return {
    index: -1,
    namespace: options.namespace,
    name: options.name,
    kind: options.kind,
    id: `${options.namespace}/${options.kind.toLowerCase()}/${options.name}`,
    displayName: options.displayName ?? `${options.namespace}/${options.name}`,
    labels: { ...options.labels },
    ports: options.ports,
    isPod: false,
    origin: options.origin,
    annotations: {},
    hostNetwork: false,
    serviceAccount: 'default',
  };
}

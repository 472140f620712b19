import { NamespaceInfo } from '../analysis/cluster-model';
import { ClusterPolicy } from '../analysis/cluster-policy';
import { TierPolicy } from '../analysis/compiled-policy';
import { Endpoint } from '../analysis/endpoint';
import { ManifestObject } from '../analysis/manifest-object';

/** The object a finding is about: its description and, when it exists in the input, the object as loaded. */
export interface Subject {
  /** `Kind namespace/name`, e.g. `NetworkPolicy shop/web-egress`. */
  readonly object: string;
  readonly source?: ManifestObject;
}

/** A policy of any kind: `NetworkPolicy shop/web`, `CiliumNetworkPolicy shop/web`, `CiliumClusterwideNetworkPolicy base`. */
export function policySubject(policy: TierPolicy): Subject {
  return { object: policyName(policy), source: policy.source };
}

/** How messages name a policy of any kind: its kind, then its namespace and name. */
export function policyName(policy: TierPolicy): string {
  return policy.kind === 'NetworkPolicy' ? `NetworkPolicy ${policy.id}` : policy.id;
}

export function endpointSubject(endpoint: Endpoint): Subject {
  return { object: `${endpoint.kind} ${endpoint.namespace}/${endpoint.name}`, source: endpoint.source };
}

/** A namespace: its Namespace object when one was given, else just the name (nothing to annotate). */
export function namespaceSubject(namespace: NamespaceInfo): Subject {
  return { object: `Namespace ${namespace.name}`, source: namespace.source };
}

/** A cluster-scoped policy: `ClusterNetworkPolicy platform-dns`, `AdminNetworkPolicy tenants`. */
export function clusterPolicySubject(policy: ClusterPolicy): Subject {
  return { object: policy.id, source: policy.source };
}

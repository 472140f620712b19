import { POD_NAMESPACE_LABEL } from '../analysis/cilium-identity';
import { ClusterModel } from '../analysis/cluster-model';
import { CompiledPort, TierPeer, TierPolicy } from '../analysis/compiled-policy';
import { Endpoint } from '../analysis/endpoint';
import { LabelMatcher } from '../analysis/label-matcher';
import { peerMatches, subjectMatches } from '../analysis/matching';
import { cidrContains } from '../validation/cidr';

/*
 * "Does this allow take in everyone that allows?" questions that Cilium rules
 * raise (an L4 allow voiding an L7 limit, a DNS rule applying to a DNS-name
 * peer's pods): by what the selectors say, and, for pods, by the pods of the
 * manifests they match.
 */

/** The entities `cluster` takes in besides the pods (pkg/policy/api/entity.go). */
const CLUSTER_ENTITIES = ['cluster', 'host', 'remote-node', 'init', 'ingress', 'health', 'unmanaged', 'kube-apiserver'];

/** A DNS-name peer (`toFQDNs`): in the `world` entity. */
export function isFqdnPeer(peer: TierPeer): boolean {
  return peer.kind === 'fqdn';
}

/** `{}` (in a cluster-wide policy), or nothing but `io.kubernetes.pod.namespace Exists`: every pod of every namespace. */
export function takesEveryPod(selector: LabelMatcher): boolean {
  if (selector.matchesAll) return true;
  return selector.keys.length === 1 && selector.keys[0] === POD_NAMESPACE_LABEL
    && selector.requiredKeys.includes(POD_NAMESPACE_LABEL) && selector.valuesOf(POD_NAMESPACE_LABEL).length === 0;
}

/**
 * True when `wide` takes in everyone `narrow` does (undefined: every peer): by
 * the selectors, or, for pod peers, when the pods of the manifests `narrow`
 * matches (at least one) all match `wide`.
 */
export function peerCovers(model: ClusterModel, wide: TierPeer | undefined, narrow: TierPeer | undefined): boolean {
  if (wide === undefined) return true;
  if (wide.kind === 'entity' && wide.entity === 'all') return true;
  if (narrow === undefined) return false;
  if (wide.kind === 'entity') {
    if (narrow.kind === 'entity') return narrow.entity === wide.entity || (wide.entity === 'cluster' && CLUSTER_ENTITIES.includes(narrow.entity));
    if (wide.entity === 'world') return narrow.kind === 'ip' || isFqdnPeer(narrow);
    if (wide.entity === 'cluster') return narrow.kind === 'identity' || narrow.kind === 'pods';
    return false;
  }
  if (wide.kind === 'ip') {
    if (narrow.kind !== 'ip' || !cidrContains(wide.cidr, narrow.cidr)) return false;
    return wide.except.every((e) => !cidrContains(e, narrow.cidr) && !cidrContains(narrow.cidr, e));
  }
  if (wide.kind === 'identity' && narrow.kind === 'identity') {
    if (wide.key === narrow.key) return true;
    if (wide.selector.matchesAll && (wide.namespace === undefined || wide.namespace === narrow.namespace)) return true;
    if (wide.namespace === undefined && takesEveryPod(wide.selector)) return true;
  }
  if (wide.kind === 'pods') {
    if (narrow.kind === 'pods' && wide.key === narrow.key) return true;
    if (wide.namespaces?.matchesAll && wide.pods.matchesAll && (narrow.kind === 'pods' || narrow.kind === 'identity')) return true;
  }
  if (narrow.kind !== 'identity' && narrow.kind !== 'pods') return false;
  const matched = model.endpoints.filter((e) => peerMatches(model, narrow, { kind: 'endpoint', endpoint: e, text: e.displayName }));
  return matched.length > 0 && matched.every((e) => peerMatches(model, wide, { kind: 'endpoint', endpoint: e, text: e.displayName }));
}

/** True when the port entry `wide` (undefined: every port) takes in every port of `narrow`, on its protocol. */
export function portCovers(wide: CompiledPort | undefined, narrow: CompiledPort): boolean {
  if (wide === undefined) return true;
  if (wide.protocol !== narrow.protocol) return false;
  if (wide.name !== undefined || narrow.name !== undefined) return wide.name !== undefined && wide.name === narrow.name;
  if (wide.port === undefined) return true;
  if (narrow.port === undefined) return false;
  return wide.port <= narrow.port && (wide.endPort ?? wide.port) >= (narrow.endPort ?? narrow.port);
}

/**
 * The pods of the manifests both policies select; when the manifests hold
 * none of `first`'s pods, `true` if the selectors say `second` selects them
 * (the same rule, an empty selector over `first`'s namespace or the cluster,
 * or the same selector); undefined when they share no pod.
 */
export function sharePods(model: ClusterModel, first: TierPolicy, second: TierPolicy): Endpoint[] | true | undefined {
  const firsts = model.endpoints.filter((e) => subjectMatches(model, first.subject, e));
  const both = firsts.filter((e) => subjectMatches(model, second.subject, e));
  if (both.length > 0) return both;
  // The manifests hold pods of the first and the second selects none of them.
  if (firsts.length > 0) return undefined;
  const sameNamespace = second.namespace === undefined || second.namespace === first.namespace;
  const same = first === second
    || (sameNamespace && second.subject.selector.matchesAll)
    || (first.namespace === second.namespace && first.subject.identity === second.subject.identity
      && first.subject.selector.text === second.subject.selector.text);
  return same ? true : undefined;
}

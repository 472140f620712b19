import { Endpoint } from './endpoint';
import { Labels, SelectorKeyReader } from './label-matcher';
import { labelKeyProblem } from '../validation/labels';

/**
 * The labels Cilium gives every pod identity, and how Cilium selectors name
 * labels (cilium/cilium `pkg/k8s/utils/utils.go` SanitizePodLabels,
 * `pkg/k8s/apis/cilium.io/const.go`, `pkg/labels/labels.go`).
 */

/** The pod's namespace. */
export const POD_NAMESPACE_LABEL = 'io.kubernetes.pod.namespace';
/** The pod's service account. */
export const SERVICE_ACCOUNT_LABEL = 'io.cilium.k8s.policy.serviceaccount';
/** The pod's cluster (ClusterMesh): `default` unless the agent is configured otherwise. */
export const CLUSTER_LABEL = 'io.cilium.k8s.policy.cluster';
/** Each label of the pod's Namespace, under this prefix. */
export const NAMESPACE_LABELS_PREFIX = 'io.cilium.k8s.namespace.labels.';
/** Cilium drops the pod labels under this prefix, which are its own. */
const CILIUM_PREFIX = 'io.cilium.k8s';
/** The cluster name of a Cilium installation that does not set one. */
export const DEFAULT_CLUSTER_NAME = 'default';

/**
 * The identity labels of a pod: its own labels (but those starting with
 * `io.cilium.k8s`), its Namespace's labels under `io.cilium.k8s.namespace.labels.`,
 * its namespace, service account and cluster. All are `k8s:` labels.
 */
export function identityLabels(endpoint: Endpoint, namespaceLabels: Labels): Labels {
  const labels: Record<string, string> = {};
  for (const [key, value] of Object.entries(endpoint.labels)) {
    if (!key.startsWith(CILIUM_PREFIX)) labels[key] = value;
  }
  for (const [key, value] of Object.entries(namespaceLabels)) labels[`${NAMESPACE_LABELS_PREFIX}${key}`] = value;
  labels[POD_NAMESPACE_LABEL] = endpoint.namespace;
  labels[SERVICE_ACCOUNT_LABEL] = endpoint.serviceAccount;
  labels[CLUSTER_LABEL] = DEFAULT_CLUSTER_NAME;
  return labels;
}

/** A selector key split into its source (`k8s`, `any`, `reserved`...) and the label key. */
export interface SourcedKey {
  readonly source: string;
  readonly key: string;
}

/** Splits `k8s:app` into `k8s` and `app`; a key without a source has the source `any`. */
export function splitSourcedKey(raw: string): SourcedKey {
  const colon = raw.indexOf(':');
  return colon < 0 ? { source: 'any', key: raw } : { source: raw.slice(0, colon), key: raw.slice(colon + 1) };
}

/** True for the sources of pod labels: `k8s`, and `any`, which matches every source. */
export function isPodSource(source: string): boolean {
  return source === 'k8s' || source === 'any';
}

/**
 * Reads a key of a Cilium selector: a pod label key (`app`, `k8s:app`,
 * `any:app`) matches the label by that key; a key of another source
 * (`reserved:host`) keeps its source, so that it matches no pod label (pod
 * label keys have no colon).
 */
export const ciliumSelectorKey: SelectorKeyReader = (raw) => {
  const { source, key } = splitSourcedKey(raw);
  if (source === '') return { problem: 'invalid label key: the source before ":" is empty' };
  const problem = labelKeyProblem(key);
  if (problem) return { problem: `invalid label key: ${problem}` };
  return isPodSource(source) ? { key } : { key: `${source}:${key}` };
};

import { NAMESPACE_LABELS_PREFIX, POD_NAMESPACE_LABEL, SERVICE_ACCOUNT_LABEL } from '../analysis/cilium-identity';
import { ClusterModel } from '../analysis/cluster-model';
import { compareText } from '../analysis/compare-text';
import { TierPolicy } from '../analysis/compiled-policy';
import { Endpoint } from '../analysis/endpoint';
import { Direction } from '../analysis/flow';
import { LabelMatcher, Labels } from '../analysis/label-matcher';
import { ManifestObject } from '../analysis/manifest-object';
import { subjectMatches } from '../analysis/matching';
import { dnsLabelProblem, dnsSubdomainProblem } from '../validation/labels';

/*
 * Most apps that use this library synthesize their policies without the workloads (those come from Helm or
 * another repository). A rule that only looked at the pods in the manifests would then say nothing about a
 * default-deny that breaks every pod it will select. This module gives such rules something to judge: for each
 * pod selector of the policies that no pod of the manifests matches, one stand-in pod that it selects, in a model
 * that also holds everything the manifests hold, so that every policy (not just the one) is applied to it.
 */

/** The pods some policies select, of which the manifests hold none: one stand-in for them all. */
export interface SelectedPods {
  /** The stand-in, an endpoint of `model`. */
  readonly endpoint: Endpoint;
  /** The policies (of any kind) that select these pods and isolate the direction, sorted by id. */
  readonly policies: readonly TierPolicy[];
  /** How messages name the pods: `every pod of namespace shop`, `pods app=web in namespace shop`. */
  readonly text: string;
}

/** The model with the stand-ins, and the stand-ins. */
export interface SelectedPodsModel {
  readonly model: ClusterModel;
  readonly selected: readonly SelectedPods[];
}

/** Marks the stand-in objects, so that nothing mistakes them for pods of the manifests. */
const STAND_IN_ANNOTATION = 'cdk8s-netpol.io/stand-in';

/**
 * The pods that policies isolating `direction` select and the manifests do not
 * hold, one stand-in per distinct selector of a namespace; undefined when every
 * such selector matches some pod of the manifests (those pods are judged instead).
 *
 * @param skip selectors whose stand-in a rule does not judge (e.g. cluster DNS itself)
 */
export function selectedPodsWithoutPods(
  model: ClusterModel,
  direction: Direction,
  skip: (namespace: string, labels: Labels) => boolean = () => false,
): SelectedPodsModel | undefined {
  const groups = new Map<string, { namespace: string; selector: LabelMatcher; labels: Labels; serviceAccount?: string; policies: TierPolicy[] }>();
  for (const policy of model.tierPolicies) {
    if (!policy.isolates.has(direction)) continue;
    const candidates = policy.namespace === undefined ? model.endpoints : model.endpointsIn(policy.namespace);
    if (candidates.some((e) => subjectMatches(model, policy.subject, e))) continue;
    const pods = podsOf(policy);
    if (pods === undefined || skip(pods.namespace, pods.labels)) continue;
    const selector = policy.subject.selector;
    const key = `${pods.namespace}\n${policy.subject.identity ? 'identity ' : ''}${selector.text}`;
    const group = groups.get(key) ?? { ...pods, selector, policies: [] };
    group.policies.push(policy);
    groups.set(key, group);
  }
  if (groups.size === 0) return undefined;

  const sorted = [...groups.values()].sort((a, b) => compareText(a.namespace, b.namespace) || compareText(a.selector.text, b.selector.text));
  const standIns: ManifestObject[] = sorted.map((group, i) => ({
    object: standInPod(group.namespace, `selected-pods-${i + 1}`, group.labels, group.serviceAccount),
    origin: 'pods the policies select (not in the manifests)',
  }));
  const rebuilt = ClusterModel.build([...sourcesOf(model), ...standIns]);
  const selected = sorted.flatMap((group, i) => {
    const endpoint = rebuilt.endpointsNamed(group.namespace, `selected-pods-${i + 1}`)[0];
    // A Cilium selector may need what a stand-in cannot carry (its namespace's labels): then there are no such pods to judge.
    const policies = group.policies.filter((p) => subjectMatches(rebuilt, p.subject, endpoint));
    if (policies.length === 0) return [];
    return [{
      endpoint,
      policies: [...policies].sort((a, b) => compareText(a.id, b.id)),
      text: group.selector.matchesAll ? `every pod of namespace ${group.namespace}` : `pods ${group.selector.text} in namespace ${group.namespace}`,
    }];
  });
  if (selected.length === 0) return undefined;
  return { model: rebuilt, selected };
}

/** Whether an endpoint is a stand-in of this module. */
export function isSelectedPodsStandIn(endpoint: Endpoint): boolean {
  return endpoint.source?.object?.metadata?.annotations?.[STAND_IN_ANNOTATION] !== undefined;
}

/**
 * The namespace and pod labels of a stand-in the policy selects: its own
 * namespace, or for a cluster-wide Cilium policy the one its selector names;
 * the labels Cilium adds to every pod (namespace, service account, cluster,
 * namespace labels) are left to the model, but a service account the selector
 * names becomes the pod's. Undefined when no such pod can be made.
 */
function podsOf(policy: TierPolicy): { namespace: string; labels: Labels; serviceAccount?: string } | undefined {
  const selector = policy.subject.selector;
  const labels = labelsMatching(selector);
  if (labels === undefined) return undefined;
  if (!policy.subject.identity) return policy.namespace === undefined ? undefined : { namespace: policy.namespace, labels };
  const named = selector.valuesOf(POD_NAMESPACE_LABEL);
  const namespace = policy.namespace ?? (named.length === 1 ? named[0] : undefined);
  // The stand-in must be an object the API server accepts (a label value need not be a namespace name).
  if (namespace === undefined || dnsLabelProblem(namespace)) return undefined;
  const own: Record<string, string> = {};
  for (const [key, value] of Object.entries(labels)) {
    // A key of another source (`reserved:host`) is no pod's label; Cilium's own labels come from the model.
    if (key.includes(':')) return undefined;
    if (key !== POD_NAMESPACE_LABEL && !key.startsWith('io.cilium.k8s')) own[key] = value;
  }
  if (selector.requiredKeys.some((k) => k.startsWith(NAMESPACE_LABELS_PREFIX))) return undefined;
  const accounts = selector.valuesOf(SERVICE_ACCOUNT_LABEL);
  if (accounts.length > 0 && dnsSubdomainProblem(accounts[0])) return undefined;
  return { namespace, labels: own, serviceAccount: accounts.length ? accounts[0] : undefined };
}

/**
 * Labels the selector matches: a value of each In (matchLabels included), a
 * value for each Exists; NotIn and DoesNotExist are met by leaving the key out.
 * Undefined when no labels can match (e.g. `app in (a)` with `app notin (a)`).
 */
function labelsMatching(selector: LabelMatcher): Labels | undefined {
  const labels: Record<string, string> = {};
  for (const key of selector.requiredKeys) {
    labels[key] = selector.valuesOf(key)[0] ?? 'stand-in';
  }
  return selector.matches(labels) ? labels : undefined;
}

function standInPod(namespace: string, name: string, labels: Labels, serviceAccount?: string): any {
  return {
    apiVersion: 'v1',
    kind: 'Pod',
    metadata: { name, namespace, labels: { ...labels }, annotations: { [STAND_IN_ANNOTATION]: 'pods the policies select (not in the manifests)' } },
    spec: { containers: [{ name: 'stand-in', image: 'stand-in' }], ...(serviceAccount ? { serviceAccountName: serviceAccount } : {}) },
  };
}

/** The objects the model was built from that it reads: namespaces, pods and workloads, policies of every tier. */
function sourcesOf(model: ClusterModel): ManifestObject[] {
  const namespaces = [...model.namespaces.values()].flatMap((n) => (n.source ? [n.source] : []));
  const endpoints = model.endpoints.flatMap((e) => (e.source ? [e.source] : []));
  // The specs of a Cilium object share its source: each object once.
  return [...namespaces, ...endpoints, ...new Set(model.tierPolicies.map((p) => p.source)), ...model.clusterPolicies.map((p) => p.source)];
}

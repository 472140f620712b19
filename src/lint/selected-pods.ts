import { ClusterModel } from '../analysis/cluster-model';
import { compareText } from '../analysis/compare-text';
import { CompiledPolicy } from '../analysis/compiled-policy';
import { Endpoint } from '../analysis/endpoint';
import { Direction } from '../analysis/flow';
import { LabelMatcher, Labels } from '../analysis/label-matcher';
import { ManifestObject } from '../analysis/manifest-object';

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
  /** The policies that select these pods and isolate the direction, sorted by id. */
  readonly policies: readonly CompiledPolicy[];
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
  const groups = new Map<string, { namespace: string; selector: LabelMatcher; labels: Labels; policies: CompiledPolicy[] }>();
  for (const policy of model.policies) {
    if (!policy.isolates.has(direction)) continue;
    if (model.endpointsIn(policy.namespace).some((e) => policy.podSelector.matches(e.labels))) continue;
    const labels = labelsMatching(policy.podSelector);
    if (labels === undefined || skip(policy.namespace, labels)) continue;
    const key = `${policy.namespace}\n${policy.podSelector.text}`;
    const group = groups.get(key) ?? { namespace: policy.namespace, selector: policy.podSelector, labels, policies: [] };
    group.policies.push(policy);
    groups.set(key, group);
  }
  if (groups.size === 0) return undefined;

  const sorted = [...groups.values()].sort((a, b) => compareText(a.namespace, b.namespace) || compareText(a.selector.text, b.selector.text));
  const standIns: ManifestObject[] = sorted.map((group, i) => ({
    object: standInPod(group.namespace, `selected-pods-${i + 1}`, group.labels),
    origin: 'pods the policies select (not in the manifests)',
  }));
  const rebuilt = ClusterModel.build([...sourcesOf(model), ...standIns]);
  const selected = sorted.map((group, i) => ({
    endpoint: rebuilt.endpointsNamed(group.namespace, `selected-pods-${i + 1}`)[0],
    policies: [...group.policies].sort((a, b) => compareText(a.id, b.id)),
    text: group.selector.matchesAll ? `every pod of namespace ${group.namespace}` : `pods ${group.selector.text} in namespace ${group.namespace}`,
  }));
  return { model: rebuilt, selected };
}

/** Whether an endpoint is a stand-in of this module. */
export function isSelectedPodsStandIn(endpoint: Endpoint): boolean {
  return endpoint.source?.object?.metadata?.annotations?.[STAND_IN_ANNOTATION] !== undefined;
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

function standInPod(namespace: string, name: string, labels: Labels): any {
  return {
    apiVersion: 'v1',
    kind: 'Pod',
    metadata: { name, namespace, labels: { ...labels }, annotations: { [STAND_IN_ANNOTATION]: 'pods the policies select (not in the manifests)' } },
    spec: { containers: [{ name: 'stand-in', image: 'stand-in' }] },
  };
}

/** The objects the model was built from that it reads: namespaces, pods and workloads, policies. */
function sourcesOf(model: ClusterModel): ManifestObject[] {
  const namespaces = [...model.namespaces.values()].flatMap((n) => (n.source ? [n.source] : []));
  const endpoints = model.endpoints.flatMap((e) => (e.source ? [e.source] : []));
  return [...namespaces, ...endpoints, ...model.policies.map((p) => p.source)];
}

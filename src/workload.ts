import { ApiObject } from 'cdk8s';
import { IConstruct } from 'constructs';
import { podTemplatePath } from './kube/pod-template';
import type { K8sLabelSelector } from './kube/types';
import { fromKubeLabelSelector } from './label-selector';
import type { SelectorOptions } from './selector-options';

/*
 * A workload is read from what it synthesizes, never through a cdk8s-plus type: the Deployment of any
 * cdk8s-plus (28 through 33), a `KubeDeployment` of `cdk8s import`, a raw ApiObject and the objects of
 * an Include all synthesize the same Kubernetes manifest, and reading it needs no cdk8s-plus here.
 * Only what synthesizes nothing (cdk8s-plus's `Pods.select()`), or nothing yet (a cdk8s-plus workload
 * without a container), is asked, duck-typed, what it selects.
 */

/** What a workload (or a cdk8s-plus `Pods.select()`) selects. */
export interface WorkloadSelection {
  /** The pods' labels. */
  readonly pods: SelectorOptions;
  /** Namespaces by name, when the workload states them. */
  readonly namespaceNames?: string[];
  /** Namespaces by labels, when the selection states them. */
  readonly namespaceLabels?: SelectorOptions;
  /** The construct path, for messages. */
  readonly path: string;
}

/** The object of a workload, known without synthesizing it. */
export interface WorkloadObject {
  readonly apiObject: ApiObject;
  /** A kind that makes pods: `Deployment`, `Pod`, ... */
  readonly kind: string;
  readonly name: string;
  readonly namespace?: string;
  /** The construct path of what was passed, for messages. */
  readonly path: string;
}

/** What the pod template of a workload says, as it synthesizes now. */
export interface PodTemplate {
  /** The labels the workload selects its pods with (`spec.selector`), else the labels of its pod (template). */
  readonly selector: K8sLabelSelector;
  /** The labels of its pods (the template's for a workload). */
  readonly podLabels: { [key: string]: string };
  /** The containers of its pods, as synthesized. */
  readonly containers: ReadonlyArray<{ readonly ports?: ReadonlyArray<{ name?: unknown; containerPort?: unknown; protocol?: unknown }> }>;
}

const ACCEPTED = 'a workload construct: a cdk8s-plus Deployment, StatefulSet, DaemonSet, Job, CronJob or Pod (any cdk8s-plus version), '
  + 'an ApiObject of one of those kinds (e.g. a KubeDeployment of `cdk8s import`), or an Include that holds one';

/** How many of the workloads of a construct that holds several an error names. */
const MAX_NAMED = 5;

/** The construct path of `x`, or a description of what it is. */
function describe(x: unknown): string {
  const path = (x as IConstruct | undefined)?.node?.path;
  if (typeof path === 'string') return path;
  if (x === null || x === undefined) return String(x);
  return typeof x === 'object' ? 'an object that is not a construct' : `the ${typeof x} ${JSON.stringify(x)}`;
}

/**
 * The ApiObject of a workload: the construct itself, its default child (every
 * cdk8s-plus workload), or the one object among its children that makes pods
 * (an Include, a construct wrapping a workload); undefined when it holds none.
 */
export function workloadApiObject(workload: IConstruct): ApiObject | undefined {
  if (ApiObject.isApiObject(workload)) return workload;
  const child = workload.node.defaultChild;
  if (child !== undefined && ApiObject.isApiObject(child)) return child;
  const found = workload.node.findAll().filter((c): c is ApiObject => ApiObject.isApiObject(c) && podTemplatePath(c.kind) !== undefined);
  if (found.length > 1) {
    throw new Error(
      `${workload.node.path} holds ${found.length} workloads (${found.slice(0, MAX_NAMED).map((o) => `${o.kind} ${o.name}`).join(', ')}`
      + `${found.length > MAX_NAMED ? `, and ${found.length - MAX_NAMED} more` : ''}); `
      + `pass the one whose pods you mean (e.g. ${found[0].node.path}).`,
    );
  }
  return found[0];
}

/**
 * The workload object of a construct (see `workloadApiObject`), checked to make
 * pods; undefined for a construct that holds no ApiObject (a cdk8s-plus `Pods.select()`).
 */
export function workloadObject(workload: IConstruct): WorkloadObject | undefined {
  if (typeof workload?.node?.path !== 'string') {
    throw new Error(`Expected ${ACCEPTED}; got ${describe(workload)}.`);
  }
  const apiObject = workloadApiObject(workload);
  if (apiObject === undefined) return undefined;
  const path = workload.node.path;
  if (podTemplatePath(apiObject.kind) === undefined) {
    throw new Error(`${path} is a ${apiObject.kind}, which makes no pods; expected ${ACCEPTED}.`);
  }
  return { apiObject, kind: apiObject.kind, name: apiObject.name, namespace: apiObject.metadata.namespace, path };
}

/** The object's manifest, as it synthesizes now (a cdk8s-plus workload does not until it has a container). */
function synthesize(object: WorkloadObject): any {
  try {
    return object.apiObject.toJson();
  } catch (e) {
    throw new Error(`Cannot synthesize ${object.path} to read which pods it makes: ${(e as Error).message}`);
  }
}

/**
 * The pod template of a workload when it synthesizes now; undefined when it
 * cannot yet (a cdk8s-plus workload before its first container is added).
 */
export function podTemplateIfSynthesizable(object: WorkloadObject): PodTemplate | undefined {
  let manifest: any;
  try {
    manifest = object.apiObject.toJson();
  } catch {
    return undefined;
  }
  return readPodTemplate(object, manifest);
}

/** The pod template of a workload, from what it synthesizes now. */
export function readPodTemplate(object: WorkloadObject, manifest: any = synthesize(object)): PodTemplate {
  const { kind, name, path } = object;
  const template = podTemplatePath(kind)!.reduce((node: any, key) => node?.[key], manifest);
  const podLabels = template?.metadata?.labels ?? {};
  if (typeof podLabels !== 'object' || Array.isArray(podLabels)) {
    throw new Error(`The pod labels of ${path} (${kind} ${name}) are not a map: ${JSON.stringify(podLabels)}.`);
  }
  const { selector, field } = workloadSelector(kind, manifest?.spec, podLabels);
  if (selector === null || typeof selector !== 'object' || Array.isArray(selector)) {
    throw new Error(`The ${field} of ${path} (${kind} ${name}) is not a label selector: ${JSON.stringify(selector)}.`);
  }
  if (Object.keys(selector.matchLabels ?? {}).length === 0 && (selector.matchExpressions ?? []).length === 0) {
    // An empty selector would select every pod of the namespace: never what "the pods of this workload" means.
    throw new Error(field === 'spec.selector'
      ? `The spec.selector of ${path} (${kind} ${name}) is empty, so it would stand for every pod of its namespace; select its pods by their labels.`
      : `${path} (${kind} ${name}) has pods without labels, so no selector can tell them from the other pods of `
        + 'its namespace; give its pods labels (metadata.labels of the pod template).');
  }
  const containers = template?.spec?.containers;
  return { selector, podLabels: { ...podLabels }, containers: Array.isArray(containers) ? containers : [] };
}

/**
 * The labels a workload selects its pods with: its `spec.selector` (a plain map
 * for a ReplicationController), else (a Pod, a Job, a CronJob) all its pods' labels.
 */
function workloadSelector(kind: string, spec: any, podLabels: { [key: string]: string }): { selector: K8sLabelSelector; field: string } {
  const field = kind === 'CronJob' ? 'spec.jobTemplate.spec.selector' : 'spec.selector';
  const selector = kind === 'CronJob' ? spec?.jobTemplate?.spec?.selector : kind === 'Pod' ? undefined : spec?.selector;
  if (selector === undefined) return { selector: { matchLabels: podLabels }, field: 'pod labels' };
  return { selector: kind === 'ReplicationController' ? { matchLabels: selector } : selector, field };
}

/**
 * Reads what a workload selects: from its manifest (see `readPodTemplate`), or,
 * for what synthesizes nothing (a cdk8s-plus `Pods.select()` / `Pods.all()`) or
 * not yet (a cdk8s-plus workload before its first container is added), from
 * cdk8s-plus's `toPodSelectorConfig()`.
 */
export function readWorkload(workload: IConstruct): WorkloadSelection {
  const object = workloadObject(workload);
  if (object === undefined) return readPodSelection(workload);
  let manifest: any;
  try {
    manifest = synthesize(object);
  } catch (e) {
    if (hasPodSelectorConfig(workload)) return readPodSelection(workload);
    throw e;
  }
  const namespace = manifest?.metadata?.namespace;
  return {
    pods: readSelector(readPodTemplate(object, manifest).selector, object.path),
    namespaceNames: typeof namespace === 'string' && namespace !== '' ? [namespace] : undefined,
    path: object.path,
  };
}

/** What cdk8s-plus's `IPodSelector.toPodSelectorConfig()` returns, in every version from 22 to 33. */
interface PodSelectorConfig {
  readonly labelSelector: unknown;
  readonly namespaces?: { readonly names?: string[]; readonly labelSelector?: unknown };
}

/** Whether the construct is a cdk8s-plus pod selector (`IPodSelector` of any version). */
function hasPodSelectorConfig(workload: IConstruct): workload is IConstruct & { toPodSelectorConfig(): PodSelectorConfig } {
  return typeof (workload as { toPodSelectorConfig?: unknown }).toPodSelectorConfig === 'function';
}

/**
 * A cdk8s-plus `Pods.select()`: a selection with no object behind it (or a
 * cdk8s-plus workload that cannot synthesize yet). Its label
 * selectors render only with their internal `_toKube()`, which every cdk8s-plus
 * version has (cdk8s-plus's own NetworkPolicy uses it); we fail loudly should it go.
 */
function readPodSelection(workload: IConstruct): WorkloadSelection {
  const path = workload.node.path;
  if (!hasPodSelectorConfig(workload)) {
    throw new Error(`${path} holds no workload; expected ${ACCEPTED}, or a cdk8s-plus Pods.select().`);
  }
  const config = workload.toPodSelectorConfig();
  const pods = readSelector(renderKplusSelector(config.labelSelector, path), path);
  const namespaces = config.namespaces;
  const namespaceNames = namespaces?.names && namespaces.names.length ? [...namespaces.names] : undefined;
  let namespaceLabels = namespaces?.labelSelector ? readSelector(renderKplusSelector(namespaces.labelSelector, path), path) : undefined;
  // cdk8s-plus pairs names with an empty label selector (`Namespaces.select({ names })`); names AND
  // labels must both match, so an empty label selector next to names adds nothing (it does not mean
  // "all namespaces", which it means only without names, as in `Namespaces.all()`).
  if (namespaceNames && namespaceLabels && isEmptySelector(namespaceLabels)) {
    namespaceLabels = undefined;
  }
  return { pods, namespaceNames, namespaceLabels, path };
}

function renderKplusSelector(selector: unknown, path: string): K8sLabelSelector {
  const render = (selector as { _toKube?: () => K8sLabelSelector } | undefined)?._toKube;
  if (typeof render !== 'function') {
    throw new Error(`Cannot read the label selector of ${path}: this version of cdk8s-plus does not expose it.`);
  }
  return render.call(selector);
}

function readSelector(selector: K8sLabelSelector, path: string): SelectorOptions {
  // What synthesizes is any JSON: a string where a map belongs must not be read as its characters.
  const { matchLabels, matchExpressions } = selector;
  if ((matchLabels !== undefined && (matchLabels === null || typeof matchLabels !== 'object' || Array.isArray(matchLabels)))
    || (matchExpressions !== undefined && !Array.isArray(matchExpressions))) {
    throw new Error(`The label selector of ${path} is invalid: matchLabels must be a map and matchExpressions a list, got ${JSON.stringify(selector)}.`);
  }
  try {
    return fromKubeLabelSelector(selector);
  } catch (e) {
    throw new Error(`The label selector of ${path} is invalid: ${(e as Error).message}`);
  }
}

function isEmptySelector(selector: SelectorOptions): boolean {
  return Object.keys(selector.labels ?? {}).length === 0 && (selector.expressions ?? []).length === 0;
}

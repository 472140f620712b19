import { ApiObject } from 'cdk8s';
import * as kplus from 'cdk8s-plus-28';
import type { SelectorOptions } from '../selector';
import { fromKubeLabelSelector } from './label-selector';

/** What a cdk8s-plus pod selector (a Deployment, a Pod, `Pods.select(...)`) selects. */
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

/**
 * Reads what a cdk8s-plus `IPodSelector` selects. cdk8s-plus returns its own
 * LabelSelector whose only renderer is internal (`_toKube`); it is part of the
 * jsii-compiled JavaScript of cdk8s-plus-28 2.x and is what cdk8s-plus's own
 * NetworkPolicy uses, so we rely on it and fail loudly should it disappear.
 */
export function readWorkload(workload: kplus.IPodSelector): WorkloadSelection {
  const path = workload?.node?.path ?? String(workload);
  if (!workload || typeof workload.toPodSelectorConfig !== 'function') {
    throw new Error(`Expected a cdk8s-plus pod selector (for example a kplus.Deployment), got ${path}.`);
  }
  const config = workload.toPodSelectorConfig();
  const pods = renderKplusSelector(config.labelSelector, path);
  const namespaces = config.namespaces;
  const namespaceNames = namespaces?.names && namespaces.names.length ? [...namespaces.names] : undefined;
  let namespaceLabels = namespaces?.labelSelector ? renderKplusSelector(namespaces.labelSelector, path) : undefined;
  // cdk8s-plus pairs names with an empty label selector (`Namespaces.select({ names })`); names AND
  // labels must both match, so an empty label selector next to names adds nothing (it does not mean
  // "all namespaces", which it means only without names, as in `Namespaces.all()`).
  if (namespaceNames && namespaceLabels && isEmptySelector(namespaceLabels)) {
    namespaceLabels = undefined;
  }
  return { pods, namespaceNames, namespaceLabels, path };
}

function renderKplusSelector(selector: kplus.LabelSelector, path: string): SelectorOptions {
  const render = (selector as unknown as { _toKube?: () => kplus.k8s.LabelSelector })._toKube;
  if (typeof render !== 'function') {
    throw new Error(`Cannot read the label selector of ${path}: this version of cdk8s-plus-28 does not expose it.`);
  }
  try {
    return fromKubeLabelSelector(render.call(selector));
  } catch (e) {
    throw new Error(`The label selector of ${path} is invalid: ${(e as Error).message}`);
  }
}

function isEmptySelector(selector: SelectorOptions): boolean {
  return Object.keys(selector.labels ?? {}).length === 0 && (selector.expressions ?? []).length === 0;
}

/**
 * The ApiObject of a cdk8s-plus workload (its kind and `metadata.name`);
 * undefined for a selection such as `Pods.select()`.
 */
export function workloadObject(workload: kplus.IPodSelector | undefined): ApiObject | undefined {
  const apiObject = (workload as { apiObject?: ApiObject } | undefined)?.apiObject;
  return apiObject instanceof ApiObject ? apiObject : undefined;
}

/**
 * Kinds that create pods from a template, and where the template is. Read by the
 * analyzer, which turns each object into an endpoint, and by the constructs, which
 * select a workload's pods by what the workload synthesizes.
 */
export const POD_TEMPLATE_PATHS: Readonly<Record<string, readonly string[]>> = {
  Deployment: ['spec', 'template'],
  StatefulSet: ['spec', 'template'],
  DaemonSet: ['spec', 'template'],
  ReplicaSet: ['spec', 'template'],
  ReplicationController: ['spec', 'template'],
  Job: ['spec', 'template'],
  CronJob: ['spec', 'jobTemplate', 'spec', 'template'],
};

/**
 * Where the pod (template) of an object of this kind is: the empty path for a
 * Pod, which is its own; undefined for a kind that makes no pods (own keys only,
 * so `constructor` is no kind).
 */
export function podTemplatePath(kind: unknown): readonly string[] | undefined {
  if (kind === 'Pod') return [];
  return typeof kind === 'string' && Object.prototype.hasOwnProperty.call(POD_TEMPLATE_PATHS, kind) ? POD_TEMPLATE_PATHS[kind] : undefined;
}

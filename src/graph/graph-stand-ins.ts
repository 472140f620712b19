import { POD_TEMPLATE_PATHS } from '../kube/pod-template';
import { LabelOperator } from '../label-expression';
import { Selector } from '../selector';
import { selectorMatches } from './selector-overlap';

/** Something flows name as `<namespace>/<name>` whose pods match `pods`. */
export interface StandInSubject {
  readonly namespace: string;
  readonly name: string;
  readonly pods: Selector;
}

/**
 * Deployments standing in for the subjects that no workload of the manifests
 * is named after (services declared by labels, cluster DNS), so that the
 * expectations about them can be checked. Each carries labels its selector
 * matches: `matchLabels`, the first value of an `In`, a value for `Exists`;
 * `NotIn` and `DoesNotExist` keys are left out.
 *
 * A workload of that name whose pods the subject's selector does not match is
 * an error: the expectations would be checked against other pods.
 */
export function standInsFor(manifests: readonly any[], subjects: readonly StandInSubject[], where: string): any[] {
  const present = new Map<string, { readonly kind: string; readonly labels: { [key: string]: string } }>();
  for (const m of manifests) {
    const template = m?.kind === 'Pod' ? m : templateOf(m);
    if (template === undefined) continue;
    present.set(`${m.metadata?.namespace ?? 'default'}/${m.metadata?.name}`, { kind: m.kind, labels: template.metadata?.labels ?? {} });
  }
  const added = new Set<string>();
  const standIns: any[] = [];
  for (const subject of subjects) {
    const key = `${subject.namespace}/${subject.name}`;
    const workload = present.get(key);
    if (workload && !selectorMatches(subject.pods, workload.labels)) {
      throw new Error(
        `${where}: verify(): the ${workload.kind} ${key} in the manifests has pods labelled ${JSON.stringify(workload.labels)}, ` +
        `which the selector of ${key} (${subject.pods}) does not match: the expectations about ${key} would be about other pods. ` +
        'Select its pods, or give the service another `name`.',
      );
    }
    if (workload || added.has(key)) continue;
    added.add(key);
    standIns.push(standInDeployment(subject));
  }
  return standIns;
}

/** The pod template of a workload manifest, or undefined when the object makes no pods. */
function templateOf(manifest: any): any {
  const path = POD_TEMPLATE_PATHS[manifest?.kind];
  if (path === undefined) return undefined;
  return path.reduce((node: any, key) => node?.[key], manifest) ?? {};
}

function standInDeployment(subject: StandInSubject): any {
  const labels = labelsMatching(subject.pods);
  return {
    apiVersion: 'apps/v1',
    kind: 'Deployment',
    metadata: { name: subject.name, namespace: subject.namespace, annotations: { 'cdk8s-netpol.io/stand-in': 'not in the manifests' } },
    spec: {
      selector: subject.pods.toLabelSelector(),
      template: {
        metadata: { labels },
        spec: { containers: [{ name: 'stand-in', image: 'stand-in' }] },
      },
    },
  };
}

function labelsMatching(pods: Selector): { [key: string]: string } {
  const labels: { [key: string]: string } = { ...pods.matchLabels };
  for (const expression of pods.matchExpressions) {
    if (expression.operator === LabelOperator.IN) {
      if (!Object.hasOwn(labels, expression.key)) labels[expression.key] = expression.values![0];
    } else if (expression.operator === LabelOperator.EXISTS) {
      if (!Object.hasOwn(labels, expression.key)) labels[expression.key] = 'stand-in';
    }
  }
  return labels;
}

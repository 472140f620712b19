import { POD_TEMPLATE_PATHS } from '../analysis/endpoint';
import { LabelOperator } from '../label-expression';
import { Selector } from '../selector';

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
 */
export function standInsFor(manifests: readonly any[], subjects: readonly StandInSubject[]): any[] {
  const present = new Set(
    manifests
      .filter((m) => m?.kind === 'Pod' || POD_TEMPLATE_PATHS[m?.kind] !== undefined)
      .map((m) => `${m.metadata?.namespace ?? 'default'}/${m.metadata?.name}`),
  );
  const added = new Set<string>();
  const standIns: any[] = [];
  for (const subject of subjects) {
    const key = `${subject.namespace}/${subject.name}`;
    if (present.has(key) || added.has(key)) continue;
    added.add(key);
    standIns.push(standInDeployment(subject));
  }
  return standIns;
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
      labels[expression.key] = labels[expression.key] ?? expression.values![0];
    } else if (expression.operator === LabelOperator.EXISTS) {
      labels[expression.key] = labels[expression.key] ?? 'stand-in';
    }
  }
  return labels;
}

import { Chart } from 'cdk8s';
import * as kplus from 'cdk8s-plus-28';
import { Construct } from 'constructs';
import { checkProps, childPath } from '../internal/props';
import { workloadObject } from '../internal/workload';
import { Peer } from '../peer';
import { Selector } from '../selector';
import { assertNamespaceName, dnsSubdomainProblem } from '../validation/labels';

/**
 * A service of a `ServiceGraph`: the pods of one workload, or pods by label in
 * one namespace. Give `workload` or `pods`, not both.
 */
export interface GraphServiceProps {
  /**
   * The cdk8s-plus workload that runs the service (a Deployment, a StatefulSet, a Pod, ...).
   * @default - none; give `pods` instead
   */
  readonly workload?: kplus.IPodSelector;

  /**
   * The service's pods, by label, for workloads that are not in this app
   * (deployed by Helm, by another team, ...).
   * @default - none; give `workload` instead
   */
  readonly pods?: Selector;

  /**
   * The namespace of the pods.
   * @default - the workload's namespace, else the Chart's namespace
   */
  readonly namespace?: string;

  /**
   * The name of the workload that runs the service: flows and expectations call
   * the service `<namespace>/<name>`.
   * @default - the workload's name, else the service id
   */
  readonly name?: string;
}

/**
 * A service declared in a `ServiceGraph` with `graph.addService()`. Pass it to
 * `graph.allow()` and the other calls.
 */
export class GraphService extends Construct {
  /** The namespace of the service's pods. */
  public readonly namespace: string;

  /** The workload name: the service is `<namespace>/<name>` in flows and expectations. */
  public readonly name: string;

  /** The service's pods, in `namespace`. */
  public readonly pods: Selector;

  /** The cdk8s-plus workload, when the service was declared from one. */
  public readonly workload?: kplus.IPodSelector;

  private cachedPeer?: Peer;

  /**
   * @param scope the ServiceGraph (use `graph.addService()`)
   * @param id the service id; it names the policies of the service's calls
   * @param props the GraphServiceProps
   */
  constructor(scope: Construct, id: string, props: GraphServiceProps) {
    checkProps(childPath(scope, id), 'GraphService', props);
    super(scope, id);
    const path = this.node.path;
    if (!props || (props.workload === undefined) === (props.pods === undefined)) {
      throw new Error(`${path}: give the service's \`workload\` (a cdk8s-plus Deployment, StatefulSet, ...) or its \`pods\` (a Selector), and not both.`);
    }
    if (props.namespace !== undefined) {
      assertNamespaceName(props.namespace, `${path} (namespace)`);
    }
    const pods = props.workload !== undefined ? Selector.fromWorkload(props.workload) : props.pods!;
    if (!(pods instanceof Selector)) {
      throw new Error(`${path}: \`pods\` must be a Selector (Selector.labels(), ...), got ${String(pods)}.`);
    }
    if (props.namespace !== undefined && pods.namespace !== undefined && props.namespace !== pods.namespace) {
      throw new Error(`${path}: namespace is "${props.namespace}" but the workload ${pods.workloadPath} is in namespace "${pods.namespace}".`);
    }
    const namespace = props.namespace ?? pods.namespace ?? Chart.of(props.workload ?? this).namespace;
    if (namespace === undefined) {
      throw new Error(`${path}: the service has no namespace: set \`namespace\`, or the namespace of its workload or Chart.`);
    }
    this.namespace = namespace;
    this.pods = pods;
    this.workload = props.workload;
    this.name = props.name ?? workloadObject(props.workload)?.name ?? id;
    const nameProblem = dnsSubdomainProblem(this.name);
    if (nameProblem) {
      throw new Error(`${path}: invalid service name "${this.name}": it ${nameProblem}; set \`name\` to the name of the workload.`);
    }
  }

  /** How flows and expectations name the service: `<namespace>/<name>`. */
  public get endpoint(): string {
    return `${this.namespace}/${this.name}`;
  }

  /** The service's pods as a peer of a policy in any namespace. */
  public get peer(): Peer {
    // One Peer per service: a graph with thousands of calls names each service many times.
    this.cachedPeer ??= Peer.podsInNamespace(this.namespace, this.pods);
    return this.cachedPeer;
  }

  /**
   * The number and protocol behind a named container port of the service's
   * workload, when the service was declared from a cdk8s-plus pod workload.
   * @internal
   */
  public _namedPort(name: string): { number: number; protocol: string } | undefined {
    const containers = (this.workload as { containers?: kplus.Container[] } | undefined)?.containers ?? [];
    for (const container of containers) {
      const port = container.ports.find((p) => p.name === name);
      if (port) {
        return { number: port.number, protocol: port.protocol ?? 'TCP' };
      }
    }
    return undefined;
  }

  /**
   * The labels of the workload's pods, when the service was declared from a
   * cdk8s-plus workload (the labels its pod template carries now).
   * @internal
   */
  public get _podLabels(): { [key: string]: string } | undefined {
    const metadata = (this.workload as { podMetadata?: { toJson(): { labels?: { [key: string]: string } } } } | undefined)?.podMetadata;
    return metadata ? { ...metadata.toJson().labels } : undefined;
  }

  /**
   * True when the service was declared from a single Pod (not a workload with replicas):
   * such a pod talking to itself is loopback, which no policy governs.
   * @internal
   */
  public get _isSinglePod(): boolean {
    return workloadObject(this.workload)?.kind === 'Pod';
  }
}

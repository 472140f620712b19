import { Chart } from 'cdk8s';
import { Construct, IConstruct } from 'constructs';
import { checkProps, childPath } from '../internal/props';
import { Peer } from '../peer';
import { Selector } from '../selector';
import { assertNamespaceName, dnsSubdomainProblem } from '../validation/labels';
import { podTemplateIfSynthesizable, readPodTemplate, WorkloadObject, workloadObject } from '../workload';

/**
 * A service of a `ServiceGraph`: the pods of one workload, or pods by label in
 * one namespace. Give `workload` or `pods`, not both.
 */
export interface GraphServiceProps {
  /**
   * The workload that runs the service: a Deployment, StatefulSet, Pod, ... of
   * any cdk8s-plus version, an ApiObject of such a kind (e.g. a `KubeDeployment`
   * of `cdk8s import`), or an Include that holds one.
   * @default - none; give `pods` instead
   */
  readonly workload?: IConstruct;

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

  /** The workload, when the service was declared from one. */
  public readonly workload?: IConstruct;

  private cachedPeer?: Peer;
  /** The workload's object (kind, name), when it has one. */
  private readonly object?: WorkloadObject;

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
      throw new Error(`${path}: give the service's \`workload\` (a Deployment, StatefulSet, ...) or its \`pods\` (a Selector), and not both.`);
    }
    const object = props.workload !== undefined ? workloadObject(props.workload) : undefined;
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
    this.object = object;
    this.name = props.name ?? object?.name ?? id;
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
   * workload (as it synthesizes now), when the service was declared from one.
   * @internal
   */
  public _namedPort(name: string): { number: number; protocol: string } | undefined {
    const containers = this.object !== undefined ? readPodTemplate(this.object).containers : [];
    for (const container of containers) {
      const port = (container.ports ?? []).find((p) => p.name === name);
      if (port && typeof port.containerPort === 'number') {
        return { number: port.containerPort, protocol: typeof port.protocol === 'string' ? port.protocol : 'TCP' };
      }
    }
    return undefined;
  }

  /**
   * The labels of the workload's pods, when the service was declared from a
   * workload (the labels its pod template carries now).
   * @internal
   */
  public get _podLabels(): { [key: string]: string } | undefined {
    if (this.object === undefined) return undefined;
    // A cdk8s-plus workload does not synthesize before its first container: its pods carry at least the labels it selects them by.
    return podTemplateIfSynthesizable(this.object)?.podLabels ?? { ...this.pods.matchLabels };
  }

  /**
   * True when the service was declared from a single Pod (not a workload with replicas):
   * such a pod talking to itself is loopback, which no policy governs.
   * @internal
   */
  public get _isSinglePod(): boolean {
    return this.object?.kind === 'Pod';
  }
}

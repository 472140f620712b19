import { Construct } from 'constructs';
import { checkProps, childPath } from '../../internal/props';
import { NamespaceSelector } from '../../namespace-selector';
import { Port } from '../../port';
import { Selector } from '../../selector';
import { ClusterNetworkPolicy } from '../cluster-network-policy';
import { ClusterPeer } from '../cluster-peer';
import { ClusterSubject } from '../cluster-subject';
import { ClusterRuleAction, ClusterTier } from '../cluster-tier';

/** A workload that may still reach the metadata service. */
export interface MetadataException {
  /** Its namespace(s). */
  readonly namespaces: NamespaceSelector;
  /** Its pods. */
  readonly pods: Selector;
}

/**
 * Properties of `DenyCloudMetadata`.
 */
export interface DenyCloudMetadataProps {
  /**
   * Admin priority of the deny (0 to 1000). The exceptions are written one
   * priority before it.
   * @default 20
   */
  readonly priority?: number;

  /**
   * Workloads the guardrail does not deny it to, e.g. a node agent: a Pass
   * decided first hands their traffic to it on to their namespaces'
   * policies, which decide (they still need a NetworkPolicy that allows it
   * where their namespace isolates egress).
   * @default - none
   */
  readonly except?: MetadataException[];

  /**
   * `metadata.name` of the deny (the exceptions get `<name>-exception-<n>`).
   * @default - derived from the construct path
   */
  readonly name?: string;
}

/** The cloud metadata endpoints: IPv4 link-local (AWS, GCP, Azure, ...) and AWS's IPv6 one. */
export const CLOUD_METADATA_CIDRS: readonly string[] = Object.freeze(['169.254.169.254/32', 'fd00:ec2::254/128']);

/**
 * A guardrail: no pod reaches the cloud metadata service (credentials live
 * there), but the named exceptions. An Admin-tier Deny, so no namespace can
 * allow it back.
 *
 * @example
 * new DenyCloudMetadata(platformChart, 'no-metadata', {
 *   except: [{ namespaces: NamespaceSelector.named('kube-system'), pods: Selector.labels({ app: 'node-agent' }) }],
 * });
 */
export class DenyCloudMetadata extends ClusterNetworkPolicy {
  /** The Pass policies of the exceptions (one each), decided first. */
  public readonly exceptions: ClusterNetworkPolicy[];

  /**
   * @param scope a construct in a Chart without a namespace
   * @param id the construct id; it names the policy
   * @param props the DenyCloudMetadataProps
   */
  constructor(scope: Construct, id: string, props: DenyCloudMetadataProps = {}) {
    const path = childPath(scope, id);
    checkProps(path, 'DenyCloudMetadata', props);
    const priority = props.priority ?? 20;
    if (props.except !== undefined && (!Array.isArray(props.except) || props.except.length === 0)) {
      throw new Error(`${path}: \`except\` must list at least one workload, or be left out.`);
    }
    (props.except ?? []).forEach((e, i) => {
      if (!e || !(e.namespaces instanceof NamespaceSelector) || !(e.pods instanceof Selector)) {
        throw new Error(`${path}: exception #${i + 1} must have \`namespaces\` (a NamespaceSelector) and \`pods\` (a Selector).`);
      }
    });
    if (props.except && priority === 0) {
      throw new Error(`${path}: with exceptions the priority must be at least 1: the exceptions are decided one priority before the deny.`);
    }
    const metadata = ClusterPeer.networks(...CLOUD_METADATA_CIDRS);
    super(scope, id, {
      name: props.name,
      tier: ClusterTier.ADMIN,
      priority,
      subject: ClusterSubject.allNamespaces(),
      egress: [{ name: 'cloud-metadata', action: ClusterRuleAction.DENY, peers: [metadata], ports: [Port.allPorts()] }],
    });
    // The subject is per policy: one Pass policy per exception, decided one priority before the deny.
    this.exceptions = (props.except ?? []).map((e, i) => new ClusterNetworkPolicy(scope, `${id}-exception-${i + 1}`, {
      name: `${this.name}-exception-${i + 1}`,
      tier: ClusterTier.ADMIN,
      priority: priority - 1,
      subject: ClusterSubject.pods(e.namespaces, e.pods),
      egress: [{ name: 'cloud-metadata', action: ClusterRuleAction.PASS, peers: [metadata], ports: [Port.allPorts()] }],
    }));
  }
}

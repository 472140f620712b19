import { Protocol } from '../protocol';
import { Direction } from './flow';
import { LabelMatcher } from './label-matcher';
import { FieldPath, ManifestObject } from './manifest-object';
import { ParsedCidr } from '../validation/cidr';

/** A peer that selects pods: by namespace (labels, or the policy's own) and pod labels. */
export interface PodPeer {
  readonly kind: 'pods';
  /** Namespaces whose pods the peer selects; undefined means the policy's own namespace. */
  readonly namespaces?: LabelMatcher;
  /** The policy's namespace, used when `namespaces` is undefined. */
  readonly ownNamespace: string;
  readonly pods: LabelMatcher;
  /** Readable form, e.g. `pods app=web in namespace shop`. */
  readonly text: string;
  /** Identity of what the peer selects, shared by equal peers of different policies. */
  readonly key: string;
  /** Where the peer is in the policy, e.g. `spec.ingress[0].from[1]`. */
  readonly path: FieldPath;
}

/** A peer that selects addresses outside the cluster. */
export interface IpPeer {
  readonly kind: 'ip';
  readonly cidr: ParsedCidr;
  readonly except: readonly ParsedCidr[];
  readonly text: string;
  /** Where the peer is in the policy, e.g. `spec.egress[0].to[0]`. */
  readonly path: FieldPath;
}

/** One entry of `from` or `to`. */
export type CompiledPeer = PodPeer | IpPeer;

/** One entry of `ports`. */
export interface CompiledPort {
  readonly protocol: Protocol;
  /** The port number; undefined with `name` undefined means every port of the protocol. */
  readonly port?: number;
  /** The last port of a range (inclusive). */
  readonly endPort?: number;
  /** A named port, resolved against the destination pod's container ports. */
  readonly name?: string;
  readonly text: string;
  /** Where the entry is in the policy, e.g. `spec.egress[0].ports[1]`. */
  readonly path: FieldPath;
}

/** One ingress or egress rule. */
export interface CompiledRule {
  /** Field path as text, e.g. `spec.ingress[0]`. */
  readonly path: string;
  /** The same field path, as keys and indexes (for locating the rule in its file). */
  readonly fieldPath: FieldPath;
  /** The peers; undefined when `from`/`to` is absent or empty: everyone. */
  readonly peers?: readonly CompiledPeer[];
  /** The ports; undefined when `ports` is absent or empty: every port and protocol. */
  readonly ports?: readonly CompiledPort[];
}

/** A validated NetworkPolicy, ready to evaluate. */
export interface CompiledPolicy {
  /** `<namespace>/<name>`. */
  readonly id: string;
  readonly namespace: string;
  readonly name: string;
  readonly podSelector: LabelMatcher;
  /** The effective policyTypes (after the API server's defaulting). */
  readonly isolates: ReadonlySet<Direction>;
  readonly ingress: readonly CompiledRule[];
  readonly egress: readonly CompiledRule[];
  /** Where the policy came from, e.g. `netpol.yaml:3`. */
  readonly origin: string;
  /** The object as loaded (annotations, line numbers of fields). */
  readonly source: ManifestObject;
}

/** The rules of a policy in one direction. */
export function rulesOf(policy: CompiledPolicy, direction: Direction): readonly CompiledRule[] {
  return direction === Direction.INGRESS ? policy.ingress : policy.egress;
}

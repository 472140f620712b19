import { Endpoint } from './endpoint';
import { IpFamily } from '../validation/cidr';

/**
 * One end of a flow, resolved: an endpoint of the model, an address outside
 * the cluster (with the DNS name the source looked up, when the flow gives
 * one), or an entity (`entity:host`...).
 */
export type ResolvedEndpoint =
  | { readonly kind: 'endpoint'; readonly endpoint: Endpoint; readonly text: string }
  | { readonly kind: 'ip'; readonly family: IpFamily; readonly value: bigint; readonly text: string; readonly host?: LookedUpName }
  | { readonly kind: 'entity'; readonly entity: string; readonly text: string };

/** The DNS name a flow's source looked up to find the address, and whether Cilium's DNS proxy saw the answer. */
export interface LookedUpName {
  /** As Cilium compares it: lower case, with a trailing dot. */
  readonly name: string;
  /** As written. */
  readonly text: string;
  /** True when the source's lookups of the name go through Cilium's DNS proxy with a DNS rule that allows it (see dns-visibility.ts). */
  readonly visible: boolean;
  /** Why the name is visible or not, a sentence. */
  readonly reason: string;
}

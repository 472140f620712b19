import { Endpoint } from './endpoint';
import { IpFamily } from '../validation/cidr';

/** One end of a flow, resolved: an endpoint of the model, or an address outside the cluster. */
export type ResolvedEndpoint =
  | { readonly kind: 'endpoint'; readonly endpoint: Endpoint; readonly text: string }
  | { readonly kind: 'ip'; readonly family: IpFamily; readonly value: bigint; readonly text: string };

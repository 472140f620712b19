import { CiliumEntity } from './cilium-entity';

/**
 * A peer only Cilium can express: an entity or DNS names. Exactly one field is set.
 */
export interface CiliumPeerConfig {
  /**
   * An entity (`toEntities` / `fromEntities`).
   * @default - not an entity
   */
  readonly entity?: CiliumEntity;

  /**
   * A DNS name, matched exactly (`toFQDNs: [{ matchName }]`). Egress only.
   * @default - not a DNS name
   */
  readonly dnsName?: string;

  /**
   * A DNS name pattern (`toFQDNs: [{ matchPattern }]`): `*` is any run of
   * name characters within one label, `**.` a prefix of any labels. Egress only.
   * @default - not a DNS pattern
   */
  readonly dnsPattern?: string;
}

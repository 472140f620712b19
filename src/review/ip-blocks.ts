import { ClusterModel } from '../analysis/cluster-model';
import { IpPeer } from '../analysis/compiled-policy';
import { cidrContains, cidrContainsIp, cidrSize, IpFamily, ParsedCidr } from '../validation/cidr';

/** An ipBlock some NetworkPolicy names (in `from` or `to`), counted once however many policies name it. */
export interface NamedIpBlock {
  /** The block's `cidr`. */
  readonly cidr: ParsedCidr;
  /** Its `except` entries, in the policy's order. */
  readonly except: readonly ParsedCidr[];
  /** `<cidr>` or `<cidr> except <cidr>, <cidr>`, e.g. `0.0.0.0/0 except 10.0.0.0/8`. */
  readonly text: string;
  /**
   * An address that stands for the block: the first one that no `except`
   * removes and, when there is one, that no narrower ipBlock of any policy
   * contains, so that the block's verdicts are those of its remainder rather
   * than of a special range inside it. Undefined when the excepts leave nothing.
   */
  readonly representative?: { readonly family: IpFamily; readonly value: bigint };
}

/** The distinct ipBlocks of the policies' peers, by family, network, prefix length and excepts. */
export function ipBlocksNamedBy(model: ClusterModel): NamedIpBlock[] {
  const found = new Map<string, IpPeer>();
  for (const policy of model.policies) {
    for (const rule of [...policy.ingress, ...policy.egress]) {
      for (const peer of rule.peers ?? []) {
        if (peer.kind === 'ip') found.set(blockText(peer), peer);
      }
    }
  }
  const peers = [...found.values()].sort(compareBlocks);
  const cidrs = peers.map((p) => p.cidr);
  return peers.map((peer) => {
    const narrower = cidrs.filter((c) => c.prefix > peer.cidr.prefix && cidrContains(peer.cidr, c));
    const value = firstAddressOutside(peer.cidr, [...peer.except, ...narrower]) ?? firstAddressOutside(peer.cidr, peer.except);
    return {
      cidr: peer.cidr,
      except: peer.except,
      text: blockText(peer),
      representative: value === undefined ? undefined : { family: peer.cidr.family, value },
    };
  });
}

function blockText(peer: IpPeer): string {
  return peer.except.length === 0 ? peer.cidr.text : `${peer.cidr.text} except ${peer.except.map((e) => e.text).join(', ')}`;
}

function compareBlocks(a: IpPeer, b: IpPeer): number {
  if (a.cidr.family !== b.cidr.family) return a.cidr.family - b.cidr.family;
  if (a.cidr.network !== b.cidr.network) return a.cidr.network < b.cidr.network ? -1 : 1;
  if (a.cidr.prefix !== b.cidr.prefix) return a.cidr.prefix - b.cidr.prefix;
  const [x, y] = [blockText(a), blockText(b)];
  return x < y ? -1 : x > y ? 1 : 0;
}

/** The lowest address of `cidr` outside every CIDR of `avoid`, or undefined when they cover it. */
function firstAddressOutside(cidr: ParsedCidr, avoid: readonly ParsedCidr[]): bigint | undefined {
  const end = cidr.network + cidrSize(cidr);
  let candidate = cidr.network;
  let moved = true;
  // Each jump lands past the end of a CIDR containing the candidate, so the loop ends.
  while (moved && candidate < end) {
    moved = false;
    for (const range of avoid) {
      if (cidrContainsIp(range, cidr.family, candidate)) {
        candidate = range.network + cidrSize(range);
        moved = true;
      }
    }
  }
  return candidate < end ? candidate : undefined;
}


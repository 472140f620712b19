import { Construct } from 'constructs';
import { checkProps, childPath, metadataOf } from '../internal/props';
import { NetworkPolicy } from '../network-policy';
import { Peer } from '../peer';
import { NamedPolicyOptions } from '../policy-options';
import { Port } from '../port';
import { Selector } from '../selector';
import { parseCidr } from '../validation/cidr';

/**
 * What external traffic to allow; shared by `ExternalHttps` and `NamespaceBaseline`.
 */
export interface ExternalHttpsOptions {
  /**
   * The destination ports.
   * @default [Port.HTTPS]
   */
  readonly ports?: Port[];

  /**
   * More CIDRs to leave out, on top of the private, link-local and CGNAT ranges
   * (IPv4, or IPv6 when `ipv6` is on).
   * @default - none
   */
  readonly exceptCidrs?: string[];

  /**
   * Also allow IPv6 destinations: `::/0` except unique-local `fc00::/7` and link-local `fe80::/10`.
   * @default false
   */
  readonly ipv6?: boolean;

  /**
   * Only these DNS names (or patterns with `*`, e.g. `*.stripe.com`) instead of
   * every public address (Cilium target only): `api.stripe.com` allows Stripe
   * and nothing else on the internet.
   * @default - every public address
   */
  readonly hosts?: string[];
}

/**
 * Properties of `ExternalHttps`.
 */
export interface ExternalHttpsProps extends ExternalHttpsOptions, NamedPolicyOptions {
  /**
   * The pods that may call out.
   * @default - every pod of the namespace
   */
  readonly pods?: Selector;
}

/**
 * Allows egress to the internet on HTTPS, and nowhere private; or, on Cilium,
 * to named hosts only (`hosts`).
 *
 * Like every policy with egress rules, it isolates the selected pods for
 * egress: what no policy allows (DNS included) is then denied.
 *
 * Destinations are `0.0.0.0/0` minus RFC 1918 private ranges, link-local
 * `169.254.0.0/16` (cloud metadata endpoints such as 169.254.169.254) and CGNAT
 * `100.64.0.0/10`; with `ipv6`, `::/0` minus `fc00::/7` and `fe80::/10`.
 *
 * @example
 * new ExternalHttps(chart, 'external-https', { pods: Selector.labels({ app: 'api-server' }) });
 * // on Cilium: Stripe's API and nothing else
 * new ExternalHttps(chart, 'stripe', { pods: Selector.labels({ app: 'payments' }), hosts: ['api.stripe.com'], target: PolicyTarget.CILIUM });
 */
export class ExternalHttps extends NetworkPolicy {
  /** IPv4 ranges that are never "external": RFC 1918, link-local (cloud metadata) and CGNAT. */
  public static readonly NON_PUBLIC_IPV4: string[] = Object.freeze(['10.0.0.0/8', '172.16.0.0/12', '192.168.0.0/16', '169.254.0.0/16', '100.64.0.0/10']) as string[];

  /** IPv6 ranges that are never "external": unique-local and link-local. */
  public static readonly NON_PUBLIC_IPV6: string[] = Object.freeze(['fc00::/7', 'fe80::/10']) as string[];

  /** The NetworkPolicy this construct emits: the construct itself (add rules to it directly). */
  public get policy(): NetworkPolicy {
    return this;
  }

  /**
   * @param scope the parent construct (a Chart or a construct inside one)
   * @param id the construct id; it names the emitted policies, so changing it renames them
   * @param props the ExternalHttpsProps
   */
  constructor(scope: Construct, id: string, props: ExternalHttpsProps = {}) {
    const path = childPath(scope, id);
    checkProps(path, 'ExternalHttps', props);
    const extraV4: string[] = [];
    const extraV6: string[] = [];
    for (const text of props.exceptCidrs ?? []) {
      const { cidr, problem } = parseCidr(text);
      if (!cidr) {
        throw new Error(`${path}: invalid CIDR "${text}" in exceptCidrs: ${problem}`);
      }
      if (cidr.prefix === 0) {
        throw new Error(`${path}: exceptCidrs has "${text}", which excepts every address; an except must be narrower than /0.`);
      }
      if (cidr.family === 6 && !props.ipv6) {
        throw new Error(`${path}: exceptCidrs has the IPv6 CIDR "${text}" but ipv6 is off; set \`ipv6: true\` or remove it.`);
      }
      (cidr.family === 4 ? extraV4 : extraV6).push(cidr.text);
    }
    const peers = props.hosts !== undefined ? hostPeers(path, props) : [publicPeer('0.0.0.0/0', ExternalHttps.NON_PUBLIC_IPV4, extraV4)];
    if (props.ipv6 && props.hosts === undefined) {
      peers.push(publicPeer('::/0', ExternalHttps.NON_PUBLIC_IPV6, extraV6));
    }
    super(scope, id, {
      ...metadataOf(props),
      pods: props.pods,
      egress: [{ peers, ports: props.ports ?? [Port.HTTPS] }],
    });
  }
}

/** The peers of `hosts`: a name each, a pattern where it has a `*`. */
function hostPeers(path: string, props: ExternalHttpsOptions): Peer[] {
  if (!Array.isArray(props.hosts) || props.hosts.length === 0) {
    throw new Error(`${path}: \`hosts\` must list at least one DNS name, or be left out to allow every public address.`);
  }
  if (props.exceptCidrs !== undefined || props.ipv6) {
    throw new Error(`${path}: \`hosts\` allows those names only; \`exceptCidrs\` and \`ipv6\` shape the address ranges allowed without it: remove them.`);
  }
  return props.hosts.map((host) => (typeof host === 'string' && host.includes('*') ? Peer.dnsPattern(host) : Peer.dnsName(host)));
}

/** The peer of every public address of a family; without extra excepts (the usual case) one shared, immutable Peer. */
const publicPeers = new Map<string, Peer>();
function publicPeer(all: string, nonPublic: readonly string[], extra: string[]): Peer {
  if (extra.length > 0) return Peer.ipBlock(all, [...nonPublic, ...extra]);
  let peer = publicPeers.get(all);
  if (!peer) {
    peer = Peer.ipBlock(all, [...nonPublic]);
    publicPeers.set(all, peer);
  }
  return peer;
}

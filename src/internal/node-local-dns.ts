import { parseIp } from '../validation/cidr';

/**
 * The CIDR of a node-local DNS cache given as an address (`169.254.20.10` is
 * `169.254.20.10/32`) or already as a CIDR: what AllowDns allows on 53, and
 * what a ServiceGraph then declares.
 */
export function nodeLocalDnsCidr(address: string): string {
  const ip = parseIp(address);
  return ip ? `${address}/${ip.family === 4 ? 32 : 128}` : address;
}

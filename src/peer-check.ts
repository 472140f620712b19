import { CILIUM_ENTITIES } from './cilium/cilium-entity';
import { CiliumPeerConfig } from './cilium/cilium-peer-config';
import { assertDnsName, assertDnsPattern } from './cilium/dns-names';
import { fromKubeLabelSelector, normalizeSelector } from './label-selector';
import { Peer, PeerConfig } from './peer';

/**
 * Checks what a peer rendered, with the API server's rules, so that a custom
 * `IPeer` cannot produce a peer the API server rejects or, by leaving `peer`
 * out, an accidental "everyone". Our own `Peer`s are validated when created and skip it.
 */
export function checkPeerConfig(config: PeerConfig, where: string): void {
  const what = `${where}: the peer "${config?.description}"`;
  if (!config || typeof config !== 'object') {
    throw new Error(`${where}: a peer's toPeerConfig() returned ${String(config)}; return a PeerConfig.`);
  }
  const kinds = (['anyone', 'peer', 'cilium'] as const).filter((k) => config[k] !== undefined && config[k] !== false);
  if (kinds.length > 1) {
    throw new Error(`${what} sets ${kinds.length === 2 ? 'both ' : ''}${kinds.map((k) => `\`${k}\``).join(' and ')}; set one of them.`);
  }
  if (config.anyone) {
    return;
  }
  if (config.cilium !== undefined) {
    checkCiliumPeerConfig(config.cilium, what);
    return;
  }
  const peer = config.peer;
  if (!peer) {
    throw new Error(`${what} renders no \`peer\`: set \`anyone: true\` to mean everyone, or return the peer.`);
  }
  const fields = Object.keys(peer).filter((k) => (peer as { [k: string]: unknown })[k] !== undefined);
  const unknown = fields.filter((k) => !['podSelector', 'namespaceSelector', 'ipBlock'].includes(k));
  if (unknown.length) {
    throw new Error(`${what} has unknown fields ${unknown.join(', ')}; a peer has podSelector, namespaceSelector or ipBlock.`);
  }
  if (fields.length === 0) {
    throw new Error(`${what} is empty: it must specify a podSelector, a namespaceSelector or an ipBlock.`);
  }
  if (peer.ipBlock) {
    if (fields.length > 1) {
      throw new Error(`${what} combines ipBlock with ${fields.filter((k) => k !== 'ipBlock').join(' and ')}; an ipBlock peer may not specify anything else.`);
    }
    wrap(what, () => Peer.ipBlock(peer.ipBlock!.cidr, peer.ipBlock!.except));
    return;
  }
  for (const selector of [peer.podSelector, peer.namespaceSelector]) {
    if (selector) {
      wrap(what, () => normalizeSelector(fromKubeLabelSelector(selector), 'its selector'));
    }
  }
}

function wrap(what: string, check: () => unknown): void {
  try {
    check();
  } catch (e) {
    throw new Error(`${what} is invalid: ${(e as Error).message}`);
  }
}

function checkCiliumPeerConfig(cilium: CiliumPeerConfig, what: string): void {
  const set = (['entity', 'dnsName', 'dnsPattern'] as const).filter((k) => cilium?.[k] !== undefined);
  if (set.length !== 1) {
    throw new Error(`${what} must set exactly one of \`cilium.entity\`, \`cilium.dnsName\` and \`cilium.dnsPattern\`${set.length ? `, not ${set.join(' and ')}` : ''}.`);
  }
  if (cilium.entity !== undefined && !CILIUM_ENTITIES.includes(cilium.entity)) {
    throw new Error(`${what} has the unknown entity ${JSON.stringify(cilium.entity)}; the entities are ${CILIUM_ENTITIES.join(', ')}.`);
  }
  if (cilium.dnsName !== undefined) assertDnsName(cilium.dnsName, what);
  if (cilium.dnsPattern !== undefined) assertDnsPattern(cilium.dnsPattern, what);
}

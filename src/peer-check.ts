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
  if (config.anyone) {
    if (config.peer !== undefined) {
      throw new Error(`${what} sets both \`anyone\` and \`peer\`; set one of them.`);
    }
    return;
  }
  const peer = config.peer;
  if (!peer) {
    throw new Error(`${what} renders no \`peer\`: set \`anyone: true\` to mean everyone, or return the peer.`);
  }
  const kinds = Object.keys(peer).filter((k) => (peer as { [k: string]: unknown })[k] !== undefined);
  const unknown = kinds.filter((k) => !['podSelector', 'namespaceSelector', 'ipBlock'].includes(k));
  if (unknown.length) {
    throw new Error(`${what} has unknown fields ${unknown.join(', ')}; a peer has podSelector, namespaceSelector or ipBlock.`);
  }
  if (kinds.length === 0) {
    throw new Error(`${what} is empty: it must specify a podSelector, a namespaceSelector or an ipBlock.`);
  }
  if (peer.ipBlock) {
    if (kinds.length > 1) {
      throw new Error(`${what} combines ipBlock with ${kinds.filter((k) => k !== 'ipBlock').join(' and ')}; an ipBlock peer may not specify anything else.`);
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

import { ClusterModel } from './cluster-model';
import { Endpoint } from './endpoint';
import { AnalysisInputError } from './input-error';
import { formatIp, IpFamily, parseIp } from '../validation/cidr';

/** An endpoint of a flow: a pod or workload of the model, or an address outside the cluster. */
export type ResolvedEndpoint =
  | { readonly kind: 'endpoint'; readonly endpoint: Endpoint; readonly text: string }
  | { readonly kind: 'ip'; readonly family: IpFamily; readonly value: bigint; readonly text: string };

const IP_PREFIX = 'ip:';

/**
 * Resolves the endpoint notation of flows and expectations files:
 * `<namespace>/<name>`, `<namespace>/<kind>/<name>` (kind case-insensitive) or
 * `ip:<address>`. Unknown and ambiguous names fail with the close matches.
 */
export class EndpointResolver {
  private readonly cache = new Map<string, ResolvedEndpoint>();

  constructor(private readonly model: ClusterModel) {}

  public resolve(text: string): ResolvedEndpoint {
    const cached = this.cache.get(text);
    if (cached) return cached;
    const resolved = this.resolveUncached(text);
    this.cache.set(text, resolved);
    return resolved;
  }

  private resolveUncached(text: string): ResolvedEndpoint {
    if (typeof text !== 'string' || text.trim() === '') {
      throw new AnalysisInputError(`An endpoint must be "<namespace>/<name>", "<namespace>/<kind>/<name>" or "ip:<address>", got ${JSON.stringify(text)}.`);
    }
    if (text.startsWith(IP_PREFIX)) {
      const address = text.slice(IP_PREFIX.length);
      const ip = parseIp(address);
      if (!ip) {
        throw new AnalysisInputError(`"${text}" is not an address: after "ip:" write an IPv4 or IPv6 address such as ip:203.0.113.7 or ip:2001:db8::1 (no prefix length).`);
      }
      return { kind: 'ip', family: ip.family, value: ip.value, text: `ip:${formatIp(ip.family, ip.value)}` };
    }
    const parts = text.split('/');
    if (parts.length === 2) {
      const [namespace, name] = parts;
      const candidates = this.model.endpointsNamed(namespace, name);
      if (candidates.length === 1) return this.wrap(candidates[0]);
      if (candidates.length > 1) {
        throw new AnalysisInputError(`"${text}" is ambiguous: ${candidates.map((c) => `${c.id} (${c.kind})`).join(', ')} share that name; write <namespace>/<kind>/<name>, e.g. ${candidates[0].id}.`);
      }
      throw this.unknown(text, namespace, name);
    }
    if (parts.length === 3) {
      const [namespace, kind, name] = parts;
      const candidates = this.model.endpointsNamed(namespace, name).filter((e) => e.kind.toLowerCase() === kind.toLowerCase());
      if (candidates.length === 1) return this.wrap(candidates[0]);
      throw this.unknown(text, namespace, name, kind);
    }
    throw new AnalysisInputError(`"${text}" is not an endpoint: write "<namespace>/<name>", "<namespace>/<kind>/<name>" or "ip:<address>".`);
  }

  private wrap(endpoint: Endpoint): ResolvedEndpoint {
    return { kind: 'endpoint', endpoint, text: endpoint.displayName };
  }

  private unknown(text: string, namespace: string, name: string, kind?: string): AnalysisInputError {
    const what = kind ? `no ${kind} named "${name}"` : `no Pod or workload named "${name}"`;
    const known = this.model.namespaces.has(namespace)
      ? `in namespace "${namespace}"`
      : `in namespace "${namespace}" (no such namespace; known: ${[...this.model.namespaces.keys()].join(', ') || 'none'})`;
    const close = closeMatches(text, this.model.endpoints.flatMap((e) => [e.displayName, e.id]));
    const hint = close.length ? ` Did you mean ${close.join(', ')}?` : '';
    return new AnalysisInputError(`Unknown endpoint "${text}": ${what} ${known}.${hint}`);
  }
}

/** The candidates closest to `text` by edit distance (at most 3), or with the same name. */
export function closeMatches(text: string, candidates: readonly string[]): string[] {
  const lower = text.toLowerCase();
  const tail = lower.split('/').pop() ?? lower;
  const scored = [...new Set(candidates)].map((c) => {
    const distance = editDistance(lower, c.toLowerCase());
    const sameName = (c.toLowerCase().split('/').pop() ?? '') === tail;
    return { c, score: sameName ? Math.min(distance, 1) : distance };
  });
  const limit = Math.max(2, Math.floor(text.length / 3));
  return scored
    .filter((s) => s.score <= limit)
    .sort((a, b) => a.score - b.score || (a.c < b.c ? -1 : 1))
    .slice(0, 3)
    .map((s) => s.c);
}

function editDistance(a: string, b: string): number {
  let previous = Array.from({ length: b.length + 1 }, (_, j) => j);
  for (let i = 1; i <= a.length; i++) {
    const current = [i];
    for (let j = 1; j <= b.length; j++) {
      current[j] = Math.min(previous[j] + 1, current[j - 1] + 1, previous[j - 1] + (a[i - 1] === b[j - 1] ? 0 : 1));
    }
    previous = current;
  }
  return previous[b.length];
}

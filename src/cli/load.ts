import { CliIo, UsageError } from './io';
import { Analyzer } from '../analysis/analyzer';
import { compareText } from '../analysis/compare-text';
import { manifestFiles } from '../analysis/load-files';
import { DEFAULT_READ_LIMITS, ReadLimits } from '../analysis/read-limits';
import { escapeTerminal } from '../text/escape';

/** The analyzer over the manifests under the given paths, and what was read. */
export interface LoadedManifests {
  readonly analyzer: Analyzer;
  readonly files: readonly string[];
}

/** Loads the manifests of a command's `<path>...` arguments, each file within `limits`; warnings go to stderr. */
export function loadManifests(command: string, paths: readonly string[], io: CliIo, limits: ReadLimits = DEFAULT_READ_LIMITS): LoadedManifests {
  if (paths.length === 0) {
    throw new UsageError('give at least one manifest file or folder', command);
  }
  const files = manifestFiles(paths);
  const analyzer = Analyzer.fromFiles(files, { maxFileSize: limits.maxFileSize });
  for (const warning of analyzer.warnings) {
    io.stderr(`warning: ${warning}\n`);
  }
  return { analyzer, files };
}

/** One sentence about what was loaded, e.g. "6 pods and workloads, 22 NetworkPolicies in 5 namespaces, from 5 files". */
export function describeLoad(loaded: LoadedManifests): string {
  const { analyzer } = loaded;
  const ignored = Object.entries(analyzer.ignoredKinds).sort(([a], [b]) => compareText(a, b)).map(([kind, n]) => `${n} ${escapeTerminal(kind)}`);
  const plural = (n: number, word: string, many = `${word}s`) => `${n} ${n === 1 ? word : many}`;
  return `${plural(analyzer.endpoints.length, 'pod or workload', 'pods and workloads')}, ${describePolicies(analyzer.policies, plural)} `
    + `in ${plural(analyzer.namespaces.length, 'namespace')}, from ${plural(loaded.files.length, 'file')}`
    + (ignored.length ? `; other kinds ignored: ${ignored.join(', ')}` : '');
}

/**
 * The policies by kind: `22 NetworkPolicies`, `23 CiliumNetworkPolicies`,
 * `2 NetworkPolicies and 1 CiliumClusterwideNetworkPolicy`, `4 NetworkPolicies
 * and 6 ClusterNetworkPolicies` (Analyzer.policies names the other kinds with
 * their kind: `CiliumNetworkPolicy shop/web`, `ClusterNetworkPolicy platform-dns`).
 */
function describePolicies(ids: readonly string[], plural: (n: number, word: string, many?: string) => string): string {
  const kinds = POLICY_KINDS.map((kind) => [`${kind} `, kind, kind.replace(/Policy$/, 'Policies')] as const);
  const counts = kinds.map(([prefix]) => ids.filter((id) => id.startsWith(prefix)).length);
  const v1 = ids.length - counts.reduce((a, b) => a + b, 0);
  const parts = [
    ...(v1 > 0 || ids.length === 0 ? [plural(v1, 'NetworkPolicy', 'NetworkPolicies')] : []),
    ...kinds.flatMap(([, one, many], i) => (counts[i] > 0 ? [plural(counts[i], one, many)] : [])),
  ];
  return parts.length > 1 ? `${parts.slice(0, -1).join(', ')} and ${parts[parts.length - 1]}` : parts[0];
}

/** The kinds Analyzer.policies names with a `<kind> ` prefix, in the order the summary counts them (tier by tier). */
const POLICY_KINDS: readonly string[] = [
  'CiliumNetworkPolicy', 'CiliumClusterwideNetworkPolicy', 'ClusterNetworkPolicy', 'AdminNetworkPolicy', 'BaselineAdminNetworkPolicy',
];

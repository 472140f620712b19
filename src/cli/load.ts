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
  return `${plural(analyzer.endpoints.length, 'pod or workload', 'pods and workloads')}, ${plural(analyzer.policies.length, 'NetworkPolicy', 'NetworkPolicies')} in ${plural(analyzer.namespaces.length, 'namespace')}, from ${plural(loaded.files.length, 'file')}`
    + (ignored.length ? `; other kinds ignored: ${ignored.join(', ')}` : '');
}

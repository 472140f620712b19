/**
 * Bounds on one input file. Manifests come from pull requests: a file must not
 * be able to exhaust memory or time, so its size is checked before it is read,
 * and its documents and nesting are counted as they are parsed.
 */
export interface ReadLimits {
  /** The largest file read, in bytes. */
  readonly maxFileSize: number;
  /** The most YAML documents in one file. */
  readonly maxDocuments: number;
  /** The deepest nesting of mappings and lists in one document. */
  readonly maxDepth: number;
}

const MIB = 1024 * 1024;

/**
 * 16 MiB is hundreds of times a large app's manifests; parsing it takes a few
 * hundred MB of memory. 10,000 documents and 100 levels are far beyond any
 * Kubernetes object (a CRD schema nests about 30 deep).
 */
export const DEFAULT_READ_LIMITS: ReadLimits = { maxFileSize: 16 * MIB, maxDocuments: 10_000, maxDepth: 100 };

/** The default limits with the file size given (when it is). */
export function readLimits(maxFileSize?: number): ReadLimits {
  return maxFileSize === undefined ? DEFAULT_READ_LIMITS : { ...DEFAULT_READ_LIMITS, maxFileSize };
}

/** A size for messages: `812 bytes`, `2.0 KiB`, `150.0 MiB`. */
export function formatSize(bytes: number): string {
  if (bytes < 1024) return `${bytes} bytes`;
  if (bytes < MIB) return `${(bytes / 1024).toFixed(1)} KiB`;
  if (bytes < 1024 * MIB) return `${(bytes / MIB).toFixed(1)} MiB`;
  return `${(bytes / (1024 * MIB)).toFixed(1)} GiB`;
}

/** A limit for messages, exact: `16 MiB`, `1 KiB`, `100 bytes`. */
export function formatLimit(bytes: number): string {
  for (const [unit, size] of [['GiB', 1024 * MIB], ['MiB', MIB], ['KiB', 1024]] as const) {
    if (bytes >= size && bytes % size === 0) return `${bytes / size} ${unit}`;
  }
  return `${bytes} bytes`;
}

/** The `--max-file-size` value that admits a file of this size, e.g. `151M`. */
export function sizeOptionFor(bytes: number): string {
  return bytes >= MIB ? `${Math.ceil(bytes / MIB)}M` : `${Math.ceil(bytes / 1024)}K`;
}

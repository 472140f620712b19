import { ParsedArgs } from './args';
import { UsageError } from './io';
import { DEFAULT_READ_LIMITS, formatLimit, readLimits, ReadLimits } from '../analysis/read-limits';

/** The option every command that reads files takes (parseCommandArgs adds it). */
export const MAX_FILE_SIZE_OPTION = 'max-file-size';

const UNITS: Readonly<Record<string, number>> = { '': 1, 'K': 1024, 'M': 1024 ** 2, 'G': 1024 ** 3 };

/**
 * The help of `--max-file-size`, its description starting at `column` (as
 * the other options of the command's help).
 */
export function maxFileSizeHelp(column: number): string {
  const indent = ' '.repeat(column);
  return `  --max-file-size <size>\n${indent}refuse files larger than <size>: bytes, or with a K, M\n`
    + `${indent}or G suffix (KiB, MiB, GiB), e.g. 64M; default ${formatLimit(DEFAULT_READ_LIMITS.maxFileSize).replace(' MiB', 'M')}\n`;
}

/** The read limits of `--max-file-size <n>[K|M|G]` (binary units), the defaults without it. */
export function readLimitsOption(command: string, values: ParsedArgs['values']): ReadLimits {
  const value = values[MAX_FILE_SIZE_OPTION];
  if (value === undefined) return DEFAULT_READ_LIMITS;
  const match = /^([0-9]{1,12})([KMG]?)$/i.exec(String(value));
  const bytes = match ? Number(match[1]) * UNITS[match[2].toUpperCase()] : 0;
  if (bytes < 1) {
    throw new UsageError(`--max-file-size must be a number of bytes with an optional K, M or G suffix (e.g. 64M), at least 1, got "${String(value)}"`, command);
  }
  return readLimits(bytes);
}

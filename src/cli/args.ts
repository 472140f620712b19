import { parseArgs, ParseArgsConfig } from 'util';
import { Protocol } from '../protocol';
import { UsageError } from './io';

type Options = NonNullable<ParseArgsConfig['options']>;

/** Parsed arguments: positionals and option values. */
export interface ParsedArgs {
  readonly positionals: string[];
  readonly values: Record<string, string | boolean | string[] | undefined>;
}

/** Parses a command's arguments strictly: an unknown or malformed option is a UsageError. */
export function parseCommandArgs(command: string, argv: readonly string[], options: Options): ParsedArgs {
  try {
    const { positionals, values } = parseArgs({
      args: [...argv],
      // Every command reads files: each takes the limit on their size.
      options: { ...options, 'help': { type: 'boolean', short: 'h' }, 'max-file-size': { type: 'string' } },
      allowPositionals: true,
      strict: true,
    });
    return { positionals, values: values as ParsedArgs['values'] };
  } catch (e) {
    throw new UsageError((e as Error).message.split('\n')[0].replace(/\.$/, ''), command);
  }
}

/** The value of `--format`, checked against the formats the command offers. */
export function formatOption(command: string, value: unknown, formats: readonly string[]): string {
  const format = value === undefined ? formats[0] : String(value);
  if (!formats.includes(format)) {
    throw new UsageError(`--format must be ${formats.join(' or ')}, got "${format}"`, command);
  }
  return format;
}

/** A required string option. */
export function requiredOption(command: string, values: ParsedArgs['values'], name: string): string {
  const value = values[name];
  if (typeof value !== 'string' || value === '') {
    throw new UsageError(`--${name} is required`, command);
  }
  return value;
}

/** A port number option. */
export function portOption(command: string, value: string): number {
  if (!/^[0-9]+$/.test(value) || Number(value) < 1 || Number(value) > 65535) {
    throw new UsageError(`--port must be a port number from 1 to 65535, got "${value}"`, command);
  }
  return Number(value);
}

/** A protocol option, case-insensitive; TCP when absent. */
export function protocolOption(command: string, value: unknown): Protocol {
  if (value === undefined) return Protocol.TCP;
  const upper = String(value).toUpperCase();
  if (upper !== Protocol.TCP && upper !== Protocol.UDP && upper !== Protocol.SCTP) {
    throw new UsageError(`--protocol must be TCP, UDP or SCTP, got "${String(value)}"`, command);
  }
  return upper as Protocol;
}

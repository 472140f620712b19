import { Document, isMap, isSeq, LineCounter } from 'yaml';
import { Protocol } from '../protocol';
import { AnalysisInputError } from './input-error';
import { readInputFile } from './input-file';
import { DEFAULT_READ_LIMITS, ReadLimits } from './read-limits';
import { firstLine, parseYamlDocuments } from './strict-yaml';
import { Expectation } from './verification';
import { escapeTerminal } from '../text/escape';
import { isProtocol, portNumberProblem } from '../validation/ports';

/** An expectation with the line it was written on, for error messages. */
export interface LocatedExpectation {
  readonly expectation: Expectation;
  /** `file:line` of the entry. */
  readonly origin: string;
}

const ENTRY_KEYS = ['from', 'to', 'port', 'protocol', 'allowed'];
/**
 * Reads a `verify` expectations file:
 *
 * ```yaml
 * expectations:
 *   - from: production/frontend
 *     to: production/api-server
 *     port: 8080
 *     protocol: TCP      # optional, TCP by default
 *     allowed: true
 * ```
 *
 * Every field is checked (unknown keys too: a typo such as `allow:` must not
 * pass silently); errors name the file and line.
 */
export function readExpectationsFile(file: string, limits: ReadLimits = DEFAULT_READ_LIMITS): LocatedExpectation[] {
  return parseExpectations(readInputFile(file, limits.maxFileSize, `the expectations file "${escapeTerminal(file)}"`), file, limits);
}

/** Parses the text of an expectations file. */
export function parseExpectations(text: string, file: string, limits: ReadLimits = DEFAULT_READ_LIMITS): LocatedExpectation[] {
  const lineCounter = new LineCounter();
  const lineAt = (node: unknown): number => lineCounter.linePos((node as { range?: number[] })?.range?.[0] ?? 0).line;
  const fail = (node: unknown, message: string): never => {
    throw new AnalysisInputError(`${escapeTerminal(file)}:${lineAt(node)}: ${message}`);
  };
  const documents = parseYamlDocuments(text, file, limits, lineCounter, `the expectations file ${escapeTerminal(file)}`);
  if (documents.length > 1) {
    throw new AnalysisInputError(`${escapeTerminal(file)}:${documents[1].line}: an expectations file holds one document; put every expectation in its "expectations" list.`);
  }
  const doc = documents[0]?.doc ?? new Document(null);
  let data: any;
  try {
    data = doc.toJS({ maxAliasCount: 1000 });
  } catch (e) {
    throw new AnalysisInputError(`Cannot parse the expectations file ${file}: ${firstLine((e as Error).message)}.`);
  }
  const root = doc.contents;
  if (!isMap(root)) {
    return fail(root, 'an expectations file is a mapping with an "expectations" list, e.g. "expectations: []".');
  }
  for (const pair of root.items) {
    const key = (pair.key as { value?: unknown })?.value;
    if (key !== 'expectations') fail(pair.key, `unknown key ${JSON.stringify(key)}; the file has only "expectations".`);
  }
  const list = root.get('expectations', true);
  if (!isSeq(list)) {
    return fail(list ?? root, '"expectations" must be a list (use "expectations: []" for none).');
  }
  return list.items.map((item, index) => {
    const where = `expectations[${index}]`;
    if (!isMap(item)) return fail(item, `${where} must be a mapping with from, to, port and allowed.`);
    const entry = data.expectations[index] as Record<string, unknown>;
    for (const pair of item.items) {
      const key = String((pair.key as { value?: unknown })?.value);
      if (!ENTRY_KEYS.includes(key)) fail(pair.key, `${where}: unknown key "${key}"; an expectation has ${ENTRY_KEYS.join(', ')}.`);
    }
    const fieldNode = (key: string): unknown => item.get(key, true) ?? item;
    for (const key of ['from', 'to']) {
      const value = entry[key];
      if (typeof value !== 'string' || value.trim() === '') {
        fail(fieldNode(key), `${where}.${key}: ${JSON.stringify(value) ?? 'missing'}: write "<namespace>/<name>", "<namespace>/<kind>/<name>" or "ip:<address>".`);
      }
    }
    const portProblem = portNumberProblem(entry.port as number);
    if (portProblem) fail(fieldNode('port'), `${where}.port: ${JSON.stringify(entry.port) ?? 'missing'}: ${portProblem}.`);
    const protocol = entry.protocol ?? Protocol.TCP;
    if (!isProtocol(protocol)) fail(fieldNode('protocol'), `${where}.protocol: ${JSON.stringify(entry.protocol)}: use TCP, UDP or SCTP.`);
    if (typeof entry.allowed !== 'boolean') {
      fail(fieldNode('allowed'), `${where}.allowed: ${JSON.stringify(entry.allowed) ?? 'missing'}: write true (must be allowed) or false (must be denied).`);
    }
    return {
      expectation: {
        from: entry.from as string,
        to: entry.to as string,
        port: entry.port as number,
        protocol: protocol as Protocol,
        allowed: entry.allowed as boolean,
      },
      origin: `${escapeTerminal(file)}:${lineAt(item)}`,
    };
  });
}

/**
 * Writes expectations as a `verify` expectations file: comment lines (each
 * `header` line prefixed with `# `), then `expectations:` with one flow per
 * line, which `parseExpectations` reads back.
 */
export function formatExpectationsFile(expectations: readonly Expectation[], header: readonly string[]): string {
  const lines = expectations.map((e) =>
    `  - { from: ${JSON.stringify(e.from)}, to: ${JSON.stringify(e.to)}, port: ${e.port}, protocol: ${e.protocol ?? 'TCP'}, allowed: ${e.allowed} }`);
  return [...header.map((h) => `# ${h}`), `expectations:${lines.length ? '' : ' []'}`, ...lines, ''].join('\n');
}

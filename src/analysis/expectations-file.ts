import { Document, isMap, isSeq, LineCounter } from 'yaml';
import { Protocol } from '../protocol';
import { IcmpVersion } from './flow';
import { dnsNameProblem, ECHO_REQUEST, entityProblem, FLOW_PROTOCOLS, httpRequestOf, httpRequestProblem, icmpTypeProblem, isIcmpVersion } from './flow-fields';
import { AnalysisInputError } from './input-error';
import { readInputFile } from './input-file';
import { DEFAULT_READ_LIMITS, ReadLimits } from './read-limits';
import { firstLine, parseYamlDocuments } from './strict-yaml';
import { Expectation } from './verification';
import { escapeTerminal } from '../text/escape';
import { portNumberProblem } from '../validation/ports';

/** An expectation with the line it was written on, for error messages. */
export interface LocatedExpectation {
  readonly expectation: Expectation;
  /** `file:line` of the entry. */
  readonly origin: string;
}

const ENTRY_KEYS = ['from', 'to', 'port', 'protocol', 'icmpType', 'host', 'http', 'allowed'];
/**
 * Reads a `verify` expectations file:
 *
 * ```yaml
 * expectations:
 *   - from: production/frontend
 *     to: production/api-server
 *     port: 8080
 *     protocol: TCP      # optional, TCP by default; UDP, SCTP, ICMP or ICMPv6
 *     allowed: true
 *   - from: production/payments
 *     to: ip:203.0.113.7
 *     host: api.stripe.com            # optional: the DNS name looked up (to: ip: only)
 *     port: 443
 *     allowed: true
 *   - from: production/web
 *     to: production/api-server
 *     port: 8080
 *     http: { method: GET, path: /public }   # optional: one request (TCP only)
 *     allowed: true
 *   - from: production/web
 *     to: entity:kube-apiserver       # or entity:host, entity:remote-node
 *     protocol: ICMP                  # no port for ICMP and ICMPv6
 *     icmpType: 8                     # optional: echo request by default
 *     allowed: false
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
    const show = (value: unknown): string => escapeTerminal(JSON.stringify(value) ?? 'missing');
    for (const key of ['from', 'to']) {
      const value = entry[key];
      if (typeof value !== 'string' || value.trim() === '') {
        fail(fieldNode(key), `${where}.${key}: ${show(value)}: write "<namespace>/<name>", "<namespace>/<kind>/<name>", "ip:<address>" or "entity:<entity>".`);
      }
      const problem = entityProblem(value as string);
      if (problem) fail(fieldNode(key), `${where}.${key}: ${problem}.`);
    }
    const has = (key: string) => entry[key] !== undefined && entry[key] !== null;
    const protocol = entry.protocol ?? Protocol.TCP;
    if (typeof protocol !== 'string' || !FLOW_PROTOCOLS.includes(protocol)) {
      fail(fieldNode('protocol'), `${where}.protocol: ${show(entry.protocol)}: use ${FLOW_PROTOCOLS.join(', ')}.`);
    }
    const icmp = isIcmpVersion(protocol);
    if (icmp) {
      if (has('port')) fail(fieldNode('port'), `${where}.port: ${protocol} has no ports; remove port (icmpType gives the message type).`);
      if (has('icmpType')) {
        const problem = icmpTypeProblem(entry.icmpType);
        if (problem) fail(fieldNode('icmpType'), `${where}.icmpType: ${show(entry.icmpType)}: ${problem}.`);
      }
    } else {
      const portProblem = portNumberProblem(entry.port as number);
      if (portProblem) fail(fieldNode('port'), `${where}.port: ${show(entry.port)}: ${portProblem}.`);
      if (has('icmpType')) fail(fieldNode('icmpType'), `${where}.icmpType: only an ICMP or ICMPv6 expectation has an ICMP type (set protocol: ICMP, and no port).`);
    }
    if (has('http')) {
      if (protocol !== Protocol.TCP) fail(fieldNode('http'), `${where}.http: an HTTP request needs TCP, not ${protocol}.`);
      const problem = httpRequestProblem(entry.http);
      if (problem) fail(fieldNode('http'), `${where}.http: ${escapeTerminal(problem)}.`);
    }
    if (has('host')) {
      const problem = dnsNameProblem(entry.host);
      if (problem) fail(fieldNode('host'), `${where}.host: ${show(entry.host)}: ${problem}.`);
      if (!(entry.to as string).startsWith('ip:')) {
        fail(fieldNode('host'), `${where}.host: the DNS name the source looked up goes with an address: write to: ip:<address> (the address the name resolved to).`);
      }
    }
    if (typeof entry.allowed !== 'boolean') {
      fail(fieldNode('allowed'), `${where}.allowed: ${show(entry.allowed)}: write true (must be allowed) or false (must be denied).`);
    }
    const version = protocol as IcmpVersion;
    return {
      expectation: {
        from: entry.from as string,
        to: entry.to as string,
        ...(icmp
          ? { icmp: { version, type: (entry.icmpType as number | undefined) ?? ECHO_REQUEST[version] } }
          : { port: entry.port as number, protocol: protocol as Protocol }),
        ...(has('host') ? { host: entry.host as string } : {}),
        ...(has('http') ? { http: httpRequestOf(entry.http) } : {}),
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
  const lines = expectations.map((e) => {
    const traffic = e.icmp
      ? `protocol: ${e.icmp.version ?? IcmpVersion.ICMP}${e.icmp.type !== undefined ? `, icmpType: ${e.icmp.type}` : ''}`
      : `port: ${e.port}, protocol: ${e.protocol ?? 'TCP'}`;
    const host = e.host !== undefined ? `, host: ${JSON.stringify(e.host)}` : '';
    const http = e.http ? `, http: { method: ${JSON.stringify(e.http.method)}, path: ${JSON.stringify(e.http.path)} }` : '';
    return `  - { from: ${JSON.stringify(e.from)}, to: ${JSON.stringify(e.to)}, ${traffic}${host}${http}, allowed: ${e.allowed} }`;
  });
  return [...header.map((h) => `# ${h}`), `expectations:${lines.length ? '' : ' []'}`, ...lines, ''].join('\n');
}

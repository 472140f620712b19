import { Composer, Document, DocumentOptions, isMap, isPair, isScalar, isSeq, LineCounter, ParseOptions, Parser, Scalar, SchemaOptions } from 'yaml';
import { AnalysisInputError } from './input-error';
import { ReadLimits } from './read-limits';
import { escapeTerminal } from '../text/escape';

/**
 * How every input is parsed. The YAML 1.2 core schema (the values on which
 * it and Kubernetes' YAML 1.1 reader disagree are refused, see `ambiguity`):
 * tags the core schema does not define (`!!omap`, `!!set`, `!!timestamp`,
 * `!!binary`, custom `!foo`) are not resolved (`resolveKnownTags: false`) and
 * so warned about, and a warning is an error here: `matchLabels: !!omap [...]`
 * would otherwise become `{}` and select every pod. Merge keys (`<<: *base`)
 * are expanded, as Kubernetes' YAML reader does.
 */
const OPTIONS: ParseOptions & DocumentOptions & SchemaOptions = {
  schema: 'core',
  resolveKnownTags: false,
  merge: true,
  uniqueKeys: true,
};

/** A parsed YAML document and the line of its start. */
export interface YamlDocument {
  readonly doc: Document.Parsed;
  /** The line of the document's content (1-based). */
  readonly line: number;
}

/**
 * Parses the documents of a YAML (or JSON) text strictly: a syntax error, a tag
 * we cannot read exactly, more than `maxDocuments` documents or nesting deeper
 * than `maxDepth` is an AnalysisInputError naming `file` and the line.
 *
 * @param what how messages name the text, e.g. `the expectations file x.yaml`
 */
export function parseYamlDocuments(text: string, rawFile: string, limits: ReadLimits, lineCounter: LineCounter, what?: string): YamlDocument[] {
  const file = escapeTerminal(rawFile);
  const named = what ?? file;
  const parser = new Parser(lineCounter.addNewLine);
  const composer = new Composer(OPTIONS);
  const documents: YamlDocument[] = [];
  const lineAt = (offset: number | undefined): number => lineCounter.linePos(offset ?? 0).line;
  // The composer yields one document at a time: stop at the limit before composing the rest.
  for (const doc of composer.compose(parser.parse(text))) {
    const start = doc.contents?.range?.[0] ?? doc.range?.[0];
    if (documents.length === limits.maxDocuments) {
      throw new AnalysisInputError(`${file}:${lineAt(doc.range?.[0])}: more than ${limits.maxDocuments} documents in one file; split the file.`);
    }
    const problem = doc.errors[0] ?? doc.warnings[0];
    if (problem) {
      const where = `${named}:${lineAt(problem.pos[0])}:${lineCounter.linePos(problem.pos[0]).col}`;
      throw new AnalysisInputError(`Cannot parse ${where}: ${firstLine(problem.message)}${problem.code === 'TAG_RESOLVE_FAILED' ? TAG_HINT : ''}.`);
    }
    const problemNode = checkNodes(doc.contents, limits.maxDepth);
    if (problemNode) {
      const offset = problemNode.offset;
      const where = problemNode.scalar ? `Cannot parse ${named}:${lineAt(offset)}:${lineCounter.linePos(offset ?? 0).col}` : `${file}:${lineAt(offset)}`;
      throw new AnalysisInputError(`${where}: ${problemNode.message}.`);
    }
    documents.push({ doc, line: lineAt(start) });
  }
  return documents;
}

const TAG_HINT = ' (only the tags of the YAML core schema are read, as Kubernetes reads them: remove the tag, or quote the value)';

/**
 * Plain values that Kubernetes reads otherwise than YAML 1.2 does: its YAML
 * reader (sigs.k8s.io/yaml, go-yaml v2) follows YAML 1.1, where `yes`, `no`,
 * `on`, `off`, `y` and `n` are booleans, a leading zero makes an octal number
 * (`010` is 8) and `1_000` or `0b101` are numbers. Read either way, the answer
 * could be about another manifest than the cluster's: they must be quoted or
 * written unambiguously.
 */
const YAML_1_1_BOOLEAN = /^(?:y|Y|yes|Yes|YES|n|N|no|No|NO|on|On|ON|off|Off|OFF)$/;
const YAML_1_1_OCTAL = /^[-+]?0[0-9_]+$/;
const YAML_1_1_NUMBER = /^[-+]?(?:0b[01_]+|[0-9][0-9_]*_[0-9_]*)$/;

function ambiguity(scalar: Scalar): string | undefined {
  const source = (scalar as Scalar & { source?: unknown }).source;
  if (scalar.type !== Scalar.PLAIN || typeof source !== 'string') return undefined;
  const shown = JSON.stringify(source);
  if (YAML_1_1_BOOLEAN.test(source)) {
    return `${shown} is a boolean to Kubernetes (YAML 1.1) but a string in YAML 1.2: write true or false, or quote it`;
  }
  if (YAML_1_1_OCTAL.test(source)) {
    return `${shown} is an octal number to Kubernetes (YAML 1.1) but decimal in YAML 1.2: write it without the leading zero (or with 0o), or quote it`;
  }
  if (YAML_1_1_NUMBER.test(source)) {
    return `${shown} is a number to Kubernetes (YAML 1.1) but a string in YAML 1.2: write it in decimal without "_", or quote it`;
  }
  return undefined;
}

/**
 * The first node nested deeper than `max`, or a plain value read otherwise by
 * Kubernetes, walking without recursion (the input may be very deep).
 */
function checkNodes(root: unknown, max: number): { offset?: number; message: string; scalar: boolean } | undefined {
  const stack: Array<{ node: unknown; depth: number }> = [{ node: root, depth: 1 }];
  while (stack.length > 0) {
    const { node, depth } = stack.pop()!;
    if (isScalar(node)) {
      const message = ambiguity(node);
      if (message) return { offset: node.range?.[0], message, scalar: true };
      continue;
    }
    if (!isMap(node) && !isSeq(node)) continue;
    if (depth > max) {
      return { offset: node.range?.[0], message: `the document nests deeper than ${max} levels; no Kubernetes object does`, scalar: false };
    }
    // Reversed, so that the first problem in the text is found first.
    for (const item of [...(node.items as unknown[])].reverse()) {
      if (isPair(item)) {
        stack.push({ node: item.value, depth: depth + 1 }, { node: item.key, depth: depth + 1 });
      } else {
        stack.push({ node: item, depth: depth + 1 });
      }
    }
  }
  return undefined;
}

/** The first line of a YAML error, without the position the caller already gives. */
export function firstLine(message: string): string {
  return message.split('\n')[0].replace(/ at line \d+, column \d+:?$/, '').replace(/[.:]$/, '');
}

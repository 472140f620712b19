import { Composer, Document, DocumentOptions, isMap, isPair, isSeq, LineCounter, ParseOptions, Parser, SchemaOptions } from 'yaml';
import { AnalysisInputError } from './input-error';
import { ReadLimits } from './read-limits';
import { escapeTerminal } from '../internal/escape';

/**
 * How every input is parsed. The YAML 1.2 core schema, as Kubernetes reads it:
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
    const deep = deeperThan(doc.contents, limits.maxDepth);
    if (deep !== undefined) {
      throw new AnalysisInputError(`${file}:${lineAt(deep)}: the document nests deeper than ${limits.maxDepth} levels; no Kubernetes object does.`);
    }
    documents.push({ doc, line: lineAt(start) });
  }
  return documents;
}

const TAG_HINT = ' (only the tags of the YAML core schema are read, as Kubernetes reads them: remove the tag, or quote the value)';

/** The offset of the first node nested deeper than `max`, walking without recursion (the input may be very deep). */
function deeperThan(root: unknown, max: number): number | undefined {
  const stack: Array<{ node: unknown; depth: number }> = [{ node: root, depth: 1 }];
  while (stack.length > 0) {
    const { node, depth } = stack.pop()!;
    if (!isMap(node) && !isSeq(node)) continue;
    if (depth > max) return node.range?.[0];
    for (const item of node.items as unknown[]) {
      if (isPair(item)) {
        stack.push({ node: item.key, depth: depth + 1 }, { node: item.value, depth: depth + 1 });
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

import * as fs from 'fs';
import * as path from 'path';
import { LineCounter } from 'yaml';
import { isConstructMetadataFile } from './construct-metadata';
import { AnalysisInputError } from './input-error';
import { fileErrorReason, readInputFile } from './input-file';
import { FieldPath, flattenLists, ManifestObject } from './manifest-object';
import { DEFAULT_READ_LIMITS, ReadLimits } from './read-limits';
import { firstLine, parseYamlDocuments } from './strict-yaml';
import { escapeTerminal } from '../text/escape';

const MANIFEST_EXTENSIONS = ['.yaml', '.yml', '.json'];

/**
 * Lists the manifest files under the given paths: a file is taken as is
 * (whatever its extension), a folder recursively for `*.yaml`, `*.yml` and
 * `*.json` (but cdk8s's `construct-metadata.json`), in a stable order.
 */
export function manifestFiles(paths: readonly string[]): string[] {
  if (paths.length === 0) {
    throw new AnalysisInputError('No manifest paths given: pass files or folders of YAML or JSON manifests.');
  }
  const files: string[] = [];
  for (const p of paths) {
    let stat: fs.Stats;
    try {
      stat = fs.statSync(p);
    } catch (e) {
      throw new AnalysisInputError(`Cannot read "${escapeTerminal(p)}": ${fileErrorReason(e)}.`);
    }
    if (stat.isDirectory()) {
      const found = walk(p);
      if (found.length === 0) {
        throw new AnalysisInputError(`The folder "${escapeTerminal(p)}" holds no *.yaml, *.yml or *.json files.`);
      }
      files.push(...found);
    } else {
      files.push(p);
    }
  }
  // A folder and a file inside it, or a path given twice, are read once.
  const seen = new Set<string>();
  return files.filter((file) => {
    const key = path.resolve(file);
    if (seen.has(key)) return false;
    seen.add(key);
    return true;
  });
}

function walk(dir: string): string[] {
  let found: fs.Dirent[];
  try {
    found = fs.readdirSync(dir, { withFileTypes: true });
  } catch (e) {
    throw new AnalysisInputError(`Cannot read the folder "${escapeTerminal(dir)}": ${fileErrorReason(e)}.`);
  }
  const entries = found.sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
  const files: string[] = [];
  for (const entry of entries) {
    const full = path.join(dir, entry.name);
    if (entry.isDirectory()) {
      files.push(...walk(full));
    } else if (MANIFEST_EXTENSIONS.includes(path.extname(entry.name).toLowerCase()) && !isConstructMetadataFile(full)) {
      // (cdk8s's construct-metadata.json, beside the manifests after a `cdk8s synth` with validations, is not one)
      files.push(full);
    }
  }
  return files;
}

/**
 * Reads manifest files (YAML with any number of documents, or JSON), flattening
 * `List` kinds. Empty documents are skipped. Errors name the file and line.
 * Only regular files are read, each within `limits`.
 */
export function loadManifestFiles(paths: readonly string[], limits: ReadLimits = DEFAULT_READ_LIMITS): ManifestObject[] {
  return manifestFiles(paths).flatMap((file) => parseManifestText(readInputFile(file, limits.maxFileSize), file, limits));
}

/** Parses the text of one manifest file (YAML or JSON). */
export function parseManifestText(text: string, file: string, limits: ReadLimits = DEFAULT_READ_LIMITS): ManifestObject[] {
  const lineCounter = new LineCounter();
  const objects: ManifestObject[] = [];
  for (const { doc, line: docLine } of parseYamlDocuments(text, file, limits, lineCounter)) {
    let object: unknown;
    try {
      // Aliases are resolved here, so an unknown anchor or an alias bomb surfaces here.
      object = doc.toJS({ maxAliasCount: 1000 });
    } catch (e) {
      throw new AnalysisInputError(`Cannot parse ${escapeTerminal(file)}:${docLine}: ${firstLine((e as Error).message)}.`);
    }
    if (object === null || object === undefined) {
      continue;
    }
    if (typeof object !== 'object' || Array.isArray(object)) {
      throw new AnalysisInputError(`${escapeTerminal(file)}:${docLine}: a manifest document must be a Kubernetes object (a mapping with kind and metadata), not ${Array.isArray(object) ? 'a list' : `the ${typeof object} ${JSON.stringify(object)}`}.`);
    }
    const lineOf = (fieldPath: FieldPath): number | undefined => {
      const node = fieldPath.length === 0 ? doc.contents : doc.getIn(fieldPath as unknown[], true);
      const offset = (node as { range?: [number, number, number] } | undefined)?.range?.[0];
      return offset === undefined ? undefined : lineCounter.linePos(offset).line;
    };
    objects.push(...flattenLists({ object, file, origin: `${escapeTerminal(file)}:${docLine}`, lineOf }));
  }
  return objects;
}

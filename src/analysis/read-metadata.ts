import { FieldPath } from './manifest-object';
import { ProblemSink } from './problems';
import { dnsLabelProblem, labelKeyProblem, labelValueProblem } from '../validation/labels';

/** The namespace of an object without `metadata.namespace`. */
export const DEFAULT_NAMESPACE = 'default';

/** The API server's limit on the annotations of one object: keys and values together. */
const ANNOTATIONS_MAX_BYTES = 256 * 1024;

/** `metadata` of an object, which must be a mapping when present; `{}` when absent or invalid (the problem is reported). */
export function readMetadata(object: any, problems: ProblemSink): any {
  const metadata = object?.metadata;
  if (metadata === undefined || metadata === null) return {};
  if (typeof metadata !== 'object' || Array.isArray(metadata)) {
    problems.add(['metadata'], metadata, 'metadata must be a mapping with name and namespace');
    return {};
  }
  return metadata;
}

/**
 * `metadata.namespace`: absent or empty means `default` (as for the API
 * server); anything but a string, or an invalid name, is a problem (and
 * undefined is returned). `0` must not silently mean `default`.
 */
export function readNamespace(metadata: any, problems: ProblemSink): string | undefined {
  const raw = metadata?.namespace;
  if (raw === undefined || raw === null || raw === '') return DEFAULT_NAMESPACE;
  const problem = typeof raw === 'string' ? dnsLabelProblem(raw) : 'must be a string';
  if (problem) {
    problems.add(['metadata', 'namespace'], raw, `the namespace ${problem}`);
    return undefined;
  }
  return raw;
}

/** Labels checked with the API server's rules; invalid ones are reported and left out. */
export function readLabels(raw: unknown, path: FieldPath, problems: ProblemSink): Record<string, string> {
  if (raw === undefined || raw === null) return {};
  if (typeof raw !== 'object' || Array.isArray(raw)) {
    problems.add(path, raw, 'labels must be a mapping of keys to string values');
    return {};
  }
  const labels: Record<string, string> = {};
  for (const [key, value] of Object.entries(raw as Record<string, unknown>)) {
    const keyProblem = labelKeyProblem(key);
    if (keyProblem) {
      problems.add([...path, key], key, `invalid label key: ${keyProblem}`);
      continue;
    }
    if (typeof value !== 'string') {
      problems.add([...path, key], value, `a label value must be a string (quote it: "${String(value)}")`);
      continue;
    }
    const valueProblem = labelValueProblem(value);
    if (valueProblem) {
      problems.add([...path, key], value, `invalid label value: ${valueProblem}`);
      continue;
    }
    labels[key] = value;
  }
  return labels;
}

/**
 * Annotations as the API server checks them: keys are qualified names (checked
 * in lower case), values strings, and all of them together at most 256 KiB.
 */
export function checkAnnotations(raw: unknown, path: FieldPath, problems: ProblemSink): void {
  if (raw === undefined || raw === null) return;
  if (typeof raw !== 'object' || Array.isArray(raw)) {
    problems.add(path, raw, 'annotations must be a mapping of keys to string values');
    return;
  }
  let bytes = 0;
  for (const [key, value] of Object.entries(raw as Record<string, unknown>)) {
    const keyProblem = labelKeyProblem(key.toLowerCase());
    if (keyProblem) problems.add([...path, key], key, `invalid annotation key: ${keyProblem}`);
    if (typeof value !== 'string') {
      problems.add([...path, key], value, 'an annotation value must be a string');
      continue;
    }
    bytes += Buffer.byteLength(key) + Buffer.byteLength(value);
  }
  if (bytes > ANNOTATIONS_MAX_BYTES) {
    problems.add(path, raw, `annotations total ${bytes} bytes; at most ${ANNOTATIONS_MAX_BYTES} (256 KiB) are allowed`);
  }
}

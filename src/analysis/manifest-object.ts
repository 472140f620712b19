import { escapeTerminal } from '../text/escape';

/** A path into an object: keys and array indexes, as in `spec.ingress[0].from`. */
export type FieldPath = ReadonlyArray<string | number>;

/**
 * One Kubernetes object as loaded, with where it came from, so that errors can
 * name the file, the line and the object.
 */
export interface ManifestObject {
  readonly object: any;
  /** Where the object is, e.g. `deploy/app.yaml:12` or `manifest #3`. */
  readonly origin: string;
  /** The file the object came from, if any. */
  readonly file?: string;
  /** The line of a field inside the object, when the object came from a file. */
  readonly lineOf?: (path: FieldPath) => number | undefined;
}

/** The line of a field, or of its parent when the field is absent (e.g. a defaulted one); undefined without line numbers. */
export function lineOfField(entry: ManifestObject, path: FieldPath): number | undefined {
  return entry.lineOf?.(path) ?? entry.lineOf?.(path.slice(0, -1));
}

/** `file:line` of a field (or of its parent, when the field is absent), else where the object is. */
export function locateField(entry: ManifestObject, path: FieldPath): string {
  const line = lineOfField(entry, path);
  return entry.file && line !== undefined ? `${escapeTerminal(entry.file)}:${line}` : entry.origin;
}

/** Formats a field path as `spec.ingress[0].from[1]`. */
export function formatPath(path: FieldPath): string {
  let text = '';
  for (const part of path) {
    const key = escapeTerminal(String(part));
    text += typeof part === 'number' ? `[${part}]` : text === '' ? key : `.${key}`;
  }
  return text;
}

/** Describes an object as `Kind namespace/name` for messages; user text is escaped for a terminal and cut short. */
export function describeObject(object: any): string {
  const kind = typeof object?.kind === 'string' ? shown(object.kind) : 'object';
  const rawName = object?.metadata?.name;
  const name = typeof rawName === 'string' && rawName !== '' ? shown(rawName) : rawName === undefined || rawName === null || rawName === '' ? '(no name)' : '(invalid name)';
  const rawNamespace = object?.metadata?.namespace;
  const namespace = typeof rawNamespace === 'string' ? shown(rawNamespace) : rawNamespace === undefined || rawNamespace === null ? undefined : '(invalid namespace)';
  return `${kind} ${namespace ? `${namespace}/` : ''}${name}`;
}

function shown(text: string): string {
  const escaped = escapeTerminal(text);
  return escaped.length > 100 ? `${escaped.slice(0, 97)}...` : escaped;
}

/**
 * Flattens `kind: List` and typed lists (`PodList`, `NetworkPolicyList`...) into
 * their items. Items of typed lists often carry no kind or apiVersion (the API
 * server returns them so): they take them from the list.
 */
export function flattenLists(entry: ManifestObject): ManifestObject[] {
  const object = entry.object;
  const kind = object?.kind;
  if (typeof kind !== 'string' || !kind.endsWith('List') || !Array.isArray(object.items)) {
    return [entry];
  }
  const itemKind = kind === 'List' ? undefined : kind.slice(0, -'List'.length);
  return object.items.flatMap((item: any, index: number) => {
    const withKind = item && typeof item === 'object' && itemKind !== undefined && item.kind === undefined
      ? { apiVersion: object.apiVersion, ...item, kind: itemKind }
      : item;
    const lineOf = entry.lineOf;
    const line = lineOf?.(['items', index]);
    return flattenLists({
      object: withKind,
      file: entry.file,
      origin: entry.file && line !== undefined ? `${escapeTerminal(entry.file)}:${line}` : `${entry.origin} items[${index}]`,
      lineOf: lineOf ? (path: FieldPath) => lineOf(['items', index, ...path]) : undefined,
    });
  });
}

import { describeObject, FieldPath, formatPath, locateField, ManifestObject } from './manifest-object';
import { escapeTerminal } from '../text/escape';

/** One invalid field of an object. */
export interface Problem {
  readonly path: FieldPath;
  readonly value: unknown;
  readonly message: string;
}

/** Collects the problems found in one object, so that all of them are reported at once. */
export class ProblemSink {
  private readonly problems: Problem[] = [];

  public get count(): number {
    return this.problems.length;
  }

  public add(path: FieldPath, value: unknown, message: string): void {
    this.problems.push({ path, value, message });
  }

  /** Reports fields of `object` that are not in `known` (a typo silently ignored would change the meaning). */
  public unknownFields(object: unknown, path: FieldPath, known: readonly string[]): void {
    if (typeof object !== 'object' || object === null) return;
    for (const key of Object.keys(object)) {
      if (!known.includes(key)) {
        this.add([...path, key], (object as Record<string, unknown>)[key], `unknown field "${escapeTerminal(key)}"; expected one of ${known.join(', ')}`);
      }
    }
  }

  /** Formats the problems as lines naming the file, line, object, field and value. */
  public format(entry: ManifestObject): string[] {
    return this.problems.map((p) => {
      const where = locateField(entry, p.path);
      const field = formatPath(p.path);
      return `${where}: ${describeObject(entry.object)}: ${field === '' ? '' : `${field}: `}${formatValue(p.value)}: ${p.message}.`;
    });
  }
}

function formatValue(value: unknown): string {
  if (value === undefined) return 'missing';
  const text = escapeTerminal(JSON.stringify(value) ?? String(value));
  return text.length > 80 ? `${text.slice(0, 77)}...` : text;
}

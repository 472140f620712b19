import * as fs from 'fs';
import * as path from 'path';

/**
 * The file cdk8s writes beside the manifests when construct metadata is recorded: `cdk8s synth` turns it on
 * whenever cdk8s.yaml lists `validations:` (and `new App({ recordConstructMetadata: true })` does too). It maps
 * each synthesized object to its construct path and is not a manifest.
 */
export const CONSTRUCT_METADATA_FILE = 'construct-metadata.json';

/** Larger than any construct-metadata.json of a real app; a larger file is read as a manifest (and bounded there). */
const MAX_METADATA_BYTES = 16 * 1024 * 1024;

/**
 * Whether `file` is cdk8s's construct-metadata.json: by name, and by shape (`{ version, resources: { <name>:
 * { path } } }` and nothing else), so that a manifest that happens to have that name is still read.
 */
export function isConstructMetadataFile(file: string): boolean {
  if (path.basename(file) !== CONSTRUCT_METADATA_FILE) return false;
  let text: string;
  try {
    // Only a regular file of bounded size is read here: anything else is left to the manifest reader's checks.
    const stat = fs.statSync(file);
    if (!stat.isFile() || stat.size > MAX_METADATA_BYTES) return false;
    text = fs.readFileSync(file, 'utf8');
  } catch {
    return false;
  }
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch {
    return false;
  }
  return isConstructMetadata(value);
}

/** The shape cdk8s writes: `{ "version": "1.0.0", "resources": { "<metadata.name>": { "path": "<construct path>" } } }`. */
export function isConstructMetadata(value: unknown): boolean {
  if (!isRecord(value) || typeof value.version !== 'string' || !isRecord(value.resources)) return false;
  if (Object.keys(value).some((key) => key !== 'version' && key !== 'resources')) return false;
  return Object.values(value.resources).every((resource) => isRecord(resource) && typeof resource.path === 'string');
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

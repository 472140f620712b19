import * as fs from 'fs';
import * as path from 'path';

/** Where golden outputs live: one file per output, read in review like code. */
export const GOLDEN_DIR = path.join(__dirname, '..', 'golden');

/**
 * Compares an output with its golden file `test/golden/<name>`, byte for byte.
 * `UPDATE_GOLDEN=1 npx jest ...` (or `npx projen test:update`) rewrites the file
 * instead; a missing golden file fails, so CI never writes one.
 */
export function expectGolden(name: string, actual: string): void {
  const file = path.join(GOLDEN_DIR, name);
  if (process.env.UPDATE_GOLDEN === '1') {
    fs.mkdirSync(path.dirname(file), { recursive: true });
    fs.writeFileSync(file, actual);
    return;
  }
  if (!fs.existsSync(file)) {
    throw new Error(`No golden file test/golden/${name}: run UPDATE_GOLDEN=1 npx jest to write it, then read it before committing.`);
  }
  expect(actual).toBe(fs.readFileSync(file, 'utf8'));
}

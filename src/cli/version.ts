import * as fs from 'fs';
import * as path from 'path';

/** The package's version, from its package.json (lib/cli/ and src/cli/ are both two levels down). */
export function packageVersion(): string {
  const manifest = path.join(__dirname, '..', '..', 'package.json');
  return JSON.parse(fs.readFileSync(manifest, 'utf8')).version;
}

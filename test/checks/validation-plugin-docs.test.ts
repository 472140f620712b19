import * as fs from 'fs';
import * as path from 'path';

const root = path.join(__dirname, '..', '..');

/** Every `version:` of a plugin entry under `validations:`, in the doc comment of NetpolValidation and in the docs. */
function pluginVersions(): Array<{ where: string; version: string }> {
  const found: Array<{ where: string; version: string }> = [];
  // the @example of NetpolValidation: a cdk8s.yaml in `//` comments
  const source = fs.readFileSync(path.join(root, 'src/checks/validation-plugin.ts'), 'utf8');
  for (const m of source.matchAll(/^ \* \/\/ +version: *([^\s#]+)/gm)) {
    found.push({ where: 'src/checks/validation-plugin.ts', version: m[1] });
  }
  // the docs: yaml blocks with a `validations:` list
  const pages = ['README.md', ...fs.readdirSync(path.join(root, 'docs')).filter((f) => f.endsWith('.md')).map((f) => `docs/${f}`)];
  for (const page of pages) {
    const text = fs.readFileSync(path.join(root, page), 'utf8');
    for (const block of text.matchAll(/^```yaml\n([\s\S]*?)^```/gm)) {
      if (!/^validations:/m.test(block[1])) continue;
      for (const m of block[1].matchAll(/^ +version: *([^\s#]+)/gm)) found.push({ where: page, version: m[1] });
    }
  }
  return found;
}

describe('NetpolValidation docs', () => {
  test('every cdk8s.yaml example gives the plugin an exact version, which is all cdk8s-cli accepts', () => {
    const versions = pluginVersions();
    expect(versions.map((v) => v.where)).toEqual(expect.arrayContaining(['src/checks/validation-plugin.ts', 'docs/checks.md']));
    // cdk8s-cli (src/plugins/_manager.ts) throws "Cannot be a range" unless the version starts with a digit, and
    // then requires the loaded package.json's version to equal it: so a plain version, no range or tag.
    const notExact = versions.filter((v) => !/^\d+\.\d+\.\d+(-[0-9A-Za-z.-]+)?$/.test(v.version));
    expect(notExact).toEqual([]);
  });
});

import * as fs from 'fs';
import * as path from 'path';

const root = path.join(__dirname, '..');
const docs = fs.readdirSync(path.join(root, 'docs')).filter((f) => f.endsWith('.md'));
const pages = ['README.md', ...docs.map((f) => `docs/${f}`)];

describe('docs', () => {
  test('every construct has a page named like its source file', () => {
    const constructs = fs.readdirSync(path.join(root, 'src/policies')).map((f) => f.replace(/\.ts$/, '.md'));
    expect(constructs.length).toBeGreaterThanOrEqual(8);
    for (const page of [...constructs, 'network-policy.md', 'semantics.md', 'org-standard-constructs.md']) {
      expect(docs).toContain(page);
    }
  });

  test.each(pages)('relative links in %s resolve', (page) => {
    const text = fs.readFileSync(path.join(root, page), 'utf8');
    const links = [...text.matchAll(/\]\(([^)#\s]+)(#[^)]*)?\)/g)].map((m) => m[1]).filter((l) => !/^[a-z]+:/.test(l));
    const broken = links.filter((link) => !fs.existsSync(path.join(root, path.dirname(page), link)));
    expect(broken).toEqual([]);
  });

  test('the docs index lists every page', () => {
    const index = fs.readFileSync(path.join(root, 'docs/README.md'), 'utf8');
    for (const page of docs.filter((f) => f !== 'README.md')) {
      expect(index).toContain(`(${page})`);
    }
  });
});

import * as fs from 'fs';
import * as path from 'path';
import { renderCatalogue } from '../../src/lint/catalogue';
import { Linter } from '../../src/lint/linter';

const RULES_DIR = path.join(__dirname, '..', '..', 'src', 'lint', 'rules');
const CATALOGUE = path.join(__dirname, '..', '..', 'docs', 'rules.md');

describe('the rule catalogue', () => {
  test('docs/rules.md is the catalogue generated from the rules (run `npx projen docs:rules` after changing a rule)', () => {
    expect(fs.readFileSync(CATALOGUE, 'utf8')).toBe(renderCatalogue(Linter.rules));
  });

  test('one rule per file, and the file name is the rule id', () => {
    const files = fs.readdirSync(RULES_DIR).filter((f) => f !== 'index.ts').map((f) => f.replace(/\.ts$/, '')).sort();
    expect(Linter.rules.map((r) => r.id).sort()).toEqual(files);
  });

  test('every rule is documented for users: no placeholder, sentences that end', () => {
    for (const rule of Linter.rules) {
      for (const text of [rule.summary, rule.rationale, rule.fix]) {
        expect({ id: rule.id, text }).toEqual({ id: rule.id, text: expect.stringMatching(/^[A-Z`].*[.)]$/s) });
        expect(text).not.toMatch(/TODO/);
      }
    }
  });

  test('every rule has its own test file with a Compliance and a Noncompliance case', () => {
    for (const rule of Linter.rules) {
      const file = path.join(__dirname, 'rules', `${rule.id}.test.ts`);
      expect({ id: rule.id, exists: fs.existsSync(file) }).toEqual({ id: rule.id, exists: true });
      const text = fs.readFileSync(file, 'utf8');
      expect({ id: rule.id, compliance: /test\('Compliance/.test(text), noncompliance: /test\('Noncompliance/.test(text) })
        .toEqual({ id: rule.id, compliance: true, noncompliance: true });
    }
  });

  test('ids are stable kebab-case names', () => {
    for (const rule of Linter.rules) expect(rule.id).toMatch(/^[a-z]+(-[a-z]+)*$/);
  });
});

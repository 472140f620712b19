import * as fs from 'fs';
import * as path from 'path';
import * as ts from 'typescript';

const root = path.join(__dirname, '..');
const pages = ['README.md', ...fs.readdirSync(path.join(root, 'docs')).filter((f) => f.endsWith('.md')).map((f) => `docs/${f}`)];

/** Every ```ts block of the docs that imports something is a complete program: it must type-check. */
function examples(): Array<{ page: string; index: number; code: string }> {
  return pages.flatMap((page) => {
    const text = fs.readFileSync(path.join(root, page), 'utf8');
    return [...text.matchAll(/```ts(?: [^\n]*)?\n([\s\S]*?)```/g)]
      .map((m, index) => ({ page, index, code: m[1] }))
      .filter((e) => /^import /m.test(e.code));
  });
}

describe('docs examples', () => {
  test('every TypeScript example type-checks against the real API', () => {
    // GIVEN each example in a file of its own inside the project (so node_modules resolve),
    // with 'cdk8s-netpol' (and 'cdk8s-netpol/lib/...') mapped to src/
    const dir = path.join(root, 'test-reports', 'docs-examples');
    fs.rmSync(dir, { recursive: true, force: true });
    fs.mkdirSync(dir, { recursive: true });
    const all = examples();
    expect(all.length).toBeGreaterThan(15);
    const files = all.map((e) => {
      // a block that starts with `// some/path.ts` is that file of a small project (one folder per page)
      const named = /^\/\/ ([\w./-]+\.ts)\n/.exec(e.code);
      const file = named
        ? path.join(dir, e.page.replace(/[/.]/g, '_'), named[1])
        : path.join(dir, `${e.page.replace(/[/.]/g, '_')}_${e.index}.ts`);
      fs.mkdirSync(path.dirname(file), { recursive: true });
      fs.writeFileSync(file, e.code);
      return file;
    });

    // WHEN
    const program = ts.createProgram(files, {
      strict: true,
      noEmit: true,
      target: ts.ScriptTarget.ES2020,
      module: ts.ModuleKind.CommonJS,
      esModuleInterop: true,
      skipLibCheck: true,
      baseUrl: root,
      paths: { 'cdk8s-netpol': ['src/index.ts'], 'cdk8s-netpol/lib/*': ['src/*'] },
      typeRoots: [path.join(root, 'node_modules/@types')],
      types: ['node', 'jest'],
    });
    // The examples' own diagnostics only: asking for the whole program's would type-check all of src/ again,
    // which the test task's tsc step already does.
    const problems = files.flatMap((file) => {
      const source = program.getSourceFile(file)!;
      return [...program.getSyntacticDiagnostics(source), ...program.getSemanticDiagnostics(source)];
    }).map((d) => `${path.basename(d.file!.fileName)}: ${ts.flattenDiagnosticMessageText(d.messageText, '\n')}`);

    // THEN
    expect(problems).toEqual([]);
  });
});

// Checks every TypeScript snippet of the docs the way jsii-rosetta translates it for the other languages:
//
// 1. the README and every `@example` (they are in the jsii assembly, .jsii), and every docs/*.md page (not in the
//    assembly: this script writes a shadow assembly, dist/rosetta-docs/.jsii, whose submodule READMEs are the
//    pages), are compiled with `jsii-rosetta extract --strict` against the real API, with the fixtures of rosetta/;
// 2. the Python translation of each is compiled with `python3 -m py_compile`.
//
// It fails (exit 1) naming the snippet (page and line, or the type of the @example) and the error. See
// docs/contributing.md ("Doc snippets") for fixtures and markers.
import { spawnSync } from 'child_process';
import * as fs from 'fs';
import * as path from 'path';

const root = path.join(__dirname, '..');
const shadowDir = path.join(root, 'dist', 'rosetta-docs');
const compileDir = path.join(shadowDir, 'compile');
const tabletName = '.jsii.tabl.json';
/** A docs page's submodule in the shadow assembly: `cdk8s-netpol.docs.allow-dns` for docs/allow-dns.md. */
const docsModulePrefix = 'docs.';

/** Fenced blocks marked `ts ts-only` (Jest, TypeScript-only API) are type-checked by test/docs-examples.test.ts instead. */
export function hideTypeScriptOnlyBlocks(markdown: string): string {
  return markdown.replace(/^```ts ts-only\b[^\n]*$/gm, '```text');
}

/** The shadow assembly: the real one, with no README or @example (checked from .jsii itself) and one submodule per page. */
export function shadowAssembly(assembly: any, pages: Record<string, string>): any {
  const types: Record<string, any> = {};
  for (const [fqn, type] of Object.entries<any>(assembly.types ?? {})) {
    types[fqn] = withoutExamples(type);
  }
  const submodules: Record<string, any> = { ...assembly.submodules };
  for (const [page, markdown] of Object.entries(pages)) {
    submodules[`${assembly.name}.${docsModulePrefix}${path.basename(page, '.md')}`] = {
      readme: { markdown: hideTypeScriptOnlyBlocks(markdown) },
    };
  }
  const { readme: _readme, ...rest } = assembly;
  return { ...rest, types, submodules };
}

function withoutExamples(value: any): any {
  if (Array.isArray(value)) return value.map(withoutExamples);
  if (value === null || typeof value !== 'object') return value;
  const out: Record<string, any> = {};
  for (const [key, child] of Object.entries(value)) {
    if (key === 'example') continue;
    out[key] = withoutExamples(child);
  }
  return out;
}

/** Where a snippet of a tablet came from, as a reader finds it: `README.md:29`, `docs/allow-dns.md:84`, `@example of AllowDns`. */
export function describeLocation(assemblyName: string, location: any): string {
  const api = location.api;
  const line = location.field?.field === 'markdown' ? `:${location.field.line}` : '';
  if (api.api === 'moduleReadme') {
    const prefix = `${assemblyName}.${docsModulePrefix}`;
    return api.moduleFqn.startsWith(prefix) ? `docs/${api.moduleFqn.slice(prefix.length)}.md${line}` : `README.md${line}`;
  }
  const fqn = String(api.fqn).replace(`${assemblyName}.`, '');
  return api.memberName ? `@example of ${fqn}.${api.memberName}` : `@example of ${fqn}`;
}

function writeShadow(): void {
  const assembly = JSON.parse(fs.readFileSync(path.join(root, '.jsii'), 'utf8'));
  const docs = path.join(root, 'docs');
  const pages: Record<string, string> = {};
  for (const page of fs.readdirSync(docs).filter((f) => f.endsWith('.md')).sort()) {
    pages[page] = fs.readFileSync(path.join(docs, page), 'utf8');
  }
  fs.rmSync(shadowDir, { recursive: true, force: true });
  fs.mkdirSync(shadowDir, { recursive: true });
  fs.writeFileSync(path.join(shadowDir, '.jsii'), JSON.stringify(shadowAssembly(assembly, pages)));
  fs.copyFileSync(path.join(root, 'package.json'), path.join(shadowDir, 'package.json'));
  // The snippets import 'cdk8s-netpol' (lib/) and use the fixtures of rosetta/; the other packages resolve
  // from the project's node_modules, above.
  for (const link of ['lib', 'rosetta']) {
    fs.symlinkSync(path.join(root, link), path.join(shadowDir, link), 'dir');
  }
  // Where the snippets compile: 'cdk8s-netpol' is this package, every other package resolves from the project's
  // node_modules above, devDependencies included (snippets use cdk8s-plus, which is not a dependency). Without it,
  // jsii-rosetta would link only the dependencies and would npm-install the rest.
  fs.mkdirSync(path.join(compileDir, 'node_modules'), { recursive: true });
  fs.symlinkSync(root, path.join(compileDir, 'node_modules', assemblyNameOf()), 'dir');
}

function assemblyNameOf(): string {
  return JSON.parse(fs.readFileSync(path.join(root, 'package.json'), 'utf8')).name;
}

function run(command: string, args: string[]): void {
  const result = spawnSync(command, args, {
    cwd: root,
    stdio: 'inherit',
    env: { ...process.env, JSII_SILENCE_WARNING_DEPRECATED_NODE_VERSION: '1' },
  });
  if (result.status !== 0) {
    console.error(`check-snippets: ${command} ${args.join(' ')} failed (exit ${result.status ?? result.signal})`);
    process.exit(1);
  }
}

interface Tablet {
  readonly file: string;
  readonly content: any;
}

function readTablet(file: string): Tablet {
  return { file, content: JSON.parse(fs.readFileSync(file, 'utf8')) };
}

interface PythonCheck {
  /** The translations, with Python keywords used as names escaped as the bindings name them (`from_`, `in_`). */
  readonly sources: string[];
  /** The translations that are not valid Python, by index. */
  readonly errors: Array<{ index: number; message: string }>;
}

/** Escapes keywords in, and py_compiles, each Python translation: build-tools/python_snippets.py. */
export function checkPython(sources: readonly string[]): PythonCheck {
  const result = spawnSync('python3', [path.join(__dirname, 'python_snippets.py')], {
    input: JSON.stringify(sources),
    encoding: 'utf8',
    maxBuffer: 64 * 1024 * 1024,
  });
  if (result.status !== 0) {
    throw new Error(`python3 build-tools/python_snippets.py failed (exit ${result.status}): ${result.stderr || result.error}`);
  }
  return JSON.parse(result.stdout);
}

function main(): void {
  writeShadow();
  const assemblyName = JSON.parse(fs.readFileSync(path.join(root, '.jsii'), 'utf8')).name;
  // Both assemblies in one run: README and @example from .jsii, the docs pages from the shadow. The translations
  // go to each assembly's tablet (.jsii.tabl.json), from which jsii-pacmak takes the other languages' docs.
  run('jsii-rosetta', ['extract', '--strict', '--directory', compileDir, '.jsii', path.relative(root, path.join(shadowDir, '.jsii'))]);
  const tablets = [readTablet(path.join(root, tabletName)), readTablet(path.join(shadowDir, tabletName))];
  const snippets = tablets.flatMap((t) => Object.values<any>(t.content.snippets));
  const python = checkPython(snippets.map((s) => s.translations.python.source));
  // Keep the escaped Python in the tablets, so the Python docs show what the bindings accept.
  snippets.forEach((s, i) => { s.translations.python.source = python.sources[i]; });
  for (const tablet of tablets) {
    fs.writeFileSync(tablet.file, JSON.stringify(tablet.content, undefined, 2));
  }
  for (const error of python.errors) {
    console.error(`check-snippets: the Python translation of ${describeLocation(assemblyName, snippets[error.index].location)} `
      + `is not valid Python: ${error.message}`);
  }
  const valid = snippets.length - python.errors.length;
  console.log(`check-snippets: ${snippets.length} snippets compile under jsii-rosetta --strict; `
    + `${valid} of ${snippets.length} Python translations are valid Python`);
  if (python.errors.length > 0) process.exit(1);
}

if (require.main === module) {
  main();
}

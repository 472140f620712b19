// `node -r ./build-tools/register-cached.js file.ts`: runs TypeScript as ts-node's transpile-only mode
// does (each file transpiled alone, with tsconfig.json's compiler options, no type check), but keeps
// each file's JavaScript in node_modules/.cache/register-cached/, keyed by the file's text, the
// tsconfig and the TypeScript version. Tests that spawn the CLI from src/ then pay for transpiling
// it once per change, not once per run (4 s of the spawn's 4.5 s on 2 CPUs).
//
// JavaScript, not TypeScript: it is what loads TypeScript. TypeScript itself is loaded only on a
// cache miss, since loading it costs half a second.
//
// A file with a syntax error is not run, nor cached: transpiling alone would turn it into JavaScript
// that fails, or runs, in ways that name the JavaScript, not the TypeScript. The error names the .ts
// file, line and column. REGISTER_CACHED_DIR puts the cache elsewhere (the tests of this file).
'use strict';
// The inline source maps name .ts lines in stack traces only with source maps on (Node does not read them by default).
process.setSourceMapsEnabled(true);
const crypto = require('crypto');
const fs = require('fs');
const path = require('path');

const root = path.join(__dirname, '..');
const cacheDir = process.env.REGISTER_CACHED_DIR || path.join(root, 'node_modules', '.cache', 'register-cached');
const tsconfigText = fs.readFileSync(path.join(root, 'tsconfig.json'), 'utf8');
const typescriptVersion = require('typescript/package.json').version;
// This file's own text is part of every key: a change to the options it sets below invalidates the cache.
const hookText = fs.readFileSync(__filename, 'utf8');

let compilerOptions;
function transpile(source, filename) {
  const ts = require('typescript');
  if (!compilerOptions) {
    const parsed = ts.parseConfigFileTextToJson('tsconfig.json', tsconfigText);
    const converted = ts.convertCompilerOptionsFromJson(parsed.config.compilerOptions, root);
    // CommonJS as Node runs it here; a source map inline, for stack traces that name .ts lines.
    compilerOptions = { ...converted.options, module: ts.ModuleKind.CommonJS, inlineSourceMap: true, inlineSources: false, declaration: false };
  }
  const output = ts.transpileModule(source, { fileName: filename, compilerOptions, reportDiagnostics: true });
  // The syntax errors: those with a file. (The others are about the options: transpiling one file outside
  // tsconfig.json's rootDir, say, which does not matter to a file transpiled alone.)
  const errors = output.diagnostics.filter((d) => d.file && d.category === ts.DiagnosticCategory.Error);
  if (errors.length > 0) {
    throw new SyntaxError(errors.map((d) => {
      const { line, character } = d.file.getLineAndCharacterOfPosition(d.start);
      return `${d.file.fileName}:${line + 1}:${character + 1}: error TS${d.code}: ${ts.flattenDiagnosticMessageText(d.messageText, '\n')}`;
    }).join('\n'));
  }
  return output.outputText;
}

require.extensions['.ts'] = (module, filename) => {
  const source = fs.readFileSync(filename, 'utf8');
  const key = crypto.createHash('sha256').update(`${typescriptVersion}\0${hookText}\0${tsconfigText}\0${filename}\0${source}`).digest('hex');
  const cached = path.join(cacheDir, `${key}.js`);
  let code;
  try {
    code = fs.readFileSync(cached, 'utf8');
  } catch {
    code = transpile(source, filename);
    // Written under a temporary name and renamed: two processes at once never read half a file. The cache is
    // only a speed-up: a cache that cannot be written (read-only, full) leaves the run as it is.
    const temporary = `${cached}.${process.pid}.tmp`;
    try {
      fs.mkdirSync(cacheDir, { recursive: true });
      fs.writeFileSync(temporary, code);
      fs.renameSync(temporary, cached);
    } catch {
      fs.rmSync(temporary, { force: true });
    }
  }
  module._compile(code, filename);
};

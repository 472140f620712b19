import * as fs from 'fs';
import * as path from 'path';
import { checkPython, describeLocation, hideTypeScriptOnlyBlocks, shadowAssembly } from '../../build-tools/check-snippets';

const root = path.join(__dirname, '..', '..');

describe('build-tools/check-snippets', () => {
  test('Python keywords used as names are escaped as the bindings name them; what is still invalid is reported', () => {
    // GIVEN jsii-rosetta's translations of `from:` (AllowFromProps.from), `LabelExpression.in()` and `change.from`
    const translations = [
      'AllowFrom(chart, "api-from-frontend",\n    from=[Peer.pods(frontend)],\n    ports=[Port.tcp(8080)]\n)\n',
      'Selector.of(expressions=[LabelExpression.in("track", ["stable"])])\n',
      'print(f"{change.from} -> {change.to}", change.from, {"from": 1})  # from=\n',
      'x = (\n',
    ];

    // WHEN
    const result = checkPython(translations);

    // THEN the bindings' names (from_, in_); strings, dict keys and comments untouched
    expect(result.sources[0]).toContain('    from_=[Peer.pods(frontend)],');
    expect(result.sources[1]).toBe('Selector.of(expressions=[LabelExpression.in_("track", ["stable"])])\n');
    expect(result.sources[2]).toBe('print(f"{change.from_} -> {change.to}", change.from_, {"from": 1})  # from=\n');
    expect(result.errors).toEqual([{ index: 3, message: "SyntaxError: '(' was never closed" }]);
  });

  test('an unescaped keyword is invalid Python (what jsii-rosetta alone gives)', () => {
    expect(checkPython(['f(from=1)\n']).errors).toEqual([]);
    expect(checkPython(['from = 1\n']).errors).toEqual([{ index: 0, message: 'SyntaxError: invalid syntax' }]);
  });

  test('the shadow assembly has one submodule README per docs page, TypeScript-only blocks hidden, no README or @example', () => {
    // GIVEN
    const assembly = {
      name: 'cdk8s-netpol',
      readme: { markdown: '# readme' },
      types: { 'cdk8s-netpol.Port': { fqn: 'cdk8s-netpol.Port', docs: { summary: 'A port.', example: 'Port.tcp(80)' } } },
    };
    const page = '# Page\n\n```ts ts-only\ntest("x", () => {});\n```\n\n```ts\nPort.tcp(80);\n```\n';

    // WHEN
    const shadow = shadowAssembly(assembly, { 'testing.md': page });

    // THEN
    expect(shadow.readme).toBeUndefined();
    expect(shadow.types['cdk8s-netpol.Port'].docs).toEqual({ summary: 'A port.' });
    expect(shadow.submodules['cdk8s-netpol.docs.testing'].readme.markdown)
      .toBe('# Page\n\n```text\ntest("x", () => {});\n```\n\n```ts\nPort.tcp(80);\n```\n');
    expect(hideTypeScriptOnlyBlocks(page).split('\n').length).toBe(page.split('\n').length);
  });

  test('errors name the page and line, or the type of the @example', () => {
    expect(describeLocation('cdk8s-netpol', { api: { api: 'moduleReadme', moduleFqn: 'cdk8s-netpol.docs.allow-dns' }, field: { field: 'markdown', line: 84 } }))
      .toBe('docs/allow-dns.md:84');
    expect(describeLocation('cdk8s-netpol', { api: { api: 'moduleReadme', moduleFqn: 'cdk8s-netpol' }, field: { field: 'markdown', line: 29 } }))
      .toBe('README.md:29');
    expect(describeLocation('cdk8s-netpol', { api: { api: 'member', fqn: 'cdk8s-netpol.Peer', memberName: 'podsInNamespace' }, field: { field: 'example' } }))
      .toBe('@example of Peer.podsInNamespace');
  });
});

describe('doc snippets', () => {
  const pages = ['README.md', ...fs.readdirSync(path.join(root, 'docs')).filter((f) => f.endsWith('.md')).map((f) => `docs/${f}`)];
  const blocks = pages.flatMap((page) => {
    const text = fs.readFileSync(path.join(root, page), 'utf8');
    return [...text.matchAll(/^```ts( [^\n]*)?\n([\s\S]*?)^```/gm)].map((m) => ({
      where: `${page}:${text.slice(0, m.index).split('\n').length}`,
      info: (m[1] ?? '').trim(),
      code: m[2],
    }));
  });

  test('a complete program (its own imports) is marked fixture=program or ts-only; a partial one uses a fixture or is ts-only', () => {
    expect(blocks.length).toBeGreaterThan(40);
    const wrong = blocks.filter((b) => {
      const complete = /^import /m.test(b.code);
      return complete
        ? !['fixture=program', 'ts-only'].includes(b.info)
        : !(b.info === '' || b.info === 'ts-only' || /^fixture=[\w-]+$/.test(b.info));
    }).map((b) => `${b.where} [${b.info}]`);
    expect(wrong).toEqual([]);
  });

  test('the README has no TypeScript-only block: it is the Python, Java, Go and .NET packages\' README too', () => {
    expect(blocks.filter((b) => b.where.startsWith('README.md:') && b.info === 'ts-only').map((b) => b.where)).toEqual([]);
  });
});

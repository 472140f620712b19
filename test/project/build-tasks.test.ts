import * as fs from 'fs';
import * as path from 'path';

const root = path.join(__dirname, '..', '..');
const tasks = JSON.parse(fs.readFileSync(path.join(root, '.projen/tasks.json'), 'utf8')).tasks;
const pkg = JSON.parse(fs.readFileSync(path.join(root, 'package.json'), 'utf8'));

/** The commands a task runs, its spawned tasks' included, in order. */
function commands(name: string): string[] {
  return (tasks[name].steps ?? []).flatMap((step: any) => {
    if (step.spawn) return commands(step.spawn);
    if (step.exec) return [step.exec];
    if (step.execArgs) return [step.execArgs.join(' ')];
    return [];
  });
}

describe('the build', () => {
  test('the jsii targets name the package for Python, Java, Go and .NET', () => {
    expect(pkg.jsii.targets).toEqual({
      python: { distName: 'cdk8s-netpol', module: 'cdk8s_netpol' },
      java: { package: 'io.github.cdk8s_netpol', maven: { groupId: 'io.github.cdk8s-netpol', artifactId: 'cdk8s-netpol' } },
      go: { moduleName: 'github.com/cdk8s-netpol/cdk8s-netpol-go', packageName: 'cdk8snetpol' },
      dotnet: { namespace: 'Cdk8sNetpol', packageId: 'Cdk8sNetpol' },
    });
  });

  test('build checks the doc snippets after compile and generates the other languages\' code, in CI too', () => {
    const build = commands('build');
    const compile = build.indexOf('jsii --silence-warnings=reserved-word');
    const snippets = build.indexOf('ts-node --transpile-only build-tools/check-snippets.ts');
    const code = build.findIndex((c) => c.startsWith('jsii-pacmak --code-only'));
    expect(compile).toBeGreaterThanOrEqual(0);
    expect(snippets).toBeGreaterThan(compile);
    expect(code).toBeGreaterThan(snippets);
    expect(build[code]).toBe('jsii-pacmak --code-only --outdir dist/code --target python --target java --target go --target dotnet');
    expect(build[code + 1]).toMatch(/^python3 -m py_compile dist\/code\/python\/src\/cdk8s_netpol\/__init__\.py /);
    // no step of package depends on CI being set or not
    expect(tasks.package.steps.every((s: any) => s.condition === undefined)).toBe(true);
  });

  test('nothing builds a package that needs PyPI, Maven, the Go proxy or NuGet, and nothing publishes', () => {
    const all = Object.keys(tasks).flatMap((name) => commands(name));
    const pacmak = all.filter((c) => c.startsWith('jsii-pacmak'));
    expect(pacmak.filter((c) => !c.includes('--code-only') && !c.endsWith('--target js'))).toEqual([]);
    expect(all.filter((c) => /publib|npm publish|twine|mvn deploy|dotnet nuget push/.test(c))).toEqual([]);
    expect(Object.keys(tasks).filter((name) => /^(release|publish|package:(python|java|go|dotnet))/.test(name))).toEqual([]);
  });

  test('the generated code and the snippet tablet are not committed', () => {
    const gitignore = fs.readFileSync(path.join(root, '.gitignore'), 'utf8').split('\n');
    expect(gitignore).toContain('/dist/');
    expect(gitignore).toContain('.jsii.tabl.json');
  });
});

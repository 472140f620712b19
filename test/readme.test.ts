import * as fs from 'fs';
import * as path from 'path';

const root = path.join(__dirname, '..');
const readme = fs.readFileSync(path.join(root, 'README.md'), 'utf8');

describe('README', () => {
  test('the example is examples/readme/main.ts, which is type-checked and linted', () => {
    const block = /## Example\n\n```ts fixture=program\n([\s\S]*?)```/.exec(readme);
    expect(block).not.toBeNull();
    const example = fs.readFileSync(path.join(root, 'examples/readme/main.ts'), 'utf8')
      .split('\n').slice(1).join('\n') // the first line is a comment about this test
      .replace("from '../../src'", "from 'cdk8s-netpol'");
    expect(block![1]).toBe(example);
  });

  test('.ci/run runs the README test command, which runs the tests', () => {
    const marker = /<!-- test-command -->\n```sh\n(.*)\n```/.exec(readme);
    expect(marker?.[1]).toBe('npm ci && npx projen test');
    expect(fs.readFileSync(path.join(root, '.ci/run'), 'utf8')).toMatch(/<!-- test-command -->/);
  });

  test('the README states no expectation count for the graph example: the graph decides it, and it changes with it', () => {
    const start = readme.indexOf('Then it does the same for `examples/production-cluster-graph/`');
    const end = readme.indexOf('Then `examples/production-cluster-cilium/`');
    expect(start).toBeGreaterThan(0);
    expect(end).toBeGreaterThan(start);
    expect(readme.slice(start, end)).not.toMatch(/\d+ (passed|expectations)/);
  });

  test('the main command is the example task', () => {
    expect(readme).toMatch(/```sh\nnpm ci && npx projen example\n```/);
    const tasks = JSON.parse(fs.readFileSync(path.join(root, '.projen/tasks.json'), 'utf8')).tasks;
    expect(tasks.example.steps[0].exec).toMatch(/examples\/production-cluster\/main\.ts$/);
  });
});

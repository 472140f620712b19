/**
 * YAML we cannot read exactly is bad input: a tag outside the core schema must
 * never turn a selector into something else (`!!omap` read as `{}` selects
 * every pod).
 */
import * as fs from 'fs';
import * as path from 'path';
import { Analyzer } from '../../src/analysis/analyzer';
import { dedent, expectBadInput, run, useWorkspace } from '../cli/cli-harness';
import { inputError } from '../support/input-error';

const workspace = useWorkspace();
let counter = 0;

/** Two pods in shop, and a policy letting only `app: admin` pods reach the db; `matchLabels` is written by the test. */
function manifests(matchLabels: string): string {
  return dedent(`
    apiVersion: v1
    kind: Pod
    metadata: { name: web, namespace: shop, labels: { app: web } }
    spec: { containers: [{ name: c, image: c }] }
    ---
    apiVersion: v1
    kind: Pod
    metadata: { name: db, namespace: shop, labels: { app: db } }
    spec: { containers: [{ name: c, image: c, ports: [{ containerPort: 5432 }] }] }
    ---
    apiVersion: networking.k8s.io/v1
    kind: NetworkPolicy
    metadata: { name: db-from-admin, namespace: shop }
    spec:
      podSelector: { matchLabels: { app: db } }
      ingress:
        - from:
            - podSelector:
                matchLabels: ${matchLabels}
  `);
}

function write(text: string): string {
  return workspace.write(`case-${++counter}/manifests.yaml`, text);
}

describe('tags outside the YAML core schema are errors naming the file and line', () => {
  test.each([
    ['!!omap [app: admin]', 'tag:yaml.org,2002:omap'],
    ['!!set {app}', 'tag:yaml.org,2002:set'],
    ['!!pairs [app: admin]', 'tag:yaml.org,2002:pairs'],
    ['{ app: !!timestamp 2001-12-14 }', 'tag:yaml.org,2002:timestamp'],
    ['{ app: !!binary YWRtaW4= }', 'tag:yaml.org,2002:binary'],
    ['!custom { app: admin }', '!custom'],
  ])('matchLabels: %s', (labels, tag) => {
    const file = write(manifests(labels));
    expect(inputError(() => Analyzer.fromFiles([file])).message).toBe(
      `Cannot parse ${file}:19:${labels.startsWith('{') ? 33 : 26}: Unresolved tag: ${tag} ` +
      '(only the tags of the YAML core schema are read, as Kubernetes reads them: remove the tag, or quote the value).',
    );
  });

  test('explain does not say ALLOWED through a widened selector', () => {
    const file = write(manifests('!!omap [app: admin]'));
    expectBadInput(run('explain', file, '--from', 'shop/web', '--to', 'shop/db', '--port', '5432'), 'Unresolved tag: tag:yaml.org,2002:omap');
  });

  test('in an expectations file too', () => {
    const file = write(manifests('{ app: admin }'));
    const expectations = path.join(path.dirname(file), 'expect.yaml');
    fs.writeFileSync(expectations, 'expectations:\n  - { from: shop/web, to: shop/db, port: !!timestamp 2001-12-14, allowed: false }\n');
    expectBadInput(run('verify', file, '--expect', expectations), `Cannot parse the expectations file ${expectations}:2:42: Unresolved tag: tag:yaml.org,2002:timestamp`);
  });

  test('the core tags still read as Kubernetes reads them, and merge keys are expanded', () => {
    const file = write(manifests('!!map { app: !!str web }')
      .replace('labels: { app: db }', 'annotations: &base { app: web }, labels: { <<: *base, role: db }').replace('podSelector: { matchLabels: { app: db } }', 'podSelector: { matchLabels: { role: db } }'));
    const analyzer = Analyzer.fromFiles([file]);
    expect(analyzer.endpoints.map((e) => e.labels)).toEqual([{ app: 'web' }, { app: 'web', role: 'db' }]);
    expect(analyzer.isAllowed({ from: 'shop/web', to: 'shop/db', port: 5432 })).toBe(true);
  });
});

describe('plain values Kubernetes reads otherwise (YAML 1.1) are errors', () => {
  test.each([
    ['{ enabled: yes }', 37, '"yes" is a boolean to Kubernetes (YAML 1.1) but a string in YAML 1.2: write true or false, or quote it'],
    ['{ on: web }', 28, '"on" is a boolean to Kubernetes (YAML 1.1) but a string in YAML 1.2: write true or false, or quote it'],
    ['{ app: 010 }', 33, '"010" is an octal number to Kubernetes (YAML 1.1) but decimal in YAML 1.2: write it without the leading zero (or with 0o), or quote it'],
    ['{ app: 1_000 }', 33, '"1_000" is a number to Kubernetes (YAML 1.1) but a string in YAML 1.2: write it in decimal without "_", or quote it'],
  ])('matchLabels: %s', (labels, column, message) => {
    const file = write(manifests(labels));
    expect(inputError(() => Analyzer.fromFiles([file])).message).toBe(`Cannot parse ${file}:19:${column}: ${message}.`);
  });

  test('a port written 0100 is not read as 100', () => {
    const file = write(`${manifests('{ app: web }')}      ports: [{ port: 0100 }]\n`);
    expect(inputError(() => Analyzer.fromFiles([file])).message).toContain(':20:23: "0100" is an octal number to Kubernetes (YAML 1.1)');
  });

  test('quoted, or written unambiguously, they read as intended', () => {
    const file = write(`${manifests('{ enabled: "yes", app: "010" }')}      ports: [{ port: 0o17 }, { port: 0x50 }, { port: 0 }]\n`.replace('{ port: 0 }', '{ port: 443 }'));
    expect(Analyzer.fromFiles([file]).policies).toEqual(['shop/db-from-admin']);
  });
});

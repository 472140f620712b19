import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { runCli } from '../../src/cli/cli';
import { expectGolden } from '../support/golden';

/** The repository root (for the example app and the spawned binary). */
export const ROOT = path.join(__dirname, '..', '..');

/** What one in-process run of the CLI produced. */
export interface CliRun {
  readonly status: number;
  readonly stdout: string;
  readonly stderr: string;
}

/** Runs `cdk8s-netpol <argv...>` in-process, capturing both streams. */
export function run(...argv: string[]): CliRun {
  let stdout = '';
  let stderr = '';
  const status = runCli(argv, {
    stdout: (text) => { stdout += text; },
    stderr: (text) => { stderr += text; },
  });
  return { status, stdout, stderr };
}

/** A line of a JavaScript stack trace, as printed by Node. */
export const STACK_LINE = /^\s+at /m;

/**
 * Asserts the contract for bad input: exit status 2, nothing on stdout, and a
 * single paragraph on stderr (no blank line, no stack trace) that matches every
 * pattern.
 */
export function expectBadInput(result: CliRun, ...patterns: Array<string | RegExp>): void {
  expect({ status: result.status, stdout: result.stdout }).toEqual({ status: 2, stdout: '' });
  expect(result.stderr).not.toMatch(STACK_LINE);
  expect(result.stderr.trimEnd()).not.toMatch(/\n\s*\n/);
  expect(result.stderr.endsWith('\n')).toBe(true);
  for (const pattern of patterns) {
    if (typeof pattern === 'string') {
      expect(result.stderr).toContain(pattern);
    } else {
      expect(result.stderr).toMatch(pattern);
    }
  }
}

/**
 * Removes the common indentation of a template literal and its first newline,
 * so fixtures read naturally in the test and their line numbers are easy to count
 * (line 1 is the line after the opening backtick).
 */
export function dedent(text: string): string {
  const lines = text.replace(/^\n/, '').replace(/\n[ \t]*$/, '\n').split('\n');
  const indent = Math.min(...lines.filter((l) => l.trim() !== '').map((l) => /^ */.exec(l)![0].length));
  return lines.map((l) => l.slice(indent)).join('\n');
}

/** A temporary folder for fixtures, removed after the test file's tests. */
export class Workspace {
  public readonly dir: string;

  constructor() {
    this.dir = fs.mkdtempSync(path.join(os.tmpdir(), 'cdk8s-netpol-cli-'));
  }

  /** Writes a file (creating its folders) and returns its absolute path. */
  public write(relative: string, text: string): string {
    const file = this.path(relative);
    fs.mkdirSync(path.dirname(file), { recursive: true });
    fs.writeFileSync(file, text);
    return file;
  }

  /** The absolute path of a file or folder in the workspace. */
  public path(relative: string): string {
    return path.join(this.dir, relative);
  }

  /** Writes the entries as an expectations file, one flow mapping a line: entry i is on line i + 2. */
  public expectations(relative: string, entries: ReadonlyArray<Record<string, unknown>>): string {
    const text = entries.length === 0
      ? 'expectations: []\n'
      : `expectations:\n${entries.map((e) => `  - ${JSON.stringify(e)}\n`).join('')}`;
    return this.write(relative, text);
  }

  public remove(): void {
    fs.rmSync(this.dir, { recursive: true, force: true });
  }
}

/** A workspace created before a test file's tests and removed after them. */
export function useWorkspace(): Workspace {
  const workspace = new Workspace();
  afterAll(() => workspace.remove());
  return workspace;
}

/**
 * A small two-namespace cluster:
 *
 *   shop/web (Deployment) -> shop/api (Deployment) :8080 -> data/db (Pod) :5432
 *   shop/web -> the internet on 443, except 10.0.0.0/8
 *
 * Every shop pod is isolated both ways by shop/default-deny; data/db only for ingress.
 * The files cover every way of writing manifests: multi-document YAML, `kind: List`,
 * a typed PodList whose items carry no kind, JSON, and *.yml.
 */
export const SHOP_FILES: Readonly<Record<string, string>> = {
  'namespaces.yaml': dedent(`
    apiVersion: v1
    kind: Namespace
    metadata:
      name: shop
    ---
    apiVersion: v1
    kind: Namespace
    metadata:
      name: data
  `),
  'apps/shop.yaml': dedent(`
    apiVersion: apps/v1
    kind: Deployment
    metadata: { name: web, namespace: shop }
    spec:
      selector: { matchLabels: { app: web } }
      template:
        metadata: { labels: { app: web } }
        spec:
          containers:
            - { name: web, image: web, ports: [{ name: http, containerPort: 8080 }] }
    ---
    apiVersion: apps/v1
    kind: Deployment
    metadata: { name: api, namespace: shop }
    spec:
      selector: { matchLabels: { app: api } }
      template:
        metadata: { labels: { app: api } }
        spec:
          containers:
            - { name: api, image: api, ports: [{ name: http, containerPort: 8080 }] }
  `),
  'apps/data/pods.yml': dedent(`
    apiVersion: v1
    kind: PodList
    items:
      - metadata: { name: db, namespace: data, labels: { app: db } }
        spec:
          containers:
            - { name: db, image: postgres, ports: [{ name: postgres, containerPort: 5432 }] }
  `),
  'policies/shop.yaml': dedent(`
    apiVersion: v1
    kind: List
    items:
      - apiVersion: networking.k8s.io/v1
        kind: NetworkPolicy
        metadata: { name: default-deny, namespace: shop }
        spec: { podSelector: {}, policyTypes: [Ingress, Egress] }
      - apiVersion: networking.k8s.io/v1
        kind: NetworkPolicy
        metadata: { name: web-egress, namespace: shop }
        spec:
          podSelector: { matchLabels: { app: web } }
          policyTypes: [Egress]
          egress:
            - to: [{ podSelector: { matchLabels: { app: api } } }]
              ports: [{ port: 8080 }]
            - to: [{ ipBlock: { cidr: 0.0.0.0/0, except: [10.0.0.0/8] } }]
              ports: [{ port: 443 }]
      - apiVersion: networking.k8s.io/v1
        kind: NetworkPolicy
        metadata: { name: api-from-web, namespace: shop }
        spec:
          podSelector: { matchLabels: { app: api } }
          ingress:
            - from: [{ podSelector: { matchLabels: { app: web } } }]
              ports: [{ port: http }]
      - apiVersion: networking.k8s.io/v1
        kind: NetworkPolicy
        metadata: { name: api-to-db, namespace: shop }
        spec:
          podSelector: { matchLabels: { app: api } }
          policyTypes: [Egress]
          egress:
            - to:
                - namespaceSelector: { matchLabels: { kubernetes.io/metadata.name: data } }
                  podSelector: { matchLabels: { app: db } }
              ports: [{ port: 5432 }]
  `),
  'policies/data.json': `${JSON.stringify({
    apiVersion: 'networking.k8s.io/v1',
    kind: 'NetworkPolicy',
    metadata: { name: 'db-from-api', namespace: 'data' },
    spec: {
      podSelector: { matchLabels: { app: 'db' } },
      ingress: [{
        from: [{ namespaceSelector: { matchLabels: { 'kubernetes.io/metadata.name': 'shop' } }, podSelector: { matchLabels: { app: 'api' } } }],
        ports: [{ port: 'postgres' }],
      }],
    },
  }, undefined, 2)}\n`,
  // Not manifests: a folder is read for *.yaml, *.yml and *.json only. Both would fail to parse.
  'README.md': 'kind: [this is not YAML\n',
  'apps/notes.txt': '{ "not": json\n',
};

/** Writes the shop cluster under `relative` in the workspace and returns the folder. */
export function writeShop(workspace: Workspace, relative: string): string {
  return writeFiles(workspace, relative, SHOP_FILES);
}

/** Writes `files` (a path under the folder to its text) under `relative` in the workspace and returns the folder. */
export function writeFiles(workspace: Workspace, relative: string, files: Record<string, string>): string {
  for (const [file, text] of Object.entries(files)) {
    workspace.write(path.join(relative, file), text);
  }
  return workspace.path(relative);
}

/** A Pod and a Deployment both named shop/cache; only the Pod is isolated (ingress). */
export const AMBIGUOUS_CACHE = dedent(`
  apiVersion: v1
  kind: Pod
  metadata: { name: cache, namespace: shop, labels: { app: cache-pod } }
  spec:
    containers: [{ name: c, image: redis, ports: [{ containerPort: 6379 }] }]
  ---
  apiVersion: apps/v1
  kind: Deployment
  metadata: { name: cache, namespace: shop }
  spec:
    template:
      metadata: { labels: { app: cache-deployment } }
      spec:
        containers: [{ name: c, image: redis, ports: [{ containerPort: 6379 }] }]
  ---
  apiVersion: networking.k8s.io/v1
  kind: NetworkPolicy
  metadata: { name: only-the-pod, namespace: shop }
  spec:
    podSelector: { matchLabels: { app: cache-pod } }
    ingress: []
`);

/** The formats of a report command with the extension of their golden file; the first is the default. */
export const REPORT_FORMATS: ReadonlyArray<readonly [string, string]> = [['text', 'txt'], ['markdown', 'md'], ['csv', 'csv'], ['json', 'json']];

/**
 * One test per format: `runWith('--format', format)` exits 0, prints nothing on
 * stderr, and prints the golden file `<golden>.<extension>`.
 */
export function testFormatsAgainstGolden(golden: string, runWith: (...argv: string[]) => CliRun, title = '--format %s'): void {
  test.each(REPORT_FORMATS.map(([format, extension]) => [format, extension]))(title, (format, extension) => {
    const result = runWith('--format', format);
    expect({ status: result.status, stderr: result.stderr }).toEqual({ status: 0, stderr: '' });
    expectGolden(`${golden}.${extension}`, result.stdout);
  });
}

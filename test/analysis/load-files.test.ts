/**
 * Analyzer.fromFiles: reading YAML and JSON manifests from files and folders,
 * and reporting unreadable or invalid input with the file and line.
 */
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { Analyzer } from '../../src/analysis/analyzer';
import { inputError } from '../support/input-error';

let root: string;
let counter = 0;

beforeAll(() => {
  root = fs.mkdtempSync(path.join(os.tmpdir(), 'netpol-load-files-'));
});

afterAll(() => {
  fs.rmSync(root, { recursive: true, force: true });
});

/** A fresh folder holding the given files (relative paths, sub-folders created). */
function folder(files: Record<string, string>): string {
  const dir = path.join(root, `case-${++counter}`);
  fs.mkdirSync(dir, { recursive: true });
  for (const [name, text] of Object.entries(files)) {
    const target = path.join(dir, name);
    fs.mkdirSync(path.dirname(target), { recursive: true });
    fs.writeFileSync(target, text);
  }
  return dir;
}

/** One file with the given text, in a fresh folder. */
function file(name: string, text: string): string {
  return path.join(folder({ [name]: text }), name);
}

/** Lines joined with newlines (and a final newline), so line numbers are easy to read off. */
function lines(...text: string[]): string {
  return text.join('\n') + '\n';
}


function podYaml(name: string, ns = 'shop', app = name): string {
  return lines('apiVersion: v1', 'kind: Pod', 'metadata:', `  name: ${name}`, `  namespace: ${ns}`, '  labels:', `    app: ${app}`, 'spec:', '  containers:', '    - name: main', '      image: example');
}

describe('YAML files', () => {
  test('several documents in one file', () => {
    const f = file('all.yaml', lines(
      'apiVersion: v1',
      'kind: Namespace',
      'metadata:',
      '  name: ops',
      '  labels:',
      '    team: ops',
      '---',
      podYaml('api').trimEnd(),
      '---',
      podYaml('tool', 'ops').trimEnd(),
      '---',
      'apiVersion: networking.k8s.io/v1',
      'kind: NetworkPolicy',
      'metadata:',
      '  name: api-from-ops',
      '  namespace: shop',
      'spec:',
      '  podSelector:',
      '    matchLabels:',
      '      app: api',
      '  ingress:',
      '    - from:',
      '        - namespaceSelector:',
      '            matchLabels:',
      '              team: ops',
    ));
    const a = Analyzer.fromFiles([f]);
    expect(a.endpoints.map((e) => e.name)).toEqual(['shop/api', 'ops/tool']);
    expect(a.policies).toEqual(['shop/api-from-ops']);
    expect(a.namespaces.sort()).toEqual(['ops', 'shop']);
    // the Namespace document was read: its label selects ops
    expect(a.isAllowed({ from: 'ops/tool', to: 'shop/api', port: 80 })).toBe(true);
  });

  test('empty documents, comments and document-end markers are skipped without warnings', () => {
    const f = file('sparse.yaml', lines('---', '---', '# only a comment', '---', podYaml('api').trimEnd(), '...', '---', '', '---'));
    const a = Analyzer.fromFiles([f]);
    expect(a.endpoints.map((e) => e.name)).toEqual(['shop/api']);
    expect(a.warnings).toEqual([]);
  });

  test('an empty file holds no objects', () => {
    const a = Analyzer.fromFiles([file('empty.yaml', '')]);
    expect(a.endpoints).toEqual([]);
    expect(a.policies).toEqual([]);
    expect(a.warnings).toEqual([]);
  });

  test('kind: List is flattened, also when nested', () => {
    const f = file('list.yaml', lines(
      'apiVersion: v1',
      'kind: List',
      'items:',
      '  - apiVersion: v1',
      '    kind: Pod',
      '    metadata: {name: api, namespace: shop, labels: {app: api}}',
      '  - apiVersion: v1',
      '    kind: List',
      '    items:',
      '      - apiVersion: apps/v1',
      '        kind: Deployment',
      '        metadata: {name: web, namespace: shop}',
      '        spec:',
      '          template:',
      '            metadata: {labels: {app: web}}',
      '  - apiVersion: networking.k8s.io/v1',
      '    kind: NetworkPolicy',
      '    metadata: {name: deny, namespace: shop}',
      '    spec: {podSelector: {}, policyTypes: [Ingress]}',
    ));
    const a = Analyzer.fromFiles([f]);
    expect(a.endpoints.map((e) => e.id)).toEqual(['shop/pod/api', 'shop/deployment/web']);
    expect(a.policies).toEqual(['shop/deny']);
    expect(a.isAllowed({ from: 'shop/web', to: 'shop/api', port: 80 })).toBe(false);
  });

  test('typed lists: items without kind and apiVersion take them from the list', () => {
    const dir = folder({
      'namespaces.yaml': lines(
        'apiVersion: v1',
        'kind: NamespaceList',
        'items:',
        '  - metadata:',
        '      name: ops',
        '      labels: {team: ops}',
        '  - metadata:',
        '      name: shop',
      ),
      'pods.yaml': lines(
        'apiVersion: v1',
        'kind: PodList',
        'items:',
        '  - metadata: {name: api, namespace: shop, labels: {app: api}}',
        '    spec: {containers: [{name: main, image: x, ports: [{name: http, containerPort: 8080}]}]}',
        '  - metadata: {name: tool, namespace: ops, labels: {app: tool}}',
        '    spec: {containers: [{name: main, image: x}]}',
      ),
      'policies.yaml': lines(
        'apiVersion: networking.k8s.io/v1',
        'kind: NetworkPolicyList',
        'items:',
        '  - metadata: {name: api, namespace: shop}',
        '    spec:',
        '      podSelector: {matchLabels: {app: api}}',
        '      ingress:',
        '        - from: [{namespaceSelector: {matchLabels: {team: ops}}}]',
        '          ports: [{port: http}]',
      ),
    });
    const a = Analyzer.fromFiles([dir]);
    expect(a.endpoints.map((e) => ({ id: e.id, kind: e.kind }))).toEqual([
      { id: 'shop/pod/api', kind: 'Pod' },
      { id: 'ops/pod/tool', kind: 'Pod' },
    ]);
    expect(a.policies).toEqual(['shop/api']);
    expect(a.warnings).toEqual([]);
    // the NamespaceList gave ops its label, the NetworkPolicyList was analyzed, the PodList gave the named port
    expect(a.isAllowed({ from: 'ops/tool', to: 'shop/api', port: 8080 })).toBe(true);
    expect(a.isAllowed({ from: 'ops/tool', to: 'shop/api', port: 8081 })).toBe(false);
  });
});

describe('JSON files', () => {
  test('a single object and a typed list', () => {
    const dir = folder({
      'pod.json': JSON.stringify({ apiVersion: 'v1', kind: 'Pod', metadata: { name: 'api', namespace: 'shop', labels: { app: 'api' } } }, null, 2),
      'pods.json': JSON.stringify({ apiVersion: 'v1', kind: 'PodList', items: [{ metadata: { name: 'web', namespace: 'shop', labels: { app: 'web' } } }] }, null, 2),
      'policy.json': JSON.stringify({
        apiVersion: 'networking.k8s.io/v1',
        kind: 'NetworkPolicy',
        metadata: { name: 'api', namespace: 'shop' },
        spec: { podSelector: { matchLabels: { app: 'api' } }, ingress: [{ from: [{ podSelector: { matchLabels: { app: 'web' } } }], ports: [{ port: 8080 }] }] },
      }),
    });
    const a = Analyzer.fromFiles([dir]);
    expect(a.endpoints.map((e) => e.name)).toEqual(['shop/api', 'shop/web']);
    expect(a.policies).toEqual(['shop/api']);
    expect(a.isAllowed({ from: 'shop/web', to: 'shop/api', port: 8080 })).toBe(true);
    expect(a.isAllowed({ from: 'shop/web', to: 'shop/api', port: 80 })).toBe(false);
  });

  test('an invalid field in JSON is reported with its line', () => {
    const f = file('bad.json', lines(
      '{',
      '  "apiVersion": "v1",',
      '  "kind": "Pod",',
      '  "metadata": {"name": "api", "namespace": "shop"},',
      '  "spec": {"containers": [{"name": "main", "ports": [{"containerPort": 0}]}]}',
      '}',
    ));
    expect(inputError(() => Analyzer.fromFiles([f])).message).toBe(
      `Invalid manifests (1 problem):\n${f}:5: Pod shop/api: spec.containers[0].ports[0].containerPort: 0: containerPort must be a whole number from 1 to 65535.`,
    );
  });
});

describe('folders and paths', () => {
  test('folders are read recursively, in a stable order, for *.yaml, *.yml and *.json only', () => {
    const dir = folder({
      'a.yaml': podYaml('a'),
      'd.YAML': podYaml('d'),
      'sub/b.yml': podYaml('b'),
      'sub/deeper/c.json': JSON.stringify({ apiVersion: 'v1', kind: 'Pod', metadata: { name: 'c', namespace: 'shop' } }),
      // not manifests by their extension, though their content would parse as Pods
      'README.md': podYaml('readme'),
      'notes.txt': podYaml('txt'),
      'e.yaml.bak': podYaml('bak'),
      'sub/kustomization.yaml.orig': podYaml('orig'),
    });
    const a = Analyzer.fromFiles([dir]);
    expect(a.endpoints.map((e) => e.name)).toEqual(['shop/a', 'shop/d', 'shop/b', 'shop/c']);
  });

  test('a file given explicitly is read whatever its extension', () => {
    const dir = folder({ 'notes.txt': podYaml('txt'), 'x.yaml': podYaml('x') });
    const a = Analyzer.fromFiles([path.join(dir, 'notes.txt'), path.join(dir, 'x.yaml')]);
    expect(a.endpoints.map((e) => e.name)).toEqual(['shop/txt', 'shop/x']);
  });

  test('files and folders together', () => {
    const one = file('one.yaml', podYaml('one'));
    const dir = folder({ 'two.yaml': podYaml('two'), 'three/three.yml': podYaml('three') });
    expect(Analyzer.fromFiles([one, dir]).endpoints.map((e) => e.name)).toEqual(['shop/one', 'shop/three', 'shop/two']);
  });

  test('a path that does not exist', () => {
    const missing = path.join(root, 'no-such-folder', 'netpol.yaml');
    expect(inputError(() => Analyzer.fromFiles([missing])).message).toBe(`Cannot read "${missing}": no such file or folder.`);
  });

  test('an empty folder, and a folder without manifests', () => {
    const empty = folder({});
    expect(inputError(() => Analyzer.fromFiles([empty])).message).toBe(`The folder "${empty}" holds no *.yaml, *.yml or *.json files.`);
    const docs = folder({ 'README.md': '# hello\n', 'sub/notes.txt': 'x\n' });
    expect(inputError(() => Analyzer.fromFiles([docs])).message).toBe(`The folder "${docs}" holds no *.yaml, *.yml or *.json files.`);
  });

  test('no paths at all', () => {
    expect(inputError(() => Analyzer.fromFiles([])).message).toBe('No manifest paths given: pass files or folders of YAML or JSON manifests.');
  });
});

describe('unparseable files', () => {
  test('a YAML syntax error names the file, line and column', () => {
    const f = file('bad.yaml', lines('apiVersion: v1', 'kind: Pod', 'metadata:', '  name: web', '  labels: app: web'));
    expect(inputError(() => Analyzer.fromFiles([f])).message).toMatch(
      new RegExp(`^Cannot parse ${escape(f)}:5:11: Nested mappings are not allowed in compact mappings`),
    );
  });

  test('the line is counted from the start of the file, not of the document', () => {
    const f = file('second.yaml', lines(podYaml('web').trimEnd(), '---', 'apiVersion: v1', 'kind: Pod', 'metadata:', '\tname: api'));
    // podYaml is 11 lines, then "---" (12), apiVersion (13), kind (14), metadata (15), the tab-indented line (16)
    expect(inputError(() => Analyzer.fromFiles([f])).message).toMatch(new RegExp(`^Cannot parse ${escape(f)}:16:1: Tabs are not allowed as indentation`));
  });

  test('a JSON syntax error', () => {
    const f = file('bad.json', lines('{', '  "kind": "Pod",', '  "metadata": {"name": "web"', '}'));
    expect(inputError(() => Analyzer.fromFiles([f])).message).toMatch(new RegExp(`^Cannot parse ${escape(f)}:\\d+:\\d+: Flow map must end with a }`));
  });

  test('duplicate keys are an error (the API server would reject them too)', () => {
    const f = file('dup.yaml', lines('apiVersion: v1', 'kind: Pod', 'metadata:', '  name: web', '  name: api'));
    expect(inputError(() => Analyzer.fromFiles([f])).message).toMatch(new RegExp(`^Cannot parse ${escape(f)}:5:3: Map keys must be unique`));
  });

  test('a document that is a scalar or a list, with its line', () => {
    const scalar = file('scalar.yaml', lines(podYaml('web').trimEnd(), '---', 'just a string'));
    expect(inputError(() => Analyzer.fromFiles([scalar])).message).toBe(
      `${scalar}:13: a manifest document must be a Kubernetes object (a mapping with kind and metadata), not the string "just a string".`,
    );
    const number = file('number.yaml', lines('---', '42'));
    expect(inputError(() => Analyzer.fromFiles([number])).message).toBe(
      `${number}:2: a manifest document must be a Kubernetes object (a mapping with kind and metadata), not the number 42.`,
    );
    const list = file('list.yaml', lines('- apiVersion: v1', '  kind: Pod'));
    expect(inputError(() => Analyzer.fromFiles([list])).message).toBe(
      `${list}:1: a manifest document must be a Kubernetes object (a mapping with kind and metadata), not a list.`,
    );
  });

  test('an alias without its anchor is an input error naming the file and line', () => {
    // anchors do not carry over from one document to the next
    const f = file('alias.yaml', lines('kind: Pod', 'metadata: &meta', '  name: web', '---', 'kind: Pod', 'metadata: *meta'));
    const message = inputError(() => Analyzer.fromFiles([f])).message;
    // the line of the alias (6) or of its document (5)
    expect(message).toMatch(new RegExp(`${escape(f)}:[56]\\b`));
    expect(message).toMatch(/alias/i);
  });

  test('an alias bomb is an input error naming the file', () => {
    const levels = ['a: &a [x, x, x, x, x, x, x, x, x, x]'];
    for (let i = 1; i < 9; i++) {
      const name = String.fromCharCode(97 + i);
      const previous = String.fromCharCode(96 + i);
      levels.push(`${name}: &${name} [${Array(10).fill(`*${previous}`).join(', ')}]`);
    }
    const f = file('bomb.yaml', lines(...levels, 'kind: Pod', 'metadata: {name: web}'));
    const message = inputError(() => Analyzer.fromFiles([f])).message;
    expect(message).toContain(f);
  });
});

describe('invalid objects are reported with file:line', () => {
  test('CRLF line endings (Windows editors) load, and lines are counted the same', () => {
    const f = file('pod.yaml', lines(
      'apiVersion: v1',
      'kind: Pod',
      'metadata:',
      '  name: web',
      '  labels:',
      '    enabled: true',
    ).replace(/\n/g, '\r\n'));
    expect(inputError(() => Analyzer.fromFiles([f])).message).toBe(
      `Invalid manifests (1 problem):\n${f}:6: Pod web: metadata.labels.enabled: true: a label value must be a string (quote it: "true").`,
    );
    expect(Analyzer.fromFiles([file('ok.yaml', podYaml('web').replace(/\n/g, '\r\n'))]).endpoints[0].labels).toEqual({ app: 'web' });
  });

  test('a bad container port, at the line of the field', () => {
    const f = file('pod.yaml', lines(
      'apiVersion: v1',
      'kind: Pod',
      'metadata:',
      '  name: web',
      '  namespace: shop',
      'spec:',
      '  containers:',
      '    - name: main',
      '      image: example',
      '      ports:',
      '        - containerPort: http',
    ));
    expect(inputError(() => Analyzer.fromFiles([f])).message).toBe(
      `Invalid manifests (1 problem):\n${f}:11: Pod shop/web: spec.containers[0].ports[0].containerPort: "http": containerPort must be a whole number from 1 to 65535.`,
    );
  });

  test('an unquoted boolean label value', () => {
    const f = file('pod.yaml', lines('apiVersion: v1', 'kind: Pod', 'metadata:', '  name: web', '  labels:', '    enabled: true'));
    expect(inputError(() => Analyzer.fromFiles([f])).message).toBe(
      `Invalid manifests (1 problem):\n${f}:6: Pod web: metadata.labels.enabled: true: a label value must be a string (quote it: "true").`,
    );
  });

  test('a workload template label, at its line', () => {
    const f = file('deploy.yaml', lines(
      podYaml('ok').trimEnd(),
      '---',
      'apiVersion: apps/v1',
      'kind: Deployment',
      'metadata:',
      '  name: web',
      '  namespace: shop',
      'spec:',
      '  template:',
      '    metadata:',
      '      labels:',
      '        app: "web server"',
    ));
    expect(inputError(() => Analyzer.fromFiles([f])).message).toMatch(
      new RegExp(`^Invalid manifests \\(1 problem\\):\\n${escape(f)}:22: Deployment shop/web: spec\\.template\\.metadata\\.labels\\.app: "web server": invalid label value: `),
    );
  });

  test('an invalid Namespace name', () => {
    const f = file('ns.yaml', lines('apiVersion: v1', 'kind: Namespace', 'metadata:', '  name: Team_A'));
    expect(inputError(() => Analyzer.fromFiles([f])).message).toMatch(
      new RegExp(`^Invalid manifests \\(1 problem\\):\\n${escape(f)}:4: Namespace Team_A: metadata\\.name: "Team_A": the namespace name must be a DNS-1123 label`),
    );
  });

  test('an item of a typed list, at the line of its field', () => {
    const f = file('pods.yaml', lines(
      'apiVersion: v1',
      'kind: PodList',
      'items:',
      '  - metadata: {name: ok, namespace: shop}',
      '  - metadata:',
      '      name: bad',
      '      namespace: shop',
      '    spec:',
      '      containers:',
      '        - name: main',
      '          ports:',
      '            - containerPort: 80',
      '              protocol: tcp',
    ));
    expect(inputError(() => Analyzer.fromFiles([f])).message).toBe(
      `Invalid manifests (1 problem):\n${f}:13: Pod shop/bad: spec.containers[0].ports[0].protocol: "tcp": the protocol must be TCP, UDP or SCTP.`,
    );
  });

  test('problems in several files are all reported', () => {
    const dir = folder({
      'a.yaml': lines('apiVersion: v1', 'kind: Pod', 'metadata:', '  name: a', '  labels:', '    enabled: true'),
      'b.yaml': lines('apiVersion: v1', 'kind: Namespace', 'metadata:', '  name: Bad'),
    });
    const message = inputError(() => Analyzer.fromFiles([dir])).message;
    expect(message).toMatch(/^Invalid manifests \(2 problems\):\n/);
    expect(message).toContain(`${path.join(dir, 'a.yaml')}:6: Pod a: metadata.labels.enabled`);
    expect(message).toContain(`${path.join(dir, 'b.yaml')}:4: Namespace Bad: metadata.name`);
  });

  test('the same object in two files: both places are named', () => {
    const dir = folder({ 'a.yaml': podYaml('web'), 'b.yaml': lines('# a copy', podYaml('web').trimEnd()) });
    expect(inputError(() => Analyzer.fromFiles([dir])).message).toBe(
      `Invalid manifests (1 problem):\n${path.join(dir, 'b.yaml')}:2: Pod shop/web is defined twice (also at ${path.join(dir, 'a.yaml')}:1); remove one of them.`,
    );
  });
});

function escape(text: string): string {
  return text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}

/**
 * User text reaches the output escaped for its medium: the terminal (no forged
 * lines, no escape sequences), Markdown PR comments, Mermaid and DOT graphs,
 * and CSV. The renderers are also checked with names the API server would not
 * accept, since file paths, kinds and acknowledgement reasons carry anything.
 */
import { ConnectionSet, Protocol } from '../../src';
import { ReachabilityTable } from '../../src/analysis/reachability-table';
import { renderDiffMarkdown } from '../../src/cli/render-diff';
import { renderGraph } from '../../src/cli/render-graph';
import { renderMatrix } from '../../src/cli/render-matrix';
import { FlowGraph } from '../../src/review/flow-graph';
import { ReachabilityDiff } from '../../src/review/reachability-diff';
import { dedent, run, useWorkspace } from '../cli/cli-harness';

const workspace = useWorkspace();
const ESC = '\u001b';
let counter = 0;

const POD = dedent(`
  apiVersion: v1
  kind: Pod
  metadata: { name: web, namespace: shop, labels: { app: web } }
  spec: { containers: [{ name: c, image: c, ports: [{ containerPort: 80 }] }] }
`);

describe('terminal', () => {
  test('a pod name with a newline and ANSI escapes cannot forge a line of the error', () => {
    const file = workspace.write(`t-${++counter}/m.yaml`, POD.replace('name: web', `name: "web\\nOK: 0 errors ${'\\e'}[2J"`));
    const result = run('lint', file);
    expect(result.status).toBe(2);
    expect(result.stderr).not.toContain(ESC);
    expect(result.stderr.trimEnd().split('\n')).toHaveLength(2);
    expect(result.stderr).toContain('Pod shop/web\\nOK: 0 errors \\u001b[2J: metadata.name: "web\\nOK: 0 errors \\u001b[2J": the name must be a DNS-1123 subdomain');
  });

  test('a kind with a newline and escapes stays on the summary line', () => {
    const file = workspace.write(`t-${++counter}/m.yaml`, `${POD}---\nkind: "Evil\\n0 errors, 0 warnings\\e[0m"\nmetadata: { name: x }\n`);
    const result = run('lint', file);
    expect(result.stdout).not.toContain(ESC);
    expect(result.stdout).toContain('other kinds ignored: 1 Evil\\n0 errors, 0 warnings\\u001b[0m).');
  });

  test('an acknowledgement reason cannot forge a finding', () => {
    const file = workspace.write(`t-${++counter}/m.yaml`, dedent(`
      apiVersion: networking.k8s.io/v1
      kind: NetworkPolicy
      metadata:
        name: open
        namespace: shop
        annotations:
          acknowledge.cdk8s-netpol.io/allow-all-rule: "public\\nm.yaml:1: error dns-egress-blocked: forged\\e[8m"
      spec:
        podSelector: {}
        ingress: [{}]
    `));
    const result = run('lint', file, '--show-acknowledged');
    expect(result.stdout).not.toContain(ESC);
    expect(result.stdout).not.toMatch(/^m\.yaml:1: error/m);
    expect(result.stdout).toContain('(acknowledged: public\\nm.yaml:1: error dns-egress-blocked: forged\\u001b[8m)');
  });

  test('a file path with a newline is escaped where it names a finding', () => {
    const file = workspace.write(`t-${++counter}/evil\nerror fake.yaml`, POD.replace('name: web', 'name: Web'));
    const result = run('lint', file);
    expect(result.stderr.trimEnd().split('\n')).toHaveLength(2);
    expect(result.stderr).toContain('evil\\nerror fake.yaml:3: Pod shop/Web');
  });
});

describe('markdown (diff --format markdown)', () => {
  const tcp80 = ConnectionSet.ports(Protocol.TCP, 80);
  const change = {
    from: 'shop/a`b<!--',
    to: 'shop/x|y',
    before: ConnectionSet.none(),
    after: tcp80,
    newlyAllowed: tcp80,
    newlyDenied: ConnectionSet.none(),
    why: 'allowed by <!-- hidden --> `x` | *y* [l](http://e)\nnext',
  };
  const diff = {
    changes: [change],
    newlyAllowed: [change],
    newlyDenied: [],
    hasNewlyAllowed: true,
    summary: { pairsNewlyAllowed: 1, pairsNewlyDenied: 0 },
    endpointsCompared: 2,
    addressRangesCompared: 2,
  } as unknown as ReachabilityDiff;

  test('a backtick, a comment opener, a pipe and a newline stay inside their cell', () => {
    const text = renderDiffMarkdown(diff);
    const row = text.split('\n').find((l) => l.startsWith('| ``'))!;
    expect(row).toBe('| ``shop/a`b<!--`` | `shop/x\\|y` | TCP 80 | nothing | allowed by &lt;!-- hidden --&gt; \\`x\\` \\| \\*y\\* [l]\\(http://e)\\\\nnext |');
    expect(text).not.toMatch(/<!--(?!`)/);
  });
});

describe('graphs (mermaid and dot)', () => {
  const graph: FlowGraph = {
    groups: [{ namespace: 'shop', nodes: [{ id: 'w_a', kind: 'workload', name: 'shop/a', label: 'a"]\nclick w_a "javascript:alert(1)" <b>#x</b>', namespace: 'shop', synthetic: false }] }],
    nodes: [{ id: 'w_a', kind: 'workload', name: 'shop/a', label: 'a"]\nclick w_a "javascript:alert(1)" <b>#x</b>', namespace: 'shop', synthetic: false }],
    edges: [],
  };

  test('mermaid: quotes, newlines and HTML cannot leave a label', () => {
    const text = renderGraph('mermaid', graph, 'summary\nclick evil');
    expect(text).toContain('    w_a["a#quot;]\\nclick w_a #quot;javascript:alert(1)#quot; #60;b#62;#35;x#60;/b#62;"]');
    expect(text.split('\n').filter((l) => l.trimStart().startsWith('click'))).toEqual([]);
  });

  test('dot: quotes and newlines cannot leave a label', () => {
    const text = renderGraph('dot', graph, 'summary\nnode evil');
    expect(text).toContain('w_a [label="a\\"]\\\\nclick w_a \\"javascript:alert(1)\\" <b>#x</b>"];');
    expect(text.split('\n').filter((l) => l.trimStart().startsWith('node evil') || l.trimStart().startsWith('click'))).toEqual([]);
  });
});

describe('csv (matrix --format csv)', () => {
  test('cells are quoted per RFC 4180 and formulas neutralized', () => {
    const names = ['=cmd|/c calc!A1/x', 'shop/+1,"q"', '@ns/-x'];
    const table = { port: 80, protocol: Protocol.TCP, endpoints: names, allowedCount: 0, isAllowed: () => false } as unknown as ReachabilityTable;
    const lines = renderMatrix('csv', names, [table], '').trimEnd().split('\n');
    expect(lines[1]).toBe('80,TCP,\'=cmd|,\'=cmd|/c calc!A1/x,\'=cmd|,\'=cmd|/c calc!A1/x,false');
    expect(lines).toContain('80,TCP,shop,"shop/+1,""q""",\'@ns,\'@ns/-x,false');
  });

  test('markdown matrix headers are escaped', () => {
    const names = ['shop/a|b', 'shop/<!--c'];
    const table = { port: 80, protocol: Protocol.TCP, endpoints: names, allowedCount: 0, isAllowed: () => false } as unknown as ReachabilityTable;
    const text = renderMatrix('markdown', names, [table], 'other kinds ignored: 1 <!--Evil');
    expect(text).toContain('| from \\ to | shop/a\\|b | shop/&lt;!--c |');
    expect(text).toContain('| **shop/&lt;!--c** |');
    expect(text).toContain('(other kinds ignored: 1 &lt;!--Evil).');
  });
});

/**
 * The Kubernetes network-policy e2e model (kubernetes/kubernetes test/e2e/network/netpol),
 * replayed against the analyzer.
 *
 * Three namespaces x, y, z (labelled `ns: <name>`; the API server also sets the
 * immutable `kubernetes.io/metadata.name` label, which the analyzer must supply
 * itself), three pods a, b, c in each (labelled `pod: <name>`), every pod serving
 * 80 and 81 on TCP and UDP through container ports named `serve-<port>-<proto>`.
 *
 * Every scenario states its expected reachability as a hand-written truth table in
 * the style of the e2e "TruthTable" printout: rows are sources, columns are
 * destinations, `.` allowed, `X` denied. The tables are derived from the
 * NetworkPolicy specification (see /work/shared/DESIGN.md), never from the analyzer.
 * A single Pod talking to itself is loopback and always allowed, so the diagonal is
 * always `.`.
 */
import { Analyzer } from '../../src/analysis/analyzer';
import { Protocol } from '../../src/protocol';
import { assertValidNetworkPolicy } from '../support/synth';

// ---------------------------------------------------------------------------
// The model: namespaces, pods, policies as plain Kubernetes objects.
// ---------------------------------------------------------------------------

const NAMESPACES = ['x', 'y', 'z'];
const PODS = ['a', 'b', 'c'];
const PORTS = [80, 81];
const PROTOCOLS = ['TCP', 'UDP'];

/** `x/a`, `x/b`, ..., `z/c`, in truth-table order. */
const ENDPOINTS = NAMESPACES.flatMap((ns) => PODS.map((pod) => `${ns}/${pod}`));

function namespace(name: string): any {
  // Deliberately no `kubernetes.io/metadata.name` label: the API server adds it, and so must the analyzer.
  return { apiVersion: 'v1', kind: 'Namespace', metadata: { name, labels: { ns: name } } };
}

function podObject(ns: string, name: string): any {
  // As in the e2e model: one container per (port, protocol), each serving one named port.
  const containers = PORTS.flatMap((port) => PROTOCOLS.map((protocol) => {
    const suffix = `${port}-${protocol.toLowerCase()}`;
    return {
      name: `cont-${suffix}`,
      image: 'registry.k8s.io/e2e-test-images/agnhost:2.43',
      ports: [{ containerPort: port, name: `serve-${suffix}`, protocol }],
    };
  }));
  return {
    apiVersion: 'v1',
    kind: 'Pod',
    metadata: { name, namespace: ns, labels: { pod: name } },
    spec: { containers },
  };
}

/** The 3 namespaces and 9 pods of the model. */
function cluster(): any[] {
  return [
    ...NAMESPACES.map(namespace),
    ...NAMESPACES.flatMap((ns) => PODS.map((p) => podObject(ns, p))),
  ];
}

function netpol(ns: string, name: string, spec: any): any {
  return { apiVersion: 'networking.k8s.io/v1', kind: 'NetworkPolicy', metadata: { name, namespace: ns }, spec };
}

// ---------------------------------------------------------------------------
// Truth tables: parse, print, compare.
// ---------------------------------------------------------------------------

type Table = Map<string, boolean>;

const key = (from: string, to: string) => `${from} -> ${to}`;

/** Parses a hand-written truth table; throws when it is not a complete 9x9 table in model order. */
function parseTable(text: string): Table {
  const lines = text.split('\n').map((l) => l.trim()).filter((l) => l.length > 0);
  const header = lines[0].split(/\s+/);
  if (header.join(' ') !== ENDPOINTS.join(' ')) {
    throw new Error(`bad truth-table header: ${lines[0]}`);
  }
  const rows = lines.slice(1);
  if (rows.length !== ENDPOINTS.length) {
    throw new Error(`a truth table needs ${ENDPOINTS.length} rows, found ${rows.length}`);
  }
  const table: Table = new Map();
  rows.forEach((row, i) => {
    const [from, ...cells] = row.split(/\s+/);
    if (from !== ENDPOINTS[i] || cells.length !== ENDPOINTS.length || cells.some((c) => c !== '.' && c !== 'X')) {
      throw new Error(`bad truth-table row ${i + 1}: ${row}`);
    }
    cells.forEach((cell, j) => table.set(key(from, ENDPOINTS[j]), cell === '.'));
  });
  return table;
}

/** Prints a table in the same layout the expectations are written in. */
function printTable(cell: (from: string, to: string) => string): string[] {
  const header = `        ${ENDPOINTS.join(' ')}`;
  const rows = ENDPOINTS.map((from) => `  ${from}  ${ENDPOINTS.map((to) => `  ${cell(from, to)} `).join('')}`.trimEnd());
  return [header, ...rows];
}

function sideBySide(titles: string[], columns: string[][]): string {
  const width = Math.max(...columns.flatMap((c) => c.map((l) => l.length)), ...titles.map((t) => t.length)) + 4;
  const lines = [titles.map((t) => t.padEnd(width)).join('').trimEnd()];
  for (let i = 0; i < columns[0].length; i++) {
    lines.push(columns.map((c) => c[i].padEnd(width)).join('').trimEnd());
  }
  return lines.join('\n');
}

function parsePortProtocol(portProtocol: string): { port: number; protocol: Protocol } {
  const [port, protocol] = portProtocol.split('/');
  return { port: Number(port), protocol: (Protocol as any)[protocol] as Protocol };
}

/** Checks all 81 flows of one table; on mismatch, throws with both tables and the first differing flow's explanation. */
function expectTruthTable(analyzer: Analyzer, portProtocol: string, expectedText: string): void {
  const expected = parseTable(expectedText);
  const { port, protocol } = parsePortProtocol(portProtocol);
  const actual: Table = new Map();
  const differing: string[][] = [];
  for (const from of ENDPOINTS) {
    for (const to of ENDPOINTS) {
      const allowed = analyzer.isAllowed({ from, to, port, protocol });
      actual.set(key(from, to), allowed);
      if (allowed !== expected.get(key(from, to))) {
        differing.push([from, to]);
      }
    }
  }
  if (differing.length === 0) {
    return;
  }
  const mark = (t: Table) => (from: string, to: string) => (t.get(key(from, to)) ? '.' : 'X');
  const diff = (from: string, to: string) => (actual.get(key(from, to)) === expected.get(key(from, to)) ? ' ' : '!');
  const [from, to] = differing[0];
  const flow = { from, to, port, protocol };
  throw new Error([
    `${differing.length} of ${ENDPOINTS.length ** 2} flows differ on ${portProtocol} (rows: source, columns: destination)`,
    '',
    sideBySide(
      ['analyzer', 'expected', 'differs'],
      [printTable(mark(actual)), printTable(mark(expected)), printTable(diff)],
    ),
    '',
    `first differing flow: ${from} -> ${to} ${portProtocol}: analyzer says ${actual.get(key(from, to)) ? 'allowed' : 'denied'}, expected ${expected.get(key(from, to)) ? 'allowed' : 'denied'}`,
    `explain: ${analyzer.explain(flow).reason}`,
  ].join('\n'));
}

// ---------------------------------------------------------------------------
// Scenarios.
// ---------------------------------------------------------------------------

interface Scenario {
  readonly name: string;
  readonly policies: any[];
  /** Expected truth tables, keyed by `<port>/<protocol>`. */
  readonly tables: Record<string, string>;
}

/** A peer for every pod in every namespace. */
const allNamespaces = () => ({ namespaceSelector: {} });

const SCENARIOS: Scenario[] = [
  {
    name: 'no policies: everything is allowed',
    policies: [],
    tables: {
      '80/TCP': `
        x/a x/b x/c y/a y/b y/c z/a z/b z/c
  x/a    .   .   .   .   .   .   .   .   .
  x/b    .   .   .   .   .   .   .   .   .
  x/c    .   .   .   .   .   .   .   .   .
  y/a    .   .   .   .   .   .   .   .   .
  y/b    .   .   .   .   .   .   .   .   .
  y/c    .   .   .   .   .   .   .   .   .
  z/a    .   .   .   .   .   .   .   .   .
  z/b    .   .   .   .   .   .   .   .   .
  z/c    .   .   .   .   .   .   .   .   .
`,
    },
  },
  {
    name: 'default-deny ingress in x',
    policies: [
      netpol('x', 'deny-ingress', { podSelector: {}, policyTypes: ['Ingress'] }),
    ],
    tables: {
      '80/TCP': `
        x/a x/b x/c y/a y/b y/c z/a z/b z/c
  x/a    .   X   X   .   .   .   .   .   .
  x/b    X   .   X   .   .   .   .   .   .
  x/c    X   X   .   .   .   .   .   .   .
  y/a    X   X   X   .   .   .   .   .   .
  y/b    X   X   X   .   .   .   .   .   .
  y/c    X   X   X   .   .   .   .   .   .
  z/a    X   X   X   .   .   .   .   .   .
  z/b    X   X   X   .   .   .   .   .   .
  z/c    X   X   X   .   .   .   .   .   .
`,
    },
  },
  {
    name: 'default-deny egress in x',
    policies: [
      netpol('x', 'deny-egress', { podSelector: {}, policyTypes: ['Egress'] }),
    ],
    tables: {
      '80/TCP': `
        x/a x/b x/c y/a y/b y/c z/a z/b z/c
  x/a    .   X   X   X   X   X   X   X   X
  x/b    X   .   X   X   X   X   X   X   X
  x/c    X   X   .   X   X   X   X   X   X
  y/a    .   .   .   .   .   .   .   .   .
  y/b    .   .   .   .   .   .   .   .   .
  y/c    .   .   .   .   .   .   .   .   .
  z/a    .   .   .   .   .   .   .   .   .
  z/b    .   .   .   .   .   .   .   .   .
  z/c    .   .   .   .   .   .   .   .   .
`,
    },
  },
  {
    name: 'deny-all both ways in y (every port and protocol)',
    policies: [
      netpol('y', 'deny-all', { podSelector: {}, policyTypes: ['Ingress', 'Egress'] }),
    ],
    tables: {
      '80/TCP': `
        x/a x/b x/c y/a y/b y/c z/a z/b z/c
  x/a    .   .   .   X   X   X   .   .   .
  x/b    .   .   .   X   X   X   .   .   .
  x/c    .   .   .   X   X   X   .   .   .
  y/a    X   X   X   .   X   X   X   X   X
  y/b    X   X   X   X   .   X   X   X   X
  y/c    X   X   X   X   X   .   X   X   X
  z/a    .   .   .   X   X   X   .   .   .
  z/b    .   .   .   X   X   X   .   .   .
  z/c    .   .   .   X   X   X   .   .   .
`,
      '81/UDP': `
        x/a x/b x/c y/a y/b y/c z/a z/b z/c
  x/a    .   .   .   X   X   X   .   .   .
  x/b    .   .   .   X   X   X   .   .   .
  x/c    .   .   .   X   X   X   .   .   .
  y/a    X   X   X   .   X   X   X   X   X
  y/b    X   X   X   X   .   X   X   X   X
  y/c    X   X   X   X   X   .   X   X   X
  z/a    .   .   .   X   X   X   .   .   .
  z/b    .   .   .   X   X   X   .   .   .
  z/c    .   .   .   X   X   X   .   .   .
`,
    },
  },
  {
    name: 'allow from the same namespace: a podSelector without namespaceSelector means the policy namespace',
    policies: [
      netpol('x', 'allow-same-namespace', { podSelector: {}, ingress: [{ from: [{ podSelector: {} }] }] }),
    ],
    tables: {
      '80/TCP': `
        x/a x/b x/c y/a y/b y/c z/a z/b z/c
  x/a    .   .   .   .   .   .   .   .   .
  x/b    .   .   .   .   .   .   .   .   .
  x/c    .   .   .   .   .   .   .   .   .
  y/a    X   X   X   .   .   .   .   .   .
  y/b    X   X   X   .   .   .   .   .   .
  y/c    X   X   X   .   .   .   .   .   .
  z/a    X   X   X   .   .   .   .   .   .
  z/b    X   X   X   .   .   .   .   .   .
  z/c    X   X   X   .   .   .   .   .   .
`,
    },
  },
  {
    name: 'allow x/a from namespace by label ns: y',
    policies: [
      netpol('x', 'allow-from-y', {
        podSelector: { matchLabels: { pod: 'a' } },
        ingress: [{ from: [{ namespaceSelector: { matchLabels: { ns: 'y' } } }] }],
      }),
    ],
    tables: {
      '80/TCP': `
        x/a x/b x/c y/a y/b y/c z/a z/b z/c
  x/a    .   .   .   .   .   .   .   .   .
  x/b    X   .   .   .   .   .   .   .   .
  x/c    X   .   .   .   .   .   .   .   .
  y/a    .   .   .   .   .   .   .   .   .
  y/b    .   .   .   .   .   .   .   .   .
  y/c    .   .   .   .   .   .   .   .   .
  z/a    X   .   .   .   .   .   .   .   .
  z/b    X   .   .   .   .   .   .   .   .
  z/c    X   .   .   .   .   .   .   .   .
`,
    },
  },
  {
    name: 'namespaceSelector + podSelector in ONE peer is an AND: only y/b reaches x/a',
    policies: [
      netpol('x', 'allow-from-y-b', {
        podSelector: { matchLabels: { pod: 'a' } },
        ingress: [{ from: [{ namespaceSelector: { matchLabels: { ns: 'y' } }, podSelector: { matchLabels: { pod: 'b' } } }] }],
      }),
    ],
    tables: {
      '80/TCP': `
        x/a x/b x/c y/a y/b y/c z/a z/b z/c
  x/a    .   .   .   .   .   .   .   .   .
  x/b    X   .   .   .   .   .   .   .   .
  x/c    X   .   .   .   .   .   .   .   .
  y/a    X   .   .   .   .   .   .   .   .
  y/b    .   .   .   .   .   .   .   .   .
  y/c    X   .   .   .   .   .   .   .   .
  z/a    X   .   .   .   .   .   .   .   .
  z/b    X   .   .   .   .   .   .   .   .
  z/c    X   .   .   .   .   .   .   .   .
`,
    },
  },
  {
    name: 'the same selectors as TWO peers are an OR: all of y, and b of the policy namespace x',
    policies: [
      netpol('x', 'allow-from-y-or-b', {
        podSelector: { matchLabels: { pod: 'a' } },
        ingress: [{ from: [{ namespaceSelector: { matchLabels: { ns: 'y' } } }, { podSelector: { matchLabels: { pod: 'b' } } }] }],
      }),
    ],
    tables: {
      '80/TCP': `
        x/a x/b x/c y/a y/b y/c z/a z/b z/c
  x/a    .   .   .   .   .   .   .   .   .
  x/b    .   .   .   .   .   .   .   .   .
  x/c    X   .   .   .   .   .   .   .   .
  y/a    .   .   .   .   .   .   .   .   .
  y/b    .   .   .   .   .   .   .   .   .
  y/c    .   .   .   .   .   .   .   .   .
  z/a    X   .   .   .   .   .   .   .   .
  z/b    X   .   .   .   .   .   .   .   .
  z/c    X   .   .   .   .   .   .   .   .
`,
    },
  },
  {
    // x/a (selected by pod In [a]) admits any pod b, from any namespace.
    // x/b (selected by pod NotIn [a, c]) admits pods other than a, from namespaces other than x.
    name: 'matchExpressions In / NotIn, in the policy podSelector and in peers',
    policies: [
      netpol('x', 'in', {
        podSelector: { matchExpressions: [{ key: 'pod', operator: 'In', values: ['a'] }] },
        ingress: [{
          from: [{
            namespaceSelector: {},
            podSelector: { matchExpressions: [{ key: 'pod', operator: 'In', values: ['b'] }] },
          }],
        }],
      }),
      netpol('x', 'not-in', {
        podSelector: { matchExpressions: [{ key: 'pod', operator: 'NotIn', values: ['a', 'c'] }] },
        ingress: [{
          from: [{
            namespaceSelector: { matchExpressions: [{ key: 'ns', operator: 'NotIn', values: ['x'] }] },
            podSelector: { matchExpressions: [{ key: 'pod', operator: 'NotIn', values: ['a'] }] },
          }],
        }],
      }),
    ],
    tables: {
      '80/TCP': `
        x/a x/b x/c y/a y/b y/c z/a z/b z/c
  x/a    .   X   .   .   .   .   .   .   .
  x/b    .   .   .   .   .   .   .   .   .
  x/c    X   X   .   .   .   .   .   .   .
  y/a    X   X   .   .   .   .   .   .   .
  y/b    .   .   .   .   .   .   .   .   .
  y/c    X   .   .   .   .   .   .   .   .
  z/a    X   X   .   .   .   .   .   .   .
  z/b    .   .   .   .   .   .   .   .   .
  z/c    X   .   .   .   .   .   .   .   .
`,
    },
  },
  {
    // In y, every pod (no pod has an `app` label) admits pods of its own namespace that have a `pod`
    // label, or pods of namespaces without an `ns` label (there are none).
    // x/c admits namespaces that have an `ns` label other than y.
    // In z, a policy selecting pods without a `pod` label selects nothing, so it isolates nothing.
    name: 'matchExpressions Exists / DoesNotExist',
    policies: [
      netpol('y', 'exists', {
        podSelector: { matchExpressions: [{ key: 'app', operator: 'DoesNotExist' }] },
        ingress: [{
          from: [
            { podSelector: { matchExpressions: [{ key: 'pod', operator: 'Exists' }] } },
            { namespaceSelector: { matchExpressions: [{ key: 'ns', operator: 'DoesNotExist' }] } },
          ],
        }],
      }),
      netpol('x', 'ns-exists', {
        podSelector: { matchLabels: { pod: 'c' } },
        ingress: [{
          from: [{
            namespaceSelector: {
              matchExpressions: [{ key: 'ns', operator: 'Exists' }, { key: 'ns', operator: 'NotIn', values: ['y'] }],
            },
          }],
        }],
      }),
      netpol('z', 'selects-nothing', {
        podSelector: { matchExpressions: [{ key: 'pod', operator: 'DoesNotExist' }] },
        policyTypes: ['Ingress', 'Egress'],
      }),
    ],
    tables: {
      '80/TCP': `
        x/a x/b x/c y/a y/b y/c z/a z/b z/c
  x/a    .   .   .   X   X   X   .   .   .
  x/b    .   .   .   X   X   X   .   .   .
  x/c    .   .   .   X   X   X   .   .   .
  y/a    .   .   X   .   .   .   .   .   .
  y/b    .   .   X   .   .   .   .   .   .
  y/c    .   .   X   .   .   .   .   .   .
  z/a    .   .   .   X   X   X   .   .   .
  z/b    .   .   .   X   X   X   .   .   .
  z/c    .   .   .   X   X   X   .   .   .
`,
    },
  },
  {
    // x/a admits port 80 with the protocol left out (the API defaults it to TCP);
    // x/b admits only 80/UDP.
    name: 'port-specific ingress: 80 (TCP by default) to x/a, 80/UDP to x/b',
    policies: [
      netpol('x', 'allow-80-tcp', {
        podSelector: { matchLabels: { pod: 'a' } },
        ingress: [{ from: [allNamespaces()], ports: [{ port: 80 }] }],
      }),
      netpol('x', 'allow-80-udp', {
        podSelector: { matchLabels: { pod: 'b' } },
        ingress: [{ from: [allNamespaces()], ports: [{ protocol: 'UDP', port: 80 }] }],
      }),
    ],
    tables: {
      '80/TCP': `
        x/a x/b x/c y/a y/b y/c z/a z/b z/c
  x/a    .   X   .   .   .   .   .   .   .
  x/b    .   .   .   .   .   .   .   .   .
  x/c    .   X   .   .   .   .   .   .   .
  y/a    .   X   .   .   .   .   .   .   .
  y/b    .   X   .   .   .   .   .   .   .
  y/c    .   X   .   .   .   .   .   .   .
  z/a    .   X   .   .   .   .   .   .   .
  z/b    .   X   .   .   .   .   .   .   .
  z/c    .   X   .   .   .   .   .   .   .
`,
      '81/TCP': `
        x/a x/b x/c y/a y/b y/c z/a z/b z/c
  x/a    .   X   .   .   .   .   .   .   .
  x/b    X   .   .   .   .   .   .   .   .
  x/c    X   X   .   .   .   .   .   .   .
  y/a    X   X   .   .   .   .   .   .   .
  y/b    X   X   .   .   .   .   .   .   .
  y/c    X   X   .   .   .   .   .   .   .
  z/a    X   X   .   .   .   .   .   .   .
  z/b    X   X   .   .   .   .   .   .   .
  z/c    X   X   .   .   .   .   .   .   .
`,
      '80/UDP': `
        x/a x/b x/c y/a y/b y/c z/a z/b z/c
  x/a    .   .   .   .   .   .   .   .   .
  x/b    X   .   .   .   .   .   .   .   .
  x/c    X   .   .   .   .   .   .   .   .
  y/a    X   .   .   .   .   .   .   .   .
  y/b    X   .   .   .   .   .   .   .   .
  y/c    X   .   .   .   .   .   .   .   .
  z/a    X   .   .   .   .   .   .   .   .
  z/b    X   .   .   .   .   .   .   .   .
  z/c    X   .   .   .   .   .   .   .   .
`,
    },
  },
  {
    // x/a: `serve-81-tcp` (protocol defaults to TCP) is 81/TCP on the destination pod.
    // x/b: `serve-81-tcp` with protocol UDP: no container port has that name AND protocol, so it matches nothing.
    // x/c: `serve-80-udp` with protocol UDP is 80/UDP.
    name: 'named ports, and a named port with the wrong protocol that matches nothing',
    policies: [
      netpol('x', 'allow-serve-81-tcp', {
        podSelector: { matchLabels: { pod: 'a' } },
        ingress: [{ from: [allNamespaces()], ports: [{ port: 'serve-81-tcp' }] }],
      }),
      netpol('x', 'allow-serve-81-tcp-on-udp', {
        podSelector: { matchLabels: { pod: 'b' } },
        ingress: [{ from: [allNamespaces()], ports: [{ protocol: 'UDP', port: 'serve-81-tcp' }] }],
      }),
      netpol('x', 'allow-serve-80-udp', {
        podSelector: { matchLabels: { pod: 'c' } },
        ingress: [{ from: [allNamespaces()], ports: [{ protocol: 'UDP', port: 'serve-80-udp' }] }],
      }),
    ],
    tables: {
      '80/TCP': `
        x/a x/b x/c y/a y/b y/c z/a z/b z/c
  x/a    .   X   X   .   .   .   .   .   .
  x/b    X   .   X   .   .   .   .   .   .
  x/c    X   X   .   .   .   .   .   .   .
  y/a    X   X   X   .   .   .   .   .   .
  y/b    X   X   X   .   .   .   .   .   .
  y/c    X   X   X   .   .   .   .   .   .
  z/a    X   X   X   .   .   .   .   .   .
  z/b    X   X   X   .   .   .   .   .   .
  z/c    X   X   X   .   .   .   .   .   .
`,
      '81/TCP': `
        x/a x/b x/c y/a y/b y/c z/a z/b z/c
  x/a    .   X   X   .   .   .   .   .   .
  x/b    .   .   X   .   .   .   .   .   .
  x/c    .   X   .   .   .   .   .   .   .
  y/a    .   X   X   .   .   .   .   .   .
  y/b    .   X   X   .   .   .   .   .   .
  y/c    .   X   X   .   .   .   .   .   .
  z/a    .   X   X   .   .   .   .   .   .
  z/b    .   X   X   .   .   .   .   .   .
  z/c    .   X   X   .   .   .   .   .   .
`,
      '81/UDP': `
        x/a x/b x/c y/a y/b y/c z/a z/b z/c
  x/a    .   X   X   .   .   .   .   .   .
  x/b    X   .   X   .   .   .   .   .   .
  x/c    X   X   .   .   .   .   .   .   .
  y/a    X   X   X   .   .   .   .   .   .
  y/b    X   X   X   .   .   .   .   .   .
  y/c    X   X   X   .   .   .   .   .   .
  z/a    X   X   X   .   .   .   .   .   .
  z/b    X   X   X   .   .   .   .   .   .
  z/c    X   X   X   .   .   .   .   .   .
`,
      '80/UDP': `
        x/a x/b x/c y/a y/b y/c z/a z/b z/c
  x/a    .   X   .   .   .   .   .   .   .
  x/b    X   .   .   .   .   .   .   .   .
  x/c    X   X   .   .   .   .   .   .   .
  y/a    X   X   .   .   .   .   .   .   .
  y/b    X   X   .   .   .   .   .   .   .
  y/c    X   X   .   .   .   .   .   .   .
  z/a    X   X   .   .   .   .   .   .   .
  z/b    X   X   .   .   .   .   .   .   .
  z/c    X   X   .   .   .   .   .   .   .
`,
    },
  },
  {
    // x/a: 80-81/TCP. x/b: 81-82/TCP. x/c: 79-80/UDP.
    name: 'endPort ranges',
    policies: [
      netpol('x', 'allow-80-81-tcp', {
        podSelector: { matchLabels: { pod: 'a' } },
        ingress: [{ from: [allNamespaces()], ports: [{ protocol: 'TCP', port: 80, endPort: 81 }] }],
      }),
      netpol('x', 'allow-81-82-tcp', {
        podSelector: { matchLabels: { pod: 'b' } },
        ingress: [{ from: [allNamespaces()], ports: [{ protocol: 'TCP', port: 81, endPort: 82 }] }],
      }),
      netpol('x', 'allow-79-80-udp', {
        podSelector: { matchLabels: { pod: 'c' } },
        ingress: [{ from: [allNamespaces()], ports: [{ protocol: 'UDP', port: 79, endPort: 80 }] }],
      }),
    ],
    tables: {
      '80/TCP': `
        x/a x/b x/c y/a y/b y/c z/a z/b z/c
  x/a    .   X   X   .   .   .   .   .   .
  x/b    .   .   X   .   .   .   .   .   .
  x/c    .   X   .   .   .   .   .   .   .
  y/a    .   X   X   .   .   .   .   .   .
  y/b    .   X   X   .   .   .   .   .   .
  y/c    .   X   X   .   .   .   .   .   .
  z/a    .   X   X   .   .   .   .   .   .
  z/b    .   X   X   .   .   .   .   .   .
  z/c    .   X   X   .   .   .   .   .   .
`,
      '81/TCP': `
        x/a x/b x/c y/a y/b y/c z/a z/b z/c
  x/a    .   .   X   .   .   .   .   .   .
  x/b    .   .   X   .   .   .   .   .   .
  x/c    .   .   .   .   .   .   .   .   .
  y/a    .   .   X   .   .   .   .   .   .
  y/b    .   .   X   .   .   .   .   .   .
  y/c    .   .   X   .   .   .   .   .   .
  z/a    .   .   X   .   .   .   .   .   .
  z/b    .   .   X   .   .   .   .   .   .
  z/c    .   .   X   .   .   .   .   .   .
`,
      '80/UDP': `
        x/a x/b x/c y/a y/b y/c z/a z/b z/c
  x/a    .   X   .   .   .   .   .   .   .
  x/b    X   .   .   .   .   .   .   .   .
  x/c    X   X   .   .   .   .   .   .   .
  y/a    X   X   .   .   .   .   .   .   .
  y/b    X   X   .   .   .   .   .   .   .
  y/c    X   X   .   .   .   .   .   .   .
  z/a    X   X   .   .   .   .   .   .   .
  z/b    X   X   .   .   .   .   .   .   .
  z/c    X   X   .   .   .   .   .   .   .
`,
    },
  },
  {
    // A default deny for x, plus two allow policies for x/a: all of y (any port), and x/b (80/TCP only).
    // x/a admits the union; the deny policy takes nothing away.
    name: 'policies are additive: the allowed set of a pod is the union of its policies',
    policies: [
      netpol('x', 'deny-ingress', { podSelector: {}, policyTypes: ['Ingress'] }),
      netpol('x', 'allow-from-y', {
        podSelector: { matchLabels: { pod: 'a' } },
        ingress: [{ from: [{ namespaceSelector: { matchLabels: { ns: 'y' } } }] }],
      }),
      netpol('x', 'allow-from-b-80', {
        podSelector: { matchLabels: { pod: 'a' } },
        ingress: [{ from: [{ podSelector: { matchLabels: { pod: 'b' } } }], ports: [{ protocol: 'TCP', port: 80 }] }],
      }),
    ],
    tables: {
      '80/TCP': `
        x/a x/b x/c y/a y/b y/c z/a z/b z/c
  x/a    .   X   X   .   .   .   .   .   .
  x/b    .   .   X   .   .   .   .   .   .
  x/c    X   X   .   .   .   .   .   .   .
  y/a    .   X   X   .   .   .   .   .   .
  y/b    .   X   X   .   .   .   .   .   .
  y/c    .   X   X   .   .   .   .   .   .
  z/a    X   X   X   .   .   .   .   .   .
  z/b    X   X   X   .   .   .   .   .   .
  z/c    X   X   X   .   .   .   .   .   .
`,
      '81/TCP': `
        x/a x/b x/c y/a y/b y/c z/a z/b z/c
  x/a    .   X   X   .   .   .   .   .   .
  x/b    X   .   X   .   .   .   .   .   .
  x/c    X   X   .   .   .   .   .   .   .
  y/a    .   X   X   .   .   .   .   .   .
  y/b    .   X   X   .   .   .   .   .   .
  y/c    .   X   X   .   .   .   .   .   .
  z/a    X   X   X   .   .   .   .   .   .
  z/b    X   X   X   .   .   .   .   .   .
  z/c    X   X   X   .   .   .   .   .   .
`,
    },
  },
  {
    // No policyTypes and a non-empty egress list: the API server defaults policyTypes to
    // [Ingress, Egress]. x/a may only send to y, and (having no ingress rules) receives from no one.
    name: 'egress rules without policyTypes isolate egress AND ingress',
    policies: [
      netpol('x', 'egress-to-y', {
        podSelector: { matchLabels: { pod: 'a' } },
        egress: [{ to: [{ namespaceSelector: { matchLabels: { ns: 'y' } } }] }],
      }),
    ],
    tables: {
      '80/TCP': `
        x/a x/b x/c y/a y/b y/c z/a z/b z/c
  x/a    .   X   X   .   .   .   X   X   X
  x/b    X   .   .   .   .   .   .   .   .
  x/c    X   .   .   .   .   .   .   .   .
  y/a    X   .   .   .   .   .   .   .   .
  y/b    X   .   .   .   .   .   .   .   .
  y/c    X   .   .   .   .   .   .   .   .
  z/a    X   .   .   .   .   .   .   .   .
  z/b    X   .   .   .   .   .   .   .   .
  z/c    X   .   .   .   .   .   .   .   .
`,
    },
  },
  {
    // No policyTypes and `egress: []`: policyTypes defaults to [Ingress] only. x/a receives from
    // no one, and may still send anywhere.
    name: 'egress: [] without policyTypes isolates only ingress',
    policies: [
      netpol('x', 'empty-egress', { podSelector: { matchLabels: { pod: 'a' } }, egress: [] }),
    ],
    tables: {
      '80/TCP': `
        x/a x/b x/c y/a y/b y/c z/a z/b z/c
  x/a    .   .   .   .   .   .   .   .   .
  x/b    X   .   .   .   .   .   .   .   .
  x/c    X   .   .   .   .   .   .   .   .
  y/a    X   .   .   .   .   .   .   .   .
  y/b    X   .   .   .   .   .   .   .   .
  y/c    X   .   .   .   .   .   .   .   .
  z/a    X   .   .   .   .   .   .   .   .
  z/b    X   .   .   .   .   .   .   .   .
  z/c    X   .   .   .   .   .   .   .   .
`,
    },
  },
  {
    // Deny-all both ways in x, then `ingress: [{}]` for x/a (policyTypes defaults to [Ingress]).
    // x/a accepts from everyone, but x/b and x/c still cannot send (their egress is denied).
    name: 'allow-all ingress over a default deny',
    policies: [
      netpol('x', 'deny-all', { podSelector: {}, policyTypes: ['Ingress', 'Egress'] }),
      netpol('x', 'allow-all-ingress', { podSelector: { matchLabels: { pod: 'a' } }, ingress: [{}] }),
    ],
    tables: {
      '80/TCP': `
        x/a x/b x/c y/a y/b y/c z/a z/b z/c
  x/a    .   X   X   X   X   X   X   X   X
  x/b    X   .   X   X   X   X   X   X   X
  x/c    X   X   .   X   X   X   X   X   X
  y/a    .   X   X   .   .   .   .   .   .
  y/b    .   X   X   .   .   .   .   .   .
  y/c    .   X   X   .   .   .   .   .   .
  z/a    .   X   X   .   .   .   .   .   .
  z/b    .   X   X   .   .   .   .   .   .
  z/c    .   X   X   .   .   .   .   .   .
`,
      '81/UDP': `
        x/a x/b x/c y/a y/b y/c z/a z/b z/c
  x/a    .   X   X   X   X   X   X   X   X
  x/b    X   .   X   X   X   X   X   X   X
  x/c    X   X   .   X   X   X   X   X   X
  y/a    .   X   X   .   .   .   .   .   .
  y/b    .   X   X   .   .   .   .   .   .
  y/c    .   X   X   .   .   .   .   .   .
  z/a    .   X   X   .   .   .   .   .   .
  z/b    .   X   X   .   .   .   .   .   .
  z/c    .   X   X   .   .   .   .   .   .
`,
    },
  },
  {
    // x/a: `namespaceSelector: {}` alone is every pod in every namespace.
    // x/b: `namespaceSelector: {}` AND pod c: every pod c.
    // x/c: `podSelector: {}` alone is every pod of x only.
    name: 'namespaceSelector {} selects all namespaces',
    policies: [
      netpol('x', 'from-all-namespaces', {
        podSelector: { matchLabels: { pod: 'a' } },
        ingress: [{ from: [{ namespaceSelector: {} }] }],
      }),
      netpol('x', 'from-c-anywhere', {
        podSelector: { matchLabels: { pod: 'b' } },
        ingress: [{ from: [{ namespaceSelector: {}, podSelector: { matchLabels: { pod: 'c' } } }] }],
      }),
      netpol('x', 'from-own-namespace', {
        podSelector: { matchLabels: { pod: 'c' } },
        ingress: [{ from: [{ podSelector: {} }] }],
      }),
    ],
    tables: {
      '80/TCP': `
        x/a x/b x/c y/a y/b y/c z/a z/b z/c
  x/a    .   X   .   .   .   .   .   .   .
  x/b    .   .   .   .   .   .   .   .   .
  x/c    .   .   .   .   .   .   .   .   .
  y/a    .   X   X   .   .   .   .   .   .
  y/b    .   X   X   .   .   .   .   .   .
  y/c    .   .   X   .   .   .   .   .   .
  z/a    .   X   X   .   .   .   .   .   .
  z/b    .   X   X   .   .   .   .   .   .
  z/c    .   .   X   .   .   .   .   .   .
`,
    },
  },
  {
    // x/a: the implicit `kubernetes.io/metadata.name: z` label selects z.
    // x/b: `name: z` is not set by anyone, so it selects nothing and x/b receives from no one.
    name: 'kubernetes.io/metadata.name is implicit; a `name` label is not',
    policies: [
      netpol('x', 'from-z-by-metadata-name', {
        podSelector: { matchLabels: { pod: 'a' } },
        ingress: [{ from: [{ namespaceSelector: { matchLabels: { 'kubernetes.io/metadata.name': 'z' } } }] }],
      }),
      netpol('x', 'from-z-by-name-label', {
        podSelector: { matchLabels: { pod: 'b' } },
        ingress: [{ from: [{ namespaceSelector: { matchLabels: { name: 'z' } } }] }],
      }),
    ],
    tables: {
      '80/TCP': `
        x/a x/b x/c y/a y/b y/c z/a z/b z/c
  x/a    .   X   .   .   .   .   .   .   .
  x/b    X   .   .   .   .   .   .   .   .
  x/c    X   X   .   .   .   .   .   .   .
  y/a    X   X   .   .   .   .   .   .   .
  y/b    X   X   .   .   .   .   .   .   .
  y/c    X   X   .   .   .   .   .   .   .
  z/a    .   X   .   .   .   .   .   .   .
  z/b    .   X   .   .   .   .   .   .   .
  z/c    .   X   .   .   .   .   .   .   .
`,
    },
  },
  {
    // Default-deny egress in y; all of y may send 81/TCP to z; y/a may also send to x on the named
    // port `serve-80-udp` (resolved against the destination pod: 80/UDP).
    name: 'port-specific egress, with a named port resolved at the destination',
    policies: [
      netpol('y', 'deny-egress', { podSelector: {}, policyTypes: ['Egress'] }),
      netpol('y', 'egress-81-tcp-to-z', {
        podSelector: {},
        policyTypes: ['Egress'],
        egress: [{ to: [{ namespaceSelector: { matchLabels: { ns: 'z' } } }], ports: [{ protocol: 'TCP', port: 81 }] }],
      }),
      netpol('y', 'egress-serve-80-udp-to-x', {
        podSelector: { matchLabels: { pod: 'a' } },
        policyTypes: ['Egress'],
        egress: [{ to: [{ namespaceSelector: { matchLabels: { ns: 'x' } } }], ports: [{ protocol: 'UDP', port: 'serve-80-udp' }] }],
      }),
    ],
    tables: {
      '80/TCP': `
        x/a x/b x/c y/a y/b y/c z/a z/b z/c
  x/a    .   .   .   .   .   .   .   .   .
  x/b    .   .   .   .   .   .   .   .   .
  x/c    .   .   .   .   .   .   .   .   .
  y/a    X   X   X   .   X   X   X   X   X
  y/b    X   X   X   X   .   X   X   X   X
  y/c    X   X   X   X   X   .   X   X   X
  z/a    .   .   .   .   .   .   .   .   .
  z/b    .   .   .   .   .   .   .   .   .
  z/c    .   .   .   .   .   .   .   .   .
`,
      '81/TCP': `
        x/a x/b x/c y/a y/b y/c z/a z/b z/c
  x/a    .   .   .   .   .   .   .   .   .
  x/b    .   .   .   .   .   .   .   .   .
  x/c    .   .   .   .   .   .   .   .   .
  y/a    X   X   X   .   X   X   .   .   .
  y/b    X   X   X   X   .   X   .   .   .
  y/c    X   X   X   X   X   .   .   .   .
  z/a    .   .   .   .   .   .   .   .   .
  z/b    .   .   .   .   .   .   .   .   .
  z/c    .   .   .   .   .   .   .   .   .
`,
      '80/UDP': `
        x/a x/b x/c y/a y/b y/c z/a z/b z/c
  x/a    .   .   .   .   .   .   .   .   .
  x/b    .   .   .   .   .   .   .   .   .
  x/c    .   .   .   .   .   .   .   .   .
  y/a    .   .   .   .   X   X   X   X   X
  y/b    X   X   X   X   .   X   X   X   X
  y/c    X   X   X   X   X   .   X   X   X
  z/a    .   .   .   .   .   .   .   .   .
  z/b    .   .   .   .   .   .   .   .   .
  z/c    .   .   .   .   .   .   .   .   .
`,
    },
  },
];

// ---------------------------------------------------------------------------
// Tests.
// ---------------------------------------------------------------------------

describe('e2e model (kubernetes test/e2e/network/netpol)', () => {
  test('the model has 3 namespaces and 9 pods serving 80 and 81 on TCP and UDP', () => {
    const objects = cluster();
    expect(objects.filter((o) => o.kind === 'Namespace').map((o) => o.metadata.name)).toEqual(NAMESPACES);
    const pods = objects.filter((o) => o.kind === 'Pod');
    expect(pods.map((o) => `${o.metadata.namespace}/${o.metadata.name}`)).toEqual(ENDPOINTS);
    expect(pods[0].spec.containers.flatMap((c: any) => c.ports.map((p: any) => `${p.name}=${p.containerPort}/${p.protocol}`)))
      .toEqual(['serve-80-tcp=80/TCP', 'serve-80-udp=80/UDP', 'serve-81-tcp=81/TCP', 'serve-81-udp=81/UDP']);
  });

  test('every scenario policy matches the Kubernetes schema, and every table parses', () => {
    expect(SCENARIOS.length).toBeGreaterThanOrEqual(12);
    for (const scenario of SCENARIOS) {
      scenario.policies.forEach(assertValidNetworkPolicy);
      for (const text of Object.values(scenario.tables)) {
        const table = parseTable(text);
        // Loopback: the diagonal is always allowed.
        expect(ENDPOINTS.filter((e) => !table.get(key(e, e)))).toEqual([]);
      }
    }
  });

  describe.each(SCENARIOS.map((s) => [s.name, s] as const))('%s', (_name, scenario) => {
    let analyzer: Analyzer | undefined;
    test.each(Object.entries(scenario.tables))('truth table on %s', (portProtocol, table) => {
      analyzer ??= Analyzer.fromManifests([...cluster(), ...scenario.policies]);
      expectTruthTable(analyzer, portProtocol, table);
    });
  });

  test('a pod talking to itself is loopback, and the reason says so', () => {
    const analyzer = Analyzer.fromManifests([
      ...cluster(),
      netpol('x', 'deny-all', { podSelector: {}, policyTypes: ['Ingress', 'Egress'] }),
    ]);
    const flow = { from: 'x/a', to: 'x/a', port: 80, protocol: Protocol.TCP };
    expect(analyzer.isAllowed(flow)).toBe(true);
    expect(analyzer.explain(flow).reason).toMatch(/loopback/i);
  });
});

/**
 * The public API as JavaScript (and jsii) callers use it, without a type
 * checker: values are immutable, wrong types are clear errors naming the
 * construct, and nothing wrong is emitted.
 */
import { Testing } from 'cdk8s';
import {
  AllowDns, AllowFrom, AllowSameNamespace, AllowTo, Analyzer, DefaultDeny, ExternalHttps, GraphService, LabelExpression, Linter,
  MonitoringScrape, NamespaceBaseline, NamespaceSelector, NetworkPolicy, Peer, Port, Selector, ServiceGraph,
} from '../../src';
import { inputError } from '../support/input-error';
import { synthPolicies } from '../support/synth';
import { thrown } from '../support/thrown';

/** Assigns as plain JavaScript would (tests are strict mode: a read-only field throws). */
function assign(target: any, field: string | symbol, value: unknown): void {
  target[field] = value;
}

describe('values of the public API are immutable', () => {
  test('Port.HTTP.portNumber = 8081 fails, and later policies still say 80', () => {
    expect(() => assign(Port.HTTP, 'portNumber', 8081)).toThrow(TypeError);
    expect(() => assign(Port, 'HTTP', Port.tcp(8081))).toThrow(TypeError);
    expect(Port.HTTP.portNumber).toBe(80);
    const chart = Testing.chart();
    new AllowTo(chart, 'web', { pods: Selector.labels({ app: 'web' }), to: [Peer.anyone()], ports: [Port.HTTP] });
    expect(synthPolicies(chart)[0].spec.egress[0].ports).toEqual([{ protocol: 'TCP', port: 80 }]);
  });

  test.each([
    ['Port', () => Port.tcp(443), ['protocol', 'portNumber', 'endPort', 'name']],
    ['Selector', () => Selector.labels({ app: 'web' }), ['matchLabels', 'matchExpressions', 'namespace', 'workloadPath']],
    ['NamespaceSelector', () => NamespaceSelector.named('a', 'b'), ['matchLabels', 'matchExpressions', 'names']],
    ['LabelExpression', () => LabelExpression.in('tier', ['a']), ['key', 'operator', 'values']],
    ['Peer', () => Peer.ipBlock('10.0.0.0/8'), ['render', 'description', 'isAnyone']],
  ])('the fields of a %s are read-only', (_, make, fields) => {
    const value: any = make();
    for (const field of fields) {
      expect(() => assign(value, field, 'changed')).toThrow(TypeError);
    }
  });

  test('labels, expressions and values are frozen copies of what was given', () => {
    const labels = { app: 'web' };
    const values = ['a', 'b'];
    const selector = Selector.of({ labels, expressions: [LabelExpression.in('tier', values)] });
    labels.app = 'evil';
    values.push('c');
    expect(selector.toString()).toBe('app=web,tier in (a,b)');
    expect(() => assign(selector.matchLabels, 'app', 'evil')).toThrow(TypeError);
    expect(() => (selector.matchExpressions as any[]).push(LabelExpression.exists('x'))).toThrow(TypeError);
    expect(() => (selector.matchExpressions[0].values as string[]).push('c')).toThrow(TypeError);
    const names = NamespaceSelector.named('a', 'b');
    expect(() => (names.names as string[]).push('c')).toThrow(TypeError);
  });

  test('objects stay extensible: the jsii kernel tags the objects it hands to other languages', () => {
    const port = Port.tcp(443);
    const tag = Symbol.for('$__jsii__objid__$');
    Object.defineProperty(port, tag, { value: 'Port@10000', enumerable: false, configurable: true, writable: true });
    expect((port as any)[tag]).toBe('Port@10000');
  });
});

describe('a non-string where a string is expected is a clear error, not emitted', () => {
  test('{ name: 5 }', () => {
    const chart = Testing.chart();
    expect(thrown(() => new DefaultDeny(chart, 'deny', { name: 5 as any }))).toBe('test/deny: invalid policy name "5": it must be a string, got number.');
    expect(thrown(() => new NetworkPolicy(chart, 'p', { name: {} as any }))).toBe('test/p: invalid policy name "[object Object]": it must be a string, got object.');
  });

  test('a namespace or label that is not a string', () => {
    const chart = Testing.chart();
    expect(thrown(() => new DefaultDeny(chart, 'deny', { namespace: 7 as any }))).toMatch(/^Invalid namespace name "7" in test\/deny \(namespace\): it must be a string/);
    expect(thrown(() => Selector.labels({ app: 5 as any }))).toMatch(/^Invalid label value "5" for key "app"/);
  });
});

describe('props: null names the construct', () => {
  test.each([
    ['NetworkPolicy', (c: any) => new NetworkPolicy(c, 'x', null as any)],
    ['DefaultDeny', (c: any) => new DefaultDeny(c, 'x', null as any)],
    ['AllowDns', (c: any) => new AllowDns(c, 'x', null as any)],
    ['AllowFrom', (c: any) => new AllowFrom(c, 'x', null as any)],
    ['AllowTo', (c: any) => new AllowTo(c, 'x', null as any)],
    ['AllowSameNamespace', (c: any) => new AllowSameNamespace(c, 'x', null as any)],
    ['ExternalHttps', (c: any) => new ExternalHttps(c, 'x', null as any)],
    ['MonitoringScrape', (c: any) => new MonitoringScrape(c, 'x', null as any)],
    ['NamespaceBaseline', (c: any) => new NamespaceBaseline(c, 'x', null as any)],
    ['ServiceGraph', (c: any) => new ServiceGraph(c, 'x', null as any)],
    ['GraphService', (c: any) => new GraphService(new ServiceGraph(c, 'graph', { namespaces: ['shop'] }), 'x', null as any)],
  ])('%s', (name, make) => {
    const chart = Testing.chart();
    expect(thrown(() => make(chart))).toMatch(new RegExp(`^test(/graph)?/x: ${name} props must be an object \\(or left out\\), got null\\.$`));
  });

  test('a string for props', () => {
    expect(thrown(() => new AllowDns(Testing.chart(), 'x', 'pods' as any))).toBe('test/x: AllowDns props must be an object (or left out), got the string "pods".');
  });
});

describe('Analyzer factories check their argument before touching anything', () => {
  test('Analyzer.fromFiles("a/path") (a string) is an AnalysisInputError, without reading the file system', () => {
    // eslint-disable-next-line @typescript-eslint/no-require-imports
    const fs = require('fs');
    const stat = jest.spyOn(fs, 'statSync');
    try {
      expect(inputError(() => Analyzer.fromFiles('a/path' as any)).message).toBe('Analyzer.fromFiles expects an array of file or folder paths (strings), got the string "a/path".');
      expect(inputError(() => Analyzer.fromFiles([5] as any)).message).toBe('Analyzer.fromFiles expects an array of file or folder paths (strings), got an array holding a non-string.');
      expect(stat).not.toHaveBeenCalled();
    } finally {
      stat.mockRestore();
    }
  });

  test('fromManifests, fromChart and fromApp', () => {
    expect(inputError(() => Analyzer.fromManifests('x' as any)).message).toBe('Analyzer.fromManifests expects an array of Kubernetes objects, got the string "x".');
    expect(inputError(() => Analyzer.fromChart(null as any)).message).toBe('Analyzer.fromChart expects a cdk8s Chart, got null.');
    expect(inputError(() => Analyzer.fromApp({} as any)).message).toBe('Analyzer.fromApp expects a cdk8s App, got an object.');
  });

  test('a bad maxFileSize', () => {
    expect(inputError(() => Analyzer.fromFiles(['x'], { maxFileSize: -1 })).message).toBe('Analyzer.fromFiles: maxFileSize must be a whole number of bytes, at least 1, got number -1.');
  });
});

describe('Linter.lint checks its arguments', () => {
  test('a string for the analyzer, null for the options', () => {
    expect(inputError(() => Linter.lint('dist/' as any)).message).toBe('Linter.lint expects an Analyzer (Analyzer.fromFiles(), fromChart(), ...), got string.');
    expect(inputError(() => Linter.lint(Analyzer.fromManifests([]), null as any)).message).toBe('Linter.lint: the options must be an object (or left out), got null.');
  });
});

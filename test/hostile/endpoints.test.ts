/**
 * Endpoint notation from users: an IPv4-mapped IPv6 address is the IPv4
 * address (as the kernel and Kubernetes treat it), and an absurdly long unknown
 * name is answered quickly, with a short message.
 */
import * as fc from 'fast-check';
import { Analyzer } from '../../src/analysis/analyzer';
import { closeMatches } from '../../src/analysis/endpoint-resolver';
import { inputError } from '../support/input-error';

const pod = (name: string, labels: Record<string, string>) => ({
  apiVersion: 'v1', kind: 'Pod', metadata: { name, namespace: 'shop', labels }, spec: { containers: [{ name: 'c', image: 'c' }] },
});

/** web may reach 8.8.8.8/32 on 53 and nothing else outside. */
const analyzer = Analyzer.fromManifests([
  pod('web', { app: 'web' }),
  {
    apiVersion: 'networking.k8s.io/v1',
    kind: 'NetworkPolicy',
    metadata: { name: 'web-egress', namespace: 'shop' },
    spec: { podSelector: { matchLabels: { app: 'web' } }, policyTypes: ['Egress'], egress: [{ to: [{ ipBlock: { cidr: '8.8.8.8/32' } }], ports: [{ port: 53, protocol: 'UDP' }] }] },
  },
]);

describe('IPv4-mapped IPv6 addresses', () => {
  test.each(['ip:::ffff:8.8.8.8', 'ip:::ffff:808:808', 'ip:0:0:0:0:0:ffff:8.8.8.8'])('%s is judged as 8.8.8.8', (address) => {
    const flow = { from: 'shop/web', to: address, port: 53, protocol: 'UDP' as any };
    expect(analyzer.isAllowed(flow)).toBe(true);
    expect(analyzer.explain(flow).to).toBe('ip:8.8.8.8');
    expect(analyzer.isAllowed({ ...flow, to: 'ip:8.8.8.8' })).toBe(true);
  });

  test('other IPv6 addresses stay IPv6', () => {
    expect(analyzer.explain({ from: 'shop/web', to: 'ip:64:ff9b::808:808', port: 53, protocol: 'UDP' as any }).allowed).toBe(false);
  });
});

describe('unknown endpoint names', () => {
  test('a 1 MB name is refused quickly, and the message stays short', () => {
    const many = Analyzer.fromManifests(Array.from({ length: 200 }, (_, i) => pod(`web-${i}`, { app: `web-${i}` })));
    const name = `shop/${'x'.repeat(1024 * 1024)}`;
    // (a full edit distance against 200 names was over 60 s: this test would not end)
    const message = inputError(() => many.explain({ from: name, to: 'shop/web-1', port: 80 })).message;
    expect(message.length).toBeLessThan(400);
    expect(message).toMatch(/^Unknown endpoint "shop\/x{55}\.\.\." \(1048581 characters\): no Pod or workload named "x{60}\.\.\." \(1048576 characters\) in namespace "shop"\.$/);
  });

  test('long names that differ a lot are not compared in full', () => {
    const candidates = Array.from({ length: 2000 }, (_, i) => `shop/${'a'.repeat(200)}-${i}`);
    expect(closeMatches(`shop/${'b'.repeat(200)}`, candidates)).toEqual([]);
    expect(closeMatches(`shop/${'a'.repeat(200)}-7x`, candidates)).toEqual([`shop/${'a'.repeat(200)}-7`, `shop/${'a'.repeat(200)}-70`, `shop/${'a'.repeat(200)}-71`]);
  });

  test('close matches are still suggested', () => {
    expect(inputError(() => analyzer.explain({ from: 'shop/wbe', to: 'shop/web', port: 80 })).message).toContain('Did you mean shop/web');
  });
});

/** The plain edit distance, for the property below. */
function editDistance(a: string, b: string): number {
  let previous = Array.from({ length: b.length + 1 }, (_, j) => j);
  for (let i = 1; i <= a.length; i++) {
    const current = [i];
    for (let j = 1; j <= b.length; j++) current[j] = Math.min(previous[j] + 1, current[j - 1] + 1, previous[j - 1] + (a[i - 1] === b[j - 1] ? 0 : 1));
    previous = current;
  }
  return previous[b.length];
}

test('the bounded search suggests what the full edit distance would', () => {
  const text = fc.stringMatching(/^[ab\/]{1,16}$/);
  fc.assert(fc.property(text, fc.array(text, { maxLength: 5 }), (query, candidates) => {
    const limit = Math.min(10, Math.max(2, Math.floor(query.length / 3)));
    const tail = (s: string) => s.slice(s.lastIndexOf('/') + 1);
    const expected = [...new Set(candidates)]
      .map((c) => ({ c, score: tail(c) === tail(query) ? (c === query ? 0 : 1) : editDistance(query, c) }))
      .filter((s) => s.score <= limit)
      .sort((a, b) => a.score - b.score || (a.c < b.c ? -1 : 1))
      .slice(0, 3)
      .map((s) => s.c);
    expect(closeMatches(query, candidates)).toEqual(expected);
  }), { numRuns: 500 });
});

/**
 * NetworkPolicies are validated with the API server's rules (and unknown fields
 * are rejected, as kubectl's strict validation does). Each problem is reported
 * with where it is (file:line, or `manifest #N`), the object, the field path and
 * the bad value; every problem of every object is reported at once.
 */
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { Analyzer } from '../../src/analysis/analyzer';
import { inputError } from '../support/input-error';

function netpol(spec: any, metadata: any = { name: 'p', namespace: 'prod' }): any {
  return { apiVersion: 'networking.k8s.io/v1', kind: 'NetworkPolicy', metadata, spec };
}


/** The error message for manifests holding only this invalid policy (manifest #1). */
function problem(spec: any, metadata?: any): string {
  return inputError(() => Analyzer.fromManifests([netpol(spec, metadata)])).message;
}

/** The message of exactly one problem in `manifest #1: NetworkPolicy prod/p`. */
function one(field: string, value: string, message: string): string {
  return `Invalid manifests (1 problem):\nmanifest #1: NetworkPolicy prod/p: ${field}: ${value}: ${message}.`;
}

const ingressFrom = (...from: any[]) => ({ podSelector: {}, ingress: [{ from }] });
const ingressPorts = (...ports: any[]) => ({ podSelector: {}, ingress: [{ ports }] });

describe('ipBlock', () => {
  test.each([
    ['10.0.0.0/33', 'the prefix length "33" must be a number from 0 to 32 without leading zeros'],
    ['2001:db8::/129', 'the prefix length "129" must be a number from 0 to 128 without leading zeros'],
    ['10.0.0.1', 'the CIDR mask is missing: did you mean "10.0.0.1/32"?'],
    ['10.0.0/8', '"10.0.0" is not an IPv4 or IPv6 address'],
    ['10.0.0.256/32', '"10.0.0.256" is not an IPv4 or IPv6 address'],
    ['', 'a CIDR must be a non-empty string such as "10.0.0.0/8"'],
    ['::ffff:10.0.0.0/104', '"::ffff:10.0.0.0" is an IPv4-mapped IPv6 address, which is ambiguous; write IPv4 CIDRs in IPv4: did you mean "10.0.0.0/8"?'],
  ])('a bad cidr %j', (cidr, message) => {
    expect(problem(ingressFrom({ podSelector: {} }, { ipBlock: { cidr } }))).toBe(one('spec.ingress[0].from[1].ipBlock.cidr', JSON.stringify(cidr), message));
  });

  test('a missing cidr', () => {
    expect(problem(ingressFrom({ ipBlock: { except: ['10.0.0.0/8'] } }))).toBe(
      one('spec.ingress[0].from[0].ipBlock.cidr', 'missing', 'a CIDR must be a non-empty string such as "10.0.0.0/8"'),
    );
  });

  test.each([
    ['the cidr itself', '10.0.0.0/8'],
    ['outside the cidr', '192.168.0.0/16'],
    ['larger than the cidr', '10.0.0.0/7'],
    ['another family', '2001:db8::/32'],
  ])('an except that is not a strict subset: %s', (_, except) => {
    expect(problem({ podSelector: {}, policyTypes: ['Egress'], egress: [{ to: [{ ipBlock: { cidr: '10.0.0.0/8', except: ['10.1.0.0/16', except] } }] }] })).toBe(
      one('spec.egress[0].to[0].ipBlock.except[1]', JSON.stringify(except), 'must be a strict subset of the cidr 10.0.0.0/8'),
    );
  });

  test('an ipBlock combined with a podSelector or namespaceSelector', () => {
    expect(problem(ingressFrom({ ipBlock: { cidr: '10.0.0.0/8' }, podSelector: {} }))).toBe(
      one('spec.ingress[0].from[0]', '{"ipBlock":{"cidr":"10.0.0.0/8"},"podSelector":{}}', 'an ipBlock peer may not also specify a podSelector or namespaceSelector'),
    );
    expect(problem(ingressFrom({ namespaceSelector: {}, ipBlock: { cidr: '10.0.0.0/8' } }))).toBe(
      one('spec.ingress[0].from[0]', '{"namespaceSelector":{},"ipBlock":{"cidr":"10.0.0.0/8"}}', 'an ipBlock peer may not also specify a podSelector or namespaceSelector'),
    );
  });

  describe('host bits in a CIDR are accepted (as the API server does), with a warning, as the masked network', () => {
    const objects = (ipBlock: any) => [
      { apiVersion: 'v1', kind: 'Pod', metadata: { name: 'web', namespace: 'prod', labels: { app: 'web' } } },
      netpol({ podSelector: { matchLabels: { app: 'web' } }, policyTypes: ['Egress'], egress: [{ to: [{ ipBlock }] }] }),
    ];

    test('IPv4 cidr and except', () => {
      const a = Analyzer.fromManifests(objects({ cidr: '10.1.2.3/8', except: ['10.1.2.3/16'] }));
      expect(a.warnings).toEqual([
        'manifest #2: NetworkPolicy prod/p: spec.egress[0].to[0].ipBlock.cidr: "10.1.2.3/8": host bits are set after the /8 prefix; it means "10.0.0.0/8".',
        'manifest #2: NetworkPolicy prod/p: spec.egress[0].to[0].ipBlock.except[0]: "10.1.2.3/16": host bits are set after the /16 prefix; it means "10.1.0.0/16".',
      ]);
      expect(a.isAllowed({ from: 'prod/web', to: 'ip:10.0.0.1', port: 443 })).toBe(true);
      expect(a.isAllowed({ from: 'prod/web', to: 'ip:10.255.0.1', port: 443 })).toBe(true);
      expect(a.isAllowed({ from: 'prod/web', to: 'ip:10.1.200.1', port: 443 })).toBe(false);
      expect(a.isAllowed({ from: 'prod/web', to: 'ip:11.0.0.1', port: 443 })).toBe(false);
      expect(a.explain({ from: 'prod/web', to: 'ip:10.0.0.1', port: 443 }).egress.allowedBy?.peer).toBe('ipBlock 10.0.0.0/8 except 10.1.0.0/16');
    });

    test('IPv6', () => {
      const a = Analyzer.fromManifests(objects({ cidr: '2001:db8::1/32' }));
      expect(a.warnings).toEqual([
        'manifest #2: NetworkPolicy prod/p: spec.egress[0].to[0].ipBlock.cidr: "2001:db8::1/32": host bits are set after the /32 prefix; it means "2001:db8::/32".',
      ]);
      expect(a.isAllowed({ from: 'prod/web', to: 'ip:2001:db8:ffff::1', port: 443 })).toBe(true);
      expect(a.isAllowed({ from: 'prod/web', to: 'ip:2001:db9::1', port: 443 })).toBe(false);
    });
  });
});

describe('peers', () => {
  test('an empty peer `{}`', () => {
    expect(problem(ingressFrom({}))).toBe(one('spec.ingress[0].from[0]', '{}', 'a peer must specify a podSelector, a namespaceSelector or an ipBlock'));
  });

  test('a peer that is not a mapping', () => {
    expect(problem(ingressFrom('web'))).toBe(one('spec.ingress[0].from[0]', '"web"', 'a peer must be a mapping with podSelector, namespaceSelector or ipBlock'));
  });

  test('a peer list that is not a list', () => {
    expect(problem({ podSelector: {}, ingress: [{ from: { podSelector: {} } }] })).toBe(one('spec.ingress[0].from', '{"podSelector":{}}', 'must be a list'));
  });
});

describe('unknown fields (a typo silently ignored would change the meaning)', () => {
  test('`namespaceSelectors` in a peer', () => {
    expect(problem({ podSelector: {}, policyTypes: ['Egress'], egress: [{ to: [{ namespaceSelectors: { matchLabels: { team: 'ops' } }, podSelector: { matchLabels: { app: 'web' } } }] }] })).toBe(
      one('spec.egress[0].to[0].namespaceSelectors', '{"matchLabels":{"team":"ops"}}', 'unknown field "namespaceSelectors"; expected one of podSelector, namespaceSelector, ipBlock'),
    );
  });

  test('`podselector` in the spec (which would otherwise select every pod)', () => {
    expect(problem({ podselector: { matchLabels: { app: 'web' } }, policyTypes: ['Ingress'] })).toBe(
      one('spec.podselector', '{"matchLabels":{"app":"web"}}', 'unknown field "podselector"; expected one of podSelector, policyTypes, ingress, egress'),
    );
  });

  test('`to` in an ingress rule, `port` for `ports`', () => {
    expect(problem({ podSelector: {}, ingress: [{ to: [{ podSelector: {} }] }] })).toBe(
      one('spec.ingress[0].to', '[{"podSelector":{}}]', 'unknown field "to"; expected one of from, ports'),
    );
    expect(problem({ podSelector: {}, ingress: [{ port: [{ port: 80 }] }] })).toBe(
      one('spec.ingress[0].port', '[{"port":80}]', 'unknown field "port"; expected one of from, ports'),
    );
  });

  test('`matchLabel` in a selector, `exclude` in an ipBlock, `ports` in a port entry', () => {
    expect(problem({ podSelector: { matchLabel: { app: 'web' } } })).toBe(
      one('spec.podSelector.matchLabel', '{"app":"web"}', 'unknown field "matchLabel"; expected one of matchLabels, matchExpressions'),
    );
    expect(problem(ingressFrom({ ipBlock: { cidr: '10.0.0.0/8', exclude: ['10.1.0.0/16'] } }))).toBe(
      one('spec.ingress[0].from[0].ipBlock.exclude', '["10.1.0.0/16"]', 'unknown field "exclude"; expected one of cidr, except'),
    );
    expect(problem(ingressPorts({ port: 80, endport: 90 }))).toBe(
      one('spec.ingress[0].ports[0].endport', '90', 'unknown field "endport"; expected one of protocol, port, endPort'),
    );
  });
});

describe('ports', () => {
  test('a lower-case protocol', () => {
    expect(problem(ingressPorts({ port: 80, protocol: 'tcp' }))).toBe(one('spec.ingress[0].ports[0].protocol', '"tcp"', 'the protocol must be TCP, UDP or SCTP (upper case)'));
  });

  test.each([
    [0, 'a port must be between 1 and 65535'],
    [70000, 'a port must be between 1 and 65535'],
    [-1, 'a port must be between 1 and 65535'],
    [80.5, 'a port must be a whole number'],
  ])('port %j', (port, message) => {
    expect(problem(ingressPorts({ port }))).toBe(one('spec.ingress[0].ports[0].port', JSON.stringify(port), message));
  });

  test.each([
    ['80', 'a port name must contain at least one letter (IANA_SVC_NAME); use a number for a numeric port'],
    ['HTTP', 'a port name may contain only lower-case letters, digits and "-" (IANA_SVC_NAME)'],
    ['my-long-port-name', 'a port name is at most 15 characters (IANA_SVC_NAME); "my-long-port-name" has 17'],
    ['-http', 'a port name must not begin or end with "-" (IANA_SVC_NAME)'],
    ['h--ttp', 'a port name must not contain "--" (IANA_SVC_NAME)'],
  ])('port %j as a string', (port, message) => {
    expect(problem(ingressPorts({ port }))).toBe(one('spec.ingress[0].ports[0].port', JSON.stringify(port), message));
  });

  test('endPort below port', () => {
    expect(problem(ingressPorts({ port: 8000, endPort: 7000 }))).toBe(one('spec.ingress[0].ports[0].endPort', '7000', 'endPort must not be below port 8000'));
  });

  test('endPort out of range', () => {
    expect(problem(ingressPorts({ port: 8000, endPort: 70000 }))).toBe(one('spec.ingress[0].ports[0].endPort', '70000', 'a port must be between 1 and 65535'));
  });

  test('endPort with a named port', () => {
    expect(problem(ingressPorts({ port: 'http', endPort: 8080 }))).toBe(one('spec.ingress[0].ports[0].endPort', '8080', 'endPort may not be used with a named port'));
  });

  test('endPort without port', () => {
    expect(problem(ingressPorts({ endPort: 8080, protocol: 'TCP' }))).toBe(one('spec.ingress[0].ports[0].endPort', '8080', 'endPort needs a numeric port'));
  });
});

describe('label selectors', () => {
  test('an invalid label key', () => {
    expect(problem({ podSelector: { matchLabels: { 'app name': 'web' } } })).toBe(
      one('spec.podSelector.matchLabels.app name', '"app name"', 'invalid label key: the name part "app name" must consist of alphanumerics, "-", "_" or ".", and start and end with an alphanumeric'),
    );
    expect(problem(ingressFrom({ namespaceSelector: { matchLabels: { 'Example.com/team': 'ops' } } }))).toMatch(
      /^Invalid manifests \(1 problem\):\nmanifest #1: NetworkPolicy prod\/p: spec\.ingress\[0\]\.from\[0\]\.namespaceSelector\.matchLabels\.Example\.com\/team: "Example\.com\/team": invalid label key: the prefix "Example\.com" must be a DNS-1123 subdomain/,
    );
  });

  test('an invalid label value', () => {
    expect(problem(ingressFrom({ podSelector: { matchLabels: { app: 'web server' } } }))).toBe(
      one('spec.ingress[0].from[0].podSelector.matchLabels.app', '"web server"', 'invalid label value: it must be empty or consist of alphanumerics, "-", "_" or ".", and start and end with an alphanumeric'),
    );
    expect(problem({ podSelector: { matchLabels: { app: 'a'.repeat(64) } } })).toBe(
      one('spec.podSelector.matchLabels.app', JSON.stringify('a'.repeat(64)), 'invalid label value: it is 64 characters long; at most 63 are allowed'),
    );
    expect(problem({ podSelector: { matchLabels: { replicas: 3 } } })).toBe(
      one('spec.podSelector.matchLabels.replicas', '3', 'invalid label value: a label value must be a string, got number'),
    );
  });

  test('an invalid value in matchExpressions', () => {
    expect(problem({ podSelector: { matchExpressions: [{ key: 'tier', operator: 'In', values: ['front', 'back end'] }] } })).toBe(
      one('spec.podSelector.matchExpressions[0].values[1]', '"back end"', 'invalid label value: it must be empty or consist of alphanumerics, "-", "_" or ".", and start and end with an alphanumeric'),
    );
  });

  test('In and NotIn need values', () => {
    expect(problem(ingressFrom({ podSelector: { matchExpressions: [{ key: 'tier', operator: 'In' }] } }))).toBe(
      one('spec.ingress[0].from[0].podSelector.matchExpressions[0].values', 'missing', 'the operator In needs at least one value'),
    );
    expect(problem(ingressFrom({ podSelector: { matchExpressions: [{ key: 'tier', operator: 'NotIn', values: [] }] } }))).toBe(
      one('spec.ingress[0].from[0].podSelector.matchExpressions[0].values', '[]', 'the operator NotIn needs at least one value'),
    );
  });

  test('Exists and DoesNotExist take no values', () => {
    expect(problem({ podSelector: { matchExpressions: [{ key: 'tier', operator: 'Exists', values: ['front'] }] } })).toBe(
      one('spec.podSelector.matchExpressions[0].values', '["front"]', 'the operator Exists takes no values'),
    );
    expect(problem({ podSelector: { matchExpressions: [{ key: 'tier', operator: 'DoesNotExist', values: ['front'] }] } })).toBe(
      one('spec.podSelector.matchExpressions[0].values', '["front"]', 'the operator DoesNotExist takes no values'),
    );
  });

  test.each(['Equals', 'in', 'exists'])('a bad operator %j', (operator) => {
    expect(problem({ podSelector: { matchExpressions: [{ key: 'tier', operator, values: ['front'] }] } })).toBe(
      one('spec.podSelector.matchExpressions[0].operator', JSON.stringify(operator), 'the operator must be In, NotIn, Exists or DoesNotExist'),
    );
  });

  test('a match expression without a key', () => {
    expect(problem({ podSelector: { matchExpressions: [{ operator: 'Exists' }] } })).toBe(
      one('spec.podSelector.matchExpressions[0].key', 'missing', 'invalid label key: a key is required'),
    );
  });
});

describe('policyTypes', () => {
  test('a lower-case policy type', () => {
    expect(problem({ podSelector: {}, policyTypes: ['ingress'] })).toBe(
      one('spec.policyTypes[0]', '"ingress"', 'a policy type must be "Ingress" or "Egress" (case-sensitive)'),
    );
  });

  test('policyTypes that is not a list', () => {
    expect(problem({ podSelector: {}, policyTypes: 'Ingress' })).toBe(one('spec.policyTypes', '"Ingress"', 'policyTypes must be a list of Ingress and/or Egress'));
  });

  test('rules that are not a list', () => {
    expect(problem({ podSelector: {}, ingress: { from: [] } })).toBe(one('spec.ingress', '{"from":[]}', 'ingress must be a list of rules'));
  });
});

describe('names', () => {
  test('an invalid policy name', () => {
    expect(problem({ podSelector: {} }, { name: 'My_Policy', namespace: 'prod' })).toBe(
      'Invalid manifests (1 problem):\nmanifest #1: NetworkPolicy prod/My_Policy: metadata.name: "My_Policy": the name must be a DNS-1123 subdomain: lower-case alphanumerics, "-" and ".", starting and ending with an alphanumeric.',
    );
  });

  test('a missing policy name', () => {
    expect(problem({ podSelector: {} }, { namespace: 'prod' })).toBe(
      'Invalid manifests (1 problem):\nmanifest #1: NetworkPolicy prod/(no name): metadata.name: missing: a NetworkPolicy needs a name.',
    );
  });

  test('an invalid namespace', () => {
    expect(problem({ podSelector: {} }, { name: 'p', namespace: 'Prod' })).toBe(
      'Invalid manifests (1 problem):\nmanifest #1: NetworkPolicy Prod/p: metadata.namespace: "Prod": the namespace must be a DNS-1123 label: lower-case alphanumerics and "-", starting and ending with an alphanumeric.',
    );
  });
});

describe('several problems', () => {
  test('every problem of every object is reported in one error', () => {
    const message = inputError(() => Analyzer.fromManifests([
      netpol({ podSelector: {}, ingress: [{ from: [{ ipBlock: { cidr: '10.0.0.0/33' } }], ports: [{ port: 0 }] }] }, { name: 'first', namespace: 'prod' }),
      { apiVersion: 'v1', kind: 'Pod', metadata: { name: 'web', namespace: 'prod' }, spec: { containers: [{ name: 'main', ports: [{ containerPort: 99999 }] }] } },
      netpol({ podSelector: {}, policyTypes: ['Egress'], egress: [{ ports: [{ port: 53, protocol: 'udp' }] }] }, { name: 'second', namespace: 'prod' }),
    ])).message;
    expect(message).toBe([
      'Invalid manifests (4 problems):',
      'manifest #1: NetworkPolicy prod/first: spec.ingress[0].from[0].ipBlock.cidr: "10.0.0.0/33": the prefix length "33" must be a number from 0 to 32 without leading zeros.',
      'manifest #1: NetworkPolicy prod/first: spec.ingress[0].ports[0].port: 0: a port must be between 1 and 65535.',
      'manifest #2: Pod prod/web: spec.containers[0].ports[0].containerPort: 99999: containerPort must be a whole number from 1 to 65535.',
      'manifest #3: NetworkPolicy prod/second: spec.egress[0].ports[0].protocol: "udp": the protocol must be TCP, UDP or SCTP (upper case).',
    ].join('\n'));
  });

  test('a long list is cut after 20 problems, saying how many more', () => {
    const policies = Array.from({ length: 25 }, (_, i) => netpol({ podSelector: {}, policyTypes: ['ingress'] }, { name: `p${i}`, namespace: 'prod' }));
    const message = inputError(() => Analyzer.fromManifests(policies)).message;
    const lines = message.split('\n');
    expect(lines[0]).toBe('Invalid manifests (25 problems):');
    expect(lines).toHaveLength(22);
    expect(lines[1]).toBe('manifest #1: NetworkPolicy prod/p0: spec.policyTypes[0]: "ingress": a policy type must be "Ingress" or "Egress" (case-sensitive).');
    expect(lines[20]).toMatch(/^manifest #20: NetworkPolicy prod\/p19: /);
    expect(lines[21]).toBe('(and 5 more)');
  });
});

describe('in files, problems are reported with file:line', () => {
  let dir: string;
  beforeAll(() => {
    dir = fs.mkdtempSync(path.join(os.tmpdir(), 'netpol-validation-'));
  });
  afterAll(() => {
    fs.rmSync(dir, { recursive: true, force: true });
  });

  test('the line of the bad field', () => {
    const file = path.join(dir, 'netpol.yaml');
    fs.writeFileSync(file, [
      '# allow the frontend and the office network', //  1
      'apiVersion: networking.k8s.io/v1', //             2
      'kind: NetworkPolicy', //                          3
      'metadata:', //                                    4
      '  name: api', //                                  5
      '  namespace: prod', //                            6
      'spec:', //                                        7
      '  podSelector:', //                               8
      '    matchLabels:', //                             9
      '      app: api', //                              10
      '  ingress:', //                                  11
      '    - from:', //                                 12
      '        - podSelector:', //                      13
      '            matchLabels:', //                    14
      '              app: frontend', //                 15
      '        - ipBlock:', //                          16
      '            cidr: 10.0.0.0/33', //               17
      '      ports:', //                                18
      '        - port: 8080', //                        19
      '          protocol: tcp', //                     20
      '',
    ].join('\n'));
    expect(inputError(() => Analyzer.fromFiles([file])).message).toBe([
      'Invalid manifests (2 problems):',
      `${file}:17: NetworkPolicy prod/api: spec.ingress[0].from[1].ipBlock.cidr: "10.0.0.0/33": the prefix length "33" must be a number from 0 to 32 without leading zeros.`,
      `${file}:20: NetworkPolicy prod/api: spec.ingress[0].ports[0].protocol: "tcp": the protocol must be TCP, UDP or SCTP (upper case).`,
    ].join('\n'));
  });

  test('a missing field is reported at the line of its parent', () => {
    const file = path.join(dir, 'missing.yaml');
    fs.writeFileSync(file, [
      'apiVersion: networking.k8s.io/v1', //  1
      'kind: NetworkPolicy', //               2
      'metadata:', //                         3
      '  name: api', //                       4
      '  namespace: prod', //                 5
      'spec:', //                             6
      '  podSelector:', //                    7
      '    matchExpressions:', //             8
      '      - key: tier', //                 9
      '        operator: In', //             10
      '',
    ].join('\n'));
    expect(inputError(() => Analyzer.fromFiles([file])).message).toBe(
      `Invalid manifests (1 problem):\n${file}:9: NetworkPolicy prod/api: spec.podSelector.matchExpressions[0].values: missing: the operator In needs at least one value.`,
    );
  });
});

import { ApiObject, Testing } from 'cdk8s';
import { Port, Protocol } from '../src';
import { synthValidated } from './support/synth';

/** The port as it appears in the synthesized YAML (no undefined fields). */
function rendered(port: Port): unknown {
  return JSON.parse(JSON.stringify(port._toKube()));
}

describe('single ports', () => {
  test('Port.tcp(8080)', () => {
    const port = Port.tcp(8080);
    expect(rendered(port)).toStrictEqual({ protocol: 'TCP', port: 8080 });
    expect(port.protocol).toBe(Protocol.TCP);
    expect(port.portNumber).toBe(8080);
    expect(port.endPort).toBeUndefined();
    expect(port.name).toBeUndefined();
    expect(port.isAllPorts).toBe(false);
    expect(port.toString()).toBe('TCP/8080');
  });

  test.each([
    [Port.udp(5353), { protocol: 'UDP', port: 5353 }, 'UDP/5353'],
    [Port.sctp(9), { protocol: 'SCTP', port: 9 }, 'SCTP/9'],
    [Port.number(Protocol.UDP, 1), { protocol: 'UDP', port: 1 }, 'UDP/1'],
    [Port.tcp(65535), { protocol: 'TCP', port: 65535 }, 'TCP/65535'],
  ])('%s', (port, kube, text) => {
    expect(rendered(port)).toStrictEqual(kube);
    expect(port.toString()).toBe(text);
  });

  test('the protocols are the Kubernetes names', () => {
    expect([Protocol.TCP, Protocol.UDP, Protocol.SCTP]).toEqual(['TCP', 'UDP', 'SCTP']);
  });
});

describe('invalid port numbers', () => {
  test('0 is rejected, pointing to the all-ports factories', () => {
    expect(() => Port.tcp(0)).toThrow(
      /^Invalid TCP port 0: a port must be between 1 and 65535 \(to allow every port of a protocol use Port\.allTcp\(\), Port\.allUdp\(\) or Port\.allSctp\(\)\)\.$/,
    );
  });

  test('65536 is rejected', () => {
    expect(() => Port.tcp(65536)).toThrow(/^Invalid TCP port 65536: a port must be between 1 and 65535\.$/);
  });

  test('a negative port is rejected', () => {
    expect(() => Port.udp(-53)).toThrow(/^Invalid UDP port -53: a port must be between 1 and 65535\.$/);
  });

  test('a fractional port is rejected', () => {
    expect(() => Port.tcp(1.5)).toThrow(/^Invalid TCP port 1\.5: a port must be a whole number\.$/);
  });

  test('NaN is rejected', () => {
    expect(() => Port.sctp(NaN)).toThrow(/^Invalid SCTP port NaN: a port must be a whole number\.$/);
  });

  test('a range start out of range is rejected', () => {
    expect(() => Port.tcpRange(0, 1024)).toThrow(/^Invalid TCP port range start 0: a port must be between 1 and 65535 \(to allow every port/);
  });

  test('a range end out of range is rejected', () => {
    expect(() => Port.udpRange(30000, 70000)).toThrow(/^Invalid UDP port range end \(endPort\) 70000: a port must be between 1 and 65535\.$/);
  });

  test('a fractional range end is rejected', () => {
    expect(() => Port.sctpRange(1, 2.5)).toThrow(/^Invalid SCTP port range end \(endPort\) 2\.5: a port must be a whole number\.$/);
  });
});

describe('port ranges', () => {
  test('Port.tcpRange(8000, 8080) renders port and endPort', () => {
    const port = Port.tcpRange(8000, 8080);
    expect(rendered(port)).toStrictEqual({ protocol: 'TCP', port: 8000, endPort: 8080 });
    expect(port.portNumber).toBe(8000);
    expect(port.endPort).toBe(8080);
    expect(port.toString()).toBe('TCP/8000-8080');
  });

  test.each([
    [Port.udpRange(30000, 32767), { protocol: 'UDP', port: 30000, endPort: 32767 }, 'UDP/30000-32767'],
    [Port.sctpRange(1, 65535), { protocol: 'SCTP', port: 1, endPort: 65535 }, 'SCTP/1-65535'],
    [Port.range(Protocol.TCP, 1024, 1025), { protocol: 'TCP', port: 1024, endPort: 1025 }, 'TCP/1024-1025'],
  ])('%s', (port, kube, text) => {
    expect(rendered(port)).toStrictEqual(kube);
    expect(port.toString()).toBe(text);
  });

  test('a range of one port collapses to that port', () => {
    const port = Port.tcpRange(80, 80);
    expect(rendered(port)).toStrictEqual({ protocol: 'TCP', port: 80 });
    expect(port.endPort).toBeUndefined();
    expect(port.toString()).toBe('TCP/80');
    expect(port.toString()).toBe(Port.tcp(80).toString());
  });

  test('an end below the start is rejected with the swapped range as the fix', () => {
    expect(() => Port.tcpRange(8080, 8000)).toThrow(
      /^Invalid TCP port range 8080-8000: endPort must be greater than or equal to port; did you mean 8000-8080\?$/,
    );
  });

  test('the end check applies to every protocol', () => {
    expect(() => Port.udpRange(2, 1)).toThrow(/^Invalid UDP port range 2-1: .*did you mean 1-2\?$/);
  });
});

describe('named ports', () => {
  test('Port.named() defaults to TCP', () => {
    const port = Port.named('metrics');
    expect(rendered(port)).toStrictEqual({ protocol: 'TCP', port: 'metrics' });
    expect(port.name).toBe('metrics');
    expect(port.portNumber).toBeUndefined();
    expect(port.toString()).toBe('TCP/metrics');
  });

  test('Port.named(\'metrics\', Protocol.UDP)', () => {
    const port = Port.named('metrics', Protocol.UDP);
    expect(rendered(port)).toStrictEqual({ protocol: 'UDP', port: 'metrics' });
    expect(port.toString()).toBe('UDP/metrics');
  });

  test('a name of 15 characters is the longest allowed', () => {
    expect(rendered(Port.named('abcdefghijklmno'))).toStrictEqual({ protocol: 'TCP', port: 'abcdefghijklmno' });
  });

  test.each([
    ['abcdefghijklmnop', /^Invalid named port "abcdefghijklmnop": a port name is at most 15 characters \(IANA_SVC_NAME\); "abcdefghijklmnop" has 16\.$/],
    ['Metrics', /^Invalid named port "Metrics": a port name may contain only lower-case letters, digits and "-" \(IANA_SVC_NAME\)\.$/],
    ['http_alt', /^Invalid named port "http_alt": a port name may contain only lower-case letters, digits and "-"/],
    ['123', /^Invalid named port "123": a port name must contain at least one letter \(IANA_SVC_NAME\); use a number for a numeric port\.$/],
    ['-http', /^Invalid named port "-http": a port name must not begin or end with "-" \(IANA_SVC_NAME\)\.$/],
    ['http-', /^Invalid named port "http-": a port name must not begin or end with "-" \(IANA_SVC_NAME\)\.$/],
    ['my--port', /^Invalid named port "my--port": a port name must not contain "--" \(IANA_SVC_NAME\)\.$/],
    ['', /^Invalid named port "": a port name must be a non-empty string\.$/],
  ])('%p is rejected', (name, message) => {
    expect(() => Port.named(name)).toThrow(message);
  });
});

describe('every port', () => {
  test('Port.allTcp() renders the protocol with no port field (never port 0)', () => {
    const port = Port.allTcp();
    const kube = rendered(port) as Record<string, unknown>;
    expect(kube).toStrictEqual({ protocol: 'TCP' });
    expect('port' in kube).toBe(false);
    expect(port._toKube().port).toBeUndefined();
    expect(port.portNumber).toBeUndefined();
    expect(port.isAllPorts).toBe(false);
    expect(port.toString()).toBe('TCP/*');
  });

  test.each([
    [Port.allUdp(), { protocol: 'UDP' }, 'UDP/*'],
    [Port.allSctp(), { protocol: 'SCTP' }, 'SCTP/*'],
  ])('%s', (port, kube, text) => {
    expect(rendered(port)).toStrictEqual(kube);
    expect(port.toString()).toBe(text);
  });

  test('Port.allPorts() has no protocol and renders nothing', () => {
    const port = Port.allPorts();
    expect(port.isAllPorts).toBe(true);
    expect(port.protocol).toBeUndefined();
    expect(rendered(port)).toStrictEqual({});
    expect(port.toString()).toBe('*');
  });

  test('in a synthesized manifest, the all-protocol ports have no port and pass the schema', () => {
    // GIVEN a NetworkPolicy object that uses the rendered ports
    const chart = Testing.chart();
    new ApiObject(chart, 'ports', {
      apiVersion: 'networking.k8s.io/v1',
      kind: 'NetworkPolicy',
      metadata: { name: 'ports' },
      spec: {
        podSelector: {},
        policyTypes: ['Egress'],
        egress: [{ ports: [Port.allTcp(), Port.allUdp(), Port.tcpRange(8000, 8080), Port.named('metrics')].map((p) => p._toKube()) }],
      },
    });

    // WHEN
    const [policy] = synthValidated(chart);

    // THEN
    expect(policy.spec.egress[0].ports).toStrictEqual([
      { protocol: 'TCP' },
      { protocol: 'UDP' },
      { protocol: 'TCP', port: 8000, endPort: 8080 },
      { protocol: 'TCP', port: 'metrics' },
    ]);
  });
});

describe('well-known ports', () => {
  test.each([
    ['DNS_UDP', Port.DNS_UDP, { protocol: 'UDP', port: 53 }, 'UDP/53'],
    ['DNS_TCP', Port.DNS_TCP, { protocol: 'TCP', port: 53 }, 'TCP/53'],
    ['HTTP', Port.HTTP, { protocol: 'TCP', port: 80 }, 'TCP/80'],
    ['HTTPS', Port.HTTPS, { protocol: 'TCP', port: 443 }, 'TCP/443'],
  ])('Port.%s', (_name, port, kube, text) => {
    expect(rendered(port)).toStrictEqual(kube);
    expect(port.toString()).toBe(text);
  });
});

describe('protocols (JavaScript callers have no type checker)', () => {
  test.each([
    ['a lower-case protocol', () => Port.number('tcp' as Protocol, 80), 'tcp'],
    ['no protocol', () => Port.number(undefined as unknown as Protocol, 5432), 'undefined'],
    ['an unknown protocol on a range', () => Port.range('ICMP' as Protocol, 1, 2), 'ICMP'],
    ['an unknown protocol on a named port', () => Port.named('metrics', 'HTTP' as Protocol), 'HTTP'],
  ])('%s is rejected, never rendered as "every port"', (_what, make, shown) => {
    expect(make).toThrow(new RegExp(`^Invalid protocol "${shown}": use Protocol.TCP, Protocol.UDP or Protocol.SCTP`));
  });

  test('only Port.allPorts() means every port', () => {
    expect(Port.allPorts().isAllPorts).toBe(true);
    expect(Port.allTcp().isAllPorts).toBe(false);
    expect(Port.named('metrics').isAllPorts).toBe(false);
  });
});

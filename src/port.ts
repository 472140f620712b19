import { defineReadOnly, lockFields } from './internal/immutable';
import { Protocol } from './protocol';
import { isProtocol, portNameProblem, portNumberProblem } from './validation/ports';

/**
 * A destination port (or range, or named port) that a policy rule allows.
 *
 * Ports are validated when created, with the API server's rules: numbers are
 * 1-65535, a range's end is not below its start, and names follow IANA_SVC_NAME.
 *
 * @example
 * Port.tcp(8080)
 * Port.udpRange(30000, 32767)
 * Port.named('metrics')
 * Port.DNS_UDP
 */
export class Port {
  /** UDP 53: DNS queries. */
  public static readonly DNS_UDP = Port.udp(53);
  /** TCP 53: DNS over TCP (large responses, zone transfers, DNSSEC). */
  public static readonly DNS_TCP = Port.tcp(53);
  /** TCP 80: HTTP. */
  public static readonly HTTP = Port.tcp(80);
  /** TCP 443: HTTPS. */
  public static readonly HTTPS = Port.tcp(443);

  /** A single TCP port. */
  public static tcp(port: number): Port {
    return Port.number(Protocol.TCP, port);
  }

  /** A single UDP port. */
  public static udp(port: number): Port {
    return Port.number(Protocol.UDP, port);
  }

  /** A single SCTP port. */
  public static sctp(port: number): Port {
    return Port.number(Protocol.SCTP, port);
  }

  /** An inclusive range of TCP ports (`port` .. `endPort`). */
  public static tcpRange(startPort: number, endPort: number): Port {
    return Port.range(Protocol.TCP, startPort, endPort);
  }

  /** An inclusive range of UDP ports. */
  public static udpRange(startPort: number, endPort: number): Port {
    return Port.range(Protocol.UDP, startPort, endPort);
  }

  /** An inclusive range of SCTP ports. */
  public static sctpRange(startPort: number, endPort: number): Port {
    return Port.range(Protocol.SCTP, startPort, endPort);
  }

  /**
   * A single port of any protocol.
   */
  public static number(protocol: Protocol, port: number): Port {
    assertProtocol(protocol);
    assertPortNumber(port, `${protocol} port`);
    return new Port(protocol, port, undefined, undefined);
  }

  /**
   * An inclusive range of ports of any protocol.
   */
  public static range(protocol: Protocol, startPort: number, endPort: number): Port {
    assertProtocol(protocol);
    assertPortNumber(startPort, `${protocol} port range start`);
    assertPortNumber(endPort, `${protocol} port range end (endPort)`);
    if (endPort < startPort) {
      throw new Error(
        `Invalid ${protocol} port range ${startPort}-${endPort}: endPort must be greater than or equal to port; did you mean ${endPort}-${startPort}?`,
      );
    }
    return new Port(protocol, startPort, endPort === startPort ? undefined : endPort, undefined);
  }

  /**
   * A named container port (for example `metrics`), resolved by the network
   * plugin against the destination pod's container ports of the same protocol.
   *
   * @param name the container port name (IANA_SVC_NAME: at most 15 lower-case letters, digits and "-")
   * @param protocol the protocol of the container port; TCP when not given
   */
  public static named(name: string, protocol?: Protocol): Port {
    if (protocol !== undefined) {
      assertProtocol(protocol);
    }
    const problem = portNameProblem(name);
    if (problem) {
      throw new Error(`Invalid named port "${name}": ${problem}.`);
    }
    return new Port(protocol ?? Protocol.TCP, undefined, undefined, name);
  }

  /** Every TCP port (renders `protocol: TCP` with no port, which the API server accepts). */
  public static allTcp(): Port {
    return new Port(Protocol.TCP, undefined, undefined, undefined);
  }

  /** Every UDP port. */
  public static allUdp(): Port {
    return new Port(Protocol.UDP, undefined, undefined, undefined);
  }

  /** Every SCTP port. */
  public static allSctp(): Port {
    return new Port(Protocol.SCTP, undefined, undefined, undefined);
  }

  /**
   * Every port of every protocol: the rule is rendered without `ports`.
   * Must be the only port of a rule.
   */
  public static allPorts(): Port {
    return new Port(undefined, undefined, undefined, undefined, true);
  }

  /** The protocol, or undefined for `Port.allPorts()`. */
  declare public readonly protocol?: Protocol;
  /** The port number (the start of a range), or undefined for named ports and "all ports". */
  declare public readonly portNumber?: number;
  /** The inclusive end of a port range. */
  declare public readonly endPort?: number;
  /** The container port name, for named ports. */
  declare public readonly name?: string;

  declare private readonly everyPort: boolean;

  private constructor(protocol?: Protocol, port?: number, endPort?: number, name?: string, allPorts: boolean = false) {
    defineReadOnly(this, 'everyPort', allPorts);
    defineReadOnly(this, 'protocol', protocol);
    defineReadOnly(this, 'portNumber', port);
    defineReadOnly(this, 'endPort', endPort);
    defineReadOnly(this, 'name', name);
  }

  /** True for `Port.allPorts()`: the rule matches every port of every protocol. */
  public get isAllPorts(): boolean {
    return this.everyPort;
  }

  /**
   * A stable, human-readable form: `TCP/8080`, `TCP/8000-8080`, `TCP/metrics`,
   * `UDP/*`, or `*` for all ports.
   */
  public toString(): string {
    if (this.everyPort) {
      return '*';
    }
    if (this.name !== undefined) {
      return `${this.protocol}/${this.name}`;
    }
    if (this.portNumber === undefined) {
      return `${this.protocol}/*`;
    }
    return this.endPort === undefined ? `${this.protocol}/${this.portNumber}` : `${this.protocol}/${this.portNumber}-${this.endPort}`;
  }

  /**
   * The Kubernetes `NetworkPolicyPort` for this port, as it appears in the manifest.
   * @internal
   */
  public _toKube(): { protocol?: string; port?: number | string; endPort?: number } {
    return { protocol: this.protocol, port: this.name ?? this.portNumber, endPort: this.endPort };
  }
}

// The well-known ports are shared by every policy: `Port.HTTP = ...` must not change them either.
lockFields(Port, 'DNS_UDP', 'DNS_TCP', 'HTTP', 'HTTPS');

function assertProtocol(protocol: Protocol): void {
  if (!isProtocol(protocol)) {
    throw new Error(`Invalid protocol "${protocol}": use Protocol.TCP, Protocol.UDP or Protocol.SCTP (the API server is case-sensitive).`);
  }
}

function assertPortNumber(port: number, what: string): void {
  const problem = portNumberProblem(port);
  if (problem) {
    const hint = port === 0 ? ' (to allow every port of a protocol use Port.allTcp(), Port.allUdp() or Port.allSctp())' : '';
    throw new Error(`Invalid ${what} ${port}: ${problem}${hint}.`);
  }
}

import { Protocol } from '../protocol';
import { HttpRequest, IcmpVersion } from './flow';
import { escapeTerminal } from '../text/escape';

/*
 * The fields of a flow beyond its endpoints and port (protocol, ICMP type,
 * DNS name, HTTP request), checked once for every reader: the expectations
 * file, `explain`'s options and the Analyzer's API. Each check returns a
 * problem (a sentence fragment) or undefined.
 */

/** The entities a flow may start or end at (`entity:<name>`). */
export const FLOW_ENTITIES: readonly string[] = ['kube-apiserver', 'host', 'remote-node'];

/** Every protocol a flow may name: the transports, then the ICMP versions. */
export const FLOW_PROTOCOLS: readonly string[] = [Protocol.TCP, Protocol.UDP, Protocol.SCTP, IcmpVersion.ICMP, IcmpVersion.ICMPV6];

/** The ICMP echo request, the message `ping` sends: the type a flow has when it names none. */
export const ECHO_REQUEST: Readonly<Record<IcmpVersion, number>> = { [IcmpVersion.ICMP]: 8, [IcmpVersion.ICMPV6]: 128 };

/** True for ICMP and ICMPv6. */
export function isIcmpVersion(value: unknown): value is IcmpVersion {
  return value === IcmpVersion.ICMP || value === IcmpVersion.ICMPV6;
}

/** A problem with an ICMP type, or undefined: a whole number from 0 to 255. */
export function icmpTypeProblem(value: unknown): string | undefined {
  return Number.isInteger(value) && (value as number) >= 0 && (value as number) <= 255 ? undefined : 'an ICMP type is a whole number from 0 to 255 (8 is echo request, 128 for ICMPv6)';
}

/** DNS names as Cilium's matchName takes them (labels of [-a-zA-Z0-9_], an optional trailing dot), written to run in linear time. */
const DNS_NAME = /^[-a-zA-Z0-9_]+(\.[-a-zA-Z0-9_]+)*\.?$/;

/** A problem with a looked-up DNS name, or undefined. */
export function dnsNameProblem(value: unknown): string | undefined {
  if (typeof value !== 'string' || value.length === 0 || value.length > 253 || !DNS_NAME.test(value)) {
    return 'a DNS name has at most 253 characters: letters, digits, "-" and "_" in labels separated by dots, e.g. api.stripe.com';
  }
  return undefined;
}

/** An HTTP method is a token (RFC 9110): letters, digits and !#$%&'*+-.^_`|~. */
const METHOD = /^[-!#$%&'*+.^_`|~A-Za-z0-9]{1,32}$/;
/** The longest path accepted: a request, not a payload. */
const MAX_PATH = 2048;

/** A problem with an HTTP request, or undefined: a method token, and a path starting with "/" without spaces or control characters. */
export function httpRequestProblem(value: unknown): string | undefined {
  if (typeof value !== 'object' || value === null || Array.isArray(value)) return 'an HTTP request is a mapping with method and path, e.g. { method: GET, path: /public }';
  const { method, path, ...rest } = value as Record<string, unknown>;
  const unknown = Object.keys(rest);
  if (unknown.length > 0) return `unknown key "${unknown[0]}": an HTTP request has method and path`;
  if (typeof method !== 'string' || !METHOD.test(method)) return 'the method must be an HTTP method token such as GET or POST';
  if (typeof path !== 'string' || !path.startsWith('/') || path.length > MAX_PATH || /[\s\x00-\x1f\x7f]/.test(path)) {
    return `the path must start with "/" and have at most ${MAX_PATH} characters, without spaces or control characters, e.g. /public/index.html`;
  }
  return undefined;
}

/** The request as a flow carries it. */
export function httpRequestOf(value: unknown): HttpRequest {
  const { method, path } = value as HttpRequest;
  return { method, path };
}

/** A problem with an endpoint written `entity:<name>`, or undefined when it is not one or names a known entity. */
export function entityProblem(text: string): string | undefined {
  if (!text.startsWith('entity:')) return undefined;
  const name = text.slice('entity:'.length);
  return FLOW_ENTITIES.includes(name) ? undefined : `unknown entity "${escapeTerminal(name)}": a flow may start or end at ${FLOW_ENTITIES.map((e) => `entity:${e}`).join(', ')}`;
}

import { Protocol } from '../protocol';

/**
 * Port rules of the API server: numbers 1-65535, `endPort >= port` (numeric
 * port only), and named ports per IANA_SVC_NAME (validation.IsValidPortName).
 */

/** Returns why `port` is not a valid port number, or undefined. */
export function portNumberProblem(port: number): string | undefined {
  if (typeof port !== 'number' || !Number.isInteger(port)) {
    return 'a port must be a whole number';
  }
  if (port < 1 || port > 65535) {
    return 'a port must be between 1 and 65535';
  }
  return undefined;
}

/** Returns why `name` is not a valid named port (IANA_SVC_NAME), or undefined. */
export function portNameProblem(name: string): string | undefined {
  if (typeof name !== 'string' || name.length === 0) {
    return 'a port name must be a non-empty string';
  }
  if (name.length > 15) {
    return `a port name is at most 15 characters (IANA_SVC_NAME); "${name}" has ${name.length}`;
  }
  if (!/^[-a-z0-9]+$/.test(name)) {
    return 'a port name may contain only lower-case letters, digits and "-" (IANA_SVC_NAME)';
  }
  if (!/[a-z]/.test(name)) {
    return 'a port name must contain at least one letter (IANA_SVC_NAME); use a number for a numeric port';
  }
  if (name.startsWith('-') || name.endsWith('-')) {
    return 'a port name must not begin or end with "-" (IANA_SVC_NAME)';
  }
  if (name.includes('--')) {
    return 'a port name must not contain "--" (IANA_SVC_NAME)';
  }
  return undefined;
}

/** True for TCP, UDP or SCTP, exactly as written (the API server is case-sensitive). */
export function isProtocol(value: unknown): value is Protocol {
  return Object.values(Protocol).includes(value as Protocol);
}

/**
 * Label and name rules exactly as the Kubernetes API server applies them
 * (k8s.io/apimachinery/pkg/util/validation): a label key is a qualified name,
 * a label value is at most 63 characters and alphanumeric at both ends.
 */

const QUALIFIED_NAME_MAX = 63;
const LABEL_VALUE_MAX = 63;
const DNS_SUBDOMAIN_MAX = 253;
const DNS_LABEL_MAX = 63;

const QUALIFIED_NAME = /^([A-Za-z0-9][-A-Za-z0-9_.]*)?[A-Za-z0-9]$/;
const LABEL_VALUE = /^(([A-Za-z0-9][-A-Za-z0-9_.]*)?[A-Za-z0-9])?$/;
const DNS_SUBDOMAIN = /^[a-z0-9]([-a-z0-9]*[a-z0-9])?(\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*$/;
const DNS_LABEL = /^[a-z0-9]([-a-z0-9]*[a-z0-9])?$/;

/** Returns why `key` is not a valid label key, or undefined when it is. */
export function labelKeyProblem(key: string): string | undefined {
  if (typeof key !== 'string' || key.length === 0) {
    return 'a label key must be a non-empty string';
  }
  const slash = key.indexOf('/');
  let name = key;
  if (slash >= 0) {
    const prefix = key.slice(0, slash);
    name = key.slice(slash + 1);
    if (prefix.length === 0) {
      return 'the prefix before "/" must not be empty';
    }
    const prefixProblem = dnsSubdomainProblem(prefix);
    if (prefixProblem) {
      return `the prefix "${prefix}" ${prefixProblem}`;
    }
  }
  if (name.length === 0) {
    return 'the name part must not be empty';
  }
  if (name.length > QUALIFIED_NAME_MAX) {
    return `the name part "${name}" is ${name.length} characters long; at most ${QUALIFIED_NAME_MAX} are allowed`;
  }
  if (!QUALIFIED_NAME.test(name)) {
    return `the name part "${name}" must consist of alphanumerics, "-", "_" or ".", and start and end with an alphanumeric`;
  }
  return undefined;
}

/** Returns why `value` is not a valid label value, or undefined when it is. */
export function labelValueProblem(value: string): string | undefined {
  if (typeof value !== 'string') {
    return `a label value must be a string, got ${typeof value}`;
  }
  if (value.length > LABEL_VALUE_MAX) {
    return `it is ${value.length} characters long; at most ${LABEL_VALUE_MAX} are allowed`;
  }
  if (!LABEL_VALUE.test(value)) {
    return 'it must be empty or consist of alphanumerics, "-", "_" or ".", and start and end with an alphanumeric';
  }
  return undefined;
}

/** Returns why `name` is not a DNS-1123 subdomain (object names, label key prefixes), or undefined. */
export function dnsSubdomainProblem(name: string): string | undefined {
  if (typeof name !== 'string') {
    return `must be a string, got ${typeof name}`;
  }
  if (name.length > DNS_SUBDOMAIN_MAX) {
    return `is ${name.length} characters long; at most ${DNS_SUBDOMAIN_MAX} are allowed`;
  }
  if (!DNS_SUBDOMAIN.test(name)) {
    return 'must be a DNS-1123 subdomain: lower-case alphanumerics, "-" and ".", starting and ending with an alphanumeric';
  }
  return undefined;
}

/** Returns why `name` is not a DNS-1123 label (namespace names), or undefined. */
export function dnsLabelProblem(name: string): string | undefined {
  if (typeof name !== 'string') {
    return `must be a string, got ${typeof name}`;
  }
  if (name.length > DNS_LABEL_MAX) {
    return `is ${name.length} characters long; at most ${DNS_LABEL_MAX} are allowed`;
  }
  if (!DNS_LABEL.test(name)) {
    return 'must be a DNS-1123 label: lower-case alphanumerics and "-", starting and ending with an alphanumeric';
  }
  return undefined;
}

/** Throws when `key` is not a valid label key; `where` says what the key is used for. */
export function assertLabelKey(key: string, where: string): void {
  const problem = labelKeyProblem(key);
  if (problem) {
    throw new Error(`Invalid label key "${key}" in ${where}: ${problem}.`);
  }
}

/** Throws when `value` is not a valid label value; `where` says what the value is used for. */
export function assertLabelValue(key: string, value: string, where: string): void {
  const problem = labelValueProblem(value);
  if (problem) {
    throw new Error(`Invalid label value "${value}" for key "${key}" in ${where}: ${problem}.`);
  }
}

/** Throws when `name` is not a valid namespace name. */
export function assertNamespaceName(name: string, where: string): void {
  const problem = typeof name === 'string' ? dnsLabelProblem(name) : 'must be a string';
  if (problem) {
    throw new Error(`Invalid namespace name "${name}" in ${where}: it ${problem}.`);
  }
}

/**
 * The annotation prefix that acknowledges a lint finding on an object:
 * `acknowledge.cdk8s-netpol.io/<rule-id>: "<reason>"`. Here, below both the
 * constructs (which acknowledge what they do by design) and the linter
 * (which reads it).
 */
export const ACKNOWLEDGE_PREFIX = 'acknowledge.cdk8s-netpol.io/';

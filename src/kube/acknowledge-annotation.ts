/**
 * The annotation prefix that acknowledges a lint finding on an object:
 * `acknowledge.cdk8s-netpol.io/<rule-id>: "<reason>"`. Here, below both the
 * constructs (which acknowledge what they do by design) and the linter
 * (which reads it).
 */
export const ACKNOWLEDGE_PREFIX = 'acknowledge.cdk8s-netpol.io/';

/**
 * The id of the lint rule that guardrails overriding namespaces on purpose
 * acknowledge on themselves: one constant for the rule and its acknowledgers,
 * so that renaming the rule cannot silently leave them unacknowledged.
 */
export const ADMIN_ACCEPT_OVERRIDES_DEFAULT_DENY = 'admin-accept-overrides-default-deny';

import { Severity } from './severity';

/**
 * One problem a lint rule found, attached to one object of the manifests.
 */
export interface LintFinding {
  /** The rule's stable id, e.g. `dns-egress-blocked` (see docs/rules.md). */
  readonly ruleId: string;
  /** The rule's severity. */
  readonly severity: Severity;
  /** What is wrong, naming the object, the field and the values. */
  readonly message: string;
  /** How to fix it. */
  readonly fix: string;
  /** The object the finding is about, as `Kind namespace/name` (e.g. `NetworkPolicy shop/web-egress`). */
  readonly object: string;
  /**
   * The field inside the object, e.g. `spec.egress[0].to[1]`.
   * @default - the object as a whole
   */
  readonly field?: string;
  /**
   * The manifest file the object came from.
   * @default - none: the object came from a cdk8s App or an in-memory array, or does not exist (a namespace without a Namespace object)
   */
  readonly file?: string;
  /**
   * The 1-based line of the field (or the object) in `file`.
   * @default - none: no file
   */
  readonly line?: number;
  /** Where it is, for people: `file:line`, or the chart path or `manifest #N` when there is no file. */
  readonly location: string;
  /**
   * The reason the object's owner gave for acknowledging the finding
   * (annotation `acknowledge.cdk8s-netpol.io/<rule-id>`).
   * @default - not acknowledged
   */
  readonly acknowledgedBecause?: string;
}

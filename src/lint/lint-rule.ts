import { Cni } from './cni';
import { MetricsScraper } from './lint-options';
import { Severity } from './severity';
import { Subject } from './subject';
import { ClusterModel } from '../analysis/cluster-model';
import { Evaluator } from '../analysis/evaluator';
import { FieldPath } from '../analysis/manifest-object';
import { ParsedCidr } from '../validation/cidr';

/** What a rule sees: the model, an evaluator over it, and the options. */
export interface RuleContext {
  readonly model: ClusterModel;
  readonly evaluator: Evaluator;
  readonly cni?: Cni;
  /** The CNI version, when given: gaps fixed after it apply. */
  readonly cniVersion?: string;
  /** The scraper option, when given (`metrics-scraper.ts` chooses one otherwise). */
  readonly scraper?: MetricsScraper;
  /** Every rule id, for checking acknowledgements. */
  readonly ruleIds: readonly string[];
  /** The pod network's CIDRs the user gave (`podCidrs`, `--pod-cidr`); none by default. */
  readonly podCidrs: readonly ParsedCidr[];
}

/** A finding before the engine adds the rule's id, severity and location. */
export interface RuleFinding {
  readonly subject: Subject;
  /** The field the finding is about, e.g. `['spec', 'egress', 0, 'to', 1]`. */
  readonly field?: FieldPath;
  readonly message: string;
  /** A fix more specific than the rule's. */
  readonly fix?: string;
}

/**
 * A lint rule: one per file in `src/lint/rules/`, whose name is the id.
 * `summary` and `fix` are the catalogue entry (docs/rules.md is checked against them).
 */
export interface LintRule {
  readonly id: string;
  readonly severity: Severity;
  /** One line: what the rule finds. */
  readonly summary: string;
  /** Why it matters, for the catalogue. */
  readonly rationale: string;
  /** The usual fix. */
  readonly fix: string;
  check(context: RuleContext): RuleFinding[];
}

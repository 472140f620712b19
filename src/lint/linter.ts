import { acknowledgementsOf } from './acknowledgement';
import { LintFinding } from './lint-finding';
import { LintOptions } from './lint-options';
import { LintReport } from './lint-report';
import { LintRule, RuleContext, RuleFinding } from './lint-rule';
import { parseLintOptions } from './parse-lint-options';
import { RULES } from './rules';
import { Severity } from './severity';
import { Analyzer } from '../analysis/analyzer';
import { Evaluator } from '../analysis/evaluator';
import { AnalysisInputError } from '../analysis/input-error';
import { formatPath, lineOfField, locateField } from '../analysis/manifest-object';
import { parseCidr } from '../validation/cidr';

/**
 * A rule of the catalogue (docs/rules.md).
 */
export interface LintRuleInfo {
  /** The stable id, e.g. `dns-egress-blocked`. */
  readonly id: string;
  /** The severity of its findings. */
  readonly severity: Severity;
  /** What it finds, in one line. */
  readonly summary: string;
  /** Why it matters. */
  readonly rationale: string;
  /** The usual fix. */
  readonly fix: string;
}

/**
 * Checks manifests for the mistakes that cause outages and holes: pods that
 * cannot resolve names, selectors that match nothing, namespaces without
 * default-deny, rules that allow everyone, cloud metadata reachable from pods,
 * features the CNI does not enforce...
 *
 * CiliumNetworkPolicy and CiliumClusterwideNetworkPolicy are judged too,
 * with rules of their own for Cilium's traps.
 *
 * A finding can be acknowledged on the object it is about with the annotation
 * `acknowledge.cdk8s-netpol.io/<rule-id>: "<reason>"`.
 *
 * @example
 * const report = Linter.lint(Analyzer.fromFiles(['dist/']), { cni: Cni.CALICO });
 * for (const finding of report.findings) {
 *   console.log(`${finding.location}: ${finding.ruleId}: ${finding.message}`);
 * }
 */
export class Linter {
  /** Every rule, in catalogue order. */
  public static get rules(): LintRuleInfo[] {
    return RULES.map(({ id, severity, summary, rationale, fix }) => ({ id, severity, summary, rationale, fix }));
  }

  /** Runs every rule over what the analyzer loaded. */
  public static lint(analyzer: Analyzer, options: LintOptions = {}): LintReport {
    // JavaScript and jsii callers have no type checker: a wrong argument is bad input, not a TypeError.
    if (typeof analyzer !== 'object' || analyzer === null || !(analyzer as { _model?: unknown })._model) {
      throw new AnalysisInputError(`Linter.lint expects an Analyzer (Analyzer.fromFiles(), fromChart(), ...), got ${analyzer === null ? 'null' : typeof analyzer}.`);
    }
    if (options === null || typeof options !== 'object' || Array.isArray(options)) {
      throw new AnalysisInputError(`Linter.lint: the options must be an object (or left out), got ${options === null ? 'null' : typeof options}.`);
    }
    const model = analyzer._model;
    const given = options ?? {};
    const { lint } = parseLintOptions({ cni: given.cni, cniVersion: given.cniVersion, scraper: given.scraper, podCidrs: given.podCidrs });
    const context: RuleContext = {
      model,
      evaluator: new Evaluator(model),
      cni: lint.cni,
      cniVersion: lint.cniVersion,
      scraper: lint.scraper,
      ruleIds: RULES.map((r) => r.id),
      podCidrs: (lint.podCidrs ?? []).map((text) => parseCidr(text).cidr!),
    };
    return LintReport._of(RULES.flatMap((rule) => rule.check(context).map((f) => toFinding(rule, f))));
  }

  private constructor() {}
}

function toFinding(rule: LintRule, found: RuleFinding): LintFinding {
  const source = found.subject.source;
  const path = found.field ?? [];
  const line = source ? lineOfField(source, path) ?? source.lineOf?.([]) : undefined;
  const acknowledgement = acknowledgementsOf(source).find((a) => a.ruleId === rule.id && a.reason !== '');
  return {
    ruleId: rule.id,
    severity: rule.severity,
    message: found.message,
    fix: found.fix ?? rule.fix,
    object: found.subject.object,
    field: path.length ? formatPath(path) : undefined,
    file: source?.file,
    line: source?.file ? line : undefined,
    location: source ? locateField(source, path) : found.subject.object,
    // acknowledgement-invalid reports broken acknowledgements: it cannot be acknowledged itself.
    acknowledgedBecause: rule.id === 'acknowledgement-invalid' ? undefined : acknowledgement?.reason,
  };
}

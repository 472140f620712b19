import { acknowledgementsOf } from './acknowledgement';
import { isCniVersion } from './cni-support';
import { LintFinding } from './lint-finding';
import { LintOptions, MetricsScraper } from './lint-options';
import { LintReport } from './lint-report';
import { LintRule, RuleContext, RuleFinding } from './lint-rule';
import { RULES } from './rules';
import { Severity } from './severity';
import { Analyzer } from '../analysis/analyzer';
import { Evaluator } from '../analysis/evaluator';
import { AnalysisInputError } from '../analysis/input-error';
import { formatPath, lineOfField, locateField } from '../analysis/manifest-object';
import { labelKeyProblem, labelValueProblem, dnsLabelProblem } from '../validation/labels';

/** The scraper `MonitoringScrape` allows by default. */
const DEFAULT_SCRAPER: MetricsScraper = { namespace: 'monitoring', labels: { 'app.kubernetes.io/name': 'prometheus' } };

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
 * A finding can be acknowledged on the object it is about with the annotation
 * `acknowledge.cdk8s-netpol.io/<rule-id>: "<reason>"`.
 *
 * @example
 * const report = Linter.lint(Analyzer.fromFiles(['dist/']), { cni: Cni.CALICO });
 * report.findings.forEach((f) => console.log(`${f.location}: ${f.ruleId}: ${f.message}`));
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
    const context: RuleContext = {
      model,
      evaluator: new Evaluator(model),
      cni: options.cni,
      cniVersion: checkCniVersion(options),
      scraper: checkScraper(options.scraper ?? DEFAULT_SCRAPER),
      ruleIds: RULES.map((r) => r.id),
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

function checkCniVersion(options: LintOptions): string | undefined {
  const version = options.cniVersion;
  if (version === undefined) return undefined;
  if (!isCniVersion(version)) throw new AnalysisInputError(`Invalid CNI version "${version}": write numbers and dots, e.g. 1.15 or v3.18.2.`);
  if (options.cni === undefined) throw new AnalysisInputError(`A CNI version ("${version}") was given without a CNI: give the CNI too.`);
  return version;
}

function checkScraper(scraper: MetricsScraper): MetricsScraper {
  const problems: string[] = [];
  const nsProblem = dnsLabelProblem(scraper.namespace);
  if (nsProblem) problems.push(`namespace "${scraper.namespace}": ${nsProblem}`);
  for (const [key, value] of Object.entries(scraper.labels ?? {})) {
    const problem = labelKeyProblem(key) ?? labelValueProblem(value);
    if (problem) problems.push(`label ${key}=${value}: ${problem}`);
  }
  if (Object.keys(scraper.labels ?? {}).length === 0) problems.push('labels: give at least one label the scraper pods carry');
  if (problems.length) throw new AnalysisInputError(`Invalid metrics scraper: ${problems.join('; ')}.`);
  return scraper;
}

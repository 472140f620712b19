import { Analyzer } from '../analysis/analyzer';
import { AnalysisInputError } from '../analysis/input-error';
import { subjectPrefix } from '../lint/finding-subject';
import { LintFinding } from '../lint/lint-finding';
import { LintOptions, MetricsScraper } from '../lint/lint-options';
import { LintReport } from '../lint/lint-report';
import { Linter, LintRuleInfo } from '../lint/linter';
import { parseLintOptions } from '../lint/parse-lint-options';
import { Severity } from '../lint/severity';

/**
 * The rule name of the one violation reported when the manifests cannot be
 * analyzed at all (unparseable YAML, a NetworkPolicy the API server would reject).
 * It is not a lint rule: it cannot be acknowledged.
 */
const INVALID_MANIFESTS = 'invalid-manifests';

/** What the CLI shows where something has no value (it prints `N/A` for a missing construct path too). */
const NONE = 'N/A';

const PROP_NAMES = ['failOn', 'cni', 'cniVersion', 'scraper', 'podCidrs'];

/**
 * Properties of `NetpolValidation`: the `properties` of its entry under
 * `validations:` in cdk8s.yaml.
 */
export interface NetpolValidationProps {
  /**
   * The lowest severity that fails the validation: `error` or `warning`.
   * @default 'error'
   */
  readonly failOn?: string;

  /**
   * The CNI plugin that enforces the policies, by name (e.g. `calico`; see
   * docs/cni.md), optionally with its version (`cilium@1.15`): adds the
   * findings for features it does not enforce.
   * @default - no CNI-specific checks
   */
  readonly cni?: string;

  /**
   * The version of the CNI, e.g. `1.15` or `v3.18.2` (or write `cni: cilium@1.15`):
   * gaps the CNI fixed in a later version are then reported too.
   * @default - a current release: gaps fixed in some release are not reported
   */
  readonly cniVersion?: string;

  /**
   * Who scrapes metrics, for the `metrics-unreachable` rule.
   * @default - the Prometheus pods of the manifests, found by their usual labels; else pods
   * `app.kubernetes.io/name: prometheus` in namespace `monitoring`
   */
  readonly scraper?: MetricsScraper;

  /**
   * The pod network's CIDRs (a list, or `10.244.0.0/16,fd00:10:244::/56`): a `networks` peer of a
   * cluster policy that overlaps one also matches pod traffic (`network-peer-matches-pods`).
   * @default - only the pod addresses the manifests give (`status.podIPs`)
   */
  readonly podCidrs?: string[];
}

/**
 * A resource that violates a rule (cdk8s-cli's `ValidationViolatingResource`).
 */
export interface ValidationViolatingResource {
  /** The resource's `metadata.name`; cdk8s-cli maps it to a construct path. */
  readonly resourceName: string;
  /** Where in the resource, and what is wrong there. */
  readonly locations: string[];
  /** The manifest file the resource is in. */
  readonly manifestPath: string;
}

/**
 * A violation of one rule (cdk8s-cli's `ValidationViolation`).
 */
export interface ValidationViolation {
  /** The rule's name. */
  readonly ruleName: string;
  /** What the rule recommends. */
  readonly recommendation: string;
  /** How to fix the violations. */
  readonly fix: string;
  /** The resources that violate the rule. */
  readonly violatingResources: ValidationViolatingResource[];
}

/**
 * The report a validation plugin fills in (cdk8s-cli's `ValidationReport`).
 */
export interface IValidationReport {
  /**
   * Adds a violation; only before `submit`.
   * @param violation the violation
   */
  addViolation(violation: ValidationViolation): void;

  /**
   * Submits the report; must be called before `validate` returns.
   * @param status `success` or `failure`
   * @param metadata a summary shown in the report's table
   */
  submit(status: string, metadata?: { [key: string]: string }): void;
}

/**
 * Where a validation plugin logs (cdk8s-cli's `ValidationLogger`).
 */
export interface IValidationLogger {
  /**
   * Logs a line.
   * @param message the message
   */
  log(message: string): void;
}

/**
 * What cdk8s-cli passes to a validation plugin (its `ValidationContext`).
 */
export interface IValidationContext {
  /** The paths of the synthesized manifest files. */
  readonly manifests: string[];
  /** The package name of the plugin. */
  readonly pkg: string;
  /** The package version of the plugin. */
  readonly version: string;
  /** The report to fill in. */
  readonly report: IValidationReport;
  /** Where to log. */
  readonly logger: IValidationLogger;
}

/**
 * A cdk8s-cli validation plugin that lints the synthesized manifests
 * (docs/rules.md) after `cdk8s synth`, and fails the synthesis when an open
 * finding is at or above `failOn`.
 *
 * It adds one violation per rule that has open findings: the rule name is the
 * rule id (the report's title already names cdk8s-netpol, and the bare id is
 * what the acknowledgement annotation and docs/rules.md use), with one
 * violating resource per finding.
 *
 * Manifests that cannot be analyzed (unparseable, or holding a NetworkPolicy the
 * API server would reject) give one `invalid-manifests` violation and a failed
 * report rather than an exception: cdk8s-cli then prints the message in the
 * report next to the other plugins' reports and exits with status 2, whereas an
 * exception would abort all validations.
 *
 * @example
 * // cdk8s.yaml
 * // validations:
 * //   - package: cdk8s-netpol
 * //     version: 1.4.0 # exact, as installed: cdk8s-cli refuses a range such as ^1.4.0
 * //     class: NetpolValidation
 * //     properties: { failOn: warning, cni: calico }
 */
export class NetpolValidation {
  private readonly failOn: Severity;
  private readonly lintOptions: LintOptions;

  /**
   * @param props the `properties` of the plugin in cdk8s.yaml; checked here, so a
   * mistake fails when cdk8s-cli loads the plugin
   */
  constructor(props: NetpolValidationProps = {}) {
    const where = 'NetpolValidation (cdk8s.yaml validations properties)';
    const given: NetpolValidationProps = props ?? {};
    if (typeof given !== 'object' || Array.isArray(given)) {
      throw new Error(`${where}: properties must be a mapping with ${PROP_NAMES.join(', ')}, got ${JSON.stringify(given)}.`);
    }
    const unknown = Object.keys(given).filter((k) => !PROP_NAMES.includes(k));
    if (unknown.length > 0) {
      throw new Error(`${where}: unknown propert${unknown.length === 1 ? 'y' : 'ies'} ${unknown.join(', ')}; the properties are ${PROP_NAMES.join(', ')}.`);
    }
    try {
      const { failOn, lint } = parseLintOptions(given);
      this.failOn = failOn;
      this.lintOptions = lint;
    } catch (e) {
      if (AnalysisInputError.is(e)) throw new Error(`${where}: ${e.message}`);
      throw e;
    }
  }

  /**
   * Lints `context.manifests`, adds one violation per rule with open findings,
   * and submits the report: `failure` when an open finding is at or above
   * `failOn`, else `success`.
   *
   * @param context the context cdk8s-cli passes
   */
  public async validate(context: IValidationContext): Promise<void> {
    const manifests = [...(context.manifests ?? [])];
    if (manifests.length === 0) {
      context.logger.log('cdk8s-netpol: no manifests to check.');
      context.report.submit('success', { manifests: '0', findings: '0', failOn: this.failOn });
      return;
    }

    let analyzer: Analyzer;
    let report: LintReport;
    try {
      analyzer = Analyzer.fromFiles(manifests);
      report = Linter.lint(analyzer, this.lintOptions);
    } catch (e) {
      if (!AnalysisInputError.is(e)) throw e;
      context.report.addViolation({
        ruleName: INVALID_MANIFESTS,
        recommendation: `[error] The synthesized manifests cannot be analyzed: ${e.message}`,
        fix: 'Correct the object, field and value the message names (the API server would reject it too); nothing else was checked.',
        violatingResources: [{ resourceName: NONE, locations: [e.message], manifestPath: manifestNamedIn(e.message, manifests) }],
      });
      context.report.submit('failure', { manifests: `${manifests.length}`, failOn: this.failOn, error: 'the manifests cannot be analyzed' });
      context.logger.log(`cdk8s-netpol: cannot analyze the manifests: ${e.message}`);
      return;
    }

    for (const warning of analyzer.warnings) {
      context.logger.log(`cdk8s-netpol: ${warning}`);
    }
    for (const rule of Linter.rules) {
      const findings = report.findings.filter((f) => f.ruleId === rule.id);
      if (findings.length > 0) context.report.addViolation(violationOf(rule, findings));
    }
    const failed = report.failsAt(this.failOn);
    context.report.submit(failed ? 'failure' : 'success', {
      manifests: `${manifests.length}`,
      findings: `${report.findings.length}`,
      errors: `${report.errorCount}`,
      warnings: `${report.warningCount}`,
      acknowledged: `${report.acknowledged.length}`,
      failOn: this.failOn,
      ...(this.lintOptions.cni ? { cni: this.lintOptions.cni } : {}),
      ...(this.lintOptions.cniVersion ? { cniVersion: this.lintOptions.cniVersion } : {}),
    });
    context.logger.log(`cdk8s-netpol: ${report.errorCount} error${plural(report.errorCount)}, ${report.warningCount} warning${plural(report.warningCount)}`
      + ` and ${report.acknowledged.length} acknowledged finding${plural(report.acknowledged.length)} in ${manifests.length} manifest${plural(manifests.length)}`
      + `; failOn ${this.failOn}: ${failed ? 'failure' : 'success'}.`);
  }
}

/** One violation per rule; one violating resource per finding. */
function violationOf(rule: LintRuleInfo, findings: LintFinding[]): ValidationViolation {
  return {
    ruleName: rule.id,
    recommendation: `[${rule.severity}] ${rule.summary}`,
    fix: rule.fix,
    violatingResources: findings.map((f) => ({
      // A finding about a namespace without a Namespace object is about no resource and in no manifest: its
      // description (`Namespace shop`) is no resource name, so cdk8s-cli cannot map it to an unrelated construct.
      resourceName: f.file ? nameOf(f.object) : f.object,
      locations: [locationOf(f, rule)],
      manifestPath: f.file ?? NONE,
    })),
  };
}

/**
 * `<object> <field> (line N): <message>`, plus the finding's fix when it is more
 * specific than the rule's (the violation's fix). The object's kind and namespace
 * are there because `resourceName` is only a name, which a Deployment and a
 * NetworkPolicy often share.
 */
function locationOf(f: LintFinding, rule: LintRuleInfo): string {
  const line = f.line !== undefined ? ` (line ${f.line})` : '';
  const fix = f.fix !== rule.fix ? ` Fix: ${f.fix}` : '';
  const prefix = subjectPrefix(f, line);
  // A message that names its object keeps the line too, after itself.
  return prefix ? `${prefix}${f.message}${fix}` : `${f.message}${line}${fix}`;
}

/** `metadata.name` from `Kind namespace/name` or `Kind name`. */
function nameOf(object: string): string {
  const qualified = object.slice(object.indexOf(' ') + 1);
  return qualified.slice(qualified.lastIndexOf('/') + 1);
}

/** The manifest an analyzer error names (its messages start with or contain the path), else every manifest. */
function manifestNamedIn(message: string, manifests: string[]): string {
  const named = manifests.filter((m) => message.includes(m)).sort((a, b) => b.length - a.length);
  return named[0] ?? manifests.join(', ');
}

function plural(n: number): string {
  return n === 1 ? '' : 's';
}

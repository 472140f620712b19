import { ApiObject } from 'cdk8s';
import { Construct, IConstruct } from 'constructs';
import { Acknowledgements } from './acknowledgements';
import { pathOf } from './construct-path';
import { Analyzer } from '../analysis/analyzer';
import { AnalysisInputError } from '../analysis/input-error';
import { flattenLists, ManifestObject } from '../analysis/manifest-object';
import { subjectPrefix } from '../lint/finding-subject';
import { LintFinding } from '../lint/lint-finding';
import { LintOptions } from '../lint/lint-options';
import { LintReport } from '../lint/lint-report';
import { Linter } from '../lint/linter';
import { parseLintOptions } from '../lint/parse-lint-options';
import { Severity } from '../lint/severity';
import { atOrAbove } from '../lint/severity-order';

/**
 * The id of the one `NetpolChecks` construct under the App. cdk8s prefixes each
 * validation error with the path of the construct that reported it; the App's
 * path is empty, so a validation on the App itself would read `[] ...`.
 */
const CHECKS_ID = 'NetpolChecks';

/** The rule that reports broken acknowledgements: the linter never lets it be acknowledged. */

/**
 * Options of `NetpolChecks.of()`: the lint options, the severity that fails the
 * synthesis, and what to do with the findings below it.
 */
export interface NetpolChecksOptions extends LintOptions {
  /**
   * The lowest severity that fails the synthesis: `Severity.ERROR` fails on errors
   * only, `Severity.WARNING` on warnings too.
   * @default Severity.ERROR
   */
  readonly failOn?: Severity;

  /**
   * Print the open findings below `failOn` (the warnings, with the default `failOn`)
   * to stderr with `console.warn`, once for each distinct set of manifests (cdk8s
   * validates the app once per chart in `app.synth()`; the same findings are not
   * printed again).
   * @default true
   */
  readonly reportBelowFailOn?: boolean;
}

/** The options with their defaults filled in and checked. */
interface Settings {
  readonly failOn: Severity;
  /** The options of the linter, all of them (cniVersion was once dropped here). */
  readonly lint: LintOptions;
  readonly reportBelowFailOn: boolean;
}

/** One lint of the app, with what identifies its input. */
interface AppLint {
  /** The objects as linted, serialized: the same key means the same findings. */
  readonly key: string;
  readonly report: LintReport;
  /** The origins this app gave its objects (`construct <path>`), to tell them from findings about no object. */
  readonly origins: ReadonlySet<string>;
}

/**
 * Runs the lint rules (docs/rules.md) over every Kubernetes object of a cdk8s
 * App whenever the App is validated: `cdk8s synth`, `app.synth()`,
 * `chart.toJson()` and `Testing.synth(chart)` then fail with one error per open
 * finding at or above `failOn`, naming the rule, the object, the field, the fix
 * and the construct path.
 *
 * There is one `NetpolChecks` per App: a construct with the id `NetpolChecks`
 * directly under the App (so the errors read `[NetpolChecks] [<rule-id>] ...`).
 *
 * @example
 * const checks = NetpolChecks.of(app);
 * checks.acknowledge(ingressChart, 'allow-all-rule', 'the ingress controller must accept the internet');
 */
export class NetpolChecks extends Construct {
  /**
   * The checks of the App that `scope` belongs to, set up on the first call.
   *
   * Later calls return the same instance; a later call that passes options
   * different from the first call's throws (two parts of a program disagreeing
   * about what fails the build is a mistake to surface, not to settle silently).
   * Call it without options to get the instance set up elsewhere.
   *
   * @param scope any construct of the App (the App itself, a Chart, a construct)
   * @param options the options; only the first call's count
   */
  public static of(scope: IConstruct, options?: NetpolChecksOptions): NetpolChecks {
    const root = scope.node.root;
    const existing = root.node.tryFindChild(CHECKS_ID);
    if (existing === undefined) {
      return new NetpolChecks(root, settle(options ?? {}, scope));
    }
    if (!(existing instanceof NetpolChecks)) {
      throw new Error(`NetpolChecks.of(${pathOf(scope)}): the App already has a child "${CHECKS_ID}" that is not a NetpolChecks `
        + '(another construct, or another copy of cdk8s-netpol); rename that construct or load one copy of cdk8s-netpol.');
    }
    if (options !== undefined) {
      const wanted = describeSettings(settle(options, scope));
      const current = describeSettings(existing.settings);
      if (wanted !== current) {
        throw new Error(`NetpolChecks.of(${pathOf(scope)}): the checks of this App are already set up with { ${current} }, `
          + `and cannot be set up again with { ${wanted} }. Pass the options in one place and call NetpolChecks.of(scope) without options elsewhere.`);
      }
    }
    return existing;
  }

  private readonly settings: Settings;
  private lastLint?: AppLint;
  /** The key of the input whose findings below `failOn` were last printed. */
  private printedKey?: string;

  private constructor(app: IConstruct, settings: Settings) {
    super(app, CHECKS_ID);
    this.settings = settings;
    this.node.addValidation({ validate: () => this.validateApp() });
  }

  /**
   * Acknowledges a rule's findings on every Kubernetes object under `scope`, with a
   * reason: adds the annotation `acknowledge.cdk8s-netpol.io/<ruleId>: <reason>`,
   * which the linter (here, in `cdk8s-netpol lint` and in the cdk8s-cli plugin)
   * reads. Acknowledged findings no longer fail the synthesis and are listed in
   * `report().acknowledged`.
   *
   * It annotates the objects that exist when it is called: call it after creating
   * the constructs. Findings about a namespace that has no Namespace object cannot
   * be acknowledged (there is no object to annotate).
   *
   * @param scope a construct of this library, a Chart, or an ApiObject
   * @param ruleId the rule whose findings are intended, e.g. `allow-all-rule` (see docs/rules.md)
   * @param reason why the findings are intended, for the next reviewer; must not be empty
   */
  public acknowledge(scope: IConstruct, ruleId: string, reason: string): void {
    if (scope.node.root !== this.node.root) {
      throw new Error(`${pathOf(scope)}: the construct belongs to another App than these checks; use NetpolChecks.of(construct).acknowledge(...).`);
    }
    Acknowledgements.add(scope, ruleId, reason);
  }

  /**
   * Lints the App now, as the validation does: the open and acknowledged findings
   * of every Kubernetes object of the App.
   */
  public report(): LintReport {
    return this.lintApp().report;
  }

  /** The validation: one error per open finding at or above `failOn`; the findings below it go to stderr. */
  private validateApp(): string[] {
    let lint: AppLint;
    try {
      lint = this.lintApp();
    } catch (e) {
      // Invalid objects (e.g. a hand-written KubeNetworkPolicy the API server would reject) are an error of the App, not a crash.
      // cdk8s lists the errors one per line, indented by two: the message's own lines go under its first, indented further.
      if (AnalysisInputError.is(e)) return [`cannot check the NetworkPolicies: ${e.message.split('\n').join('\n    ')}`];
      throw e;
    }
    const { failOn, reportBelowFailOn } = this.settings;
    const below = lint.report.findings.filter((f) => !atOrAbove(f.severity, failOn));
    if (reportBelowFailOn && below.length > 0 && this.printedKey !== lint.key) {
      this.printedKey = lint.key;
      console.warn([
        `cdk8s-netpol: ${below.length} finding${below.length === 1 ? '' : 's'} below failOn (${failOn}), not failing the synthesis:`,
        ...below.map((f) => `  ${formatFinding(f, lint.origins)}`),
      ].join('\n'));
    }
    return lint.report.findings.filter((f) => atOrAbove(f.severity, failOn)).map((f) => formatFinding(f, lint.origins));
  }

  /**
   * Lints every ApiObject of the App, reusing the last report when the objects did
   * not change: cdk8s validates the whole App once per chart it synthesizes.
   */
  private lintApp(): AppLint {
    // Not chart.toJson(): that validates the App again, which would run this validation recursively.
    const apiObjects = this.node.root.node.findAll().filter(ApiObject.isApiObject);
    const entries: ManifestObject[] = apiObjects.flatMap((o) => flattenLists({ object: o.toJson(), origin: `construct ${o.node.path}` }));
    const key = JSON.stringify(entries.map((e) => [e.origin, e.object]));
    if (this.lastLint?.key !== key) {
      const report = Linter.lint(Analyzer._fromEntries(entries), this.settings.lint);
      this.lastLint = { key, report, origins: new Set(entries.map((e) => e.origin)) };
    }
    return this.lastLint;
  }
}

/**
 * `[<rule-id>] <object> <field>: <message> Fix: <fix> (construct <path>)`; the
 * path is left out when the finding is about no object of the App (a namespace
 * that has no Namespace object).
 */
function formatFinding(f: LintFinding, origins: ReadonlySet<string>): string {
  const where = origins.has(f.location) ? ` (${f.location})` : '';
  return `[${f.ruleId}] ${subjectPrefix(f)}${f.message} Fix: ${f.fix}${where}`;
}

/** Fills in the defaults and checks the options, so that a mistake fails where it was made, not at synthesis. */
function settle(options: NetpolChecksOptions, scope: IConstruct): Settings {
  const where = `NetpolChecks.of(${pathOf(scope)})`;
  if (options === null || typeof options !== 'object') {
    throw new Error(`${where}: the options must be an object (NetpolChecksOptions), got ${JSON.stringify(options)}.`);
  }
  if (options.reportBelowFailOn !== undefined && typeof options.reportBelowFailOn !== 'boolean') {
    throw new Error(`${where}: reportBelowFailOn must be true or false, got ${JSON.stringify(options.reportBelowFailOn)}.`);
  }
  try {
    const { failOn, lint } = parseLintOptions({
      failOn: options.failOn, cni: options.cni, cniVersion: options.cniVersion, scraper: options.scraper, podCidrs: options.podCidrs,
    });
    return { failOn, lint, reportBelowFailOn: options.reportBelowFailOn ?? true };
  } catch (e) {
    if (AnalysisInputError.is(e)) throw new Error(`${where}: ${e.message}`);
    throw e;
  }
}

function describeSettings(s: Settings): string {
  const { cni, cniVersion, scraper, podCidrs } = s.lint;
  const scraperText = scraper
    ? `namespace ${scraper.namespace} with ${Object.entries(scraper.labels).sort().map(([k, v]) => `${k}=${v}`).join(',')}`
    : 'the default';
  const pods = podCidrs ? `, podCidrs: ${podCidrs.join(',')}` : '';
  return `failOn: ${s.failOn}, cni: ${cni ?? 'none'}${cniVersion ? `@${cniVersion}` : ''}, scraper: ${scraperText}${pods}, reportBelowFailOn: ${s.reportBelowFailOn}`;
}


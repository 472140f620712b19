import { formatOption, parseCommandArgs } from './args';
import { CliIo, ExitStatus, UsageError } from './io';
import { describeLoad, loadManifests } from './load';
import { maxFileSizeHelp, readLimitsOption } from './max-file-size-option';
import { renderLintJson, renderLintSarif, renderLintText, RULES_DOC_URL } from './render-lint';
import { packageVersion } from './version';
import { AnalysisInputError } from '../analysis/input-error';
import { Linter } from '../lint/linter';
import { LintOptionNames, parseLintOptions, ParsedLintOptions } from '../lint/parse-lint-options';

export const LINT_HELP = `Usage: cdk8s-netpol lint <path>... [--format text|json|sarif] [--fail-on error|warning]
                          [--cni <name>] [--scraper <namespace>/<key>=<value>[,<key>=<value>]]
                          [--pod-cidr <cidr>[,<cidr>]]

Checks NetworkPolicies (and CiliumNetworkPolicies) for the mistakes that
cause outages and holes: pods that cannot reach DNS, selectors that match
nothing, namespaces without default-deny, rules that allow everyone, cloud
metadata reachable from pods, metrics the scraper cannot reach, features the
CNI does not enforce, and Cilium's traps (DNS names without a DNS rule, HTTP
rules made moot, deny-only policies that isolate, ports without peers).
The rules: ${RULES_DOC_URL}

Arguments:
  <path>...            manifest files or folders (as for verify)

Options:
  --format <format>    text (default): one finding per line with its fix,
                       then a summary; json: {"findings", "acknowledged",
                       "summary"}; sarif: SARIF 2.1.0 for code scanning
  --fail-on <severity> error (default): exit 1 when an error is open;
                       warning: also when a warning is open (info findings,
                       traps worth knowing, never fail)
  --cni <name>[@<v>]   the CNI that enforces the policies (calico, cilium,
                       flannel, ...), and optionally its version (cilium@1.15):
                       report features it does not enforce; without a
                       version, gaps fixed in a release are not reported
  --scraper <selector> the metrics scraper's pods, e.g.
                       monitoring/app.kubernetes.io/name=prometheus; by default
                       the Prometheus pods of the manifests (labelled
                       app=prometheus, app.kubernetes.io/name=prometheus or
                       prometheus=<name>), else that one
  --pod-cidr <cidr>    the pod network (e.g. 10.244.0.0/16; repeat it or
                       separate CIDRs with commas): a networks peer of a
                       cluster policy that overlaps it also matches pods
  --show-acknowledged  also list acknowledged findings (text format)
${maxFileSizeHelp(23)}  -h, --help           show this help

Acknowledge a finding on the object it is about, with a reason:
  metadata:
    annotations:
      acknowledge.cdk8s-netpol.io/allow-all-rule: "ingress controller: public by design"

Exit status: 0 no open finding at or above --fail-on; 1 at least one;
2 bad input (unreadable or invalid manifests, bad options).
`;

/** `cdk8s-netpol lint`: runs the rules over manifests. */
export function lintCommand(argv: readonly string[], io: CliIo): ExitStatus {
  const { positionals, values } = parseCommandArgs('lint', argv, {
    'format': { type: 'string' },
    'fail-on': { type: 'string' },
    'cni': { type: 'string' },
    'scraper': { type: 'string' },
    'pod-cidr': { type: 'string', multiple: true },
    'show-acknowledged': { type: 'boolean' },
  });
  if (values.help) {
    io.stdout(LINT_HELP);
    return ExitStatus.OK;
  }
  const limits = readLimitsOption('lint', values);
  const format = formatOption('lint', values.format, ['text', 'json', 'sarif']);
  const { failOn, lint } = lintOptions(values);
  const loaded = loadManifests('lint', positionals, io, limits);
  const report = Linter.lint(loaded.analyzer, lint);
  if (format === 'json') io.stdout(renderLintJson(report, failOn));
  else if (format === 'sarif') io.stdout(renderLintSarif(report, packageVersion(), process.cwd()));
  else io.stdout(renderLintText(report, describeLoad(loaded), values['show-acknowledged'] === true));
  return report.failsAt(failOn) ? ExitStatus.FINDING : ExitStatus.OK;
}

/** The flags, as the lint options parser calls them: `--cni <name>[@<version>]` carries the version too. */
const FLAG_NAMES: LintOptionNames = { failOn: '--fail-on', cni: '--cni', cniVersion: '--cni', scraper: '--scraper', podCidrs: '--pod-cidr' };

/** `--fail-on`, `--cni`, `--scraper`, `--pod-cidr`, read by the parser every front-end uses; a bad value is a usage error. */
function lintOptions(values: Record<string, unknown>): ParsedLintOptions {
  // --pod-cidr may be repeated, each with one CIDR or several separated by commas.
  const podCidrs = Array.isArray(values['pod-cidr']) ? values['pod-cidr'].flatMap((v: string) => v.split(',')) : undefined;
  try {
    return parseLintOptions({ failOn: values['fail-on'], cni: values.cni, scraper: values.scraper, podCidrs }, FLAG_NAMES);
  } catch (e) {
    // UsageError adds its own ". Run ... --help".
    if (AnalysisInputError.is(e)) throw new UsageError(e.message.replace(/\.$/, ''), 'lint');
    throw e;
  }
}

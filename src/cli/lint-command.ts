import { formatOption, parseCommandArgs } from './args';
import { CliIo, ExitStatus, UsageError } from './io';
import { describeLoad, loadManifests } from './load';
import { maxFileSizeHelp, readLimitsOption } from './max-file-size-option';
import { renderLintJson, renderLintSarif, renderLintText, RULES_DOC_URL } from './render-lint';
import { packageVersion } from './version';
import { Cni } from '../lint/cni';
import { isCniVersion, parseCni } from '../lint/cni-support';
import { MetricsScraper } from '../lint/lint-options';
import { Linter } from '../lint/linter';
import { Severity } from '../lint/severity';

export const LINT_HELP = `Usage: cdk8s-netpol lint <path>... [--format text|json|sarif] [--fail-on error|warning]
                          [--cni <name>] [--scraper <namespace>/<key>=<value>[,<key>=<value>]]

Checks NetworkPolicies for the mistakes that cause outages and holes: pods
that cannot reach DNS, selectors that match nothing, namespaces without
default-deny, rules that allow everyone, cloud metadata reachable from pods,
metrics the scraper cannot reach, features the CNI does not enforce.
The rules: ${RULES_DOC_URL}

Arguments:
  <path>...            manifest files or folders (as for verify)

Options:
  --format <format>    text (default): one finding per line with its fix,
                       then a summary; json: {"findings", "acknowledged",
                       "summary"}; sarif: SARIF 2.1.0 for code scanning
  --fail-on <severity> error (default): exit 1 when an error is open;
                       warning: also when a warning is open
  --cni <name>[@<v>]   the CNI that enforces the policies (calico, cilium,
                       flannel, ...), and optionally its version (cilium@1.15):
                       report features it does not enforce; without a
                       version, gaps fixed in a release are not reported
  --scraper <selector> the metrics scraper's pods, e.g.
                       monitoring/app.kubernetes.io/name=prometheus (default)
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
    'show-acknowledged': { type: 'boolean' },
  });
  if (values.help) {
    io.stdout(LINT_HELP);
    return ExitStatus.OK;
  }
  const limits = readLimitsOption('lint', values);
  const format = formatOption('lint', values.format, ['text', 'json', 'sarif']);
  const failOn = formatFailOn(values['fail-on']);
  const { cni, cniVersion } = cniOption(values.cni);
  const scraper = values.scraper === undefined ? undefined : scraperOption(String(values.scraper));
  const loaded = loadManifests('lint', positionals, io, limits);
  const report = Linter.lint(loaded.analyzer, { cni, cniVersion, scraper });
  if (format === 'json') io.stdout(renderLintJson(report, failOn));
  else if (format === 'sarif') io.stdout(renderLintSarif(report, packageVersion(), process.cwd()));
  else io.stdout(renderLintText(report, describeLoad(loaded), values['show-acknowledged'] === true));
  return report.failsAt(failOn) ? ExitStatus.FINDING : ExitStatus.OK;
}

/** `<name>[@<version>]`, e.g. `cilium` or `cilium@1.15`. */
function cniOption(value: unknown): { cni?: Cni; cniVersion?: string } {
  if (value === undefined) return {};
  const [name, version, ...rest] = String(value).split('@');
  const cni = parseCni(name);
  if (cni === undefined) {
    throw new UsageError(`--cni "${name}" is not a CNI this tool knows; use one of ${Object.values(Cni).join(', ')} (see docs/cni.md)`, 'lint');
  }
  if (rest.length > 0 || (version !== undefined && !isCniVersion(version))) {
    throw new UsageError(`--cni must be <name> or <name>@<version> with a version of numbers and dots (e.g. cilium@1.15), got "${String(value)}"`, 'lint');
  }
  return { cni, cniVersion: version };
}

function formatFailOn(value: unknown): Severity {
  if (value === undefined) return Severity.ERROR;
  if (value === Severity.ERROR || value === Severity.WARNING) return value;
  throw new UsageError(`--fail-on must be error or warning, got "${String(value)}"`, 'lint');
}

/** `<namespace>/<key>=<value>[,<key>=<value>]`: label keys may contain "/", so the namespace is what precedes the first "/". */
function scraperOption(text: string): MetricsScraper {
  const slash = text.indexOf('/');
  const namespace = text.slice(0, slash);
  const pairs = slash < 0 ? [] : text.slice(slash + 1).split(',');
  const labels: Record<string, string> = {};
  for (const pair of pairs) {
    const eq = pair.indexOf('=');
    if (eq <= 0) {
      throw new UsageError(`--scraper must be <namespace>/<key>=<value>[,<key>=<value>], e.g. monitoring/app.kubernetes.io/name=prometheus; got "${text}"`, 'lint');
    }
    // defineProperty: a key `__proto__` is a key, then refused as a label key by the linter.
    Object.defineProperty(labels, pair.slice(0, eq), { value: pair.slice(eq + 1), enumerable: true, writable: true, configurable: true });
  }
  if (slash <= 0 || pairs.length === 0) {
    throw new UsageError(`--scraper must be <namespace>/<key>=<value>[,<key>=<value>], e.g. monitoring/app.kubernetes.io/name=prometheus; got "${text}"`, 'lint');
  }
  return { namespace, labels };
}

import { Cni } from './cni';
import { isCniVersion, parseCni } from './cni-support';
import { LintOptions, MetricsScraper } from './lint-options';
import { Severity } from './severity';
import { AnalysisInputError } from '../analysis/input-error';
import { parseCidr } from '../validation/cidr';
import { dnsLabelProblem, labelKeyProblem, labelValueProblem } from '../validation/labels';

/*
 * The one reader of lint options, for every front-end: the CLI (`lint --fail-on --cni --scraper --pod-cidr`),
 * `NetpolChecks.of(app, {...})`, the cdk8s-cli plugin (`properties:` in cdk8s.yaml) and `Linter.lint`
 * itself. Each used to read them on its own, and NetpolChecks dropped `cniVersion` on the way.
 */

/** The options as a front-end received them: typed by the caller or read from YAML and flags, so unchecked. */
export interface LintOptionsInput {
  /** `error` or `warning`. */
  readonly failOn?: unknown;
  /** A `Cni` value or a name the CLI knows (`calico`, `aws-vpc-cni`, ...), optionally `<name>@<version>`. */
  readonly cni?: unknown;
  /** The CNI's version: numbers and dots, e.g. `1.15` or `v3.18.2`. */
  readonly cniVersion?: unknown;
  /** `{ namespace, labels }`, or the text `<namespace>/<key>=<value>[,<key>=<value>]`. */
  readonly scraper?: unknown;
  /** CIDRs: a list, or the text `<cidr>[,<cidr>]`. */
  readonly podCidrs?: unknown;
}

/** What each option is called where it was given, for messages: `cni` in code and YAML, `--cni` on the command line. */
export type LintOptionNames = Readonly<Record<keyof LintOptionsInput, string>>;

const FIELD_NAMES: LintOptionNames = { failOn: 'failOn', cni: 'cni', cniVersion: 'cniVersion', scraper: 'scraper', podCidrs: 'podCidrs' };

/** How many pod CIDRs an option may list (a cluster has one or two, per family). */
const MAX_POD_CIDRS = 16;

/** The options checked, with their defaults. */
export interface ParsedLintOptions {
  /** The lowest severity that fails: `error` unless given. */
  readonly failOn: Severity;
  /** What `Linter.lint` takes. */
  readonly lint: LintOptions;
}

/**
 * Checks lint options as the API server would check the values they name (the
 * scraper's namespace and labels) and fills in the defaults.
 *
 * @param input the options as received
 * @param names what the options are called where they were given (field names by default)
 * @throws AnalysisInputError naming the option, the bad value and what is accepted
 */
export function parseLintOptions(input: LintOptionsInput, names: LintOptionNames = FIELD_NAMES): ParsedLintOptions {
  if (input === null || typeof input !== 'object' || Array.isArray(input)) {
    throw new AnalysisInputError(`The lint options must be a mapping of ${Object.values(names).join(', ')}, got ${JSON.stringify(input)}.`);
  }
  const failOn = parseFailOn(input.failOn, names);
  const { cni, version: versionInName } = parseCniName(input.cni, names);
  const cniVersion = parseCniVersion(input.cniVersion, versionInName, cni, names);
  const scraper = input.scraper === undefined ? undefined : parseScraper(input.scraper, names);
  const podCidrs = input.podCidrs === undefined ? undefined : parsePodCidrs(input.podCidrs, names);
  return { failOn, lint: { cni, cniVersion, scraper, ...(podCidrs ? { podCidrs } : {}) } };
}

/** The pod network: CIDRs as the API server reads them (no host bits), in canonical form. */
function parsePodCidrs(value: unknown, names: LintOptionNames): string[] {
  const list = typeof value === 'string' ? value.split(',').map((t) => t.trim()) : value;
  if (!Array.isArray(list) || list.length === 0 || list.length > MAX_POD_CIDRS || list.some((t) => typeof t !== 'string')) {
    throw new AnalysisInputError(`${names.podCidrs} must list 1 to ${MAX_POD_CIDRS} CIDRs (e.g. 10.244.0.0/16,fd00:10:244::/56), got ${JSON.stringify(value)}.`);
  }
  return list.map((text: string) => {
    const parsed = parseCidr(text);
    const problem = parsed.problem ?? '';
    if (!parsed.cidr) throw new AnalysisInputError(`${names.podCidrs} ${JSON.stringify(text)}: ${problem}${problem.endsWith('?') ? '' : '.'}`);
    return parsed.cidr.text;
  });
}

function parseFailOn(value: unknown, names: LintOptionNames): Severity {
  if (value === undefined) return Severity.ERROR;
  // info never fails a run: it is for the reader.
  const severities: unknown[] = [Severity.ERROR, Severity.WARNING];
  if (!severities.includes(value)) {
    throw new AnalysisInputError(`${names.failOn} ${JSON.stringify(value)} is not a severity; use ${severities.join(' or ')}.`);
  }
  return value as Severity;
}

function parseCniName(value: unknown, names: LintOptionNames): { cni?: Cni; version?: string } {
  if (value === undefined) return {};
  const [name, version, ...rest] = typeof value === 'string' ? value.split('@') : [];
  const cni = typeof name === 'string' ? parseCni(name) : undefined;
  if (cni === undefined) {
    throw new AnalysisInputError(`${names.cni} ${JSON.stringify(typeof value === 'string' ? name : value)} is not a CNI this tool knows; `
      + `use one of ${Object.values(Cni).join(', ')} (see docs/cni.md).`);
  }
  if (rest.length > 0) {
    throw new AnalysisInputError(`${names.cni} must be <name> or <name>@<version> (e.g. cilium@1.15), got ${JSON.stringify(value)}.`);
  }
  return { cni, version };
}

function parseCniVersion(value: unknown, versionInName: string | undefined, cni: Cni | undefined, names: LintOptionNames): string | undefined {
  if (value !== undefined && versionInName !== undefined) {
    throw new AnalysisInputError(`The CNI version is given twice (${names.cni} ${JSON.stringify(`${cni}@${versionInName}`)} and ${names.cniVersion} ${JSON.stringify(value)}); give it once.`);
  }
  const version = value ?? versionInName;
  if (version === undefined) return undefined;
  if (typeof version !== 'string' || !isCniVersion(version)) {
    throw new AnalysisInputError(`Invalid CNI version ${JSON.stringify(version)}: write numbers and dots, e.g. 1.15 or v3.18.2.`);
  }
  if (cni === undefined) {
    throw new AnalysisInputError(`A CNI version (${JSON.stringify(version)}) was given without a CNI: give ${names.cni} too.`);
  }
  return version;
}

function parseScraper(value: unknown, names: LintOptionNames): MetricsScraper {
  const text = '<namespace>/<key>=<value>[,<key>=<value>], e.g. monitoring/app.kubernetes.io/name=prometheus';
  const usage = typeof value === 'string'
    ? `${names.scraper} must be ${text}`
    : `${names.scraper} must be { namespace: <namespace>, labels: { <key>: <value> } } or the text ${text}`;
  const scraper = typeof value === 'string' ? scraperFromText(value) : value as MetricsScraper;
  const labels = scraper?.labels;
  if (scraper === undefined || scraper === null || typeof scraper !== 'object' || typeof scraper.namespace !== 'string'
    || labels === null || typeof labels !== 'object' || Array.isArray(labels)) {
    throw new AnalysisInputError(`${usage}; got ${JSON.stringify(value)}.`);
  }
  const problems: string[] = [];
  const nsProblem = dnsLabelProblem(scraper.namespace);
  if (nsProblem) problems.push(`namespace "${scraper.namespace}": ${nsProblem}`);
  for (const [key, label] of Object.entries(labels)) {
    const problem = labelKeyProblem(key) ?? (typeof label === 'string' ? labelValueProblem(label) : 'the value must be a string');
    if (problem) problems.push(`label ${key}=${label}: ${problem}`);
  }
  if (Object.keys(labels).length === 0) problems.push('labels: give at least one label the scraper pods carry');
  if (problems.length) throw new AnalysisInputError(`Invalid metrics scraper: ${problems.join('; ')}.`);
  // A copy: the caller's object may change after it was checked.
  return { namespace: scraper.namespace, labels: { ...labels } };
}

/** `<namespace>/<key>=<value>[,<key>=<value>]`: label keys may contain "/", so the namespace is what precedes the first "/". */
function scraperFromText(text: string): MetricsScraper | undefined {
  const slash = text.indexOf('/');
  if (slash <= 0) return undefined;
  const labels: Record<string, string> = {};
  for (const pair of text.slice(slash + 1).split(',')) {
    const eq = pair.indexOf('=');
    if (eq <= 0) return undefined;
    // defineProperty: a key `__proto__` is a key (then refused as a label key), not the object's prototype.
    Object.defineProperty(labels, pair.slice(0, eq), { value: pair.slice(eq + 1), enumerable: true, writable: true, configurable: true });
  }
  return { namespace: text.slice(0, slash), labels };
}

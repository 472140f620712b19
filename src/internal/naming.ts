import { Chart } from 'cdk8s';
import { IConstruct } from 'constructs';
import { childPath } from './props';
import { dnsSubdomainProblem } from '../validation/labels';

/** Construct ids that stand for "the resource of my parent" and add nothing to a name. */
const TRANSPARENT_IDS = new Set(['Resource', 'Default']);

/**
 * Derives a readable, stable `metadata.name` from the path below its Chart of
 * a construct about to be created as `id` in `scope`: `NamespaceBaseline('baseline')/DefaultDeny` becomes `baseline-default-deny`.
 * No hash is added (names are namespaced and duplicates are reported at synth),
 * so changing a construct id renames the policy: a breaking change.
 */
export function policyNameFor(scope: IConstruct, id: string): string {
  const prefix = namePrefixOf(scope);
  const word = TRANSPARENT_IDS.has(id) ? '' : kebab(id);
  const name = (prefix && word ? `${prefix}-${word}` : prefix || word).replace(/-+/g, '-');
  const problem = name.length === 0 ? 'is empty' : dnsSubdomainProblem(name);
  if (problem) {
    throw new Error(
      `${childPath(scope, id)}: the policy name "${name}" derived from the construct path ${problem}; set the \`name\` prop.`,
    );
  }
  return name;
}

/** The words of the scopes below the Chart, joined: the start of the names of the policies created in `scope` (remembered per scope). */
const prefixes = new WeakMap<IConstruct, string>();

function namePrefixOf(scope: IConstruct): string {
  let prefix = prefixes.get(scope);
  if (prefix === undefined) {
    const chart = Chart.of(scope);
    const below = scope.node.scopes.slice(chart.node.scopes.length);
    prefix = below.map((s) => s.node.id)
      .filter((word) => !TRANSPARENT_IDS.has(word))
      .map(kebab)
      .filter((word) => word.length > 0)
      .join('-');
    prefixes.set(scope, prefix);
  }
  return prefix;
}

/**
 * Ids already turned into words: an App repeats the same few ids in every Chart (`DefaultDeny`,
 * `allow-0-to`, ...), and each one costs four regular expressions. Bounded: emptied when full.
 */
const kebabs = new Map<string, string>();
const KEBABS_MAX = 10_000;

/** `AllowDns` -> `allow-dns`, `api_server` -> `api-server`, `HTTPSEgress` -> `https-egress`. */
export function kebab(id: string): string {
  let word = kebabs.get(id);
  if (word === undefined) {
    word = id
      .replace(/([a-z0-9])([A-Z])/g, '$1-$2')
      .replace(/([A-Z]+)([A-Z][a-z])/g, '$1-$2')
      .toLowerCase()
      .replace(/[^a-z0-9.]+/g, '-')
      .replace(/^[-.]+|[-.]+$/g, '');
    if (kebabs.size >= KEBABS_MAX) kebabs.clear();
    kebabs.set(id, word);
  }
  return word;
}

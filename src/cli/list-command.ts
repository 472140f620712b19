import { formatOption, parseCommandArgs } from './args';
import { CliIo, ExitStatus, UsageError } from './io';
import { describeLoad, loadManifests } from './load';
import { addressRange, httpLimitsOfPairs } from './pair-http-limits';
import { LIST_FORMATS, ListFormat, renderList } from './render-list';
import { ClusterModel } from '../analysis/cluster-model';
import { ConnectionPair } from '../analysis/connection-pair';
import { sortEndpoints } from '../analysis/connectivity';
import { EndpointResolver, ResolvedEndpoint } from '../analysis/endpoint-resolver';
import { namePairs } from '../analysis/name-connections';

/** The text of `cdk8s-netpol list --help`. */
export const LIST_HELP = `Usage: cdk8s-netpol list <path>... [--focus <endpoint>]
                         [--format text|json|csv|markdown]

Lists every pair that may open some connection, and exactly what it may open
through every tier of policy (the Admin tier, NetworkPolicies and Cilium
policies, the Baseline tier): pods and workloads to each other, and to and from the addresses outside the
cluster, each protocol with its ports ("TCP 8080, UDP 53", "all connections").
Nothing is sampled: the addresses outside the cluster are split into ranges
(ip:<first>-<last>) at every ipBlock edge, and merged where the answer is the
same, so every address is covered. A single Pod talking to itself (loopback,
never restricted) is left out; a workload's replicas talking to each other
are listed. Sources come by namespace and name, then the address ranges.

Arguments:
  <path>...            manifest files (YAML, multi-document, or JSON) or folders
                       (read recursively for *.yaml, *.yml and *.json)

Options:
  --focus <endpoint>   only the pairs from or to this endpoint:
                       <namespace>/<name> of a Pod or workload,
                       <namespace>/<kind>/<name> when ambiguous, or
                       ip:<address> for the ranges that contain the address
  --format <format>    text (default): each source with its destinations,
                       then a summary; json: {"connections": [{"from", "to",
                       "allowed": {"TCP": [[first, last], ...]}}]};
                       csv: from,to,connections; markdown: a table, to paste
                       in a pull request

Where Cilium HTTP rules limit the requests on a port, the pair says so:
"TCP 8080 (HTTP GET /public)", or in json "http": [{"ports": [8080, 8080],
"rules": "HTTP GET /public"}]. A pod whose egress rules name a DNS name
(Cilium toFQDNs matchName) has a pair to it, "-> api.stripe.com  TCP 443":
what it may open to the addresses of that name, whichever they are (json:
"dnsName": true).
  -h, --help           show this help

Exit status: 0 the list is printed (it may be empty); 2 bad input
(unreadable or invalid manifests, an unknown endpoint).
`;

/** `cdk8s-netpol list`: every pair with some allowed connection, and what it allows. */
export function listCommand(argv: readonly string[], io: CliIo): ExitStatus {
  const { positionals, values } = parseCommandArgs('list', argv, {
    focus: { type: 'string' },
    format: { type: 'string' },
  });
  if (values.help) {
    io.stdout(LIST_HELP);
    return ExitStatus.OK;
  }
  const format = formatOption('list', values.format, LIST_FORMATS) as ListFormat;
  const loaded = loadManifests('list', positionals, io);
  const { analyzer } = loaded;
  const focus = typeof values.focus === 'string' ? new EndpointResolver(analyzer._model).resolve(values.focus) : undefined;
  if (focus?.kind === 'entity') {
    throw new UsageError(`--focus: ${focus.text} is not listed (list covers pods, workloads and addresses); ask about it with explain or verify`, 'list');
  }
  if (analyzer.endpoints.length === 0 && (format === 'text' || format === 'markdown')) {
    // Nothing is wrong with the input: say what there is, and succeed.
    io.stdout(`No pod or workload in the manifests: there is no connection to list. (${describeLoad(loaded)})\n`);
    return ExitStatus.OK;
  }
  const byAddress = analyzer.connectivity().filter((pair) => focus === undefined || involves(pair, focus));
  const named = namePairs(analyzer._model).filter((pair) => focus?.kind === 'endpoint' && pair.from === focus.endpoint.displayName || focus === undefined);
  const pairs = withNamePairs(byAddress, named, analyzer._model);
  const names = new Set(named);
  io.stdout(renderList(format, pairs, describeLoad(loaded), httpLimitsOfPairs(analyzer._model, pairs.filter((p) => !names.has(p))), names));
  return ExitStatus.OK;
}


/** The name pairs of each source after its pairs by address; sources in listing order (pods and workloads, then address ranges). */
function withNamePairs(byAddress: readonly ConnectionPair[], named: readonly ConnectionPair[], model: ClusterModel): ConnectionPair[] {
  if (named.length === 0) return [...byAddress];
  const rank = new Map<string, number>(sortEndpoints(model.endpoints).map((e, i) => [e.displayName, i]));
  const rankOf = (source: string) => rank.get(source) ?? Number.MAX_SAFE_INTEGER;
  // Stable: by source rank, pairs by address before names (addresses come after every pod source).
  const tagged = [...byAddress.map((pair, i) => ({ pair, i, name: 0 })), ...named.map((pair, i) => ({ pair, i, name: 1 }))];
  tagged.sort((x, y) => rankOf(x.pair.from) - rankOf(y.pair.from) || x.name - y.name || x.i - y.i);
  return tagged.map((t) => t.pair);
}

/** Whether the pair is from or to the endpoint: that pod or workload, or a range containing that address. */
function involves(pair: ConnectionPair, focus: Exclude<ResolvedEndpoint, { kind: 'entity' }>): boolean {
  if (focus.kind === 'endpoint') return pair.from === focus.endpoint.displayName || pair.to === focus.endpoint.displayName;
  return [pair.from, pair.to].some((end) => {
    const range = addressRange(end);
    return range !== undefined && range.family === focus.family && range.first <= focus.value && focus.value <= range.last;
  });
}

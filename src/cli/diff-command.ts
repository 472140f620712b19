import { formatOption, parseCommandArgs } from './args';
import { CliIo, ExitStatus, UsageError } from './io';
import { loadManifests } from './load';
import { maxFileSizeHelp, readLimitsOption } from './max-file-size-option';
import { needsReview, renderDiffJson, renderDiffMarkdown, renderDiffText } from './render-diff';
import { httpLimitChanges } from '../review/http-limit-changes';
import { dnsNameChanges } from '../review/name-changes';
import { ReachabilityDiff } from '../review/reachability-diff';

export const DIFF_HELP = `Usage: cdk8s-netpol diff <old-path> <new-path> [--format text|markdown|json]

Shows what a change to the manifests does to connectivity, exactly: for
every pair of pods and workloads, and for each of them with every range of
addresses outside the cluster (both ways), the connections allowed before
and after, compared over every port of TCP, UDP and SCTP. Nothing is
sampled: a change on a port no manifest names, or to part of an ipBlock,
shows. Pods and workloads are matched by namespace, kind and name; one on one
side only is marked (added) or (removed). Address ranges are split at every
ipBlock edge of either side and merged where the change is the same.

Arguments:
  <old-path>         the manifests before the change: a file (YAML,
                     multi-document, or JSON; List kinds are flattened) or a
                     folder (read recursively for *.yaml, *.yml and *.json)
  <new-path>         the manifests after the change, given the same way

Options:
  --format <format>  text (default): each changed pair, what it allows now
                     and before, and why, newly allowed first, then a
                     summary (where cluster policies apply, "why" follows the
                     tiers: what the Admin tier accepts, denies or passes,
                     then the NetworkPolicy tier, then the Baseline tier);
                     markdown: a verdict and tables, to paste into a
                     pull request; json: {"changes": [{"from", "to",
                     "before", "after", "newlyAllowed", "newlyDenied", "why",
                     "fromChange"?, "toChange"?}], "summary":
                     {"pairsNewlyAllowed", "pairsNewlyDenied"}} on stdout,
                     each connection set as {"TCP": [[first, last], ...]}
${maxFileSizeHelp(21)}  -h, --help         show this help

Where Cilium HTTP rules limit requests, a pair of pods or workloads whose
limits changed (added, lifted or changed; which requests that admits is not
decided) is listed under "HTTP limits changed" ("httpLimitChanges": [{"from",
"to", "before", "after"}] in json), and the diff asks for review. A pod or
workload whose connections to a DNS name its egress names (Cilium toFQDNs)
changed is listed under "DNS names changed" ("dnsNameChanges": [{"from", "to",
"before", "after", "newlyAllowed"}] in json); newly allowed ones ask for review.

Exit status: 0 nothing is newly allowed (something may be newly denied); 1
something is newly allowed (to an address or a DNS name), or HTTP limits
changed, and a reviewer must look;
2 bad input (not exactly two paths, unreadable or invalid manifests).
`;

/** `cdk8s-netpol diff`: the flows a change newly allows or denies. */
export function diffCommand(argv: readonly string[], io: CliIo): ExitStatus {
  const { positionals, values } = parseCommandArgs('diff', argv, {
    format: { type: 'string' },
  });
  if (values.help) {
    io.stdout(DIFF_HELP);
    return ExitStatus.OK;
  }
  const limits = readLimitsOption('diff', values);
  const format = formatOption('diff', values.format, ['text', 'markdown', 'json']);
  if (positionals.length !== 2) {
    throw new UsageError(`give exactly two paths, the old manifests and the new ones (a file or a folder each), got ${positionals.length}`, 'diff');
  }
  // Each side is one path: a folder holding several files is how to give more than one.
  const before = loadManifests('diff', [positionals[0]], io, limits).analyzer;
  const after = loadManifests('diff', [positionals[1]], io, limits).analyzer;
  const diff = ReachabilityDiff.between(before, after);
  const http = httpLimitChanges(before, after);
  const names = dnsNameChanges(before, after);
  const render = format === 'json' ? renderDiffJson : format === 'markdown' ? renderDiffMarkdown : renderDiffText;
  io.stdout(render(diff, http, names));
  return needsReview(diff, http, names) ? ExitStatus.FINDING : ExitStatus.OK;
}

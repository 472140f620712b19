import { formatOption, parseCommandArgs, portOption, protocolOption, requiredOption } from './args';
import { CliIo, ExitStatus } from './io';
import { loadManifests } from './load';
import { maxFileSizeHelp, readLimitsOption } from './max-file-size-option';
import { formatExplanation } from '../analysis/format-explanation';

export const EXPLAIN_HELP = `Usage: cdk8s-netpol explain <path>... --from <endpoint> --to <endpoint> --port <n>
                            [--protocol TCP|UDP|SCTP] [--format text|json]

Explains whether one flow is allowed by the NetworkPolicies in the manifests:
for egress at the source and ingress at the destination, whether the pod is
isolated, by which policies, and the rule that allowed the flow or, for each
policy, why none of its rules matched.

Arguments:
  <path>...            manifest files (YAML, multi-document, or JSON) or folders
                       (read recursively for *.yaml, *.yml and *.json)

Options:
  --from <endpoint>    the client: <namespace>/<name> of a Pod or workload,
                       <namespace>/<kind>/<name> when ambiguous, or ip:<address>
  --to <endpoint>      the server, written the same way
  --port <n>           the destination port number
  --protocol <p>       TCP (default), UDP or SCTP
  --format <format>    text (default) or json (the full explanation)
${maxFileSizeHelp(23)}  -h, --help           show this help

Exit status: 0 the flow is allowed; 1 it is denied; 2 bad input.
`;

/** `cdk8s-netpol explain`: why one flow is allowed or denied. */
export function explainCommand(argv: readonly string[], io: CliIo): ExitStatus {
  const { positionals, values } = parseCommandArgs('explain', argv, {
    from: { type: 'string' },
    to: { type: 'string' },
    port: { type: 'string' },
    protocol: { type: 'string' },
    format: { type: 'string' },
  });
  if (values.help) {
    io.stdout(EXPLAIN_HELP);
    return ExitStatus.OK;
  }
  const limits = readLimitsOption('explain', values);
  const format = formatOption('explain', values.format, ['text', 'json']);
  const from = requiredOption('explain', values, 'from');
  const to = requiredOption('explain', values, 'to');
  const port = portOption('explain', requiredOption('explain', values, 'port'));
  const protocol = protocolOption('explain', values.protocol);
  const { analyzer } = loadManifests('explain', positionals, io, limits);
  const explanation = analyzer.explain({ from, to, port, protocol });
  io.stdout(format === 'json' ? `${JSON.stringify(explanation, undefined, 2)}\n` : formatExplanation(explanation));
  return explanation.allowed ? ExitStatus.OK : ExitStatus.FINDING;
}

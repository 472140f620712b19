import { formatOption, parseCommandArgs, portOption, requiredOption } from './args';
import { CliIo, ExitStatus, UsageError } from './io';
import { loadManifests } from './load';
import { maxFileSizeHelp, readLimitsOption } from './max-file-size-option';
import { Flow, HttpRequest, IcmpVersion } from '../analysis/flow';
import { dnsNameProblem, FLOW_PROTOCOLS, httpRequestProblem, icmpTypeProblem, isIcmpVersion } from '../analysis/flow-fields';
import { formatExplanation } from '../analysis/format-explanation';
import { Protocol } from '../protocol';
import { escapeTerminal } from '../text/escape';

export const EXPLAIN_HELP = `Usage: cdk8s-netpol explain <path>... --from <endpoint> --to <endpoint> --port <n>
                            [--protocol TCP|UDP|SCTP] [--host <name>]
                            [--http-method <m> --http-path <p>] [--format text|json]
       cdk8s-netpol explain <path>... --from <endpoint> --to <endpoint>
                            --protocol ICMP|ICMPv6 [--icmp-type <n>] [--format text|json]

Explains whether one flow is allowed by the policies in the manifests
(NetworkPolicies, Cilium policies, and the cluster-wide tiers around them:
ClusterNetworkPolicy, AdminNetworkPolicy, BaselineAdminNetworkPolicy): for
egress at the source and ingress at the destination, whether the pod is
isolated, by which policies, and the rule that allowed the flow or, for each
policy, why none of its rules matched. Where cluster policies apply to a side,
it gives the tier that decided it and the path through the tiers (Admin, then
NetworkPolicy, then Baseline), one step a line ("tiers" in json).

Arguments:
  <path>...            manifest files (YAML, multi-document, or JSON) or folders
                       (read recursively for *.yaml, *.yml and *.json)

Options:
  --from <endpoint>    the client: <namespace>/<name> of a Pod or workload,
                       <namespace>/<kind>/<name> when ambiguous, ip:<address>,
                       or entity:kube-apiserver, entity:host (the node of the
                       other end), entity:remote-node
  --to <endpoint>      the server, written the same way
  --port <n>           the destination port number (not for ICMP)
  --protocol <p>       TCP (default), UDP, SCTP, ICMP or ICMPv6
  --icmp-type <n>      the ICMP type, 0-255 (default: echo request, 8 for ICMP
                       and 128 for ICMPv6)
  --host <name>        the DNS name the source looked up (with --to ip:...):
                       Cilium DNS-name peers (toFQDNs) match by it
  --http-method <m>    with --http-path: one HTTP request (TCP), which Cilium
  --http-path <p>      HTTP rules on the port decide
  --format <format>    text (default) or json (the full explanation)
${maxFileSizeHelp(23)}  -h, --help           show this help

Exit status: 0 the flow is allowed; 1 it is denied; 2 bad input.
`;

/** `cdk8s-netpol explain`: why one flow is allowed or denied. */
export function explainCommand(argv: readonly string[], io: CliIo): ExitStatus {
  const { positionals, values } = parseCommandArgs('explain', argv, {
    'from': { type: 'string' },
    'to': { type: 'string' },
    'port': { type: 'string' },
    'protocol': { type: 'string' },
    'icmp-type': { type: 'string' },
    'host': { type: 'string' },
    'http-method': { type: 'string' },
    'http-path': { type: 'string' },
    'format': { type: 'string' },
  });
  if (values.help) {
    io.stdout(EXPLAIN_HELP);
    return ExitStatus.OK;
  }
  const limits = readLimitsOption('explain', values);
  const format = formatOption('explain', values.format, ['text', 'json']);
  const flow = flowOptions(values);
  const { analyzer } = loadManifests('explain', positionals, io, limits);
  const explanation = analyzer.explain(flow);
  io.stdout(format === 'json' ? `${JSON.stringify(explanation, undefined, 2)}\n` : formatExplanation(explanation));
  return explanation.allowed ? ExitStatus.OK : ExitStatus.FINDING;
}

/** The flow the options describe, each option checked (a bad one is a usage error naming it). */
function flowOptions(values: Record<string, string | boolean | string[] | undefined>): Flow {
  const usage = (message: string) => new UsageError(message, 'explain');
  const from = requiredOption('explain', values, 'from');
  const to = requiredOption('explain', values, 'to');
  const protocolText = values.protocol === undefined ? Protocol.TCP : String(values.protocol);
  // Case-insensitive, as before: tcp, icmpv6...
  const protocol = FLOW_PROTOCOLS.find((p) => p.toLowerCase() === protocolText.toLowerCase());
  if (protocol === undefined) throw usage(`--protocol must be ${FLOW_PROTOCOLS.join(', ')}, got "${escapeTerminal(protocolText)}"`);
  let host: { host?: string } = {};
  if (values.host !== undefined) {
    const name = String(values.host);
    const problem = dnsNameProblem(name);
    if (problem) throw usage(`--host: ${problem}, got "${escapeTerminal(name)}"`);
    if (!to.startsWith('ip:')) throw usage('--host (the DNS name the source looked up) needs --to ip:<address>, the address it resolved to');
    host = { host: name };
  }
  const method = values['http-method'];
  const path = values['http-path'];
  let http: { http?: HttpRequest } = {};
  if (method !== undefined || path !== undefined) {
    if (method === undefined || path === undefined) throw usage('--http-method and --http-path go together: one HTTP request');
    if (protocol !== Protocol.TCP) throw usage(`an HTTP request needs TCP, not ${protocol}`);
    const request = { method: String(method), path: String(path) };
    const problem = httpRequestProblem(request);
    if (problem) throw usage(`--http-method/--http-path: ${problem}`);
    http = { http: request };
  }
  if (isIcmpVersion(protocol)) {
    if (values.port !== undefined) throw usage(`${protocol} has no ports: leave out --port (--icmp-type gives the message type)`);
    let type: number | undefined;
    if (values['icmp-type'] !== undefined) {
      const text = String(values['icmp-type']);
      type = /^[0-9]{1,3}$/.test(text) ? Number(text) : NaN;
      const problem = icmpTypeProblem(type);
      if (problem) throw usage(`--icmp-type: ${problem}, got "${escapeTerminal(text)}"`);
    }
    return { from, to, icmp: { version: protocol as IcmpVersion, ...(type !== undefined ? { type } : {}) }, ...host };
  }
  if (values['icmp-type'] !== undefined) throw usage('--icmp-type goes with --protocol ICMP or ICMPv6');
  const port = portOption('explain', requiredOption('explain', values, 'port'));
  return { from, to, port, protocol: protocol as Protocol, ...host, ...http };
}

import { formatOption, parseCommandArgs, requiredOption } from './args';
import { CliIo, ExitStatus } from './io';
import { describeLoad, loadManifests } from './load';
import { maxFileSizeHelp, readLimitsOption } from './max-file-size-option';
import { decidingReason } from '../analysis/evaluator';
import { readExpectationsFile } from '../analysis/expectations-file';
import { AnalysisInputError } from '../analysis/input-error';
import { ExpectationResult } from '../analysis/verification';
import { escapeTerminal } from '../text/escape';

/** The flow of a result as the FAIL line shows it: `a -> b TCP 80`, `a -> ip:1.2.3.4 (api.stripe.com) TCP 443`, `a -> b TCP 80 HTTP GET /x`, `a -> b ICMP type 8`. */
function describeResult(r: ExpectationResult): string {
  const to = r.host !== undefined ? `${r.to} (${escapeTerminal(r.host)})` : r.to;
  const traffic = r.icmpType !== undefined ? `${r.protocol} type ${r.icmpType}` : `${r.protocol} ${r.port}`;
  const http = r.http ? ` HTTP ${escapeTerminal(r.http.method)} ${escapeTerminal(r.http.path)}` : '';
  return `${r.from} -> ${to} ${traffic}${http}`;
}

export const VERIFY_HELP = `Usage: cdk8s-netpol verify <path>... --expect <file> [--format text|json]

Checks that the policies in the manifests (NetworkPolicies, Cilium policies,
and the Admin and Baseline tiers of ClusterNetworkPolicy, AdminNetworkPolicy
and BaselineAdminNetworkPolicy around them) allow, or deny, each flow of an
expectations file.

Arguments:
  <path>...          manifest files (YAML, multi-document, or JSON; List kinds
                     are flattened) or folders (read recursively for *.yaml,
                     *.yml and *.json)

Options:
  --expect <file>    the expectations file (required):
                       expectations:
                         - from: production/frontend   # <namespace>/<name>, or ip:<address>
                           to: production/api-server   # <namespace>/<kind>/<name> if ambiguous
                           port: 8080                  # not for ICMP / ICMPv6
                           protocol: TCP               # TCP | UDP | SCTP | ICMP | ICMPv6; default TCP
                           allowed: true
                       optional: from/to entity:kube-apiserver | entity:host
                       | entity:remote-node; host: <DNS name looked up> (with
                       to: ip:...); icmpType: <0-255> (ICMP; default echo
                       request); http: { method: GET, path: /public } (TCP)
  --format <format>  text (default): each expectation that fails, with the
                     explanation, then a summary; json: {"results": [...],
                     "passed": N, "failed": N} on stdout
${maxFileSizeHelp(21)}  -h, --help         show this help

Exit status: 0 every expectation holds; 1 at least one does not; 2 bad input
(unreadable or invalid manifests or expectations, unknown endpoints).
`;

/** `cdk8s-netpol verify`: checks an expectations file against manifests. */
export function verifyCommand(argv: readonly string[], io: CliIo): ExitStatus {
  const { positionals, values } = parseCommandArgs('verify', argv, {
    expect: { type: 'string' },
    format: { type: 'string' },
  });
  if (values.help) {
    io.stdout(VERIFY_HELP);
    return ExitStatus.OK;
  }
  const limits = readLimitsOption('verify', values);
  const format = formatOption('verify', values.format, ['text', 'json']);
  const expectFile = requiredOption('verify', values, 'expect');
  const expectations = readExpectationsFile(expectFile, limits);
  const loaded = loadManifests('verify', positionals, io, limits);
  const results: ExpectationResult[] = expectations.map(({ expectation, origin }) => {
    try {
      return loaded.analyzer.verify([expectation]).results[0];
    } catch (e) {
      if (AnalysisInputError.is(e)) throw new AnalysisInputError(`${origin}: ${e.message}`);
      throw e;
    }
  });
  const passed = results.filter((r) => r.ok).length;
  const failed = results.length - passed;
  if (format === 'json') {
    io.stdout(`${JSON.stringify({ results, passed, failed }, undefined, 2)}\n`);
  } else {
    results.forEach((r, i) => {
      if (!r.ok) {
        // The line already says the verdict and the flow: give only what decided it.
        const why = decidingReason(loaded.analyzer.explain(expectations[i].expectation));
        io.stdout(`FAIL ${expectations[i].origin}: ${describeResult(r)} should be ${r.expected ? 'allowed' : 'denied'} but is ${r.actual ? 'allowed' : 'denied'}: ${why}\n`);
      }
    });
    const verdict = failed === 0 ? 'OK' : 'FAILED';
    io.stdout(`${verdict}: ${passed} passed, ${failed} failed, of ${results.length} expectation${results.length === 1 ? '' : 's'} (${describeLoad(loaded)}).\n`);
  }
  return failed === 0 ? ExitStatus.OK : ExitStatus.FINDING;
}

import { LintReport } from '../../src';

/** What both versions of the example acknowledge, and why: the one intended allow-all, and kube-system run by the provider. */
export const EXAMPLE_ACKNOWLEDGEMENTS = [
  ['allow-all-rule', 'NetworkPolicy ingress-nginx/controller-from-internet', 'the ingress controller is the public entry point'],
  ['missing-default-deny', 'Namespace kube-system', 'kube-system is managed by the cluster provider, not by this app'],
  ['missing-default-deny', 'Namespace kube-system', 'kube-system is managed by the cluster provider, not by this app'],
];

/**
 * The acknowledged findings as [rule, object, reason], in a fixed order: findings are ordered by
 * file path, and an app's outdir is a temporary directory that may sort before or after the repository.
 */
export function acknowledgedInFixedOrder(report: LintReport): Array<Array<string | undefined>> {
  return report.acknowledged.map((f) => [f.ruleId, f.object, f.acknowledgedBecause]).sort((a, b) => (String(a) < String(b) ? -1 : 1));
}

import { Endpoint } from '../../analysis/endpoint';
import { ResolvedEndpoint } from '../../analysis/endpoint-resolver';
import { FlowExplanation } from '../../analysis/explanation';
import { FieldPath } from '../../analysis/manifest-object';
import { podTemplatePath } from '../../kube/pod-template';
import { Protocol } from '../../protocol';
import { MetricsScraper } from '../lint-options';
import { LintRule, RuleFinding } from '../lint-rule';
import { chooseScraper, describeScraper } from '../metrics-scraper';
import { Severity } from '../severity';
import { endpointSubject } from '../subject';

const SCRAPE = 'prometheus.io/scrape';
const PORT = 'prometheus.io/port';

/**
 * Flags pods annotated `prometheus.io/scrape: "true"` that the metrics scraper
 * cannot reach
 * on their metrics port: the `prometheus.io/port` annotation when set, else
 * any of their TCP container ports (the usual scrape configuration makes a
 * target of each).
 *
 * The annotation is the only thing that marks a pod as scraped here: pods that
 * a MonitoringScrape policy (or a ServiceMonitor/PodMonitor) targets without
 * the annotation are not checked, since nothing in the manifests says which
 * of their ports serve metrics.
 *
 * The scraper is the `scraper` option; else the Prometheus pods of the
 * manifests, in any namespace, found by their usual labels (`app: prometheus`,
 * `app.kubernetes.io/name: prometheus`, the operator's `prometheus: <name>`);
 * else pods `app.kubernetes.io/name: prometheus` in `monitoring`, as
 * MonitoringScrape allows by default. The message says which and why. When the
 * scraper is not in the manifests, a stand-in is used and only the scraped
 * pod's ingress is checked.
 *
 * Every policy kind the analyzer reads decides: NetworkPolicies and Cilium
 * policies (their isolation, allow and deny rules) alike.
 */
export const metricsUnreachable: LintRule = {
  id: 'metrics-unreachable',
  severity: Severity.WARNING,
  summary: `A pod annotated ${SCRAPE}: "true" cannot be reached by the metrics scraper on its metrics port.`,
  rationale: 'Under a default-deny, pods whose metrics port nobody allowed disappear from the dashboards, '
    + 'and the alerts that depend on them stop firing without any error. '
    + `Only the ${SCRAPE} annotation marks a pod as scraped here: pods targeted by MonitoringScrape, a ServiceMonitor or a PodMonitor `
    + 'without it are not checked, since nothing says which of their ports serve metrics. '
    + 'The scraper is the scraper option; else the Prometheus pods of the manifests, in any namespace, found by their usual labels '
    + '(app: prometheus, app.kubernetes.io/name: prometheus, the operator\'s prometheus: <name>); else pods app.kubernetes.io/name: prometheus '
    + 'in monitoring, as MonitoringScrape allows by default. Each finding says which scraper it judged and why. '
    + 'NetworkPolicies and Cilium policies decide alike (isolation, allows and Cilium deny rules).',
  fix: 'Allow ingress from the scraper on the metrics port (MonitoringScrape does it); '
    + 'if the scraper\'s namespace is isolated for egress, allow egress from it as well. '
    + 'Pass the scraper option (or --scraper) when the scraper is not a Prometheus of the manifests (or in monitoring).',
  check: (context) => {
    const { model } = context;
    const chosen = chooseScraper(model, context.scraper);
    const scraper = chosen.selector;
    const scrapers: ResolvedEndpoint[] = chosen.endpoints.map((endpoint) => ({ kind: 'endpoint', endpoint, text: endpoint.displayName }));
    const scraperText = chosen.text;
    const findings: RuleFinding[] = [];
    for (const endpoint of model.endpoints) {
      if (endpoint.annotations[SCRAPE] !== 'true') continue;
      const subject = endpointSubject(endpoint);
      const annotated = `${subject.object} has ${SCRAPE}: "true"`;
      const to: ResolvedEndpoint = { kind: 'endpoint', endpoint, text: endpoint.displayName };
      const explain = (port: number): FlowExplanation | undefined => {
        const flows = scrapers.map((from) => ({ from, to, port, protocol: Protocol.TCP }));
        // Reached when any scraper pod gets through; otherwise explain the first one's denial.
        return flows.some((flow) => context.evaluator.isAllowed(flow)) ? undefined : context.evaluator.explain(flows[0]);
      };
      const portAnnotation = endpoint.annotations[PORT];
      if (portAnnotation !== undefined) {
        const field = annotationField(endpoint, PORT);
        const port = /^\d+$/.test(portAnnotation.trim()) ? Number(portAnnotation.trim()) : NaN;
        if (!(port >= 1 && port <= 65535)) {
          findings.push({
            subject,
            field,
            message: `${annotated}, but its ${PORT} annotation "${portAnnotation}" is not a port number from 1 to 65535, so it cannot be scraped there.`,
            fix: `Set ${PORT} to the number of the container port that serves metrics, e.g. "9090".`,
          });
          continue;
        }
        const denied = explain(port);
        if (denied) {
          findings.push({
            subject,
            field,
            message: `${annotated}, but ${scraperText} cannot reach its metrics port TCP ${port} (${PORT}). ${deciding(denied)}`,
            fix: fixFor(denied, endpoint, [port], scraper),
          });
        }
        continue;
      }
      const field = annotationField(endpoint, SCRAPE);
      const ports = [...new Set(endpoint.ports.filter((p) => p.protocol === Protocol.TCP).map((p) => p.port))].sort((a, b) => a - b);
      if (ports.length === 0) {
        findings.push({
          subject,
          field,
          message: `${annotated} but neither a ${PORT} annotation nor a TCP container port, so which port ${scraperText} scrapes cannot be checked.`,
          fix: `Set ${PORT} to the container port that serves metrics, or declare it in the container's ports.`,
        });
        continue;
      }
      const denials = ports.map(explain);
      if (denials.some((d) => d === undefined)) continue;
      findings.push({
        subject,
        field,
        message: `${annotated} and no ${PORT}, but ${scraperText} cannot reach any of its TCP container ports (${ports.join(', ')}). `
          + deciding(denials[0]!),
        fix: `${fixFor(denials[0]!, endpoint, ports, scraper)} Or set ${PORT} to the one that serves metrics and allow that one.`,
      });
    }
    return findings;
  },
};

/** The side(s) that deny, each naming its policies. */
function deciding(explanation: FlowExplanation): string {
  return [explanation.egress, explanation.ingress].filter((side) => !side.allowed).map((side) => side.reason).join(' ');
}

function fixFor(explanation: FlowExplanation, endpoint: Endpoint, ports: number[], scraper: MetricsScraper): string {
  const portText = ports.map((p) => `TCP ${p}`).join(', ');
  const fixes: string[] = [];
  if (!explanation.ingress.allowed) {
    fixes.push(`Allow ingress to ${endpoint.displayName} from ${describeScraper(scraper)} on ${portText} `
      + `(e.g. MonitoringScrape with ports: [${ports.map((p) => `Port.tcp(${p})`).join(', ')}]).`);
  }
  if (!explanation.egress.allowed) {
    fixes.push(`Allow egress from ${explanation.from} to ${endpoint.displayName} on ${portText}.`);
  }
  return fixes.join(' ');
}

/** Where an annotation of the pod (template) is, for the finding's line. */
function annotationField(endpoint: Endpoint, key: string): FieldPath {
  const template = podTemplatePath(endpoint.kind) ?? [];
  return [...template, 'metadata', 'annotations', key];
}

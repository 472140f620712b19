import { cnp, defaultDeny, deployment, findingsOf, namespace, policy } from '../lint-fixtures';

const RULE = 'metrics-unreachable';

/** A payments Deployment whose pods are annotated for scraping. */
function payments(podAnnotations: Record<string, string> = { 'prometheus.io/scrape': 'true', 'prometheus.io/port': '9090' }, ports = [9090]): any {
  return deployment('shop', 'payments', { app: 'payments' }, { podAnnotations, ports: ports.map((containerPort) => ({ containerPort })) });
}

/** What MonitoringScrape emits: ingress from the scraper's pods on the given ports. */
function scrape(ports: number[], from: { ns: string; labels: Record<string, string> } = { ns: 'monitoring', labels: { 'app.kubernetes.io/name': 'prometheus' } }): any {
  return policy('shop', 'scrape', {
    podSelector: { matchLabels: { app: 'payments' } },
    policyTypes: ['Ingress'],
    ingress: [{
      from: [{ namespaceSelector: { matchLabels: { 'kubernetes.io/metadata.name': from.ns } }, podSelector: { matchLabels: from.labels } }],
      ports: ports.map((port) => ({ protocol: 'TCP', port })),
    }],
  });
}

describe(RULE, () => {
  test('Compliance: the scraper is allowed on the prometheus.io/port port', () => {
    expect(findingsOf([payments(), defaultDeny('shop'), scrape([9090])], RULE)).toEqual([]);
  });

  test('Noncompliance: default-deny and nothing lets the scraper in', () => {
    const findings = findingsOf([payments(), defaultDeny('shop')], RULE);
    expect(findings.map((f) => [f.object, f.field, f.severity])).toEqual([
      ['Deployment shop/payments', 'spec.template.metadata.annotations.prometheus.io/port', 'warning'],
    ]);
    expect(findings[0].message).toBe(
      'Deployment shop/payments has prometheus.io/scrape: "true", but the scraper (pods app.kubernetes.io/name=prometheus in namespace monitoring, '
      + 'not in the manifests: the default, since no pod is labelled app=prometheus, app.kubernetes.io/name=prometheus or prometheus=<name>) '
      + 'cannot reach its metrics port TCP 9090 (prometheus.io/port). '
      + 'Ingress to shop/payments is denied: it is isolated by shop/default-deny and no rule matches (shop/default-deny has no ingress rules (it denies)).',
    );
    expect(findings[0].fix).toBe(
      'Allow ingress to shop/payments from pods app.kubernetes.io/name=prometheus in namespace monitoring on TCP 9090 '
      + '(e.g. MonitoringScrape with ports: [Port.tcp(9090)]).',
    );
  });

  test('the wrong port allowed: the denial names the rule that does not match', () => {
    const findings = findingsOf([payments(), defaultDeny('shop'), scrape([8080])], RULE);
    expect(findings).toHaveLength(1);
    expect(findings[0].message).toContain('shop/scrape: spec.ingress[0] port TCP 8080 does not match TCP 9090');
  });

  test('pods without the annotation (or with scrape: "false") are not checked, even if unreachable', () => {
    const plain = deployment('shop', 'web', { app: 'web' }, { ports: [{ containerPort: 9090 }] });
    expect(findingsOf([plain, payments({ 'prometheus.io/scrape': 'false' }), defaultDeny('shop')], RULE)).toEqual([]);
  });

  test('a pod not isolated for ingress is reachable', () => {
    expect(findingsOf([payments()], RULE)).toEqual([]);
  });

  test('a prometheus.io/port that is not a port number is a finding of its own', () => {
    const findings = findingsOf([payments({ 'prometheus.io/scrape': 'true', 'prometheus.io/port': 'metrics' })], RULE);
    expect(findings.map((f) => [f.field, f.message])).toEqual([[
      'spec.template.metadata.annotations.prometheus.io/port',
      'Deployment shop/payments has prometheus.io/scrape: "true", but its prometheus.io/port annotation "metrics" is not a port number from 1 to 65535, '
      + 'so it cannot be scraped there.',
    ]]);
    expect(findingsOf([payments({ 'prometheus.io/scrape': 'true', 'prometheus.io/port': '70000' })], RULE)).toHaveLength(1);
  });

  describe('without prometheus.io/port: the container ports', () => {
    const annotated = () => payments({ 'prometheus.io/scrape': 'true' }, [8080, 9090]);

    test('Compliance: one of them is reachable', () => {
      expect(findingsOf([annotated(), defaultDeny('shop'), scrape([9090])], RULE)).toEqual([]);
    });

    test('Noncompliance: none is reachable', () => {
      const findings = findingsOf([annotated(), defaultDeny('shop'), scrape([443])], RULE);
      expect(findings.map((f) => [f.field, f.message])).toEqual([[
        'spec.template.metadata.annotations.prometheus.io/scrape',
        'Deployment shop/payments has prometheus.io/scrape: "true" and no prometheus.io/port, but the scraper '
        + '(pods app.kubernetes.io/name=prometheus in namespace monitoring, not in the manifests: the default, since no pod is labelled app=prometheus, app.kubernetes.io/name=prometheus or prometheus=<name>) cannot reach any of its TCP container ports (8080, 9090). '
        + 'Ingress to shop/payments is denied: it is isolated by shop/default-deny, shop/scrape and no rule matches '
        + '(shop/default-deny has no ingress rules (it denies); shop/scrape: spec.ingress[0] port TCP 443 does not match TCP 8080).',
      ]]);
    });

    test('no port at all: the port cannot be checked', () => {
      const findings = findingsOf([payments({ 'prometheus.io/scrape': 'true' }, [])], RULE);
      expect(findings.map((f) => f.message)).toEqual([
        'Deployment shop/payments has prometheus.io/scrape: "true" but neither a prometheus.io/port annotation nor a TCP container port, '
        + 'so which port the scraper (pods app.kubernetes.io/name=prometheus in namespace monitoring, not in the manifests: the default, since no pod is labelled app=prometheus, app.kubernetes.io/name=prometheus or prometheus=<name>) scrapes cannot be checked.',
      ]);
    });
  });

  describe('the scraper in the manifests', () => {
    const prometheus = () => deployment('monitoring', 'prometheus', { 'app.kubernetes.io/name': 'prometheus' });

    test('Compliance: both sides allow the scrape', () => {
      const egress = policy('monitoring', 'scrape-out', { podSelector: {}, policyTypes: ['Egress'], egress: [{ ports: [{ port: 9090 }] }] });
      expect(findingsOf([prometheus(), namespace('monitoring'), defaultDeny('monitoring'), egress, payments(), scrape([9090])], RULE)).toEqual([]);
    });

    test('Noncompliance: the scraper\'s own egress denies it', () => {
      const findings = findingsOf([prometheus(), defaultDeny('monitoring'), payments(), defaultDeny('shop'), scrape([9090])], RULE);
      expect(findings.map((f) => f.message)).toEqual([
        'Deployment shop/payments has prometheus.io/scrape: "true", but the scraper (monitoring/prometheus, found in the manifests by its label '
        + 'app.kubernetes.io/name=prometheus) cannot reach its metrics port TCP 9090 '
        + '(prometheus.io/port). Egress from monitoring/prometheus is denied: it is isolated by monitoring/default-deny and no rule matches '
        + '(monitoring/default-deny has no egress rules (it denies)).',
      ]);
      expect(findings[0].fix).toBe('Allow egress from monitoring/prometheus to shop/payments on TCP 9090.');
    });
  });

  describe('the scraper found in the manifests by its usual labels', () => {
    /** The seeds' incident 2: Prometheus labelled app: prometheus in monitoring. */
    const prometheus = (labels: Record<string, string> = { app: 'prometheus' }, ns = 'monitoring') => deployment(ns, 'prometheus', labels);

    test('Compliance: Prometheus labelled app: prometheus, and the policy allows it (no warning against the default scraper)', () => {
      const objects = [prometheus(), payments(), defaultDeny('shop'), scrape([9090], { ns: 'monitoring', labels: { app: 'prometheus' } })];
      expect(findingsOf(objects, RULE)).toEqual([]);
    });

    test('Noncompliance: the policy allows the default scraper, not the Prometheus of the manifests; the message says which and why', () => {
      const findings = findingsOf([prometheus(), payments(), defaultDeny('shop'), scrape([9090])], RULE);
      expect(findings.map((f) => f.message)).toEqual([
        'Deployment shop/payments has prometheus.io/scrape: "true", but the scraper (monitoring/prometheus, found in the manifests by its label app=prometheus) '
        + 'cannot reach its metrics port TCP 9090 (prometheus.io/port). Ingress to shop/payments is denied: it is isolated by shop/default-deny, shop/scrape '
        + 'and no rule matches (shop/default-deny has no ingress rules (it denies); shop/scrape: spec.ingress[0] peer pods app.kubernetes.io/name=prometheus '
        + 'in namespaces kubernetes.io/metadata.name=monitoring does not match monitoring/prometheus).',
      ]);
      expect(findings[0].fix).toBe('Allow ingress to shop/payments from pods app=prometheus in namespace monitoring on TCP 9090 '
        + '(e.g. MonitoringScrape with ports: [Port.tcp(9090)]).');
    });

    test('the Prometheus operator\'s prometheus: <name> label, in any namespace', () => {
      const objects = [prometheus({ 'prometheus': 'k8s', 'operator.prometheus.io/name': 'k8s' }, 'observability'), payments(), defaultDeny('shop')];
      expect(findingsOf(objects, RULE)[0].message).toContain('the scraper (observability/prometheus, found in the manifests by its label prometheus=k8s)');
      const allowed = scrape([9090], { ns: 'observability', labels: { prometheus: 'k8s' } });
      expect(findingsOf([...objects, allowed], RULE)).toEqual([]);
    });

    test('of the parts a Prometheus chart labels app: prometheus, the server is the scraper', () => {
      const objects = [
        deployment('monitoring', 'prometheus-alertmanager', { app: 'prometheus', component: 'alertmanager' }),
        deployment('monitoring', 'prometheus-server', { app: 'prometheus', component: 'server' }),
        payments(), defaultDeny('shop'),
        scrape([9090], { ns: 'monitoring', labels: { app: 'prometheus', component: 'alertmanager' } }),
      ];
      const [finding] = findingsOf(objects, RULE);
      expect(finding.message).toContain('the scraper (monitoring/prometheus-server, found in the manifests by its label app=prometheus)');
      expect(finding.fix).toMatch(/^Allow ingress to shop\/payments from pods app=prometheus, component=server in namespace monitoring on TCP 9090 /);
    });

    test('the scraper option comes first', () => {
      const objects = [prometheus(), payments(), defaultDeny('shop'), scrape([9090], { ns: 'monitoring', labels: { app: 'prometheus' } })];
      const findings = findingsOf(objects, RULE, { scraper: { namespace: 'observability', labels: { app: 'vmagent' } } });
      expect(findings.map((f) => f.message.match(/the scraper \(([^)]*)\)/)![1])).toEqual(['pods app=vmagent in namespace observability, from the scraper option; not in the manifests']);
    });
  });

  describe('the scraper option', () => {
    const vmagent = { namespace: 'observability', labels: { app: 'vmagent' } };

    test('Compliance: the policy allows the configured scraper', () => {
      const objects = [payments(), defaultDeny('shop'), scrape([9090], { ns: 'observability', labels: { app: 'vmagent' } })];
      expect(findingsOf(objects, RULE, { scraper: vmagent })).toEqual([]);
      // The default scraper is not the one allowed.
      expect(findingsOf(objects, RULE)).toHaveLength(1);
    });

    test('Noncompliance: the policy allows Prometheus, not the configured scraper', () => {
      const findings = findingsOf([payments(), defaultDeny('shop'), scrape([9090])], RULE, { scraper: vmagent });
      expect(findings).toHaveLength(1);
      expect(findings[0].message).toContain('the scraper (pods app=vmagent in namespace observability, from the scraper option; not in the manifests) cannot reach');
      expect(findings[0].message).toContain(
        'peer pods app.kubernetes.io/name=prometheus in namespaces kubernetes.io/metadata.name=monitoring does not match pods app=vmagent in namespace observability',
      );
    });
  });
});

describe(`${RULE}: Cilium policies`, () => {
  test('Noncompliance: a Cilium default deny hides the metrics port; Compliance: a Cilium allow from Prometheus', () => {
    const deny = cnp('shop', 'default-deny', { endpointSelector: {}, ingress: [{}] });
    expect(findingsOf([payments(), deny], RULE).map((f) => f.message)).toEqual([expect.stringContaining('CiliumNetworkPolicy shop/default-deny')]);
    const allow = cnp('shop', 'scrape', {
      endpointSelector: {},
      ingress: [{
        fromEndpoints: [{ matchLabels: { 'k8s:io.kubernetes.pod.namespace': 'monitoring', 'app.kubernetes.io/name': 'prometheus' } }],
        toPorts: [{ ports: [{ port: '9090', protocol: 'TCP' }] }],
      }],
    });
    expect(findingsOf([payments(), deny, allow], RULE)).toEqual([]);
  });
});

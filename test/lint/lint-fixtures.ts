import { Analyzer } from '../../src/analysis/analyzer';
import { LintFinding } from '../../src/lint/lint-finding';
import { LintOptions } from '../../src/lint/lint-options';
import { LintReport } from '../../src/lint/lint-report';
import { Linter } from '../../src/lint/linter';

/** Lints plain objects. */
export function lint(objects: any[], options: LintOptions = {}): LintReport {
  return Linter.lint(Analyzer.fromManifests(objects), options);
}

/** The open findings of one rule. */
export function findingsOf(objects: any[], ruleId: string, options: LintOptions = {}): LintFinding[] {
  return lint(objects, options).findings.filter((f) => f.ruleId === ruleId);
}

/** A Namespace object. */
export function namespace(name: string, labels: Record<string, string> = {}, annotations?: Record<string, string>): any {
  return { apiVersion: 'v1', kind: 'Namespace', metadata: { name, labels, ...(annotations ? { annotations } : {}) } };
}

/** Options of `deployment`. */
export interface DeploymentOptions {
  readonly ports?: ReadonlyArray<{ containerPort: number; name?: string; protocol?: string }>;
  /** Pod template annotations (e.g. prometheus.io/scrape). */
  readonly podAnnotations?: Record<string, string>;
  /** The Deployment's own annotations (acknowledgements go here). */
  readonly annotations?: Record<string, string>;
  readonly hostNetwork?: boolean;
}

/** A Deployment whose pods carry `labels`. */
export function deployment(ns: string, name: string, labels: Record<string, string>, options: DeploymentOptions = {}): any {
  return {
    apiVersion: 'apps/v1',
    kind: 'Deployment',
    metadata: { name, namespace: ns, ...(options.annotations ? { annotations: options.annotations } : {}) },
    spec: {
      selector: { matchLabels: labels },
      template: {
        metadata: { labels, ...(options.podAnnotations ? { annotations: options.podAnnotations } : {}) },
        spec: {
          ...(options.hostNetwork ? { hostNetwork: true } : {}),
          containers: [{ name: name, image: name, ...(options.ports ? { ports: options.ports } : {}) }],
        },
      },
    },
  };
}

/** A NetworkPolicy with the given spec (and optional annotations). */
export function policy(ns: string, name: string, spec: any, annotations?: Record<string, string>): any {
  return { apiVersion: 'networking.k8s.io/v1', kind: 'NetworkPolicy', metadata: { name, namespace: ns, ...(annotations ? { annotations } : {}) }, spec };
}

/** Default-deny both ways for a namespace. */
export function defaultDeny(ns: string): any {
  return policy(ns, 'default-deny', { podSelector: {}, policyTypes: ['Ingress', 'Egress'] });
}

/** kube-dns as clusters run it: kube-system pods `k8s-app: kube-dns` serving UDP and TCP 53. */
export function kubeDns(): any {
  return deployment('kube-system', 'coredns', { 'k8s-app': 'kube-dns' }, {
    ports: [{ containerPort: 53, name: 'dns', protocol: 'UDP' }, { containerPort: 53, name: 'dns-tcp', protocol: 'TCP' }],
  });
}

/** Egress to kube-dns on UDP and TCP 53, for every pod of a namespace. */
export function allowDns(ns: string, protocols: string[] = ['UDP', 'TCP']): any {
  return policy(ns, 'allow-dns', {
    podSelector: {},
    policyTypes: ['Egress'],
    egress: [{
      to: [{ namespaceSelector: { matchLabels: { 'kubernetes.io/metadata.name': 'kube-system' } }, podSelector: { matchLabels: { 'k8s-app': 'kube-dns' } } }],
      ports: protocols.map((protocol) => ({ protocol, port: 53 })),
    }],
  });
}

/** A CiliumNetworkPolicy with the given spec (and optional annotations). */
export function cnp(ns: string, name: string, spec: any, annotations?: Record<string, string>): any {
  return { apiVersion: 'cilium.io/v2', kind: 'CiliumNetworkPolicy', metadata: { name, namespace: ns, ...(annotations ? { annotations } : {}) }, spec };
}

/** A CiliumClusterwideNetworkPolicy with the given spec. */
export function ccnp(name: string, spec: any): any {
  return { apiVersion: 'cilium.io/v2', kind: 'CiliumClusterwideNetworkPolicy', metadata: { name }, spec };
}

/** Cluster DNS as a Cilium peer. */
export const KUBE_DNS_ENDPOINT = { matchLabels: { 'k8s:io.kubernetes.pod.namespace': 'kube-system', 'k8s-app': 'kube-dns' } };

/** A Cilium egress rule to cluster DNS on 53 through the DNS proxy, answering `dns` (matchName/matchPattern entries). */
export function ciliumDnsRule(dns: any[]): any {
  return { toEndpoints: [KUBE_DNS_ENDPOINT], toPorts: [{ ports: [{ port: '53', protocol: 'ANY' }], rules: { dns } }] };
}

/** A Pod with `status.podIPs` (the addresses cluster policies' networks peers match). */
export function pod(ns: string, name: string, labels: Record<string, string>, ips: string[] = [], options: { hostNetwork?: boolean } = {}): any {
  return {
    apiVersion: 'v1',
    kind: 'Pod',
    metadata: { name, namespace: ns, labels },
    spec: { containers: [{ name, image: name }], ...(options.hostNetwork ? { hostNetwork: true } : {}) },
    ...(ips.length ? { status: { podIPs: ips.map((ip) => ({ ip })) } } : {}),
  };
}

/** A ClusterNetworkPolicy (v1alpha2) of a tier and priority. */
export function clusterPolicy(name: string, tier: 'Admin' | 'Baseline', priority: number, spec: any, annotations?: Record<string, string>): any {
  return {
    apiVersion: 'policy.networking.k8s.io/v1alpha2',
    kind: 'ClusterNetworkPolicy',
    metadata: { name, ...(annotations ? { annotations } : {}) },
    spec: { tier, priority, ...spec },
  };
}

/** An AdminNetworkPolicy (v1alpha1). */
export function adminPolicy(name: string, priority: number, spec: any): any {
  return { apiVersion: 'policy.networking.k8s.io/v1alpha1', kind: 'AdminNetworkPolicy', metadata: { name }, spec: { priority, ...spec } };
}

/** The BaselineAdminNetworkPolicy (v1alpha1): the cluster has one, named default. */
export function baselineAdminPolicy(spec: any): any {
  return { apiVersion: 'policy.networking.k8s.io/v1alpha1', kind: 'BaselineAdminNetworkPolicy', metadata: { name: 'default' }, spec };
}

/** A cluster policy subject or peer: every pod of the namespace with this name. */
export function namespaceNamed(name: string): any {
  return { namespaces: { matchLabels: { 'kubernetes.io/metadata.name': name } } };
}

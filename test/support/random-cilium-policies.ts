/**
 * Random CiliumNetworkPolicies and CiliumClusterwideNetworkPolicies over the
 * vocabularies of random-cluster.ts, using what the analyzer evaluates at
 * L3/L4: selectors with and without source prefixes and with the labels
 * Cilium adds (namespace, namespace labels, service account), every peer kind
 * (endpoints, CIDR sets, entities, none with ports, explicitly empty lists),
 * ports of every form (ANY, "0", ranges, names), deny rules, empty rules
 * and enableDefaultDeny.
 */
import * as fc from 'fast-check';
import { ipBlockArb, NAMESPACE_KEYS, NAMESPACE_NAMES, NAMESPACE_VALUES, PORT_NAMES, POD_KEYS, POD_VALUES, POLICY_PORTS } from './random-cluster';

const PREFIXES = ['', 'k8s:', 'any:'];

function labelsWith(keys: string[], values: string[], prefix: fc.Arbitrary<string>): fc.Arbitrary<Record<string, string>> {
  return fc.tuple(prefix, fc.dictionary(fc.constantFrom(...keys), fc.constantFrom(...values), { maxKeys: 2 }))
    .map(([p, labels]) => Object.fromEntries(Object.entries(labels).map(([k, v]) => [`${p}${k}`, v])));
}

/** A pod selector; sometimes on the labels Cilium adds. */
const podPartArb: fc.Arbitrary<any> = fc.record({
  matchLabels: labelsWith(POD_KEYS, POD_VALUES, fc.constantFrom(...PREFIXES)),
  extra: fc.oneof(
    fc.constant(undefined),
    fc.record({ key: fc.constant('io.cilium.k8s.policy.serviceaccount'), operator: fc.constant('In'), values: fc.constant(['default']) }),
    fc.record({ key: fc.constantFrom('app', 'k8s:tier'), operator: fc.constantFrom('Exists', 'DoesNotExist') }),
  ),
}).map(({ matchLabels, extra }) => ({ matchLabels, ...(extra ? { matchExpressions: [extra] } : {}) }));

/** An endpoint peer: no namespace key (the policy's own, or any), a namespace by name, by labels, or every namespace. */
const endpointPeerArb: fc.Arbitrary<any> = fc.tuple(podPartArb, fc.nat(4), fc.constantFrom(...NAMESPACE_NAMES),
  fc.constantFrom(...NAMESPACE_KEYS), fc.constantFrom(...NAMESPACE_VALUES)).map(([pods, form, namespace, key, value]) => {
  const labels = { ...pods.matchLabels };
  const expressions = [...(pods.matchExpressions ?? [])];
  if (form === 1) labels['k8s:io.kubernetes.pod.namespace'] = namespace;
  if (form === 2) labels[`k8s:io.cilium.k8s.namespace.labels.${key}`] = value;
  if (form === 3) expressions.push({ key: 'io.kubernetes.pod.namespace', operator: 'Exists' });
  return { matchLabels: labels, ...(expressions.length ? { matchExpressions: expressions } : {}) };
});

const portArb: fc.Arbitrary<any> = fc.oneof(
  fc.record({ port: fc.constantFrom(...POLICY_PORTS).map(String), protocol: fc.constantFrom('TCP', 'UDP', 'SCTP', 'ANY') }),
  fc.record({ port: fc.constant('0'), protocol: fc.constantFrom('TCP', 'UDP', 'ANY') }),
  fc.tuple(fc.constantFrom(...POLICY_PORTS), fc.constantFrom(1, 100)).map(([port, span]) => ({ port: String(port), endPort: Math.min(65535, port + span), protocol: 'TCP' })),
  fc.record({ port: fc.constantFrom(...PORT_NAMES), protocol: fc.constantFrom('TCP', 'UDP') }),
);

const toPortsArb = fc.array(fc.record({ ports: fc.array(portArb, { minLength: 1, maxLength: 2 }) }), { minLength: 1, maxLength: 2 });

function ruleArb(side: 'from' | 'to', deny: boolean): fc.Arbitrary<any> {
  const withPorts = (peer: fc.Arbitrary<any>) => fc.tuple(peer, fc.option(toPortsArb, { nil: undefined }))
    .map(([p, toPorts]) => (toPorts ? { ...p, toPorts } : p));
  const kinds: Array<fc.Arbitrary<any>> = [
    withPorts(fc.array(endpointPeerArb, { minLength: 1, maxLength: 2 }).map((e) => ({ [`${side}Endpoints`]: e }))),
    withPorts(fc.array(ipBlockArb, { minLength: 1, maxLength: 2 }).map((blocks) => ({ [`${side}CIDRSet`]: blocks }))),
    withPorts(fc.subarray(['world', 'cluster', 'all', 'host'], { minLength: 1 }).map((e) => ({ [`${side}Entities`]: e }))),
    // no peer, ports: any peer
    toPortsArb.map((toPorts) => ({ toPorts })),
    // an explicitly empty peer list: nothing
    withPorts(fc.constant({ [`${side}Endpoints`]: [] })),
  ];
  if (!deny) kinds.push(fc.constant({})); // the empty rule: default deny, nothing allowed
  return fc.oneof(...kinds);
}

const specArb: fc.Arbitrary<any> = fc.record({
  endpointSelector: fc.oneof(fc.constant({}), podPartArb),
  ingress: fc.option(fc.array(ruleArb('from', false), { maxLength: 2 }), { nil: undefined }),
  egress: fc.option(fc.array(ruleArb('to', false), { maxLength: 2 }), { nil: undefined }),
  ingressDeny: fc.option(fc.array(ruleArb('from', true), { minLength: 1, maxLength: 1 }), { nil: undefined, freq: 4 }),
  egressDeny: fc.option(fc.array(ruleArb('to', true), { minLength: 1, maxLength: 1 }), { nil: undefined, freq: 4 }),
  enableDefaultDeny: fc.option(fc.record({ ingress: fc.boolean(), egress: fc.boolean() }, { requiredKeys: [] }), { nil: undefined, freq: 3 }),
}, { requiredKeys: ['endpointSelector'] })
  // as YAML would have it: no key for what is not given
  .map((spec) => JSON.parse(JSON.stringify(spec)))
  // Cilium rejects a spec with no rules at all
  .filter((spec) => ['ingress', 'egress', 'ingressDeny', 'egressDeny'].some((k) => spec[k] !== undefined));

/** 0 to 3 Cilium policies, namespaced (in one of `namespaces`) or clusterwide. */
export function ciliumPoliciesArb(namespaces: readonly string[]): fc.Arbitrary<any[]> {
  return fc.array(fc.tuple(specArb, fc.boolean(), fc.constantFrom(...namespaces)), { maxLength: 3 }).map((policies) =>
    policies.map(([spec, clusterwide, namespace], i) => (clusterwide
      ? { apiVersion: 'cilium.io/v2', kind: 'CiliumClusterwideNetworkPolicy', metadata: { name: `ccnp-${i}` }, spec }
      : { apiVersion: 'cilium.io/v2', kind: 'CiliumNetworkPolicy', metadata: { name: `cnp-${i}`, namespace }, spec })));
}

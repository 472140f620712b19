import { Chart, Testing } from 'cdk8s';
import { NetworkPolicy as NetworkPolicyModel } from 'kubernetes-models/networking.k8s.io/v1/NetworkPolicy';

/**
 * Synthesizes a chart (running the app's validations, as `cdk8s synth` does) and
 * checks every NetworkPolicy against the official Kubernetes OpenAPI schema
 * (kubernetes-models). Returns all synthesized objects.
 */
export function synthValidated(chart: Chart): any[] {
  const objects = Testing.synth(chart);
  for (const object of objects) {
    assertValidNetworkPolicy(object);
  }
  return objects;
}

/** The NetworkPolicies of a chart, schema-checked. */
export function synthPolicies(chart: Chart): any[] {
  return synthValidated(chart).filter((o) => o.kind === 'NetworkPolicy');
}

/** The one NetworkPolicy of a chart with this name, schema-checked. */
export function policyNamed(chart: Chart, name: string): any {
  const policies = synthPolicies(chart).filter((p) => p.metadata.name === name);
  if (policies.length !== 1) {
    throw new Error(`expected one NetworkPolicy named ${name}, found ${policies.length}`);
  }
  return policies[0];
}

/** Throws when a NetworkPolicy object does not match the Kubernetes OpenAPI schema. */
export function assertValidNetworkPolicy(object: any): void {
  if (object?.kind !== 'NetworkPolicy') {
    return;
  }
  try {
    new NetworkPolicyModel(object).validate();
  } catch (e) {
    throw new Error(`NetworkPolicy ${object.metadata?.name} does not match the Kubernetes schema: ${(e as Error).message}`);
  }
}

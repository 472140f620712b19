import { IConstruct } from 'constructs';

/**
 * Every NetworkPolicy our constructs create in one construct tree, keyed by
 * namespace and name, so that two policies that would overwrite each other in
 * the cluster are reported at synth time (naming both construct paths).
 */
const registries = new WeakMap<IConstruct, Map<string, IConstruct | IConstruct[]>>();

/**
 * Records a policy. When its namespace and name are taken already, every
 * policy of that name gets a validation that reports the clash at synth time;
 * the others get none (large apps run validations once per Chart).
 */
export function registerPolicy(policy: IConstruct, kind: string, namespace: string | undefined, name: string): void {
  const root = policy.node.root;
  let registry = registries.get(root);
  if (!registry) {
    registry = new Map();
    registries.set(root, registry);
  }
  const key = `${kind}/${namespace ?? ''}/${name}`;
  const taken = registry.get(key);
  // the policy alone (nearly always), else every policy of that name
  if (taken === undefined) {
    registry.set(key, policy);
    return;
  }
  const owners = Array.isArray(taken) ? taken : [taken];
  owners.push(policy);
  registry.set(key, owners);
  if (owners.length === 2) {
    owners.forEach((owner) => reportClashes(owner, owners, kind, namespace, name));
  } else if (owners.length > 2) {
    reportClashes(policy, owners, kind, namespace, name);
  }
}

function reportClashes(policy: IConstruct, owners: IConstruct[], kind: string, namespace: string | undefined, name: string): void {
  policy.node.addValidation({
    validate: () => {
      const where = namespace ? `namespace "${namespace}"` : 'the same (unset) namespace';
      const others = owners.filter((o) => o !== policy);
      return [
        `two ${kind.replace(/y$/, 'ies')} are named "${name}" in ${where}, so one would overwrite the other: ` +
        `${[policy, ...others].map((o) => o.node.path).join(' and ')}. ` +
        'Give one of them another construct id or an explicit `name`.',
      ];
    },
  });
}

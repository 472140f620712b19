import { IConstruct } from 'constructs';

/**
 * Every NetworkPolicy our constructs create in one construct tree, keyed by
 * namespace and name, so that two policies that would overwrite each other in
 * the cluster are reported at synth time (naming both construct paths).
 */
const registries = new WeakMap<IConstruct, Map<string, IConstruct[]>>();

/** Records a policy; returns a function that reports its clashes at synth time. */
export function registerPolicy(policy: IConstruct, namespace: string | undefined, name: string): () => string[] {
  const root = policy.node.root;
  let registry = registries.get(root);
  if (!registry) {
    registry = new Map();
    registries.set(root, registry);
  }
  const key = `${namespace ?? ''}/${name}`;
  const owners = registry.get(key) ?? [];
  owners.push(policy);
  registry.set(key, owners);
  return () => {
    const others = owners.filter((o) => o !== policy);
    if (others.length === 0) {
      return [];
    }
    const where = namespace ? `namespace "${namespace}"` : 'the same (unset) namespace';
    return [
      `two NetworkPolicies are named "${name}" in ${where}, so one would overwrite the other: ` +
      `${[policy, ...others].map((o) => o.node.path).join(' and ')}. ` +
      'Give one of them another construct id or an explicit `name`.',
    ];
  };
}

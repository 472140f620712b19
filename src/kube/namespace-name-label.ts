/** The label the API server sets on every Namespace, to its name; immutable, so safe to select by. */
export const NAMESPACE_NAME_LABEL = 'kubernetes.io/metadata.name';

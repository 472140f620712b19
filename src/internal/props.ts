import { IConstruct } from 'constructs';
import type { NamedPolicyOptions } from '../network-policy';

/** The path a construct about to be created as `id` in `scope` will have, for messages written before it exists. */
export function childPath(scope: IConstruct, id: string): string {
  return scope.node.path === '' ? id : `${scope.node.path}/${id}`;
}

/** Throws a clear error when a required prop is missing (JavaScript callers have no type checker). */
export function requireProps(path: string, props: object | undefined, ...names: string[]): void {
  for (const name of names) {
    if (!props || (props as { [key: string]: unknown })[name] === undefined) {
      throw new Error(`${path}: the \`${name}\` prop is required.`);
    }
  }
}

/** The metadata part of a construct's props, to pass on to its NetworkPolicy. */
export function metadataOf(props: NamedPolicyOptions): NamedPolicyOptions {
  return { name: props.name, namespace: props.namespace, labels: props.labels, annotations: props.annotations };
}

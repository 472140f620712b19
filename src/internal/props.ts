import { IConstruct } from 'constructs';
import type { NamedPolicyOptions } from '../policy-options';

/**
 * Construct paths, computed once per scope: `node.path` walks every scope up
 * to the root and joins their ids on each call, and every construct of this
 * library needs its scope's path for the messages it may write. A path never
 * changes (ids are fixed, and the tree only grows).
 */
const paths = new WeakMap<IConstruct, string>();

/** `construct.node.path`, remembered. */
export function pathOf(construct: IConstruct): string {
  let path = paths.get(construct);
  if (path === undefined) {
    path = construct.node.path;
    paths.set(construct, path);
  }
  return path;
}

/** The path a construct about to be created as `id` in `scope` will have, for messages written before it exists. */
export function childPath(scope: IConstruct, id: string): string {
  const path = pathOf(scope);
  return path === '' ? id : `${path}/${id}`;
}

/**
 * Throws a clear error naming the construct when its props are not an object:
 * `null` from JavaScript (or a jsii language) would otherwise be a raw TypeError.
 */
export function checkProps(path: string, construct: string, props: unknown): void {
  if (props === undefined) return;
  if (props === null || typeof props !== 'object' || Array.isArray(props)) {
    const got = props === null ? 'null' : Array.isArray(props) ? 'a list' : typeof props === 'string' ? `the string ${JSON.stringify(props)}` : `${typeof props} ${String(props)}`;
    throw new Error(`${path}: ${construct} props must be an object (or left out), got ${got}.`);
  }
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
  return { name: props.name, namespace: props.namespace, labels: props.labels, annotations: props.annotations, target: props.target };
}

import { IConstruct } from 'constructs';

/** A construct's path for messages (the App's own path is empty). */
export function pathOf(scope: IConstruct): string {
  return scope.node.path === '' ? 'the App' : scope.node.path;
}

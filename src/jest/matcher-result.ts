import { IConstruct } from 'constructs';

/** What a Jest matcher returns. */
export interface MatcherResult {
  pass: boolean;
  message: () => string;
}

/** A value as a matcher's message names it: the construct by its path, else what it is. */
export function describeValue(value: unknown): string {
  if (value === null || value === undefined) return String(value);
  const node = (value as IConstruct).node;
  if (node?.path !== undefined) return `the construct ${node.path}`;
  return typeof value === 'object' ? `an object (${Object.keys(value as object).slice(0, 5).join(', ')})` : `the ${typeof value} ${JSON.stringify(value)}`;
}

import { ManifestObject } from '../analysis/manifest-object';
import { ACKNOWLEDGE_PREFIX } from '../kube/acknowledge-annotation';

export { ACKNOWLEDGE_PREFIX };

/** One acknowledgement annotation of an object. */
export interface Acknowledgement {
  readonly ruleId: string;
  readonly reason: string;
  /** The annotation key, for messages. */
  readonly key: string;
}

/** The acknowledgements in an object's `metadata.annotations` (not the pod template's: those belong to the pods). */
export function acknowledgementsOf(source: ManifestObject | undefined): Acknowledgement[] {
  const annotations = source?.object?.metadata?.annotations;
  if (typeof annotations !== 'object' || annotations === null) return [];
  return Object.entries(annotations as Record<string, unknown>)
    .filter(([key]) => key.startsWith(ACKNOWLEDGE_PREFIX))
    .map(([key, value]) => ({ key, ruleId: key.slice(ACKNOWLEDGE_PREFIX.length), reason: typeof value === 'string' ? value.trim() : '' }));
}

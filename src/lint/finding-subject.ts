import { LintFinding } from './lint-finding';

/**
 * `Kind namespace/name field: `, what every report of a finding starts with,
 * or nothing when the message already opens by naming the object (rules that
 * judge a workload or a namespace say "Deployment shop/web cannot reach ...").
 */
export function subjectPrefix(f: LintFinding, detail: string = ''): string {
  if (f.message.startsWith(f.object)) return '';
  return `${f.object}${f.field ? ` ${f.field}` : ''}${detail}: `;
}

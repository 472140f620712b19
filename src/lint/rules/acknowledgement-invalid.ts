import { acknowledgementsOf, ACKNOWLEDGE_PREFIX } from '../acknowledgement';
import { LintRule, RuleFinding } from '../lint-rule';
import { Severity } from '../severity';
import { endpointSubject, namespaceSubject, policySubject, Subject } from '../subject';
import { policyObjects } from '../tier-policies';

/**
 * Flags acknowledgement annotations that acknowledge nothing: an unknown rule
 * id (a typo leaves the finding open, or a rule was renamed) or no reason
 * (an acknowledgement must say why, for the next reviewer).
 */
export const acknowledgementInvalid: LintRule = {
  id: 'acknowledgement-invalid',
  severity: Severity.ERROR,
  summary: `An ${ACKNOWLEDGE_PREFIX}<rule-id> annotation names an unknown rule or gives no reason.`,
  rationale: 'An acknowledgement is a reviewed exception: without a reason nobody can tell later whether it still holds, '
    + 'and an unknown rule id acknowledges nothing.',
  fix: `Write ${ACKNOWLEDGE_PREFIX}<rule-id>: "<why this is intended>" with a rule id from docs/rules.md.`,
  check: ({ model, ruleIds }) => {
    const subjects: Subject[] = [
      // Every policy object once: the specs of a Cilium object share its annotations.
      ...policyObjects(model).map(policySubject),
      ...model.endpoints.map(endpointSubject),
      ...[...model.namespaces.values()].map(namespaceSubject),
    ];
    const findings: RuleFinding[] = [];
    for (const subject of subjects) {
      for (const ack of acknowledgementsOf(subject.source)) {
        const field = ['metadata', 'annotations', ack.key];
        if (!ruleIds.includes(ack.ruleId)) {
          findings.push({ subject, field, message: `The annotation ${ack.key} acknowledges "${ack.ruleId}", which is not a rule.`, fix: `Use one of: ${ruleIds.join(', ')}.` });
        } else if (ack.ruleId === acknowledgementInvalid.id) {
          findings.push({ subject, field, message: `The annotation ${ack.key} tries to acknowledge broken acknowledgements, which cannot be acknowledged.`, fix: 'Remove it, and fix the annotations this rule names.' });
        } else if (ack.reason === '') {
          findings.push({ subject, field, message: `The annotation ${ack.key} gives no reason, so it acknowledges nothing.`, fix: `Say why the finding is intended, e.g. ${ack.key}: "ingress controller: must accept the internet".` });
        }
      }
    }
    return findings;
  },
};

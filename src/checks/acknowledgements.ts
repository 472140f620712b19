import { ApiObject } from 'cdk8s';
import { IConstruct } from 'constructs';
import { pathOf } from './construct-path';
import { ACKNOWLEDGE_PREFIX } from '../lint/acknowledgement';
import { Linter } from '../lint/linter';

/** It reports broken acknowledgements: acknowledging it would hide them. */
const UNACKNOWLEDGEABLE = 'acknowledgement-invalid';

/**
 * Acknowledges lint findings on Kubernetes objects of a cdk8s app, with a
 * reason, whether or not the app runs `NetpolChecks`: the annotation travels
 * with the synthesized YAML, so `cdk8s-netpol lint` and the cdk8s-cli plugin
 * honour it too.
 *
 * @example
 * Acknowledgements.add(fromInternet, 'allow-all-rule', 'the ingress controller is the public entry point');
 */
export class Acknowledgements {
  /**
   * Acknowledges a rule's findings on every Kubernetes object under `scope`, with a
   * reason: adds the annotation `acknowledge.cdk8s-netpol.io/<ruleId>: <reason>`,
   * which the linter (in `NetpolChecks`, `cdk8s-netpol lint` and the cdk8s-cli
   * plugin) reads. Acknowledged findings no longer fail and are listed as acknowledged.
   *
   * It annotates the objects that exist when it is called: call it after creating
   * the constructs. Findings about a namespace that has no Namespace object cannot
   * be acknowledged (there is no object to annotate).
   *
   * @param scope a construct of this library, a Chart, or an ApiObject
   * @param ruleId the rule whose findings are intended, e.g. `allow-all-rule` (see docs/rules.md)
   * @param reason why the findings are intended, for the next reviewer; must not be empty
   */
  public static add(scope: IConstruct, ruleId: string, reason: string): void {
    const where = pathOf(scope);
    const acknowledgeable = Linter.rules.map((r) => r.id).filter((id) => id !== UNACKNOWLEDGEABLE);
    if (ruleId === UNACKNOWLEDGEABLE) {
      throw new Error(`${where}: "${UNACKNOWLEDGEABLE}" cannot be acknowledged: it reports broken acknowledgements; fix the annotation it names instead.`);
    }
    if (!acknowledgeable.includes(ruleId)) {
      throw new Error(`${where}: cannot acknowledge "${ruleId}": there is no such rule. The rule ids are: ${acknowledgeable.join(', ')}.`);
    }
    if (typeof reason !== 'string' || reason.trim() === '') {
      throw new Error(`${where}: acknowledging "${ruleId}" needs a reason: say why the findings are intended, for the next reviewer.`);
    }
    const objects = scope.node.findAll().filter(ApiObject.isApiObject);
    if (objects.length === 0) {
      throw new Error(`${where}: there is no Kubernetes object to acknowledge "${ruleId}" on (yet); call acknowledge() after creating the constructs.`);
    }
    const key = `${ACKNOWLEDGE_PREFIX}${ruleId}`;
    const text = reason.trim();
    for (const object of objects) {
      const current = object.metadata.toJson()?.annotations?.[key];
      if (current !== undefined && current !== text) {
        throw new Error(`${object.node.path}: "${ruleId}" is already acknowledged with the reason "${current}"; `
          + `acknowledging it again with "${text}" would silently replace it. Keep one reason.`);
      }
      object.metadata.addAnnotation(key, text);
    }
  }

  private constructor() {}
}

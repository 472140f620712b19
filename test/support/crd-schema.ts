import * as fs from 'fs';
import * as path from 'path';
import Ajv, { ValidateFunction } from 'ajv';
import { parse } from 'yaml';
import { parseCidr } from '../../src/validation/cidr';

/** The CRDs' patterns are Go (RE2) regexps: `\\pC` is JavaScript's `\\p{C}`; the rest they use reads the same. */
function re2ToJs(pattern: string): string {
  return pattern.replace(/\\([pP])([A-Z])/g, '\\$1{$2}');
}

/** The formats the CRDs use, as the API server reads them (k8s.io/kube-openapi strfmt). */
const FORMATS = {
  'cidr': (value: string) => parseCidr(value).cidr !== undefined,
  'int32': { type: 'number' as const, validate: (n: number) => Number.isInteger(n) && n >= -(2 ** 31) && n < 2 ** 31 },
  'int64': { type: 'number' as const, validate: (n: number) => Number.isInteger(n) },
  // status fields only: we never emit a status
  'date-time': () => true,
  // a DNS name; the API server's check, not IDNA: the names we emit are ASCII
  'idn-hostname': (value: string) => /^(?=.{1,253}$)[a-zA-Z0-9]([-a-zA-Z0-9]{0,61}[a-zA-Z0-9])?(\.[a-zA-Z0-9]([-a-zA-Z0-9]{0,61}[a-zA-Z0-9])?)*$/.test(value),
};

/**
 * Validators for the objects of a CustomResourceDefinition vendored in
 * test/data/crds (with its license), from its `openAPIV3Schema`: what the API
 * server checks before Cilium or a network-policy-api implementation sees the object.
 */
const validators = new Map<string, ValidateFunction>();

function validatorFor(crdFile: string): ValidateFunction {
  let validate = validators.get(crdFile);
  if (!validate) {
    const crd = parse(fs.readFileSync(path.join(__dirname, '..', 'data', 'crds', crdFile), 'utf8'));
    const schema = crd.spec.versions.find((v: any) => v.storage).schema.openAPIV3Schema;
    // strict: false for the x-kubernetes-* extensions; the structural keywords are checked as JSON Schema
    validate = new Ajv({
      strict: false,
      allErrors: true,
      formats: FORMATS,
      code: { regExp: Object.assign((source: string, flags: string) => new RegExp(re2ToJs(source), flags), { code: 're2ToJs' }) },
    }).compile(schema);
    validators.set(crdFile, validate);
  }
  return validate;
}

const CRD_OF_KIND: Record<string, string> = {
  CiliumNetworkPolicy: 'cilium/ciliumnetworkpolicies.yaml',
  CiliumClusterwideNetworkPolicy: 'cilium/ciliumclusterwidenetworkpolicies.yaml',
  ClusterNetworkPolicy: 'network-policy-api/v1alpha2/policy.networking.k8s.io_clusternetworkpolicies.yaml',
  AdminNetworkPolicy: 'network-policy-api/v1alpha1/policy.networking.k8s.io_adminnetworkpolicies.yaml',
  BaselineAdminNetworkPolicy: 'network-policy-api/v1alpha1/policy.networking.k8s.io_baselineadminnetworkpolicies.yaml',
};

/** Throws, naming the object and every schema error, when `object` does not match its kind's CRD. */
export function assertValidCustomResource(object: any): void {
  const crdFile = CRD_OF_KIND[object?.kind];
  if (!crdFile) {
    throw new Error(`no vendored CRD for kind ${object?.kind}`);
  }
  const validate = validatorFor(crdFile);
  if (!validate(object)) {
    const errors = validate.errors!.map((e) => `${e.instancePath || '/'} ${e.message}`).join('; ');
    throw new Error(`${object.kind} ${object.metadata?.name} does not match its CRD schema: ${errors}`);
  }
}

import { LintRule } from '../lint-rule';
import { acknowledgementInvalid } from './acknowledgement-invalid';
import { allowAllRule } from './allow-all-rule';
import { cniUnsupportedFeature } from './cni-unsupported-feature';
import { dnsEgressBlocked } from './dns-egress-blocked';
import { endPortIgnored } from './end-port-ignored';
import { hostNetworkPod } from './host-network-pod';
import { metadataEndpointReachable } from './metadata-endpoint-reachable';
import { metricsUnreachable } from './metrics-unreachable';
import { missingDefaultDeny } from './missing-default-deny';
import { namedPortIpBlock } from './named-port-ip-block';
import { namespaceLabelMissing } from './namespace-label-missing';
import { restrictionCancelled } from './restriction-cancelled';
import { selectorMatchesNothing } from './selector-matches-nothing';

/** Every lint rule, in catalogue order (docs/rules.md follows it). */
export const RULES: readonly LintRule[] = [
  dnsEgressBlocked,
  namespaceLabelMissing,
  selectorMatchesNothing,
  missingDefaultDeny,
  allowAllRule,
  restrictionCancelled,
  metadataEndpointReachable,
  metricsUnreachable,
  namedPortIpBlock,
  endPortIgnored,
  cniUnsupportedFeature,
  hostNetworkPod,
  acknowledgementInvalid,
];

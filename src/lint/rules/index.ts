import { LintRule } from '../lint-rule';
import { acknowledgementInvalid } from './acknowledgement-invalid';
import { adminAcceptOverridesDefaultDeny } from './admin-accept-overrides-default-deny';
import { allowAllRule } from './allow-all-rule';
import { ciliumEmptyRule } from './cilium-empty-rule';
import { ciliumPortsWithoutPeers } from './cilium-ports-without-peers';
import { clusterPriorityTie } from './cluster-priority-tie';
import { cniUnsupportedFeature } from './cni-unsupported-feature';
import { denyOnlyIsolates } from './deny-only-isolates';
import { dnsEgressBlocked } from './dns-egress-blocked';
import { dnsNameWithoutDnsRule } from './dns-name-without-dns-rule';
import { endPortIgnored } from './end-port-ignored';
import { hostNetworkPod } from './host-network-pod';
import { httpRuleMoot } from './http-rule-moot';
import { metadataEndpointReachable } from './metadata-endpoint-reachable';
import { metricsUnreachable } from './metrics-unreachable';
import { missingDefaultDeny } from './missing-default-deny';
import { namedPortIpBlock } from './named-port-ip-block';
import { namespaceLabelMissing } from './namespace-label-missing';
import { networkPeerMatchesPods } from './network-peer-matches-pods';
import { restrictionCancelled } from './restriction-cancelled';
import { selectorMatchesNothing } from './selector-matches-nothing';

/** Every lint rule, in catalogue order (docs/rules.md follows it). */
export const RULES: readonly LintRule[] = [
  dnsEgressBlocked,
  dnsNameWithoutDnsRule,
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
  denyOnlyIsolates,
  httpRuleMoot,
  ciliumPortsWithoutPeers,
  ciliumEmptyRule,
  clusterPriorityTie,
  networkPeerMatchesPods,
  adminAcceptOverridesDefaultDeny,
  acknowledgementInvalid,
];

import { Construct } from 'constructs';
import {
  AllowFrom, AllowTo, NamespaceBaseline, NamespaceSelector, Peer, Port, Selector,
} from '../../src';

/**
 * Properties of `PaymentsNamespace`.
 */
export interface PaymentsNamespaceProps {
  /** The namespace the payments services run in. */
  readonly namespace: string;

  /** The labels of the payments service pods. */
  readonly servicePods: { [key: string]: string };

  /** The port the payments service listens on. */
  readonly servicePort: number;

  /** The external card processor's address range (only this is reachable outside the cluster). */
  readonly processorCidr: string;

  /**
   * The metrics port scraped by the platform's Prometheus.
   * @default 9090
   */
  readonly metricsPort?: number;
}

/**
 * The platform team's standard for a PCI namespace: default-deny both ways,
 * DNS, no general internet egress, the ingress controller may reach the
 * service, the service may reach only the card processor, and the platform's
 * Prometheus scrapes it.
 *
 * Published by the platform team as a construct of its own, built on cdk8s-netpol.
 * Its ids are part of its contract: they name the policies in every namespace that uses it.
 */
export class PaymentsNamespace extends Construct {
  constructor(scope: Construct, id: string, props: PaymentsNamespaceProps) {
    super(scope, id);
    const service = Selector.labels(props.servicePods);
    const namespace = props.namespace;

    new NamespaceBaseline(this, 'baseline', {
      namespace,
      allowSameNamespace: false,
      allowExternalHttps: false,
      monitoring: { pods: service, ports: [Port.tcp(props.metricsPort ?? 9090)] },
    });
    new AllowFrom(this, 'from-ingress', {
      namespace,
      pods: service,
      from: [Peer.podsIn(NamespaceSelector.named('ingress-nginx'), Selector.labels({ 'app.kubernetes.io/name': 'ingress-nginx' }))],
      ports: [Port.tcp(props.servicePort)],
    });
    new AllowTo(this, 'to-processor', {
      namespace,
      pods: service,
      to: [Peer.ipBlock(props.processorCidr)],
      ports: [Port.HTTPS],
    });
  }
}

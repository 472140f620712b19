/**
 * Transport protocols a NetworkPolicy can match.
 */
export enum Protocol {
  /** TCP */
  TCP = 'TCP',
  /** UDP */
  UDP = 'UDP',
  /** SCTP */
  SCTP = 'SCTP',
}

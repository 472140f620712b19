/**
 * A copy of a generated cluster with `count` NetworkPolicies changed, spread
 * evenly over the list, in five ways a pull request changes policies: a port
 * moved by one, an except list or a port list dropped, a peer widened to every
 * pod of its namespace, a rule removed, and Egress dropped from policyTypes.
 * Deterministic: the same input gives the same copy.
 */
export function changePolicies(objects: readonly any[], count: number): any[] {
  const copy: any[] = structuredClone(objects as any[]);
  const policies = copy.filter((o) => o.kind === 'NetworkPolicy');
  const step = Math.max(1, Math.floor(policies.length / count));
  // The offset walks through the positions of a namespace's policies, so that every kind of policy gets changed.
  for (let i = 0; i < count && i < policies.length; i++) {
    CHANGES[i % CHANGES.length](policies[(i * step + i) % policies.length].spec);
  }
  return copy;
}

type Change = (spec: any) => void;

const rules = (spec: any): any[] => [...(spec.ingress ?? []), ...(spec.egress ?? [])];

const CHANGES: readonly Change[] = [
  // A numbered port moves by one (or a port appears where every port was allowed).
  (spec) => {
    const rule = rules(spec)[0];
    if (!rule) return void (spec.ingress = [{ ports: [{ port: 8080 }] }]);
    const entry = (rule.ports ?? []).find((p: any) => typeof p.port === 'number' && p.endPort === undefined);
    if (entry) entry.port = entry.port + 1;
    else rule.ports = [{ port: 9080 }];
  },
  // An except list, or else the port list, is dropped: wider.
  (spec) => {
    const rule = rules(spec)[0];
    if (!rule) return void (spec.egress = [{}]);
    const block = (rule.to ?? rule.from ?? []).find((p: any) => p.ipBlock?.except);
    if (block) delete block.ipBlock.except;
    else delete rule.ports;
  },
  // A peer widened to every pod of its namespace(s).
  (spec) => {
    const peer = rules(spec).flatMap((r) => r.to ?? r.from ?? []).find((p: any) => p.podSelector);
    if (peer) peer.podSelector = {};
    else spec.podSelector = {};
  },
  // A rule removed: narrower.
  (spec) => {
    if (spec.ingress?.length) spec.ingress.pop();
    else if (spec.egress?.length) spec.egress.pop();
  },
  // Egress no longer isolated by this policy.
  (spec) => {
    spec.policyTypes = ['Ingress'];
    delete spec.egress;
  },
];

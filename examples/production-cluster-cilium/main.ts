import * as path from 'path';
import { buildCiliumApp } from './app';

// `npx projen example`: synthesize the Cilium variant to examples/production-cluster-cilium/dist/
// (its synth-time checks run: any open warning fails); `cdk8s-netpol list` then shows what it allows.
const outdir = path.join(__dirname, 'dist');
const app = buildCiliumApp({ outdir });
app.synth();

const policies = app.charts.flatMap((chart) => chart.toJson()).filter((o) => o.kind === 'CiliumNetworkPolicy');
console.log(`${policies.length} CiliumNetworkPolicies in ${new Set(policies.map((p) => p.metadata.namespace)).size} namespaces.`);
console.log(`Manifests written to ${path.relative(process.cwd(), outdir)}/ (${app.charts.map((c) => `${c.node.id}.k8s.yaml`).join(', ')})`);

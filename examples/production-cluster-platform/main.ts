import * as path from 'path';
import { buildPlatformApp } from './app';

// `npx projen example`: synthesize the platform variant to examples/production-cluster-platform/dist/
// (its synth-time checks run: any open warning fails); verify, lint and explain then read it back.
const outdir = path.join(__dirname, 'dist');
const app = buildPlatformApp({ outdir });
app.synth();

const objects = app.charts.flatMap((chart) => chart.toJson());
const count = (kind: string) => objects.filter((o) => o.kind === kind).length;
console.log(`${count('ClusterNetworkPolicy')} ClusterNetworkPolicies in the platform chart, beside ${count('NetworkPolicy')} NetworkPolicies.`);
console.log(`Manifests written to ${path.relative(process.cwd(), outdir)}/ (${app.charts.map((c) => `${c.node.id}.k8s.yaml`).join(', ')})`);

import * as path from 'path';
import { summarizePolicies } from '../summarize-policies';
import { buildCiliumApp } from './app';

// `npx projen example`: synthesize the Cilium variant to examples/production-cluster-cilium/dist/ and say what it allows.
const outdir = path.join(__dirname, 'dist');
const app = buildCiliumApp({ outdir });
app.synth();

const objects = app.charts.flatMap((chart) => chart.toJson());
console.log(summarizePolicies(objects));
console.log(`Manifests written to ${path.relative(process.cwd(), outdir)}/ (${app.charts.map((c) => `${c.node.id}.k8s.yaml`).join(', ')})`);

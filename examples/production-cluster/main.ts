import * as path from 'path';
import { summarizePolicies } from '../summarize-policies';
import { buildApp } from './app';

// `npx projen example`: synthesize to examples/production-cluster/dist/ and say what the policies allow.
const outdir = path.join(__dirname, 'dist');
const app = buildApp({ outdir });
app.synth();

const objects = app.charts.flatMap((chart) => chart.toJson());
console.log(summarizePolicies(objects));
console.log(`Manifests written to ${path.relative(process.cwd(), outdir)}/ (${app.charts.map((c) => `${c.node.id}.k8s.yaml`).join(', ')})`);

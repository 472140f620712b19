import * as fs from 'fs';
import * as path from 'path';
import { summarizePolicies } from '../summarize-policies';
import { buildGraphApp } from './app';

// `npx projen example`: synthesize to examples/production-cluster-graph/dist/ and say what the policies allow.
const outdir = path.join(__dirname, 'dist');
const { app, graph } = buildGraphApp({ outdir });
app.synth();

const objects = app.charts.flatMap((chart) => chart.toJson());
console.log(summarizePolicies(objects));
console.log(`Manifests written to ${path.relative(process.cwd(), outdir)}/ (${app.charts.map((c) => `${c.node.id}.k8s.yaml`).join(', ')})`);

// What the graph must allow and deny, for `cdk8s-netpol verify` (the next step of the task). Not in dist/:
// verify reads every YAML file there as manifests. Generated on every run, so not in git.
const expectations = path.join(__dirname, 'expectations.generated.yaml');
fs.writeFileSync(expectations, graph.expectationsFile());
console.log(`Expectations of the graph written to ${path.relative(process.cwd(), expectations)} (${graph.expectations().length} flows)`);

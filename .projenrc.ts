import { cdk8s, javascript, JsonFile } from 'projen';
import { UpdateSnapshot } from 'projen/lib/javascript';

const project = new cdk8s.ConstructLibraryCdk8s({
  name: 'cdk8s-netpol',
  description:
    'Typed cdk8s constructs that turn network-segmentation intent into Kubernetes NetworkPolicy manifests.',
  author: 'cdk8s-netpol developers',
  authorAddress: 'cdk8s-netpol@users.noreply.github.com',
  repositoryUrl: 'https://github.com/cdk8s-netpol/cdk8s-netpol.git',
  keywords: ['cdk8s', 'kubernetes', 'networkpolicy', 'network-policy', 'security'],
  defaultReleaseBranch: 'main',
  packageManager: javascript.NodePackageManager.NPM,
  projenrcTs: true,
  minNodeVersion: '20.0.0',

  // Toolchain: jsii and TypeScript 5.9 (TypeScript 7 is not supported by jsii).
  jsiiVersion: '~5.9.0',
  typescriptVersion: '~5.9.0',

  // cdk8s 2.x / constructs 10.x are the only peers (projen pins the devDependency to each
  // peer's minimum, so the tests run against the oldest versions we claim). cdk8s-plus is no
  // dependency at all: workloads are read from what they synthesize (their ApiObject), so a
  // Deployment of any cdk8s-plus (28 through 33), a raw KubeDeployment or an Include is accepted,
  // and nothing of ours imports cdk8s-plus at run time or in its type declarations.
  cdk8sVersion: '2.70.0',
  constructsVersion: '10.4.0',
  // The analyzer reads YAML with line numbers (for errors that name the line). jsii
  // libraries must bundle their non-jsii dependencies.
  bundledDeps: ['yaml@^2.8.0'],
  bin: { 'cdk8s-netpol': 'lib/cli/main.js' },

  // The jsii targets: the names each language's users import. With release: false
  // nothing is published; `package:code` (below) generates their source in the build.
  publishToPypi: { distName: 'cdk8s-netpol', module: 'cdk8s_netpol' },
  publishToMaven: {
    javaPackage: 'io.github.cdk8s_netpol',
    mavenGroupId: 'io.github.cdk8s-netpol',
    mavenArtifactId: 'cdk8s-netpol',
  },
  publishToGo: { moduleName: 'github.com/cdk8s-netpol/cdk8s-netpol-go', packageName: 'cdk8snetpol' },
  publishToNuget: { dotNetNamespace: 'Cdk8sNetpol', packageId: 'Cdk8sNetpol' },
  devDeps: [
    // Official Kubernetes OpenAPI schema as validators, used by the tests only.
    'kubernetes-models@^4.5.1',
    'fast-check@^4',
    // The tests pass workloads of the oldest and the newest cdk8s-plus (both accept cdk8s ^2.68.11).
    'cdk8s-plus-28@2.5.6',
    'cdk8s-plus-33@^2.5.57',
    // Validates emitted Cilium and network-policy-api objects against their CRDs' OpenAPI schemas (test/data/crds).
    'ajv@^8',
  ],

  eslintOptions: {
    dirs: ['src'],
    // Typed linting builds a TypeScript program of the whole tree (about 35 s of CPU on 2 cores): with the
    // cache, a run lints only the files that changed since the last one (by content, so a fresh clone or a
    // checkout of other commits is judged right).
    commandOptions: { extraArgs: ['--cache', '--cache-location', 'node_modules/.cache/eslint/', '--cache-strategy', 'content'] },
  },

  jestOptions: {
    // Jest 30 resolves modules with unrs-resolver, whose per-platform optional binaries
    // the registry reachable here does not serve: `npm ci` then rejects the lock file.
    jestVersion: '^29',
    // A snapshot mismatch must fail `test`; `test:update` rewrites snapshots.
    updateSnapshot: UpdateSnapshot.NEVER,
    passWithNoTests: false,
    // Machine-readable results: `.ci/run` prints its "N passed, N failed" line from them.
    extraCliOptions: ['--json', '--outputFile=test-reports/jest-results.json'],
    jestConfig: {
      // Coverage instrumentation slows a 2-core CI; run `npx jest --coverage` on demand.
      collectCoverage: false,
      // One worker per CPU (Jest's default leaves one CPU to its parent, which sits idle): on 2 CPUs, `test`
      // took 80 s with one worker and 67 s with two, beside the type check and eslint.
      maxWorkers: '100%',
      // dist/ holds build outputs with package.json files of their own (dist/rosetta-docs/: see docs:snippets).
      modulePathIgnorePatterns: ['<rootDir>/dist/'],
    },
  },

  // This project's CI is `.ci/run`; no GitHub workflows, bots or release pipeline.
  github: false,
  release: false,
  depsUpgrade: false,
  pullRequestTemplate: false,
  sampleCode: false,
  gitignore: ['/examples/*/dist/', '/examples/*/expectations.generated.yaml', '*.tmp.ts', '.jsii.tabl.json', '__pycache__/'],
});

// eslint-import-resolver-typescript 4.x depends on unrs-resolver too (see jestVersion);
// 3.6 resolves with enhanced-resolve.
project.deps.removeDependency('eslint-import-resolver-typescript');
project.addDevDeps('eslint-import-resolver-typescript@~3.6.3');

// Examples are type-checked and linted with the tests. ts-jest only transpiles
// (isolatedModules), so `test` starts with a real type check of src, test and examples.
project.tsconfigDev.addInclude('../examples/**/*.ts');
project.eslint?.addLintPattern('examples');
// The examples are apps, which import cdk8s-plus (a devDependency: the library itself must never import it, which
// import/no-extraneous-dependencies checks for src/).
project.eslint?.allowDevDeps('examples/**');
// `test` runs Jest beside the type check and eslint (build-tools/run-together.ts), rather than one after the
// other, so that no CPU waits. Jest streams its output; the others print theirs when done. The type check is
// incremental (its state in node_modules/.cache/, as eslint's cache is): a second run checks only what changed.
const jestStep = project.testTask.steps.find((step) => (step.execArgs ?? step.exec?.split(' ') ?? [])[0] === 'jest');
if (!jestStep) throw new Error('projen no longer gives the test task a jest step: revisit the test task');
const jestCommand = jestStep.exec ?? jestStep.execArgs!.join(' ');
const shellQuote = (command: string) => `"${command}"`;
project.testTask.reset(
  ['ts-node --transpile-only build-tools/run-together.ts', jestCommand, 'tsc --noEmit --incremental --tsBuildInfoFile node_modules/.cache/tsc/test.tsbuildinfo -p test/tsconfig.json', 'projen eslint']
    .map((part, i) => (i === 0 ? part : shellQuote(part))).join(' ') + ' --',
  { receiveArgs: true },
);
// The property tests run ten times their standard number of random cases (test/support/property-runs.ts):
// for a change to the analyzer or to a generator, where `test` must stay under a minute.
project.addTask('test:deep', {
  description: 'Runs the property tests with ten times their random cases (PROPERTY_RUNS_SCALE=10)',
  env: { PROPERTY_RUNS_SCALE: '10' },
  exec: 'jest --ci property',
  receiveArgs: true,
});
// Golden outputs (test/golden/) are rewritten with the snapshots, never by `test`.
project.tasks.tryFind('test:update')?.env('UPDATE_GOLDEN', '1');
// eslint's project service finds the nearest tsconfig.json: give examples/ their own.
for (const dir of ['examples', 'bench', 'build-tools']) {
  new JsonFile(project, `${dir}/tsconfig.json`, {
    obj: {
      extends: '../tsconfig.json',
      compilerOptions: { noEmit: true, rootDir: '..' },
      include: ['**/*.ts'],
    },
  });
}
project.npmignore?.exclude('/examples/', '/docs/', '/.ci/', '/bench/');

// Every TypeScript snippet of the README, docs/*.md and @example compiles under `jsii-rosetta extract --strict`
// (fixtures in rosetta/), and its Python translation is valid Python; the translations go to .jsii.tabl.json,
// from which package:code takes the other languages' docs. After compile (it reads .jsii), so build runs it.
project.tsconfigDev.addInclude('../build-tools/**/*.ts');
const snippetsTask = project.addTask('docs:snippets', {
  description: 'Compile every README, docs/*.md and @example snippet with jsii-rosetta --strict and check that its Python translation is valid Python',
  exec: 'ts-node --transpile-only build-tools/check-snippets.ts',
});
// Before docgen: API.md shows each type's @example from the tablet docs:snippets writes (compile removes it).
const docgenTask = project.tasks.tryFind('docgen');
project.postCompileTask.reset();
project.postCompileTask.spawn(snippetsTask);
if (docgenTask) project.postCompileTask.spawn(docgenTask);
project.npmignore?.exclude('/build-tools/', '/rosetta/');

// The other languages' code, generated in every build. Building their packages (wheel, jar, Go module, NuGet)
// needs PyPI, Maven Central, the Go module proxy and NuGet, which these machines cannot reach: the build stops at
// the generated source (dist/code/<language>/, gitignored with dist/), which is enough to prove that the jsii API
// translates. projen's package:<language> tasks would build the packages, so they are not part of the build.
const codeTargets = ['python', 'java', 'go', 'dotnet'];
const packageCodeTask = project.addTask('package:code', {
  description: `Generate the ${codeTargets.join(', ')} bindings' source code in dist/code/ (jsii-pacmak --code-only; builds no package)`,
  exec: ['jsii-pacmak', '--code-only', '--outdir', 'dist/code', ...codeTargets.map((t) => `--target ${t}`)].join(' '),
});
// What of it can be checked here, quickly and offline: the Python bindings are valid Python. (Importing them needs
// the jsii runtime from PyPI; the Java sources need the jsii runtime and cdk8s jars from Maven Central, Go's modules
// the Go proxy, .NET a dotnet SDK: see docs/contributing.md.)
packageCodeTask.exec('python3 -m py_compile dist/code/python/src/cdk8s_netpol/__init__.py dist/code/python/src/cdk8s_netpol/_jsii/__init__.py');
// package (run by build, in CI or not) and package-all: the npm tarball, then the other languages' code.
for (const name of ['package', 'package-all']) {
  const task = project.tasks.tryFind(name)!;
  task.reset();
  task.spawn(project.tasks.tryFind('package:js')!);
  task.spawn(packageCodeTask);
}
for (const target of codeTargets) {
  project.removeTask(`package:${target}`);
}

// The example app: synthesize to examples/<name>/dist/ and print what each policy allows.
const exampleTask = project.addTask('example', {
  description: 'Synthesize the example cluster app to examples/production-cluster/dist/, summarize its policies, verify its expectations, lint it and list what it allows; '
    + 'then the same for its ServiceGraph version, examples/production-cluster-graph/, its Cilium version, examples/production-cluster-cilium/, '
    + 'and its platform version, examples/production-cluster-platform/ (cluster-wide guardrails beside the application charts)',
});
exampleTask.exec('ts-node --transpile-only -P examples/tsconfig.json examples/production-cluster/main.ts');
// ...and prove it: the flows that must be allowed or stay denied (cluster/ holds kube-dns, which the app does not deploy).
exampleTask.exec('ts-node --transpile-only src/cli/main.ts verify examples/production-cluster/dist examples/production-cluster/cluster --expect examples/production-cluster/expectations.yaml');
// ...and lint it: no finding may be open, not even a warning.
exampleTask.exec('ts-node --transpile-only src/cli/main.ts lint examples/production-cluster/dist examples/production-cluster/cluster --fail-on warning');
// ...and show exactly what it allows: every pair with some connection, every port and address range.
exampleTask.exec('ts-node --transpile-only src/cli/main.ts list examples/production-cluster/dist examples/production-cluster/cluster');
// The same cluster with the application namespaces' policies written by one ServiceGraph: synthesize it (main.ts
// also writes the graph's expectations, outside dist/, which verify reads as manifests), prove it and lint it.
exampleTask.exec('ts-node --transpile-only -P examples/tsconfig.json examples/production-cluster-graph/main.ts');
exampleTask.exec('ts-node --transpile-only src/cli/main.ts verify examples/production-cluster-graph/dist examples/production-cluster/cluster --expect examples/production-cluster-graph/expectations.generated.yaml');
exampleTask.exec('ts-node --transpile-only src/cli/main.ts lint examples/production-cluster-graph/dist examples/production-cluster/cluster --fail-on warning');
// The Cilium variant (Stripe by name, L7 on the API, the API server for a controller): synthesize, prove, lint, list.
exampleTask.exec('ts-node --transpile-only -P examples/tsconfig.json examples/production-cluster-cilium/main.ts');
exampleTask.exec('ts-node --transpile-only src/cli/main.ts verify examples/production-cluster-cilium/dist examples/production-cluster/cluster --expect examples/production-cluster-cilium/expectations.yaml');
exampleTask.exec('ts-node --transpile-only src/cli/main.ts lint examples/production-cluster-cilium/dist examples/production-cluster/cluster --cni cilium --fail-on warning');
exampleTask.exec('ts-node --transpile-only src/cli/main.ts list examples/production-cluster-cilium/dist examples/production-cluster/cluster --focus production/api-server');
// The platform variant: the same application charts beside a cluster-scoped platform chart of guardrails
// (ClusterNetworkPolicy, Admin and Baseline tiers) and a new team's namespace: synthesize, prove, lint, and show
// one flow's path through the tiers (cluster/ adds the EBS CSI controller, the metadata guardrail's exception).
const platformPaths = 'examples/production-cluster-platform/dist examples/production-cluster/cluster examples/production-cluster-platform/cluster';
exampleTask.exec('ts-node --transpile-only -P examples/tsconfig.json examples/production-cluster-platform/main.ts');
exampleTask.exec(`ts-node --transpile-only src/cli/main.ts verify ${platformPaths} --expect examples/production-cluster-platform/expectations.yaml`);
exampleTask.exec(`ts-node --transpile-only src/cli/main.ts lint ${platformPaths} --fail-on warning`);
exampleTask.exec(`ts-node --transpile-only src/cli/main.ts explain ${platformPaths} --from monitoring/prometheus --to lab/notebook --port 9090`);

// docs/rules.md is generated from the lint rules; test/lint/catalogue.test.ts fails when it is stale.
project.addTask('docs:rules', {
  description: 'Regenerate docs/rules.md from the lint rules in src/lint/rules/',
  exec: 'ts-node --transpile-only -e "require(\'fs\').writeFileSync(\'docs/rules.md\', require(\'./src/lint/catalogue\').renderCatalogue(require(\'./src/lint/linter\').Linter.rules))"',
});

// `npm run bench`: the analyzer at scale, beside the naive evaluator in the same run...
const benchTask = project.addTask('bench', {
  description: 'Benchmark the analyzer (load, query, matrix) against the naive evaluator on a generated cluster, '
    + 'synthesis at scale (time, peak memory) against the same manifests as raw cdk8s ApiObjects, '
    + 'exact answers (connectivity, exact diff) against the one-port matrix and the sampled diff, Cilium policies, '
    + 'and the tiers (100 ClusterNetworkPolicies) against the naive tier evaluator',
  exec: 'ts-node --transpile-only -P bench/tsconfig.json bench/analyzer.bench.ts',
});
// ...and synthesis at scale (1,000 namespaces of constructs; a ServiceGraph of 2,000 services and 10,000 calls),
// beside the same manifests built as raw ApiObjects in the same run.
benchTask.exec('ts-node --transpile-only -P bench/tsconfig.json bench/synth.bench.ts');
// ...and exact answers: connectivity() and the exact diff beside the one-port matrix and the old sampled diff.
benchTask.exec('ts-node --transpile-only -P bench/tsconfig.json bench/exact.bench.ts');
// The Cilium cluster: the same intents as 2,000 CiliumNetworkPolicies (a tenth with HTTP rules, some DNS names), beside v1 and the naive tier evaluator.
benchTask.exec('ts-node --transpile-only -P bench/tsconfig.json bench/cilium.bench.ts');
benchTask.exec('ts-node --transpile-only -P bench/tsconfig.json bench/cluster-tiers.bench.ts');
project.tsconfigDev.addInclude('../bench/**/*.ts');
project.eslint?.addLintPattern('bench');

project.synth();

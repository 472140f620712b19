import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { App, Chart } from 'cdk8s';
import { AllowDns, DefaultDeny } from '../../src';
import { Analyzer } from '../../src/analysis/analyzer';
import { isConstructMetadata } from '../../src/analysis/construct-metadata';
import { manifestFiles } from '../../src/analysis/load-files';
import { run } from '../cli/cli-harness';

let dist: string;

beforeAll(() => {
  // GIVEN what `cdk8s synth` writes when cdk8s.yaml lists validations: the manifests and construct-metadata.json
  dist = fs.mkdtempSync(path.join(os.tmpdir(), 'netpol-construct-metadata-'));
  const app = new App({ outdir: dist, recordConstructMetadata: true });
  const chart = new Chart(app, 'shop', { namespace: 'shop' });
  new DefaultDeny(chart, 'deny');
  new AllowDns(chart, 'dns');
  app.synth();
});

afterAll(() => {
  fs.rmSync(dist, { recursive: true, force: true });
});

describe("cdk8s's construct-metadata.json", () => {
  test('is in the output folder, and is not read as a manifest: no warning, one file', () => {
    expect(fs.readdirSync(dist).sort()).toEqual(['construct-metadata.json', 'shop.k8s.yaml']);

    // WHEN
    const files = manifestFiles([dist]);
    const analyzer = Analyzer.fromFiles([dist]);

    // THEN
    expect(files.map((f) => path.basename(f))).toEqual(['shop.k8s.yaml']);
    expect(analyzer.warnings).toEqual([]);
    expect(analyzer.policies).toHaveLength(2);
  });

  test('lint of the folder prints no warning about it', () => {
    const result = run('lint', dist);
    expect(result.stderr).toBe('');
    expect(result.stdout).toBe('0 errors, 0 warnings (0 pods and workloads, 2 NetworkPolicies in 1 namespace, from 1 file).\n');
    expect(result.status).toBe(0);
  });

  test('a file of that name with another shape is still read as a manifest', () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'netpol-construct-metadata-other-'));
    try {
      fs.writeFileSync(path.join(dir, 'construct-metadata.json'), JSON.stringify({ version: '1.0.0', resources: {}, kind: 'x' }));
      expect(manifestFiles([dir]).map((f) => path.basename(f))).toEqual(['construct-metadata.json']);
    } finally {
      fs.rmSync(dir, { recursive: true, force: true });
    }
  });

  test.each([
    [{ version: '1.0.0', resources: { 'shop-deny': { path: 'shop/deny' } } }, true],
    [{ version: '1.0.0', resources: {} }, true],
    [{ version: 1, resources: {} }, false],
    [{ version: '1.0.0', resources: { x: { path: 5 } } }, false],
    [{ version: '1.0.0', resources: [] }, false],
    [{ apiVersion: 'v1', kind: 'List', items: [] }, false],
    [null, false],
  ])('the shape %j is construct metadata: %s', (value, expected) => {
    expect(isConstructMetadata(value)).toBe(expected);
  });
});

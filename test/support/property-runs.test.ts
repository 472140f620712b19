import { propertyRuns, propertyTimeout } from './property-runs';

describe('propertyRuns', () => {
  const saved = process.env.PROPERTY_RUNS_SCALE;
  afterEach(() => {
    if (saved === undefined) delete process.env.PROPERTY_RUNS_SCALE;
    else process.env.PROPERTY_RUNS_SCALE = saved;
  });

  test('is the standard count without PROPERTY_RUNS_SCALE, and scales it with one', () => {
    delete process.env.PROPERTY_RUNS_SCALE;
    expect([propertyRuns(60), propertyTimeout(60_000)]).toEqual([60, 60_000]);
    process.env.PROPERTY_RUNS_SCALE = '10';
    expect([propertyRuns(60), propertyTimeout(60_000)]).toEqual([600, 600_000]);
    process.env.PROPERTY_RUNS_SCALE = '0.001';
    expect([propertyRuns(60), propertyTimeout(60_000)]).toEqual([1, 60_000]);
  });

  test('refuses a scale that is not a positive number, naming it', () => {
    process.env.PROPERTY_RUNS_SCALE = 'ten';
    expect(() => propertyRuns(60)).toThrow('PROPERTY_RUNS_SCALE must be a positive number, got "ten".');
    process.env.PROPERTY_RUNS_SCALE = '-1';
    expect(() => propertyRuns(60)).toThrow('got "-1"');
  });
});

import { describe, expect, it } from '@jest/globals';
import { InputErrors } from '@pipeline-actions/kit';
import { getInputs, normalisePrefix } from '../src/inputs.js';
import { checkBatchSize, checkProject } from '../src/request-checks.js';

const now = new Date('2026-11-25T12:00:00Z');
const REDCAP = 'gap, uc_demarc, protect, sparc, niddk_ibdgc';

function read(values: Record<string, string>) {
  return getInputs((name) => (values[name] ?? '').trim(), now, { RUNNER_TEMP: '/runner/temp' });
}

function problems(values: Record<string, string>): string[] {
  try {
    read(values);
  } catch (error) {
    if (error instanceof InputErrors) return error.errors.map((e) => e.message);
    throw error;
  }
  return [];
}

describe('project allowlist', () => {
  it('accepts a listed project', () => {
    expect(checkProject('sparc', REDCAP.split(', '))).toBeUndefined();
  });

  it('refuses an unlisted project and lists the allowed ones', () => {
    expect(checkProject('other', REDCAP.split(', '))).toBe(
      "'other' is not an allowed project: expected one of gap, uc_demarc, protect, sparc, niddk_ibdgc.",
    );
  });

  it('suggests the listed spelling of a project given in another case', () => {
    expect(checkProject('SPARC', ['sparc'])).toContain("did you mean 'sparc'?");
  });

  it('requires a project when an allowlist is set', () => {
    expect(checkProject('', ['gap'])).toContain('is required');
  });

  it('allows any project without an allowlist', () => {
    expect(checkProject('anything', [])).toBeUndefined();
  });
});

describe('batch size', () => {
  it.each(['1', '200', '50', '+7'])('accepts %s in 1..200', (raw) => {
    expect(checkBatchSize(raw, 1, 200)).toBeUndefined();
  });

  it.each([
    ['0', 'out of range'],
    ['201', 'out of range'],
    ['-1', 'not a whole number'],
    ['1.5', 'not a whole number'],
    ['abc', 'not a whole number'],
    ['1e2', 'not a whole number'],
  ])('refuses %s (%s)', (raw, what) => {
    expect(checkBatchSize(raw, 1, 200)).toContain(what);
    expect(checkBatchSize(raw, 1, 200)).toContain('expected a whole number from 1 to 200');
  });
});

describe('getInputs', () => {
  it('reads the REDCap request with no bucket', () => {
    const inputs = read({ project: 'gap', 'allowed-projects': REDCAP, 'batch-size': '25' });
    expect(inputs).toMatchObject({
      mode: 'validate',
      project: 'gap',
      batchSize: 25,
      bucket: '',
      prefix: 'validated/',
      failIfLoaded: true,
      markerName: '.loaded',
    });
    expect(inputs.summaryFile).toBe('/runner/temp/batch-summary.md');
  });

  it('reports a bad id, project and size together, each naming its input', () => {
    expect(problems({ 'batch-id': 'batch_20241399_999999', project: 'nope', 'allowed-projects': REDCAP, 'batch-size': '0' })).toEqual([
      expect.stringMatching(/^Input 'batch-id': .*month 13/),
      expect.stringMatching(/^Input 'project': 'nope' is not an allowed project/),
      expect.stringMatching(/^Input 'batch-size': 0 is out of range/),
    ]);
  });

  it('needs a batch id when a bucket is given', () => {
    expect(problems({ bucket: 'data' })).toEqual([expect.stringMatching(/^Input 'batch-id': is required.*bucket is set/)]);
  });

  it('needs a batch id in mark-loaded mode', () => {
    expect(problems({ mode: 'mark-loaded', bucket: 'data', environment: 'qa' })).toEqual([expect.stringContaining('mode is mark-loaded')]);
  });

  it.each(['claim', 'mark-loaded', 'release'])('needs the bucket and the environment in %s mode', (mode) => {
    expect(problems({ mode, 'batch-id': 'batch_20241101_120000' })).toEqual([
      expect.stringContaining(`Input 'bucket': is required: expected the bucket holding the batch (needed when mode is ${mode})`),
      expect.stringContaining("Input 'environment': is required with scope: environment"),
    ]);
  });

  it('falls back to one marker per batch when validate has no environment', () => {
    expect(read({ bucket: 'data', 'batch-id': 'batch_20241101_120000' }).scope).toBe('batch');
    expect(read({ bucket: 'data', 'batch-id': 'batch_20241101_120000', environment: 'qa' }).scope).toBe('environment');
  });

  it('needs table-filter with scope table', () => {
    expect(problems({ mode: 'claim', bucket: 'd', 'batch-id': 'batch_20241101_120000', environment: 'qa', scope: 'table' })).toEqual([
      "Input 'table-filter': is required with scope: table: expected the table this job loads, e.g. orders.",
    ]);
  });

  it('refuses an environment that cannot be part of an object name', () => {
    expect(problems({ bucket: 'd', 'batch-id': 'batch_20241101_120000', environment: 'prod/eu' })).toEqual([
      expect.stringContaining("Input 'environment': 'prod/eu' becomes part of the marker's name"),
    ]);
  });

  it.each([
    ['batch-id', ' batch_20241101_120000'],
    ['project', 'gap '],
    ['batch-size', '25\n'],
  ])('refuses whitespace around %s, showing the value', (name, value) => {
    const untrimmed = { project: 'gap', 'allowed-projects': REDCAP, [name]: value };
    let message = '';
    try {
      getInputs((n) => untrimmed[n as keyof typeof untrimmed] ?? '', now, {});
    } catch (error) {
      message = (error as InputErrors).errors.map((e) => e.message).join('\n');
    }
    expect(message).toBe(
      `Input '${name}': ${JSON.stringify(value)} has whitespace around it: expected the value alone, e.g. ${JSON.stringify(value.trim())}.`,
    );
  });

  it('refuses a listing digest that is not one', () => {
    expect(problems({ 'listing-digest': 'abc' })).toEqual([
      expect.stringContaining("Input 'listing-digest': 'abc' is not a listing digest"),
    ]);
  });

  it('keeps matrix-size within what GitHub runs', () => {
    expect(problems({ 'matrix-size': '300' })).toEqual([
      "Input 'matrix-size': 300 is out of range: expected a whole number from 1 to 256.",
    ]);
  });

  it('reads ignore with the defaults and refuses a nested path', () => {
    expect(read({}).ignore).toEqual(['_SUCCESS', '.DS_Store', '_temporary/']);
    expect(problems({ ignore: 'a/b/' })).toEqual([expect.stringContaining("Input 'ignore': 'a/b/'")]);
  });

  it('refuses an s3:// URI as the bucket', () => {
    expect(problems({ bucket: 's3://data/validated', 'batch-id': 'batch_20241101_120000' })).toEqual([
      expect.stringContaining("Input 'bucket': 's3://data/validated' is not a bucket name"),
    ]);
  });

  it('refuses an unknown mode, verify-manifest, boolean and endpoint', () => {
    const found = problems({ mode: 'load', 'verify-manifest': 'yes', 'fail-if-loaded': 'yes', 's3-endpoint': 'localhost:9000' });
    expect(found).toEqual([
      expect.stringContaining("Input 'mode'"),
      expect.stringContaining("Input 'fail-if-loaded'"),
      expect.stringContaining("Input 'verify-manifest'"),
      expect.stringContaining("Input 's3-endpoint'"),
    ]);
  });

  it('checks batch-size against the configured bounds and the bounds against each other', () => {
    expect(problems({ 'batch-size': '300', 'batch-size-max': '500' })).toEqual([]);
    expect(problems({ 'batch-size-min': '10', 'batch-size-max': '5' })).toEqual([expect.stringContaining("Input 'batch-size-max'")]);
  });

  it('refuses a marker name with a slash and a table filter with a slash', () => {
    expect(problems({ 'marker-name': 'a/.loaded', 'table-filter': 'a/b' })).toHaveLength(2);
  });

  it('refuses an invalid batch-id-pattern', () => {
    expect(problems({ 'batch-id-pattern': '(', 'batch-id': 'x' })).toEqual([expect.stringContaining("Input 'batch-id-pattern'")]);
  });
});

describe('prefix', () => {
  it.each([
    ['validated', 'validated/'],
    ['validated/', 'validated/'],
    ['/validated/', 'validated/'],
    ['/', ''],
    ['a/b', 'a/b/'],
  ])('normalises %s to %s', (raw, expected) => {
    expect(normalisePrefix(raw)).toBe(expected);
  });
});

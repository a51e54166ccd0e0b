import { describe, expect, it } from '@jest/globals';
import { readRunContext } from '@pipeline-actions/kit';
import { classifyKey, eachLimited, scanBatch, tableOutputs } from '../src/fragments.js';
import { ManifestCheck, normaliseManifestKey, parseManifest } from '../src/manifest.js';
import { buildMarker, describeLoad, markLoaded, parseMarker } from '../src/marker.js';
import { validateBatch, type BatchChecks } from '../src/validate.js';
import { FakeStore } from './fake-store.js';

const B = 'validated/batch_20241101_120000/';
const checks = (over: Partial<BatchChecks> = {}): BatchChecks => ({
  batchId: 'batch_20241101_120000',
  batchPrefix: B,
  tableFilter: '',
  expectedTables: [],
  minFragments: 1,
  failIfLoaded: true,
  markerName: '.loaded',
  verifyManifest: 'auto',
  concurrency: 4,
  ...over,
});

describe('classifyKey', () => {
  it.each([
    ['orders/part-0001.parquet', 'fragment'],
    ['orders/2024/11/part.csv', 'fragment'],
    ['', 'placeholder'],
    ['orders/', 'placeholder'],
    ['orders/sub/', 'placeholder'],
    ['orders_$folder$', 'placeholder'],
    ['.loaded', 'marker'],
    ['.loading', 'marker'],
    ['manifest.json', 'marker'],
    ['orders/manifest.json', 'marker'],
    ['orders/.hidden', 'marker'],
    ['orders/_SUCCESS', 'fragment'],
    ['readme.txt', 'root'],
  ])('%s is a %s', (key, kind) => {
    expect(classifyKey(key)).toBe(kind);
  });

  it('treats a custom marker name as a marker', () => {
    expect(classifyKey('DONE', 'DONE')).toBe('marker');
  });
});

describe('scanBatch', () => {
  it('counts fragments and bytes per table, skipping placeholders, markers and sibling batches', async () => {
    const store = new FakeStore(2)
      .put(`${B}orders/part-1`, 'aaaa')
      .put(`${B}orders/part-2`, 'bb')
      .put(`${B}orders/`, '')
      .put(`${B}customers/part-1`, 'c')
      .put(`${B}customers/.loading`, '{}')
      .put(`${B}.loaded`, '{}')
      .put(`${B}empty/`, '')
      .put('validated/batch_20241101_1200001/orders/part-9', 'zzzz');
    const scan = await scanBatch(store, B, { markerName: '.loaded', concurrency: 2 });
    expect(scan.fragmentCount).toBe(3);
    expect(scan.totalBytes).toBe(7);
    expect(tableOutputs(scan.tables)).toEqual({ names: ['customers', 'orders'], counts: { customers: 1, orders: 2 } });
    expect(scan.placeholders).toBe(2);
    expect(scan.markers).toBe(2);
    expect(scan.emptyTables).toEqual(['empty']);
    // Root: 2 pages (4 entries, 2 a page); orders: 2 pages (3 objects); customers and empty: 1 each.
    expect(scan.listRequests).toBe(6);
  });

  it('lists every page of a table', async () => {
    const store = new FakeStore(3);
    for (let i = 0; i < 10; i++) store.put(`${B}t/part-${i}`);
    const scan = await scanBatch(store, B, { markerName: '.loaded', concurrency: 2 });
    expect(scan.fragmentCount).toBe(10);
    expect(store.requests.filter((r) => r === `list ${B}t/`)).toHaveLength(4);
  });
});

describe('eachLimited', () => {
  it('never runs more than the limit at once', async () => {
    let running = 0;
    let peak = 0;
    await eachLimited([...Array(20).keys()], 3, async () => {
      running++;
      peak = Math.max(peak, running);
      await new Promise((r) => setImmediate(r));
      running--;
    });
    expect(peak).toBe(3);
  });

  it('throws the first failure', async () => {
    await expect(
      eachLimited([1, 2, 3], 2, async (n) => {
        if (n === 2) throw new Error('boom');
      }),
    ).rejects.toThrow('boom');
  });
});

describe('manifest', () => {
  it('parses files with sizes and tolerates leading ./ and the full batch prefix', () => {
    const parsed = parseManifest(JSON.stringify({ files: [{ key: './a/1', size: 1 }, { key: `${B}a/2`, size: 2 }, { key: 'a/3' }] }), B);
    expect(parsed).toEqual(
      new Map<string, number | undefined>([
        ['a/1', 1],
        ['a/2', 2],
        ['a/3', undefined],
      ]),
    );
    expect(normaliseManifestKey('/a/1', B)).toBe('a/1');
  });

  it.each([
    ['not json', 'is not valid JSON'],
    ['{"file":[]}', 'has no "files" array'],
    ['{"files":[{"size":1}]}', 'files[0] has no "key"'],
    ['{"files":[{"key":"a","size":-1}]}', 'not a whole number'],
  ])('explains a bad manifest %s', (text, problem) => {
    expect(parseManifest(text, B)).toContain(problem);
  });

  it('reports missing, resized and unlisted files', () => {
    const check = new ManifestCheck(
      new Map<string, number | undefined>([
        ['a/1', 1],
        ['a/2', 5],
        ['a/3', 3],
      ]),
    );
    check.see('a/1', 1, 'fragment');
    check.see('a/2', 4, 'fragment');
    check.see('a/4', 1, 'fragment');
    check.see('a/', 0, 'placeholder');
    const report = check.report();
    expect(report.verified).toBe(1);
    expect(report.missing).toEqual({ count: 1, sample: ['a/3'] });
    expect(report.sizeMismatches).toEqual({ count: 1, sample: [{ key: 'a/2', expected: 5, actual: 4 }] });
    expect(report.unlisted).toEqual({ count: 1, sample: ['a/4'] });
  });
});

describe('validateBatch', () => {
  it('passes a batch that matches its manifest', async () => {
    const store = new FakeStore().put(`${B}a/1`, 'x').put(`${B}a/2`, 'yy');
    store.put(
      `${B}manifest.json`,
      JSON.stringify({
        files: [
          { key: 'a/1', size: 1 },
          { key: 'a/2', size: 2 },
        ],
      }),
    );
    const v = await validateBatch(store, checks({ expectedTables: ['a'], tableFilter: 'a' }));
    expect(v.problems).toEqual([]);
    expect(v.manifest.state).toBe('verified');
    expect(v.manifest.report?.verified).toBe(2);
  });

  it('reports every failed check at once', async () => {
    const store = new FakeStore()
      .put(`${B}a/1`, 'x')
      .put(`${B}.loaded`, JSON.stringify({ loaded_by: 'alice', loaded_at: '2026-11-24T10:00:00Z', workflow_run: '77' }));
    const v = await validateBatch(
      store,
      checks({ minFragments: 5, tableFilter: 'b', expectedTables: ['a', 'c'], verifyManifest: 'required' }),
    );
    expect(v.problems).toEqual([
      expect.stringContaining('holds 1 fragment(s): expected at least 5'),
      expect.stringContaining("Input 'table-filter': table 'b'"),
      expect.stringContaining("Input 'expected-tables': 'c' has no fragments"),
      expect.stringContaining("Input 'verify-manifest' is 'required'"),
      expect.stringContaining('already loaded by alice at 2026-11-24T10:00:00Z (workflow run 77)'),
    ]);
  });

  it('only warns about a loaded batch when fail-if-loaded is false', async () => {
    const store = new FakeStore().put(`${B}a/1`).put(`${B}.loaded`, '{"loaded_by":"bob"}');
    const v = await validateBatch(store, checks({ failIfLoaded: false }));
    expect(v.problems).toEqual([]);
    expect(v.loaded?.loadedBy).toBe('bob');
    expect(v.warnings).toEqual([expect.stringContaining('already loaded by bob')]);
  });

  it('says nothing exists when the prefix is empty', async () => {
    const v = await validateBatch(new FakeStore(), checks());
    expect(v.problems).toEqual([expect.stringContaining('Nothing exists at s3://fake/validated/batch_20241101_120000/')]);
  });

  it('does not read the manifest when verify-manifest is off', async () => {
    const store = new FakeStore().put(`${B}a/1`).put(`${B}manifest.json`, 'garbage');
    const v = await validateBatch(store, checks({ verifyManifest: 'off' }));
    expect(v.problems).toEqual([]);
    expect(store.requests.some((r) => r.startsWith('read'))).toBe(false);
  });
});

describe('marker', () => {
  const ctx = readRunContext({ GITHUB_ACTOR: 'octocat', GITHUB_RUN_ID: '555', GITHUB_RUN_ATTEMPT: '2', GITHUB_REPOSITORY: 'o/r' });
  const marker = buildMarker('batch_20241101_120000', 'prod', ctx, new Date('2026-11-25T00:00:00Z'));

  it('records who, when, which run and where', () => {
    expect(marker).toEqual({
      batch_id: 'batch_20241101_120000',
      loaded_at: '2026-11-25T00:00:00.000Z',
      loaded_by: 'octocat',
      workflow_run: '555',
      run_attempt: 2,
      repository: 'o/r',
      run_url: 'https://github.com/o/r/actions/runs/555/attempts/2',
      environment: 'prod',
    });
  });

  it('creates the marker when there is none', async () => {
    const store = new FakeStore();
    expect((await markLoaded(store, `${B}.loaded`, marker, false)).outcome).toBe('created');
    expect(JSON.parse(store.objects.get(`${B}.loaded`)!)).toEqual(marker);
  });

  it('treats the same workflow run as a re-run', async () => {
    const store = new FakeStore().put(`${B}.loaded`, JSON.stringify({ ...marker, loaded_at: 'earlier' }));
    const result = await markLoaded(store, `${B}.loaded`, marker, false);
    expect(result).toMatchObject({ outcome: 'rerun', marker: { loadedAt: 'earlier' } });
  });

  it('refuses another run and keeps its marker', async () => {
    const theirs = JSON.stringify({ ...marker, workflow_run: 999, loaded_by: 'alice' });
    const store = new FakeStore().put(`${B}.loaded`, theirs);
    const result = await markLoaded(store, `${B}.loaded`, marker, false);
    expect(result).toMatchObject({ outcome: 'already-loaded', marker: { loadedBy: 'alice', workflowRun: '999' } });
    expect(store.objects.get(`${B}.loaded`)).toBe(theirs);
  });

  it('writes nothing in a dry run', async () => {
    const store = new FakeStore();
    expect((await markLoaded(store, `${B}.loaded`, marker, true)).outcome).toBe('dry-run');
    expect(store.objects.size).toBe(0);
  });

  it('describes an unreadable marker without inventing who loaded it', () => {
    expect(describeLoad(parseMarker('not json'))).toContain('unknown');
  });
});

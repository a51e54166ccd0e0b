import { describe, expect, it } from '@jest/globals';
import { DEFAULT_IGNORE, classifyKey, eachLimited, ignoreRules, listingDigest, scanBatch, tableOutputs } from '../src/fragments.js';
import { ManifestCheck, normaliseManifestKey, parseManifest } from '../src/manifest.js';
import { balanceMatrix } from '../src/matrix.js';
import { describeRecord, parseRecord, type Actor } from '../src/records.js';
import { scopeNames } from '../src/scope.js';
import { validateBatch, type BatchChecks } from '../src/validate.js';
import { FakeStore } from './fake-store.js';

const who: Actor = { actor: 'octocat', runId: '555', runAttempt: 1, repository: 'o/r', runUrl: '' };
const ignore = ignoreRules(DEFAULT_IGNORE);
const scan = (store: FakeStore, concurrency = 2) => scanBatch(store, B, { ignore, concurrency });

const B = 'validated/batch_20241101_120000/';
const checks = (over: Partial<BatchChecks> = {}): BatchChecks => ({
  batchId: 'batch_20241101_120000',
  batchPrefix: B,
  tableFilter: '',
  expectedTables: [],
  minFragments: 1,
  failIfLoaded: true,
  markerName: '.loaded',
  environment: '',
  names: scopeNames('batch', '.loaded', '', ''),
  who,
  ignore,
  verifyManifest: 'auto',
  concurrency: 4,
  dryRun: false,
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
    ['.loaded-production', 'marker'],
    ['.claim-qa-orders', 'marker'],
    ['orders/_SUCCESS', 'ignored'],
    ['orders/.DS_Store', 'ignored'],
    ['orders/_temporary/0/part-1', 'ignored'],
    ['orders/part_SUCCESS', 'fragment'],
    ['readme.txt', 'root'],
  ])('%s is a %s', (key, kind) => {
    expect(classifyKey(key, 10, ignore)).toBe(kind);
  });

  it('does not count a 0-byte object as a fragment', () => {
    expect(classifyKey('orders/part-1', 0, ignore)).toBe('empty');
  });

  it('ignores only what the ignore input names', () => {
    expect(classifyKey('orders/_SUCCESS', 0, ignoreRules(['_DONE']))).toBe('empty');
    expect(classifyKey('orders/tmp/part-1', 5, ignoreRules(['tmp/']))).toBe('ignored');
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
    const s = await scan(store);
    expect(s.fragmentCount).toBe(3);
    expect(s.totalBytes).toBe(7);
    expect(tableOutputs(s.tables)).toEqual({ names: ['customers', 'orders'], counts: { customers: 1, orders: 2 } });
    expect(s.placeholders).toBe(2);
    expect(s.markers).toBe(2);
    expect(s.emptyTables).toEqual(['empty']);
    // Root: 2 pages (4 entries, 2 a page); orders: 2 pages (3 objects); customers and empty: 1 each.
    expect(s.listRequests).toBe(6);
  });

  it('reports 0-byte objects and ignored names apart from fragments', async () => {
    const store = new FakeStore(5)
      .put(`${B}orders/part-1`, 'aaaa')
      .put(`${B}orders/part-2`, '')
      .put(`${B}orders/_SUCCESS`, '')
      .put(`${B}orders/_temporary/0/part-9`, 'zz');
    const s = await scan(store);
    expect(s.fragmentCount).toBe(1);
    expect(s.empty).toEqual({ count: 1, sample: ['orders/part-2'] });
    expect(s.ignored).toEqual({ count: 2, sample: ['orders/_SUCCESS', 'orders/_temporary/0/part-9'] });
  });

  it('gives the same listing digest however the listing is paged, and another when a fragment changes', async () => {
    const build = (pageSize: number) => {
      const store = new FakeStore(pageSize);
      for (let i = 0; i < 7; i++) store.put(`${B}t${i % 3}/part-${i}`, `body-${i}`);
      return store;
    };
    const a = listingDigest((await scan(build(2))).tables);
    const b = listingDigest((await scan(build(5), 1)).tables);
    expect(a).toMatch(/^sha256:[0-9a-f]{64}$/);
    expect(b).toBe(a);
    const changed = build(2).put(`${B}t1/part-1`, 'another body');
    expect(listingDigest((await scan(changed)).tables)).not.toBe(a);
  });

  it('lists every page of a table', async () => {
    const store = new FakeStore(3);
    for (let i = 0; i < 10; i++) store.put(`${B}t/part-${i}`);
    expect((await scan(store)).fragmentCount).toBe(10);
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
    ['{"files":[{"key":"a/1"},{"key":"b"},{"key":"./a/1"}]}', 'lists "a/1" twice (files[0] and files[2])'],
  ])('explains a bad manifest %s', (text, problem) => {
    expect(parseManifest(text, B)).toContain(problem);
  });

  it('accepts a manifest saved with a UTF-8 byte order mark', () => {
    expect(parseManifest(`\uFEFF${JSON.stringify({ files: [{ key: 'a/1', size: 1 }] })}`, B)).toEqual(new Map([['a/1', 1]]));
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
      expect.stringContaining('already loaded for the whole batch by alice at 2026-11-24T10:00:00Z (workflow run 77)'),
    ]);
  });

  it('only warns about a loaded batch when fail-if-loaded is false', async () => {
    const store = new FakeStore().put(`${B}a/1`).put(`${B}.loaded`, '{"loaded_by":"bob"}');
    const v = await validateBatch(store, checks({ failIfLoaded: false }));
    expect(v.problems).toEqual([]);
    expect(v.state.loaded?.by).toBe('bob');
    expect(v.warnings).toEqual([expect.stringContaining('already loaded for the whole batch by bob')]);
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

describe('matrix', () => {
  const tables = (counts: Record<string, number>) =>
    new Map(Object.entries(counts).map(([name, fragments]) => [name, { fragments, bytes: 0, hash: undefined as never }]));

  it('balances tables by fragment count into at most matrix-size legs', () => {
    const legs = balanceMatrix(tables({ blood: 900, dna: 300, rna: 500, urine: 100, stool: 400 }), 2);
    expect(legs).toEqual([
      { tables: ['blood', 'dna'], fragments: 1200 },
      { tables: ['rna', 'stool', 'urine'], fragments: 1000 },
    ]);
  });

  it('never makes more legs than tables, or than GitHub runs', () => {
    expect(balanceMatrix(tables({ a: 1, b: 2 }), 20)).toHaveLength(2);
    const many = tables(Object.fromEntries(Array.from({ length: 300 }, (_, i) => [`t${i}`, i + 1])));
    expect(balanceMatrix(many, 256)).toHaveLength(256);
    expect(balanceMatrix(new Map(), 5)).toEqual([]);
  });
});

describe('records', () => {
  it('describes an unreadable marker without inventing who loaded it', () => {
    expect(describeRecord(parseRecord('not json', 'marker'))).toContain('unknown');
  });
});

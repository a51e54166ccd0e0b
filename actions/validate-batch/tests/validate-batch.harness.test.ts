import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { CreateBucketCommand, GetObjectCommand, ListObjectsV2Command, PutObjectCommand, S3Client } from '@aws-sdk/client-s3';
import { motoAvailable, runAction, startS3Server, type ActionResult, type S3TestServer } from '../../../packages/testing/src/index.js';

const actionDir = join(fileURLToPath(new URL('.', import.meta.url)), '..');
const available = motoAvailable();
if (!available) console.warn('SKIPPED: moto is not installed; .ci/run installs it, so CI never skips these.');
const suite = available ? describe : describe.skip;

const BUCKET = 'pipeline-data';
const ID = 'batch_20241101_120000';
const B = `validated/${ID}/`;

suite('validate-batch against a real S3 API server (moto)', () => {
  let server: S3TestServer;
  let s3: S3Client;

  const put = (key: string, body = 'x') =>
    s3.send(new PutObjectCommand({ Bucket: BUCKET, Key: key, Body: body, ContentLength: Buffer.byteLength(body) }));
  const putAll = async (entries: [string, string][], concurrency = 8) => {
    let next = 0;
    await Promise.all(
      Array.from({ length: concurrency }, async () => {
        while (next < entries.length) {
          const [key, body] = entries[next++];
          await put(key, body);
        }
      }),
    );
  };
  const read = async (key: string) =>
    (await s3.send(new GetObjectCommand({ Bucket: BUCKET, Key: key })).then((r) => r.Body?.transformToString())) ?? '';
  const countKeys = async (prefix?: string) => {
    let count = 0;
    let token: string | undefined;
    for (let page = 0; page < 100; page++) {
      const r = await s3.send(new ListObjectsV2Command({ Bucket: BUCKET, Prefix: prefix, ContinuationToken: token }));
      count += r.KeyCount ?? 0;
      token = r.NextContinuationToken;
      if (!r.IsTruncated) break;
    }
    return count;
  };
  const runOld = (inputs: Record<string, string>, env: Record<string, string> = {}): Promise<ActionResult> =>
    runAction(actionDir, {
      inputs: { bucket: BUCKET, 's3-endpoint': server.endpoint, 's3-force-path-style': 'true', ...inputs },
      env: { ...server.env, ...env },
    });

  const run = runOld;

  beforeAll(async () => {
    server = await startS3Server();
    s3 = new S3Client(server.clientConfig);
    await s3.send(new CreateBucketCommand({ Bucket: BUCKET }));
    await putAll([
      [`${B}orders/part-0001.parquet`, 'a'.repeat(100)],
      [`${B}orders/part-0002.parquet`, 'b'.repeat(50)],
      [B, ''],
      [`${B}orders/`, ''],
      [`${B}orders/2024/`, ''],
      [`${B}customers/part-0001.parquet`, 'c'.repeat(10)],
      [`${B}customers/.loading`, '{}'],
      [`${B}events/nested/deep/part-1.json`, '{"e":1}'],
      [`${B}manifest-free-table/`, ''],
      // A sibling whose name starts with this batch's id: the bash's missing slash counted these.
      [`validated/${ID}1/orders/part-0001.parquet`, 'sibling'],
      [`validated/${ID}_0000001/orders/part-0001.parquet`, 'sibling'],
    ]);
  });

  afterAll(async () => {
    s3?.destroy();
    await server?.stop();
  });

  it('counts fragments per table, skipping placeholders, markers and sibling prefixes, and writes nothing', async () => {
    const before = await countKeys();
    const result = await run({ 'batch-id': ID, environment: 'qa', 'expected-tables': 'orders, customers', 'table-filter': 'orders' });
    expect(result.errors).toEqual([]);
    expect(result.exitCode).toBe(0);
    expect(result.outputs).toEqual({
      valid: 'true',
      'fragment-count': '4',
      tables: '["customers","events","orders"]',
      'table-counts': '{"customers":1,"events":1,"orders":2}',
      'total-bytes': String(100 + 50 + 10 + 7),
      's3-uri': `s3://${BUCKET}/${B}`,
      loaded: 'false',
      'loaded-by': '',
      'loaded-at': '',
      claimed: 'false',
      'claim-id': '',
      'claimed-by': '',
      'claimed-at': '',
      'listing-digest': expect.stringMatching(/^sha256:[0-9a-f]{64}$/),
      matrix: JSON.stringify([
        { tables: ['customers'], fragments: 1 },
        { tables: ['events'], fragments: 1 },
        { tables: ['orders'], fragments: 2 },
      ]),
      'summary-file': join(result.runnerDir, 'temp', 'batch-summary.md'),
    });
    expect(result.warnings).toEqual([expect.stringContaining('manifest-free-table')]);
    expect(result.summary).toContain(`Batch \`${ID}\`: valid`);
    expect(result.summary).toContain('| orders (table-filter) | 2 | 150 B |');
    expect(result.summary).toContain('| Environment | qa |');
    expect(readFileSync(result.outputs['summary-file'], 'utf8')).toBe(result.summary);
    expect(await countKeys()).toBe(before);
  });

  it('adds the trailing slash to a prefix given without one', async () => {
    const result = await run({ 'batch-id': ID, prefix: 'validated' });
    expect(result.outputs).toMatchObject({ valid: 'true', 'fragment-count': '4', 's3-uri': `s3://${BUCKET}/${B}` });
  });

  it('writes the summary to the summary-file input', async () => {
    const result = await run({ 'batch-id': ID, 'summary-file': 'reports/summary.md' });
    expect(result.outputs['summary-file']).toBe('reports/summary.md');
    expect(readFileSync(join(result.runnerDir, 'workspace', 'reports', 'summary.md'), 'utf8')).toContain('| Fragments | 4 |');
  });

  it('fails a batch that holds only placeholders and markers', async () => {
    const id = 'batch_20241102_000000';
    await putAll([
      [`validated/${id}/orders/`, ''],
      [`validated/${id}/.loading`, '{}'],
    ]);
    const result = await run({ 'batch-id': id });
    expect(result.exitCode).toBe(1);
    expect(result.outputs.valid).toBe('false');
    expect(result.outputs['fragment-count']).toBe('0');
    expect(result.errors).toEqual([expect.stringContaining(`s3://${BUCKET}/validated/${id}/ holds 0 fragment(s): expected at least 1`)]);
  });

  it('says nothing exists at a batch prefix with no objects', async () => {
    const result = await run({ 'batch-id': 'batch_20241103_000000' });
    expect(result.exitCode).toBe(1);
    expect(result.errors).toEqual([expect.stringContaining(`Nothing exists at s3://${BUCKET}/validated/batch_20241103_000000/`)]);
  });

  it('names every missing table at once', async () => {
    const result = await run({
      'batch-id': ID,
      'table-filter': 'invoices',
      'expected-tables': 'orders\nrefunds\nreturns',
      'min-fragments': '10',
    });
    expect(result.exitCode).toBe(1);
    expect(result.errors).toEqual([
      expect.stringContaining('holds 4 fragment(s): expected at least 10'),
      expect.stringContaining("Input 'table-filter': table 'invoices' has no fragments"),
      expect.stringContaining("Input 'expected-tables': 'refunds', 'returns' have no fragments"),
    ]);
  });

  it('lists a batch of 2,500 fragments across pages', async () => {
    const id = 'batch_20241104_000000';
    const entries: [string, string][] = [];
    for (let i = 0; i < 2300; i++) entries.push([`validated/${id}/big/part-${String(i).padStart(5, '0')}.parquet`, 'xy']);
    for (let i = 0; i < 200; i++) entries.push([`validated/${id}/small/part-${i}.parquet`, 'x']);
    await putAll(entries);
    const result = await run({ 'batch-id': id });
    expect(result.errors).toEqual([]);
    expect(result.outputs['fragment-count']).toBe('2500');
    expect(result.outputs['table-counts']).toBe('{"big":2300,"small":200}');
    expect(result.outputs['total-bytes']).toBe(String(2300 * 2 + 200));
    // The root page, three pages of 'big' and one of 'small'.
    expect(result.stdout).toContain('with 5 list request(s)');
  }, 120_000);

  describe('manifest.json', () => {
    const id = 'batch_20241105_000000';
    const p = `validated/${id}/`;
    beforeAll(async () => {
      await putAll([
        [`${p}orders/part-1.parquet`, '12345'],
        [`${p}orders/part-2.parquet`, '123'],
        [`${p}orders/`, ''],
      ]);
    });

    it('verifies every listed file with its size', async () => {
      await put(
        `${p}manifest.json`,
        JSON.stringify({
          files: [
            { key: 'orders/part-1.parquet', size: 5 },
            { key: 'orders/part-2.parquet', size: 3 },
          ],
        }),
      );
      const result = await run({ 'batch-id': id, 'verify-manifest': 'required' });
      expect(result.errors).toEqual([]);
      expect(result.outputs['fragment-count']).toBe('2');
      expect(result.summary).toContain('all 2 listed file(s) present with their sizes');
    });

    it('reports missing, resized and unlisted files, each on its own line', async () => {
      const other = 'batch_20241106_000000';
      await putAll([
        [`validated/${other}/orders/part-1.parquet`, '12345'],
        [`validated/${other}/orders/part-3.parquet`, '1'],
        [
          `validated/${other}/manifest.json`,
          JSON.stringify({
            files: [
              { key: 'orders/part-1.parquet', size: 6 },
              { key: 'orders/part-2.parquet', size: 3 },
            ],
          }),
        ],
      ]);
      const result = await run({ 'batch-id': other });
      expect(result.exitCode).toBe(1);
      expect(result.outputs.valid).toBe('false');
      expect(result.errors).toEqual([
        expect.stringMatching(/manifest\.json lists 1 file\(s\) that are not in the batch: orders\/part-2\.parquet\.$/),
        expect.stringContaining('1 file(s) differ in size from'),
        expect.stringContaining('1 fragment(s) are not listed in'),
      ]);
      expect(result.errors[1]).toContain('orders/part-1.parquet (manifest 6 bytes, S3 5)');
      expect(result.errors[2]).toContain('orders/part-3.parquet');
    });

    it('fails when verify-manifest is required and the batch has none', async () => {
      const result = await run({ 'batch-id': ID, 'verify-manifest': 'required' });
      expect(result.exitCode).toBe(1);
      expect(result.errors).toEqual([expect.stringContaining("Input 'verify-manifest' is 'required' but")]);
    });
  });

  describe('loaded marker of the old two-step workflow (scope: batch, require-claim: false)', () => {
    const id = 'batch_20241107_000000';
    const p = `validated/${id}/`;
    const run = (inputs: Record<string, string>, env: Record<string, string> = {}) =>
      runOld({ scope: 'batch', ...(inputs.mode === 'mark-loaded' ? { 'require-claim': 'false' } : {}), ...inputs }, env);
    beforeAll(async () => {
      await putAll([
        [`${p}orders/part-1.parquet`, 'x'],
        [`${p}customers/part-1.parquet`, 'x'],
      ]);
    });

    it('validates a batch that is not loaded yet', async () => {
      const result = await run({ 'batch-id': id });
      expect(result.outputs).toMatchObject({ valid: 'true', loaded: 'false' });
    });

    it('marks the batch loaded with who, when and which run', async () => {
      const result = await run(
        { 'batch-id': id, mode: 'mark-loaded', environment: 'prod' },
        { GITHUB_ACTOR: 'alice', GITHUB_RUN_ID: '2001' },
      );
      expect(result.errors).toEqual([]);
      expect(result.outputs).toMatchObject({ valid: 'true', loaded: 'true', 'loaded-by': 'alice', 's3-uri': `s3://${BUCKET}/${p}` });
      const marker = JSON.parse(await read(`${p}.loaded`));
      expect(marker).toEqual({
        batch_id: id,
        loaded_at: result.outputs['loaded-at'],
        loaded_by: 'alice',
        workflow_run: '2001',
        run_attempt: 1,
        repository: 'octo-org/pipeline-demo',
        run_url: 'https://github.com/octo-org/pipeline-demo/actions/runs/2001',
        environment: 'prod',
        scope: 'batch',
        table: '',
        claim_id: expect.any(String),
        listing_digest: '',
      });
      expect(new Date(marker.loaded_at).toISOString()).toBe(marker.loaded_at);
      expect(result.summary).toContain('marked loaded');
    });

    it('refuses to validate the loaded batch, saying who loaded it and when', async () => {
      const marker = JSON.parse(await read(`${p}.loaded`));
      const result = await run({ 'batch-id': id });
      expect(result.exitCode).toBe(1);
      expect(result.outputs).toMatchObject({ valid: 'false', loaded: 'true', 'loaded-by': 'alice', 'loaded-at': marker.loaded_at });
      expect(result.errors).toEqual([
        expect.stringContaining(
          `Batch ${id} was already loaded for the whole batch by alice at ${marker.loaded_at} (workflow run 2001, environment prod`,
        ),
      ]);
      // The marker is not a fragment.
      expect(result.outputs['fragment-count']).toBe('2');
    });

    it('only warns about the loaded batch when fail-if-loaded is false', async () => {
      const result = await run({ 'batch-id': id, 'fail-if-loaded': 'false' });
      expect(result.exitCode).toBe(0);
      expect(result.outputs).toMatchObject({ valid: 'true', loaded: 'true', 'loaded-by': 'alice' });
      expect(result.warnings).toEqual([expect.stringContaining('already loaded for the whole batch by alice')]);
    });

    it('succeeds as a re-run of the same workflow run and keeps the first marker', async () => {
      const first = await read(`${p}.loaded`);
      const result = await run(
        { 'batch-id': id, mode: 'mark-loaded' },
        { GITHUB_ACTOR: 'alice', GITHUB_RUN_ID: '2001', GITHUB_RUN_ATTEMPT: '2' },
      );
      expect(result.errors).toEqual([]);
      expect(result.outputs).toMatchObject({
        valid: 'true',
        loaded: 'true',
        'loaded-by': 'alice',
        'loaded-at': JSON.parse(first).loaded_at,
      });
      expect(await read(`${p}.loaded`)).toBe(first);
    });

    it('refuses to mark it again from another run, saying who and when', async () => {
      const first = await read(`${p}.loaded`);
      const result = await run({ 'batch-id': id, mode: 'mark-loaded' }, { GITHUB_ACTOR: 'bob', GITHUB_RUN_ID: '3001' });
      expect(result.exitCode).toBe(1);
      expect(result.outputs).toMatchObject({ valid: 'false', loaded: 'true', 'loaded-by': 'alice' });
      expect(result.errors).toEqual([
        expect.stringMatching(
          new RegExp(`^Batch ${id} was already loaded for the whole batch by alice at .*workflow run 2001.*this run \\(3001\\)`),
        ),
      ]);
      expect(await read(`${p}.loaded`)).toBe(first);
    });

    it('writes nothing in a dry run of mark-loaded', async () => {
      const fresh = 'batch_20241108_000000';
      await put(`validated/${fresh}/orders/part-1.parquet`);
      const result = await run({ 'batch-id': fresh, mode: 'mark-loaded', 'dry-run': 'true' });
      expect(result.exitCode).toBe(0);
      expect(result.outputs.loaded).toBe('false');
      expect(result.summary).toContain('| Dry run | yes: nothing was written to S3 |');
      await expect(read(`validated/${fresh}/.loaded`)).rejects.toMatchObject({ name: 'NoSuchKey' });
    });

    it('lets exactly one of two concurrent mark-loaded runs win', async () => {
      const race = 'batch_20241109_000000';
      await put(`validated/${race}/orders/part-1.parquet`);
      const [a, b] = await Promise.all([
        run({ 'batch-id': race, mode: 'mark-loaded' }, { GITHUB_ACTOR: 'runner-a', GITHUB_RUN_ID: '4001' }),
        run({ 'batch-id': race, mode: 'mark-loaded' }, { GITHUB_ACTOR: 'runner-b', GITHUB_RUN_ID: '4002' }),
      ]);
      const exits = [a.exitCode, b.exitCode].sort();
      expect(exits).toEqual([0, 1]);
      const [winner, loser] = a.exitCode === 0 ? [a, b] : [b, a];
      const marker = JSON.parse(await read(`validated/${race}/.loaded`));
      expect(marker.loaded_by).toBe(winner.outputs['loaded-by']);
      expect(loser.errors).toEqual([expect.stringContaining(`already loaded for the whole batch by ${marker.loaded_by}`)]);
      expect(loser.outputs['loaded-by']).toBe(marker.loaded_by);
    });

    it('checks the inputs before writing anything in mark-loaded mode', async () => {
      const result = await run({ 'batch-id': 'batch_20241399_999999', mode: 'mark-loaded' });
      expect(result.exitCode).toBe(1);
      expect(result.errors).toEqual([expect.stringContaining("Input 'batch-id': 'batch_20241399_999999' is not a real UTC date and time")]);
      expect(await countKeys('validated/batch_20241399_999999/')).toBe(0);
    });
  });

  it('does not count 0-byte objects and ignored names, and reports them', async () => {
    const id = 'batch_20241110_000000';
    await putAll([
      [`validated/${id}/orders/part-1.parquet`, 'abc'],
      [`validated/${id}/orders/part-2.parquet`, ''],
      [`validated/${id}/orders/_SUCCESS`, ''],
      [`validated/${id}/orders/_temporary/0/part-9.parquet`, 'zz'],
      [`validated/${id}/manifest.json`, `\uFEFF${JSON.stringify({ files: [{ key: 'orders/part-1.parquet', size: 3 }] })}`],
    ]);
    const result = await run({ 'batch-id': id });
    expect(result.errors).toEqual([]);
    expect(result.outputs['fragment-count']).toBe('1');
    expect(result.warnings).toEqual([expect.stringContaining('1 0-byte object(s) are not counted as fragments: orders/part-2.parquet')]);
    expect(result.summary).toContain('2 ignored (orders/_SUCCESS, orders/_temporary/0/part-9.parquet)');
    expect(result.summary).toContain('all 1 listed file(s) present with their sizes');
  });

  it('refuses a manifest that lists a file twice, by name', async () => {
    const id = 'batch_20241111_000000';
    await putAll([
      [`validated/${id}/orders/part-1.parquet`, 'abc'],
      [`validated/${id}/manifest.json`, JSON.stringify({ files: [{ key: 'orders/part-1.parquet' }, { key: 'orders/part-1.parquet' }] })],
    ]);
    const result = await run({ 'batch-id': id });
    expect(result.exitCode).toBe(1);
    expect(result.errors).toEqual([expect.stringContaining('manifest.json lists "orders/part-1.parquet" twice (files[0] and files[1])')]);
  });

  it('says in a sentence why the summary file could not be written, and still succeeds', async () => {
    // /dev/null is a file, so no directory can be made under it.
    const result = await run({ 'batch-id': ID, 'summary-file': '/dev/null/summary.md' });
    expect(result.exitCode).toBe(0);
    expect(result.outputs['summary-file']).toBe('');
    expect(result.warnings).toEqual(
      expect.arrayContaining([
        expect.stringMatching(/^The summary file \/dev\/null\/summary\.md could not be written \(a part of its directory path is a file/),
      ]),
    );
    expect(result.stdout).not.toContain('EEXIST');
  });

  it('tells a missing bucket apart from a missing batch', async () => {
    const result = await run({ 'batch-id': ID, bucket: 'no-such-bucket-here' });
    expect(result.exitCode).toBe(1);
    expect(result.outputs.valid).toBe('false');
    expect(result.errors).toEqual([expect.stringContaining("the bucket 'no-such-bucket-here' does not exist (NoSuchBucket)")]);
    expect(result.stderr).not.toMatch(/at .*\.js:\d+/);
  });

  it('reports an unreachable endpoint as a network failure', async () => {
    const result = await run({ 'batch-id': ID, 's3-endpoint': 'http://127.0.0.1:9' });
    expect(result.exitCode).toBe(1);
    expect(result.errors).toEqual([
      expect.stringMatching(
        /ListObjectsV2 on s3:\/\/pipeline-data\/validated\/.* at http:\/\/127\.0\.0\.1:9 could not reach S3 \(ECONNREFUSED/,
      ),
    ]);
  });

  it('reports a bad batch id, project and size at once without touching S3', async () => {
    const result = await run({
      'batch-id': 'batch_20241399_999999',
      project: 'nope',
      'allowed-projects': 'gap, uc_demarc, protect, sparc, niddk_ibdgc',
      'batch-size': '201',
    });
    expect(result.exitCode).toBe(1);
    expect(result.outputs.valid).toBe('false');
    expect(result.errors).toEqual([
      expect.stringMatching(/^Input 'batch-id': 'batch_20241399_999999' is not a real UTC date and time \(month 13 does not exist\)/),
      "Input 'project': 'nope' is not an allowed project: expected one of gap, uc_demarc, protect, sparc, niddk_ibdgc.",
      "Input 'batch-size': 201 is out of range: expected a whole number from 1 to 200.",
    ]);
    expect(result.summary).toContain('invalid request');
    expect(result.summary).toContain("- Input 'project': 'nope' is not an allowed project");
    expect(readFileSync(result.outputs['summary-file'], 'utf8')).toBe(result.summary);
  });
});

describe('validate-batch without S3 (the REDCap request check)', () => {
  it('passes an allowed project and batch size with no bucket', async () => {
    const result = await runAction(actionDir, {
      inputs: { project: 'sparc', 'allowed-projects': 'gap, uc_demarc, protect, sparc, niddk_ibdgc', 'batch-size': '200' },
    });
    expect(result.errors).toEqual([]);
    expect(result.outputs).toMatchObject({
      valid: 'true',
      'fragment-count': '0',
      tables: '[]',
      'table-counts': '{}',
      's3-uri': '',
      loaded: 'false',
    });
    expect(result.summary).toContain('| Project | sparc |');
    expect(result.summary).toContain('none (no bucket given)');
  });
});

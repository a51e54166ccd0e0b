// workflows/fragment-ingestion.yml as GitHub would run it (issue 13's scenarios and issue 14 point 3): dry runs, live
// loads through the tunnel, the QA-then-production sequence, refusals with nothing loaded, one table, two concurrent
// loads of one batch from two workflow files, and a failed load that gives its claim back.
import { afterAll, beforeAll, describe, expect, test } from '@jest/globals';
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { PutObjectCommand } from '@aws-sdk/client-s3';
import pg from 'pg';
import { motoAvailable } from '../../../packages/testing/src/s3-server.js';
import { runWorkflow, startLocalServices, type LocalServices } from '../src/index.js';
import { makeRepo, readable, removeRepos, results, run, RUN_TIMEOUT, step, todaysBatchId } from './helpers.js';

const maybe = motoAvailable() ? describe : describe.skip;
if (!motoAvailable()) console.warn('SKIPPED: the scenarios need moto (python3 -m pip install "moto[server]")');

const BUCKET = 'fragments';

maybe('fragment-ingestion.yml', () => {
  let services: LocalServices;
  let repo: string;
  let seconds = 0;

  /** A new batch: orders (2 fragments, 3 rows) and customers (1 fragment, 2 rows) under validated/<batch>/. */
  async function seedBatch(options: { broken?: boolean } = {}): Promise<string> {
    const batch = todaysBatchId(++seconds);
    const put = (key: string, body: string) =>
      services.s3Client.send(new PutObjectCommand({ Bucket: BUCKET, Key: `validated/${batch}/${key}`, Body: body }));
    await put('orders/part-0001.csv', '1,first order\n2,second order\n');
    await put('orders/part-0002.csv', options.broken ? 'FAIL\n' : '3,third order\n');
    await put('customers/part-0001.csv', '1,ada\n2,grace\n');
    return batch;
  }

  const keysOf = async (batch: string) =>
    ((await services.snapshot()).s3[BUCKET] ?? [])
      .filter((key) => key.startsWith(`validated/${batch}/.`))
      .map((key) => key.slice(`validated/${batch}/`.length));
  /** Rows of the batch in a table of the research database (0 when the table does not exist yet). */
  async function rowCount(table: string, batch: string): Promise<number> {
    const client = new pg.Client({ connectionString: services.tunnel!.postgres.connectionString });
    await client.connect();
    try {
      const result = await client.query<{ n: number }>(`SELECT count(*)::int AS n FROM "${table}" WHERE batch_id = $1`, [batch]);
      return result.rows[0].n;
    } catch (error) {
      if (/does not exist/.test(String(error))) return 0;
      throw error;
    } finally {
      await client.end();
    }
  }

  beforeAll(async () => {
    services = await startLocalServices({ ssh: true });
    repo = makeRepo('fragments', ['fragment-ingestion']);
  }, RUN_TIMEOUT);
  afterAll(async () => {
    await services?.stop();
    removeRepos();
  });

  const load = (inputs: Record<string, string>, extra: { approve?: string[]; protect?: string[] } = {}) =>
    run(services, 'fragment-ingestion', repo, { inputs, protect: ['ingestion-production'], ...extra });

  test(
    'a dry run on QA loads nothing, claims nothing, and reports what it would load',
    async () => {
      const batch = await seedBatch();
      const result = await load({ environment: 'qa', batch_id: batch, dry_run: 'true' });
      expect(results(result)).toEqual({ load: 'success', notify: 'success' });
      expect(step(result.jobs.load, 'claim').outcome).toBe('skipped');
      expect(result.jobs.load.outputs['fragment-count']).toBe('3');
      expect(readable(result, 'load')).toContain('| orders | 3 |');
      expect(await keysOf(batch)).toEqual([]);
      expect(await rowCount('load_log', batch)).toBe(0);
    },
    RUN_TIMEOUT,
  );

  let loaded: string;
  test(
    'a live QA load claims the batch, loads the rows through the tunnel, verifies, and marks it loaded for QA',
    async () => {
      loaded = await seedBatch();
      const result = await load({ environment: 'qa', batch_id: loaded, dry_run: 'false' });
      expect(results(result)).toEqual({ load: 'success', notify: 'success' });
      expect(result.jobs.load.outputs).toMatchObject({ claimed: 'true', load: 'success', verify: 'success', marked: 'success' });
      expect(await rowCount('orders', loaded)).toBe(3);
      expect(await rowCount('customers', loaded)).toBe(2);
      const keys = await keysOf(loaded);
      expect(keys.some((key) => /^\.loaded.*qa/.test(key))).toBe(true);
      expect(keys.some((key) => key.includes('claim'))).toBe(false);
      expect(step(result.jobs.load, "Upload the loader's logs and report").outcome).toBe('success');
    },
    RUN_TIMEOUT,
  );

  test(
    'the same batch then goes to production (approved), as the original documents; its dry run is not refused',
    async () => {
      const dry = await load({ environment: 'production', batch_id: loaded, dry_run: 'true' }, { approve: ['ingestion-production'] });
      expect(dry.conclusion).toBe('success');
      const live = await load({ environment: 'production', batch_id: loaded, dry_run: 'false' }, { approve: ['ingestion-production'] });
      expect(results(live)).toEqual({ load: 'success', notify: 'success' });
      const keys = await keysOf(loaded);
      expect(keys.some((key) => /^\.loaded.*production/.test(key))).toBe(true);
      expect(keys.some((key) => /^\.loaded.*qa/.test(key))).toBe(true);
      // Both environments share this one local database: QA's rows plus production's.
      expect(await rowCount('orders', loaded)).toBe(6);
    },
    RUN_TIMEOUT,
  );

  test(
    'a second live load of the same batch into the same environment is refused with nothing loaded',
    async () => {
      const result = await load({ environment: 'qa', batch_id: loaded, dry_run: 'false' });
      expect(result.jobs.load.result).toBe('failure');
      expect(step(result.jobs.load, 'Load tables').outcome).toBe('skipped');
      expect(readable(result, 'load')).toMatch(/loaded/i);
      expect(await rowCount('orders', loaded)).toBe(6);
    },
    RUN_TIMEOUT,
  );

  test(
    'an unapproved live production load loads nothing and claims nothing',
    async () => {
      const batch = await seedBatch();
      const result = await load({ environment: 'production', batch_id: batch, dry_run: 'false' });
      expect(result.conclusion).toBe('failure');
      expect(result.jobs.load.steps.filter((s) => s.outcome === 'success')).toEqual([]);
      expect(await keysOf(batch)).toEqual([]);
      expect(await rowCount('load_log', batch)).toBe(0);
    },
    RUN_TIMEOUT,
  );

  test(
    'table_filter loads one table, and marks only that table',
    async () => {
      const batch = await seedBatch();
      const result = await load({ environment: 'qa', batch_id: batch, dry_run: 'false', table_filter: 'orders' });
      expect(result.conclusion).toBe('success');
      expect(await rowCount('orders', batch)).toBe(3);
      expect(await rowCount('customers', batch)).toBe(0);
      expect((await keysOf(batch)).filter((key) => key.startsWith('.loaded'))).toEqual([expect.stringMatching(/qa.*orders/)]);
    },
    RUN_TIMEOUT,
  );

  test(
    'two concurrent live loads of one batch and environment from two workflow files: exactly one loads',
    async () => {
      const batch = await seedBatch();
      // Another workflow file (its own concurrency group, as any other file or repository would have).
      const other = join(repo, '.github', 'workflows', 'fragment-ingestion-backfill.yml');
      writeFileSync(
        other,
        readFileSync(join(repo, '.github', 'workflows', 'fragment-ingestion.yml'), 'utf8')
          .replace('name: Fragment Ingestion', 'name: Fragment Backfill')
          .replace('group: fragment-ingestion-', 'group: fragment-backfill-'),
      );
      const inputs = { environment: 'qa', batch_id: batch, dry_run: 'false' };
      const [first, second] = await Promise.all([
        load(inputs),
        runWorkflow({ workflow: other, services, repo, inputs, protect: ['ingestion-production'] }),
      ]);
      expect([first.jobs.load.result, second.jobs.load.result].sort()).toEqual(['failure', 'success']);
      const loser = first.jobs.load.result === 'failure' ? first : second;
      expect(step(loser.jobs.load, 'Load tables').outcome).toBe('skipped');
      expect(await rowCount('orders', batch)).toBe(3);
    },
    RUN_TIMEOUT,
  );

  test(
    'a failed load gives the claim back and marks nothing, so a fixed re-run can load the batch',
    async () => {
      const batch = await seedBatch({ broken: true });
      const failed = await load({ environment: 'qa', batch_id: batch, dry_run: 'false' });
      expect(failed.jobs.load.result).toBe('failure');
      expect(step(failed.jobs.load, 'Release the claim').outcome).toBe('success');
      expect(await keysOf(batch)).toEqual([]);
      expect(await rowCount('load_log', batch)).toBe(0);

      await services.s3Client.send(
        new PutObjectCommand({ Bucket: BUCKET, Key: `validated/${batch}/orders/part-0002.csv`, Body: '3,third order\n' }),
      );
      const fixed = await load({ environment: 'qa', batch_id: batch, dry_run: 'false' });
      expect(fixed.conclusion).toBe('success');
      expect(await rowCount('orders', batch)).toBe(3);
    },
    RUN_TIMEOUT,
  );
});

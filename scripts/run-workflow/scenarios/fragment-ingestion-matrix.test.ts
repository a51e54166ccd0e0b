// workflows/fragment-ingestion-matrix.yml as GitHub would run it (issue 15's scale-out): a live QA load of a batch of
// four tables fanned out over the matrix, where one leg fails. Two follow-ups: a second run (a new GITHUB_RUN_ID) is
// refused while the partial load's table markers exist (validate-batch's documented rule), and "Re-run failed jobs" of
// the first run (same GITHUB_RUN_ID, run_attempt 2) loads the failed leg's table alone and marks the batch once.
import { afterAll, beforeAll, describe, expect, test } from '@jest/globals';
import { PutObjectCommand } from '@aws-sdk/client-s3';
import pg from 'pg';
import { motoAvailable } from '../../../packages/testing/src/s3-server.js';
import { startLocalServices, type LocalServices, type RunResult } from '../src/index.js';
import { makeRepo, removeRepos, results, run, RUN_TIMEOUT, step, todaysBatchId } from './helpers.js';

const maybe = motoAvailable() ? describe : describe.skip;
if (!motoAvailable()) console.warn('SKIPPED: the scenarios need moto (python3 -m pip install "moto[server]")');

const BUCKET = 'fragments';
/** Rows per table; loading `visits` fails in the first run: the database refuses its rows (a transient fault). */
const ROWS: Record<string, number> = { orders: 3, customers: 2, samples: 2, visits: 2 };
const FAILING = 'visits';
/**
 * The fault is in PostgreSQL, not in S3: fixing a fragment would change the batch's listing, and validate-batch's
 * mark-loaded rightly refuses a batch that changed since it was validated (on GitHub's re-run too).
 */
const BLOCK = `CREATE TABLE IF NOT EXISTS "${FAILING}" (batch_id text, id int, value text, CONSTRAINT maintenance CHECK (false))`;
const UNBLOCK = `ALTER TABLE "${FAILING}" DROP CONSTRAINT maintenance`;

maybe('fragment-ingestion-matrix.yml', () => {
  let services: LocalServices;
  let repo: string;
  let batch: string;
  /** The first run, with the failed leg: the re-run's rerunOf. */
  let first: RunResult;

  const put = (key: string, body: string) =>
    services.s3Client.send(new PutObjectCommand({ Bucket: BUCKET, Key: `validated/${batch}/${key}`, Body: body }));
  const csv = (from: number, count: number, label: string) =>
    Array.from({ length: count }, (_, i) => `${from + i},${label} ${from + i}\n`).join('');
  /** The batch root's markers and claims (names starting with a dot). */
  const rootKeys = async () =>
    ((await services.snapshot()).s3[BUCKET] ?? [])
      .filter((key) => key.startsWith(`validated/${batch}/.`))
      .map((key) => key.slice(`validated/${batch}/`.length))
      .sort();
  async function sql<T extends pg.QueryResultRow>(text: string, values: unknown[] = []): Promise<pg.QueryResult<T>> {
    const client = new pg.Client({ connectionString: services.tunnel!.postgres.connectionString });
    await client.connect();
    try {
      return await client.query<T>(text, values);
    } finally {
      await client.end();
    }
  }
  async function rowCount(table: string): Promise<number> {
    try {
      const result = await sql<{ n: number }>(`SELECT count(*)::int AS n FROM "${table}" WHERE batch_id = $1`, [batch]);
      return result.rows[0].n;
    } catch (error) {
      if (/does not exist/.test(String(error))) return 0;
      throw error;
    }
  }
  const counts = async () => Object.fromEntries(await Promise.all(Object.keys(ROWS).map(async (t) => [t, await rowCount(t)])));
  const legTables = (result: RunResult) =>
    (result.jobs.load.legs ?? []).map((leg) => ({
      tables: (leg.matrix.leg as { tables: string[] }).tables,
      result: leg.result,
    }));

  beforeAll(async () => {
    services = await startLocalServices({ ssh: true });
    repo = makeRepo('fragments', ['fragment-ingestion-matrix']);
    batch = todaysBatchId(7);
    // orders gets two fragments so the balanced matrix has a largest table; one table per leg with legs=4.
    await put('orders/part-0001.csv', csv(1, 2, 'order'));
    await put('orders/part-0002.csv', csv(3, 1, 'order'));
    await put('customers/part-0001.csv', csv(1, 2, 'customer'));
    await put('samples/part-0001.csv', csv(1, 2, 'sample'));
    await put(`${FAILING}/part-0001.csv`, csv(1, ROWS[FAILING], 'visit'));
    await sql(BLOCK);
  }, RUN_TIMEOUT);
  afterAll(async () => {
    await services?.stop();
    removeRepos();
  });

  const load = (rerunOf?: RunResult) =>
    run(services, 'fragment-ingestion-matrix', repo, {
      inputs: { environment: 'qa', batch_id: batch, legs: '4', max_parallel: '2' },
      rerunOf,
    });

  test(
    'one failed leg: the other legs load and mark their tables, the failed leg releases its own, the batch is not marked',
    async () => {
      const result = (first = await load());
      expect(results(result)).toEqual({ plan: 'success', load: 'failure', mark: 'skipped', notify: 'success' });
      expect(result.jobs.plan.outputs.claimed).toBe('true');
      const legs = legTables(result);
      expect(legs.flatMap((l) => l.tables).sort()).toEqual(Object.keys(ROWS).sort());
      for (const leg of legs) expect([leg.tables, leg.result]).toEqual([leg.tables, leg.tables.includes(FAILING) ? 'failure' : 'success']);
      const failedLeg = result.jobs.load.legs!.find((l) => l.result === 'failure')!;
      expect(step(failedLeg, "Release the leg's claims").outcome).toBe('success');

      const loaded = Object.keys(ROWS).filter((t) => t !== FAILING);
      expect(await counts()).toEqual({ ...ROWS, [FAILING]: 0 });
      // The environment claim stays with this run (a re-run gets it back); one marker per loaded table, no batch marker.
      expect(await rootKeys()).toEqual(['.claim-qa', ...loaded.map((t) => `.loaded-qa-${t}`)].sort());
    },
    RUN_TIMEOUT,
  );

  test(
    "a second run (not a re-run) is refused by the partial load's table markers: nothing loads twice",
    async () => {
      const before = await rootKeys();
      const result = await load();
      expect(result.jobs.plan.result).toBe('failure');
      // validate (fail-if-loaded) already sees the first run's table markers: the claim is never attempted.
      const validate = step(result.jobs.plan, 'batch');
      expect(validate.outcome).toBe('failure');
      expect(validate.errors?.join('\n')).toMatch(/already loaded for environment qa .*table (orders|customers|samples)/);
      expect(step(result.jobs.plan, 'claim').outcome).toBe('skipped');
      expect(results(result)).toMatchObject({ load: 'skipped', mark: 'skipped' });
      expect(await counts()).toEqual({ ...ROWS, [FAILING]: 0 });
      expect(await rootKeys()).toEqual(before);
    },
    RUN_TIMEOUT,
  );

  test(
    're-run failed jobs of the first run once the database is fixed: only the visits leg loads, the batch is marked once',
    async () => {
      await sql(UNBLOCK);
      const rerun = await load(first);
      expect(rerun).toMatchObject({ conclusion: 'success', runId: first.runId, runNumber: first.runNumber, runAttempt: 2 });
      expect(results(rerun)).toEqual({ plan: 'success', load: 'success', mark: 'success', notify: 'success' });
      // plan is not run again: its outputs (matrix, claim) are the first attempt's.
      expect(rerun.jobs.plan).toEqual(first.jobs.plan);
      const legs = rerun.jobs.load.legs!;
      expect(legs.map((l) => l.result)).toEqual(['success', 'success', 'success', 'success']);
      first.jobs.load.legs!.forEach((before, i) => {
        const tables = (before.matrix.leg as { tables: string[] }).tables;
        // The legs that succeeded are kept as they were; only the failed one ran (its claim, load and mark steps).
        if (!tables.includes(FAILING)) expect(legs[i]).toEqual(before);
        else expect([step(legs[i], 'claim').outcome, step(legs[i], 'mark').outcome]).toEqual(['success', 'success']);
      });
      const ranLegs = rerun.transcript.filter((line) => /^● Load /.test(line));
      expect(ranLegs).toEqual([expect.stringContaining(FAILING)]);
      const markRuns = rerun.transcript.filter((line) => /^● Mark /.test(line));
      expect(markRuns).toHaveLength(1);
      // No table loaded twice: each holds its rows once.
      expect(await counts()).toEqual(ROWS);
      const keys = await rootKeys();
      expect(keys.filter((key) => key === '.loaded-qa')).toHaveLength(1);
      expect(keys).toEqual(['.loaded-qa', ...Object.keys(ROWS).map((t) => `.loaded-qa-${t}`)].sort());
    },
    RUN_TIMEOUT,
  );
});

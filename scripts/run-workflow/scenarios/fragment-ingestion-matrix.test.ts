// workflows/fragment-ingestion-matrix.yml as GitHub would run it (issue 15's scale-out): a live QA load of a batch of
// four tables fanned out over the matrix, where one leg fails. run-workflow does not model re-runs (every run gets a
// new GITHUB_RUN_ID, run_attempt is 1), so the follow-up here is a second run, and what holds for it is validate-batch's
// documented rule: another run is refused while the partial load's table markers exist (a re-run of the first run,
// same GITHUB_RUN_ID, would be let through; run-workflow cannot express that yet).
import { afterAll, beforeAll, describe, expect, test } from '@jest/globals';
import { PutObjectCommand } from '@aws-sdk/client-s3';
import pg from 'pg';
import { motoAvailable } from '../../../packages/testing/src/s3-server.js';
import { startLocalServices, type LocalServices, type RunResult } from '../src/index.js';
import { makeRepo, removeRepos, results, run, RUN_TIMEOUT, step, todaysBatchId } from './helpers.js';

const maybe = motoAvailable() ? describe : describe.skip;
if (!motoAvailable()) console.warn('SKIPPED: the scenarios need moto (python3 -m pip install "moto[server]")');

const BUCKET = 'fragments';
/** Rows per table; `visits` holds an unreadable fragment (the fixture loader exits 1 on FAIL) in the first run. */
const ROWS: Record<string, number> = { orders: 3, customers: 2, samples: 2, visits: 2 };
const FAILING = 'visits';

maybe('fragment-ingestion-matrix.yml', () => {
  let services: LocalServices;
  let repo: string;
  let batch: string;

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
  async function rowCount(table: string): Promise<number> {
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
    await put(`${FAILING}/part-0001.csv`, 'FAIL\n');
  }, RUN_TIMEOUT);
  afterAll(async () => {
    await services?.stop();
    removeRepos();
  });

  const load = () =>
    run(services, 'fragment-ingestion-matrix', repo, { inputs: { environment: 'qa', batch_id: batch, legs: '4', max_parallel: '2' } });

  test(
    'one failed leg: the other legs load and mark their tables, the failed leg releases its own, the batch is not marked',
    async () => {
      const result = await load();
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
    "a second run (not a re-run) with the fragment fixed is refused by the partial load's table markers: nothing loads twice",
    async () => {
      const before = await rootKeys();
      await put(`${FAILING}/part-0001.csv`, csv(1, ROWS[FAILING], 'visit'));
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
});

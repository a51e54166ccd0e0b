import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { CreateBucketCommand, GetObjectCommand, PutObjectCommand, S3Client } from '@aws-sdk/client-s3';
import { motoAvailable, runAction, startS3Server, type ActionResult, type S3TestServer } from '../../../packages/testing/src/index.js';
import { startRunStatusServer, type RunStatusServer } from './fakes.js';

const actionDir = join(fileURLToPath(new URL('.', import.meta.url)), '..');
const available = motoAvailable();
if (!available) console.warn('SKIPPED: moto is not installed; .ci/run installs it, so CI never skips these.');
const suite = available ? describe : describe.skip;

const BUCKET = 'claims';
let nextBatch = 0;
/** A fresh batch per test, so tests do not see each other's claims. */
const newBatch = () => `batch_20241201_${String(100000 + nextBatch++).slice(-6)}`;

suite('claim, mark-loaded and release against moto', () => {
  let server: S3TestServer;
  let s3: S3Client;
  let github: RunStatusServer;

  const put = (key: string, body = 'x') =>
    s3.send(new PutObjectCommand({ Bucket: BUCKET, Key: key, Body: body, ContentLength: Buffer.byteLength(body) }));
  const read = async (key: string) =>
    s3
      .send(new GetObjectCommand({ Bucket: BUCKET, Key: key }))
      .then((r) => r.Body!.transformToString())
      .catch((error: { name?: string }) => (error.name === 'NoSuchKey' ? undefined : Promise.reject(error)));
  const seed = async (id: string) => {
    await put(`validated/${id}/orders/part-1.parquet`, 'aaaa');
    await put(`validated/${id}/customers/part-1.parquet`, 'bb');
  };
  const run = (inputs: Record<string, string>, runId = '5001', env: Record<string, string> = {}): Promise<ActionResult> =>
    runAction(actionDir, {
      inputs: { bucket: BUCKET, 's3-endpoint': server.endpoint, 's3-force-path-style': 'true', environment: 'production', ...inputs },
      env: { ...server.env, GITHUB_RUN_ID: runId, GITHUB_ACTOR: `actor-${runId}`, ...env },
    });

  beforeAll(async () => {
    server = await startS3Server();
    s3 = new S3Client(server.clientConfig);
    await s3.send(new CreateBucketCommand({ Bucket: BUCKET }));
    github = await startRunStatusServer();
  });

  afterAll(async () => {
    s3?.destroy();
    await github?.stop();
    await server?.stop();
  });

  it('lets exactly one of 20 concurrent claim runs hold the batch', async () => {
    const id = newBatch();
    await seed(id);
    const results = await Promise.all(
      Array.from({ length: 20 }, (_, i) => run({ mode: 'claim', 'batch-id': id }, String(6000 + i), {}).then((r) => r)),
    );
    const winners = results.filter((r) => r.outputs.claimed === 'true');
    expect(winners).toHaveLength(1);
    expect(winners[0].exitCode).toBe(0);
    const claim = JSON.parse((await read(`validated/${id}/.claim-production`))!);
    expect(claim.claim_id).toBe(winners[0].outputs['claim-id']);
    for (const loser of results.filter((r) => r !== winners[0])) {
      expect(loser.exitCode).toBe(1);
      expect(loser.outputs.claimed).toBe('false');
      expect(loser.errors).toEqual([expect.stringContaining(`is claimed for environment production by ${claim.claimed_by}`)]);
    }
  }, 90_000);

  it('claims, marks loaded and then refuses a second claim, and the claim is gone', async () => {
    const id = newBatch();
    await seed(id);
    const claim = await run({ mode: 'claim', 'batch-id': id });
    expect(claim.errors).toEqual([]);
    expect(claim.outputs).toMatchObject({ valid: 'true', claimed: 'true', 'claimed-by': 'actor-5001' });
    const mark = await run({ mode: 'mark-loaded', 'batch-id': id });
    expect(mark.errors).toEqual([]);
    expect(mark.outputs).toMatchObject({ valid: 'true', loaded: 'true', 'loaded-by': 'actor-5001' });
    const marker = JSON.parse((await read(`validated/${id}/.loaded-production`))!);
    expect(marker).toMatchObject({
      scope: 'environment',
      environment: 'production',
      claim_id: claim.outputs['claim-id'],
      workflow_run: '5001',
    });
    expect(await read(`validated/${id}/.claim-production`)).toBeUndefined();
    const again = await run({ mode: 'claim', 'batch-id': id }, '5002');
    expect(again.exitCode).toBe(1);
    expect(again.outputs).toMatchObject({ claimed: 'false', loaded: 'true', 'loaded-by': 'actor-5001' });
    expect(again.errors).toEqual([expect.stringContaining('was already loaded for environment production by actor-5001')]);
  });

  it('gives a re-run of the same workflow run its claim back', async () => {
    const id = newBatch();
    await seed(id);
    const first = await run({ mode: 'claim', 'batch-id': id }, '7001');
    const rerun = await run({ mode: 'claim', 'batch-id': id }, '7001', { GITHUB_RUN_ATTEMPT: '2' });
    expect(rerun.errors).toEqual([]);
    expect(rerun.outputs).toMatchObject({ claimed: 'true', 'claim-id': first.outputs['claim-id'] });
  });

  it('lets a claim and two concurrent loaders mark the batch once: only the claim holder marks it', async () => {
    const id = newBatch();
    await seed(id);
    const claim = await run({ mode: 'claim', 'batch-id': id }, '7101');
    expect(claim.outputs.claimed).toBe('true');
    const [holder, other] = await Promise.all([
      run({ mode: 'mark-loaded', 'batch-id': id }, '7101'),
      run({ mode: 'mark-loaded', 'batch-id': id }, '7102'),
    ]);
    expect(holder.errors).toEqual([]);
    expect(holder.outputs.loaded).toBe('true');
    expect(other.exitCode).toBe(1);
    expect(other.errors[0]).toMatch(/not by this run|already loaded/);
  });

  it('refuses mark-loaded without a claim, and marks with a warning when require-claim is false', async () => {
    const id = newBatch();
    await seed(id);
    const refused = await run({ mode: 'mark-loaded', 'batch-id': id }, '7201');
    expect(refused.exitCode).toBe(1);
    expect(refused.errors).toEqual([expect.stringContaining('holds no claim on')]);
    expect(await read(`validated/${id}/.loaded-production`)).toBeUndefined();
    const old = await run({ mode: 'mark-loaded', 'batch-id': id, 'require-claim': 'false' }, '7201');
    expect(old.exitCode).toBe(0);
    expect(old.warnings).toEqual([expect.stringContaining('require-claim: false')]);
    expect(await read(`validated/${id}/.loaded-production`)).toContain('"workflow_run": "7201"');
  });

  it('releases only its own claim, and releasing twice is fine', async () => {
    const id = newBatch();
    await seed(id);
    await run({ mode: 'claim', 'batch-id': id }, '7301');
    const other = await run({ mode: 'release', 'batch-id': id }, '7302');
    expect(other.exitCode).toBe(0);
    expect(other.stdout).toContain('not by this run: it is left in place');
    expect(await read(`validated/${id}/.claim-production`)).toContain('"7301"');
    const own = await run({ mode: 'release', 'batch-id': id }, '7301');
    expect(own.errors).toEqual([]);
    expect(own.outputs.claimed).toBe('false');
    expect(await read(`validated/${id}/.claim-production`)).toBeUndefined();
    const twice = await run({ mode: 'release', 'batch-id': id }, '7301');
    expect(twice.exitCode).toBe(0);
    expect(twice.stdout).toContain('nothing to release');
    const next = await run({ mode: 'claim', 'batch-id': id }, '7303');
    expect(next.outputs.claimed).toBe('true');
  });

  it('loads QA then production of one batch, each marked once', async () => {
    const id = newBatch();
    await seed(id);
    for (const environment of ['qa', 'production']) {
      const claim = await run({ mode: 'claim', 'batch-id': id, environment }, '7401');
      expect(claim.errors).toEqual([]);
      const mark = await run({ mode: 'mark-loaded', 'batch-id': id, environment }, '7401');
      expect(mark.errors).toEqual([]);
    }
    expect(await read(`validated/${id}/.loaded-qa`)).toContain('"environment": "qa"');
    expect(await read(`validated/${id}/.loaded-production`)).toContain('"environment": "production"');
    const validate = await run({ 'batch-id': id, environment: 'staging' });
    expect(validate.exitCode).toBe(0);
    expect(validate.outputs.loaded).toBe('false');
    expect(validate.warnings).toEqual(expect.arrayContaining([expect.stringContaining('another scope than environment staging')]));
  });

  it('claims and marks each table on its own with scope: table', async () => {
    const id = newBatch();
    await seed(id);
    const orders = { 'batch-id': id, scope: 'table', 'table-filter': 'orders', environment: 'qa' };
    expect((await run({ mode: 'claim', ...orders }, '7501')).outputs.claimed).toBe('true');
    expect((await run({ mode: 'mark-loaded', ...orders }, '7501')).outputs.loaded).toBe('true');
    expect(await read(`validated/${id}/.loaded-qa-orders`)).toContain('"table": "orders"');
    const customers = await run({ mode: 'claim', ...orders, 'table-filter': 'customers' }, '7502');
    expect(customers.errors).toEqual([]);
    expect(customers.outputs.claimed).toBe('true');
    const ordersAgain = await run({ mode: 'claim', ...orders }, '7502');
    expect(ordersAgain.exitCode).toBe(1);
    expect(ordersAgain.errors).toEqual([expect.stringContaining('already loaded for environment qa, table orders')]);
  });

  it('claims a matrix leg’s tables whole or not at all, and marks each', async () => {
    const id = newBatch();
    await seed(id);
    const leg = { 'batch-id': id, scope: 'table', 'table-filter': 'orders, customers', environment: 'qa' };
    const claim = await run({ mode: 'claim', ...leg }, '7701');
    expect(claim.errors).toEqual([]);
    expect(claim.outputs.claimed).toBe('true');
    expect(claim.outputs['claim-id'].split(',')).toHaveLength(2);
    const mark = await run({ mode: 'mark-loaded', ...leg }, '7701');
    expect(mark.errors).toEqual([]);
    expect(await read(`validated/${id}/.loaded-qa-customers`)).toContain('"table": "customers"');
    expect(await read(`validated/${id}/.loaded-qa-orders`)).toContain('"table": "orders"');

    // Another run's group that overlaps a loaded table claims nothing: the table it could take is given back.
    const other = newBatch();
    await seed(other);
    await put(
      `validated/${other}/.loaded-qa-orders`,
      JSON.stringify({ loaded_by: 'leg-1', environment: 'qa', scope: 'table', table: 'orders' }),
    );
    const refused = await run({ mode: 'claim', ...leg, 'batch-id': other }, '7702');
    expect(refused.exitCode).toBe(1);
    expect(refused.outputs.claimed).toBe('false');
    expect(refused.errors).toEqual([expect.stringContaining('already loaded for environment qa, table orders by leg-1')]);
    expect(await read(`validated/${other}/.claim-qa-customers`)).toBeUndefined();
  });

  it('reads the old per-batch .loaded marker and reports it', async () => {
    const id = newBatch();
    await seed(id);
    await put(`validated/${id}/.loaded`, JSON.stringify({ loaded_by: 'bash', loaded_at: '2024-01-01T00:00:00Z', workflow_run: '1' }));
    const validate = await run({ 'batch-id': id });
    expect(validate.exitCode).toBe(1);
    expect(validate.outputs).toMatchObject({ loaded: 'true', 'loaded-by': 'bash' });
    expect(validate.errors).toEqual([expect.stringContaining('(the per-batch marker of the old workflow)')]);
    const claim = await run({ mode: 'claim', 'batch-id': id }, '7601');
    expect(claim.exitCode).toBe(1);
    expect(claim.outputs.claimed).toBe('false');
  });

  it('takes over an expired claim of a run GitHub says has ended, and names whose claim it replaced', async () => {
    const id = newBatch();
    await seed(id);
    await put(`validated/${id}/.claim-production`, staleClaim(id, '8001', 'ghost'));
    github.runs.set('8001', { status: 'completed', conclusion: 'cancelled' });
    const takeover = await run({ mode: 'claim', 'batch-id': id, token: 'ghs_test', 'claim-ttl-minutes': '60' }, '8002', {
      GITHUB_API_URL: github.url,
    });
    expect(takeover.errors).toEqual([]);
    expect(takeover.outputs.claimed).toBe('true');
    expect(takeover.warnings).toEqual([expect.stringMatching(/Took over the expired claim by ghost .*run 8001 completed \(cancelled\)/)]);
    const claim = JSON.parse((await read(`validated/${id}/.claim-production`))!);
    expect(claim).toMatchObject({ workflow_run: '8002', replaces: { workflow_run: '8001', claimed_by: 'ghost' } });
    expect(github.requests).toContain(`GET /repos/octo-org/pipeline-demo/actions/runs/8001 Bearer ghs_test`);
  });

  it('refuses an expired claim whose run GitHub says is still in progress', async () => {
    const id = newBatch();
    await seed(id);
    await put(`validated/${id}/.claim-production`, staleClaim(id, '8101', 'slow'));
    github.runs.set('8101', { status: 'in_progress', conclusion: null });
    const refused = await run({ mode: 'claim', 'batch-id': id, token: 'ghs_test', 'claim-ttl-minutes': '60' }, '8102', {
      GITHUB_API_URL: github.url,
    });
    expect(refused.exitCode).toBe(1);
    expect(refused.errors).toEqual([expect.stringContaining('GitHub says run 8101 is in_progress')]);
  });

  it('refuses a claim younger than claim-ttl-minutes without asking GitHub', async () => {
    const id = newBatch();
    await seed(id);
    await run({ mode: 'claim', 'batch-id': id }, '8201');
    const refused = await run({ mode: 'claim', 'batch-id': id, token: 'ghs_test' }, '8202', { GITHUB_API_URL: github.url });
    expect(refused.exitCode).toBe(1);
    expect(refused.errors).toEqual([
      expect.stringMatching(/claimed for environment production by actor-8201 at .* younger than its time to live/),
    ]);
    expect(github.requests.some((r) => r.includes('/runs/8201'))).toBe(false);
  });

  it('takes over by age alone when no token can ask GitHub, and says so', async () => {
    const id = newBatch();
    await seed(id);
    await put(`validated/${id}/.claim-production`, staleClaim(id, '8301', 'gone'));
    const takeover = await run({ mode: 'claim', 'batch-id': id, 'claim-ttl-minutes': '60' }, '8302');
    expect(takeover.outputs.claimed).toBe('true');
    expect(takeover.warnings).toEqual(
      expect.arrayContaining([expect.stringContaining('could not be checked (no token was given to ask GitHub)')]),
    );
  });

  it('refuses mark-loaded when the batch changed since validation', async () => {
    const id = newBatch();
    await seed(id);
    const validate = await run({ 'batch-id': id });
    const digest = validate.outputs['listing-digest'];
    expect(digest).toMatch(/^sha256:[0-9a-f]{64}$/);
    const claim = await run({ mode: 'claim', 'batch-id': id, 'listing-digest': digest }, '8401');
    expect(claim.outputs['listing-digest']).toBe(digest);
    await put(`validated/${id}/orders/part-2.parquet`, 'late');
    const mark = await run({ mode: 'mark-loaded', 'batch-id': id }, '8401');
    expect(mark.exitCode).toBe(1);
    expect(mark.errors).toEqual([expect.stringContaining(`changed since it was validated (listing digest ${digest} then`)]);
    expect(await read(`validated/${id}/.loaded-production`)).toBeUndefined();
    expect(await read(`validated/${id}/.claim-production`)).toBeDefined();
  });

  it('refuses whitespace around the batch id before touching S3', async () => {
    const id = newBatch();
    const result = await run({ mode: 'claim', 'batch-id': `${id} ` });
    expect(result.exitCode).toBe(1);
    expect(result.errors).toEqual([`Input 'batch-id': "${id} " has whitespace around it: expected the value alone, e.g. "${id}".`]);
    expect(await read(`validated/${id}/.claim-production`)).toBeUndefined();
  });
});

function staleClaim(batchId: string, runId: string, by: string): string {
  return JSON.stringify({
    claim_id: `old-${runId}`,
    batch_id: batchId,
    claimed_at: new Date(Date.now() - 2 * 60 * 60 * 1000).toISOString(),
    claimed_by: by,
    workflow_run: runId,
    repository: 'octo-org/pipeline-demo',
    environment: 'production',
    scope: 'environment',
  });
}

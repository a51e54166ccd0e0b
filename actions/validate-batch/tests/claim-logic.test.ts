import { describe, expect, it } from '@jest/globals';
import { claimBatch, type ClaimRequest } from '../src/claim.js';
import { markLoaded, releaseClaim, type MarkRequest } from '../src/mark.js';
import type { Actor } from '../src/records.js';
import type { RunState } from '../src/run-status.js';
import { scopeNames } from '../src/scope.js';
import { FakeStore } from './fake-store.js';

const B = 'validated/batch_20241101_120000/';
const NOW = new Date('2026-12-01T12:00:00Z');
const actor = (runId: string): Actor => ({ actor: `a${runId}`, runId, runAttempt: 1, repository: 'o/r', runUrl: '' });
const fields = { batchId: 'batch_20241101_120000', scope: 'environment' as const, environment: 'production', table: '' };
const names = scopeNames('environment', '.loaded', 'production', '');

const scopeReq = (store: FakeStore, runId: string) => ({
  store,
  batchPrefix: B,
  names,
  markerName: '.loaded',
  fields,
  who: actor(runId),
  now: () => NOW,
  listingDigest: '',
  dryRun: false,
});

function claimReq(store: FakeStore, runId: string, over: Partial<ClaimRequest> = {}): ClaimRequest {
  return {
    ...scopeReq(store, runId),
    ttlMinutes: 60,
    runStatus: async (): Promise<RunState> => ({ state: 'unknown', detail: 'no token' }),
    ...over,
  };
}

function markReq(store: FakeStore, runId: string, over: Partial<MarkRequest> = {}): MarkRequest {
  return {
    ...scopeReq(store, runId),
    requireClaim: true,
    currentDigest: async () => 'sha256:now',
    ...over,
  };
}

describe('claimBatch', () => {
  it('creates the claim with If-None-Match and checks it: read back, then a second create must be refused', async () => {
    const store = new FakeStore().put(`${B}a/1`);
    const result = await claimBatch(claimReq(store, '1'));
    expect(result.outcome).toBe('claimed');
    const creates = store.requests.filter((r) => r === `create ${B}.claim-production`);
    expect(creates).toHaveLength(2);
    expect(JSON.parse(store.objects.get(`${B}.claim-production`)!)).toMatchObject({ workflow_run: '1', scope: 'environment' });
  });

  it('fails closed on a store that ignores If-None-Match, naming the store and the header', async () => {
    const store = new FakeStore().put(`${B}a/1`);
    store.honoursConditions = false;
    await expect(claimBatch(claimReq(store, '1'))).rejects.toThrow(
      /^The S3 store at http:\/\/fake-s3 does not honour conditional writes \(a PutObject with If-None-Match: \* on the existing key was accepted, not refused with 412 on s3:\/\/fake\/.*\.claim-production\): validate-batch requires a store that refuses PutObject with If-None-Match: \* on an existing key with HTTP 412/,
    );
  });

  it('fails closed when the object read back after a successful create is another writer’s', async () => {
    const store = new FakeStore().put(`${B}a/1`);
    const create = store.createIfAbsent.bind(store);
    // A store that says "created" but keeps the object a concurrent writer put there.
    store.createIfAbsent = async (key, body) => {
      await create(key, body);
      store.objects.set(key, '{"claim_id":"someone-else"}');
      return 'created';
    };
    await expect(claimBatch(claimReq(store, '1'))).rejects.toThrow(/the object read back is another writer's/);
  });

  it('refuses a batch marked loaded for this scope and sees a marker written while it claimed', async () => {
    const store = new FakeStore().put(`${B}a/1`);
    const create = store.createIfAbsent.bind(store);
    let first = true;
    store.createIfAbsent = async (key, body) => {
      const outcome = await create(key, body);
      // Another run marks the batch and drops its claim between our first read and our create.
      if (first) store.put(`${B}.loaded-production`, JSON.stringify({ loaded_by: 'other', workflow_run: '9', environment: 'production' }));
      first = false;
      return outcome;
    };
    const result = await claimBatch(claimReq(store, '1'));
    expect(result).toMatchObject({ outcome: 'loaded', marker: { by: 'other' } });
    expect(store.objects.has(`${B}.claim-production`)).toBe(false);
  });

  it('does not count another environment or the old marker of another environment', async () => {
    const store = new FakeStore()
      .put(`${B}a/1`)
      .put(`${B}.loaded-qa`, JSON.stringify({ loaded_by: 'q', environment: 'qa', scope: 'environment' }))
      .put(`${B}.loaded`, JSON.stringify({ loaded_by: 'old', environment: 'qa' }));
    expect((await claimBatch(claimReq(store, '1'))).outcome).toBe('claimed');
  });

  it('counts the old per-batch marker without an environment as loaded everywhere', async () => {
    const store = new FakeStore().put(`${B}a/1`).put(`${B}.loaded`, JSON.stringify({ loaded_by: 'bash' }));
    expect(await claimBatch(claimReq(store, '1'))).toMatchObject({ outcome: 'loaded', marker: { name: '.loaded' } });
  });

  it('refuses an environment claim while another run has loaded some of its tables', async () => {
    const store = new FakeStore()
      .put(`${B}a/1`)
      .put(`${B}.loaded-production-a`, JSON.stringify({ loaded_by: 'leg', workflow_run: '7', environment: 'production', scope: 'table' }));
    expect((await claimBatch(claimReq(store, '1'))).outcome).toBe('loaded');
    expect((await claimBatch(claimReq(store, '7'))).outcome).toBe('claimed');
  });

  it('asks whether the holder has ended only after the time to live, and takes over with If-Match', async () => {
    const store = new FakeStore().put(`${B}a/1`);
    await claimBatch(claimReq(store, '1', { now: () => new Date(NOW.getTime() - 61 * 60_000) }));
    const asked: string[] = [];
    const result = await claimBatch(
      claimReq(store, '2', {
        runStatus: async (repo, run) => {
          asked.push(`${repo}#${run}`);
          return { state: 'ended', detail: `run ${run} completed (failure)` };
        },
      }),
    );
    expect(asked).toEqual(['o/r#1']);
    expect(result).toMatchObject({ outcome: 'taken-over', replaced: { workflowRun: '1' } });
    expect(store.requests).toContain(`replace ${B}.claim-production`);
  });

  it('writes nothing in a dry run', async () => {
    const store = new FakeStore().put(`${B}a/1`);
    expect((await claimBatch(claimReq(store, '1', { dryRun: true }))).outcome).toBe('dry-run');
    expect(store.requests.filter((r) => !r.startsWith('list') && !r.startsWith('read'))).toEqual([]);
  });
});

describe('markLoaded and releaseClaim', () => {
  it('turns the claim into the marker and then drops the claim', async () => {
    const store = new FakeStore().put(`${B}a/1`);
    await claimBatch(claimReq(store, '1'));
    const result = await markLoaded(markReq(store, '1'));
    expect(result.outcome).toBe('created');
    const order = store.requests.filter((r) => r.startsWith('create') || r.startsWith('delete'));
    expect(order).toEqual([
      `create ${B}.claim-production`,
      `create ${B}.claim-production`,
      `create ${B}.loaded-production`,
      `create ${B}.loaded-production`,
      `delete ${B}.claim-production`,
    ]);
    expect(store.objects.has(`${B}.claim-production`)).toBe(false);
  });

  it('refuses when the listing digest recorded in the claim is not the batch’s any more', async () => {
    const store = new FakeStore().put(`${B}a/1`);
    await claimBatch(claimReq(store, '1', { listingDigest: 'sha256:then' }));
    expect(await markLoaded(markReq(store, '1'))).toMatchObject({ outcome: 'changed', expected: 'sha256:then', actual: 'sha256:now' });
    expect(store.objects.has(`${B}.loaded-production`)).toBe(false);
  });

  it('fails closed when marking on a store that ignores If-None-Match', async () => {
    const store = new FakeStore().put(`${B}a/1`);
    store.honoursConditions = false;
    await expect(markLoaded(markReq(store, '1', { requireClaim: false }))).rejects.toThrow(/does not honour conditional writes/);
  });

  it('never drops another run’s claim, and fails closed where a wrong If-Match delete is carried out', async () => {
    const store = new FakeStore().put(`${B}a/1`);
    await claimBatch(claimReq(store, '1'));
    expect((await releaseClaim(store, `${B}.claim-production`, actor('2'), false)).outcome).toBe('not-ours');
    store.honoursConditions = false;
    await expect(releaseClaim(store, `${B}.claim-production`, actor('1'), false)).rejects.toThrow(/DeleteObject with a wrong If-Match/);
  });
});

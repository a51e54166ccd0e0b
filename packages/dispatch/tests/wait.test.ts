import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import type { FakeGitHubApi } from '../../testing/src/github/index.js';
import { dispatchWorkflow, failedJobs, waitForRun, type RunProgress } from '../src/index.js';
import { rateLimitPause } from '../src/client.js';
import { NAME, OWNER, plainClient, startWithWorkflows } from './fake.js';

let github: FakeGitHubApi;
beforeAll(async () => {
  github = await startWithWorkflows();
});
afterAll(() => github.stop());

async function dispatchAndWait(lifecycle: Parameters<FakeGitHubApi['workflows']['addWorkflow']>[3], timeoutMs = 5_000) {
  const workflow = github.workflows.workflows.find((w) => w.path.endsWith('promote-qa.yml'))!;
  workflow.lifecycle = lifecycle?.lifecycle;
  const c = plainClient(github);
  const run = await dispatchWorkflow(c, {
    owner: OWNER,
    repo: NAME,
    workflow: 'promote-qa.yml',
    ref: 'main',
    inputs: { artifact_version: 'v1' },
  });
  const progress: RunProgress[] = [];
  const result = await waitForRun(c, { owner: OWNER, repo: NAME, runId: run.runId }, { timeoutMs, pollIntervalMs: 5 }, (p) =>
    progress.push(p),
  );
  return { run, result, progress };
}

describe('waitForRun', () => {
  it('reports each change once and returns the jobs of a run that succeeds', async () => {
    const { result, progress } = await dispatchAndWait({});
    expect(result).toMatchObject({ status: 'completed', conclusion: 'success', timedOut: false });
    expect(progress.map((p) => [p.status, p.job, p.step])).toEqual([
      ['queued', undefined, undefined],
      ['in_progress', 'Promote', 'Set up job'],
      ['in_progress', 'Promote', 'Run actions/checkout@v4'],
      ['in_progress', 'Promote', 'Promote artifact'],
      ['in_progress', 'Promote', 'Complete job'],
      ['in_progress', 'Verify', 'Set up job'],
      ['in_progress', 'Verify', 'Smoke test'],
      ['in_progress', 'Verify', 'Complete job'],
      ['completed', undefined, undefined],
    ]);
    expect(result.jobs.map((j) => [j.name, j.conclusion])).toEqual([
      ['Promote', 'success'],
      ['Verify', 'success'],
    ]);
  });

  it('names the failed job of a failed run', async () => {
    const { result } = await dispatchAndWait({
      lifecycle: [{ status: 'queued' }, { status: 'completed', conclusion: 'failure', job: 'Promote', step: 'Promote artifact' }],
    });
    expect(result.conclusion).toBe('failure');
    expect(failedJobs(result.jobs).map((j) => j.name)).toEqual(['Promote']);
    expect(result.jobs[0].steps.map((s) => s.conclusion)).toEqual(['success', 'success', 'failure', 'skipped']);
    expect(result.jobs[1].conclusion).toBe('skipped');
  });

  it('returns a cancelled run as cancelled', async () => {
    const { result } = await dispatchAndWait({ lifecycle: [{ status: 'queued' }, { status: 'completed', conclusion: 'cancelled' }] });
    expect(result).toMatchObject({ status: 'completed', conclusion: 'cancelled', timedOut: false });
  });

  it('times out on a run that never leaves the queue and says so', async () => {
    const { result, progress } = await dispatchAndWait({ lifecycle: [{ status: 'queued' }] }, 300);
    expect(result).toMatchObject({ status: 'queued', conclusion: null, timedOut: true, neverStarted: true });
    expect(progress).toHaveLength(1);
  });

  it('times out on a run that started but did not finish, without calling it never started', async () => {
    const { result } = await dispatchAndWait({ lifecycle: [{ status: 'queued' }, { status: 'in_progress' }] }, 300);
    expect(result).toMatchObject({ status: 'in_progress', timedOut: true, neverStarted: false });
  });
});

describe('rateLimitPause', () => {
  it('waits for the reset when the quota is nearly spent, not before', () => {
    const now = 1_700_000_000_000;
    expect(rateLimitPause({ 'x-ratelimit-remaining': '4000', 'x-ratelimit-reset': '1700000100' }, now)).toBe(0);
    expect(rateLimitPause({ 'x-ratelimit-remaining': '3', 'x-ratelimit-reset': '1700000100' }, now)).toBe(101_000);
    expect(rateLimitPause({}, now)).toBe(0);
  });
});

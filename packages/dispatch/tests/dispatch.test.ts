import { afterAll, beforeAll, beforeEach, describe, expect, it } from '@jest/globals';
import type { FakeGitHubApi } from '../../testing/src/github/index.js';
import { dispatchWorkflow, DispatchError, type DispatchOptions } from '../src/index.js';
import { client, NAME, OWNER, plainClient, startWithWorkflows } from './fake.js';

let github: FakeGitHubApi;
beforeAll(async () => {
  github = await startWithWorkflows();
});
afterAll(() => github.stop());
beforeEach(() => {
  github.workflows.mode = 'github.com';
  github.workflows.runDelayMs = 0;
});

const base = (extra: Partial<DispatchOptions> = {}): DispatchOptions => ({
  owner: OWNER,
  repo: NAME,
  workflow: 'promote-qa.yml',
  ref: 'main',
  inputs: { artifact_version: 'v1' },
  findIntervalMs: 20,
  findTimeoutMs: 5_000,
  ...extra,
});

async function failure(promise: Promise<unknown>): Promise<DispatchError> {
  try {
    await promise;
  } catch (error) {
    if (error instanceof DispatchError) return error;
    throw error;
  }
  throw new Error('expected a DispatchError');
}

describe('dispatchWorkflow on github.com', () => {
  it('returns the run GitHub names in its 200 answer', async () => {
    const result = await dispatchWorkflow(client(github), base({ ref: 'refs/heads/release' }));
    const run = github.workflows.run(result.runId)!;
    expect(result).toEqual({
      runId: run.id,
      runUrl: `${github.url}/${OWNER}/${NAME}/actions/runs/${run.id}`,
      runNumber: run.runNumber,
      status: 'queued',
      method: 'run-details',
      owner: OWNER,
      repo: NAME,
    });
    expect(run.headBranch).toBe('release');
  });

  it('sends numbers and booleans as strings', async () => {
    const result = await dispatchWorkflow(plainClient(github), base({ inputs: { artifact_version: 42, environment: 'staging' } }));
    expect(github.workflows.run(result.runId)!.inputs).toMatchObject({ artifact_version: '42', environment: 'staging' });
  });

  it('correlates on request even where run details exist', async () => {
    const result = await dispatchWorkflow(plainClient(github), base({ correlation: 'distinct-id' }));
    expect(result.method).toBe('correlation');
    expect(github.workflows.run(result.runId)!.inputs.distinct_id).toBe(result.distinctId);
  });
});

describe('dispatchWorkflow on GitHub Enterprise Server 3.20', () => {
  beforeEach(() => {
    github.workflows.mode = 'ghes-3.20';
    github.workflows.runDelayMs = 150;
  });

  it('falls back to correlation and returns the run carrying its distinct_id', async () => {
    const notes: string[] = [];
    const result = await dispatchWorkflow(client(github), base({ log: (l) => notes.push(l) }));
    expect(result.method).toBe('correlation');
    expect(github.workflows.run(result.runId)!.inputs.distinct_id).toBe(result.distinctId);
    expect(notes[0]).toMatch(/does not return run details/);
  });

  it('gives each of ten concurrent callers its own run', async () => {
    const results = await Promise.all(
      Array.from({ length: 10 }, (_, i) => dispatchWorkflow(plainClient(github), base({ inputs: { artifact_version: `c${i}` } }))),
    );
    results.forEach((result, i) => {
      const run = github.workflows.run(result.runId)!;
      expect(run.inputs).toMatchObject({ artifact_version: `c${i}`, distinct_id: result.distinctId });
    });
    expect(new Set(results.map((r) => r.runId)).size).toBe(10);
  });

  it('without contents: read, learns from the 422 whether distinct_id is declared', async () => {
    const found = await dispatchWorkflow(plainClient(github, 'ghs_actionsonly'), base());
    expect(github.workflows.run(found.runId)!.inputs.distinct_id).toBe(found.distinctId);

    const before = github.workflows.runs.length;
    const error = await failure(
      dispatchWorkflow(plainClient(github, 'ghs_actionsonly'), base({ workflow: 'no-id.yml', inputs: { version: '1' } })),
    );
    expect(error.kind).toBe('unidentified');
    expect(error.details.dispatched).toBe(true);
    expect(github.workflows.runs.length).toBe(before + 1);
  });

  it('refuses to guess: a workflow that hides the id leaves the run unidentified, with the runs page', async () => {
    const error = await failure(dispatchWorkflow(plainClient(github), base({ workflow: 'hidden-id.yml', inputs: {}, findTimeoutMs: 400 })));
    expect(error.kind).toBe('unidentified');
    expect(error.details.runsUrl).toBe(
      `${github.url}/${OWNER}/${NAME}/actions/workflows/hidden-id.yml?query=event%3Aworkflow_dispatch%20branch%3Amain`,
    );
  });

  it('also falls back when the key is refused with a 400', async () => {
    github.workflows.ghesRejectStatus = 400;
    try {
      const result = await dispatchWorkflow(plainClient(github), base());
      expect(result.method).toBe('correlation');
    } finally {
      github.workflows.ghesRejectStatus = 422;
    }
  });

  it("with correlation 'run-details', fails without starting a run", async () => {
    const before = github.workflows.runs.length;
    const error = await failure(dispatchWorkflow(client(github), base({ correlation: 'run-details' })));
    expect(error.kind).toBe('unidentified');
    expect(error.message).toMatch(/does not return run details/);
    expect(github.workflows.runs.length).toBe(before);
  });
});

describe('DispatchError kinds', () => {
  it('auth on 401', async () => {
    expect((await failure(dispatchWorkflow(client(github, 'ghp_unknown'), base()))).kind).toBe('auth');
  });

  it('permission on a 403 without a rate limit', async () => {
    const error = await failure(dispatchWorkflow(plainClient(github, 'ghs_actionsread'), base()));
    expect(error.kind).toBe('permission');
    expect(error.message).toMatch(/actions: write.*`repo` scope.*`workflow` scope is for editing workflow files/);
  });

  it('rate-limited on a 403 with the quota spent', async () => {
    github.server.injectFault({ method: 'POST', path: /dispatches$/, kind: 'primary-rate-limit', retryAfterSeconds: 0, times: 5 });
    try {
      const error = await failure(dispatchWorkflow(client(github), base()));
      expect(error.kind).toBe('rate-limited');
      expect(error.details.resetAt).toMatch(/^\d{4}-/);
    } finally {
      github.server.faults.length = 0;
    }
  });

  it('not-found for a workflow that is not on the ref, with the workflows that are', async () => {
    const error = await failure(dispatchWorkflow(plainClient(github), base({ workflow: 'step-id.yml', ref: 'release', inputs: {} })));
    expect(error.kind).toBe('not-found');
    expect(error.details.workflows).toEqual(['promote-qa.yml']);
  });

  it('not-found for an unknown ref', async () => {
    const error = await failure(dispatchWorkflow(plainClient(github), base({ ref: 'nope' })));
    expect(error.kind).toBe('not-found');
    expect(error.message).toMatch(/^Ref 'nope' was not found/);
  });

  it('invalid-inputs naming the input and listing the declared ones', async () => {
    const error = await failure(dispatchWorkflow(client(github), base({ inputs: { artifact_version: 'v1', environment: 'prod' } })));
    expect(error.kind).toBe('invalid-inputs');
    expect(error.details.offendingInputs).toEqual(['environment']);
    expect(error.details.declaredInputs).toMatchObject({ environment: "environment (choice: qa, staging; default 'qa')" });
  });

  it('invalid-inputs naming a missing required input', async () => {
    const error = await failure(dispatchWorkflow(plainClient(github), base({ inputs: {} })));
    expect(error.message).toMatch(/\(offending: artifact_version\): Required input 'artifact_version' not provided/);
  });

  it('invalid-inputs for a workflow without workflow_dispatch', async () => {
    const error = await failure(dispatchWorkflow(plainClient(github), base({ workflow: 'ci.yml', inputs: {} })));
    expect(error.kind).toBe('invalid-inputs');
    expect(error.message).toMatch(/no workflow_dispatch trigger/);
  });

  it('invalid-inputs before any request for more than 25 inputs', async () => {
    const before = github.server.requests.length;
    const inputs = Object.fromEntries(Array.from({ length: 26 }, (_, i) => [`i${i}`, 'x']));
    expect((await failure(dispatchWorkflow(client(github), base({ inputs })))).kind).toBe('invalid-inputs');
    expect(github.server.requests.length).toBe(before);
  });
});

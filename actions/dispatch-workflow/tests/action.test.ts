import { afterAll, beforeAll, beforeEach, describe, expect, it } from '@jest/globals';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { runAction, startFakeGitHub, type ActionResult, type FakeGitHubApi } from '../../../packages/testing/src/index.js';
import { HIDDEN_ID, NO_ID, PROMOTE_QA, PUSH_ONLY, REPO, STEP_ID } from './fixtures.js';

const actionDir = join(dirname(fileURLToPath(import.meta.url)), '..');
let github: FakeGitHubApi;

beforeAll(async () => {
  github = await startFakeGitHub();
  github.workflows.addWorkflow(REPO, 'promote-qa.yml', PROMOTE_QA, { refs: ['main', 'release'] });
  github.workflows.addWorkflow(REPO, 'step-id.yml', STEP_ID);
  github.workflows.addWorkflow(REPO, 'no-id.yml', NO_ID);
  github.workflows.addWorkflow(REPO, 'hidden-id.yml', HIDDEN_ID);
  github.workflows.addWorkflow(REPO, 'ci.yml', PUSH_ONLY);
  github.server.addIdentity('ghs_actionsread', {
    login: 'github-actions[bot]',
    id: 41898282,
    type: 'Bot',
    access: 'write',
    installation: true,
    permissions: { actions: 'read', contents: 'read' },
  });
});
afterAll(() => github.stop());
beforeEach(() => {
  github.workflows.mode = 'github.com';
  github.workflows.runDelayMs = 0;
});

function dispatch(inputs: Record<string, string>, token = 'ghs_writetoken', timeoutMs = 60_000): Promise<ActionResult> {
  return runAction(actionDir, {
    timeoutMs,
    inputs: { token, 'poll-interval-seconds': '0.02', ...inputs },
    env: { ...github.server.env(token), GITHUB_REPOSITORY: REPO },
    secrets: [token],
  });
}

/** Polls until `find` returns something, for at most 20 s. */
async function until<T>(find: () => T | undefined): Promise<T> {
  const deadline = Date.now() + 20_000;
  for (;;) {
    const found = find();
    if (found !== undefined) return found;
    if (Date.now() > deadline) throw new Error('timed out waiting for the fake GitHub');
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
}

const runOf = (result: ActionResult) => github.workflows.run(Number(result.outputs['run-id']));

describe('on github.com (run details)', () => {
  it('dispatches with return_run_details and outputs exactly the run GitHub returned', async () => {
    const result = await dispatch({ workflow: 'promote-qa.yml', ref: 'main', inputs: 'artifact_version: 84fb588-20250120-143022' });
    expect(result.errors).toEqual([]);
    expect(result.exitCode).toBe(0);
    const run = runOf(result)!;
    expect(run.inputs.artifact_version).toBe('84fb588-20250120-143022');
    expect(github.workflows.dispatches.at(-1)!.body).toMatchObject({ ref: 'main', return_run_details: true });
    expect(result.outputs).toMatchObject({
      'run-url': `${github.url}/${REPO}/actions/runs/${run.id}`,
      'run-number': String(run.runNumber),
      method: 'run-details',
      status: 'queued',
      conclusion: '',
    });
    expect(result.stdout).toContain(`Run: ${github.url}/${REPO}/actions/runs/${run.id}`);
    expect(result.summary).toContain('Dispatched promote-qa.yml on main');
    expect(result.leakedSecrets).toEqual([]);
  });

  it('defaults the ref to the ref of this run and the repository to this one', async () => {
    const result = await runAction(actionDir, {
      inputs: { token: 'ghs_writetoken', workflow: 'promote-qa.yml', inputs: '{"artifact_version": "v2"}' },
      env: { ...github.server.env(), GITHUB_REPOSITORY: REPO, GITHUB_REF: 'refs/heads/release' },
    });
    expect(result.errors).toEqual([]);
    expect(runOf(result)!.headBranch).toBe('release');
  });

  it('refuses bad inputs together, naming each, before dispatching anything', async () => {
    const before = github.workflows.dispatches.length;
    const result = await dispatch({
      workflow: 'promote qa',
      inputs: 'a: [1, 2]',
      'wait-timeout-minutes': 'soon',
      correlation: 'newest',
      repository: 'nope',
    });
    expect(result.exitCode).not.toBe(0);
    expect(result.errors.join('\n')).toMatch(/Input 'workflow'.*promote-qa.yml/);
    expect(result.errors.join('\n')).toMatch(/Input 'inputs': 'a' is not a single value/);
    expect(result.errors.join('\n')).toMatch(/Input 'wait-timeout-minutes': 'soon' is not a number/);
    expect(result.errors.join('\n')).toMatch(/Input 'correlation': 'newest' is not one of: auto, run-details, distinct-id/);
    expect(result.errors.join('\n')).toMatch(/Input 'repository': 'nope' is not valid: expected owner\/name/);
    expect(github.workflows.dispatches.length).toBe(before);
    expect(result.summary).toMatch(/nothing dispatched: `workflow`, `repository`, `inputs`, `correlation`, `wait-timeout-minutes` invalid/);
  });
});

describe('on GitHub Enterprise Server 3.20 (no run details)', () => {
  beforeEach(() => {
    github.workflows.mode = 'ghes-3.20';
    github.workflows.runDelayMs = 300;
  });

  it('retries without return_run_details and finds the run by the distinct_id in its run name', async () => {
    const result = await dispatch({ workflow: 'promote-qa.yml', ref: 'main', inputs: 'artifact_version: v3' });
    expect(result.errors).toEqual([]);
    const run = runOf(result)!;
    expect(run.inputs.artifact_version).toBe('v3');
    expect(run.displayTitle).toContain(run.inputs.distinct_id);
    expect(result.outputs).toMatchObject({ method: 'correlation', 'run-url': `${github.url}/${REPO}/actions/runs/${run.id}` });
    const bodies = github.workflows.dispatches.slice(-2).map((d) => d.body as Record<string, unknown>);
    expect(bodies[0]).toMatchObject({ return_run_details: true });
    expect(bodies[1]).not.toHaveProperty('return_run_details');
    expect(result.stdout).toContain('GitHub Enterprise Server 3.20 or older');
  });

  it('finds the run by a step of its first job named after the distinct_id', async () => {
    const workflowId = github.workflows.workflows.find((w) => w.path.endsWith('step-id.yml'))!.id;
    const before = github.workflows.runs.length;
    const pending = dispatch({ workflow: 'step-id.yml', ref: 'main' });
    // Step names exist once the job runs: start it when it shows up.
    const started = await until(() => github.workflows.runs.slice(before).find((r) => r.workflowId === workflowId));
    github.workflows.setStage(started.id, { status: 'in_progress' });
    const result = await pending;
    expect(result.errors).toEqual([]);
    expect(result.outputs['run-id']).toBe(String(started.id));
    const run = runOf(result)!;
    expect(run.jobs[0].steps).toContain(run.inputs.distinct_id);
    expect(result.outputs.method).toBe('correlation');
  });

  // Ten runner processes start at once: on a busy machine that alone can take a minute, hence the wider bound.
  it('gives ten concurrent dispatches of the same workflow on the same ref ten different runs, each its own', async () => {
    const versions = Array.from({ length: 10 }, (_, i) => `concurrent-${i}`);
    const results = await Promise.all(
      versions.map((v) =>
        dispatch({ workflow: 'promote-qa.yml', ref: 'main', inputs: `artifact_version: ${v}` }, 'ghs_writetoken', 170_000),
      ),
    );
    for (const [i, result] of results.entries()) {
      expect(result.errors).toEqual([]);
      expect(runOf(result)!.inputs.artifact_version).toBe(versions[i]);
    }
    expect(new Set(results.map((r) => r.outputs['run-id'])).size).toBe(10);
  }, 180_000);

  it('says the run cannot be identified when the workflow declares no distinct_id, and outputs the runs page', async () => {
    const result = await dispatch({ workflow: 'no-id.yml', ref: 'main', inputs: 'version: v1' });
    expect(result.exitCode).toBe(0);
    expect(result.warnings.join('\n')).toMatch(/declares no distinct_id input.*run-name: \.\.\. \$\{\{ inputs\.distinct_id \}\}/);
    expect(result.outputs).toMatchObject({ 'run-id': '', method: 'correlation' });
    expect(result.outputs['run-url']).toBe(
      `${github.url}/${REPO}/actions/workflows/no-id.yml?query=event%3Aworkflow_dispatch%20branch%3Amain`,
    );
  });

  it('fails rather than guess when waiting for a run it cannot identify', async () => {
    const result = await dispatch({ workflow: 'hidden-id.yml', ref: 'main', wait: 'true', 'wait-timeout-minutes': '0.01' });
    expect(result.exitCode).not.toBe(0);
    expect(result.errors.join('\n')).toMatch(/no run carrying distinct_id .* appeared.*Cannot wait for an unidentified run/);
    expect(result.outputs['run-id']).toBe('');
  });
});

describe('errors, one line each with the fix', () => {
  it('401: a rejected token', async () => {
    github.server.addIdentity('ghp_expired', { login: 'x', id: 1, type: 'User', access: 'write' });
    github.server.identities.delete('ghp_expired');
    const result = await dispatch({ workflow: 'promote-qa.yml', ref: 'main', inputs: 'artifact_version: v1' }, 'ghp_expired');
    expect(result.errors).toEqual([
      expect.stringMatching(/^GitHub rejected the token \(401 Bad credentials\): pass a valid, unexpired token/),
    ]);
    expect(result.leakedSecrets).toEqual([]);
  });

  it('403: a token without actions: write', async () => {
    const result = await dispatch({ workflow: 'promote-qa.yml', ref: 'main', inputs: 'artifact_version: v1' }, 'ghs_actionsread');
    expect(result.errors).toEqual([
      expect.stringMatching(
        /may not dispatch workflows in octo-org\/pipeline-demo .*`permissions: actions: write`.*classic token with the `repo` scope/,
      ),
    ]);
  });

  it('403: a rate limit, told apart from a missing permission', async () => {
    github.server.injectFault({ method: 'POST', path: /dispatches$/, kind: 'primary-rate-limit', retryAfterSeconds: 0, times: 10 });
    try {
      const result = await dispatch({ workflow: 'promote-qa.yml', ref: 'main', inputs: 'artifact_version: v1' });
      expect(result.errors).toEqual([expect.stringMatching(/rate limit stopped the dispatch .*try again after the reset/)]);
    } finally {
      github.server.faults.length = 0;
    }
  });

  it('a secondary rate limit is waited out and the dispatch goes through once', async () => {
    const before = github.workflows.runs.length;
    github.server.injectFault({ method: 'POST', path: /dispatches$/, kind: 'secondary-rate-limit', retryAfterSeconds: 1 });
    const result = await dispatch({ workflow: 'promote-qa.yml', ref: 'main', inputs: 'artifact_version: v1' });
    expect(result.errors).toEqual([]);
    expect(github.workflows.runs.length).toBe(before + 1);
  });

  it('404: an unknown workflow, listing the workflows on that ref', async () => {
    const result = await dispatch({ workflow: 'promote-qa2.yml', ref: 'main' });
    expect(result.errors).toEqual([
      expect.stringMatching(
        /Workflow 'promote-qa2.yml' is not on ref 'main' .*the workflows there are ci.yml, hidden-id.yml, no-id.yml, promote-qa.yml, step-id.yml/,
      ),
    ]);
  });

  it('422: an undeclared input, named, with the declared inputs and their types', async () => {
    const result = await dispatch({ workflow: 'promote-qa.yml', ref: 'main', inputs: '{artifact_version: v1, artefact: x}' });
    const [error] = result.errors;
    expect(result.errors).toHaveLength(1);
    expect(error).toMatch(/rejected the inputs \(offending: artefact\)/);
    expect(error).toMatch(
      /artifact_version \(string; required\), environment \(choice: qa, staging; default 'qa'\), distinct_id \(string\)/,
    );
  });

  it('422: a workflow without a workflow_dispatch trigger', async () => {
    const result = await dispatch({ workflow: 'ci.yml', ref: 'main' });
    expect(result.errors).toEqual([expect.stringMatching(/has no workflow_dispatch trigger .*add `on: workflow_dispatch:`/)]);
  });
});

describe('waiting for the run', () => {
  const promoteQa = () => github.workflows.workflows.find((w) => w.path.endsWith('promote-qa.yml'))!;
  afterAll(() => {
    promoteQa().lifecycle = undefined;
  });

  it('follows a run that succeeds: a line per change, the run URL first, the jobs in the summary', async () => {
    promoteQa().lifecycle = undefined;
    const result = await dispatch({ workflow: 'promote-qa.yml', ref: 'main', inputs: 'artifact_version: v5', wait: 'true' });
    expect(result.errors).toEqual([]);
    expect(result.outputs).toMatchObject({ status: 'completed', conclusion: 'success' });
    const lines = result.stdout.split('\n').filter((l) => /^Run[: #]/.test(l));
    expect(lines[0]).toMatch(/^Run: http/);
    const number = result.outputs['run-number'];
    expect(lines.slice(1)).toEqual([
      `Run #${number} queued`,
      `Run #${number} in_progress: job 'Promote', step 'Set up job'`,
      `Run #${number} in_progress: job 'Promote', step 'Run actions/checkout@v4'`,
      `Run #${number} in_progress: job 'Promote', step 'Promote artifact'`,
      `Run #${number} in_progress: job 'Promote', step 'Complete job'`,
      `Run #${number} in_progress: job 'Verify', step 'Set up job'`,
      `Run #${number} in_progress: job 'Verify', step 'Smoke test'`,
      `Run #${number} in_progress: job 'Verify', step 'Complete job'`,
      `Run #${number} completed: success`,
      `Run #${number} concluded success.`,
    ]);
    expect(result.summary).toMatch(/\| \[Promote\]\(http[^)]+\/job\/\d+\) \| success \|/);
    expect(result.summary).toMatch(/\| \[Verify\]\(http[^)]+\) \| success \|/);
  });

  it('fails the step on a failed run with an error naming the failed job and its URL', async () => {
    promoteQa().lifecycle = [
      { status: 'queued' },
      { status: 'in_progress', job: 'Verify', step: 'Smoke test' },
      { status: 'completed', conclusion: 'failure', job: 'Verify', step: 'Smoke test' },
    ];
    const result = await dispatch({ workflow: 'promote-qa.yml', ref: 'main', inputs: 'artifact_version: v6', wait: 'true' });
    const run = runOf(result)!;
    expect(result.exitCode).not.toBe(0);
    expect(result.outputs).toMatchObject({ status: 'completed', conclusion: 'failure' });
    expect(result.errors[0]).toBe(
      `Job 'Verify' of run #${run.runNumber} ended failure: ${github.url}/${REPO}/actions/runs/${run.id}/job/${run.jobs[1].id}`,
    );
    expect(result.errors[1]).toMatch(/concluded failure/);
    expect(result.summary).toMatch(/\| \[Promote\]\([^)]+\) \| success \|[\s\S]*\| \[Verify\]\([^)]+\) \| failure \|/);
  });

  it('only warns on a failed run when fail-on-conclusion is false', async () => {
    promoteQa().lifecycle = [{ status: 'queued' }, { status: 'completed', conclusion: 'failure' }];
    const result = await dispatch({
      workflow: 'promote-qa.yml',
      ref: 'main',
      inputs: 'artifact_version: v6',
      wait: 'true',
      'fail-on-conclusion': 'false',
    });
    expect(result.exitCode).toBe(0);
    expect(result.warnings.join('\n')).toMatch(/concluded failure.*fail-on-conclusion is false/);
  });

  it('fails the step on a cancelled run', async () => {
    promoteQa().lifecycle = [
      { status: 'queued' },
      { status: 'in_progress', job: 'Promote' },
      { status: 'completed', conclusion: 'cancelled', job: 'Promote' },
    ];
    const result = await dispatch({ workflow: 'promote-qa.yml', ref: 'main', inputs: 'artifact_version: v7', wait: 'true' });
    expect(result.exitCode).not.toBe(0);
    expect(result.outputs.conclusion).toBe('cancelled');
    expect(result.errors.join('\n')).toMatch(/Job 'Promote' of run #\d+ ended cancelled/);
    expect(result.summary).toMatch(/\| \[Verify\]\([^)]+\) \| skipped \|/);
  });

  it('times out on a run that never starts, saying it never left the queue', async () => {
    promoteQa().lifecycle = [{ status: 'queued' }];
    const result = await dispatch({
      workflow: 'promote-qa.yml',
      ref: 'main',
      inputs: 'artifact_version: v8',
      wait: 'true',
      'wait-timeout-minutes': '0.01',
    });
    expect(result.exitCode).not.toBe(0);
    expect(result.outputs).toMatchObject({ status: 'queued', conclusion: '' });
    expect(result.errors).toEqual([
      expect.stringMatching(/never started within 0.01 minutes \(still queued\): check that a runner matches its runs-on labels/),
    ]);
  });
});

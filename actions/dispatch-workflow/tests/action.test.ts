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

function dispatch(inputs: Record<string, string>, token = 'ghs_writetoken'): Promise<ActionResult> {
  return runAction(actionDir, {
    inputs: { token, 'poll-interval-seconds': '0.02', ...inputs },
    env: { ...github.server.env(token), GITHUB_REPOSITORY: REPO },
    secrets: [token],
  });
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
  });
});

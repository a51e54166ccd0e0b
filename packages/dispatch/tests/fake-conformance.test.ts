import { afterAll, beforeAll, expect, it } from '@jest/globals';
import { checkResponse } from '../../testing/src/github/openapi-check.js';
import type { FakeGitHubApi } from '../../testing/src/github/index.js';
import { NAME, OWNER, REPO, client, startWithWorkflows } from './fake.js';

let github: FakeGitHubApi;
beforeAll(async () => {
  github = await startWithWorkflows();
  github.server.recordResponses = true;
});
afterAll(() => github.stop());

it("answers the workflow, dispatch, run, job and contents endpoints in GitHub's documented shapes", async () => {
  const o = { owner: OWNER, repo: NAME };
  const octokit = client(github);
  await octokit.rest.repos.get(o);
  await octokit.rest.actions.listRepoWorkflows(o);
  await octokit.rest.actions.getWorkflow({ ...o, workflow_id: 'promote-qa.yml' });
  const dispatched = await octokit.request('POST /repos/{owner}/{repo}/actions/workflows/{workflow_id}/dispatches', {
    ...o,
    workflow_id: 'promote-qa.yml',
    ref: 'main',
    inputs: { artifact_version: 'v1' },
    return_run_details: true,
  });
  const runId = (dispatched.data as { workflow_run_id: number }).workflow_run_id;
  await octokit.rest.actions.createWorkflowDispatch({
    ...o,
    workflow_id: 'promote-qa.yml',
    ref: 'main',
    inputs: { artifact_version: 'v2' },
  });
  for (let i = 0; i < 4; i++) {
    await octokit.rest.actions.getWorkflowRun({ ...o, run_id: runId });
    await octokit.rest.actions.listJobsForWorkflowRun({ ...o, run_id: runId });
  }
  github.workflows.setStage(runId, { status: 'completed', conclusion: 'failure', job: 'Verify' });
  await octokit.rest.actions.listJobsForWorkflowRun({ ...o, run_id: runId });
  await octokit.rest.actions.listWorkflowRuns({
    ...o,
    workflow_id: 'promote-qa.yml',
    branch: 'main',
    event: 'workflow_dispatch',
    per_page: 1,
  });
  await octokit.rest.actions.listWorkflowRunsForRepo({ ...o, created: '>=2020-01-01T00:00:00Z' });
  await octokit.rest.repos.getContent({ ...o, path: '.github/workflows/promote-qa.yml', ref: 'main' });
  await octokit.rest.repos.getContent({ ...o, path: '.github/workflows', ref: 'release' });
  await octokit.rest.repos.getContent({ ...o, path: '.github', ref: 'main' });
  await octokit.rest.repos.getContent({ ...o, path: 'nope.txt' }).catch(() => undefined);

  const problems = github.server.responses.flatMap((r) => checkResponse(r.method, r.path, r.status, r.body));
  expect(github.server.responses.length).toBeGreaterThanOrEqual(18);
  expect(problems).toEqual([]);
  expect(REPO).toBe(`${OWNER}/${NAME}`);
});

it('pages the runs newest first, filtered by branch and creation time', async () => {
  const octokit = client(github);
  const o = { owner: OWNER, repo: NAME };
  const all = await octokit.paginate(octokit.rest.actions.listWorkflowRuns, { ...o, workflow_id: 'promote-qa.yml', per_page: 1 });
  expect(all.length).toBe(github.workflows.runs.length);
  expect(all.map((r) => r.id)).toEqual([...github.workflows.runs].reverse().map((r) => r.id));
  const future = await octokit.rest.actions.listWorkflowRuns({ ...o, workflow_id: 'promote-qa.yml', created: '>=2999-01-01T00:00:00Z' });
  expect(future.data.total_count).toBe(0);
  const release = await octokit.rest.actions.listWorkflowRuns({ ...o, workflow_id: 'promote-qa.yml', branch: 'release' });
  expect(release.data.total_count).toBe(0);
});

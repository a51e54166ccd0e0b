import { afterAll, beforeAll, beforeEach, describe, expect, it } from '@jest/globals';
import { createOctokit } from '../../kit/src/github.js';
import { DEFAULT_REPOSITORY } from '../src/harness.js';
import { checkResponse } from '../src/github/openapi-check.js';
import { startFakeGitHub, type FakeGitHubApi } from '../src/github/index.js';

const [owner, repo] = DEFAULT_REPOSITORY.split('/');
const o = { owner, repo };
const DEPLOY = `name: Deploy
run-name: Deploy \${{ inputs.version }} \${{ inputs.distinct_id }}
on:
  workflow_dispatch:
    inputs:
      version: {type: string, required: true}
      env: {type: choice, options: [qa, prod], default: qa}
      distinct_id: {type: string}
jobs:
  build:
    name: Build
    runs-on: ubuntu-latest
    steps:
      - uses: actions/checkout@v4
      - name: Compile \${{ inputs.version }}
        run: make
  ship:
    runs-on: ubuntu-latest
    steps:
      - run: ./ship
`;

let gh: FakeGitHubApi;
beforeAll(async () => {
  gh = await startFakeGitHub();
  gh.workflows.addWorkflow(DEFAULT_REPOSITORY, 'deploy.yml', DEPLOY, { refs: ['main', 'v1.0.0'] });
  gh.workflows.addWorkflow(DEFAULT_REPOSITORY, 'ci.yml', 'name: CI\non: push\njobs: {t: {runs-on: x, steps: [{run: a}]}}\n');
});
afterAll(() => gh.stop());
beforeEach(() => {
  gh.workflows.mode = 'github.com';
  gh.workflows.runDelayMs = 0;
});

const dispatch = (body: Record<string, unknown>, workflow = 'deploy.yml') =>
  fetch(`${gh.url}/repos/${DEFAULT_REPOSITORY}/actions/workflows/${workflow}/dispatches`, {
    method: 'POST',
    headers: { authorization: 'token ghs_writetoken', 'content-type': 'application/json' },
    body: JSON.stringify(body),
  });

describe('workflow_dispatch as github.com answers it', () => {
  it('gives run details with return_run_details and 204 without', async () => {
    const withDetails = await dispatch({ ref: 'main', inputs: { version: '1' }, return_run_details: true });
    expect(withDetails.status).toBe(200);
    const details = (await withDetails.json()) as { workflow_run_id: number; html_url: string };
    expect(details.html_url).toBe(`${gh.url}/${DEFAULT_REPOSITORY}/actions/runs/${details.workflow_run_id}`);
    expect(gh.workflows.run(details.workflow_run_id)).toMatchObject({
      headBranch: 'main',
      displayTitle: 'Deploy 1 ',
      inputs: { env: 'qa' },
    });
    expect((await dispatch({ ref: 'refs/tags/v1.0.0', inputs: { version: '2' } })).status).toBe(204);
    expect(gh.workflows.runs.at(-1)!.headBranch).toBe('v1.0.0');
  });

  it.each([
    [{ ref: 'main', inputs: { version: '1', nope: 'x' } }, 'deploy.yml', 422, 'Unexpected inputs provided: ["nope"]'],
    [{ ref: 'main', inputs: {} }, 'deploy.yml', 422, "Required input 'version' not provided"],
    [
      { ref: 'main', inputs: { version: '1', env: 'dev' } },
      'deploy.yml',
      422,
      "Provided value 'dev' for input 'env' not in the list of allowed values",
    ],
    [{ ref: 'nope' }, 'deploy.yml', 422, 'No ref found for: nope'],
    [{ ref: 'main' }, 'missing.yml', 404, 'Not Found'],
    [{ ref: 'main' }, 'ci.yml', 422, "Workflow does not have 'workflow_dispatch' trigger"],
  ])('refuses %j on %s with %i', async (body, workflow, status, message) => {
    const before = gh.workflows.runs.length;
    const response = await dispatch(body, workflow);
    expect(response.status).toBe(status);
    expect(((await response.json()) as { message: string }).message).toBe(message);
    expect(gh.workflows.runs.length).toBe(before);
  });
});

describe('workflow_dispatch as GitHub Enterprise Server 3.20 answers it', () => {
  it('refuses return_run_details, accepts the dispatch without it, and lists the run only after the delay', async () => {
    gh.workflows.mode = 'ghes-3.20';
    gh.workflows.runDelayMs = 60_000;
    const refused = await dispatch({ ref: 'main', inputs: { version: '1' }, return_run_details: true });
    expect(refused.status).toBe(422);
    expect(((await refused.json()) as { message: string }).message).toMatch(/"return_run_details" is not a permitted key/);
    expect((await dispatch({ ref: 'main', inputs: { version: '3' } })).status).toBe(204);
    const run = gh.workflows.runs.at(-1)!;
    const octokit = createOctokit('ghs_writetoken', { baseUrl: gh.url });
    const listed = await octokit.rest.actions.listWorkflowRuns({ ...o, workflow_id: 'deploy.yml' });
    expect(listed.data.workflow_runs.map((r) => r.id)).not.toContain(run.id);
    run.visibleAt = Date.now();
    const later = await octokit.rest.actions.listWorkflowRuns({ ...o, workflow_id: 'deploy.yml' });
    expect(later.data.workflow_runs[0].id).toBe(run.id);
  });
});

describe('runs and jobs', () => {
  it('moves a run through its lifecycle one read at a time, with job and step states', async () => {
    const response = await dispatch({ ref: 'main', inputs: { version: '4' }, return_run_details: true });
    const { workflow_run_id: runId } = (await response.json()) as { workflow_run_id: number };
    gh.workflows.run(runId)!.stages = [
      { status: 'queued' },
      { status: 'in_progress', job: 'Build', step: 'Compile 4' },
      { status: 'completed', conclusion: 'failure', job: 'Build', step: 'Compile 4' },
    ];
    const octokit = createOctokit('ghs_writetoken', { baseUrl: gh.url });
    const read = async () => {
      const run = await octokit.rest.actions.getWorkflowRun({ ...o, run_id: runId });
      const jobs = await octokit.rest.actions.listJobsForWorkflowRun({ ...o, run_id: runId });
      return {
        run: [run.data.status, run.data.conclusion],
        jobs: jobs.data.jobs.map((j) => [j.name, j.status, j.conclusion, j.steps?.map((s) => s.status)]),
      };
    };
    expect(await read()).toEqual({
      run: ['queued', null],
      jobs: [
        ['Build', 'queued', null, []],
        ['ship', 'queued', null, []],
      ],
    });
    expect(await read()).toEqual({
      run: ['in_progress', null],
      jobs: [
        ['Build', 'in_progress', null, ['completed', 'completed', 'in_progress', 'queued']],
        ['ship', 'queued', null, []],
      ],
    });
    expect(await read()).toEqual({
      run: ['completed', 'failure'],
      jobs: [
        ['Build', 'completed', 'failure', ['completed', 'completed', 'completed', 'completed']],
        ['ship', 'completed', 'skipped', ['completed', 'completed', 'completed']],
      ],
    });
  });

  it('pages the runs newest first and filters them by branch, event and creation time', async () => {
    const octokit = createOctokit('ghs_writetoken', { baseUrl: gh.url });
    const all = await octokit.paginate(octokit.rest.actions.listWorkflowRuns, { ...o, workflow_id: 'deploy.yml', per_page: 1 });
    const visible = gh.workflows.runs.filter((r) => r.visibleAt <= Date.now());
    expect(all.map((r) => r.id)).toEqual([...visible].reverse().map((r) => r.id));
    const tag = await octokit.rest.actions.listWorkflowRunsForRepo({ ...o, branch: 'v1.0.0', event: 'workflow_dispatch' });
    expect(tag.data.workflow_runs.map((r) => r.head_branch)).toEqual(['v1.0.0']);
    const future = await octokit.rest.actions.listWorkflowRuns({ ...o, workflow_id: 'deploy.yml', created: '>=2999-01-01T00:00:00Z' });
    expect(future.data.total_count).toBe(0);
  });

  it('lets a test drive a run by hand', async () => {
    const run = gh.workflows.runs[0];
    gh.workflows.setStage(run.id, { status: 'completed', conclusion: 'cancelled' });
    const octokit = createOctokit('ghs_writetoken', { baseUrl: gh.url });
    expect((await octokit.rest.actions.getWorkflowRun({ ...o, run_id: run.id })).data.conclusion).toBe('cancelled');
  });
});

describe('contents', () => {
  it('serves the workflow file on a ref as base64, the directory as a listing, and 404s for unknown refs', async () => {
    const octokit = createOctokit('ghs_writetoken', { baseUrl: gh.url });
    const file = await octokit.rest.repos.getContent({ ...o, path: '.github/workflows/deploy.yml', ref: 'v1.0.0' });
    expect(Buffer.from((file.data as { content: string }).content, 'base64').toString()).toBe(DEPLOY);
    const dir = await octokit.rest.repos.getContent({ ...o, path: '.github/workflows' });
    expect((dir.data as { name: string }[]).map((e) => e.name)).toEqual(['ci.yml', 'deploy.yml']);
    await expect(octokit.rest.repos.getContent({ ...o, path: '.github/workflows', ref: 'gone' })).rejects.toMatchObject({
      status: 404,
      message: expect.stringContaining('No commit found for the ref gone'),
    });
  });
});

it("answers every workflow, run, job and contents endpoint in GitHub's documented shapes", async () => {
  gh.server.recordResponses = true;
  gh.server.responses.length = 0;
  const octokit = createOctokit('ghs_writetoken', { baseUrl: gh.url });
  await octokit.rest.repos.get(o);
  await octokit.rest.actions.listRepoWorkflows(o);
  await octokit.rest.actions.getWorkflow({ ...o, workflow_id: 'deploy.yml' });
  const dispatched = await octokit.request('POST /repos/{owner}/{repo}/actions/workflows/{workflow_id}/dispatches', {
    ...o,
    workflow_id: 'deploy.yml',
    ref: 'main',
    inputs: { version: '5' },
    return_run_details: true,
  });
  const runId = (dispatched.data as { workflow_run_id: number }).workflow_run_id;
  for (let i = 0; i < 4; i++) {
    await octokit.rest.actions.getWorkflowRun({ ...o, run_id: runId });
    await octokit.rest.actions.listJobsForWorkflowRun({ ...o, run_id: runId });
  }
  gh.workflows.setStage(runId, { status: 'completed', conclusion: 'failure', job: 'ship' });
  await octokit.rest.actions.listJobsForWorkflowRun({ ...o, run_id: runId });
  await octokit.rest.actions.listWorkflowRuns({ ...o, workflow_id: 'deploy.yml', branch: 'main', per_page: 2 });
  await octokit.rest.actions.listWorkflowRunsForRepo({ ...o, created: '>=2020-01-01T00:00:00Z' });
  await octokit.rest.repos.getContent({ ...o, path: '.github/workflows/deploy.yml', ref: 'main' });
  await octokit.rest.repos.getContent({ ...o, path: '.github/workflows' });
  await octokit.rest.repos.getContent({ ...o, path: '.github' });
  await octokit.rest.repos.getContent({ ...o, path: 'nope.txt' }).catch(() => undefined);
  const problems = gh.server.responses.flatMap((r) => checkResponse(r.method, r.path, r.status, r.body));
  expect(gh.server.responses.length).toBeGreaterThanOrEqual(18);
  expect(problems).toEqual([]);
});

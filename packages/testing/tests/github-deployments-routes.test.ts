import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { createOctokit } from '../../kit/src/github.js';
import { checkResponse } from '../src/github/openapi-check.js';
import { DEFAULT_REPOSITORY } from '../src/harness.js';
import { startFakeGitHub, type FakeGitHubApi } from '../src/github/index.js';

const o = { owner: 'octo-org', repo: 'pipeline-demo' };
let github: FakeGitHubApi;
let octokit: ReturnType<typeof createOctokit>;

beforeAll(async () => {
  github = await startFakeGitHub();
  github.server.recordResponses = true;
  octokit = createOctokit('ghs_writetoken', { baseUrl: github.url });
});
afterAll(() => github.stop());

const create = (sha: string, environment: string, task = 'deploy:api') =>
  octokit.rest.repos.createDeployment({
    ...o,
    ref: sha,
    environment,
    task,
    auto_merge: false,
    required_contexts: [],
    payload: { version: sha.slice(0, 7) },
  });

describe('fake GitHub deployments', () => {
  it('lists deployments newest first, filtered by environment, sha, ref and task', async () => {
    const [a, b, c] = ['a', 'b', 'c'].map((x) => x.repeat(40));
    const first = await create(a, 'qa');
    await create(b, 'qa');
    await create(c, 'prod');
    await create(c, 'qa', 'deploy:worker');
    const qa = await octokit.rest.repos.listDeployments({ ...o, environment: 'qa', task: 'deploy:api' });
    expect(qa.data.map((d) => d.sha)).toEqual([b, a]);
    expect((await octokit.rest.repos.listDeployments({ ...o, sha: c })).data.map((d) => d.environment)).toEqual(['qa', 'prod']);
    expect((await octokit.rest.repos.listDeployments({ ...o, ref: a })).data).toHaveLength(1);
    expect((await octokit.rest.repos.getDeployment({ ...o, deployment_id: 'id' in first.data ? first.data.id : 0 })).data.payload).toEqual({
      version: 'aaaaaaa',
    });
  });

  it('paginates with Link headers', async () => {
    const page = await octokit.rest.repos.listDeployments({ ...o, per_page: 2 });
    expect(page.data).toHaveLength(2);
    expect(page.headers.link).toContain('rel="next"');
    expect(await octokit.paginate(octokit.rest.repos.listDeployments, { ...o, per_page: 2 })).toHaveLength(4);
  });

  it('keeps statuses newest first and marks older deployments inactive unless auto_inactive is false', async () => {
    const [old, next] = github.deployments
      .list(DEFAULT_REPOSITORY, 'qa')
      .filter((d) => d.task === 'deploy:api')
      .reverse();
    await octokit.rest.repos.createDeploymentStatus({
      ...o,
      deployment_id: old.id,
      state: 'success',
      log_url: 'https://example.com/run/1',
    });
    await octokit.rest.repos.createDeploymentStatus({
      ...o,
      deployment_id: next.id,
      state: 'in_progress',
      log_url: 'https://example.com/run/2',
      auto_inactive: false,
    });
    await octokit.rest.repos.createDeploymentStatus({
      ...o,
      deployment_id: next.id,
      state: 'success',
      log_url: 'https://example.com/run/2',
      auto_inactive: false,
    });
    expect((await octokit.rest.repos.listDeploymentStatuses({ ...o, deployment_id: next.id })).data.map((s) => s.state)).toEqual([
      'success',
      'in_progress',
    ]);
    expect(old.statuses.at(-1)?.state).toBe('success');
    await octokit.rest.repos.createDeploymentStatus({
      ...o,
      deployment_id: next.id,
      state: 'success',
      log_url: 'https://example.com/run/3',
    });
    expect(old.statuses.at(-1)?.state).toBe('inactive');
    const bad = await octokit.rest.repos
      .createDeploymentStatus({ ...o, deployment_id: next.id, state: 'done' as 'success' })
      .catch((e: { status: number }) => e);
    expect((bad as { status: number }).status).toBe(422);
    const missing = await octokit.rest.repos.getDeployment({ ...o, deployment_id: 999_999 }).catch((e: { status: number }) => e);
    expect((missing as { status: number }).status).toBe(404);
  });

  it('answers in the shapes of GitHub OpenAPI description', () => {
    const problems = github.server.responses.flatMap((r) => checkResponse(r.method, r.path, r.status, r.body));
    expect(github.server.responses.length).toBeGreaterThanOrEqual(15);
    expect(problems).toEqual([]);
  });

  it('needs deployments: write for a job token that has only contents: write', async () => {
    github.server.addIdentity('ghs_contentsonly', {
      login: 'github-actions[bot]',
      id: 41898282,
      type: 'Bot',
      access: 'write',
      installation: true,
      permissions: { contents: 'write' },
    });
    const limited = createOctokit('ghs_contentsonly', { baseUrl: github.url, retries: 0 });
    const refused = await limited.rest.repos
      .createDeployment({ ...o, ref: 'a'.repeat(40), environment: 'qa', required_contexts: [] })
      .catch((e: { status: number }) => e);
    expect((refused as { status: number }).status).toBe(403);
  });
});

import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { createOctokit } from '../../kit/src/github.js';
import { startFakeGitHub, type FakeGitHubApi } from '../src/github/index.js';
import { checkResponse } from '../src/github/openapi-check.js';

const o = { owner: 'octo-org', repo: 'pipeline-demo' };
const sha = 'b'.repeat(40);

describe('fake GitHub: commit statuses, check runs, minimizeComment', () => {
  let github: FakeGitHubApi;
  beforeAll(async () => {
    github = await startFakeGitHub();
    github.server.recordResponses = true;
  });
  afterAll(() => github.stop());

  it('answers statuses, the combined status and check runs in the documented shapes', async () => {
    const octokit = createOctokit('ghs_writetoken', { baseUrl: github.url });
    await octokit.rest.repos.createCommitStatus({
      ...o,
      sha,
      state: 'pending',
      context: 'd/ci',
      description: 'Running',
      target_url: 'https://x.test/1',
    });
    await octokit.rest.repos.createCommitStatus({ ...o, sha, state: 'success', context: 'd/ci', description: 'Success' });
    await octokit.rest.repos.createCommitStatus({ ...o, sha, state: 'failure', context: 'd/plan' });
    const list = await octokit.rest.repos.listCommitStatusesForRef({ ...o, ref: sha, per_page: 100 });
    expect(list.data.map((s) => [s.context, s.state])).toEqual([
      ['d/plan', 'failure'],
      ['d/ci', 'success'],
      ['d/ci', 'pending'],
    ]);
    const combined = await octokit.rest.repos.getCombinedStatusForRef({ ...o, ref: sha });
    expect(combined.data.state).toBe('failure');
    expect(combined.data.statuses.map((s) => s.state).sort()).toEqual(['failure', 'success']);
    const run = await octokit.rest.checks.create({ ...o, name: 'd/ci', head_sha: sha, status: 'in_progress', external_id: '{"r":1}' });
    await octokit.rest.checks.update({
      ...o,
      check_run_id: run.data.id,
      conclusion: 'skipped',
      output: { title: 'Skipped', summary: 's', text: 't' },
    });
    const runs = await octokit.rest.checks.listForRef({ ...o, ref: sha });
    expect(runs.data.check_runs[0]).toMatchObject({ status: 'completed', conclusion: 'skipped', external_id: '{"r":1}' });
    const problems = github.server.responses.flatMap((r) => checkResponse(r.method, r.path, r.status, r.body));
    expect(github.server.responses.length).toBe(8);
    expect(problems).toEqual([]);
  });

  it('refuses a description over 140 characters and the 1,001st status of a context, as GitHub does', async () => {
    const octokit = createOctokit('ghs_writetoken', { baseUrl: github.url, retries: 0 });
    const long = octokit.rest.repos.createCommitStatus({ ...o, sha, state: 'success', context: 'd/x', description: 'x'.repeat(141) });
    await expect(long).rejects.toMatchObject({ status: 422 });
    const other = 'c'.repeat(40);
    for (let i = 0; i < 1000; i++) {
      github.statuses.statuses.push({ ...github.statuses.statuses[0], id: 10_000_000 + i, sha: other, context: 'd/full' });
    }
    const full = octokit.rest.repos.createCommitStatus({ ...o, sha: other, state: 'success', context: 'd/full' });
    await expect(full).rejects.toMatchObject({ status: 422 });
  });

  it('minimizes a comment through GraphQL', async () => {
    const octokit = createOctokit('ghs_writetoken', { baseUrl: github.url });
    const c = await octokit.rest.issues.createComment({ ...o, issue_number: 3, body: 'x' });
    const res = await octokit.graphql<{ minimizeComment: { minimizedComment: { isMinimized: boolean } } }>(
      'mutation($id: ID!) { minimizeComment(input: {subjectId: $id, classifier: OUTDATED}) { minimizedComment { isMinimized } } }',
      { id: c.data.node_id },
    );
    expect(res.minimizeComment.minimizedComment.isMinimized).toBe(true);
    expect(github.statuses.minimized).toEqual([{ nodeId: c.data.node_id, classifier: 'OUTDATED', login: 'github-actions[bot]' }]);
  });
});

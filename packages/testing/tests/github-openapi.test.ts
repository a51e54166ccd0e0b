import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { checkResponse, findPathTemplate } from '../src/github/openapi-check.js';
import { createOctokit } from '../../kit/src/github.js';
import { startFakeGitHub, type FakeGitHubApi } from '../src/github/index.js';

describe('OpenAPI conformance checker', () => {
  it('finds the most specific path template', () => {
    expect(findPathTemplate('/repos/o/r/issues/comments/5', 'PATCH')).toBe('/repos/{owner}/{repo}/issues/comments/{comment_id}');
    expect(findPathTemplate('/repos/o/r/issues/7/comments', 'GET')).toBe('/repos/{owner}/{repo}/issues/{issue_number}/comments');
  });

  it('rejects a response that drifts from the documented shape', () => {
    const problems = checkResponse('GET', '/repos/o/r/issues/7/comments', 200, [{ id: 'not-a-number', body: 1 }]);
    expect(problems.length).toBeGreaterThan(0);
    expect(problems.join('\n')).toMatch(/must be integer|must have required property/);
  });

  it('rejects an undocumented status', () => {
    expect(checkResponse('GET', '/user', 418, {})[0]).toMatch(/status 418 is not documented/);
  });
});

describe('the fake GitHub API conforms to the OpenAPI description', () => {
  let github: FakeGitHubApi;
  beforeAll(async () => {
    github = await startFakeGitHub();
    github.server.recordResponses = true;
  });
  afterAll(() => github.stop());

  it('answers GET /user and error bodies in the documented shapes', async () => {
    await fetch(`${github.url}/user`, { headers: { authorization: 'token ghp_usertoken' } });
    await fetch(`${github.url}/user`, { headers: { authorization: 'token ghs_writetoken' } });
    const problems = github.server.responses.flatMap((r) => checkResponse(r.method, r.path, r.status, r.body));
    expect(github.server.responses.length).toBe(2);
    expect(problems).toEqual([]);
  });

  it('answers the issue, pull, commit comment and reaction endpoints in the documented shapes', async () => {
    const o = { owner: 'octo-org', repo: 'pipeline-demo' };
    const sha = 'a'.repeat(40);
    github.issues.addPull({ number: 5, headSha: sha });
    github.issues.seedIssueComment(5, 'a human comment');
    const octokit = createOctokit('ghs_writetoken', { baseUrl: github.url });
    const created = await octokit.rest.issues.createComment({ ...o, issue_number: 5, body: 'dashboard' });
    await octokit.rest.issues.listComments({ ...o, issue_number: 5, per_page: 100 });
    await octokit.rest.issues.getComment({ ...o, comment_id: created.data.id });
    await octokit.rest.issues.updateComment({ ...o, comment_id: created.data.id, body: 'dashboard v2' });
    await octokit.rest.reactions.createForIssueComment({ ...o, comment_id: created.data.id, content: 'eyes' });
    await octokit.rest.reactions.listForIssueComment({ ...o, comment_id: created.data.id });
    await octokit.rest.pulls.get({ ...o, pull_number: 5 });
    await octokit.rest.repos.listPullRequestsAssociatedWithCommit({ ...o, commit_sha: sha });
    const commitComment = await octokit.rest.repos.createCommitComment({ ...o, commit_sha: sha, body: 'dashboard' });
    await octokit.rest.repos.listCommentsForCommit({ ...o, commit_sha: sha });
    await octokit.rest.repos.updateCommitComment({ ...o, comment_id: commitComment.data.id, body: 'v2' });
    await octokit.rest.issues.getComment({ ...o, comment_id: 999_999 }).catch(() => undefined);
    const problems = github.server.responses.flatMap((r) => checkResponse(r.method, r.path, r.status, r.body));
    expect(github.server.responses.length).toBeGreaterThanOrEqual(12);
    expect(problems).toEqual([]);
  });

  it('answers the git ref, tag, commit and release endpoints in the documented shapes', async () => {
    github.server.responses.length = 0;
    const o = { owner: 'octo-org', repo: 'pipeline-demo' };
    const sha = github.git.addCommit('octo-org/pipeline-demo');
    const octokit = createOctokit('ghs_writetoken', { baseUrl: github.url });
    const tag = await octokit.rest.git.createTag({
      ...o,
      tag: 'build-84fb588-20250120-143022',
      message: '{"version":"84fb588-20250120-143022"}',
      object: sha,
      type: 'commit',
      tagger: { name: 'github-actions[bot]', email: '41898282+github-actions[bot]@users.noreply.github.com', date: '2025-01-20T14:30:22Z' },
    });
    await octokit.rest.git.createRef({ ...o, ref: 'refs/tags/build-84fb588-20250120-143022', sha: tag.data.sha });
    await octokit.rest.git.getRef({ ...o, ref: 'tags/build-84fb588-20250120-143022' });
    await octokit.rest.git.listMatchingRefs({ ...o, ref: 'tags/build-' });
    await octokit.rest.git.getTag({ ...o, tag_sha: tag.data.sha });
    await octokit.rest.git.getCommit({ ...o, commit_sha: sha });
    await octokit.rest.repos.getCommit({ ...o, ref: sha });
    const release = await octokit.rest.repos.createRelease({ ...o, tag_name: 'build-84fb588-20250120-143022', name: 'v', body: 'notes' });
    await octokit.rest.repos.getReleaseByTag({ ...o, tag: 'build-84fb588-20250120-143022' });
    await octokit.rest.repos.getRelease({ ...o, release_id: release.data.id });
    await octokit.rest.repos.listReleases({ ...o });
    await octokit.rest.git.getRef({ ...o, ref: 'tags/nope' }).catch(() => undefined);
    const problems = github.server.responses.flatMap((r) => checkResponse(r.method, r.path, r.status, r.body));
    expect(github.server.responses.length).toBeGreaterThanOrEqual(11);
    expect(problems).toEqual([]);
  });

  it('answers the workflow-run artifact endpoints in the documented shapes', async () => {
    github.server.responses.length = 0;
    const o = { owner: 'octo-org', repo: 'pipeline-demo' };
    const artifact = github.artifacts.addArtifact({
      name: 'service-api-84fb588-20250120-143022.tar.gz',
      content: Buffer.from('bytes'),
      runId: 1001,
    });
    const octokit = createOctokit('ghs_writetoken', { baseUrl: github.url });
    await octokit.rest.actions.listWorkflowRunArtifacts({ ...o, run_id: 1001 });
    await octokit.rest.actions.listArtifactsForRepo({ ...o });
    await octokit.rest.actions.getArtifact({ ...o, artifact_id: artifact.id });
    const problems = github.server.responses.flatMap((r) => checkResponse(r.method, r.path, r.status, r.body));
    expect(github.server.responses.length).toBe(3);
    expect(problems).toEqual([]);
  });
});

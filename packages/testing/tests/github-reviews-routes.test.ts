import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { checkResponse } from '../src/github/openapi-check.js';
import { startFakeGitHub, type FakeGitHubApi } from '../src/github/index.js';

const HEAD = 'a'.repeat(40);
const OLD = 'b'.repeat(40);

describe('GET and POST /repos/{owner}/{repo}/pulls/{pull_number}/reviews', () => {
  let github: FakeGitHubApi;
  beforeAll(async () => {
    github = await startFakeGitHub();
    github.server.recordResponses = true;
    github.issues.addPull({ number: 7, headSha: HEAD });
  });
  afterAll(() => github.stop());

  const call = async (method: string, path: string, body?: unknown, token = 'ghp_usertoken') => {
    const response = await fetch(`${github.url}/repos/octo-org/pipeline-demo/pulls/${path}`, {
      method,
      headers: { authorization: `token ${token}`, 'content-type': 'application/json' },
      body: body === undefined ? undefined : JSON.stringify(body),
    });
    return { status: response.status, body: (await response.json()) as Record<string, unknown> & Record<string, unknown>[] };
  };

  it('lists seeded reviews with their state and commit, oldest first', async () => {
    github.reviews.add({ pullNumber: 7, login: 'mona', state: 'APPROVED', commitId: OLD });
    github.reviews.add({ pullNumber: 7, login: 'hubot', state: 'CHANGES_REQUESTED', commitId: HEAD });
    const { status, body } = await call('GET', '7/reviews');
    expect(status).toBe(200);
    expect(body.map((r) => [(r.user as { login: string }).login, r.state, r.commit_id])).toEqual([
      ['mona', 'APPROVED', OLD],
      ['hubot', 'CHANGES_REQUESTED', HEAD],
    ]);
  });

  it('creates a review on the head by default; APPROVE becomes APPROVED', async () => {
    const { status, body } = await call('POST', '7/reviews', { event: 'APPROVE' });
    expect(status).toBe(200);
    expect(body).toMatchObject({ state: 'APPROVED', commit_id: HEAD, user: { login: 'octocat' } });
    const listed = (await call('GET', '7/reviews')).body;
    expect(listed.at(-1)).toMatchObject({ id: body.id, state: 'APPROVED' });
  });

  it('keeps a review without event PENDING and shows it to its author only', async () => {
    const { body } = await call('POST', '7/reviews', { commit_id: OLD, body: 'draft' });
    expect(body).toMatchObject({ state: 'PENDING', commit_id: OLD });
    expect((await call('GET', '7/reviews')).body.some((r) => r.id === body.id)).toBe(true);
    expect((await call('GET', '7/reviews', undefined, 'ghs_writetoken')).body.some((r) => r.id === body.id)).toBe(false);
  });

  it('refuses an unknown event, REQUEST_CHANGES without a body, and an unknown pull request', async () => {
    expect((await call('POST', '7/reviews', { event: 'MERGE' })).status).toBe(422);
    expect((await call('POST', '7/reviews', { event: 'REQUEST_CHANGES' })).status).toBe(422);
    expect((await call('GET', '99/reviews')).status).toBe(404);
    expect((await call('POST', '99/reviews', { event: 'APPROVE' })).status).toBe(404);
  });

  it('needs pull-requests permission on a job token', async () => {
    github.server.addIdentity('ghs_contentsonly', {
      login: 'github-actions[bot]',
      id: 41898282,
      type: 'Bot',
      access: 'write',
      installation: true,
      permissions: { contents: 'read' },
    });
    github.server.addIdentity('ghs_prread', {
      login: 'github-actions[bot]',
      id: 41898282,
      type: 'Bot',
      access: 'write',
      installation: true,
      permissions: { 'pull-requests': 'read' },
    });
    expect((await call('GET', '7/reviews', undefined, 'ghs_contentsonly')).status).toBe(403);
    expect((await call('GET', '7/reviews', undefined, 'ghs_prread')).status).toBe(200);
    expect((await call('POST', '7/reviews', { event: 'APPROVE' }, 'ghs_prread')).status).toBe(403);
  });

  // GitHub's description lists only the success answers of these paths (its 404 and the 403 of a token are real but undocumented).
  it('answers in the documented shape', () => {
    const answers = github.server.responses.filter((r) => r.status < 300);
    const problems = answers.flatMap((r) => checkResponse(r.method, r.path, r.status, r.body));
    expect(answers.length).toBeGreaterThanOrEqual(6);
    expect(problems).toEqual([]);
  });
});

import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { startFakeGitHub, type FakeGitHubApi } from '../src/github/index.js';

const REPO = '/repos/octo-org/pipeline-demo';

describe('fake GitHub: issue comments, commit comments, reactions and pulls', () => {
  let github: FakeGitHubApi;
  const call = async (method: string, path: string, body?: unknown, token = 'ghs_writetoken') => {
    const res = await fetch(`${github.url}${path}`, {
      method,
      headers: { authorization: `token ${token}`, 'content-type': 'application/json', accept: 'application/vnd.github+json' },
      body: body === undefined ? undefined : JSON.stringify(body),
    });
    const text = await res.text();
    return {
      status: res.status,
      link: res.headers.get('link') ?? '',
      json: text ? (JSON.parse(text) as Record<string, unknown> & unknown[]) : undefined,
    };
  };

  beforeAll(async () => {
    github = await startFakeGitHub();
  });
  afterAll(() => github.stop());

  it('creates, reads, updates and deletes an issue comment written as the token’s identity', async () => {
    const created = await call('POST', `${REPO}/issues/7/comments`, { body: 'hello' });
    expect(created.status).toBe(201);
    const c = created.json as unknown as Record<string, unknown>;
    expect(c).toMatchObject({
      body: 'hello',
      user: { login: 'github-actions[bot]', type: 'Bot', id: 41898282 },
      html_url: `${github.url}/octo-org/pipeline-demo/issues/7#issuecomment-${c.id}`,
      url: `${github.url}${REPO}/issues/comments/${c.id}`,
      issue_url: `${github.url}${REPO}/issues/7`,
      author_association: expect.any(String),
      node_id: expect.any(String),
    });
    expect(c.created_at).toMatch(/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ$/);
    const updated = await call('PATCH', `${REPO}/issues/comments/${c.id}`, { body: 'bye' });
    expect(updated.json).toMatchObject({ id: c.id, body: 'bye' });
    expect((await call('GET', `${REPO}/issues/comments/${c.id}`)).json).toMatchObject({ body: 'bye' });
    expect((await call('DELETE', `${REPO}/issues/comments/${c.id}`)).status).toBe(204);
    expect((await call('GET', `${REPO}/issues/comments/${c.id}`)).json).toMatchObject({ message: 'Not Found' });
    expect(github.issues.deleted).toContain(c.id);
  });

  it('lists comments oldest first with Link pagination, at most 100 a page', async () => {
    for (let i = 0; i < 250; i++) github.issues.seedIssueComment(8, `c${i}`);
    const first = await call('GET', `${REPO}/issues/8/comments?per_page=100`);
    expect(first.json).toHaveLength(100);
    expect((first.json as unknown as { body: string }[])[0].body).toBe('c0');
    expect(first.link).toContain('rel="next"');
    expect(first.link).toMatch(/page=3>; rel="last"/);
    const last = await call('GET', `${REPO}/issues/8/comments?per_page=100&page=3`);
    expect((last.json as unknown as { body: string }[]).map((c) => c.body)).toEqual(Array.from({ length: 50 }, (_, i) => `c${i + 200}`));
    expect(last.link).not.toContain('rel="next"');
  });

  it('refuses a body over 65,536 characters and a missing body with 422', async () => {
    const long = await call('POST', `${REPO}/issues/9/comments`, { body: 'x'.repeat(65_537) });
    expect(long.status).toBe(422);
    expect(long.json).toMatchObject({ message: 'Validation Failed', errors: [{ field: 'body', code: 'custom' }] });
    expect((await call('POST', `${REPO}/issues/9/comments`, { body: 'x'.repeat(65_536) })).status).toBe(201);
    expect((await call('POST', `${REPO}/issues/9/comments`, {})).status).toBe(422);
  });

  it('refuses writes from the read-only token with 403 and still serves reads', async () => {
    github.issues.seedIssueComment(10, 'seen');
    expect((await call('POST', `${REPO}/issues/10/comments`, { body: 'no' }, 'ghs_readonlytoken')).json).toMatchObject({
      message: 'Resource not accessible by integration',
    });
    expect((await call('GET', `${REPO}/issues/10/comments`, undefined, 'ghs_readonlytoken')).json).toHaveLength(1);
  });

  it('answers a new reaction with 201 and the same reaction again with 200', async () => {
    const c = github.issues.seedIssueComment(11, '/deploy');
    const first = await call('POST', `${REPO}/issues/comments/${c.id}/reactions`, { content: 'eyes' });
    const again = await call('POST', `${REPO}/issues/comments/${c.id}/reactions`, { content: 'eyes' });
    expect([first.status, again.status]).toEqual([201, 200]);
    expect(again.json).toMatchObject({ id: (first.json as unknown as { id: number }).id, content: 'eyes' });
    expect((await call('POST', `${REPO}/issues/comments/${c.id}/reactions`, { content: 'party' })).status).toBe(422);
    expect((await call('GET', `${REPO}/issues/comments/${c.id}`)).json).toMatchObject({ reactions: { eyes: 1, total_count: 1 } });
  });

  it('serves pull requests and the pulls of a commit', async () => {
    const sha = 'b'.repeat(40);
    github.issues.addPull({ number: 12, headSha: sha });
    github.issues.addPull({ number: 13, headSha: sha, state: 'closed' });
    expect((await call('GET', `${REPO}/pulls/12`)).json).toMatchObject({ number: 12, state: 'open', head: { sha, ref: 'feature-12' } });
    expect((await call('GET', `${REPO}/pulls/99`)).status).toBe(404);
    const pulls = (await call('GET', `${REPO}/commits/${sha}/pulls`)).json as unknown as { number: number }[];
    expect(pulls.map((p) => p.number)).toEqual([12, 13]);
    expect((await call('GET', `${REPO}/commits/${'c'.repeat(40)}/pulls`)).json).toEqual([]);
    const comment = github.issues.seedIssueComment(12, 'on a PR');
    expect((await call('GET', `${REPO}/issues/comments/${comment.id}`)).json).toMatchObject({
      html_url: `${github.url}/octo-org/pipeline-demo/pull/12#issuecomment-${comment.id}`,
    });
  });

  it('creates, lists, updates and deletes commit comments', async () => {
    const sha = 'd'.repeat(40);
    const created = await call('POST', `${REPO}/commits/${sha}/comments`, { body: 'dash' });
    expect(created.status).toBe(201);
    const id = (created.json as unknown as { id: number }).id;
    expect(created.json).toMatchObject({
      commit_id: sha,
      path: null,
      position: null,
      line: null,
      html_url: `${github.url}/octo-org/pipeline-demo/commit/${sha}#commitcomment-${id}`,
    });
    expect((await call('PATCH', `${REPO}/comments/${id}`, { body: 'dash 2' })).json).toMatchObject({ body: 'dash 2' });
    expect(((await call('GET', `${REPO}/commits/${sha}/comments`)).json as unknown as unknown[]).length).toBe(1);
    expect((await call('DELETE', `${REPO}/comments/${id}`)).status).toBe(204);
    expect(github.issues.commitComments(sha)).toEqual([]);
    // An issue comment id is not a commit comment.
    const issueComment = github.issues.seedIssueComment(14, 'x');
    expect((await call('GET', `${REPO}/comments/${issueComment.id}`)).status).toBe(404);
  });
});

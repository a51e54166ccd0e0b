import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { FakeGitHub, ghError, paginate } from '../src/github/server.js';

describe('FakeGitHub core', () => {
  const github = new FakeGitHub();
  const items = Array.from({ length: 75 }, (_, i) => ({ n: i + 1 }));
  github.route('GET', '/things', (req) => paginate(req, items));
  github.route('POST', '/things', () => ({ status: 201, body: { ok: true } }));
  github.route('GET', '/things/:id', (req) => (req.params.id === '1' ? { status: 200, body: items[0] } : ghError(404, 'Not Found')));
  const get = (path: string, token = 'ghs_writetoken', init: RequestInit = {}) =>
    fetch(`${github.url}${path}`, {
      ...init,
      headers: { authorization: `token ${token}`, 'content-type': 'application/json', ...(init.headers ?? {}) },
    });

  beforeAll(() => github.start());
  afterAll(() => github.stop());

  it('paginates with GitHub Link headers, per_page capped at 100', async () => {
    const first = await get('/things?per_page=30');
    expect(((await first.json()) as unknown[]).length).toBe(30);
    const link = first.headers.get('link') ?? '';
    expect(link).toContain('rel="next"');
    expect(link).toMatch(/page=3>; rel="last"/);
    const last = await get('/things?per_page=30&page=3');
    expect(((await last.json()) as unknown[]).length).toBe(15);
    expect(last.headers.get('link')).not.toContain('rel="next"');
    const big = await get('/things?per_page=500');
    expect(((await big.json()) as unknown[]).length).toBe(75);
  });

  it('answers unknown tokens with 401 Bad credentials', async () => {
    const res = await get('/things', 'nope');
    expect(res.status).toBe(401);
    expect(await res.json()).toMatchObject({ message: 'Bad credentials', documentation_url: expect.any(String) });
  });

  it('refuses writes from a read-only token with 403', async () => {
    const res = await get('/things', 'ghs_readonlytoken', { method: 'POST', body: '{}' });
    expect(res.status).toBe(403);
    expect(await res.json()).toMatchObject({ message: 'Resource not accessible by integration' });
  });

  it('answers 404 with an error body for unknown paths and ids', async () => {
    expect((await get('/nothing')).status).toBe(404);
    const res = await get('/things/2');
    expect(res.status).toBe(404);
    expect(await res.json()).toMatchObject({ message: 'Not Found' });
  });

  it('injects a secondary rate limit with retry-after, once', async () => {
    github.injectFault({ kind: 'secondary-rate-limit', path: /^\/things$/, retryAfterSeconds: 2 });
    const limited = await get('/things');
    expect(limited.status).toBe(403);
    expect(limited.headers.get('retry-after')).toBe('2');
    expect(((await limited.json()) as { message: string }).message).toMatch(/secondary rate limit/);
    expect((await get('/things')).status).toBe(200);
  });

  it('injects 5xx faults a number of times and records every request', async () => {
    const before = github.countRequests({ path: /^\/things\/1$/ });
    github.injectFault({ kind: 'status', status: 502, path: /^\/things\/1$/, times: 2 });
    expect((await get('/things/1')).status).toBe(502);
    expect((await get('/things/1')).status).toBe(502);
    expect((await get('/things/1')).status).toBe(200);
    expect(github.countRequests({ path: /^\/things\/1$/ }) - before).toBe(3);
  });

  it('answers GET /user with 403 for an installation token, as GitHub does', async () => {
    expect((await get('/user')).status).toBe(403);
    const user = await get('/user', 'ghp_usertoken');
    expect(await user.json()).toMatchObject({ login: 'octocat', type: 'User' });
  });
});

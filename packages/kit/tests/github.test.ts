import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { FakeGitHub } from '../../testing/src/github/server.js';
import { createOctokit, httpStatus } from '../src/github.js';

describe('createOctokit', () => {
  const github = new FakeGitHub();
  let calls = 0;
  github.route('GET', '/repos/:owner/:repo', (req) => {
    calls++;
    return { status: 200, body: { full_name: `${req.params.owner}/${req.params.repo}` } };
  });
  beforeAll(() => github.start());
  afterAll(() => github.stop());

  it('retries a 5xx and honours the base URL', async () => {
    github.injectFault({ kind: 'status', status: 502, path: /^\/repos\/o\/r$/ });
    const octokit = createOctokit('ghs_writetoken', { baseUrl: github.url });
    const { data } = await octokit.rest.repos.get({ owner: 'o', repo: 'r' });
    expect(data.full_name).toBe('o/r');
    expect(github.countRequests({ path: /^\/repos\/o\/r$/ })).toBe(2);
  });

  it('waits out a secondary rate limit and retries', async () => {
    github.injectFault({ kind: 'secondary-rate-limit', path: /^\/repos\/o\/s$/, retryAfterSeconds: 1 });
    const octokit = createOctokit('ghs_writetoken', { baseUrl: github.url });
    const started = Date.now();
    await octokit.rest.repos.get({ owner: 'o', repo: 's' });
    expect(Date.now() - started).toBeGreaterThanOrEqual(900);
    expect(calls).toBeGreaterThanOrEqual(2);
  });

  it('gives up on a 404 at once and exposes its status', async () => {
    const octokit = createOctokit('ghs_writetoken', { baseUrl: github.url });
    const before = github.countRequests({ path: /^\/nothing\/here$/ });
    const error = await octokit.request('GET /nothing/here').catch((e: unknown) => e);
    expect(httpStatus(error)).toBe(404);
    expect(github.countRequests({ path: /^\/nothing\/here$/ }) - before).toBe(1);
  });
});

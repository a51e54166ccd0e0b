import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { checkResponse, findPathTemplate } from '../src/github/openapi-check.js';
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
});

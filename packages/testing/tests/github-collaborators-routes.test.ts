import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { checkResponse } from '../src/github/openapi-check.js';
import { startFakeGitHub, type FakeGitHubApi } from '../src/github/index.js';

describe('GET /repos/{owner}/{repo}/collaborators/{username}/permission', () => {
  let github: FakeGitHubApi;
  beforeAll(async () => {
    github = await startFakeGitHub();
    github.server.recordResponses = true;
  });
  afterAll(() => github.stop());

  const get = async (login: string, repository = 'octo-org/pipeline-demo', token = 'ghs_writetoken') => {
    const response = await fetch(`${github.url}/repos/${repository}/collaborators/${encodeURIComponent(login)}/permission`, {
      headers: { authorization: `token ${token}` },
    });
    return { status: response.status, body: (await response.json()) as Record<string, unknown> };
  };

  it.each([
    ['admin', 'admin'],
    ['maintain', 'write'],
    ['write', 'write'],
    ['triage', 'read'],
    ['read', 'read'],
    ['none', 'none'],
  ] as const)('reports role %s with the legacy permission %s', async (role, legacy) => {
    github.collaborators.set(`user-${role}`, role);
    const { status, body } = await get(`User-${role.toUpperCase()}`);
    expect(status).toBe(200);
    expect(body).toMatchObject({ permission: legacy, role_name: role, user: { login: `user-${role}`, role_name: role } });
  });

  it('answers 404 for a login the repository does not know, and per repository', async () => {
    github.collaborators.set('mona', 'admin', 'octo-org/other');
    expect((await get('stranger')).status).toBe(404);
    expect((await get('mona')).status).toBe(404);
    expect((await get('mona', 'octo-org/other')).body.role_name).toBe('admin');
  });

  it('is readable with metadata: read only', async () => {
    github.server.addIdentity('ghs_metadataonly', {
      login: 'github-actions[bot]',
      id: 41898282,
      type: 'Bot',
      access: 'write',
      installation: true,
      permissions: { metadata: 'read' },
    });
    github.collaborators.set('octocat', 'write');
    expect((await get('octocat', 'octo-org/pipeline-demo', 'ghs_metadataonly')).status).toBe(200);
  });

  it('answers in the documented shape', () => {
    const problems = github.server.responses.flatMap((r) => checkResponse(r.method, r.path, r.status, r.body));
    expect(github.server.responses.length).toBeGreaterThanOrEqual(9);
    expect(problems).toEqual([]);
  });
});

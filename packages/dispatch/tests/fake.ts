import { createOctokit } from '../../kit/src/github.js';
import { startFakeGitHub, type FakeGitHubApi } from '../../testing/src/github/index.js';
import { HIDDEN_ID, NO_ID, PROMOTE_QA, PUSH_ONLY, REPO, STEP_ID } from '../../../actions/dispatch-workflow/tests/fixtures.js';

export { REPO };
export const [OWNER, NAME] = REPO.split('/');

/** The fake GitHub with the fixture workflows on main (promote-qa.yml also on release). */
export async function startWithWorkflows(): Promise<FakeGitHubApi> {
  const github = await startFakeGitHub();
  github.workflows.addWorkflow(REPO, 'promote-qa.yml', PROMOTE_QA, { refs: ['main', 'release'] });
  github.workflows.addWorkflow(REPO, 'step-id.yml', STEP_ID);
  github.workflows.addWorkflow(REPO, 'no-id.yml', NO_ID);
  github.workflows.addWorkflow(REPO, 'hidden-id.yml', HIDDEN_ID);
  github.workflows.addWorkflow(REPO, 'ci.yml', PUSH_ONLY);
  // A job with `permissions: actions: write` only: it may dispatch but not read the workflow files.
  github.server.addIdentity('ghs_actionsonly', {
    login: 'github-actions[bot]',
    id: 41898282,
    type: 'Bot',
    access: 'write',
    installation: true,
    permissions: { actions: 'write' },
  });
  github.server.addIdentity('ghs_actionsread', {
    login: 'github-actions[bot]',
    id: 41898282,
    type: 'Bot',
    access: 'write',
    installation: true,
    permissions: { actions: 'read', contents: 'read' },
  });
  return github;
}

/** A real Octokit (retry + throttling, as the action and the CLI use) against the fake. */
export function client(github: FakeGitHubApi, token = 'ghs_writetoken') {
  return createOctokit(token, { baseUrl: github.url, rateLimitRetries: 1 });
}

/**
 * A bare `request` on fetch, shaped like Octokit's (RequestError's status, response.data and headers), without
 * the throttling plugin, whose write queue is shared by every Octokit in a process (one POST a second): ten
 * callers in one test process would otherwise take ten seconds. The retry and throttling behaviour itself is
 * covered through createOctokit here and in the action's harness tests.
 */
export function plainClient(github: FakeGitHubApi, token = 'ghs_writetoken') {
  return {
    async request(route: string, parameters: Record<string, unknown> = {}) {
      const [method, template] = route.split(' ');
      const rest = { ...parameters };
      const path = template.replace(/\{(\w+)\}/g, (_m, key: string) => {
        const value = String(rest[key]);
        delete rest[key];
        return encodeURIComponent(value);
      });
      const url = new URL(path, github.url);
      const init: RequestInit = { method, headers: { authorization: `token ${token}`, 'content-type': 'application/json' } };
      if (method === 'GET') for (const [k, v] of Object.entries(rest)) url.searchParams.set(k, String(v));
      else init.body = JSON.stringify(rest);
      const response = await fetch(url, init);
      const text = await response.text();
      const data: unknown = text ? JSON.parse(text) : undefined;
      const headers = Object.fromEntries(response.headers);
      if (response.status >= 400) {
        const message = (data as { message?: string } | undefined)?.message ?? response.statusText;
        throw Object.assign(new Error(message), { status: response.status, response: { status: response.status, data, headers } });
      }
      return { status: response.status, data, headers };
    },
  };
}

// A job that names an environment creates a deployment of the run's commit to it, as GitHub does, with an
// in_progress status and a final status when the job ends
// (https://docs.github.com/actions/reference/workflows-and-actions/deployments-and-environments#using-an-environment).
import type { FakeGitHubApi } from '../../../packages/testing/src/github/index.js';

/** The fake's own write token stands in for GitHub's internal deployment service. */
const SERVICE_TOKEN = 'ghs_writetoken';

async function call(github: FakeGitHubApi, path: string, body: unknown): Promise<{ id?: number } | undefined> {
  const res = await fetch(`${github.url}${path}`, {
    method: 'POST',
    headers: { authorization: `token ${SERVICE_TOKEN}`, 'content-type': 'application/json', accept: 'application/vnd.github+json' },
    body: JSON.stringify(body),
  });
  return res.ok ? ((await res.json()) as { id?: number }) : undefined;
}

export interface JobDeployment {
  finish(result: 'success' | 'failure' | 'cancelled', url?: string): Promise<void>;
}

export async function startDeployment(
  github: FakeGitHubApi | undefined,
  repository: string,
  sha: string,
  environment: string,
  url: string | undefined,
): Promise<JobDeployment | undefined> {
  if (!github) return undefined;
  const created = await call(github, `/repos/${repository}/deployments`, {
    ref: sha,
    environment,
    task: 'deploy',
    auto_merge: false,
    required_contexts: [],
    transient_environment: false,
    production_environment: /^(prod|production)$/i.test(environment),
  }).catch(() => undefined);
  if (!created?.id) return undefined;
  const statuses = `/repos/${repository}/deployments/${created.id}/statuses`;
  await call(github, statuses, { state: 'in_progress', ...(url ? { environment_url: url } : {}) }).catch(() => undefined);
  return {
    finish: async (result, finalUrl) => {
      const state = result === 'success' ? 'success' : result === 'cancelled' ? 'inactive' : 'failure';
      await call(github, statuses, { state, ...(finalUrl ? { environment_url: finalUrl } : {}) }).catch(() => undefined);
    },
  };
}

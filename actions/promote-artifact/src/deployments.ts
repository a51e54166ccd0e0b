import { runUrl, type RunContext } from '@pipeline-actions/kit';
import { httpStatus, type Octokit } from '@pipeline-actions/kit/github';
import { deploymentTask } from './naming.js';
import type { ReleaseRecord } from './record.js';
import { apiError, type Repo } from './tags.js';

/** What a deployment's payload holds: enough to know the version and check it against its tags. */
export interface DeploymentPayload {
  service: string;
  version: string;
  sha256: string;
  artifact_name: string;
  tag: string;
  rollback: boolean;
  /** The run that promoted: a re-run of that run finds its own deployment. */
  run_id: string;
  record: ReleaseRecord;
}

export interface Deployment {
  id: number;
  url: string;
  environment: string;
  createdAt: string;
  version: string;
  commit: string;
  rollback: boolean;
  runId: string;
}

/** At most this many deployments are read per environment (100 a page): history beyond is not needed to answer. */
const MAX_PAGES = 10;

/**
 * This service's deployments of an environment, newest first, that reached `success` (or were later made
 * `inactive` by a newer one): a deployment whose status never arrived did not happen.
 */
export async function* successfulDeployments(
  octokit: Octokit,
  repo: Repo,
  environment: string,
  service: string,
): AsyncGenerator<Deployment> {
  const task = deploymentTask(service);
  for (let page = 1; page <= MAX_PAGES; page++) {
    let data: Awaited<ReturnType<typeof octokit.rest.repos.listDeployments>>['data'];
    try {
      ({ data } = await octokit.rest.repos.listDeployments({ ...repo, environment, task, per_page: 100, page }));
    } catch (error) {
      throw apiError(error, `Listing the deployments of environment ${environment}`, 'deployments: read');
    }
    for (const d of data) {
      const payload = (typeof d.payload === 'string' ? safeJson(d.payload) : d.payload) as Partial<DeploymentPayload> | undefined;
      if (!payload || payload.service !== service || typeof payload.version !== 'string') continue;
      if (!(await succeeded(octokit, repo, d.id))) continue;
      yield {
        id: d.id,
        url: d.url,
        environment: d.environment,
        createdAt: d.created_at,
        version: payload.version,
        commit: d.sha,
        rollback: payload.rollback === true,
        runId: String(payload.run_id ?? ''),
      };
    }
    if (data.length < 100) return;
  }
}

async function succeeded(octokit: Octokit, repo: Repo, id: number): Promise<boolean> {
  try {
    const { data } = await octokit.rest.repos.listDeploymentStatuses({ ...repo, deployment_id: id, per_page: 1 });
    return data[0]?.state === 'success' || data[0]?.state === 'inactive';
  } catch (error) {
    if (httpStatus(error) === 404) return false;
    throw apiError(error, `Reading the statuses of deployment ${id}`, 'deployments: read');
  }
}

function safeJson(text: string): unknown {
  try {
    return JSON.parse(text);
  } catch {
    return undefined;
  }
}

/**
 * Records a promotion: a deployment of the commit to the environment with the version in its payload,
 * then its `success` status. `auto_inactive` is off: other services share the environment.
 */
export async function recordDeployment(
  octokit: Octokit,
  repo: Repo,
  ctx: RunContext,
  environment: string,
  payload: DeploymentPayload,
  description: string,
): Promise<Deployment> {
  let created: Awaited<ReturnType<typeof octokit.rest.repos.createDeployment>>['data'];
  try {
    ({ data: created } = await octokit.rest.repos.createDeployment({
      ...repo,
      ref: payload.record.commit,
      environment,
      task: deploymentTask(payload.service),
      auto_merge: false,
      required_contexts: [],
      payload: payload as unknown as Record<string, unknown>,
      description: description.slice(0, 140),
      production_environment: /^(prod|production)$/i.test(environment),
    }));
  } catch (error) {
    throw apiError(
      error,
      `Creating the deployment of ${payload.service} ${payload.version} to environment ${environment}`,
      'deployments: write',
    );
  }
  if (!('id' in created)) {
    throw new Error(`Creating the deployment to ${environment} answered without a deployment (${JSON.stringify(created).slice(0, 200)}).`);
  }
  try {
    await octokit.rest.repos.createDeploymentStatus({
      ...repo,
      deployment_id: created.id,
      state: 'success',
      log_url: runUrl(ctx),
      description: description.slice(0, 140),
      environment,
      auto_inactive: false,
    });
  } catch (error) {
    throw apiError(error, `Setting deployment ${created.id} to success`, 'deployments: write');
  }
  return {
    id: created.id,
    url: created.url,
    environment,
    createdAt: created.created_at,
    version: payload.version,
    commit: payload.record.commit,
    rollback: payload.rollback,
    runId: payload.run_id,
  };
}

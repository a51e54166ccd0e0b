import { readFileSync } from 'node:fs';

export interface RunContext {
  serverUrl: string;
  apiUrl: string;
  repository: string;
  owner: string;
  repo: string;
  runId: string;
  runNumber: string;
  runAttempt: number;
  workflow: string;
  workflowRef: string;
  eventName: string;
  ref: string;
  sha: string;
  actor: string;
  workspace: string;
  runnerTemp: string;
}

/** The runner's context, read from its environment (not from `${{ }}` expressions). */
export function readRunContext(env: NodeJS.ProcessEnv = process.env): RunContext {
  const repository = env.GITHUB_REPOSITORY ?? '';
  const [owner = '', repo = ''] = repository.split('/');
  return {
    serverUrl: (env.GITHUB_SERVER_URL || 'https://github.com').replace(/\/+$/, ''),
    apiUrl: (env.GITHUB_API_URL || 'https://api.github.com').replace(/\/+$/, ''),
    repository,
    owner,
    repo,
    runId: env.GITHUB_RUN_ID ?? '',
    runNumber: env.GITHUB_RUN_NUMBER ?? '',
    runAttempt: Number(env.GITHUB_RUN_ATTEMPT ?? '1') || 1,
    workflow: env.GITHUB_WORKFLOW ?? '',
    workflowRef: env.GITHUB_WORKFLOW_REF ?? '',
    eventName: env.GITHUB_EVENT_NAME ?? '',
    ref: env.GITHUB_REF ?? '',
    sha: env.GITHUB_SHA ?? '',
    actor: env.GITHUB_ACTOR ?? '',
    workspace: env.GITHUB_WORKSPACE ?? process.cwd(),
    runnerTemp: env.RUNNER_TEMP ?? '',
  };
}

/** The event payload at GITHUB_EVENT_PATH, or `{}` when there is none. */
export function readEvent(env: NodeJS.ProcessEnv = process.env): Record<string, unknown> {
  const path = env.GITHUB_EVENT_PATH;
  if (!path) return {};
  try {
    const parsed: unknown = JSON.parse(readFileSync(path, 'utf8'));
    return typeof parsed === 'object' && parsed !== null ? (parsed as Record<string, unknown>) : {};
  } catch {
    return {};
  }
}

export function runUrl(ctx: Pick<RunContext, 'serverUrl' | 'repository' | 'runId' | 'runAttempt'>): string {
  const base = `${ctx.serverUrl}/${ctx.repository}/actions/runs/${ctx.runId}`;
  return ctx.runAttempt > 1 ? `${base}/attempts/${ctx.runAttempt}` : base;
}

export function shortSha(sha: string): string {
  return sha.slice(0, 7);
}

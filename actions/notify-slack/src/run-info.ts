import { firstLine } from './mrkdwn.js';

/** What the message says about the run, read from the runner's environment and event, never from expressions. */
export interface RunInfo {
  serverUrl: string;
  repository: string;
  /** Branch or tag name (refs/heads/ and refs/tags/ removed). */
  ref: string;
  sha: string;
  actor: string;
  /** Who started this attempt (a re-run may be someone else); the actor when GitHub does not say. */
  triggeringActor: string;
  workflow: string;
  runId: string;
  runNumber: string;
  runAttempt: number;
  /** First line of the head commit message or the pull request title; '' when the event has neither. */
  commitTitle: string;
}

const str = (v: unknown): string => (typeof v === 'string' ? v : '');
const obj = (v: unknown): Record<string, unknown> => (typeof v === 'object' && v !== null ? (v as Record<string, unknown>) : {});

export function readRunInfo(env: NodeJS.ProcessEnv, event: Record<string, unknown>): RunInfo {
  const ref = env.GITHUB_HEAD_REF || env.GITHUB_REF_NAME || (env.GITHUB_REF ?? '').replace(/^refs\/(heads|tags)\//, '');
  const pr = obj(event.pull_request);
  const commit =
    str(obj(event.head_commit).message) ||
    str(pr.title) ||
    str(obj(obj(event.workflow_run).head_commit).message) ||
    str(obj(obj(event.merge_group).head_commit).message);
  return {
    serverUrl: (env.GITHUB_SERVER_URL || 'https://github.com').replace(/\/+$/, ''),
    repository: env.GITHUB_REPOSITORY ?? '',
    ref,
    sha: env.GITHUB_SHA ?? '',
    actor: env.GITHUB_ACTOR ?? '',
    triggeringActor: env.GITHUB_TRIGGERING_ACTOR || env.GITHUB_ACTOR || '',
    workflow: env.GITHUB_WORKFLOW ?? '',
    runId: env.GITHUB_RUN_ID ?? '',
    runNumber: env.GITHUB_RUN_NUMBER ?? '',
    runAttempt: Number(env.GITHUB_RUN_ATTEMPT ?? '1') || 1,
    commitTitle: firstLine(commit),
  };
}

/** `{server}/{repo}/actions/runs/{id}`, or '' without a repository and run ID. */
export function runLink(info: RunInfo): string {
  if (!info.repository || !info.runId) return '';
  return `${info.serverUrl}/${info.repository}/actions/runs/${info.runId}`;
}

import { httpStatus, type Octokit } from '@pipeline-actions/kit/github';
import { apiFailure } from './api-error.js';

/** What the triggering event says about the pull request and commit. */
export interface EventInfo {
  prNumber?: number;
  /** The PR head commit, when the event carries it. */
  headSha?: string;
  /** The triggering comment (issue_comment events). */
  commentId?: number;
  /** `owner:branch` of the head, when a workflow_run carries no pull request (a fork's). */
  headLabel?: string;
}

function num(value: unknown): number | undefined {
  return typeof value === 'number' && Number.isSafeInteger(value) && value > 0 ? value : undefined;
}

function str(value: unknown): string | undefined {
  return typeof value === 'string' && value !== '' ? value : undefined;
}

function obj(value: unknown): Record<string, unknown> {
  return typeof value === 'object' && value !== null ? (value as Record<string, unknown>) : {};
}

export function readEventInfo(eventName: string, event: Record<string, unknown>): EventInfo {
  const pr = obj(event.pull_request);
  if (event.pull_request !== undefined && num(pr.number)) {
    return { prNumber: num(pr.number), headSha: str(obj(pr.head).sha) };
  }
  if (eventName === 'issue_comment') {
    return { prNumber: num(obj(event.issue).number), commentId: num(obj(event.comment).id) };
  }
  if (eventName === 'workflow_run') {
    const runInfo = obj(event.workflow_run);
    const first = Array.isArray(runInfo.pull_requests) ? obj(runInfo.pull_requests[0]) : {};
    const headOwner = str(obj(obj(runInfo.head_repository).owner).login);
    const branch = str(runInfo.head_branch);
    return {
      prNumber: num(first.number),
      headSha: str(runInfo.head_sha),
      ...(num(first.number) === undefined && headOwner && branch ? { headLabel: `${headOwner}:${branch}` } : {}),
    };
  }
  return {};
}

/** The lookups target resolution may need (small, so tests can pass a plain fake). */
export interface PullLookup {
  /** The head commit of pull request n; undefined when n is not a pull request. */
  headSha(n: number): Promise<string | undefined>;
  /** An open pull request whose head is this commit. */
  openPullFor(sha: string): Promise<number | undefined>;
  /** The open pull request from this head (`owner:branch`, a fork's too), preferring the one at this commit. */
  openPullForHead(label: string, sha?: string): Promise<number | undefined>;
}

export function pullLookup(octokit: Octokit, owner: string, repo: string, debug: (m: string) => void): PullLookup {
  return {
    headSha: async (n) => {
      try {
        return (await octokit.rest.pulls.get({ owner, repo, pull_number: n })).data.head.sha;
      } catch (error) {
        if (httpStatus(error) === 404) return undefined;
        throw apiFailure(`GET /repos/${owner}/${repo}/pulls/${n}`, error);
      }
    },
    openPullForHead: async (label, sha) => {
      try {
        const { data } = await octokit.rest.pulls.list({ owner, repo, head: label, state: 'open', per_page: 100 });
        return (data.find((p) => p.head.sha === sha) ?? data[0])?.number;
      } catch (error) {
        throw apiFailure(`GET /repos/${owner}/${repo}/pulls?head=${label}`, error);
      }
    },
    openPullFor: async (sha) => {
      try {
        const { data } = await octokit.rest.repos.listPullRequestsAssociatedWithCommit({ owner, repo, commit_sha: sha, per_page: 100 });
        return data.find((p) => p.state === 'open' && p.head.sha === sha)?.number;
      } catch (error) {
        const status = httpStatus(error);
        if (status === 404 || status === 422 || status === 409) {
          debug(`No pull request lookup for ${sha}: HTTP ${status}.`);
          return undefined;
        }
        throw apiFailure(`GET /repos/${owner}/${repo}/commits/${sha}/pulls`, error);
      }
    },
  };
}

export interface Placement {
  kind: 'issue' | 'commit';
  prNumber?: number;
  /** The commit when known without a request. */
  knownSha?: string;
  /** The commit, looked up when needed (PR head when the event does not carry it, else GITHUB_SHA). */
  resolveSha(): Promise<string>;
}

export interface PlacementInput {
  target: 'auto' | 'pr' | 'commit';
  prNumber?: number;
  sha?: string;
  /** GITHUB_SHA */
  runSha: string;
}

/**
 * Where the dashboard goes: the PR's comments when there is a PR, else the commit's comments
 * (target auto). Costs no request when the event or inputs name the PR and commit.
 */
export async function resolvePlacement(input: PlacementInput, info: EventInfo, lookup: PullLookup): Promise<Placement | { error: string }> {
  let prNumber = input.prNumber ?? info.prNumber;
  let knownSha = input.sha ?? (info.prNumber !== undefined && prNumber === info.prNumber ? info.headSha : undefined);
  if (prNumber === undefined && input.target !== 'commit' && info.headLabel) {
    // workflow_run from a fork: GitHub leaves pull_requests empty; find the PR by its head.
    prNumber = await lookup.openPullForHead(info.headLabel, info.headSha);
    knownSha = input.sha ?? info.headSha;
  }
  if (prNumber === undefined && input.target !== 'commit') {
    const sha = knownSha ?? info.headSha ?? input.runSha;
    prNumber = sha ? await lookup.openPullFor(sha) : undefined;
    if (prNumber !== undefined) knownSha = sha;
  }
  if (input.target === 'pr' && prNumber === undefined) {
    return { error: "There is no pull request for this run: pass 'pr-number', or use 'target: commit' (or auto) for pushes." };
  }
  let cached: Promise<string> | undefined;
  const resolveSha = () =>
    (cached ??= (async () => {
      if (knownSha) return knownSha;
      if (prNumber !== undefined) return (await lookup.headSha(prNumber)) ?? input.runSha;
      return input.sha ?? info.headSha ?? input.runSha;
    })());
  const kind = input.target === 'commit' || prNumber === undefined ? 'commit' : 'issue';
  return { kind, prNumber, knownSha, resolveSha };
}

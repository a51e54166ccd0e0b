import * as core from '@actions/core';
import { getOctokit } from '@actions/github';
import { retry } from '@octokit/plugin-retry';
import { throttling } from '@octokit/plugin-throttling';
import type { Octokit } from '@pipeline-actions/kit/github';

/** A comment write: the dashboard handles its rate limits itself (it re-renders instead of re-sending). */
export function isCommentWrite(options: { method: string; url: string }): boolean {
  return options.method !== 'GET' && /\/comments(\/|$)/.test(options.url);
}

/**
 * Octokit with GitHub's retry and throttling plugins, except that a rate-limited comment write is not
 * re-sent after the wait (its body would be stale then): it fails to the caller, which re-reads the
 * records and renders again. Record writes and reads are retried as usual (a record is this writer's own).
 */
export function createDashboardOctokit(token: string): Octokit {
  const onLimit = (retryAfter: number, options: { method: string; url: string }, _octokit: unknown, retryCount: number) => {
    if (isCommentWrite(options)) return false;
    core.warning(`GitHub rate limit hit on ${options.method} ${options.url}; retrying after ${retryAfter} s.`);
    return retryCount < 3;
  };
  return getOctokit(
    token,
    { retry: { retries: 3 }, throttle: { onRateLimit: onLimit, onSecondaryRateLimit: onLimit } },
    retry,
    throttling,
  ) as Octokit;
}

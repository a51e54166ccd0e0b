import * as core from '@actions/core';
import { getOctokit } from '@actions/github';
import { retry } from '@octokit/plugin-retry';
import { throttling } from '@octokit/plugin-throttling';

export type Octokit = ReturnType<typeof getOctokit>;

export interface OctokitOptions {
  /** Retries of a rate-limited request before it fails (primary and secondary limits). */
  rateLimitRetries?: number;
  /** Retries of a 5xx or network failure. */
  retries?: number;
  /** Overrides GITHUB_API_URL (which @actions/github already honours). */
  baseUrl?: string;
}

/**
 * An Octokit with GitHub's recommended retry and throttling plugins:
 * 5xx and network errors are retried, primary and secondary rate limits wait for Retry-After.
 */
export function createOctokit(token: string, options: OctokitOptions = {}): Octokit {
  const rateLimitRetries = options.rateLimitRetries ?? 3;
  return getOctokit(
    token,
    {
      ...(options.baseUrl ? { baseUrl: options.baseUrl } : {}),
      // Plugin-level, not request.retries: a per-request value makes plugin-retry retry every failure,
      // 404 and 422 included; at plugin level it keeps GitHub's do-not-retry statuses.
      retry: { retries: options.retries ?? 3 },
      throttle: {
        onRateLimit: (retryAfter: number, opts: { method: string; url: string }, _o: unknown, retryCount: number) => {
          core.warning(`GitHub rate limit hit on ${opts.method} ${opts.url}; retrying after ${retryAfter} s.`);
          return retryCount < rateLimitRetries;
        },
        onSecondaryRateLimit: (retryAfter: number, opts: { method: string; url: string }, _o: unknown, retryCount: number) => {
          core.warning(`GitHub secondary rate limit hit on ${opts.method} ${opts.url}; retrying after ${retryAfter} s.`);
          return retryCount < rateLimitRetries;
        },
      },
    },
    retry,
    throttling,
  );
}

/** The HTTP status of an Octokit RequestError, or undefined for anything else. */
export function httpStatus(error: unknown): number | undefined {
  const status = (error as { status?: unknown } | null)?.status;
  return typeof status === 'number' ? status : undefined;
}

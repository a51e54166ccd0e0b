import { errorMessage } from '@pipeline-actions/kit';
import { httpStatus } from '@pipeline-actions/kit/github';

/** A failed GitHub API call, named by its method and path, with the HTTP status GitHub gave (if any). */
export class ApiFailure extends Error {
  constructor(
    readonly call: string,
    readonly status: number | undefined,
    readonly detail: string,
    readonly retryAfterMs: number | undefined,
    readonly original: unknown,
  ) {
    super(
      status
        ? `${call} answered HTTP ${status}${detail ? `: ${detail}` : ''}`
        : `${call} got no HTTP answer (${detail || 'the connection failed'})`,
    );
    this.name = 'ApiFailure';
  }

  /** A primary or secondary rate limit (403 with a rate-limit message or header, or 429). */
  get rateLimited(): boolean {
    return this.status === 429 || (this.status === 403 && (this.retryAfterMs !== undefined || /rate limit/i.test(this.detail)));
  }

  /** Refused for lack of permission (not a rate limit). */
  get forbidden(): boolean {
    return (this.status === 403 && !this.rateLimited) || (this.status === 404 && /not accessible/i.test(this.detail));
  }
}

interface ResponseLike {
  headers?: Record<string, string | undefined>;
  data?: { message?: unknown };
}

export function apiFailure(call: string, error: unknown): ApiFailure {
  if (error instanceof ApiFailure) return error;
  const response = (error as { response?: ResponseLike } | null)?.response;
  // Octokit reports a connection failure as status 500 without a response: GitHub gave no status.
  const status = response ? httpStatus(error) : undefined;
  const message = typeof response?.data?.message === 'string' ? response.data.message : status ? '' : errorMessage(error);
  const detail = message
    .split('\n')[0]
    .replace(/ - https:\/\/docs\.github\.com\S*/, '')
    .replace(/^other side closed$/i, 'connection reset by the server');
  let retryAfterMs: number | undefined;
  const retryAfter = Number(response?.headers?.['retry-after']);
  if (Number.isFinite(retryAfter) && retryAfter > 0) retryAfterMs = retryAfter * 1000;
  else if (response?.headers?.['x-ratelimit-remaining'] === '0') {
    const reset = Number(response.headers['x-ratelimit-reset']) * 1000;
    if (Number.isFinite(reset)) retryAfterMs = Math.max(0, reset - Date.now());
  }
  return new ApiFailure(call, status, detail, retryAfterMs, error);
}

/** What the library needs of an Octokit: `request` with a route string (any Octokit has it). */
export interface GitHubClient {
  // eslint-disable-next-line @typescript-eslint/no-explicit-any
  request(route: string, parameters?: Record<string, unknown>): Promise<GitHubResponse<any>>;
}

export interface GitHubResponse<T> {
  status: number;
  data: T;
  headers: Record<string, string | number | undefined>;
}

/** The parts of an Octokit RequestError the library reads. */
export interface ApiFailure {
  status: number | undefined;
  message: string;
  headers: Record<string, string | number | undefined>;
}

export function apiFailure(error: unknown): ApiFailure {
  const e = error as { status?: unknown; message?: unknown; response?: { data?: { message?: unknown }; headers?: ApiFailure['headers'] } };
  const status = typeof e?.status === 'number' ? e.status : undefined;
  const message = typeof e?.response?.data?.message === 'string' ? e.response.data.message : String(e?.message ?? error);
  return { status, message, headers: e?.response?.headers ?? {} };
}

export interface RepoRef {
  owner: string;
  repo: string;
}

/** Milliseconds clock and sleep, replaceable in tests. */
export interface Clock {
  now(): number;
  sleep(ms: number): Promise<void>;
}

export const systemClock: Clock = {
  now: () => Date.now(),
  sleep: (ms) => new Promise((resolve) => setTimeout(resolve, Math.max(0, ms))),
};

/** How long to wait before the next call when the primary rate limit is nearly spent; 0 when there is quota. */
export function rateLimitPause(headers: GitHubResponse<unknown>['headers'], now: number, reserve = 10): number {
  const remaining = Number(headers['x-ratelimit-remaining']);
  const reset = Number(headers['x-ratelimit-reset']);
  if (!Number.isFinite(remaining) || remaining > reserve || !Number.isFinite(reset)) return 0;
  return Math.max(0, reset * 1000 - now) + 1000;
}

/** `refs/heads/main` -> `main`, `refs/tags/v1` -> `v1`; anything else unchanged. */
export function refName(ref: string): string {
  return ref.replace(/^refs\/(heads|tags)\//, '');
}

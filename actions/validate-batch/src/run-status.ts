/** Whether the workflow run that holds a claim has ended, from GitHub's API; 'unknown' when it cannot be told. */
export type RunState = { state: 'ended' | 'live' | 'unknown'; detail: string };
export type RunStatusLookup = (repository: string, runId: string) => Promise<RunState>;

/**
 * GET /repos/{owner}/{repo}/actions/runs/{run_id} with the job's token (`actions: read`).
 * A run is ended when its status is `completed`; any other status (queued, in_progress, waiting...) is live.
 */
export function githubRunStatus(apiUrl: string, token: string, timeoutMs: number): RunStatusLookup {
  return async (repository, runId) => {
    if (!token) return { state: 'unknown', detail: 'no token was given to ask GitHub' };
    if (!repository || !/^\d+$/.test(runId)) return { state: 'unknown', detail: 'the claim names no repository and run id' };
    const url = `${apiUrl}/repos/${repository}/actions/runs/${runId}`;
    try {
      const response = await fetch(url, {
        headers: { authorization: `Bearer ${token}`, accept: 'application/vnd.github+json', 'x-github-api-version': '2022-11-28' },
        signal: AbortSignal.timeout(timeoutMs),
      });
      if (!response.ok) {
        const hint = response.status === 403 || response.status === 404 ? ' (the token needs actions: read on that repository)' : '';
        return { state: 'unknown', detail: `GitHub answered HTTP ${response.status} to GET ${url}${hint}` };
      }
      const run = (await response.json()) as { status?: string; conclusion?: string | null };
      if (run.status === 'completed') return { state: 'ended', detail: `run ${runId} completed (${run.conclusion ?? 'no conclusion'})` };
      return { state: 'live', detail: `run ${runId} is ${run.status ?? 'in an unknown state'}` };
    } catch (error) {
      return { state: 'unknown', detail: `GET ${url} failed (${(error as Error).message})` };
    }
  };
}

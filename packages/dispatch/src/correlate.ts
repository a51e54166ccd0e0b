import { rateLimitPause, type Clock, type GitHubClient, type RepoRef } from './client.js';

export interface RunSummary {
  id: number;
  run_number: number;
  html_url: string;
  status: string | null;
  conclusion: string | null;
  display_title?: string;
  created_at: string;
}

export interface FindRunOptions extends RepoRef {
  /** Workflow id or file name. */
  workflow: string;
  /** Branch or tag name the run was dispatched on. */
  ref: string;
  distinctId: string;
  /** The workflow's run-name shows the id: the run list alone tells, no job needs to be read. */
  titleOnly?: boolean;
  /** Epoch ms just before the dispatch. */
  since: number;
  timeoutMs: number;
  pollIntervalMs: number;
  clock: Clock;
}

// Clocks of the caller and GitHub differ; the id, not the time, tells runs apart, so a wide window costs nothing.
const CLOCK_SKEW_MS = 60_000;
const MAX_PAGES = 5;

/**
 * Finds the one run of this workflow on this ref, created after the dispatch, that carries the id in its
 * run name (`run-name: ... ${{ inputs.distinct_id }}`) or in a step name of its first job. Undefined when
 * none turns up in time: never a guess.
 */
export async function findRunByDistinctId(client: GitHubClient, o: FindRunOptions): Promise<RunSummary | undefined> {
  const deadline = o.clock.now() + o.timeoutMs;
  const created = `>=${new Date(o.since - CLOCK_SKEW_MS).toISOString().replace(/\.\d{3}Z$/, 'Z')}`;
  const stepsChecked = new Set<number>();
  let interval = o.pollIntervalMs;
  for (;;) {
    const { runs, pause } = await listCandidates(client, o, created);
    const byTitle = runs.filter((r) => r.display_title?.includes(o.distinctId));
    if (byTitle.length === 1) return byTitle[0];
    for (const run of runs) {
      if (o.titleOnly || stepsChecked.has(run.id) || byTitle.length > 0) continue;
      const steps = await firstJobSteps(client, o, run.id);
      if (steps === undefined) continue;
      stepsChecked.add(run.id);
      if (steps.some((name) => name.includes(o.distinctId))) return run;
    }
    const left = deadline - o.clock.now();
    if (left <= 0) return undefined;
    await o.clock.sleep(Math.min(Math.max(interval, pause), left));
    interval = Math.min(interval * 1.5, o.pollIntervalMs * 4);
  }
}

async function listCandidates(client: GitHubClient, o: FindRunOptions, created: string): Promise<{ runs: RunSummary[]; pause: number }> {
  const runs: RunSummary[] = [];
  let pause = 0;
  for (let page = 1; page <= MAX_PAGES; page++) {
    const response = await client.request('GET /repos/{owner}/{repo}/actions/workflows/{workflow_id}/runs', {
      owner: o.owner,
      repo: o.repo,
      workflow_id: o.workflow,
      branch: o.ref,
      event: 'workflow_dispatch',
      created,
      per_page: 100,
      page,
    });
    pause = rateLimitPause(response.headers, o.clock.now());
    const batch = (response.data as { workflow_runs: RunSummary[] }).workflow_runs;
    runs.push(...batch);
    if (batch.length < 100) break;
  }
  return { runs, pause };
}

/** Step names of the run's first job, or undefined while its steps are not known yet. */
async function firstJobSteps(client: GitHubClient, where: RepoRef, runId: number): Promise<string[] | undefined> {
  const { data } = await client.request('GET /repos/{owner}/{repo}/actions/runs/{run_id}/jobs', { ...where, run_id: runId, per_page: 1 });
  const job = (data as { jobs: { steps?: { name: string }[] }[] }).jobs[0];
  if (!job?.steps?.length) return undefined;
  return job.steps.map((s) => s.name);
}

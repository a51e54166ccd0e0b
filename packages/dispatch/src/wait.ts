import { rateLimitPause, systemClock, type Clock, type GitHubClient } from './client.js';

export interface RunRef {
  owner: string;
  repo: string;
  runId: number;
}

export interface WaitOptions {
  /** Give up after this long (the run may still finish later). */
  timeoutMs: number;
  /** First pause between polls; it grows (x1.5, up to 6x) while nothing changes and resets on a change. */
  pollIntervalMs?: number;
  clock?: Clock;
}

export interface JobState {
  id: number;
  name: string;
  status: string;
  conclusion: string | null;
  htmlUrl: string | null;
  startedAt: string | null;
  completedAt: string | null;
  steps: { name: string; status: string; conclusion: string | null }[];
}

export interface RunProgress {
  status: string;
  conclusion: string | null;
  runUrl: string;
  runNumber: number;
  /** The job and step in progress, when the run is in progress. */
  job?: string;
  step?: string;
}

export interface WaitResult {
  status: string;
  conclusion: string | null;
  runUrl: string;
  runNumber: number;
  /** Every job of the run's latest attempt, as last seen. */
  jobs: JobState[];
  /** True when the run had not completed by the deadline. */
  timedOut: boolean;
  /** True when it timed out without ever leaving the queue. */
  neverStarted: boolean;
}

interface RunJson {
  status: string | null;
  conclusion: string | null;
  html_url: string;
  run_number: number;
}

/** Polls a run until it completes or the time is up, reporting each change of status, job or step once. */
export async function waitForRun(
  client: GitHubClient,
  run: RunRef,
  options: WaitOptions,
  onProgress: (progress: RunProgress) => void = () => undefined,
): Promise<WaitResult> {
  const clock = options.clock ?? systemClock;
  const base = options.pollIntervalMs ?? 5_000;
  const deadline = clock.now() + options.timeoutMs;
  let interval = base;
  let lastKey = '';
  let started = false;
  for (;;) {
    const response = await client.request('GET /repos/{owner}/{repo}/actions/runs/{run_id}', {
      owner: run.owner,
      repo: run.repo,
      run_id: run.runId,
    });
    const data = response.data as RunJson;
    const status = data.status ?? 'queued';
    const jobs = status === 'queued' ? [] : await listJobs(client, run);
    const current = status === 'in_progress' ? currentJob(jobs) : undefined;
    const progress: RunProgress = {
      status,
      conclusion: data.conclusion,
      runUrl: data.html_url,
      runNumber: data.run_number,
      ...(current ? { job: current.job, ...(current.step ? { step: current.step } : {}) } : {}),
    };
    if (status !== 'queued' && status !== 'waiting' && status !== 'pending' && status !== 'requested') started = true;
    const key = `${status}|${progress.job ?? ''}|${progress.step ?? ''}`;
    if (key !== lastKey) {
      onProgress(progress);
      lastKey = key;
      interval = base;
    } else {
      interval = Math.min(interval * 1.5, base * 6);
    }
    const result = { status, conclusion: data.conclusion, runUrl: data.html_url, runNumber: data.run_number, jobs };
    if (status === 'completed') return { ...result, timedOut: false, neverStarted: false };
    const left = deadline - clock.now();
    if (left <= 0) return { ...result, timedOut: true, neverStarted: !started };
    await clock.sleep(Math.min(Math.max(interval, rateLimitPause(response.headers, clock.now())), left));
  }
}

/** The jobs of the run's latest attempt (every page, bounded). */
export async function listJobs(client: GitHubClient, run: RunRef): Promise<JobState[]> {
  const jobs: JobState[] = [];
  for (let page = 1; page <= 10; page++) {
    const { data } = await client.request('GET /repos/{owner}/{repo}/actions/runs/{run_id}/jobs', {
      owner: run.owner,
      repo: run.repo,
      run_id: run.runId,
      filter: 'latest',
      per_page: 100,
      page,
    });
    const batch = (data as { jobs: JobJson[] }).jobs;
    jobs.push(...batch.map(toJobState));
    if (batch.length < 100) break;
  }
  return jobs;
}

interface JobJson {
  id: number;
  name: string;
  status: string;
  conclusion: string | null;
  html_url: string | null;
  started_at: string | null;
  completed_at: string | null;
  steps?: { name: string; status: string; conclusion: string | null }[];
}

function toJobState(j: JobJson): JobState {
  return {
    id: j.id,
    name: j.name,
    status: j.status,
    conclusion: j.conclusion,
    htmlUrl: j.html_url,
    startedAt: j.started_at,
    completedAt: j.completed_at,
    steps: (j.steps ?? []).map((s) => ({ name: s.name, status: s.status, conclusion: s.conclusion })),
  };
}

function currentJob(jobs: JobState[]): { job: string; step?: string } | undefined {
  const job = jobs.find((j) => j.status === 'in_progress');
  if (!job) return undefined;
  const step = job.steps.find((s) => s.status === 'in_progress');
  return { job: job.name, ...(step ? { step: step.name } : {}) };
}

const FAILED = new Set(['failure', 'timed_out', 'cancelled', 'action_required', 'startup_failure']);

/** Jobs that ended badly (failure, timed out, cancelled). */
export function failedJobs(jobs: JobState[]): JobState[] {
  return jobs.filter((j) => j.conclusion !== null && FAILED.has(j.conclusion));
}

/** Whether a run's conclusion counts as passed. */
export function isSuccessful(conclusion: string | null): boolean {
  return conclusion === 'success' || conclusion === 'neutral' || conclusion === 'skipped';
}

/** A one-line description of a progress event: `in_progress: job 'build', step 'Compile'`. */
export function describeProgress(p: RunProgress): string {
  if (p.status === 'completed') return `completed: ${p.conclusion ?? 'no conclusion'}`;
  if (p.job) return `${p.status}: job '${p.job}'${p.step ? `, step '${p.step}'` : ''}`;
  return p.status;
}

/** Duration between two ISO times as `1m 05s`, or '' when either is missing. */
export function duration(start: string | null, end: string | null): string {
  if (!start || !end) return '';
  const s = Math.max(0, Math.round((Date.parse(end) - Date.parse(start)) / 1000));
  return s >= 60 ? `${Math.floor(s / 60)}m ${String(s % 60).padStart(2, '0')}s` : `${s}s`;
}

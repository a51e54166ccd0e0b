import type { LocalServices, ServicesSnapshot } from './services.js';
import type { ImageBuild } from './doubles/docker.js';

export type JobConclusion = 'success' | 'failure' | 'cancelled' | 'skipped';
export type RunConclusion = 'success' | 'failure' | 'cancelled';

export interface StepResult {
  id: string;
  name: string;
  uses?: string;
  outcome: JobConclusion;
  conclusion: JobConclusion;
  outputs: Record<string, string>;
  /** Not in the --json file: what the step wrote to GITHUB_STEP_SUMMARY and its annotations. */
  summary?: string;
  errors?: string[];
  warnings?: string[];
  notices?: string[];
}

export interface LegResult {
  matrix: Record<string, unknown>;
  result: JobConclusion;
  outputs: Record<string, string>;
  steps: StepResult[];
}

export interface JobResult {
  result: JobConclusion;
  outputs: Record<string, string>;
  steps: StepResult[];
  legs?: LegResult[];
  /** Not in the --json file: the job's display name and the summaries of its steps, joined. */
  name?: string;
  summary?: string;
}

export interface RunResult {
  conclusion: RunConclusion;
  jobs: Record<string, JobResult>;
  services?: ServicesSnapshot;
  /** docker/build-push-action calls of this run (also under services.images with local services). */
  images: ImageBuild[];
  /** The readable log, secrets masked. */
  transcript: string[];
  runId: number;
  /** github.run_number and github.run_attempt (1, then one more per re-run of failed jobs). */
  runNumber: number;
  runAttempt: number;
  workflow: string;
  event: string;
  /** The event as this run saw it, so a re-run gets the same one: typed inputs, the payload, ref, commit, schedule. */
  inputs: Record<string, unknown>;
  payload: Record<string, unknown>;
  ref: string;
  sha: string;
  cron?: string;
}

export interface RunWorkflowOptions {
  workflow: string;
  event?: string;
  payload?: Record<string, unknown>;
  inputs?: Record<string, string>;
  cron?: string;
  ref?: string;
  actor?: string;
  comment?: string;
  collaborators?: Record<string, string>;
  secrets?: Record<string, string>;
  vars?: Record<string, string>;
  approve?: string[];
  protect?: string[];
  /** The repository fixture that actions/checkout copies (default: the current directory's git repository). */
  repo?: string;
  /** Where job directories go (default: a fresh temp directory, removed after the run unless keepWorkdir). */
  workdir?: string;
  keepWorkdir?: boolean;
  services?: LocalServices;
  local?: boolean;
  stateDir?: string;
  log?: (line: string) => void;
  /** Cancels the run (as the Cancel workflow button does). */
  signal?: AbortSignal;
  /**
   * "Re-run failed jobs" of this earlier run: same run id, number, event and inputs, run_attempt + 1; its failed and
   * cancelled jobs (only the failed/cancelled legs of a matrix) and their dependents run again, the rest keep their results.
   */
  rerunOf?: RunResult;
}

/** A command-line mistake: exit status 2 and one line. */
export class UsageError extends Error {}

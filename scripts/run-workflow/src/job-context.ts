// What a job (one matrix leg) holds while it runs: its runner directory, environment, step results and status.
import { createHash } from 'node:crypto';
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { matchFiles } from './glob.js';
import { join } from 'node:path';
import type { LocalServices } from './services.js';
import type { Contexts, EvaluationScope, StatusFunctions } from './expressions.js';
import type { JobLog, Masker } from './transcript.js';
import type { StepResult } from './types.js';
import type { Permissions } from './permissions.js';
import type { MappingToken } from '@actions/workflow-parser/templates/tokens/mapping-token';
import type { ImageBuild } from './doubles/docker.js';

/** Run-wide facts every job reads. */
export interface RunState {
  runId: number;
  runNumber: number;
  workflowName: string;
  workflowPath: string;
  event: string;
  payload: Record<string, unknown>;
  github: Record<string, unknown>;
  inputs: Record<string, unknown>;
  vars: Record<string, string>;
  secrets: Record<string, string>;
  workflowEnv: Record<string, string>;
  /** The workflow's top-level keys (permissions, defaults). */
  rootTokens: MappingToken;
  /** docker/build-push-action calls (services.images). */
  images: ImageBuild[];
  masker: Masker;
  services?: LocalServices;
  /** Parent of every job directory. */
  workdir: string;
  /** The repository fixture actions/checkout copies. */
  repoDir?: string;
  /** The executor's own repository (where `actions/<name>/dist` lives). */
  actionsRoot: string;
  /** Artifacts uploaded during the run, by name: the directory holding their files. */
  artifacts: Map<string, string>;
  approved: Set<string>;
  /** Jobs whose every failed leg had continue-on-error: their failure does not fail the run. */
  toleratedJobs: Set<string>;
  protectedEnvironments: Set<string>;
  cancel: AbortController;
  debug: boolean;
  live?: (line: string) => void;
}

export interface PostStep {
  name: string;
  condition: string;
  run(): Promise<StepResult | undefined>;
}

export class JobContext {
  readonly dir: string;
  readonly workspace: string;
  readonly temp: string;
  readonly eventPath: string;
  /** Variables later steps get from GITHUB_ENV. */
  readonly addedEnv: Record<string, string> = {};
  /** Directories later steps get in front of PATH (GITHUB_PATH), newest first. */
  readonly addedPath: string[] = [];
  readonly steps: Record<string, { outputs: Record<string, string>; outcome: string; conclusion: string }> = {};
  readonly results: StepResult[] = [];
  readonly posts: PostStep[] = [];
  status: 'success' | 'failure' | 'cancelled' = 'success';
  summaries: string[] = [];
  private fileCounter = 0;

  constructor(
    readonly run: RunState,
    readonly jobId: string,
    readonly displayName: string,
    readonly log: JobLog,
    readonly matrix: Record<string, unknown>,
    readonly strategy: Record<string, unknown>,
    readonly needs: Record<string, { result: string; outputs: Record<string, string> }>,
    readonly jobEnv: Record<string, string>,
    readonly defaultsRun: { shell?: string; 'working-directory'?: string },
    readonly token: string,
    readonly permissions: Permissions,
    readonly signal: AbortSignal,
    readonly environment: { name: string; url?: string } | undefined,
  ) {
    this.dir = join(run.workdir, `${jobId}-${Math.random().toString(36).slice(2, 8)}`);
    this.workspace = join(this.dir, 'workspace');
    this.temp = join(this.dir, 'temp');
    mkdirSync(this.workspace, { recursive: true });
    mkdirSync(this.temp, { recursive: true });
    this.eventPath = join(this.dir, 'event.json');
    writeFileSync(this.eventPath, JSON.stringify(run.payload, null, 2));
  }

  /**
   * The signal a step process obeys: the job's, unless the job was already cancelled when the step started
   * (an `if: always()` step or a post step still runs to its end after a cancellation, as on GitHub).
   */
  liveSignal(): AbortSignal | undefined {
    return this.signal.aborted ? undefined : this.signal;
  }

  /** The `env` context a step sees before its own `env:` (workflow, job, GITHUB_ENV). */
  envContext(): Record<string, string> {
    return { ...this.run.workflowEnv, ...this.jobEnv, ...this.addedEnv };
  }

  status_(): StatusFunctions {
    return {
      success: () => this.status === 'success' && !this.signal.aborted,
      failure: () => this.status === 'failure',
      cancelled: () => this.status === 'cancelled' || this.signal.aborted,
    };
  }

  contexts(extra: Contexts = {}): Contexts {
    return {
      github: { ...this.run.github, job: this.jobId, workspace: this.workspace, token: this.token, event_path: this.eventPath },
      inputs: this.run.inputs,
      vars: this.run.vars,
      secrets: { GITHUB_TOKEN: this.token, ...this.run.secrets },
      needs: this.needs,
      matrix: this.matrix,
      strategy: this.strategy,
      steps: this.steps,
      job: { status: this.signal.aborted ? 'cancelled' : this.status, container: { network: '' }, services: {} },
      runner: {
        os: 'Linux',
        arch: 'X64',
        name: 'run-workflow',
        temp: this.temp,
        tool_cache: join(this.run.workdir, 'tool-cache'),
        debug: this.run.debug ? '1' : '',
      },
      env: this.envContext(),
      ...extra,
    };
  }

  scope(extra: Contexts = {}): EvaluationScope {
    return { contexts: this.contexts(extra), status: this.status_(), hashFiles: (patterns) => hashFiles(this.workspace, patterns) };
  }

  private runtime?: Record<string, string>;

  /** ACTIONS_RUNTIME_TOKEN and ACTIONS_RESULTS_URL for the local artifact service (JavaScript actions get them). */
  runtimeEnv(): Record<string, string> {
    const github = this.run.services?.github;
    if (!github) return {};
    this.runtime ??= github.artifacts.runtimeEnv(this.run.runId, { repository: String(this.run.github.repository) });
    return this.runtime;
  }

  /** Fresh runner files for one step (the runner makes new ones per step). */
  stepFiles(): { output: string; state: string; env: string; path: string; summary: string } {
    const n = ++this.fileCounter;
    const dir = join(this.dir, 'file-commands');
    mkdirSync(dir, { recursive: true });
    const files = {
      output: join(dir, `output-${n}`),
      state: join(dir, `state-${n}`),
      env: join(dir, `env-${n}`),
      path: join(dir, `path-${n}`),
      summary: join(dir, `summary-${n}`),
    };
    for (const f of Object.values(files)) writeFileSync(f, '');
    return files;
  }

  /** The environment GitHub's runner gives every step process (before the step's own env). */
  runnerEnv(): Record<string, string> {
    const host: Record<string, string> = {};
    for (const [k, v] of Object.entries(process.env)) {
      if (v === undefined || /^(GITHUB_|RUNNER_|INPUT_|STATE_|ACTIONS_|AWS_|npm_|PNPM_|NODE_OPTIONS$|JEST_|TS_JEST)/.test(k)) continue;
      host[k] = v;
    }
    const g = this.run.github as Record<string, string>;
    return {
      ...host,
      CI: 'true',
      GITHUB_ACTIONS: 'true',
      GITHUB_WORKFLOW: this.run.workflowName,
      GITHUB_WORKFLOW_REF: String(g.workflow_ref ?? ''),
      GITHUB_RUN_ID: String(this.run.runId),
      GITHUB_RUN_NUMBER: String(this.run.runNumber),
      GITHUB_RUN_ATTEMPT: String(g.run_attempt ?? '1'),
      GITHUB_JOB: this.jobId,
      GITHUB_ACTOR: g.actor,
      GITHUB_ACTOR_ID: String(g.actor_id ?? ''),
      GITHUB_TRIGGERING_ACTOR: g.actor,
      GITHUB_REPOSITORY: g.repository,
      GITHUB_REPOSITORY_OWNER: g.repository_owner,
      GITHUB_REPOSITORY_ID: String(g.repository_id ?? ''),
      GITHUB_EVENT_NAME: this.run.event,
      GITHUB_EVENT_PATH: this.eventPath,
      GITHUB_WORKSPACE: this.workspace,
      GITHUB_SHA: g.sha,
      GITHUB_REF: g.ref,
      GITHUB_REF_NAME: g.ref_name,
      GITHUB_REF_TYPE: g.ref_type,
      GITHUB_REF_PROTECTED: 'false',
      GITHUB_HEAD_REF: g.head_ref ?? '',
      GITHUB_BASE_REF: g.base_ref ?? '',
      GITHUB_SERVER_URL: g.server_url,
      GITHUB_API_URL: g.api_url,
      GITHUB_GRAPHQL_URL: g.graphql_url,
      GITHUB_RETENTION_DAYS: '90',
      RUNNER_OS: 'Linux',
      RUNNER_ARCH: 'X64',
      RUNNER_NAME: 'run-workflow',
      RUNNER_ENVIRONMENT: 'github-hosted',
      RUNNER_TEMP: this.temp,
      RUNNER_TOOL_CACHE: join(this.run.workdir, 'tool-cache'),
      ...(this.run.debug ? { RUNNER_DEBUG: '1' } : {}),
    };
  }

  /** The full environment of a step process: runner variables, env context, step env, PATH with GITHUB_PATH. */
  processEnv(stepEnv: Record<string, string>): Record<string, string> {
    const env = { ...this.runnerEnv(), ...this.envContext(), ...stepEnv };
    if (this.addedPath.length) env.PATH = [...this.addedPath, env.PATH ?? ''].join(':');
    return env;
  }
}

/** hashFiles(): the SHA-256 of the files' SHA-256s, '' when nothing matches (https://docs.github.com/actions/reference/workflows-and-actions/expressions#hashfiles). */
export function hashFiles(workspace: string, patterns: string[]): string {
  const files = matchFiles(workspace, patterns)
    .map((f) => f.file)
    .sort();
  if (files.length === 0) return '';
  const all = createHash('sha256');
  for (const file of files) all.update(createHash('sha256').update(readFileSync(file)).digest());
  return all.digest('hex');
}

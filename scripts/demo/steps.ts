// Runs one bundled action as a workflow step would run (the harness), checks the expected outcome, prints it.
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { readActionMetadata, runAction, DEFAULT_REPOSITORY, type ActionResult } from '../../packages/testing/src/harness.js';
import type { Transcript } from './transcript.js';

/** The `github` context of one workflow run (plus the job), as the runner exports it to every step. */
export interface RunContext {
  workflow: string;
  /** File name under .github/workflows/. */
  workflowFile: string;
  runId: number;
  runNumber: number;
  job: string;
  actor: string;
  sha: string;
  ref: string;
  eventName: string;
  event: Record<string, unknown>;
}

/** `success`, or a refusal whose error text matches every pattern (e.g. who and when for a second load). */
export type Expectation = 'success' | { refusal: RegExp[]; what: string };

export interface StepSpec {
  /** What the transcript calls the step, e.g. `validate-batch (mark-loaded)`. */
  label: string;
  /** Folder name under actions/. */
  action: string;
  step?: 'main' | 'post';
  inputs: Record<string, string>;
  run: RunContext;
  /** The job's runner directory (one per job, shared by its steps, as on a runner). */
  runnerDir: string;
  env?: Record<string, string>;
  state?: Record<string, string>;
  expect?: Expectation;
  /** Outputs to print under the step. */
  show?: string[];
  /** Values that must never appear in the step's log. */
  secrets?: string[];
}

export interface StepResult {
  ok: boolean;
  result?: ActionResult;
}

/** Inputs a workflow fills from `secrets.*` or `github.token`: their values must never show in a step's log. */
const SECRET_INPUTS = ['token', 'private-key', 'webhook-url'];

export class StepRunner {
  constructor(
    private readonly t: Transcript,
    private readonly actionsDir: string,
    /** Environment every step gets: loopback servers, credentials for them. */
    private readonly baseEnv: Record<string, string>,
    /** Print every step's full log. */
    private readonly verbose = false,
  ) {}

  /** Why an action cannot be run yet, or undefined when its bundle is there. */
  notBuilt(action: string, step: 'main' | 'post' = 'main'): string | undefined {
    const dir = join(this.actionsDir, action);
    if (!existsSync(join(dir, 'action.yml'))) return `${action} is not built yet (no actions/${action}/action.yml)`;
    let meta: ReturnType<typeof readActionMetadata>;
    try {
      meta = readActionMetadata(dir);
    } catch (error) {
      return `${action} is not built yet (its action.yml does not parse: ${(error as Error).message.split('\n')[0]})`;
    }
    const entry = step === 'post' ? meta.runs.post : meta.runs.main;
    if (!entry) return `${action} is not built yet (action.yml has no runs.${step})`;
    if (!existsSync(join(dir, entry))) return `${action} is not built yet (no actions/${action}/${entry}; run pnpm build ${action})`;
    return undefined;
  }

  async run(spec: StepSpec): Promise<StepResult> {
    const missing = this.notBuilt(spec.action, spec.step);
    if (missing) {
      this.t.step({ name: spec.label, outcome: 'fail', note: missing });
      return { ok: false };
    }
    const meta = readActionMetadata(join(this.actionsDir, spec.action));
    const undeclared = Object.keys(spec.inputs).filter((name) => !(name in meta.inputs));
    if (undeclared.length > 0) {
      const note = `${spec.action}'s action.yml does not declare the input(s) ${undeclared.join(', ')} that the workflow passes`;
      this.t.step({ name: spec.label, outcome: 'fail', note });
      return { ok: false };
    }

    const result = await runAction(join(this.actionsDir, spec.action), {
      inputs: spec.inputs,
      event: spec.run.event,
      eventName: spec.run.eventName,
      step: spec.step ?? 'main',
      state: spec.state,
      runnerDir: spec.runnerDir,
      secrets: [...(spec.secrets ?? []), ...SECRET_INPUTS.map((name) => spec.inputs[name]).filter((v): v is string => !!v)],
      timeoutMs: 60_000,
      env: { ...this.baseEnv, ...runEnv(spec.run), ...(spec.env ?? {}) },
    });
    const expect = spec.expect ?? 'success';
    const errors = result.errors.length > 0 ? result.errors : lastLines(result.stderr || result.stdout, 3);
    let ok: boolean;
    let note: string;
    const leaked = result.leakedSecrets;
    if (leaked.length > 0) {
      ok = false;
      note = `a secret appeared in the step's log: ${leaked.map(hint).join(', ')}`;
    } else if (expect === 'success') {
      ok = result.exitCode === 0;
      note = ok ? '' : `failed (exit ${result.exitCode ?? result.signal}): ${errors.join(' | ')}`;
    } else if (result.exitCode === 0) {
      ok = false;
      note = `expected ${expect.what} to be refused, but the step succeeded`;
    } else if (!expect.refusal.every((re) => re.test(errors.join('\n')))) {
      ok = false;
      note = `refused, but not for the expected reason (${expect.what}): ${errors.join(' | ')}`;
    } else {
      ok = true;
      note = `refused as expected (exit ${result.exitCode})`;
    }
    this.t.step({ name: spec.label, outcome: ok ? 'pass' : 'fail', note, durationMs: result.durationMs });
    const tidy = (text: string) => runnerPaths(text, spec.runnerDir);
    if (this.verbose) this.t.block('step log', tidy(`${result.stdout}${result.stderr ? `\n[stderr]\n${result.stderr}` : ''}`) || '(empty)');
    if (expect !== 'success' && result.errors.length > 0) {
      for (const error of result.errors) this.t.line(`        ${this.t.paint('::error::', 'dim')}${tidy(error)}`);
    }
    for (const warning of result.warnings) this.t.line(`        ${this.t.paint('::warning::', 'dim')}${tidy(warning)}`);
    const shown = (spec.show ?? []).filter((name) => name in result.outputs || ok);
    if (shown.length > 0) this.t.values(shown.map((name) => [name, tidy(result.outputs[name] ?? '(not set)')]));
    return { ok, result };
  }

  skip(label: string, reason: string): void {
    this.t.step({ name: label, outcome: 'skip', note: reason });
  }
}

/** What the runner exports for a run: GITHUB_RUN_ID, GITHUB_SHA, GITHUB_WORKFLOW_REF and the rest. */
export function runEnv(run: RunContext): Record<string, string> {
  return {
    GITHUB_WORKFLOW: run.workflow,
    GITHUB_WORKFLOW_REF: `${DEFAULT_REPOSITORY}/.github/workflows/${run.workflowFile}@${run.ref}`,
    GITHUB_RUN_ID: String(run.runId),
    GITHUB_RUN_NUMBER: String(run.runNumber),
    GITHUB_RUN_ATTEMPT: '1',
    GITHUB_JOB: run.job,
    GITHUB_ACTOR: run.actor,
    GITHUB_TRIGGERING_ACTOR: run.actor,
    GITHUB_SHA: run.sha,
    GITHUB_REF: run.ref,
    GITHUB_REF_NAME: run.ref.replace(/^refs\/(heads|tags)\//, ''),
    GITHUB_REF_TYPE: run.ref.startsWith('refs/tags/') ? 'tag' : 'branch',
  };
}

/** Shows a job's temporary runner paths the way a workflow author knows them. */
export function runnerPaths(text: string, runnerDir: string): string {
  return text
    .split(`${runnerDir}/workspace`)
    .join('$GITHUB_WORKSPACE')
    .split(`${runnerDir}/temp`)
    .join('$RUNNER_TEMP')
    .split(runnerDir)
    .join('$RUNNER');
}

/** Enough of a leaked value to find it (the first 6 characters and the length), not the value. */
function hint(secret: string): string {
  return `${JSON.stringify(secret.slice(0, 6))}… (${secret.length} chars)`;
}

function lastLines(text: string, n: number): string[] {
  return text
    .split('\n')
    .map((l) => l.trim())
    .filter(Boolean)
    .slice(-n);
}

/** `fromJSON(x)` of an output, or the fallback when it is empty or not JSON. */
export function fromJson<T>(text: string | undefined, fallback: T): T {
  if (!text) return fallback;
  try {
    return JSON.parse(text) as T;
  } catch {
    return fallback;
  }
}

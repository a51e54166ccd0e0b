// Our own actions run from their bundled dist/ exactly as the harness runs them (prepareStep: runner files,
// INPUT_* with action.yml defaults, STATE_* for post), under the Node 24 binary `runs.using: node24` gives them.
import { existsSync, readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { prepareStep, readActionMetadata, type ActionMetadata } from '../../../packages/testing/src/harness.js';
import { node24Path } from '../../../packages/testing/src/node-runtime.js';
import { parseKeyValueFile } from '../../../packages/testing/src/workflow-commands.js';
import { interpolate, type EvaluationScope } from './expressions.js';
import type { JobContext } from './job-context.js';
import { runProcess, type ProcessOutcome } from './step-process.js';

/** `<owner>/pipeline-actions/actions/<name>@<ref>` or `./actions/<name>`: the action directory, or undefined. */
export function resolveOurAction(uses: string, job: JobContext): string | undefined {
  const remote = /^[^/]+\/pipeline-actions\/actions\/([a-z0-9-]+)@.+$/i.exec(uses);
  if (remote) return join(job.run.actionsRoot, 'actions', remote[1]);
  if (uses.startsWith('./')) {
    const inWorkspace = resolve(job.workspace, uses);
    if (existsSync(join(inWorkspace, 'action.yml')) && existsSync(join(inWorkspace, 'dist'))) return inWorkspace;
    const local = /^\.\/actions\/([a-z0-9-]+)\/?$/i.exec(uses);
    if (local) return join(job.run.actionsRoot, 'actions', local[1]);
  }
  return undefined;
}

export interface ActionRun extends ProcessOutcome {
  outputs: Record<string, string>;
  state: Record<string, string>;
  env: Record<string, string>;
  path: string[];
  summary: string;
}

/** Inputs as the runner builds them: `with:` values, and action.yml defaults (expressions like `${{ github.token }}` evaluated). */
export function actionInputs(meta: ActionMetadata, given: Record<string, string>, scope: EvaluationScope): Record<string, string> {
  const inputs: Record<string, string> = {};
  for (const [name, spec] of Object.entries(meta.inputs)) {
    if (spec.default !== undefined && /\$\{\{/.test(String(spec.default))) inputs[name] = interpolate(String(spec.default), scope);
  }
  return { ...inputs, ...given };
}

export async function runOurAction(
  job: JobContext,
  actionDir: string,
  phase: 'main' | 'post',
  inputs: Record<string, string>,
  stepEnv: Record<string, string>,
  state: Record<string, string>,
  timeoutMs: number | undefined,
): Promise<ActionRun> {
  const meta = readActionMetadata(actionDir);
  const entry = phase === 'post' ? meta.runs.post : meta.runs.main;
  if (!entry || !existsSync(join(actionDir, entry))) {
    const name = actionDir.split('/').pop();
    return {
      exitCode: 1,
      timedOut: false,
      cancelled: false,
      errors: [`${actionDir}/${entry ?? 'dist'} is missing: build it with pnpm build ${name}`],
      warnings: [],
      notices: [],
      outputs: {},
      state: {},
      env: {},
      path: [],
      summary: '',
    };
  }
  const prepared = prepareStep(actionDir, {
    runnerDir: job.dir,
    step: phase,
    inputs,
    state,
    event: job.run.payload,
    eventName: job.run.event,
    env: {
      ...job.processEnv(stepEnv),
      ...job.runtimeEnv(),
      GITHUB_ACTION_PATH: actionDir,
      GITHUB_ACTION_REPOSITORY: '',
      GITHUB_EVENT_PATH: job.eventPath,
    },
  });
  // prepareStep's files sit in the job directory; its workspace is the job's.
  const outcome = await runProcess({
    command: node24Path(),
    args: [prepared.entry],
    env: prepared.env,
    cwd: job.workspace,
    log: job.log,
    masker: job.run.masker,
    timeoutMs,
    signal: job.liveSignal(),
    debug: job.run.debug,
  });
  const read = (f: string) => (existsSync(f) ? readFileSync(f, 'utf8') : '');
  const safe = (text: string) => {
    try {
      return parseKeyValueFile(text);
    } catch {
      return {};
    }
  };
  return {
    ...outcome,
    outputs: safe(read(prepared.files.output)),
    state: safe(read(prepared.files.state)),
    env: safe(read(prepared.files.env)),
    path: read(prepared.files.path).split('\n').filter(Boolean),
    summary: read(prepared.files.summary),
  };
}

// One job (or one matrix leg): environment protection, its token, env and defaults, the steps, the post steps, the
// job outputs. https://docs.github.com/actions/reference/workflows-and-actions/workflow-syntax#jobs
import { evaluateString, evaluateStringMap, evaluateToken, type Contexts } from './expressions.js';
import { startDeployment } from './deployments.js';
import { JobContext, type RunState } from './job-context.js';
import { describePermissions, issueJobToken, resolvePermissions } from './permissions.js';
import { runPostSteps, runStep } from './steps.js';
import { JobLog } from './transcript.js';
import type { LegResult } from './types.js';
import { find, type JobDefinition } from './workflow-file.js';

const MINUTE = 60_000;

export interface LegSpec {
  matrix: Record<string, unknown>;
  strategy: Record<string, unknown>;
  needs: Record<string, { result: string; outputs: Record<string, string> }>;
  /** Cancels this leg (fail-fast, cancel-in-progress, the run's cancellation). */
  signal: AbortSignal;
}

export interface LegRun extends LegResult {
  name: string;
  log: string[];
  summary: string;
}

function jobContexts(run: RunState, leg: LegSpec): Contexts {
  return {
    github: run.github,
    inputs: run.inputs,
    vars: run.vars,
    needs: leg.needs,
    matrix: leg.matrix,
    strategy: leg.strategy,
    secrets: run.secrets,
    env: run.workflowEnv,
  };
}

function legName(def: JobDefinition, run: RunState, leg: LegSpec): string {
  const scope = { contexts: jobContexts(run, leg) };
  const base = def.job.name ? evaluateString(def.job.name, scope) : def.id;
  const values = Object.values(leg.matrix);
  // GitHub appends the matrix values unless the name already uses the matrix context.
  if (values.length === 0 || /matrix\./.test(String((def.job.name as { expression?: string } | undefined)?.expression ?? ''))) return base;
  return `${base} (${values.map((v) => (typeof v === 'object' ? JSON.stringify(v) : String(v))).join(', ')})`;
}

export async function runLeg(run: RunState, def: JobDefinition, leg: LegSpec): Promise<LegRun> {
  const log = new JobLog(run.masker);
  const name = legName(def, run, leg);
  const scope = { contexts: jobContexts(run, leg) };
  const done = (result: LegResult['result'], ctx?: JobContext, outputs: Record<string, string> = {}): LegRun => ({
    matrix: leg.matrix,
    result,
    outputs,
    steps: ctx?.results ?? [],
    name,
    log: log.lines,
    summary: ctx?.summaries.join('\n') ?? '',
  });
  log.line(`● ${name} [${def.id}]`);

  let environment: { name: string; url?: string } | undefined;
  let permissions;
  let jobEnv: Record<string, string>;
  let defaultsRun: { shell?: string; 'working-directory'?: string };
  let timeoutMs: number;
  try {
    const env = evaluateToken(find(def.raw, 'environment'), scope);
    if (typeof env === 'string' && env) environment = { name: env };
    else if (env && typeof env === 'object' && (env as { name?: string }).name) environment = env as { name: string; url?: string };
    permissions = resolvePermissions(evaluateToken(find(def.raw, 'permissions') ?? find(run.rootTokens, 'permissions'), scope));
    jobEnv = evaluateStringMap(find(def.raw, 'env'), scope);
    defaultsRun = {
      ...((evaluateToken(find(find(run.rootTokens, 'defaults'), 'run'), scope) as object | undefined) ?? {}),
      ...((evaluateToken(find(find(def.raw, 'defaults'), 'run'), scope) as object | undefined) ?? {}),
    };
    const minutes = Number(evaluateToken(find(def.raw, 'timeout-minutes'), scope) ?? 360);
    timeoutMs = (Number.isFinite(minutes) && minutes > 0 ? minutes : 360) * MINUTE;
  } catch (error) {
    log.line(`  ##[error]The job could not be set up: ${(error as Error).message}`);
    return done('failure');
  }

  if (environment) {
    log.line(
      `  environment: ${environment.name}${run.protectedEnvironments.has(environment.name) ? ' (protected: required reviewers)' : ''}`,
    );
    if (run.protectedEnvironments.has(environment.name) && !run.approved.has(environment.name)) {
      // A rejected review fails the job before any step runs
      // (https://docs.github.com/actions/managing-workflow-runs-and-deployments/managing-deployments/reviewing-deployments).
      log.line(
        `  ##[error]Deployment to '${environment.name}' was rejected: the environment requires a reviewer's approval and none was given (--approve ${environment.name}).`,
      );
      log.line(`✗ ${name}: failure (deployment review rejected)`);
      return done('failure');
    }
  }

  const deployment = environment
    ? await startDeployment(run.services?.github, String(run.github.repository), String(run.github.sha), environment.name, environment.url)
    : undefined;
  const token = issueJobToken(run.services?.github, permissions);
  run.masker.add(token);
  const controller = new AbortController();
  const cancel = () => controller.abort();
  leg.signal.addEventListener('abort', cancel, { once: true });
  if (leg.signal.aborted) controller.abort();
  let timedOut = false;
  const timer = setTimeout(() => {
    timedOut = true;
    controller.abort();
  }, timeoutMs);
  const ctx = new JobContext(
    run,
    def.id,
    name,
    log,
    leg.matrix,
    leg.strategy,
    leg.needs,
    jobEnv,
    defaultsRun,
    token,
    permissions,
    controller.signal,
    environment,
  );
  log.line(`  token permissions: ${describePermissions(permissions)}`);
  try {
    for (const step of def.steps) await runStep(ctx, step);
    await runPostSteps(ctx);
  } finally {
    clearTimeout(timer);
    leg.signal.removeEventListener('abort', cancel);
  }
  if (timedOut) log.line(`  ##[error]The job has exceeded the maximum execution time of ${timeoutMs / MINUTE} minutes.`);
  const result = controller.signal.aborted ? 'cancelled' : ctx.status;

  const outputs: Record<string, string> = {};
  try {
    const values = evaluateStringMap(find(def.raw, 'outputs'), ctx.scope());
    for (const [key, value] of Object.entries(values)) {
      // The runner drops an output that carries a secret (https://docs.github.com/actions/using-jobs/defining-outputs-for-jobs).
      if (value && run.masker.mask(value) !== value) log.line(`  ##[warning]Skip output '${key}' since it may contain secret.`);
      else outputs[key] = value;
    }
  } catch (error) {
    log.line(`  ##[error]Job outputs could not be evaluated: ${(error as Error).message}`);
  }
  if (deployment) {
    let url = environment?.url;
    try {
      const final = evaluateToken(find(def.raw, 'environment'), ctx.scope());
      if (final && typeof final === 'object') url = (final as { url?: string }).url || url;
    } catch {
      // the URL stays as evaluated when the job started
    }
    await deployment.finish(result, url);
  }
  const mark = result === 'success' ? '✓' : result === 'cancelled' ? '⊘' : '✗';
  if (Object.keys(outputs).length)
    log.line(
      `  job outputs: ${Object.entries(outputs)
        .map(([k, v]) => `${k}=${v}`)
        .join(', ')}`,
    );
  log.line(`${mark} ${name}: ${result}`);
  return done(result, ctx, outputs);
}

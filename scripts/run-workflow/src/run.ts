// runWorkflow: a workflow run as GitHub runs it. The job graph from `needs` with GitHub's skip propagation, job
// `if:` with status functions over the ancestors, matrix legs (max-parallel, fail-fast), concurrency groups,
// the run's conclusion. https://docs.github.com/actions/reference/workflows-and-actions/workflow-syntax
import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { defaultPayload, DEFAULT_REPOSITORY, DEFAULT_SHA, mergePayload, refFor } from './events.js';
import { evaluateCondition, evaluateStringMap, evaluateToken, type Contexts } from './expressions.js';
import { typeInputs, type InputDeclaration } from './inputs.js';
import type { RunState } from './job-context.js';
import { runLeg, type LegRun } from './job.js';
import { expandStrategy } from './matrix.js';
import type { LocalServices } from './services.js';
import { Masker } from './transcript.js';
import { UsageError, type JobResult, type RunResult, type RunWorkflowOptions } from './types.js';
import { find, loadWorkflow, WorkflowLoadError, type JobDefinition, type WorkflowFile } from './workflow-file.js';
import { ConcurrencyGroups } from './concurrency.js';
import { jobsToRerun, keptLeg, rerunOptions } from './rerun.js';

const ACTIONS_ROOT = resolve(dirname(fileURLToPath(import.meta.url)), '../../..');
/** Concurrency groups of runs without shared services (one process = one "repository"). */
const processGroups = new ConcurrencyGroups();
let runCounter = 0;
let lastRunId = 0;

function triggers(wf: WorkflowFile): string[] {
  const on = wf.plain.on;
  if (typeof on === 'string') return [on];
  if (Array.isArray(on)) return on.map(String);
  return Object.keys(on ?? {});
}

function chooseEvent(wf: WorkflowFile, given: string | undefined): string {
  const declared = triggers(wf);
  if (given) {
    if (!declared.includes(given)) throw new UsageError(`The workflow is not triggered by '${given}': it declares ${declared.join(', ')}.`);
    return given;
  }
  return declared.includes('workflow_dispatch') ? 'workflow_dispatch' : declared[0];
}

function declaredInputs(wf: WorkflowFile): Record<string, InputDeclaration> | undefined {
  const on = wf.plain.on;
  if (!on || typeof on !== 'object' || Array.isArray(on)) return undefined;
  const dispatch = (on as Record<string, { inputs?: Record<string, InputDeclaration> } | null>).workflow_dispatch;
  return dispatch?.inputs ?? undefined;
}

function gitInfo(dir: string | undefined): { sha?: string } {
  // Only a fixture that is a repository of its own has a HEAD of its own (and no process is spawned otherwise).
  if (!dir || !existsSync(join(dir, '.git'))) return {};
  const r = spawnSync('git', ['rev-parse', 'HEAD'], { cwd: dir, encoding: 'utf8' });
  return r.status === 0 ? { sha: r.stdout.trim() } : {};
}

function defaultRepo(given: string | undefined): string | undefined {
  if (given) return resolve(given);
  const r = spawnSync('git', ['rev-parse', '--show-toplevel'], { encoding: 'utf8' });
  return r.status === 0 ? r.stdout.trim() : undefined;
}

/** The association GitHub would show for a commenter: collaborators as COLLABORATOR, the owner as OWNER. */
function associationOf(actor: string, repository: string, collaborators: Record<string, string>): string {
  if (actor === repository.split('/')[0]) return 'OWNER';
  return collaborators[actor] && collaborators[actor] !== 'none' ? 'COLLABORATOR' : 'NONE';
}

function usesTunnel(wf: WorkflowFile): boolean {
  return wf.jobs.some((j) =>
    j.steps.some((s) =>
      /\/actions\/ssh-tunnel(@|$)|^\.\/actions\/ssh-tunnel/.test((s.step as { uses?: { value: string } }).uses?.value ?? ''),
    ),
  );
}

export async function runWorkflow(options: RunWorkflowOptions): Promise<RunResult> {
  let wf: WorkflowFile;
  try {
    wf = await loadWorkflow(options.workflow);
  } catch (error) {
    if (error instanceof WorkflowLoadError) throw new UsageError(error.message);
    throw error;
  }
  const previous = options.rerunOf;
  if (previous) options = rerunOptions(wf, options, previous);
  const event = chooseEvent(wf, options.event);
  if (options.cron !== undefined && event !== 'schedule') throw new UsageError('--cron is for --event schedule.');
  if (event === 'schedule') {
    const crons = (wf.template.events.schedule ?? []).map((s) => s.cron);
    if (options.cron === undefined && crons.length) options = { ...options, cron: crons[0] };
    else if (options.cron !== undefined && !crons.includes(options.cron))
      throw new UsageError(
        `--cron '${options.cron}' is not a schedule of this workflow: it declares ${crons.map((c) => `'${c}'`).join(', ')}.`,
      );
  }
  if (event !== 'workflow_dispatch' && options.inputs && Object.keys(options.inputs).length)
    throw new UsageError(`--input is for workflow_dispatch; this run's event is ${event}.`);
  const inputs = previous ? previous.inputs : event === 'workflow_dispatch' ? typeInputs(declaredInputs(wf), options.inputs ?? {}) : {};

  const ownServices =
    !options.services && (options.local || options.stateDir)
      ? await (await import('./services.js')).startLocalServices({ stateDir: options.stateDir })
      : undefined;
  const services: LocalServices | undefined = options.services ?? ownServices;
  const workdir = options.workdir ? resolve(options.workdir) : mkdtempSync(join(tmpdir(), 'run-workflow-'));
  try {
    if (services && usesTunnel(wf)) await services.ensureTunnelTargets();
    return await execute(wf, event, inputs, options, services, workdir);
  } finally {
    if (ownServices) await ownServices.stop();
    if (!options.workdir && !options.keepWorkdir) rmSync(workdir, { recursive: true, force: true });
  }
}

async function execute(
  wf: WorkflowFile,
  event: string,
  inputs: Record<string, unknown>,
  options: RunWorkflowOptions,
  services: LocalServices | undefined,
  workdir: string,
): Promise<RunResult> {
  const repoDir = defaultRepo(options.repo);
  const repository = String((options.payload?.repository as { full_name?: string } | undefined)?.full_name ?? DEFAULT_REPOSITORY);
  const actor = options.actor ?? 'octocat';
  const collaborators = options.collaborators ?? {};
  if (services)
    for (const [login, role] of Object.entries(collaborators)) services.github.collaborators.set(login, role as never, repository);
  // Links stay on github.com as on GitHub (and @actions/artifact refuses any other server as GHES); the API is local.
  const serverUrl = 'https://github.com';
  const apiUrl = services?.github.url ?? 'https://api.github.com';
  const previous = options.rerunOf;
  const sha = previous?.sha ?? (options.repo ? gitInfo(repoDir).sha : undefined) ?? DEFAULT_SHA;
  const base = defaultPayload({
    event,
    repository,
    ref: options.ref ?? 'refs/heads/main',
    sha,
    actor,
    association: associationOf(actor, repository, collaborators),
    inputs,
    cron: options.cron,
    comment: options.comment,
    workflowPath: `.github/workflows/${wf.path.split('/').pop()}`,
    serverUrl,
    apiUrl,
  });
  const payload = mergePayload(base, options.payload);
  const ref = refFor(event, payload, options.ref);
  // GitHub's run ids only grow, also across processes sharing --state: dashboard-update and promote-artifact order runs
  // by them, so a later run must never look older than an earlier one.
  // A re-run keeps the run's id and number; only the attempt grows.
  const runId = previous?.runId ?? (lastRunId = Math.max(lastRunId + 1, Math.floor(Date.now() / 10)));
  const runNumber = previous?.runNumber ?? ++runCounter;
  const runAttempt = (previous?.runAttempt ?? 0) + 1;
  const headSha = event === 'pull_request' ? String((payload.pull_request as { head?: { sha?: string } })?.head?.sha ?? sha) : sha;
  if (services) {
    services.github.git.addCommit(repository, { sha: headSha });
    if (sha !== headSha) services.github.git.addCommit(repository, { sha });
  }
  if (services) registerPullRequest(services, event, payload, repository, headSha);
  // A push runs on the commit it pushed (payload.after), whatever payload the caller gave.
  const runSha = event === 'push' && typeof payload.after === 'string' && /^[0-9a-f]{40}$/.test(payload.after) ? payload.after : sha;
  if (services && runSha !== sha) services.github.git.addCommit(repository, { sha: runSha });
  const github: Record<string, unknown> = {
    event_name: event,
    event: payload,
    ref,
    ref_name: ref.replace(/^refs\/(heads|tags)\//, '').replace(/^refs\/pull\/(\d+)\/merge$/, '$1/merge'),
    ref_type: ref.startsWith('refs/tags/') ? 'tag' : 'branch',
    sha: runSha,
    head_ref: event.startsWith('pull_request') ? String((payload.pull_request as { head?: { ref?: string } })?.head?.ref ?? '') : '',
    base_ref: event.startsWith('pull_request') ? String((payload.pull_request as { base?: { ref?: string } })?.base?.ref ?? '') : '',
    repository,
    repository_owner: repository.split('/')[0],
    repository_id: '123456789',
    actor,
    actor_id: '583231',
    triggering_actor: actor,
    run_id: String(runId),
    run_number: String(runNumber),
    run_attempt: String(runAttempt),
    retention_days: '90',
    workflow: wf.name,
    workflow_ref: `${repository}/.github/workflows/${wf.path.split('/').pop()}@${ref}`,
    server_url: serverUrl,
    api_url: apiUrl,
    graphql_url: `${apiUrl}/graphql`,
    action: '',
    path: '',
    env: '',
    secret_source: 'Actions',
  };
  const vars = { ...(services?.vars ?? {}), ...(options.vars ?? {}) };
  const secrets = { ...(services?.secrets ?? {}), ...(options.secrets ?? {}) };
  const masker = new Masker();
  for (const value of Object.values(secrets)) masker.add(value);
  const cancel = new AbortController();
  options.signal?.addEventListener('abort', () => cancel.abort(), { once: true });
  const transcript: string[] = [];
  const emit = (line: string) => {
    transcript.push(line);
    options.log?.(line);
  };
  const workflowScope = { contexts: { github, inputs, vars, secrets } as Contexts };
  const run: RunState = {
    runId,
    runNumber,
    workflowName: wf.name,
    workflowPath: wf.path,
    event,
    payload,
    github,
    inputs,
    vars,
    secrets,
    workflowEnv: evaluateStringMap(wf.template.env, workflowScope),
    rootTokens: wf.root,
    images: [],
    masker,
    services,
    workdir,
    repoDir,
    actionsRoot: ACTIONS_ROOT,
    artifacts: new Map(),
    approved: new Set(options.approve ?? []),
    toleratedJobs: new Set(),
    protectedEnvironments: new Set(options.protect ?? []),
    cancel,
    debug: process.env.ACTIONS_STEP_DEBUG === 'true',
  };
  emit(
    `${wf.name} (${wf.path.split('/').pop()}) on ${event}${event === 'schedule' ? ` '${options.cron}'` : ''}, ref ${ref}, run ${runId}` +
      (runAttempt > 1 ? `, attempt ${runAttempt} (re-run of the failed jobs)` : ''),
  );
  if (Object.keys(inputs).length)
    emit(
      `  inputs: ${Object.entries(inputs)
        .map(([k, v]) => `${k}=${JSON.stringify(v)}`)
        .join(', ')}`,
    );

  const groups = services?.concurrency ?? processGroups;
  const jobs: Record<string, JobResult> = {};
  let slot: { admitted: boolean; release(): void } | undefined;
  const concurrency = evaluateToken(wf.template.concurrency, workflowScope);
  if (concurrency) {
    const group = typeof concurrency === 'string' ? concurrency : String((concurrency as { group?: unknown }).group ?? '');
    const cancelInProgress = typeof concurrency === 'object' && (concurrency as Record<string, unknown>)['cancel-in-progress'] === true;
    slot = await groups.acquire(
      group,
      cancelInProgress,
      () => cancel.abort(),
      () => emit(`  queued behind concurrency group '${group}'`),
    );
    if (!slot.admitted) {
      emit(`⊘ cancelled: a newer run of concurrency group '${group}' took this run's place in the queue`);
      for (const def of wf.jobs) jobs[def.id] = { result: 'skipped', outputs: {}, steps: [] };
      return {
        conclusion: 'cancelled',
        jobs,
        transcript,
        runId,
        runNumber,
        runAttempt,
        workflow: wf.path,
        event,
        inputs,
        payload,
        ref,
        sha,
        images: [],
      };
    }
  }
  try {
    await runGraph(wf, run, jobs, emit, groups, previous);
  } finally {
    slot?.release();
  }
  const attempt = { runNumber, runAttempt, inputs, payload, ref, sha, ...(options.cron !== undefined ? { cron: options.cron } : {}) };
  const results = Object.entries(jobs);
  const failed = results.some(([id, j]) => j.result === 'failure' && !run.toleratedJobs.has(id));
  const conclusion =
    cancel.signal.aborted || results.some(([, j]) => j.result === 'cancelled') ? 'cancelled' : failed ? 'failure' : 'success';
  emit(`Run ${conclusion}: ${results.map(([id, j]) => `${id}=${j.result}`).join(', ')}`);
  if (services) services.images.push(...run.images);
  return {
    conclusion,
    jobs,
    transcript,
    runId,
    ...attempt,
    workflow: wf.path,
    event,
    images: run.images,
    ...(services ? { services: await services.snapshot() } : {}),
  };
}

/** The event's pull request exists on GitHub: it does on the local one too, unless the caller registered it already. */
function registerPullRequest(
  services: LocalServices,
  event: string,
  payload: Record<string, unknown>,
  repository: string,
  headSha: string,
): void {
  const pr = payload.pull_request as { number?: number; state?: string; title?: string; head?: { ref?: string; sha?: string } } | undefined;
  const issue = payload.issue as { number?: number; pull_request?: unknown; state?: string } | undefined;
  const number = event.startsWith('pull_request') ? pr?.number : issue?.pull_request ? issue.number : undefined;
  if (!number) return;
  const [owner, repo] = repository.split('/');
  if (services.github.issues.pulls.some((p) => p.owner === owner && p.repo === repo && p.number === number)) return;
  services.github.issues.addPull(
    {
      number,
      headSha: pr?.head?.sha ?? headSha,
      headRef: pr?.head?.ref ?? 'feature',
      baseRef: 'main',
      state: (pr?.state ?? issue?.state) === 'closed' ? 'closed' : 'open',
      title: pr?.title ?? 'Change the pipeline',
    },
    repository,
  );
}

function legContinuesOnError(def: JobDefinition, contexts: Contexts): boolean {
  try {
    const value = evaluateToken(find(def.raw, 'continue-on-error'), { contexts });
    return value === true || value === 'true';
  } catch {
    return false;
  }
}

function ancestors(wf: WorkflowFile, id: string, seen = new Set<string>()): Set<string> {
  for (const need of wf.jobs.find((j) => j.id === id)?.job.needs ?? []) {
    if (seen.has(need.value)) continue;
    seen.add(need.value);
    ancestors(wf, need.value, seen);
  }
  return seen;
}

async function runGraph(
  wf: WorkflowFile,
  run: RunState,
  jobs: Record<string, JobResult>,
  emit: (line: string) => void,
  groups: ConcurrencyGroups,
  previous?: RunResult,
): Promise<void> {
  const pending = new Map(wf.jobs.map((j) => [j.id, j]));
  const running = new Map<string, Promise<void>>();
  if (previous) {
    const rerun = jobsToRerun(wf, previous, (id) => ancestors(wf, id));
    for (const { id } of wf.jobs) {
      if (rerun.has(id)) continue;
      jobs[id] = previous.jobs[id];
      pending.delete(id);
      emit(`↺ ${id}: ${jobs[id].result} (kept from attempt ${previous.runAttempt})`);
    }
  }
  for (let guard = 0; guard < 10_000 && (pending.size || running.size); guard++) {
    for (const [id, def] of pending) {
      const needs = (def.job.needs ?? []).map((n) => n.value);
      if (!needs.every((n) => jobs[n])) continue;
      pending.delete(id);
      const p = startJob(wf, def, run, jobs, emit, groups, previous?.jobs[id]).then(() => void running.delete(id));
      running.set(id, p);
    }
    if (running.size === 0 && pending.size) {
      for (const id of pending.keys()) jobs[id] = { result: 'skipped', outputs: {}, steps: [] };
      break;
    }
    await Promise.race(running.values());
  }
}

async function startJob(
  wf: WorkflowFile,
  def: JobDefinition,
  run: RunState,
  jobs: Record<string, JobResult>,
  emit: (line: string) => void,
  groups: ConcurrencyGroups,
  previous?: JobResult,
): Promise<void> {
  const needs = Object.fromEntries(
    (def.job.needs ?? []).map((n) => [n.value, { result: jobs[n.value].result, outputs: jobs[n.value].outputs }]),
  );
  const up = [...ancestors(wf, def.id)];
  // Job-level status functions look at every ancestor, not only the direct needs: a skipped or failed job anywhere
  // upstream skips a job with the default success() (https://docs.github.com/actions/reference/workflows-and-actions/expressions#status-check-functions).
  const status = {
    success: () => !run.cancel.signal.aborted && up.every((a) => jobs[a].result === 'success'),
    failure: () => up.some((a) => jobs[a].result === 'failure'),
    cancelled: () => run.cancel.signal.aborted,
  };
  const contexts: Contexts = { github: run.github, inputs: run.inputs, vars: run.vars, needs };
  let go: boolean;
  try {
    go = evaluateCondition(def.job.if.expression, { contexts, status });
  } catch (error) {
    emit(`✗ ${def.id}: its if: could not be evaluated: ${(error as Error).message}`);
    jobs[def.id] = { result: 'failure', outputs: {}, steps: [] };
    return;
  }
  if (!go) {
    emit(`- ${def.id}: skipped (if: ${def.job.if.expression})`);
    jobs[def.id] = { result: 'skipped', outputs: {}, steps: [] };
    return;
  }
  let strategy;
  try {
    strategy = expandStrategy(evaluateToken(def.job.strategy, { contexts }));
  } catch (error) {
    emit(`✗ ${def.id}: strategy: ${(error as Error).message}`);
    jobs[def.id] = { result: 'failure', outputs: {}, steps: [] };
    return;
  }
  const legs = strategy?.legs ?? [{}];
  const failFast = strategy?.failFast ?? true;
  const maxParallel = strategy?.maxParallel ?? legs.length;
  const matrixCancel = new AbortController();
  const onRunCancel = () => matrixCancel.abort();
  run.cancel.signal.addEventListener('abort', onRunCancel, { once: true });
  const results: LegRun[] = new Array(legs.length);
  const tolerated = new Set<number>();
  let next = 0;
  let lastOutputs: Record<string, string> = {};
  const worker = async () => {
    while (next < legs.length) {
      const index = next++;
      const matrix = legs[index];
      const strategyContext = { 'fail-fast': failFast, 'job-index': index, 'job-total': legs.length, 'max-parallel': maxParallel };
      const legContexts = { ...contexts, matrix, strategy: strategyContext };
      const kept = keptLeg(previous, matrix);
      if (kept) {
        const log = [`↺ ${def.id} ${JSON.stringify(matrix)}: success (kept from the earlier attempt)`];
        results[index] = { ...kept, name: def.id, log, summary: '' };
        lastOutputs = { ...lastOutputs, ...kept.outputs };
        for (const line of log) emit(line);
        continue;
      }
      if (matrixCancel.signal.aborted) {
        results[index] = { matrix, result: 'cancelled', outputs: {}, steps: [], name: def.id, log: [], summary: '' };
        continue;
      }
      const legCancel = new AbortController();
      const forward = () => legCancel.abort();
      matrixCancel.signal.addEventListener('abort', forward, { once: true });
      let release = () => undefined as void;
      const concurrency = evaluateToken(find(def.raw, 'concurrency'), { contexts: legContexts });
      if (concurrency) {
        const group = typeof concurrency === 'string' ? concurrency : String((concurrency as { group?: unknown }).group ?? '');
        const slot = await groups.acquire(group, (concurrency as Record<string, unknown>)['cancel-in-progress'] === true, forward, () =>
          emit(`  ${def.id}: queued behind concurrency group '${group}'`),
        );
        release = slot.release;
        if (!slot.admitted) {
          results[index] = {
            matrix,
            result: 'cancelled',
            outputs: {},
            steps: [],
            name: def.id,
            log: [`⊘ ${def.id}: cancelled (replaced in concurrency group '${group}')`],
            summary: '',
          };
          for (const l of results[index].log) emit(l);
          continue;
        }
      }
      try {
        const leg = await runLeg(run, def, { matrix, strategy: strategyContext, needs, signal: legCancel.signal });
        results[index] = leg;
        lastOutputs = { ...lastOutputs, ...leg.outputs };
        for (const line of leg.log) emit(line);
        // A leg with continue-on-error (often `${{ matrix.experimental }}`) fails without failing the run or the matrix.
        if (leg.result === 'failure' && legContinuesOnError(def, legContexts)) tolerated.add(index);
        else if (leg.result === 'failure' && failFast && legs.length > 1) matrixCancel.abort();
      } finally {
        release();
        matrixCancel.signal.removeEventListener('abort', forward);
      }
    }
  };
  await Promise.all(Array.from({ length: Math.min(maxParallel, legs.length) }, worker));
  run.cancel.signal.removeEventListener('abort', onRunCancel);
  const order = ['failure', 'cancelled', 'success'] as const;
  const result = order.find((r) => results.some((l) => l.result === r)) ?? 'success';
  const only = results[0];
  const failures = results.map((l, i) => (l.result === 'failure' ? i : -1)).filter((i) => i >= 0);
  if (failures.length > 0 && failures.every((i) => tolerated.has(i))) run.toleratedJobs.add(def.id);
  jobs[def.id] =
    strategy?.legs && strategy.legs.length >= 1 && def.job.strategy
      ? {
          result,
          outputs: lastOutputs,
          steps: only.steps,
          legs: results.map(({ matrix, result: r, outputs, steps }) => ({ matrix, result: r, outputs, steps })),
          name: def.id,
          summary: results
            .map((l) => l.summary)
            .filter(Boolean)
            .join('\n'),
        }
      : { result: only.result, outputs: only.outputs, steps: only.steps, name: only.name, summary: only.summary };
}

// One step of a job: its `if:`, then a `run:` script, one of our actions, or a third-party double; its outcome and
// conclusion (continue-on-error), outputs, GITHUB_ENV/PATH/STEP_SUMMARY, and a post step to run at the job's end.
import { randomUUID } from 'node:crypto';
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { parseKeyValueFile } from '../../../packages/testing/src/workflow-commands.js';
import { readActionMetadata } from '../../../packages/testing/src/harness.js';
import { findDouble } from './doubles/index.js';
import { StepFailure, type DoubleStep } from './doubles/types.js';
import { evaluateCondition, evaluateString, evaluateStringMap, evaluateToken } from './expressions.js';
import type { JobContext } from './job-context.js';
import { actionInputs, resolveOurAction, runOurAction, type ActionRun } from './our-actions.js';
import { runProcess, type ProcessOutcome } from './step-process.js';
import { indent } from './transcript.js';
import type { JobConclusion, StepResult } from './types.js';
import { find, type StepDefinition } from './workflow-file.js';

const MINUTE = 60_000;

/** The shell command for a `run:` step (https://docs.github.com/actions/reference/workflows-and-actions/workflow-syntax#jobsjob_idstepsshell). */
export function shellCommand(shell: string | undefined, script: string): { command: string; args: string[]; ext: string } | string {
  switch (shell) {
    case undefined:
    case '':
      return { command: 'bash', args: ['-e', script], ext: '.sh' };
    case 'bash':
      return { command: 'bash', args: ['--noprofile', '--norc', '-eo', 'pipefail', script], ext: '.sh' };
    case 'sh':
      return { command: 'sh', args: ['-e', script], ext: '.sh' };
    case 'python':
      return { command: 'python3', args: [script], ext: '.py' };
    case 'pwsh':
    case 'powershell':
    case 'cmd':
      return `shell '${shell}' is not modelled by run-workflow (Linux runner: bash, sh, python, or a custom command with {0})`;
    default: {
      if (!shell.includes('{0}')) return `shell '${shell}': a custom shell must contain {0} (the script path)`;
      const [command, ...rest] = shell.split(/\s+/);
      return { command, args: rest.map((a) => a.replace('{0}', script)), ext: '' };
    }
  }
}

function defaultName(uses: string | undefined, script: string): string {
  if (uses) return `Run ${uses}`;
  return `Run ${script.split('\n').find((l) => l.trim()) ?? ''}`.trim();
}

function timeoutOf(def: StepDefinition, job: JobContext): number | undefined {
  const minutes = Number(evaluateToken(find(def.raw, 'timeout-minutes'), job.scope()) ?? NaN);
  return Number.isFinite(minutes) && minutes > 0 ? minutes * MINUTE : undefined;
}

/** Applies what a step wrote to its runner files and reports its outputs. */
function collectFiles(
  job: JobContext,
  files: { output: string; env: string; path: string; summary: string },
): { outputs: Record<string, string>; summary: string; problem?: string } {
  const read = (f: string) => (existsSync(f) ? readFileSync(f, 'utf8') : '');
  try {
    Object.assign(job.addedEnv, parseKeyValueFile(read(files.env)));
    for (const dir of read(files.path).split('\n').filter(Boolean).reverse()) job.addedPath.unshift(dir);
    return { outputs: parseKeyValueFile(read(files.output)), summary: read(files.summary) };
  } catch (error) {
    return { outputs: {}, summary: read(files.summary), problem: (error as Error).message };
  }
}

function outcomeOf(p: ProcessOutcome): JobConclusion {
  if (p.cancelled) return 'cancelled';
  return p.exitCode === 0 && !p.timedOut && !p.spawnError ? 'success' : 'failure';
}

export async function runStep(job: JobContext, def: StepDefinition): Promise<void> {
  const step = def.step as { id: string; uses?: { value: string }; run?: unknown; if: { expression: string } };
  const publicId = step.id.startsWith('__') ? '' : step.id;
  const uses = step.uses?.value;
  const scope = () => job.scope();
  const rawRun = find(def.raw, 'run');
  const scriptSource = rawRun
    ? String((rawRun as unknown as { value?: unknown; source?: string }).value ?? (rawRun as unknown as { source?: string }).source ?? '')
    : '';
  let name = defaultName(uses, scriptSource);
  const result: StepResult = { id: publicId, name, ...(uses ? { uses } : {}), outcome: 'skipped', conclusion: 'skipped', outputs: {} };
  const record = () => {
    job.results.push(result);
    if (publicId) job.steps[publicId] = { outputs: result.outputs, outcome: result.outcome, conclusion: result.conclusion };
  };

  let run: boolean;
  try {
    const nameToken = find(def.raw, 'name');
    if (nameToken) name = result.name = evaluateString(nameToken, scope());
    run = evaluateCondition(step.if.expression, scope());
  } catch (error) {
    job.log.line(`  ✗ ${name}`);
    job.log.line(`      ##[error]The step's if: or name: could not be evaluated: ${(error as Error).message}`);
    result.outcome = result.conclusion = 'failure';
    job.status = 'failure';
    return record();
  }
  if (!run) {
    job.log.line(`  - ${name} (skipped: ${step.if.expression})`);
    return record();
  }

  const started = Date.now();
  const errors: string[] = [];
  const warnings: string[] = [];
  let outcome: JobConclusion = 'success';
  let summary = '';
  job.log.line(`  ▶ ${name}`);
  try {
    const stepEnv = evaluateStringMap(find(def.raw, 'env'), scope());
    const stepScope = job.scope({ env: { ...job.envContext(), ...stepEnv } });
    const timeoutMs = timeoutOf(def, job);
    if (uses) {
      const withValues = evaluateStringMap(find(def.raw, 'with'), stepScope);
      const ours = resolveOurAction(uses, job);
      if (ours) {
        const meta = readActionMetadata(ours);
        const unexpected = Object.keys(withValues).filter((k) => !(k in meta.inputs));
        if (unexpected.length) {
          const w = `Unexpected input(s) '${unexpected.join("', '")}', valid inputs are ['${Object.keys(meta.inputs).join("', '")}']`;
          warnings.push(w);
          job.log.line(`      ##[warning]${w}`);
        }
        const inputs = actionInputs(meta, withValues, stepScope);
        const r: ActionRun = await runOurAction(job, ours, 'main', inputs, stepEnv, {}, timeoutMs);
        errors.push(...r.errors);
        warnings.push(...r.warnings);
        outcome = outcomeOf(r);
        if (r.timedOut) job.log.line('      ##[error]The action has timed out.');
        Object.assign(job.addedEnv, r.env);
        for (const dir of [...r.path].reverse()) job.addedPath.unshift(dir);
        result.outputs = r.outputs;
        summary = r.summary;
        if (meta.runs.post) registerPost(job, ours, meta.runs['post-if'] ?? 'always()', name, inputs, stepEnv, r.state);
      } else {
        const double = findDouble(uses);
        if (!double) {
          throw new StepFailure(
            `run-workflow has no local double for ${uses.split('@')[0]}: add one as scripts/run-workflow/src/doubles/<name>.ts and list it in doubles/index.ts (see scripts/run-workflow/README.md).`,
          );
        }
        summary = await runDouble(job, double.run.bind(double), uses, withValues, stepEnv, result, warnings);
      }
    } else {
      const script = evaluateString(rawRun, stepScope);
      const defaults = job.defaultsRun;
      const shell = evaluateString(find(def.raw, 'shell'), stepScope) || defaults.shell;
      const wd = evaluateString(find(def.raw, 'working-directory'), stepScope) || defaults['working-directory'] || '';
      const cwd = resolve(job.workspace, wd);
      if (!existsSync(cwd))
        throw new StepFailure(
          `An error occurred trying to start process '${shell ?? 'bash'}' with working directory '${cwd}'. No such file or directory`,
        );
      const file = join(job.temp, randomUUID());
      const cmd = shellCommand(shell, `${file}`);
      if (typeof cmd === 'string') throw new StepFailure(cmd);
      writeFileSync(`${file}`, script);
      if (cmd.ext) {
        writeFileSync(`${file}${cmd.ext}`, script);
        cmd.args = cmd.args.map((a) => (a === file ? `${file}${cmd.ext}` : a));
      }
      const files = job.stepFiles();
      const env = {
        ...job.processEnv(stepEnv),
        GITHUB_OUTPUT: files.output,
        GITHUB_STATE: files.state,
        GITHUB_ENV: files.env,
        GITHUB_PATH: files.path,
        GITHUB_STEP_SUMMARY: files.summary,
        GITHUB_ACTION: publicId || step.id,
      };
      const p = await runProcess({
        command: cmd.command,
        args: cmd.args,
        env,
        cwd,
        log: job.log,
        masker: job.run.masker,
        timeoutMs,
        signal: job.liveSignal(),
        debug: job.run.debug,
      });
      errors.push(...p.errors);
      warnings.push(...p.warnings);
      outcome = outcomeOf(p);
      if (p.spawnError) job.log.line(`      ##[error]${p.spawnError}`);
      else if (p.timedOut) job.log.line('      ##[error]The action has timed out.');
      else if (outcome === 'failure') job.log.line(`      ##[error]Process completed with exit code ${p.exitCode}.`);
      const collected = collectFiles(job, files);
      if (collected.problem) {
        outcome = 'failure';
        job.log.line(`      ##[error]${collected.problem}`);
      }
      result.outputs = collected.outputs;
      summary = collected.summary;
    }
  } catch (error) {
    outcome = job.signal.aborted ? 'cancelled' : 'failure';
    const message = error instanceof StepFailure ? error.message : `${(error as Error).message}`;
    errors.push(message);
    job.log.line(`      ##[error]${message}`);
  }

  const continueOnError = isContinueOnError(find(def.raw, 'continue-on-error'), job);
  result.outcome = outcome;
  result.conclusion = outcome === 'failure' && continueOnError ? 'success' : outcome;
  if (result.conclusion === 'failure') job.status = 'failure';
  if (result.conclusion === 'cancelled' && job.status === 'success') job.status = 'cancelled';
  result.summary = summary;
  result.errors = errors;
  result.warnings = warnings;
  if (summary.trim()) {
    job.summaries.push(summary);
    job.log.line('      summary:');
    job.log.line(indent(summary, '      │ '));
  }
  const outputs = Object.entries(result.outputs).filter(([, v]) => v !== '');
  const short = (v: string) => {
    const one = v.includes('\n') ? JSON.stringify(v) : v;
    return one.length > 100 ? `${one.slice(0, 97)}...` : one;
  };
  if (outputs.length) job.log.line(`      outputs: ${outputs.map(([k, v]) => `${k}=${short(v)}`).join(', ')}`);
  const mark = result.outcome === 'success' ? '✓' : result.outcome === 'cancelled' ? '⊘' : '✗';
  job.log.line(
    `  ${mark} ${name}: ${result.outcome}${result.conclusion !== result.outcome ? ` (continue-on-error: ${result.conclusion})` : ''} (${((Date.now() - started) / 1000).toFixed(1)} s)`,
  );
  record();
}

function isContinueOnError(token: ReturnType<typeof find>, job: JobContext): boolean {
  if (!token) return false;
  try {
    return evaluateString(token, job.scope()) === 'true';
  } catch {
    return false;
  }
}

async function runDouble(
  job: JobContext,
  run: (step: DoubleStep) => Promise<void>,
  uses: string,
  withValues: Record<string, string>,
  stepEnv: Record<string, string>,
  result: StepResult,
  warnings: string[],
): Promise<string> {
  let summary = '';
  const env = job.processEnv(stepEnv);
  const double: DoubleStep = {
    uses,
    with: withValues,
    job,
    env,
    setOutput: (k, v) => (result.outputs[k] = v),
    exportVariable: (k, v) => (job.addedEnv[k] = v),
    addPath: (dir) => job.addedPath.unshift(dir),
    setSecret: (v) => job.run.masker.add(v),
    summary: (md) => (summary += md),
    info: (line) => job.log.line(indent(line, '      ')),
    warning: (message) => {
      warnings.push(message);
      job.log.line(`      ##[warning]${message}`);
    },
  };
  await run(double);
  return summary;
}

function registerPost(
  job: JobContext,
  actionDir: string,
  condition: string,
  name: string,
  inputs: Record<string, string>,
  stepEnv: Record<string, string>,
  state: Record<string, string>,
): void {
  job.posts.push({
    name: `Post ${name}`,
    condition,
    run: async () => {
      const r = await runOurAction(job, actionDir, 'post', inputs, stepEnv, state, undefined);
      const outcome = outcomeOf(r);
      if (r.summary.trim()) job.summaries.push(r.summary);
      return { id: '', name: `Post ${name}`, outcome, conclusion: outcome, outputs: {}, errors: r.errors, warnings: r.warnings };
    },
  });
}

/** Post steps at the job's end, last registered first, each under its `post-if` (default always()). */
export async function runPostSteps(job: JobContext): Promise<void> {
  for (const post of [...job.posts].reverse()) {
    let run = false;
    try {
      run = evaluateCondition(post.condition, job.scope());
    } catch (error) {
      job.log.line(`  ✗ ${post.name}: post-if could not be evaluated: ${(error as Error).message}`);
    }
    if (!run) {
      job.log.line(`  - ${post.name} (skipped: ${post.condition})`);
      continue;
    }
    job.log.line(`  ▶ ${post.name}`);
    const r = await post.run();
    if (!r) continue;
    job.results.push(r);
    if (r.conclusion === 'failure') job.status = 'failure';
    job.log.line(`  ${r.outcome === 'success' ? '✓' : '✗'} ${post.name}: ${r.outcome}`);
  }
}

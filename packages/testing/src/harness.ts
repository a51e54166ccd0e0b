import { spawn } from 'node:child_process';
import { mkdirSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { parse as parseYaml } from 'yaml';
import { node24Path } from './node-runtime.js';
import { parseKeyValueFile, parseWorkflowCommands, type WorkflowCommand } from './workflow-commands.js';

export interface ActionMetadata {
  name: string;
  inputs: Record<string, { description?: string; required?: boolean; default?: string; deprecationMessage?: string }>;
  outputs: Record<string, { description?: string }>;
  runs: { using: string; main: string; post?: string; 'post-if'?: string; pre?: string };
}

export function readActionMetadata(actionDir: string): ActionMetadata {
  const meta = parseYaml(readFileSync(join(actionDir, 'action.yml'), 'utf8')) as ActionMetadata;
  meta.inputs ??= {};
  meta.outputs ??= {};
  return meta;
}

export interface RunActionOptions {
  inputs?: Record<string, string | number | boolean>;
  /** Extra environment (overrides the defaults below). `undefined` removes a variable. */
  env?: Record<string, string | undefined>;
  event?: Record<string, unknown>;
  eventName?: string;
  /** State saved by `main`, given to `post` as STATE_* (the runner does the same). */
  state?: Record<string, string>;
  step?: 'main' | 'post';
  /** Reuse a runner directory (RUNNER_TEMP, workspace) across main and post. */
  runnerDir?: string;
  timeoutMs?: number;
  /** Values that must never appear in stdout/stderr at all, masked or not (outside `::add-mask::`). */
  secrets?: string[];
}

export interface ActionResult {
  exitCode: number | null;
  signal: NodeJS.Signals | null;
  outputs: Record<string, string>;
  state: Record<string, string>;
  env: Record<string, string>;
  path: string[];
  summary: string;
  stdout: string;
  stderr: string;
  commands: WorkflowCommand[];
  errors: string[];
  warnings: string[];
  notices: string[];
  masks: string[];
  /**
   * Secrets a log would show in clear (should be empty): a declared secret anywhere in stdout/stderr, or a
   * masked value printed before its `::add-mask::` (the runner masks only from registration on) or on stderr.
   */
  leakedSecrets: string[];
  runnerDir: string;
  durationMs: number;
}

export const DEFAULT_REPOSITORY = 'octo-org/pipeline-demo';

/** A runner directory and environment ready for one step: what the runner sets up before it starts `node`. */
export interface PreparedStep {
  /** The bundled entry file (`runs.main` or `runs.post`). */
  entry: string;
  env: Record<string, string>;
  /** GITHUB_WORKSPACE, the step's working directory. */
  workspace: string;
  runnerDir: string;
  files: { output: string; state: string; env: string; path: string; summary: string; event: string };
}

/**
 * Prepares a step as the runner does: the runner files, the event payload, and the environment with
 * `INPUT_*` (action.yml defaults applied) and `STATE_*`. `runAction` runs it; a benchmark may run it under
 * its own measurement.
 */
export function prepareStep(actionDir: string, options: RunActionOptions = {}): PreparedStep {
  const dir = resolve(actionDir);
  const meta = readActionMetadata(dir);
  const step = options.step ?? 'main';
  const entry = step === 'post' ? meta.runs.post : meta.runs.main;
  if (!entry) throw new Error(`${dir}/action.yml has no runs.${step}`);

  const runnerDir = options.runnerDir ?? mkdtempSync(join(tmpdir(), 'runner-'));
  const files = {
    output: join(runnerDir, `output-${step}`),
    state: join(runnerDir, `state-${step}`),
    env: join(runnerDir, `env-${step}`),
    path: join(runnerDir, `path-${step}`),
    summary: join(runnerDir, `summary-${step}`),
    event: join(runnerDir, 'event.json'),
  };
  const temp = join(runnerDir, 'temp');
  const workspace = join(runnerDir, 'workspace');
  mkdirSync(temp, { recursive: true });
  mkdirSync(workspace, { recursive: true });
  for (const f of [files.output, files.state, files.env, files.path, files.summary]) writeFileSync(f, '');
  writeFileSync(files.event, JSON.stringify(options.event ?? {}));

  const env: Record<string, string> = {
    PATH: process.env.PATH ?? '/usr/bin:/bin',
    HOME: process.env.HOME ?? runnerDir,
    CI: 'true',
    GITHUB_ACTIONS: 'true',
    GITHUB_OUTPUT: files.output,
    GITHUB_STATE: files.state,
    GITHUB_ENV: files.env,
    GITHUB_PATH: files.path,
    GITHUB_STEP_SUMMARY: files.summary,
    GITHUB_EVENT_PATH: files.event,
    GITHUB_EVENT_NAME: options.eventName ?? 'workflow_dispatch',
    GITHUB_WORKSPACE: workspace,
    RUNNER_TEMP: temp,
    RUNNER_OS: 'Linux',
    GITHUB_SERVER_URL: 'https://github.com',
    GITHUB_API_URL: 'https://api.github.com',
    GITHUB_REPOSITORY: DEFAULT_REPOSITORY,
    GITHUB_REPOSITORY_OWNER: DEFAULT_REPOSITORY.split('/')[0],
    GITHUB_REF: 'refs/heads/main',
    GITHUB_REF_NAME: 'main',
    GITHUB_SHA: '84fb588e0c1d2b3a4f5e6d7c8b9a0f1e2d3c4b5a',
    GITHUB_RUN_ID: '1001',
    GITHUB_RUN_NUMBER: '7',
    GITHUB_RUN_ATTEMPT: '1',
    GITHUB_WORKFLOW: 'Pipeline',
    GITHUB_ACTOR: 'octocat',
    GITHUB_JOB: 'test',
  };
  for (const [name, spec] of Object.entries(meta.inputs)) {
    if (spec.default !== undefined && !/\$\{\{/.test(spec.default)) env[inputEnvName(name)] = String(spec.default);
  }
  for (const [name, value] of Object.entries(options.inputs ?? {})) env[inputEnvName(name)] = String(value);
  for (const [name, value] of Object.entries(options.state ?? {})) env[`STATE_${name}`] = value;
  for (const [name, value] of Object.entries(options.env ?? {})) {
    if (value === undefined) delete env[name];
    else env[name] = value;
  }
  return { entry: join(dir, entry), env, workspace, runnerDir, files };
}

/** Runs an action's bundled `dist` entry the way GitHub's runner does, and collects what it wrote. */
export async function runAction(actionDir: string, options: RunActionOptions = {}): Promise<ActionResult> {
  const { entry, env, workspace, runnerDir, files } = prepareStep(actionDir, options);
  const started = Date.now();
  const child = spawn(node24Path(), [entry], { env, cwd: workspace, stdio: ['ignore', 'pipe', 'pipe'] });
  let stdout = '';
  let stderr = '';
  child.stdout.setEncoding('utf8').on('data', (d: string) => (stdout += d));
  child.stderr.setEncoding('utf8').on('data', (d: string) => (stderr += d));
  const timeoutMs = options.timeoutMs ?? 60_000;
  const timer = setTimeout(() => child.kill('SIGKILL'), timeoutMs);
  const [exitCode, signal] = await new Promise<[number | null, NodeJS.Signals | null]>((done, fail) => {
    child.on('error', fail);
    child.on('close', (code, sig) => done([code, sig]));
  });
  clearTimeout(timer);
  const durationMs = Date.now() - started;

  const commands = parseWorkflowCommands(stdout);
  const masks = commands.filter((c) => c.command === 'add-mask').map((c) => c.message);
  const leakedSecrets = findLeaks(stdout, stderr, masks, options.secrets ?? []);
  const of = (name: string) => commands.filter((c) => c.command === name).map((c) => c.message);

  return {
    exitCode,
    signal,
    outputs: parseKeyValueFile(readFileSync(files.output, 'utf8')),
    state: { ...(options.state ?? {}), ...parseKeyValueFile(readFileSync(files.state, 'utf8')) },
    env: parseKeyValueFile(readFileSync(files.env, 'utf8')),
    path: readFileSync(files.path, 'utf8').split('\n').filter(Boolean),
    summary: readFileSync(files.summary, 'utf8'),
    stdout,
    stderr,
    commands,
    errors: of('error'),
    warnings: of('warning'),
    notices: of('notice'),
    masks,
    leakedSecrets,
    runnerDir,
    durationMs,
  };
}

/** Runs `main`, then `post` with the state main saved, in the same runner directory. */
export async function runMainAndPost(
  actionDir: string,
  options: Omit<RunActionOptions, 'step' | 'state'> = {},
): Promise<{ main: ActionResult; post: ActionResult }> {
  const main = await runAction(actionDir, { ...options, step: 'main' });
  const post = await runAction(actionDir, { ...options, step: 'post', state: main.state, runnerDir: main.runnerDir });
  return { main, post };
}

export function inputEnvName(name: string): string {
  return `INPUT_${name.replace(/ /g, '_').toUpperCase()}`;
}

function findLeaks(stdout: string, stderr: string, masks: string[], declared: string[]): string[] {
  const lines = stdout.split(/\r?\n/);
  const printed = (value: string, upTo = lines.length) =>
    lines.slice(0, upTo).some((l) => !l.startsWith('::add-mask::') && l.includes(value)) || stderr.includes(value);
  const leaks = new Set<string>();
  for (const value of declared) if (value && printed(value)) leaks.add(value);
  for (const value of masks) {
    if (!value) continue;
    const registered = lines.indexOf(`::add-mask::${value}`);
    if (printed(value, registered === -1 ? lines.length : registered)) leaks.add(value);
  }
  return [...leaks];
}

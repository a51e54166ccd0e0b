// Runs one step's process as the runner does: its stdout/stderr become log lines, workflow commands
// (::error::, ::warning::, ::notice::, ::add-mask::, ::group::, ::stop-commands::) are acted on, and a
// timeout or a cancellation kills the whole process group.
import { spawn } from 'node:child_process';
import { parseWorkflowCommands } from '../../../packages/testing/src/workflow-commands.js';
import type { JobLog, Masker } from './transcript.js';

export interface ProcessOptions {
  command: string;
  args: string[];
  env: Record<string, string>;
  cwd: string;
  log: JobLog;
  masker: Masker;
  timeoutMs?: number;
  signal?: AbortSignal;
  debug?: boolean;
}

export interface ProcessOutcome {
  exitCode: number | null;
  timedOut: boolean;
  cancelled: boolean;
  errors: string[];
  warnings: string[];
  notices: string[];
  /** A spawn failure (missing shell or binary), as one sentence. */
  spawnError?: string;
}

export async function runProcess(o: ProcessOptions): Promise<ProcessOutcome> {
  const outcome: ProcessOutcome = { exitCode: null, timedOut: false, cancelled: false, errors: [], warnings: [], notices: [] };
  if (o.signal?.aborted) return { ...outcome, cancelled: true };
  let stopToken: string | undefined;
  const onLine = (line: string) => {
    if (stopToken !== undefined) {
      if (line === `::${stopToken}::`) stopToken = undefined;
      else o.log.line(`      ${line}`);
      return;
    }
    const [command] = line.startsWith('::') ? parseWorkflowCommands(line) : [];
    if (!command) return o.log.line(`      ${line}`);
    const where = command.properties.file
      ? ` (${command.properties.file}${command.properties.line ? `:${command.properties.line}` : ''})`
      : '';
    switch (command.command) {
      case 'add-mask':
        o.masker.add(command.message);
        return;
      case 'error':
        outcome.errors.push(command.message);
        return o.log.line(`      ##[error]${command.message}${where}`);
      case 'warning':
        outcome.warnings.push(command.message);
        return o.log.line(`      ##[warning]${command.message}${where}`);
      case 'notice':
        outcome.notices.push(command.message);
        return o.log.line(`      ##[notice]${command.message}${where}`);
      case 'debug':
        if (o.debug) o.log.line(`      ##[debug]${command.message}`);
        return;
      case 'group':
        return o.log.line(`      ▸ ${command.message}`);
      case 'endgroup':
      case 'echo':
        return;
      case 'stop-commands':
        stopToken = command.message;
        return;
      default:
        return o.log.line(`      ${line}`);
    }
  };

  const child = spawn(o.command, o.args, { env: o.env, cwd: o.cwd, stdio: ['ignore', 'pipe', 'pipe'], detached: true });
  const pending = { out: '', err: '' };
  const feed = (key: 'out' | 'err') => (chunk: string) => {
    const text = pending[key] + chunk;
    const lines = text.split(/\r?\n/);
    pending[key] = lines.pop() ?? '';
    for (const line of lines) onLine(line);
  };
  child.stdout.setEncoding('utf8').on('data', feed('out'));
  child.stderr.setEncoding('utf8').on('data', feed('err'));
  const closed = Promise.all([new Promise((r) => child.stdout.once('close', r)), new Promise((r) => child.stderr.once('close', r))]);
  const killGroup = () => {
    try {
      if (child.pid) process.kill(-child.pid, 'SIGKILL');
    } catch {
      child.kill('SIGKILL');
    }
  };
  const timer = o.timeoutMs
    ? setTimeout(() => {
        outcome.timedOut = true;
        killGroup();
      }, o.timeoutMs)
    : undefined;
  const onAbort = () => {
    outcome.cancelled = true;
    killGroup();
  };
  o.signal?.addEventListener('abort', onAbort, { once: true });
  const result = await new Promise<{ code: number | null; error?: Error }>((resolve) => {
    child.once('error', (error) => resolve({ code: null, error }));
    child.once('exit', (code) => resolve({ code }));
  });
  // A background process the step started (an SSH tunnel) may hold the pipes open: do not wait for it.
  let grace: NodeJS.Timeout | undefined;
  await Promise.race([closed, new Promise((r) => (grace = setTimeout(r, 300)))]);
  clearTimeout(grace);
  child.stdout.destroy();
  child.stderr.destroy();
  if (timer) clearTimeout(timer);
  o.signal?.removeEventListener('abort', onAbort);
  for (const rest of [pending.out, pending.err]) if (rest) onLine(rest);
  if (result.error) outcome.spawnError = `could not start ${o.command}: ${result.error.message}`;
  outcome.exitCode = result.code;
  return outcome;
}

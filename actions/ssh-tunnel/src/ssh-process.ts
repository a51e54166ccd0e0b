import { spawn } from 'node:child_process';
import { closeSync, existsSync, openSync } from 'node:fs';
import { delimiter, join } from 'node:path';
import type { WatchedProcess } from './readiness.js';

/** The first `name` on PATH, or undefined. */
export function findOnPath(name: string, path = process.env.PATH ?? ''): string | undefined {
  for (const dir of path.split(delimiter)) {
    if (dir && existsSync(join(dir, name))) return join(dir, name);
  }
  return undefined;
}

export interface StartedSsh extends WatchedProcess {
  pid: number;
}

/**
 * Starts ssh detached from this step (its own session, unref'd, stdio to a log file), so it
 * outlives the node process of `main` and lives until the post step stops it.
 */
export async function startDetached(command: string, args: string[], logPath: string): Promise<StartedSsh> {
  const logFd = openSync(logPath, 'a', 0o600);
  const env = { ...process.env };
  delete env.SSH_AUTH_SOCK; // never offer keys from an agent: only private-key
  let exit: { code: number | null; signal: string | null } | undefined;
  try {
    const child = spawn(command, args, { detached: true, stdio: ['ignore', logFd, logFd], env });
    child.once('exit', (code, signal) => (exit = { code, signal }));
    const pid = await new Promise<number>((resolve, reject) => {
      child.once('error', reject);
      child.once('spawn', () => resolve(child.pid as number));
    });
    child.unref();
    return { pid, exit: () => exit };
  } finally {
    closeSync(logFd);
  }
}

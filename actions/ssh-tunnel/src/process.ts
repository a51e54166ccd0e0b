import { spawnSync } from 'node:child_process';
import { existsSync, readdirSync, readFileSync } from 'node:fs';

export type ProcessState = 'running' | 'zombie' | 'gone';

/**
 * Whether a pid is a live process. A zombie (exited, not yet reaped: common in containers whose
 * init does not reap) counts as gone for our purposes: it holds no port and no file.
 */
export function processState(pid: number): ProcessState {
  if (!Number.isInteger(pid) || pid <= 1) return 'gone';
  if (existsSync('/proc/self/stat')) {
    try {
      const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
      const state = stat.slice(stat.lastIndexOf(')') + 2, stat.lastIndexOf(')') + 3);
      return state === 'Z' || state === 'X' ? 'zombie' : 'running';
    } catch {
      return 'gone';
    }
  }
  const ps = spawnSync('ps', ['-o', 'stat=', '-p', String(pid)], { encoding: 'utf8' });
  const stat = ps.status === 0 ? ps.stdout.trim() : '';
  if (stat === '') return 'gone';
  return stat.startsWith('Z') ? 'zombie' : 'running';
}

/** The process's command line, or undefined when it cannot be read. */
export function processCommand(pid: number): string | undefined {
  if (existsSync('/proc/self/cmdline')) {
    try {
      return readFileSync(`/proc/${pid}/cmdline`, 'utf8').split('\0').join(' ').trim();
    } catch {
      return undefined;
    }
  }
  const ps = spawnSync('ps', ['-o', 'command=', '-p', String(pid)], { encoding: 'utf8' });
  return ps.status === 0 ? ps.stdout.trim() : undefined;
}

/**
 * Live processes whose command line contains `marker` (our private directory appears in every
 * ssh we start, including the one ProxyJump starts for the jump hop), this process excluded.
 */
export function processesWith(marker: string): number[] {
  const found: number[] = [];
  if (existsSync('/proc/self/cmdline')) {
    let entries: string[];
    try {
      entries = readdirSync('/proc').filter((e) => /^\d+$/.test(e));
    } catch {
      return [];
    }
    for (const entry of entries) {
      const pid = Number(entry);
      if (pid === process.pid || processState(pid) !== 'running') continue;
      if (processCommand(pid)?.includes(marker)) found.push(pid);
    }
    return found;
  }
  const ps = spawnSync('ps', ['-axo', 'pid=,command='], { encoding: 'utf8' });
  for (const line of ps.status === 0 ? ps.stdout.split('\n') : []) {
    const m = /^\s*(\d+)\s+(.*)$/.exec(line);
    if (m && Number(m[1]) !== process.pid && m[2].includes(marker)) found.push(Number(m[1]));
  }
  return found;
}

export type StopOutcome = 'terminated' | 'killed' | 'already-gone' | 'not-ours' | 'still-running';

export interface StopResult {
  outcome: StopOutcome;
  ms: number;
}

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

async function gone(pid: number, withinMs: number): Promise<boolean> {
  const deadline = Date.now() + withinMs;
  let delay = 5;
  for (;;) {
    if (processState(pid) !== 'running') return true;
    if (Date.now() >= deadline) return false;
    await sleep(delay);
    delay = Math.min(delay * 2, 100);
  }
}

function signal(pid: number, sig: NodeJS.Signals): void {
  try {
    process.kill(pid, sig);
  } catch {
    // Already gone between the check and the signal: nothing to stop.
  }
}

/**
 * Stops our ssh: SIGTERM, then SIGKILL after graceMs. Only a process whose command line contains
 * `marker` (our private directory) is signalled, so a recycled pid is never killed.
 */
export async function stopProcess(pid: number, marker: string, graceMs: number): Promise<StopResult> {
  const started = Date.now();
  const elapsed = () => Date.now() - started;
  if (processState(pid) !== 'running') return { outcome: 'already-gone', ms: elapsed() };
  const command = processCommand(pid);
  if (command !== undefined && !command.includes(marker)) return { outcome: 'not-ours', ms: elapsed() };
  signal(pid, 'SIGTERM');
  if (await gone(pid, graceMs)) return { outcome: 'terminated', ms: elapsed() };
  signal(pid, 'SIGKILL');
  if (await gone(pid, 2000)) return { outcome: 'killed', ms: elapsed() };
  return { outcome: 'still-running', ms: elapsed() };
}

import * as core from '@actions/core';
import { markdownTable, runStep, writeSummary } from '@pipeline-actions/kit';
import { existsSync, readFileSync, rmSync } from 'node:fs';
import { basename, dirname, resolve } from 'node:path';
import { tmpdir } from 'node:os';
import { sshMessages } from './classify.js';
import { processesWith, processState, stopProcess, type StopResult } from './process.js';
import { portClosed } from './readiness.js';
import { parsePorts, STATE } from './state.js';

const GRACE_MS = 3000;
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

/** Polls until nothing accepts on the port, for at most withinMs. */
async function waitClosed(bind: string, port: number, withinMs: number): Promise<boolean> {
  const deadline = Date.now() + withinMs;
  let delay = 10;
  for (;;) {
    if (await portClosed(bind, port)) return true;
    if (Date.now() >= deadline) return false;
    await sleep(delay);
    delay = Math.min(delay * 2, 200);
  }
}

/** Only a directory main made (ssh-tunnel-* under RUNNER_TEMP or the temp dir) is ever deleted. */
function isOurDir(dir: string): boolean {
  const parent = resolve(dirname(dir));
  const allowed = [process.env.RUNNER_TEMP, tmpdir()].filter((d): d is string => !!d).map((d) => resolve(d));
  return basename(dir).startsWith('ssh-tunnel-') && allowed.includes(parent);
}

function describeStop(pid: number, result: StopResult): string {
  switch (result.outcome) {
    case 'terminated':
      return `ssh (pid ${pid}) stopped with SIGTERM in ${result.ms} ms`;
    case 'killed':
      return `ssh (pid ${pid}) ignored SIGTERM for ${GRACE_MS} ms; stopped with SIGKILL`;
    case 'already-gone':
      return `ssh (pid ${pid}) had already exited`;
    case 'not-ours':
      return `pid ${pid} now belongs to another program (ssh had exited and the pid was reused); left alone`;
    case 'still-running':
      return `ssh (pid ${pid}) is still running after SIGKILL`;
  }
}

export async function post(): Promise<void> {
  const dir = core.getState(STATE.dir);
  const pid = Number(core.getState(STATE.pid) || '0');
  const ports = parsePorts(core.getState(STATE.ports));
  const target = core.getState(STATE.target);
  if (!dir && !pid) {
    core.info('Nothing to clean up: main did not start a tunnel (it stopped before creating anything).');
    return;
  }
  const rows: string[][] = [];

  if (pid) {
    // Tell the user when the tunnel died during the job rather than being stopped here.
    const logPath = dir ? `${dir}/ssh.log` : '';
    const alive = processState(pid) === 'running';
    if (!alive && logPath && existsSync(logPath)) {
      const said = sshMessages(readFileSync(logPath, 'utf8')).slice(-10);
      if (said.length > 0)
        core.info(`ssh had already exited before the post step; its last messages:\n${said.map((l) => `  ${l}`).join('\n')}`);
    }
    const result = await stopProcess(pid, dir || 'ssh', GRACE_MS);
    const text = describeStop(pid, result);
    if (result.outcome === 'still-running') core.warning(text);
    else core.info(text);
    rows.push(['ssh process', text]);
  } else {
    rows.push(['ssh process', 'no pid saved (main stopped before or while starting ssh)']);
  }
  // Any other ssh of ours (the jump hop's, or one main started but could not record): same marker.
  if (dir && isOurDir(dir)) {
    for (const stray of processesWith(dir).filter((p) => p !== pid)) {
      const result = await stopProcess(stray, dir, GRACE_MS);
      if (result.outcome === 'already-gone') continue;
      const text = describeStop(stray, result).replace(/^ssh/, 'another ssh of this tunnel');
      core.info(text);
      rows.push(['ssh process', text]);
    }
  }

  for (const p of ports) {
    const closed = await waitClosed(p.bind, p.port, 2000);
    const text = closed ? 'closed' : 'still accepting connections (another process listens there now?)';
    if (closed) core.info(`local port ${p.bind}:${p.port} ${text}`);
    else core.warning(`local port ${p.bind}:${p.port} is ${text}`);
    rows.push([`local port ${p.bind}:${p.port}`, text]);
  }

  if (dir) {
    let text: string;
    if (!existsSync(dir)) {
      text = 'already removed';
    } else if (!isOurDir(dir)) {
      text = `not removed: ${dir} is not a directory this action creates`;
      core.warning(`The saved private directory ${dir} is not one this action creates; left alone.`);
    } else {
      try {
        rmSync(dir, { recursive: true, force: true });
        text = existsSync(dir) ? 'could not be removed' : 'deleted (private key, known_hosts, ssh_config, ssh log)';
      } catch (error) {
        text = `could not be removed: ${(error as Error).message}`;
      }
      if (text.startsWith('could not')) core.warning(`Private directory ${dir} ${text}.`);
    }
    core.info(`private directory ${dir}: ${text}`);
    rows.push(['private directory', text]);
  }

  await writeSummary(
    ['### SSH tunnel cleaned up', '', ...(target ? [`Tunnel to \`${target}\`.`, ''] : []), markdownTable(['What', 'Result'], rows)].join(
      '\n',
    ),
  );
}

void runStep(post);

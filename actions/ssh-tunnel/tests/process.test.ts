import { describe, expect, it } from '@jest/globals';
import { spawn } from 'node:child_process';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseForwards } from '../src/forwards.js';
import { processState, stopProcess } from '../src/process.js';
import { sshArgs, sshConfig, tunnelFiles, type TunnelSpec } from '../src/ssh-command.js';

/** A detached bash whose command line carries `marker`; `trapTerm` makes it ignore SIGTERM. Resolves once it runs. */
async function startSleeper(marker: string, trapTerm: boolean): Promise<number> {
  const script = `${trapTerm ? "trap '' TERM; " : ''}echo ready; while :; do sleep 0.05; done # ${marker}`;
  const child = spawn('bash', ['-c', script], { detached: true, stdio: ['ignore', 'pipe', 'ignore'] });
  await new Promise((resolve) => child.stdout.once('data', resolve));
  child.stdout.destroy();
  child.unref();
  return child.pid as number;
}

describe('stopProcess', () => {
  it('stops a process with SIGTERM', async () => {
    const pid = await startSleeper('marker-term', false);
    const result = await stopProcess(pid, 'marker-term', 3000);
    expect(result.outcome).toBe('terminated');
    expect(processState(pid)).not.toBe('running');
  });

  it('falls back to SIGKILL after the grace period', async () => {
    const pid = await startSleeper('marker-kill', true);
    const result = await stopProcess(pid, 'marker-kill', 200);
    expect(result.outcome).toBe('killed');
    expect(processState(pid)).not.toBe('running');
  });

  it('never signals a pid whose command line is not ours (a recycled pid)', async () => {
    const pid = await startSleeper('someone-else', false);
    try {
      expect((await stopProcess(pid, '/tmp/ssh-tunnel-abc', 200)).outcome).toBe('not-ours');
      expect(processState(pid)).toBe('running');
    } finally {
      process.kill(pid, 'SIGKILL');
    }
  });

  it('reports a process that is already gone', async () => {
    expect((await stopProcess(2 ** 22 + 12345, 'x', 100)).outcome).toBe('already-gone');
  });
});

describe('the ssh command', () => {
  // Only names paths (with a space, as a self-hosted RUNNER_TEMP may have); nothing is written.
  const dir = join(tmpdir(), 'ssh tunnel args');
  const spec: TunnelSpec = {
    host: 'bastion.example.com',
    port: 2222,
    user: 'deploy',
    forwards: parseForwards('5432:db.internal:5432\n[::1]:6379:cache:6379').forwards,
    timeoutSeconds: 30,
    keepaliveSeconds: 15,
    keepaliveCountMax: 3,
    jumpHost: { user: 'hop', host: 'jump.example.com', port: 22 },
  };
  const files = tunnelFiles(dir);

  it('carries every safety option on the command line, with quoted paths', () => {
    const args = sshArgs(spec, files).join(' ');
    for (const option of [
      'ExitOnForwardFailure=yes',
      'BatchMode=yes',
      'StrictHostKeyChecking=yes',
      'IdentitiesOnly=yes',
      'ServerAliveInterval=15',
      'ServerAliveCountMax=3',
    ]) {
      expect(args).toContain(`-o ${option}`);
    }
    expect(args).toContain(`-o UserKnownHostsFile="${files.knownHosts}"`);
    expect(args).toContain(`-o IdentityFile="${files.key}"`);
    expect(args).toContain(`-F ${files.config}`);
    expect(args).toMatch(/^-N /);
    expect(args).toContain('-J hop@jump.example.com:22');
    expect(args).toContain('-L 127.0.0.1:5432:db.internal:5432 -L [::1]:6379:cache:6379');
    expect(args.endsWith('-p 2222 -l deploy -- bastion.example.com')).toBe(true);
  });

  it('writes a config the jump hop reads too: pinned, keyed, no agent, debug2 log', () => {
    const config = sshConfig(spec, files);
    expect(config).toContain('StrictHostKeyChecking yes');
    expect(config).toContain(`UserKnownHostsFile "${files.knownHosts}"`);
    expect(config).toContain('GlobalKnownHostsFile /dev/null');
    expect(config).toContain('IdentityAgent none');
    expect(config).toContain('LogLevel DEBUG2');
  });

  it('accepts a new target key only for trust-on-first-use through a jump host', () => {
    expect(sshArgs({ ...spec, acceptNewTargetKey: true }, files).join(' ')).toContain('StrictHostKeyChecking=accept-new');
    expect(sshConfig({ ...spec, acceptNewTargetKey: true }, files)).toContain('StrictHostKeyChecking yes');
  });
});

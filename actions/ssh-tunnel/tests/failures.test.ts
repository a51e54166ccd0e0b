import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { spawn } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readdirSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { createServer, type Server } from 'node:net';
import { join } from 'node:path';
import { freePort, runAction, runMainAndPost } from '../../../packages/testing/src/index.js';
import { generateKeyPair, sshdMissing, startSshd, type SshdServer } from '../../../packages/testing/src/sshd.js';
import { actionDir, alive, expectCleanedUp, expectNoLeak, portAccepts } from './helpers.js';

const missing = sshdMissing();
if (missing.length > 0)
  console.warn(`SKIPPED ssh-tunnel failure tests: missing ${missing.join(', ')}. .ci/run installs them, so CI never skips these.`);
const suite = missing.length === 0 ? describe : describe.skip;

suite('ssh-tunnel failures against a real sshd', () => {
  let sshd: SshdServer;
  let strict: SshdServer;
  let other: ReturnType<typeof generateKeyPair>;
  let target: Server;
  let targetPort: number;

  const base = () => ({
    host: '127.0.0.1',
    port: sshd.port,
    user: sshd.user,
    'private-key': sshd.clientKey.privateKey,
    'known-hosts': sshd.knownHostsLine,
  });

  beforeAll(async () => {
    [sshd, strict] = await Promise.all([startSshd(), startSshd({ permitOpen: ['127.0.0.1:1'] })]);
    strict.authorize(sshd.clientKey.publicKey);
    other = generateKeyPair(sshd.dir, 'other_ed25519');
    target = createServer((socket) => socket.end());
    await new Promise<void>((resolve) => target.listen(0, '127.0.0.1', () => resolve()));
    targetPort = (target.address() as { port: number }).port;
  });
  afterAll(async () => {
    target?.close();
    await Promise.all([sshd?.stop(), strict?.stop()]);
  });

  it('fails closed on a wrong host key, says so, and post cleans up after the failed main', async () => {
    const wrongHost = `[127.0.0.1]:${sshd.port} ${other.publicKey.split(' ').slice(0, 2).join(' ')}`;
    const local = await freePort();
    const { main, post } = await runMainAndPost(actionDir, {
      inputs: { ...base(), 'known-hosts': wrongHost, forwards: `${local}:127.0.0.1:${targetPort}` },
    });
    expect(main.exitCode).toBe(1);
    expect(main.errors).toHaveLength(1);
    expect(main.errors[0]).toContain('failed: host key mismatch');
    expect(main.errors[0]).toContain('REMOTE HOST IDENTIFICATION HAS CHANGED');
    expect(main.errors[0]).toContain('Fix: the server presented a key that does not match known-hosts');
    expect(main.outputs).toEqual({});
    expect(await portAccepts(local)).toBe(false);
    expect(post.exitCode).toBe(0);
    expect(post.errors).toEqual([]);
    await expectCleanedUp(main.state, [local]);
    expectNoLeak(main, sshd.clientKey.privateKey);
  });

  it('refuses a private key the server does not know, as authentication refused', async () => {
    const { main, post } = await runMainAndPost(actionDir, {
      inputs: { ...base(), 'private-key': other.privateKey, forwards: `0:127.0.0.1:${targetPort}` },
    });
    expect(main.exitCode).toBe(1);
    expect(main.errors[0]).toContain('failed: authentication refused');
    expect(main.errors[0]).toContain('Permission denied (publickey)');
    expect(main.errors[0]).toContain('authorized_keys');
    expect(post.exitCode).toBe(0);
    await expectCleanedUp(main.state, []);
    expectNoLeak(main, other.privateKey);
  });

  it('fails when the bastion cannot reach the remote (the probe opens a channel through the forward)', async () => {
    const closed = await freePort();
    const local = await freePort();
    const { main, post } = await runMainAndPost(actionDir, {
      inputs: { ...base(), forwards: `${local}:127.0.0.1:${targetPort}\n0:127.0.0.1:${closed}` },
    });
    expect(main.exitCode).toBe(1);
    expect(main.errors[0]).toContain('failed: forward refused or remote unreachable');
    expect(main.errors[0]).toContain(`could not open 127.0.0.1:${closed}`);
    expect(main.errors[0]).toContain('connect failed: Connection refused');
    expect(post.exitCode).toBe(0);
    await expectCleanedUp(main.state, [local]);
  });

  it("explains a forward the bastion's sshd forbids (PermitOpen)", async () => {
    const main = await runAction(actionDir, {
      inputs: { ...base(), port: strict.port, 'known-hosts': strict.knownHostsLine, forwards: `0:127.0.0.1:${targetPort}` },
    });
    expect(main.exitCode).toBe(1);
    expect(main.errors[0]).toContain('administratively prohibited');
    expect(main.errors[0]).toContain('PermitOpen');
  });

  it('reports an unreachable bastion', async () => {
    const nothing = await freePort();
    const { main, post } = await runMainAndPost(actionDir, {
      inputs: {
        ...base(),
        port: nothing,
        'known-hosts': `[127.0.0.1]:${nothing} ${sshd.knownHostsLine.split(' ').slice(1).join(' ')}`,
        forwards: `0:127.0.0.1:${targetPort}`,
      },
    });
    expect(main.exitCode).toBe(1);
    expect(main.errors[0]).toContain('failed: bastion unreachable');
    expect(main.errors[0]).toContain('Connection refused');
    expect(post.exitCode).toBe(0);
  });

  it('refuses a local port that is already in use before starting ssh', async () => {
    const busy = createServer();
    await new Promise<void>((resolve) => busy.listen(0, '127.0.0.1', () => resolve()));
    const port = (busy.address() as { port: number }).port;
    try {
      const main = await runAction(actionDir, { inputs: { ...base(), forwards: `${port}:127.0.0.1:${targetPort}` } });
      expect(main.exitCode).toBe(1);
      expect(main.errors[0]).toContain(`local port in use: 127.0.0.1:${port}`);
      expect(main.state['ssh-pid']).toBeUndefined();
    } finally {
      busy.close();
    }
  });

  it('times out on a server that never answers, then post stops the ssh that main left', async () => {
    // A TCP listener that never sends an SSH banner: ssh waits, main times out.
    const silent = createServer(() => undefined);
    await new Promise<void>((resolve) => silent.listen(0, '127.0.0.1', () => resolve()));
    const port = (silent.address() as { port: number }).port;
    try {
      const { main, post } = await runMainAndPost(actionDir, {
        inputs: {
          ...base(),
          port,
          'known-hosts': `[127.0.0.1]:${port} ${sshd.knownHostsLine.split(' ').slice(1).join(' ')}`,
          forwards: `0:127.0.0.1:${targetPort}`,
          'timeout-seconds': 1,
        },
      });
      expect(main.exitCode).toBe(1);
      expect(main.errors[0]).toMatch(/failed: (timed out|bastion unreachable)/);
      expect(post.exitCode).toBe(0);
      await expectCleanedUp(main.state, []);
    } finally {
      silent.close();
    }
  });

  it('lets post clean up after a main that was killed while waiting (a cancelled job)', async () => {
    const silent = createServer(() => undefined);
    await new Promise<void>((resolve) => silent.listen(0, '127.0.0.1', () => resolve()));
    const port = (silent.address() as { port: number }).port;
    try {
      const main = await runAction(actionDir, {
        inputs: {
          ...base(),
          port,
          'known-hosts': `[127.0.0.1]:${port} ${sshd.knownHostsLine.split(' ').slice(1).join(' ')}`,
          forwards: `0:127.0.0.1:${targetPort}`,
        },
        timeoutMs: 3000,
      });
      expect(main.signal).toBe('SIGKILL');
      const pid = Number(main.state['ssh-pid']);
      expect(alive(pid)).toBe(true);
      expect(existsSync(join(main.state['private-dir'], 'id'))).toBe(true);
      const post = await runAction(actionDir, { step: 'post', state: main.state, runnerDir: main.runnerDir });
      expect(post.exitCode).toBe(0);
      expect(post.stdout).toContain(`ssh (pid ${pid}) stopped with SIGTERM`);
      await expectCleanedUp(main.state, []);
    } finally {
      silent.close();
    }
  });

  it('post never fails for an ssh that is already gone, and says so', async () => {
    const main = await runAction(actionDir, { inputs: { ...base(), forwards: `0:127.0.0.1:${targetPort}` } });
    expect(main.exitCode).toBe(0);
    process.kill(Number(main.outputs.pid), 'SIGKILL');
    const post = await runAction(actionDir, { step: 'post', state: main.state, runnerDir: main.runnerDir });
    expect(post.exitCode).toBe(0);
    expect(post.stdout).toContain('had already exited');
    await expectCleanedUp(main.state, [Number(main.outputs['local-port'])]);
    const again = await runAction(actionDir, { step: 'post', state: main.state, runnerDir: main.runnerDir });
    expect(again.exitCode).toBe(0);
    expect(again.summary).toContain('already removed');
  });

  it('post finds and stops an ssh of the tunnel whose pid main never recorded (killed right after spawning it)', async () => {
    // State as main leaves it when killed between starting ssh and saving its pid: the directory and ports only.
    const runnerDir = mkdtempSync(join(tmpdir(), 'runner-'));
    const dir = join(runnerDir, 'temp', 'ssh-tunnel-orphan');
    mkdirSync(dir, { recursive: true, mode: 0o700 });
    writeFileSync(join(dir, 'id'), 'not a real key\n', { mode: 0o600 });
    const stray = spawn('bash', ['-c', `echo up; while :; do sleep 0.05; done # -F ${dir}/ssh_config`], {
      detached: true,
      stdio: ['ignore', 'pipe', 'ignore'],
    });
    await new Promise((resolve) => stray.stdout.once('data', resolve));
    stray.stdout.destroy();
    stray.unref();
    const post = await runAction(actionDir, { step: 'post', runnerDir, state: { 'private-dir': dir, 'local-ports': '[]' } });
    expect(post.exitCode).toBe(0);
    expect(post.stdout).toContain(`another ssh of this tunnel (pid ${stray.pid}) stopped with SIGTERM`);
    expect(alive(stray.pid as number)).toBe(false);
    expect(existsSync(dir)).toBe(false);
  });

  it('post with no saved state (main failed on its inputs) has nothing to do', async () => {
    const post = await runAction(actionDir, { step: 'post' });
    expect(post.exitCode).toBe(0);
    expect(post.stdout).toContain('Nothing to clean up');
  });

  it('trust-on-first-use scans the key, warns and prints the SHA256 fingerprint to pin', async () => {
    const { main, post } = await runMainAndPost(actionDir, {
      inputs: { ...base(), 'known-hosts': '', 'trust-on-first-use': 'true', forwards: `0:127.0.0.1:${targetPort}` },
    });
    expect(main.exitCode).toBe(0);
    expect(main.outputs['host-key-fingerprint']).toBe(sshd.hostKeyFingerprint);
    const warning = main.warnings.find((w) => w.startsWith('trust-on-first-use'));
    expect(warning).toContain(sshd.hostKeyFingerprint);
    expect(warning).toContain(sshd.knownHostsLine);
    expect(main.summary).toContain('trusted on first use');
    expect(post.exitCode).toBe(0);
    expectNoLeak(main, sshd.clientKey.privateKey);
  });

  it('goes through a jump host pinned by the same known-hosts', async () => {
    const jump = await startSshd();
    try {
      jump.authorize(sshd.clientKey.publicKey);
      const { main, post } = await runMainAndPost(actionDir, {
        inputs: {
          ...base(),
          'jump-host': `${jump.user}@127.0.0.1:${jump.port}`,
          'known-hosts': `${sshd.knownHostsLine}\n${jump.knownHostsLine}`,
          forwards: `0:127.0.0.1:${targetPort}`,
        },
      });
      expect(main.errors).toEqual([]);
      expect(main.exitCode).toBe(0);
      expect(main.outputs['host-key-fingerprint']).toBe(sshd.hostKeyFingerprint);
      expect(main.summary).toContain('via jump host');
      expect(post.exitCode).toBe(0);
      await expectCleanedUp(main.state, [Number(main.outputs['local-port'])]);
    } finally {
      await jump.stop();
    }
  });

  it('fails closed when the jump host key is wrong', async () => {
    const jump = await startSshd();
    try {
      jump.authorize(sshd.clientKey.publicKey);
      const wrong = `[127.0.0.1]:${jump.port} ${other.publicKey.split(' ').slice(0, 2).join(' ')}`;
      const main = await runAction(actionDir, {
        inputs: {
          ...base(),
          'jump-host': `${jump.user}@127.0.0.1:${jump.port}`,
          'known-hosts': `${sshd.knownHostsLine}\n${wrong}`,
          forwards: `0:127.0.0.1:${targetPort}`,
        },
      });
      expect(main.exitCode).toBe(1);
      expect(main.errors[0]).toContain('host key mismatch');
    } finally {
      await jump.stop();
    }
  });

  it('reports every input problem at once and starts nothing', async () => {
    const main = await runAction(actionDir, {
      inputs: { ...base(), 'known-hosts': '', forwards: '5432:db.internal\n0:db:5432', 'timeout-seconds': '0' },
    });
    expect(main.exitCode).toBe(1);
    expect(main.errors).toEqual([
      expect.stringMatching(/^Input 'timeout-seconds': 0 is out of range/),
      expect.stringMatching(
        /^Input 'forwards': line 1 '5432:db.internal': has 2 fields; expected \[bind:\]local_port:remote_host:remote_port/,
      ),
      expect.stringMatching(/^Input 'known-hosts': is required: .*trust-on-first-use/),
    ]);
    expect(main.state).toEqual({});
    expect(readdirSync(join(main.runnerDir, 'temp'))).toEqual([]);
    expectNoLeak(main, sshd.clientKey.privateKey);
  });
});

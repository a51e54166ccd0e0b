import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { spawn } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { connect } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { generateKeyPair, sshdMissing, startSshd, type SshdServer } from '../src/sshd.js';

const missing = sshdMissing();
if (missing.length > 0)
  console.warn(
    `SKIPPED sshd helper tests: missing ${missing.join(', ')}. .ci/run installs openssh-server and openssh-client, so CI never skips these.`,
  );
const suite = missing.length === 0 ? describe : describe.skip;

/** Runs `ssh ... true` with only the given key and known_hosts; resolves with exit code and stderr. */
function sshRun(server: SshdServer, key: string, knownHosts: string): Promise<{ code: number | null; stderr: string }> {
  const dir = mkdtempSync(join(tmpdir(), 'sshd-client-'));
  writeFileSync(join(dir, 'id'), key, { mode: 0o600 });
  writeFileSync(join(dir, 'known_hosts'), `${knownHosts}\n`);
  const args = [
    '-F',
    '/dev/null',
    '-o',
    'BatchMode=yes',
    '-o',
    'StrictHostKeyChecking=yes',
    '-o',
    `UserKnownHostsFile=${join(dir, 'known_hosts')}`,
  ];
  args.push('-o', 'IdentitiesOnly=yes', '-i', join(dir, 'id'), '-p', String(server.port), `${server.user}@127.0.0.1`, 'true');
  return new Promise((resolve) => {
    const child = spawn('ssh', args, { stdio: ['ignore', 'ignore', 'pipe'] });
    let stderr = '';
    child.stderr.setEncoding('utf8').on('data', (d: string) => (stderr += d));
    child.on('close', (code) => {
      rmSync(dir, { recursive: true, force: true });
      resolve({ code, stderr });
    });
  });
}

suite('throwaway sshd', () => {
  let server: SshdServer;
  beforeAll(async () => {
    server = await startSshd();
  });
  afterAll(async () => {
    await server?.stop();
  });

  it('listens on 127.0.0.1 and speaks SSH', async () => {
    const banner = await new Promise<string>((resolve, reject) => {
      const socket = connect({ host: '127.0.0.1', port: server.port });
      socket.once('data', (d) => {
        socket.destroy();
        resolve(d.toString());
      });
      socket.once('error', reject);
    });
    expect(banner).toMatch(/^SSH-2\.0-OpenSSH/);
    expect(server.knownHostsLine).toMatch(new RegExp(`^\\[127\\.0\\.0\\.1\\]:${server.port} ssh-ed25519 AAAA`));
    expect(server.hostKeyFingerprint).toMatch(/^SHA256:/);
  });

  it('lets the client key in with the pinned host key', async () => {
    const result = await sshRun(server, server.clientKey.privateKey, server.knownHostsLine);
    expect(result.stderr).toBe('');
    expect(result.code).toBe(0);
  });

  it('refuses an unknown key until it is authorized', async () => {
    const other = generateKeyPair(server.dir, 'stranger');
    const refused = await sshRun(server, other.privateKey, server.knownHostsLine);
    expect(refused.code).toBe(255);
    expect(refused.stderr).toContain('Permission denied (publickey)');
    server.authorize(other.publicKey);
    expect((await sshRun(server, other.privateKey, server.knownHostsLine)).code).toBe(0);
  });

  it('stops, removes its directory and frees the port', async () => {
    const extra = await startSshd();
    await extra.stop();
    const refused = await new Promise<boolean>((resolve) => {
      const socket = connect({ host: '127.0.0.1', port: extra.port });
      socket.once('connect', () => {
        socket.destroy();
        resolve(false);
      });
      socket.once('error', () => resolve(true));
    });
    expect(refused).toBe(true);
  });
});

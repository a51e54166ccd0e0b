import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { connect } from 'node:net';
import { tmpdir, userInfo } from 'node:os';
import { join } from 'node:path';
import { freePort, waitFor } from './free-port.js';

const SSHD = process.env.SSHD_PATH ?? (existsSync('/usr/sbin/sshd') ? '/usr/sbin/sshd' : 'sshd');

export interface SshKeyPair {
  /** OpenSSH private key text (unencrypted). */
  privateKey: string;
  /** `ssh-ed25519 AAAA... comment` */
  publicKey: string;
  /** `SHA256:...` as ssh-keygen prints it. */
  fingerprint: string;
}

export interface SshdOptions {
  /** `yes` (default), `no`, `local`, `remote`, `all`. */
  allowTcpForwarding?: 'yes' | 'no' | 'local' | 'remote' | 'all';
  /** Restricts -L targets (`PermitOpen host:port ...`); empty allows any. */
  permitOpen?: string[];
  /** More sshd_config lines. */
  extraConfig?: string[];
}

export interface SshdServer {
  host: '127.0.0.1';
  port: number;
  /** The local user the server lets in (the user running the tests). */
  user: string;
  /** The server's host key as a pinned known_hosts line: `[127.0.0.1]:PORT ssh-ed25519 AAAA...`. */
  knownHostsLine: string;
  /** `SHA256:...` of the host key. */
  hostKeyFingerprint: string;
  /** A client key in authorized_keys. */
  clientKey: SshKeyPair;
  dir: string;
  pid: number;
  /** What sshd logged so far (`-e`: to stderr). */
  logs(): string;
  /** Adds a public key to authorized_keys. */
  authorize(publicKey: string): void;
  stop(): Promise<void>;
}

/** The binaries missing for a throwaway sshd, empty when it can run here. */
export function sshdMissing(): string[] {
  const missing: string[] = [];
  if (spawnSync(SSHD, ['-V'], { stdio: 'ignore' }).error) missing.push(`sshd (${SSHD}; Debian: openssh-server)`);
  for (const bin of ['ssh', 'ssh-keygen', 'ssh-keyscan']) {
    if (spawnSync(bin, ['-V'], { stdio: 'ignore' }).error && spawnSync('which', [bin], { stdio: 'ignore' }).status !== 0) {
      missing.push(`${bin} (Debian: openssh-client)`);
    }
  }
  return missing;
}

/** A fresh key pair made by ssh-keygen (ed25519 unless told). */
export function generateKeyPair(dir: string, name: string, type: 'ed25519' | 'rsa' | 'ecdsa' = 'ed25519'): SshKeyPair {
  const path = join(dir, name);
  rmSync(path, { force: true });
  rmSync(`${path}.pub`, { force: true });
  const made = spawnSync('ssh-keygen', ['-q', '-t', type, ...(type === 'rsa' ? ['-b', '2048'] : []), '-N', '', '-C', name, '-f', path], {
    encoding: 'utf8',
  });
  if (made.status !== 0) throw new Error(`ssh-keygen failed: ${made.stderr}`);
  const printed = spawnSync('ssh-keygen', ['-l', '-E', 'sha256', '-f', `${path}.pub`], { encoding: 'utf8' });
  return {
    privateKey: readFileSync(path, 'utf8'),
    publicKey: readFileSync(`${path}.pub`, 'utf8').trim(),
    fingerprint: printed.stdout.split(' ')[1] ?? '',
  };
}

/** Waits until something on host:port sends an SSH banner. */
function bannerSeen(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const socket = connect({ host: '127.0.0.1', port });
    let data = '';
    const done = (ok: boolean) => {
      socket.destroy();
      resolve(ok);
    };
    socket.setTimeout(1000, () => done(false));
    socket.on('data', (d) => {
      data += d.toString('latin1');
      if (data.includes('SSH-')) done(true);
    });
    socket.on('error', () => done(false));
    socket.on('close', () => done(data.includes('SSH-')));
  });
}

/**
 * Starts a throwaway OpenSSH server on 127.0.0.1: its own config, host key and authorized_keys
 * in a temp dir, public-key login for the current user only, TCP forwarding allowed.
 */
export async function startSshd(options: SshdOptions = {}): Promise<SshdServer> {
  const missing = sshdMissing();
  if (missing.length > 0) throw new Error(`Cannot start sshd: missing ${missing.join(', ')}.`);
  // sshd running as root needs its privilege-separation directory.
  if (process.getuid?.() === 0) mkdirSync('/run/sshd', { recursive: true, mode: 0o755 });
  const dir = mkdtempSync(join(tmpdir(), 'sshd-'));
  const hostKey = generateKeyPair(dir, 'host_ed25519');
  const clientKey = generateKeyPair(dir, 'client_ed25519');
  const authorizedKeys = join(dir, 'authorized_keys');
  writeFileSync(authorizedKeys, `${clientKey.publicKey}\n`, { mode: 0o600 });
  const port = await freePort();
  const user = userInfo().username;
  const config = [
    `Port ${port}`,
    'ListenAddress 127.0.0.1',
    `HostKey ${join(dir, 'host_ed25519')}`,
    `AuthorizedKeysFile ${authorizedKeys}`,
    `PidFile ${join(dir, 'sshd.pid')}`,
    'StrictModes no',
    'UsePAM no',
    'PasswordAuthentication no',
    'KbdInteractiveAuthentication no',
    'PermitRootLogin prohibit-password',
    `AllowUsers ${user}`,
    `AllowTcpForwarding ${options.allowTcpForwarding ?? 'yes'}`,
    ...(options.permitOpen?.length ? [`PermitOpen ${options.permitOpen.join(' ')}`] : []),
    'LogLevel VERBOSE',
    'MaxStartups 100:30:200',
    ...(options.extraConfig ?? []),
  ];
  const configPath = join(dir, 'sshd_config');
  writeFileSync(configPath, `${config.join('\n')}\n`);
  const child: ChildProcess = spawn(SSHD, ['-D', '-e', '-f', configPath], { stdio: ['ignore', 'ignore', 'pipe'] });
  let log = '';
  child.stderr?.setEncoding('utf8').on('data', (d: string) => (log = (log + d).slice(-200_000)));
  try {
    await waitFor(
      async () => {
        if (child.exitCode !== null) throw new Error(`sshd exited with ${child.exitCode}: ${log}`);
        return bannerSeen(port);
      },
      15_000,
      'sshd to accept connections',
    );
  } catch (error) {
    child.kill('SIGKILL');
    rmSync(dir, { recursive: true, force: true });
    throw error;
  }
  const hostPublic = hostKey.publicKey.split(' ').slice(0, 2).join(' ');
  return {
    host: '127.0.0.1',
    port,
    user,
    knownHostsLine: `[127.0.0.1]:${port} ${hostPublic}`,
    hostKeyFingerprint: hostKey.fingerprint,
    clientKey,
    dir,
    pid: child.pid ?? 0,
    logs: () => log,
    authorize: (publicKey) => writeFileSync(authorizedKeys, `${publicKey.trim()}\n`, { flag: 'a' }),
    stop: () =>
      new Promise<void>((resolve) => {
        const finish = () => {
          rmSync(dir, { recursive: true, force: true });
          resolve();
        };
        if (child.exitCode !== null || child.signalCode !== null) return finish();
        child.once('exit', finish);
        child.kill('SIGTERM');
        setTimeout(() => child.kill('SIGKILL'), 3000).unref();
      }),
  };
}

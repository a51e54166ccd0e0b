import { join } from 'node:path';
import { forwardSpec, type Forward } from './forwards.js';

export interface JumpHost {
  user: string;
  host: string;
  port: number;
}

export interface TunnelSpec {
  host: string;
  port: number;
  user: string;
  forwards: Forward[];
  timeoutSeconds: number;
  keepaliveSeconds: number;
  keepaliveCountMax: number;
  jumpHost?: JumpHost;
  /** Trust on first use through a jump host: the target's key cannot be scanned from here, ssh records it. */
  acceptNewTargetKey?: boolean;
}

export interface TunnelFiles {
  dir: string;
  key: string;
  knownHosts: string;
  config: string;
  log: string;
}

export function tunnelFiles(dir: string): TunnelFiles {
  return { dir, key: join(dir, 'id'), knownHosts: join(dir, 'known_hosts'), config: join(dir, 'ssh_config'), log: join(dir, 'ssh.log') };
}

function quote(path: string): string {
  return `"${path.replace(/"/g, '')}"`;
}

/**
 * Our own ssh_config, given with -F so neither ~/.ssh/config nor /etc/ssh/ssh_config applies.
 * A file rather than -F /dev/null because ProxyJump starts a second ssh that gets -F but not
 * the -o options: the jump hop must be pinned and keyed exactly like the bastion.
 */
export function sshConfig(spec: TunnelSpec, files: TunnelFiles): string {
  const lines = [
    '# Written by the ssh-tunnel action; deleted by its post step.',
    'Host *',
    '  BatchMode yes',
    '  StrictHostKeyChecking yes',
    `  UserKnownHostsFile ${quote(files.knownHosts)}`,
    '  GlobalKnownHostsFile /dev/null',
    '  UpdateHostKeys no',
    '  CheckHostIP no',
    '  HashKnownHosts no',
    '  IdentitiesOnly yes',
    `  IdentityFile ${quote(files.key)}`,
    '  IdentityAgent none',
    '  PasswordAuthentication no',
    '  KbdInteractiveAuthentication no',
    '  ForwardAgent no',
    '  ForwardX11 no',
    '  ControlMaster no',
    '  ControlPath none',
    '  ExitOnForwardFailure yes',
    `  ConnectTimeout ${spec.timeoutSeconds}`,
    `  ServerAliveInterval ${spec.keepaliveSeconds}`,
    `  ServerAliveCountMax ${spec.keepaliveCountMax}`,
    // DEBUG2 logs "channel N: open confirm", the proof that a forward reached its remote.
    '  LogLevel DEBUG2',
  ];
  return `${lines.join('\n')}\n`;
}

/** The ssh command line: the safety options repeated on it so `ps` shows them (paths quoted: ssh splits -o values on spaces). */
export function sshArgs(spec: TunnelSpec, files: TunnelFiles): string[] {
  const args = [
    '-N',
    '-F',
    files.config,
    '-o',
    'ExitOnForwardFailure=yes',
    '-o',
    'BatchMode=yes',
    '-o',
    `StrictHostKeyChecking=${spec.acceptNewTargetKey ? 'accept-new' : 'yes'}`,
    '-o',
    `UserKnownHostsFile=${quote(files.knownHosts)}`,
    '-o',
    'IdentitiesOnly=yes',
    '-o',
    `IdentityFile=${quote(files.key)}`,
    '-o',
    `ServerAliveInterval=${spec.keepaliveSeconds}`,
    '-o',
    `ServerAliveCountMax=${spec.keepaliveCountMax}`,
    '-o',
    `ConnectTimeout=${spec.timeoutSeconds}`,
  ];
  if (spec.jumpHost) args.push('-J', `${spec.jumpHost.user}@${bracketed(spec.jumpHost.host)}:${spec.jumpHost.port}`);
  for (const f of spec.forwards) args.push('-L', forwardSpec(f));
  args.push('-p', String(spec.port), '-l', spec.user, '--', spec.host);
  return args;
}

function bracketed(host: string): string {
  return host.includes(':') ? `[${host}]` : host;
}

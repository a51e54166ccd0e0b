/** What went wrong, in the words a user can act on. */
export type FailureKind = 'host-key' | 'auth' | 'unreachable' | 'forward' | 'local-port' | 'timeout' | 'unknown';

export interface Failure {
  kind: FailureKind;
  /** Short title, e.g. "host key mismatch". */
  title: string;
  /** What to do about it. */
  hint: string;
}

export interface FailureContext {
  /** `user@host:port` of the bastion. */
  target: string;
  jumpHost?: string;
  /** The `[host]:port` name looked up in known_hosts. */
  hostKeyName: string;
  timeoutSeconds: number;
}

interface Rule {
  kind: FailureKind;
  test: RegExp;
  title: string;
  hint: (ctx: FailureContext, match: RegExpExecArray) => string;
}

// Order matters: "open failed: connect failed: Connection refused" is a refused forward, not an
// unreachable bastion, and "Could not request local forwarding" is a busy local port.
const RULES: Rule[] = [
  {
    kind: 'host-key',
    test: /No \S+ host key is known for|Host key verification failed|REMOTE HOST IDENTIFICATION HAS CHANGED|Host key for .* has changed|HOST KEY IS REVOKED/,
    title: 'host key mismatch',
    hint: (ctx, m) =>
      /No \S+ host key is known/.test(m.input)
        ? `known-hosts has no key for ${ctx.hostKeyName}${ctx.jumpHost ? ' (or for the jump host)' : ''}. Add the line for exactly that name ('[host]:port' when the port is not 22), checked out of band: ssh-keyscan -t ed25519 -p PORT HOST.`
        : `the server presented a key that does not match known-hosts, so the connection was refused (it may be a different host, or its key was rotated). Verify the new key with the server's owner before updating known-hosts; never switch to trust-on-first-use to make this go away.`,
  },
  {
    kind: 'local-port',
    test: /Address already in use|cannot listen to port|Could not request local forwarding|Cannot assign requested address/,
    title: 'local port in use',
    hint: () =>
      'another process on the runner already listens on that local port (a service container, or a tunnel from an earlier step). Pick another local port or use 0 to pick a free one.',
  },
  {
    kind: 'forward',
    test: /administratively prohibited|remote port forwarding failed|open failed|connect failed|stdio forwarding failed|channel \d+: open failed/,
    title: 'forward refused or remote unreachable',
    hint: (_ctx, m) =>
      /administratively prohibited/.test(m.input)
        ? "the bastion's sshd refuses this forward (AllowTcpForwarding no, PermitOpen, or a restricted authorized_keys entry). Ask its owner to allow forwarding to this remote host and port."
        : 'the bastion accepted the login but could not connect to the remote host and port. Check remote_host:remote_port as the bastion sees it (DNS name, security group or firewall, the service is running).',
  },
  {
    kind: 'auth',
    test: /Load key .*: (invalid format|error in libcrypto|incorrect passphrase)|Permission denied|Too many authentication failures|Authentication failed|no mutual signature algorithm|Received disconnect from .*: 2: Too many/,
    title: 'authentication refused',
    hint: (ctx, m) =>
      /Load key/.test(m.input)
        ? 'ssh could not load private-key: give the whole private key, without a passphrase, exactly as the file holds it.'
        : `the server refused private-key for ${ctx.target}. Check the user name and that the key's public half is in that user's authorized_keys on the server (the summary shows the key's fingerprint).`,
  },
  {
    kind: 'unreachable',
    test: /Could not resolve hostname|Connection refused|Connection timed out|timed out|No route to host|Network is unreachable|Connection closed by|Connection reset|kex_exchange_identification|banner exchange|jumphost loop/,
    title: 'bastion unreachable',
    hint: (ctx, m) =>
      /Could not resolve hostname/.test(m.input)
        ? 'the host name does not resolve from the runner: check host (and jump-host) for typos, and that the name is public DNS or resolvable from this runner.'
        : `the runner could not open an SSH connection to ${ctx.target}${ctx.jumpHost ? ` via ${ctx.jumpHost}` : ''}. Check host and port, that sshd runs there, and that the firewall lets this runner in (hosted runners' addresses change: use a self-hosted runner or an allow-list).`,
  },
];

/** The lines ssh would print at its normal log level (debug lines dropped), trimmed. */
export function sshMessages(log: string): string[] {
  return log
    .split(/\r?\n/)
    .map((l) => l.trimEnd())
    .filter((l) => l.trim() !== '' && !/^debug\d: /.test(l) && !/^@+$/.test(l) && !/^Authenticated to /.test(l));
}

/** Classifies a failure from what ssh printed. `stillRunning` marks a timeout rather than an exit. */
export function classifyFailure(log: string, ctx: FailureContext, stillRunning = false): Failure {
  const text = sshMessages(log).join('\n');
  for (const rule of RULES) {
    const m = rule.test.exec(text);
    if (m) return { kind: rule.kind, title: rule.title, hint: rule.hint(ctx, m) };
  }
  if (stillRunning) {
    return {
      kind: 'timeout',
      title: 'timed out',
      hint: `ssh did not finish connecting within timeout-seconds (${ctx.timeoutSeconds}). A firewall that drops packets looks like this: check host and port, or raise timeout-seconds.`,
    };
  }
  return {
    kind: 'unknown',
    title: 'ssh exited',
    hint: 'see what ssh printed above; re-run with ACTIONS_STEP_DEBUG=true for its full log.',
  };
}

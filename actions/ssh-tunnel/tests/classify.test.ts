import { describe, expect, it } from '@jest/globals';
import { classifyFailure, sshMessages, type FailureContext } from '../src/classify.js';
import { failureMessage } from '../src/main.js';
import { channelResult, listenerReported, serverHostKey, TunnelNotReady } from '../src/readiness.js';

const ctx: FailureContext = { target: 'deploy@bastion.example.com:22', hostKeyName: 'bastion.example.com', timeoutSeconds: 30 };

// What OpenSSH 9.2 printed in each case (captured against a local sshd).
const CHANGED = `@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@
@    WARNING: REMOTE HOST IDENTIFICATION HAS CHANGED!     @
@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@
IT IS POSSIBLE THAT SOMEONE IS DOING SOMETHING NASTY!
Host key for [127.0.0.1]:22555 has changed and you have requested strict checking.
Host key verification failed.`;

describe('classifyFailure', () => {
  it.each([
    [CHANGED, 'host-key', 'does not match known-hosts'],
    [
      'No ED25519 host key is known for [127.0.0.1]:22555 and you have requested strict checking.\nHost key verification failed.',
      'host-key',
      'has no key for',
    ],
    ['deploy@127.0.0.1: Permission denied (publickey).', 'auth', 'authorized_keys'],
    ['Load key "/tmp/x/id": error in libcrypto\ndeploy@127.0.0.1: Permission denied (publickey).', 'auth', 'could not load private-key'],
    ['Received disconnect from 10.0.0.1 port 22:2: Too many authentication failures', 'auth', 'authorized_keys'],
    ['ssh: connect to host 127.0.0.1 port 22599: Connection refused', 'unreachable', 'could not open an SSH connection'],
    ['ssh: connect to host 10.1.2.3 port 22: Connection timed out', 'unreachable', 'firewall'],
    ['ssh: connect to host 10.1.2.3 port 22: No route to host', 'unreachable', 'firewall'],
    ['ssh: Could not resolve hostname bastion.invalid: Name or service not known', 'unreachable', 'does not resolve'],
    ['kex_exchange_identification: Connection closed by remote host', 'unreachable', 'sshd runs there'],
    ['channel 2: open failed: connect failed: Connection refused', 'forward', 'could not connect to the remote'],
    ['channel 1: open failed: administratively prohibited: open failed', 'forward', 'AllowTcpForwarding'],
    ['Warning: remote port forwarding failed for listen port 8080', 'forward', 'remote'],
    ['channel 0: open failed: administratively prohibited: open failed\nstdio forwarding failed', 'forward', 'AllowTcpForwarding'],
    [
      'bind [127.0.0.1]:5432: Address already in use\nchannel_setup_fwd_listener_tcpip: cannot listen to port: 5432\nCould not request local forwarding.',
      'local-port',
      'use 0',
    ],
  ])('classifies %j', (log, kind, hint) => {
    const failure = classifyFailure(log, ctx);
    expect(failure.kind).toBe(kind);
    expect(failure.hint).toContain(hint);
  });

  it('ignores debug lines, so a debug message cannot trigger a class', () => {
    expect(classifyFailure('debug1: Connection refused by nothing\ndebug2: Permission denied', ctx).kind).toBe('unknown');
  });

  it('calls a running ssh with nothing printed a timeout, naming timeout-seconds', () => {
    const failure = classifyFailure('debug1: Connecting to bastion [10.0.0.1] port 22.', ctx, true);
    expect(failure.kind).toBe('timeout');
    expect(failure.hint).toContain('timeout-seconds (30)');
  });

  it('keeps what ssh prints at its normal level, without the @@@ banner', () => {
    expect(sshMessages(`debug1: x\n${CHANGED}\n`)).toEqual([
      '@    WARNING: REMOTE HOST IDENTIFICATION HAS CHANGED!     @',
      'IT IS POSSIBLE THAT SOMEONE IS DOING SOMETHING NASTY!',
      'Host key for [127.0.0.1]:22555 has changed and you have requested strict checking.',
      'Host key verification failed.',
    ]);
  });
});

describe('reading the ssh log', () => {
  const log = `debug1: Server host key: ssh-ed25519 SHA256:jumpjumpjump
debug1: Server host key: ssh-ed25519 SHA256:ppTss+klCiFs8alICeoXe708XVDDz/qXLlbZi8Nzz+4
Authenticated to 127.0.0.1 ([127.0.0.1]:22555) using "publickey".
debug1: Local forwarding listening on 127.0.0.1 port 22557.
debug1: Connection to port 22557 forwarding to 127.0.0.1 port 22556 requested.
debug1: channel 2: new direct-tcpip [direct-tcpip] (inactive timeout: 0)
debug2: channel 2: open confirm rwindow 2097152 rmax 32768
debug1: Connection to port 22558 forwarding to 127.0.0.1 port 1 requested.
debug1: channel 3: new direct-tcpip [direct-tcpip] (inactive timeout: 0)
channel 3: open failed: connect failed: Connection refused
debug1: Connection to port 22559 forwarding to 10.9.9.9 port 5432 requested.
debug1: channel 4: new direct-tcpip [direct-tcpip] (inactive timeout: 0)
`;

  it('finds the open confirm, open failure or pending state of the probe channel', () => {
    expect(channelResult(log, 22557)).toEqual({ state: 'open' });
    expect(channelResult(log, 22558)).toEqual({ state: 'failed', reason: 'connect failed: Connection refused' });
    expect(channelResult(log, 22559)).toEqual({ state: 'pending' });
    expect(channelResult(log, 22560)).toEqual({ state: 'pending' });
  });

  it('takes the last host key ssh verified (the target, after any jump host)', () => {
    expect(serverHostKey(log)).toEqual({ type: 'ssh-ed25519', fingerprint: 'SHA256:ppTss+klCiFs8alICeoXe708XVDDz/qXLlbZi8Nzz+4' });
  });

  it('knows when ssh reported its listener', () => {
    expect(listenerReported(log, 22557)).toBe(true);
    expect(listenerReported('debug1: Connecting to x', 22557)).toBe(false);
  });
});

describe('failureMessage', () => {
  const forward = { bind: '127.0.0.1', localPort: 5432, remoteHost: 'db.internal', remotePort: 5432, auto: false, line: 1 };

  it('calls a channel that never opens a remote problem, not a bastion timeout', () => {
    const error = new TunnelNotReady(
      'timeout',
      'timed out waiting for the bastion to connect to db.internal:5432 (forwards line 1)',
      forward,
    );
    const message = failureMessage(
      error,
      'Authenticated to bastion ([10.0.0.1]:22) using "publickey".\ndebug1: channel 2: new direct-tcpip',
      ctx,
      true,
    );
    expect(message).toMatch(
      /^SSH tunnel to deploy@bastion\.example\.com:22 failed: forward refused or remote unreachable: timed out waiting for the bastion/,
    );
    expect(message).toContain('did not complete within timeout-seconds (30)');
    expect(message).not.toContain('debug1');
  });

  it('quotes what ssh printed, after the fix', () => {
    const error = new TunnelNotReady('exited', 'ssh exited with code 255 before the tunnel was ready');
    const message = failureMessage(error, 'debug1: Offering public key\ndeploy@bastion: Permission denied (publickey).', ctx, false);
    expect(message.split('\n')).toEqual([
      'SSH tunnel to deploy@bastion.example.com:22 failed: authentication refused: ssh exited with code 255 before the tunnel was ready.',
      expect.stringMatching(/^Fix: the server refused private-key for deploy@bastion\.example\.com:22/),
      'ssh said:',
      '  deploy@bastion: Permission denied (publickey).',
    ]);
  });
});

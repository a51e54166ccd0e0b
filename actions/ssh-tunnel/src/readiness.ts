import { connect, createServer, type Socket } from 'node:net';
import { connectHost, type Forward } from './forwards.js';

/** The ssh process as the readiness check sees it. */
export interface WatchedProcess {
  /** The exit, once it happened. */
  exit(): { code: number | null; signal: string | null } | undefined;
}

export type NotReadyReason = 'exited' | 'timeout' | 'forward-failed';

export class TunnelNotReady extends Error {
  constructor(
    readonly reason: NotReadyReason,
    message: string,
    readonly forward?: Forward,
  ) {
    super(message);
    this.name = 'TunnelNotReady';
  }
}

export interface ReadyOptions {
  forwards: Forward[];
  /** Open a connection through each forward and wait for ssh to report the channel open. */
  verifyForwards: boolean;
  /** Epoch ms after which the tunnel counts as not ready. */
  deadline: number;
  readLog: () => string;
  process: WatchedProcess;
  now?: () => number;
  /** First poll delay; doubles up to maxDelayMs. */
  firstDelayMs?: number;
  maxDelayMs?: number;
}

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

/** Opens a TCP connection, or gives undefined when nothing listens (yet). */
export function tryConnect(host: string, port: number, timeoutMs: number): Promise<Socket | undefined> {
  return new Promise((resolve) => {
    const socket = connect({ host, port });
    const timer = setTimeout(
      () => {
        socket.destroy();
        resolve(undefined);
      },
      Math.max(1, timeoutMs),
    );
    socket.once('connect', () => {
      clearTimeout(timer);
      socket.on('error', () => undefined);
      resolve(socket);
    });
    socket.once('error', () => {
      clearTimeout(timer);
      socket.destroy();
      resolve(undefined);
    });
  });
}

/** True when nothing on this machine accepts connections on the port (for post's check). */
export async function portClosed(bind: string, port: number): Promise<boolean> {
  const socket = await tryConnect(connectHost(bind), port, 500);
  socket?.destroy();
  return socket === undefined;
}

/** True when the port can be bound on `bind` right now. */
export function portFree(bind: string, port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const server = createServer();
    server.once('error', () => resolve(false));
    server.listen({ host: bind === '*' ? '0.0.0.0' : bind, port, exclusive: true }, () => server.close(() => resolve(true)));
  });
}

/** A free port on `bind`, picked by the kernel. */
export function pickFreePort(bind: string): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once('error', reject);
    server.listen({ host: bind === '*' ? '0.0.0.0' : bind, port: 0, exclusive: true }, () => {
      const address = server.address();
      const port = typeof address === 'object' && address ? address.port : 0;
      server.close(() => resolve(port));
    });
  });
}

/** ssh says it listens on the port (DEBUG1), or at least that it logged in (INFO). */
export function listenerReported(log: string, port: number): boolean {
  return new RegExp(`Local forwarding listening on \\S+ port ${port}\\.|^Authenticated to |Authentication succeeded`, 'm').test(log);
}

export type ChannelResult = { state: 'pending' } | { state: 'open' } | { state: 'failed'; reason: string };

/**
 * What ssh logged (at DEBUG2) about the channel for a connection to `localPort`, in the log
 * written after the probe connected: "Connection to port P forwarding to ... requested",
 * "channel N: new direct-tcpip", then "channel N: open confirm" or "channel N: open failed: why".
 */
export function channelResult(logSince: string, localPort: number): ChannelResult {
  const requested = new RegExp(`Connection to port ${localPort} forwarding to .* requested`).exec(logSince);
  if (!requested) return { state: 'pending' };
  const rest = logSince.slice(requested.index);
  const created = /channel (\d+): new direct-tcpip/.exec(rest);
  if (!created) return { state: 'pending' };
  const id = created[1];
  const after = rest.slice(created.index);
  const failed = new RegExp(`channel ${id}: open failed: (.*)`).exec(after);
  if (failed) return { state: 'failed', reason: failed[1].trim() };
  if (new RegExp(`channel ${id}: open confirm`).test(after)) return { state: 'open' };
  return { state: 'pending' };
}

/** The last `Server host key: TYPE SHA256:...` ssh logged: the target's (a jump hop logs first). */
export function serverHostKey(log: string): { type: string; fingerprint: string } | undefined {
  const all = [...log.matchAll(/Server host key: (\S+) (SHA256:\S+)/g)];
  const last = all.at(-1);
  return last ? { type: last[1], fingerprint: last[2] } : undefined;
}

function describeExit(exit: { code: number | null; signal: string | null }): string {
  return exit.signal ? `ssh was killed by ${exit.signal}` : `ssh exited with code ${exit.code}`;
}

/**
 * Waits until every forward's local port accepts a connection from ssh's listener and the ssh
 * process is alive; with verifyForwards, also until ssh reports each forward's channel open
 * (the bastion connected to the remote). Polls from firstDelayMs with doubling backoff.
 */
export async function waitUntilReady(options: ReadyOptions): Promise<void> {
  const now = options.now ?? Date.now;
  const maxDelay = options.maxDelayMs ?? 100;
  let delay = options.firstDelayMs ?? 10;
  const checkAlive = () => {
    const exit = options.process.exit();
    if (exit) throw new TunnelNotReady('exited', `${describeExit(exit)} before the tunnel was ready`);
  };
  const checkDeadline = (what: string, forward?: Forward) => {
    if (now() > options.deadline) throw new TunnelNotReady('timeout', `timed out ${what}`, forward);
  };
  const pause = async () => {
    await sleep(delay);
    delay = Math.min(delay * 2, maxDelay);
  };

  for (const forward of options.forwards) {
    const host = connectHost(forward.bind);
    for (;;) {
      checkAlive();
      checkDeadline(`waiting for local port ${forward.localPort} to accept connections`, forward);
      const logBefore = options.readLog();
      // Only ssh's own listener counts: a port that accepts before ssh reports logging in is someone else's.
      if (!listenerReported(logBefore, forward.localPort)) {
        await pause();
        continue;
      }
      const socket = await tryConnect(host, forward.localPort, Math.min(1000, Math.max(1, options.deadline - now())));
      if (!socket) {
        await pause();
        continue;
      }
      try {
        if (options.verifyForwards) await waitForChannel(options, forward, logBefore.length, checkAlive, checkDeadline);
      } finally {
        socket.destroy();
      }
      break;
    }
  }
  checkAlive();
}

async function waitForChannel(
  options: ReadyOptions,
  forward: Forward,
  offset: number,
  checkAlive: () => void,
  checkDeadline: (what: string, forward?: Forward) => void,
): Promise<void> {
  let delay = 2;
  for (;;) {
    const result = channelResult(options.readLog().slice(offset), forward.localPort);
    if (result.state === 'open') return;
    if (result.state === 'failed') {
      throw new TunnelNotReady(
        'forward-failed',
        `the bastion could not open ${forward.remoteHost}:${forward.remotePort} for local port ${forward.localPort} (${result.reason})`,
        forward,
      );
    }
    checkAlive();
    checkDeadline(
      `waiting for the bastion to connect to ${forward.remoteHost}:${forward.remotePort} (forwards line ${forward.line})`,
      forward,
    );
    await sleep(delay);
    delay = Math.min(delay * 2, 50);
  }
}

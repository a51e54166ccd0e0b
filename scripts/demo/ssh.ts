// The ssh-tunnel step of the load job: skipped unless --with-ssh and sshd is installed; then a real tunnel
// through a throwaway sshd on loopback to a stand-in "database" (a TCP server that answers one line).
import { connect, createServer, type Server } from 'node:net';
import type { AddressInfo } from 'node:net';
import { check, type DemoContext } from './context.js';
import type { RunContext } from './steps.js';

export interface DemoTunnel {
  /** The forwarded local port, when the tunnel came up. */
  localPort?: string;
  /** What the stand-in database answered through the tunnel. */
  greeting: string;
  /** Runs the action's post step (as the runner does at the end of the job) and stops the servers; true when post passed. */
  close(): Promise<boolean>;
}

const GREETING = 'stand-in database: connection accepted';

export async function openDemoTunnel(ctx: DemoContext, run: RunContext, runnerDir: string): Promise<DemoTunnel | undefined> {
  const label = 'ssh-tunnel';
  if (!ctx.withSsh) {
    ctx.steps.skip(label, 'skipped: there is no bastion here (pnpm demo --with-ssh opens a real tunnel through a throwaway sshd)');
    return undefined;
  }
  const sshdModule = await import('../../packages/testing/src/sshd.js');
  const missing = sshdModule.sshdMissing();
  if (missing.length > 0) {
    ctx.steps.skip(label, `skipped: --with-ssh needs ${missing.join(', ')}`);
    return undefined;
  }
  const database = await startStandInDatabase();
  const sshd = await sshdModule.startSshd();
  const stop = async () => {
    await sshd.stop();
    await new Promise<void>((resolve) => database.server.close(() => resolve()));
  };
  try {
    const main = await ctx.steps.run({
      label: `ssh-tunnel (bastion ${sshd.host}:${sshd.port}, forward 0:127.0.0.1:${database.port})`,
      action: 'ssh-tunnel',
      inputs: {
        host: sshd.host,
        port: String(sshd.port),
        user: sshd.user,
        'private-key': sshd.clientKey.privateKey,
        'known-hosts': sshd.knownHostsLine,
        forwards: `0:127.0.0.1:${database.port}`,
      },
      run,
      runnerDir,
      secrets: [sshd.clientKey.privateKey],
      show: ['local-port', 'ports', 'host-key-fingerprint', 'ready-ms'],
    });
    const localPort = main.ok ? main.result?.outputs['local-port'] : undefined;
    const greeting = localPort ? await readLine(Number(localPort)).catch((e: Error) => `no answer: ${e.message}`) : '';
    return {
      localPort,
      greeting: greeting ? `"${greeting}"` : '',
      close: async () => {
        try {
          if (!main.result) return false;
          const post = await ctx.steps.run({
            label: 'ssh-tunnel (post: stop ssh, close the ports, delete the key)',
            action: 'ssh-tunnel',
            step: 'post',
            inputs: {},
            state: main.result.state,
            run,
            runnerDir,
            secrets: [sshd.clientKey.privateKey],
          });
          if (!post.ok || !localPort) return post.ok;
          const closed = await portClosed(Number(localPort));
          check(
            ctx,
            `after post, local port ${localPort} refuses connections`,
            closed,
            `port ${localPort} still accepts connections after post`,
          );
          return closed;
        } finally {
          await stop();
        }
      },
    };
  } catch (error) {
    await stop();
    throw error;
  }
}

async function startStandInDatabase(): Promise<{ server: Server; port: number }> {
  const server = createServer((socket) => socket.end(`${GREETING}\n`));
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return { server, port: (server.address() as AddressInfo).port };
}

function readLine(port: number): Promise<string> {
  return new Promise((resolve, reject) => {
    const socket = connect(port, '127.0.0.1');
    let data = '';
    const timer = setTimeout(() => {
      socket.destroy();
      reject(new Error('timed out after 5 s'));
    }, 5000);
    socket.setEncoding('utf8');
    socket.on('data', (d: string) => (data += d));
    socket.on('error', (e) => {
      clearTimeout(timer);
      reject(e);
    });
    socket.on('close', () => {
      clearTimeout(timer);
      resolve(data.trim());
    });
  });
}

function portClosed(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const socket = connect(port, '127.0.0.1');
    socket.setTimeout(3000, () => {
      socket.destroy();
      resolve(false);
    });
    socket.on('connect', () => {
      socket.destroy();
      resolve(false);
    });
    socket.on('error', () => resolve(true));
  });
}

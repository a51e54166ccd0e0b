import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { connect, createServer, type Server } from 'node:net';
import pg from 'pg';
import { freePort, runAction, runMainAndPost, type ActionResult } from '../../../packages/testing/src/index.js';
import { postgresMissing, startPostgres, type PostgresServer } from '../../../packages/testing/src/postgres.js';
import { sshdMissing, startSshd, type SshdServer } from '../../../packages/testing/src/sshd.js';
import { actionDir, alive, expectCleanedUp, expectNoLeak } from './helpers.js';

const missing = [...sshdMissing(), ...postgresMissing()];
if (missing.length > 0)
  console.warn(`SKIPPED ssh-tunnel harness tests: missing ${missing.join(', ')}. .ci/run installs them, so CI never skips these.`);
const suite = missing.length === 0 ? describe : describe.skip;

async function selectOne(port: number): Promise<number> {
  const client = new pg.Client({ host: '127.0.0.1', port, user: 'postgres', database: 'postgres', connectionTimeoutMillis: 5000 });
  await client.connect();
  try {
    const result = await client.query<{ one: number }>('SELECT 1 AS one');
    return result.rows[0].one;
  } finally {
    await client.end();
  }
}

suite('ssh-tunnel against a real sshd and PostgreSQL', () => {
  let sshd: SshdServer;
  let db: PostgresServer;
  let echo: Server;
  let echoPort: number;

  const base = () => ({
    host: '127.0.0.1',
    port: sshd.port,
    user: sshd.user,
    'private-key': sshd.clientKey.privateKey,
    'known-hosts': sshd.knownHostsLine,
  });
  const post = (main: ActionResult) => runAction(actionDir, { step: 'post', state: main.state, runnerDir: main.runnerDir });

  beforeAll(async () => {
    [sshd, db] = await Promise.all([startSshd(), startPostgres()]);
    echo = createServer((socket) => socket.pipe(socket));
    await new Promise<void>((resolve) => echo.listen(0, '127.0.0.1', () => resolve()));
    echoPort = (echo.address() as { port: number }).port;
  });
  afterAll(async () => {
    echo?.close();
    await Promise.all([sshd?.stop(), db?.stop()]);
  });

  it('runs SELECT 1 through the tunnel, then post stops ssh, closes the port and deletes the key', async () => {
    const local = await freePort();
    const main = await runAction(actionDir, { inputs: { ...base(), forwards: `${local}:127.0.0.1:${db.port}` } });
    expect(main.errors).toEqual([]);
    expect(main.exitCode).toBe(0);
    expect(main.outputs['local-port']).toBe(String(local));
    expect(JSON.parse(main.outputs.ports)).toEqual({ [`127.0.0.1:${db.port}`]: local });
    expect(main.outputs['host-key-fingerprint']).toBe(sshd.hostKeyFingerprint);
    expect(Number(main.outputs['ready-ms'])).toBeGreaterThan(0);
    const pid = Number(main.outputs.pid);
    expect(alive(pid)).toBe(true);
    expect(main.summary).toContain('### SSH tunnel ready');
    expect(main.summary).toContain(sshd.hostKeyFingerprint);
    expect(main.summary).toContain(sshd.clientKey.fingerprint);

    expect(await selectOne(local)).toBe(1);

    const cleaned = await post(main);
    expect(cleaned.exitCode).toBe(0);
    expect(cleaned.stdout).toContain(`ssh (pid ${pid}) stopped with SIGTERM`);
    expect(cleaned.summary).toContain('deleted (private key');
    await expectCleanedUp(main.state, [local]);
    expectNoLeak(main, sshd.clientKey.privateKey);
    expectNoLeak(cleaned, sshd.clientKey.privateKey);
  });

  it('opens two forwards at once, one on a port picked from 0, and maps both in ports', async () => {
    const fixed = await freePort();
    const { main, post: cleaned } = await runMainAndPost(actionDir, {
      inputs: { ...base(), forwards: `# database\n${fixed}:127.0.0.1:${db.port}\n0:127.0.0.1:${echoPort}` },
    });
    expect(main.exitCode).toBe(0);
    const ports = JSON.parse(main.outputs.ports) as Record<string, number>;
    expect(ports[`127.0.0.1:${db.port}`]).toBe(fixed);
    const picked = ports[`127.0.0.1:${echoPort}`];
    expect(picked).toBeGreaterThan(0);
    expect(picked).not.toBe(fixed);
    expect(main.summary).toContain('picked (0)');
    expect(cleaned.exitCode).toBe(0);
    await expectCleanedUp(main.state, [fixed, picked]);
  });

  it('serves both forwards while the tunnel is up (query and echo)', async () => {
    const main = await runAction(actionDir, { inputs: { ...base(), forwards: `0:127.0.0.1:${db.port}\n0:127.0.0.1:${echoPort}` } });
    expect(main.exitCode).toBe(0);
    const ports = JSON.parse(main.outputs.ports) as Record<string, number>;
    try {
      expect(await selectOne(ports[`127.0.0.1:${db.port}`])).toBe(1);
      const reply = await new Promise<string>((resolve, reject) => {
        const socket = connect({ host: '127.0.0.1', port: ports[`127.0.0.1:${echoPort}`] }, () => socket.write('ping'));
        socket.once('data', (d) => {
          socket.destroy();
          resolve(d.toString());
        });
        socket.once('error', reject);
      });
      expect(reply).toBe('ping');
    } finally {
      expect((await post(main)).exitCode).toBe(0);
    }
  });
});

// sshd and PostgreSQL for workflows that open an ssh-tunnel. The reference workflows use the default SSH port (22)
// and forward to `${{ vars.DB_HOST }}:5432`, so both listen on those ports of a loopback address of their own
// (127.77.x.y), which also keeps concurrent service sets apart.
import { spawnSync } from 'node:child_process';
import { chownSync, existsSync, mkdirSync, mkdtempSync, rmSync, chmodSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { postgresBinDir, postgresMissing } from '../../../packages/testing/src/postgres.js';
import { startSshd, type SshdServer } from '../../../packages/testing/src/sshd.js';

export interface TunnelTargets {
  address: string;
  sshd: SshdServer;
  /** `127.77.x.y ssh-ed25519 AAAA...` (port 22 needs no brackets). */
  knownHosts: string;
  postgres: { host: string; port: 5432; database: string; user: 'postgres'; dataDir: string; connectionString: string };
  stop(): Promise<void>;
}

function portFree(host: string, port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const server = createServer();
    server.once('error', () => resolve(false));
    server.listen(port, host, () => server.close(() => resolve(true)));
  });
}

async function freeAddress(): Promise<string> {
  for (let attempt = 0; attempt < 50; attempt++) {
    const address = `127.77.${Math.floor(Math.random() * 250) + 1}.${Math.floor(Math.random() * 250) + 2}`;
    if ((await portFree(address, 22)) && (await portFree(address, 5432))) return address;
  }
  throw new Error('no loopback address with ports 22 and 5432 free (127.77.0.0/16)');
}

const isRoot = () => process.getuid?.() === 0;
const PG_USER = process.env.PG_OS_USER ?? 'postgres';

function runPg(bin: string, args: string[]) {
  return isRoot()
    ? spawnSync('runuser', ['-u', PG_USER, '--', bin, ...args], { encoding: 'utf8', timeout: 120_000 })
    : spawnSync(bin, args, { encoding: 'utf8', timeout: 120_000 });
}

/** Starts PostgreSQL on address:5432, in dataDir (kept: --state) or a temp dir; creates `database`. */
async function startPostgresAt(address: string, dataParent: string | undefined, database: string) {
  const missing = postgresMissing();
  if (missing.length) throw new Error(`Cannot start PostgreSQL: missing ${missing.join(', ')}`);
  const bin = postgresBinDir() as string;
  const root = dataParent ?? mkdtempSync(join(tmpdir(), 'rw-pg-'));
  mkdirSync(root, { recursive: true });
  const socketDir = mkdtempSync(join(tmpdir(), 'rw-pgsock-'));
  const dataDir = join(root, 'data');
  for (const dir of [root, socketDir]) {
    chmodSync(dir, 0o755);
    if (isRoot()) {
      const uid = Number(spawnSync('id', ['-u', PG_USER], { encoding: 'utf8' }).stdout.trim());
      const gid = Number(spawnSync('id', ['-g', PG_USER], { encoding: 'utf8' }).stdout.trim());
      chownSync(dir, uid, gid);
    }
  }
  if (!existsSync(join(dataDir, 'PG_VERSION'))) {
    const init = runPg(join(bin, 'initdb'), ['-A', 'trust', '-U', 'postgres', '--no-sync', '-E', 'UTF8', '--locale', 'C', '-D', dataDir]);
    if (init.status !== 0) throw new Error(`initdb failed: ${init.stderr}`);
  }
  const log = join(socketDir, 'server.log');
  const options = `-p 5432 -k ${socketDir} -c listen_addresses=${address} -c fsync=off -c synchronous_commit=off -c full_page_writes=off`;
  const start = runPg(join(bin, 'pg_ctl'), ['-D', dataDir, '-l', log, '-o', options, '-w', '-t', '60', 'start']);
  if (start.status !== 0) throw new Error(`pg_ctl start failed: ${start.stderr}`);
  const psql = (sql: string) => runPg(join(bin, 'psql'), ['-h', address, '-p', '5432', '-U', 'postgres', '-d', 'postgres', '-tAc', sql]);
  if (psql(`SELECT 1 FROM pg_database WHERE datname = '${database}'`).stdout.trim() !== '1') psql(`CREATE DATABASE "${database}"`);
  return {
    dataDir,
    stop: async () => {
      runPg(join(bin, 'pg_ctl'), ['-D', dataDir, '-m', 'fast', '-w', '-t', '30', 'stop']);
      rmSync(socketDir, { recursive: true, force: true });
      if (!dataParent) rmSync(root, { recursive: true, force: true });
    },
  };
}

export async function startTunnelTargets(options: { dataDir?: string; database: string }): Promise<TunnelTargets> {
  const address = await freeAddress();
  const sshd = await startSshd({ extraConfig: [`ListenAddress ${address}:22`] });
  let pg;
  try {
    pg = await startPostgresAt(address, options.dataDir, options.database);
  } catch (error) {
    await sshd.stop();
    throw error;
  }
  const hostKey = sshd.knownHostsLine.split(' ').slice(1).join(' ');
  return {
    address,
    sshd,
    knownHosts: `${address} ${hostKey}`,
    postgres: {
      host: address,
      port: 5432,
      database: options.database,
      user: 'postgres',
      dataDir: pg.dataDir,
      connectionString: `postgres://postgres@${address}:5432/${options.database}`,
    },
    stop: async () => {
      await pg.stop();
      await sshd.stop();
    },
  };
}

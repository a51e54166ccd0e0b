import { spawnSync, type SpawnSyncReturns } from 'node:child_process';
import { chmodSync, chownSync, existsSync, mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { freePort } from './free-port.js';

export interface PostgresServer {
  host: '127.0.0.1';
  port: number;
  user: 'postgres';
  database: 'postgres';
  /** `postgres://postgres@127.0.0.1:PORT/postgres` (trust authentication on loopback). */
  connectionString: string;
  dataDir: string;
  /** The server log so far. */
  logs(): string;
  stop(): Promise<void>;
}

/** The PostgreSQL bin directory: PG_BIN, the newest /usr/lib/postgresql/N/bin, or pg_config's. */
export function postgresBinDir(): string | undefined {
  if (process.env.PG_BIN && existsSync(join(process.env.PG_BIN, 'initdb'))) return process.env.PG_BIN;
  const root = '/usr/lib/postgresql';
  if (existsSync(root)) {
    const versions = readdirSync(root)
      .filter((v) => existsSync(join(root, v, 'bin', 'initdb')))
      .sort((a, b) => Number(b) - Number(a));
    if (versions.length > 0) return join(root, versions[0], 'bin');
  }
  const config = spawnSync('pg_config', ['--bindir'], { encoding: 'utf8' });
  const dir = config.status === 0 ? config.stdout.trim() : '';
  return dir && existsSync(join(dir, 'initdb')) ? dir : undefined;
}

/** The binaries missing for a throwaway cluster, empty when it can run here. */
export function postgresMissing(): string[] {
  const bin = postgresBinDir();
  if (!bin) return ['initdb/pg_ctl (Debian: postgresql)'];
  if (isRoot() && !runAsAvailable()) return ['runuser or su with a postgres user (initdb refuses to run as root)'];
  return [];
}

function isRoot(): boolean {
  return process.getuid?.() === 0;
}

const PG_USER = process.env.PG_OS_USER ?? 'postgres';

function runAsAvailable(): boolean {
  return (
    spawnSync('id', ['-u', PG_USER], { stdio: 'ignore' }).status === 0 && spawnSync('runuser', ['--help'], { stdio: 'ignore' }).status === 0
  );
}

/** Runs a PostgreSQL tool; as root, as the postgres user (initdb and postgres refuse root). */
function runPg(bin: string, args: string[]): SpawnSyncReturns<string> {
  const result = isRoot()
    ? spawnSync('runuser', ['-u', PG_USER, '--', bin, ...args], { encoding: 'utf8', timeout: 120_000 })
    : spawnSync(bin, args, { encoding: 'utf8', timeout: 120_000 });
  return result;
}

/**
 * Initialises and starts a throwaway PostgreSQL cluster on 127.0.0.1 (trust auth, fsync off),
 * in a temp dir owned by the postgres user when the tests run as root.
 */
export async function startPostgres(): Promise<PostgresServer> {
  const missing = postgresMissing();
  if (missing.length > 0) throw new Error(`Cannot start PostgreSQL: missing ${missing.join(', ')}.`);
  const bin = postgresBinDir() as string;
  const root = mkdtempSync(join(tmpdir(), 'pg-'));
  const dataDir = join(root, 'data');
  const logFile = join(root, 'server.log');
  chmodSync(root, 0o755);
  if (isRoot()) {
    const ids = spawnSync('id', ['-u', PG_USER], { encoding: 'utf8' });
    const gid = spawnSync('id', ['-g', PG_USER], { encoding: 'utf8' });
    chownSync(root, Number(ids.stdout.trim()), Number(gid.stdout.trim()));
  }
  const init = runPg(join(bin, 'initdb'), ['-A', 'trust', '-U', 'postgres', '--no-sync', '-E', 'UTF8', '--locale', 'C', '-D', dataDir]);
  if (init.status !== 0) {
    rmSync(root, { recursive: true, force: true });
    throw new Error(`initdb failed (${init.status}): ${init.stderr || init.error?.message}`);
  }
  const port = await freePort();
  const serverOptions = `-p ${port} -k ${root} -c listen_addresses=127.0.0.1 -c fsync=off -c synchronous_commit=off -c full_page_writes=off`;
  const start = runPg(join(bin, 'pg_ctl'), ['-D', dataDir, '-l', logFile, '-o', serverOptions, '-w', '-t', '60', 'start']);
  if (start.status !== 0) {
    const log = existsSync(logFile) ? spawnSync('tail', ['-n', '20', logFile], { encoding: 'utf8' }).stdout : '';
    rmSync(root, { recursive: true, force: true });
    throw new Error(`pg_ctl start failed (${start.status}): ${start.stderr}\n${log}`);
  }
  let stopped = false;
  return {
    host: '127.0.0.1',
    port,
    user: 'postgres',
    database: 'postgres',
    connectionString: `postgres://postgres@127.0.0.1:${port}/postgres`,
    dataDir,
    logs: () => (existsSync(logFile) ? readFileSync(logFile, 'utf8') : ''),
    stop: async () => {
      if (stopped) return;
      stopped = true;
      runPg(join(bin, 'pg_ctl'), ['-D', dataDir, '-m', 'immediate', '-w', '-t', '30', 'stop']);
      rmSync(root, { recursive: true, force: true });
    },
  };
}

import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { existsSync } from 'node:fs';
import { delimiter, join } from 'node:path';
import { freePort, waitFor } from './free-port.js';

export interface S3TestServer {
  endpoint: string;
  port: number;
  /** Environment for an action run: credentials and region the SDK's standard chain picks up. */
  env: Record<string, string>;
  /** Settings for a test's own S3Client. */
  clientConfig: {
    endpoint: string;
    region: string;
    forcePathStyle: true;
    credentials: { accessKeyId: string; secretAccessKey: string };
  };
  stop(): Promise<void>;
}

export interface PythonSearch {
  /** The interpreter that imports moto.server and flask, when one does. */
  python?: string;
  /** Every interpreter tried, in order. */
  tried: string[];
}

let found: PythonSearch | undefined;

/**
 * Finds a Python that can run moto's server. `pnpm`/`npx` put node's own directory (often /usr/bin) first
 * in PATH, which can hide the Python that has moto (pyenv, a virtualenv), so every python3 on PATH is
 * tried; an explicit PYTHON is used alone.
 */
export function findPythonWithMoto(env: NodeJS.ProcessEnv = process.env): PythonSearch {
  if (found && env === process.env) return found;
  const candidates = env.PYTHON ? [env.PYTHON] : ['python3'];
  if (!env.PYTHON) {
    for (const dir of (env.PATH ?? '').split(delimiter).slice(0, 100)) {
      for (const name of ['python3', 'python']) {
        const path = join(dir, name);
        if (dir && existsSync(path) && !candidates.includes(path)) candidates.push(path);
      }
    }
  }
  const tried: string[] = [];
  let result: PythonSearch = { tried };
  for (const python of candidates) {
    tried.push(python);
    const probe = spawnSync(python, ['-c', 'import moto.server, flask'], { stdio: 'ignore', timeout: 60_000, env });
    if (probe.status === 0) {
      result = { python, tried };
      break;
    }
  }
  if (env === process.env) found = result;
  return result;
}

/** True when moto's server (which honours conditional writes, unlike s3rver) can be started here. */
export function motoAvailable(): boolean {
  return findPythonWithMoto().python !== undefined;
}

/**
 * Starts moto's S3 API server on 127.0.0.1 (a real HTTP S3 implementation, in memory).
 * Chosen over s3rver because it implements `If-None-Match: *` on PutObject, which mark-loaded relies on.
 */
export async function startS3Server(): Promise<S3TestServer> {
  const { python, tried } = findPythonWithMoto();
  if (!python) {
    throw new Error(`moto's S3 server is not installed (tried ${tried.join(', ')}): python3 -m pip install "moto[server]"`);
  }
  const port = await freePort();
  const child: ChildProcess = spawn(python, ['-m', 'moto.server', '-H', '127.0.0.1', '-p', String(port)], {
    stdio: ['ignore', 'ignore', 'pipe'],
    env: { ...process.env, MOTO_ALLOW_NONEXISTENT_REGION: 'true' },
  });
  let stderr = '';
  child.stderr?.setEncoding('utf8').on('data', (d: string) => (stderr = (stderr + d).slice(-4000)));
  const endpoint = `http://127.0.0.1:${port}`;
  try {
    await waitFor(
      async () => {
        if (child.exitCode !== null) throw new Error(`moto exited with ${child.exitCode}: ${stderr}`);
        try {
          return (await fetch(`${endpoint}/moto-api/`)).status < 500;
        } catch {
          return false;
        }
      },
      // moto imports Flask and every AWS backend at start: seconds when idle, over a minute on a loaded 2-core CI box.
      120_000,
      'the S3 server to accept requests',
    );
  } catch (error) {
    child.kill('SIGKILL');
    throw error;
  }
  const credentials = { accessKeyId: 'testing', secretAccessKey: 'testing-secret' };
  return {
    endpoint,
    port,
    env: {
      AWS_ACCESS_KEY_ID: credentials.accessKeyId,
      AWS_SECRET_ACCESS_KEY: credentials.secretAccessKey,
      AWS_REGION: 'us-east-1',
      AWS_EC2_METADATA_DISABLED: 'true',
    },
    clientConfig: { endpoint, region: 'us-east-1', forcePathStyle: true, credentials },
    stop: () =>
      new Promise<void>((resolve) => {
        if (child.exitCode !== null) return resolve();
        child.once('exit', () => resolve());
        child.kill('SIGTERM');
        setTimeout(() => child.kill('SIGKILL'), 3000).unref();
      }),
  };
}

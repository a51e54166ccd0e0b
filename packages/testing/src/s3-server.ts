import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
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

const PYTHON = process.env.PYTHON ?? 'python3';

/** True when moto's server (which honours conditional writes, unlike s3rver) can be started here. */
export function motoAvailable(): boolean {
  const probe = spawnSync(PYTHON, ['-c', 'import moto.server, flask'], { stdio: 'ignore' });
  return probe.status === 0;
}

/**
 * Starts moto's S3 API server on 127.0.0.1 (a real HTTP S3 implementation, in memory).
 * Chosen over s3rver because it implements `If-None-Match: *` on PutObject, which mark-loaded relies on.
 */
export async function startS3Server(): Promise<S3TestServer> {
  if (!motoAvailable()) {
    throw new Error(`moto's S3 server is not installed for ${PYTHON} ('python3 -m pip install "moto[server]"' or Debian's python3-moto).`);
  }
  const port = await freePort();
  const child: ChildProcess = spawn(PYTHON, ['-m', 'moto.server', '-H', '127.0.0.1', '-p', String(port)], {
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
      30_000,
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

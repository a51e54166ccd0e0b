import { spawn } from 'node:child_process';
import { parseKeyscan, type KnownHost } from './known-hosts.js';

export interface KeyscanResult {
  entries: KnownHost[];
  /** What ssh-keyscan printed on stderr (its banner comments and errors). */
  stderr: string;
}

/** Asks the server for its host keys with ssh-keyscan (all key types). */
export function keyscan(host: string, port: number, timeoutSeconds: number, command = 'ssh-keyscan'): Promise<KeyscanResult> {
  return new Promise((resolve, reject) => {
    const child = spawn(command, ['-T', String(timeoutSeconds), '-p', String(port), '--', host], { stdio: ['ignore', 'pipe', 'pipe'] });
    let stdout = '';
    let stderr = '';
    child.stdout.setEncoding('utf8').on('data', (d: string) => (stdout += d));
    child.stderr.setEncoding('utf8').on('data', (d: string) => (stderr += d));
    child.once('error', reject);
    child.once('close', () => resolve({ entries: parseKeyscan(stdout), stderr }));
  });
}

import { expect } from '@jest/globals';
import { existsSync } from 'node:fs';
import { connect } from 'node:net';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { ActionResult } from '../../../packages/testing/src/index.js';
import { processesWith, processState } from '../src/process.js';

export const actionDir = join(fileURLToPath(new URL('.', import.meta.url)), '..');

/** The key text never appears in anything the action printed, and nothing it masked leaked. */
export function expectNoLeak(result: ActionResult, privateKey: string): void {
  expect(result.leakedSecrets).toEqual([]);
  const printed = `${result.stdout
    .split('\n')
    .filter((l) => !l.startsWith('::add-mask::'))
    .join('\n')}\n${result.stderr}\n${result.summary}`;
  for (const line of privateKey.split('\n').filter((l) => l.length > 20)) expect(printed).not.toContain(line);
  expect(printed).not.toContain('PRIVATE KEY-----');
  expect(JSON.stringify(result.outputs)).not.toContain('PRIVATE');
}

export function alive(pid: number): boolean {
  return processState(pid) === 'running';
}

export function portAccepts(port: number, host = '127.0.0.1'): Promise<boolean> {
  return new Promise((resolve) => {
    const socket = connect({ host, port });
    socket.once('connect', () => {
      socket.destroy();
      resolve(true);
    });
    socket.once('error', () => resolve(false));
  });
}

/** After post: no ssh process, no listening port, no private directory (so no key file). */
export async function expectCleanedUp(state: Record<string, string>, ports: number[]): Promise<void> {
  const pid = Number(state['ssh-pid'] ?? '0');
  if (pid) expect(alive(pid)).toBe(false);
  for (const port of ports) expect(await portAccepts(port)).toBe(false);
  const dir = state['private-dir'];
  expect(dir).toBeTruthy();
  // No ssh of this tunnel at all (the jump hop's included): every one carries the private dir in its command line.
  expect(processesWith(dir)).toEqual([]);
  expect(existsSync(dir)).toBe(false);
  expect(existsSync(join(dir, 'id'))).toBe(false);
}

// The README's first command (`pnpm demo`) on a machine without moto: it must say what is missing and the one
// command that installs it, before it starts anything, instead of failing halfway with a stack trace.
import { afterAll, beforeAll, expect, test } from '@jest/globals';
import { spawnSync } from 'node:child_process';
import { chmodSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { findPythonWithMoto } from '../../../packages/testing/src/s3-server.js';

const root = resolve(dirname(fileURLToPath(import.meta.url)), '../../..');
let bin: string;

beforeAll(() => {
  // A PATH with node and the system tools but no python that has moto: a python3 that has no modules at all
  // comes first, then Debian's (which has no moto unless the machine installed it system-wide).
  bin = mkdtempSync(join(tmpdir(), 'no-moto-'));
  writeFileSync(join(bin, 'python3'), '#!/bin/sh\necho "ModuleNotFoundError: No module named \'moto\'" >&2\nexit 1\n');
  chmodSync(join(bin, 'python3'), 0o755);
});
afterAll(() => rmSync(bin, { recursive: true, force: true }));

test('pnpm demo without moto names what is missing and the command that installs it', () => {
  const env = { PATH: [bin, dirname(process.execPath), '/usr/bin', '/bin'].join(':'), HOME: process.env.HOME ?? '/root', NO_COLOR: '1' };
  expect(findPythonWithMoto(env).python).toBeUndefined();
  const run = spawnSync(join(root, 'node_modules', '.bin', 'tsx'), [join(root, 'scripts', 'demo', 'index.ts'), '--no-color'], {
    cwd: root,
    env,
    encoding: 'utf8',
    timeout: 120_000,
  });
  const output = `${run.stdout}\n${run.stderr}`;
  expect(run.status).not.toBe(0);
  expect(output).toContain('python3 -m pip install "moto[server]"');
  expect(output).not.toMatch(/^\s+at .+:\d+:\d+\)?$/m);
}, 150_000);

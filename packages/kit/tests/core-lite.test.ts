import { afterEach, beforeEach, describe, expect, it, jest } from '@jest/globals';
import * as real from '@actions/core';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import * as lite from '../src/core-lite.js';

// The bundles of four actions use core-lite in place of @actions/core: it must write what the real package writes.
type Core = Pick<
  typeof lite,
  'setOutput' | 'saveState' | 'setSecret' | 'warning' | 'error' | 'debug' | 'notice' | 'setFailed' | 'getState' | 'getInput'
>;

function capture(core: Core, act: (c: Core) => void): { stdout: string; output: string; state: string; exitCode: unknown } {
  const dir = mkdtempSync(join(tmpdir(), 'core-lite-'));
  process.env.GITHUB_OUTPUT = join(dir, 'output');
  process.env.GITHUB_STATE = join(dir, 'state');
  writeFileSync(process.env.GITHUB_OUTPUT, '');
  writeFileSync(process.env.GITHUB_STATE, '');
  const chunks: string[] = [];
  const spy = jest.spyOn(process.stdout, 'write').mockImplementation((chunk: string | Uint8Array) => {
    chunks.push(String(chunk));
    return true;
  });
  process.exitCode = undefined;
  try {
    act(core);
  } finally {
    spy.mockRestore();
  }
  const exitCode = process.exitCode;
  process.exitCode = undefined;
  const normalise = (text: string) => text.replace(/ghadelimiter_[0-9a-f-]+/g, 'DELIMITER');
  return {
    stdout: chunks.join(''),
    output: normalise(readFileSync(process.env.GITHUB_OUTPUT, 'utf8')),
    state: normalise(readFileSync(process.env.GITHUB_STATE, 'utf8')),
    exitCode,
  };
}

describe('core-lite writes what @actions/core writes', () => {
  const saved = { ...process.env };
  beforeEach(() => {
    process.env.INPUT_BATCH_ID = '  batch_1  ';
    process.env.STATE_pid = '123';
  });
  afterEach(() => {
    process.env = { ...saved };
  });

  const cases: [string, (c: Core) => void][] = [
    [
      'outputs, multi-line and JSON',
      (c) => (c.setOutput('tables', '["a","b"]'), c.setOutput('text', 'line 1\nline 2'), c.setOutput('n', 42 as unknown as string)),
    ],
    ['state for the post step', (c) => c.saveState('pid', '4242')],
    [
      'masks and annotations with escaping',
      (c) => (c.setSecret('s3cr3t'), c.warning('50% done\r\nnext'), c.error(new Error('bad: x')), c.notice('n'), c.debug('d%')),
    ],
    ['a failed step', (c) => c.setFailed("Input 'batch-id': is required.")],
  ];

  it.each(cases)('%s', (_name, act) => {
    expect(capture(lite, act)).toEqual(capture(real as unknown as Core, act));
  });

  it('reads inputs and state the same way', () => {
    expect(lite.getInput('batch id')).toBe(real.getInput('batch id'));
    expect(lite.getState('pid')).toBe(real.getState('pid'));
  });
});

import { describe, expect, it } from '@jest/globals';
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { fixture } from './helpers.js';

const root = join(dirname(fileURLToPath(import.meta.url)), '../../..');
const cli = (...args: string[]) =>
  spawnSync(join(root, 'node_modules/.bin/tsx'), [join(root, 'scripts/run-workflow/index.ts'), ...args], {
    cwd: root,
    encoding: 'utf8',
    timeout: 60_000,
  });

describe('pnpm run-workflow', () => {
  it('exits 0 on a successful run and writes the --json result in the documented shape', () => {
    const dir = mkdtempSync(join(tmpdir(), 'rw-cli-'));
    try {
      const r = cli(fixture('basic.yml'), '--input', 'who=cli', '--json', join(dir, 'result.json'));
      expect(r.status).toBe(0);
      expect(r.stdout).toContain('hello cli x2');
      const json = JSON.parse(readFileSync(join(dir, 'result.json'), 'utf8'));
      expect(json).toEqual({
        conclusion: 'success',
        jobs: {
          first: {
            result: 'success',
            outputs: { message: 'hello-cli' },
            steps: [
              expect.objectContaining({
                id: 'say',
                uses: null,
                outcome: 'success',
                conclusion: 'success',
                outputs: { message: 'hello-cli' },
              }),
              expect.objectContaining({ id: '', outcome: 'success' }),
            ],
          },
          second: {
            result: 'success',
            outputs: {},
            steps: [expect.objectContaining({ name: 'Run echo "got ${{ needs.first.outputs.message }}"' })],
          },
        },
      });
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it('exits 1 when the run fails', () => {
    expect(cli(fixture('needs-skip.yml'), '--quiet').status).toBe(1);
  });

  it.each([
    [['--input', 'nope=1'], "run-workflow: Unknown input 'nope': the workflow declares who, count, loud."],
    [['--frobnicate'], 'run-workflow: Unknown option --frobnicate;'],
    [['no/such/workflow.yml'], 'run-workflow: One workflow file, got'],
  ])('exits 2 with one line for a usage error (%j)', (args, line) => {
    const r = cli(fixture('basic.yml'), ...args);
    expect(r.status).toBe(2);
    expect(r.stderr.trim().split('\n')).toHaveLength(1);
    expect(r.stderr).toContain(line);
  });
});

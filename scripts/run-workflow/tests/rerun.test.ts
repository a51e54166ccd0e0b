import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { runWorkflow, UsageError } from '../src/index.js';
import { fixture, results } from './helpers.js';

describe('re-run failed jobs', () => {
  let dir: string;
  let vars: Record<string, string>;
  const lines = () => readFileSync(vars.RERUN_LOG, 'utf8').trim().split('\n');

  beforeAll(() => {
    dir = mkdtempSync(join(tmpdir(), 'rw-rerun-'));
    vars = { RERUN_LOG: join(dir, 'log'), FAIL_FILE: join(dir, 'fail') };
  });
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  it('runs only the failed leg and its dependents again, with the same run id and number and run_attempt 2', async () => {
    writeFileSync(vars.FAIL_FILE, '');
    const first = await runWorkflow({ workflow: fixture('rerun.yml'), vars });
    expect(results(first)).toEqual({ a: 'success', b: 'failure', c: 'skipped' });
    expect(first.jobs.b.legs!.map((l) => [l.matrix.part, l.result])).toEqual([
      ['one', 'success'],
      ['two', 'failure'],
    ]);
    expect(first.runAttempt).toBe(1);
    const firstLines = lines();
    expect(firstLines.sort()).toEqual(
      [`a attempt=1 run=${first.runId}`, `b one attempt=1 run=${first.runId}`, `b two attempt=1 run=${first.runId}`].sort(),
    );

    rmSync(vars.FAIL_FILE);
    writeFileSync(vars.RERUN_LOG, '');
    const second = await runWorkflow({ workflow: fixture('rerun.yml'), vars, rerunOf: first });
    expect(second).toMatchObject({ conclusion: 'success', runId: first.runId, runNumber: first.runNumber, runAttempt: 2 });
    expect(results(second)).toEqual({ a: 'success', b: 'success', c: 'success' });
    // a and b's leg one did not run again; a's output from attempt 1 reaches c.
    expect(lines()).toEqual([`b two attempt=2 run=${first.runId}`, `c attempt=2 number=${first.runNumber} token=from-a-attempt-1`]);
    expect(second.jobs.a).toEqual(first.jobs.a);
    expect(second.jobs.b.legs![0]).toEqual(first.jobs.b.legs![0]);
    expect(second.jobs.b.legs!.map((l) => l.result)).toEqual(['success', 'success']);
    expect(second.jobs.c.outputs).toEqual({ seen: 'from-a-attempt-1' });
    expect(second.transcript.join('\n')).toMatch(/attempt 2 \(re-run of the failed jobs\)/);

    // A re-run of a re-run counts on; a run without failed jobs has nothing to re-run, as on GitHub.
    await expect(runWorkflow({ workflow: fixture('rerun.yml'), vars, rerunOf: second })).rejects.toThrow(UsageError);
    await expect(runWorkflow({ workflow: fixture('matrix.yml'), rerunOf: first })).rejects.toThrow(/not of/);
  });

  it('counts the attempts on: a third attempt after a failed second one', async () => {
    writeFileSync(vars.FAIL_FILE, '');
    const first = await runWorkflow({ workflow: fixture('rerun.yml'), vars });
    const second = await runWorkflow({ workflow: fixture('rerun.yml'), vars, rerunOf: first });
    expect([second.conclusion, second.runAttempt]).toEqual(['failure', 2]);
    rmSync(vars.FAIL_FILE);
    writeFileSync(vars.RERUN_LOG, '');
    const third = await runWorkflow({ workflow: fixture('rerun.yml'), vars, rerunOf: second });
    expect(third).toMatchObject({ conclusion: 'success', runId: first.runId, runAttempt: 3 });
    expect(lines()).toEqual([`b two attempt=3 run=${first.runId}`, `c attempt=3 number=${first.runNumber} token=from-a-attempt-1`]);
  });
});

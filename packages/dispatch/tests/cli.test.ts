import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { execFile } from 'node:child_process';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import type { FakeGitHubApi } from '../../testing/src/github/index.js';
import { parseCli, runCli } from '../src/cli-run.js';
import { REPO, startWithWorkflows } from './fake.js';

let github: FakeGitHubApi;
beforeAll(async () => {
  github = await startWithWorkflows();
});
afterAll(() => github.stop());

async function cli(argv: string[], env: Record<string, string> = {}) {
  const out: string[] = [];
  const err: string[] = [];
  const code = await runCli(
    argv,
    { GITHUB_API_URL: github.url, GITHUB_TOKEN: 'ghs_writetoken', ...env },
    { out: (t) => out.push(t), err: (t) => err.push(t) },
  );
  return { code, out: out.join('\n'), err: err.join('\n') };
}

describe('pnpm dispatch', () => {
  it('dispatches with -f inputs and prints the exact run as JSON', async () => {
    const { code, out, err } = await cli([
      'promote-qa.yml',
      '-f',
      'artifact_version=84fb588',
      '--ref',
      'release',
      '--repo',
      REPO,
      '--json',
    ]);
    expect(code).toBe(0);
    const result = JSON.parse(out) as { runId: number; runUrl: string; method: string };
    const run = github.workflows.run(result.runId)!;
    expect(run).toMatchObject({ headBranch: 'release', inputs: { artifact_version: '84fb588' } });
    expect(result).toMatchObject({ runUrl: `${github.url}/${REPO}/actions/runs/${run.id}`, method: 'run-details' });
    expect(err).toContain(`Run: ${result.runUrl}`);
  });

  it("uses the repository's default branch and GITHUB_REPOSITORY when not told", async () => {
    const { code, out } = await cli(['promote-qa.yml', '-f', 'artifact_version=v1'], { GITHUB_REPOSITORY: REPO });
    expect(code).toBe(0);
    expect(github.workflows.runs.at(-1)!.headBranch).toBe('main');
    expect(out).toBe(`${github.url}/${REPO}/actions/runs/${github.workflows.runs.at(-1)!.id}`);
  });

  it('waits with --wait and exits 1 with the failed job when the run fails', async () => {
    const workflow = github.workflows.workflows.find((w) => w.path.endsWith('promote-qa.yml'))!;
    workflow.lifecycle = [
      { status: 'queued' },
      { status: 'queued' },
      { status: 'in_progress' },
      { status: 'completed', conclusion: 'failure', job: 'Verify' },
    ];
    try {
      const { code, out, err } = await cli([
        'promote-qa.yml',
        '-f',
        'artifact_version=v1',
        '--repo',
        REPO,
        '--ref',
        'main',
        '--wait',
        '--poll-interval-seconds',
        '0.01',
      ]);
      expect(code).toBe(1);
      expect(err).toMatch(/Run #\d+ queued\nRun #\d+ in_progress: job 'Promote', step 'Set up job'\nRun #\d+ completed: failure/);
      expect(err).toMatch(/Job 'Verify' ended failure: http/);
      expect(out).toMatch(/\/actions\/runs\/\d+ failure$/);
    } finally {
      workflow.lifecycle = undefined;
    }
  });

  it('exits 1 with the kind and the fix on a dispatch error, and the error as JSON', async () => {
    const { code, out, err } = await cli(['nope.yml', '--repo', REPO, '--ref', 'main', '--json']);
    expect(code).toBe(1);
    expect(err).toMatch(/^Error \(not-found\): Workflow 'nope.yml' is not on ref 'main'/);
    expect(JSON.parse(out)).toMatchObject({
      error: { kind: 'not-found', details: { workflows: expect.arrayContaining(['promote-qa.yml']) } },
    });
  });

  it('exits 2 on a usage error or a missing token, before any request', async () => {
    const before = github.server.requests.length;
    expect((await cli(['promote-qa.yml', '-f', 'novalue'])).code).toBe(2);
    expect((await cli(['a.yml', 'b.yml'])).code).toBe(2);
    expect((await cli(['promote-qa.yml', '--repo', REPO], { GITHUB_TOKEN: '' })).err).toMatch(/set GITHUB_TOKEN or GH_TOKEN/);
    expect(github.server.requests.length).toBe(before);
  });

  it('reads the options', () => {
    expect(parseCli(['x.yml', '-f', 'a=1=2', '--field', 'b=', '--wait', '--wait-timeout-minutes', '1.5'])).toMatchObject({
      workflow: 'x.yml',
      inputs: { a: '1=2', b: '' },
      wait: true,
      waitTimeoutMs: 90_000,
      pollIntervalMs: 5_000,
    });
  });
});

describe('the pipeline-dispatch bin', () => {
  it('runs as an executable (what npx runs) and prints JSON', async () => {
    const bin = join(dirname(fileURLToPath(import.meta.url)), '..', 'bin', 'pipeline-dispatch.js');
    const { stdout } = await promisify(execFile)(
      bin,
      ['promote-qa.yml', '-f', 'artifact_version=bin', '--repo', REPO, '--ref', 'main', '--json'],
      {
        env: { PATH: process.env.PATH, GITHUB_API_URL: github.url, GH_TOKEN: 'ghs_writetoken' },
        timeout: 30_000,
      },
    );
    const result = JSON.parse(stdout) as { runId: number };
    expect(github.workflows.run(result.runId)!.inputs.artifact_version).toBe('bin');
  });
});

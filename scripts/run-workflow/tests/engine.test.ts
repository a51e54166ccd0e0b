import { describe, expect, it } from '@jest/globals';
import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { runWorkflow, UsageError } from '../src/index.js';
import { fixture, REPO_FIXTURE, results, step } from './helpers.js';

describe('job graph', () => {
  it('skips the dependents of a failed job, runs always() and failure() jobs, and fails the run', async () => {
    const run = await runWorkflow({ workflow: fixture('needs-skip.yml') });
    expect(results(run)).toEqual({ a: 'failure', b: 'skipped', c: 'success', d: 'skipped', e: 'success', f: 'success' });
    expect(run.jobs.c.outputs).toEqual({ seen: 'skipped' });
    expect(run.conclusion).toBe('failure');
  });
});

describe('steps', () => {
  it('applies continue-on-error, failure(), always() and job.status as GitHub does', async () => {
    const run = await runWorkflow({ workflow: fixture('status-functions.yml') });
    const job = run.jobs.steps;
    expect(step(job, 'tolerated')).toMatchObject({ outcome: 'failure', conclusion: 'success' });
    expect(step(job, 'after-tolerated').outcome).toBe('skipped');
    expect(step(job, 'report').summary).toContain('outcome=failure conclusion=success');
    expect(step(job, 'broken').outcome).toBe('failure');
    expect(step(job, 'skipped-by-default').outcome).toBe('skipped');
    expect(step(job, 'on-failure').outputs).toEqual({ ran: 'yes' });
    expect(job.outputs).toEqual({ 'job-status': 'failure' });
    expect(job.result).toBe('failure');
  });

  it('runs working-directory, defaults.run, bash -e and shell: bash with pipefail, python, GITHUB_PATH; masks secrets', async () => {
    const lines: string[] = [];
    const run = await runWorkflow({ workflow: fixture('shells.yml'), secrets: { TOKEN: 's3cr3t-value' }, log: (l) => lines.push(l) });
    const job = run.jobs.shells;
    expect(step(job, 'where').outputs.dir).toBe('sub');
    expect(step(job, 'deeper').outputs.dir).toBe('deeper');
    expect(step(job, 'default-shell').outcome).toBe('success');
    expect(step(job, 'bash-pipefail')).toMatchObject({ outcome: 'failure', conclusion: 'success' });
    expect(step(job, 'python').outputs.py).toBe('ok');
    expect(step(job, 'path').outputs.first).toBe('/opt/tool');
    expect(run.transcript.join('\n')).toContain('the token is ***');
    expect([...run.transcript, ...lines].join('\n')).not.toContain('s3cr3t-value');
    const unknown = job.steps[job.steps.length - 1];
    expect(unknown.outcome).toBe('failure');
    expect(unknown.errors?.[0]).toMatch(/no local double for someone\/unknown-action: add one as scripts\/run-workflow\/src\/doubles/);
  });

  it('runs post steps at the end of the job in reverse order, honouring post-if', async () => {
    const workdir = mkdtempSync(join(tmpdir(), 'rw-test-'));
    const run = await runWorkflow({ workflow: fixture('post-steps.yml'), repo: REPO_FIXTURE, workdir });
    expect(run.jobs.posts.result).toBe('failure');
    const posts = run.jobs.posts.steps.filter((s) => s.name.startsWith('Post'));
    expect(posts.map((s) => s.name)).toEqual(['Post Run ./actions/post-always', 'Post Run ./actions/post-always']);
    const jobDir = readdirSync(workdir).find((d) => d.startsWith('posts-')) ?? '';
    expect(readFileSync(join(workdir, jobDir, 'posts.log'), 'utf8')).toBe('C\nA\n');
    expect(run.transcript.join('\n')).toMatch(/post C[\s\S]*Post Run \.\/actions\/post-on-success \(skipped: success\(\)\)[\s\S]*post A/);
    rmSync(workdir, { recursive: true, force: true });
  });
});

describe('matrix', () => {
  it('expands include/exclude, gives strategy and matrix contexts, and reports legs', async () => {
    const run = await runWorkflow({ workflow: fixture('matrix.yml') });
    const legs = run.jobs.grid.legs ?? [];
    expect(legs.map((l) => l.matrix)).toEqual([
      { os: 'linux', n: 1, extra: 'yes' },
      { os: 'linux', n: 2, extra: 'yes' },
      { os: 'mac', n: 1 },
      { os: 'windows', n: 9 },
    ]);
    expect(legs.map((l) => l.outputs.last)).toEqual(['linux-1-yes-0/4', 'linux-2-yes-1/4', 'mac-1--2/4', 'windows-9--3/4']);
  });

  it('with fail-fast and max-parallel 1, a failed leg cancels the queued ones (fromJSON matrix)', async () => {
    const run = await runWorkflow({ workflow: fixture('matrix.yml') });
    expect(run.jobs['from-json'].legs?.map((l) => [l.matrix.shard, l.result])).toEqual([
      [1, 'success'],
      [2, 'failure'],
      [3, 'cancelled'],
    ]);
    expect(run.jobs['from-json'].result).toBe('failure');
  });

  it('a leg with continue-on-error from the matrix fails alone: no fail-fast, and the run succeeds', async () => {
    const run = await runWorkflow({ workflow: fixture('matrix-experimental.yml') });
    expect(run.jobs.experimental.legs?.map((l) => [l.matrix.version, l.result])).toEqual([
      [1, 'success'],
      [2, 'success'],
      [3, 'failure'],
    ]);
    expect(run.jobs.experimental.result).toBe('failure');
    expect(run.conclusion).toBe('success');
  });
});

describe('timeouts', () => {
  it('a hung step is killed at its timeout-minutes and fails; a hung job is cancelled, always() steps still run', async () => {
    const run = await runWorkflow({ workflow: fixture('timeout.yml') });
    expect(step(run.jobs['step-timeout'], 'hung')).toMatchObject({ outcome: 'failure', conclusion: 'success' });
    expect(run.jobs['step-timeout'].result).toBe('success');
    expect(run.jobs['job-timeout'].result).toBe('cancelled');
    expect(run.jobs['job-timeout'].steps.map((s) => s.outcome)).toEqual(['cancelled', 'success']);
    expect(run.transcript.join('\n')).toContain('exceeded the maximum execution time');
    expect(run.conclusion).toBe('cancelled');
  }, 20_000);
});

describe('concurrency', () => {
  const gateDir = () => mkdtempSync(join(tmpdir(), 'rw-gate-'));
  const waitFor = async (file: string) => {
    for (let i = 0; i < 400 && !existsSync(file); i++) await new Promise((r) => setTimeout(r, 25));
    if (!existsSync(file)) throw new Error(`${file} never appeared`);
  };

  it('queues a second run of the group and cancels a pending one that a newer run replaces', async () => {
    const dir = gateDir();
    const gate = (n: number) => join(dir, `g${n}`);
    const first = runWorkflow({ workflow: fixture('concurrency.yml'), inputs: { gate: gate(1) } });
    await waitFor(`${gate(1)}.started`);
    const second = runWorkflow({ workflow: fixture('concurrency.yml'), inputs: { gate: gate(2) } });
    const third = runWorkflow({ workflow: fixture('concurrency.yml'), inputs: { gate: gate(3) } });
    expect((await second).conclusion).toBe('cancelled');
    expect(existsSync(`${gate(3)}.started`)).toBe(false);
    for (const n of [1, 3]) writeFileSync(`${gate(n)}.open`, '');
    expect((await first).conclusion).toBe('success');
    expect((await third).conclusion).toBe('success');
  });

  it('cancel-in-progress cancels the running run', async () => {
    const dir = gateDir();
    const first = runWorkflow({ workflow: fixture('concurrency.yml'), inputs: { gate: join(dir, 'a') } });
    await waitFor(join(dir, 'a.started'));
    writeFileSync(join(dir, 'b.open'), '');
    const second = await runWorkflow({ workflow: fixture('concurrency.yml'), inputs: { gate: join(dir, 'b'), cancel: 'true' } });
    expect((await first).conclusion).toBe('cancelled');
    expect(second.conclusion).toBe('success');
  });
});

describe('environments', () => {
  it('a protected environment without approval ends as a rejected deployment: failure, no step run', async () => {
    const run = await runWorkflow({ workflow: fixture('environments.yml'), protect: ['production'] });
    expect(results(run)).toEqual({ deploy: 'failure', after: 'skipped' });
    expect(run.jobs.deploy.steps).toEqual([]);
    expect(run.transcript.join('\n')).toContain("Deployment to 'production' was rejected");
  });

  it('runs once approved', async () => {
    const run = await runWorkflow({ workflow: fixture('environments.yml'), protect: ['production'], approve: ['production'] });
    expect(results(run)).toEqual({ deploy: 'success', after: 'success' });
  });
});

describe('inputs', () => {
  it('types inputs as declared and applies defaults', async () => {
    const run = await runWorkflow({ workflow: fixture('inputs.yml'), inputs: { target: 'qa' } });
    const outputs = step(run.jobs.show, 'typed').outputs;
    expect(JSON.parse(outputs.json)).toEqual({ size: 50, dry_run: true, target: 'qa', note: '' });
    expect(outputs).toMatchObject({ number: 'true', bool: 'true' });
  });

  it.each([
    [{ target: 'qa', nope: '1' }, /Unknown input 'nope': the workflow declares size, dry_run, target, note\./],
    [{}, /Input 'target' is required/],
    [{ target: 'staging' }, /Input 'target' must be one of qa, production, not 'staging'/],
    [{ target: 'qa', dry_run: 'yes' }, /Input 'dry_run' is a boolean/],
    [{ target: 'qa', size: 'many' }, /Input 'size' is a number/],
  ])('refuses %j as GitHub does', async (inputs, message) => {
    await expect(runWorkflow({ workflow: fixture('inputs.yml'), inputs })).rejects.toThrow(UsageError);
    await expect(runWorkflow({ workflow: fixture('inputs.yml'), inputs })).rejects.toThrow(message);
  });

  it('refuses an event the workflow is not triggered by, and a cron it does not declare', async () => {
    await expect(runWorkflow({ workflow: fixture('inputs.yml'), event: 'push' })).rejects.toThrow(
      /not triggered by 'push': it declares workflow_dispatch/,
    );
    await expect(runWorkflow({ workflow: fixture('inputs.yml'), cron: '0 1 * * *' })).rejects.toThrow(/--cron is for --event schedule/);
  });
});

describe('docker doubles', () => {
  it('computes metadata tags and records the build without Docker', async () => {
    const run = await runWorkflow({ workflow: fixture('docker.yml'), event: 'push', secrets: { REGISTRY_PASSWORD: 'pw-123456' } });
    expect(run.conclusion).toBe('success');
    expect(run.images).toEqual([
      expect.objectContaining({
        context: '.',
        file: 'Dockerfile.dev',
        push: true,
        'build-args': ['VERSION=1.2.3'],
        tags: ['ghcr.io/octo-org/app:sha-84fb588-test', 'ghcr.io/octo-org/app:main-test', 'ghcr.io/octo-org/app:1.2.3-test'],
      }),
    ]);
  });
});

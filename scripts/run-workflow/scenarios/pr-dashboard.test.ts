// workflows/pr-dashboard.yml as GitHub would run it (issue 13's scenarios and issue 14 point 2): the dashboard of a pull
// request, /plan by a writer, /apply refused for a read-only commenter, a fork, a closed pull request, a head that
// moved after the comment, no approved review; /apply with review and plan runs in infra-apply; nothing left on ⏳.
import { afterAll, beforeAll, describe, expect, test } from '@jest/globals';
import { createHash } from 'node:crypto';
import { rmSync } from 'node:fs';
import { join } from 'node:path';
import { motoAvailable } from '../../../packages/testing/src/s3-server.js';
import { startLocalServices, type LocalServices, type RunResult } from '../src/index.js';
import { commitAll, makeRepo, readable, removeRepos, results, run, RUN_TIMEOUT } from './helpers.js';

const maybe = motoAvailable() ? describe : describe.skip;
if (!motoAvailable()) console.warn('SKIPPED: the scenarios need moto (python3 -m pip install "moto[server]")');

const COLLABORATORS = { dev: 'write', reader: 'read', lead: 'admin' };
/** How the fixture's make names the credentials it ran with. */
const digest = (secret: string) => `credentials ${createHash('sha256').update(secret).digest('hex').slice(0, 12)}`;

maybe('pr-dashboard.yml', () => {
  let services: LocalServices;
  let repo: string;
  let head: string;
  beforeAll(async () => {
    services = await startLocalServices();
    repo = makeRepo('pr-dashboard', ['pr-dashboard'], { git: true });
    head = (await import('node:child_process')).execFileSync('git', ['rev-parse', 'HEAD'], { cwd: repo, encoding: 'utf8' }).trim();
  }, RUN_TIMEOUT);
  afterAll(async () => {
    await services?.stop();
    removeRepos();
  });

  /** A pull request of this repository (or a fork) whose head is the fixture's commit. */
  function openPull(number: number, options: { state?: 'open' | 'closed'; headRepo?: string; headSha?: string } = {}) {
    services.github.issues.addPull({
      number,
      headSha: options.headSha ?? head,
      headRef: `feature-${number}`,
      state: options.state ?? 'open',
      headRepo: options.headRepo,
    });
  }
  /** The comment came after the head commit, unless `at` says otherwise (the fake dates commits when a run starts). */
  const comment = (number: number, body: string, actor: string, at = new Date(Date.now() + 3_600_000)): Promise<RunResult> =>
    run(services, 'pr-dashboard', repo, {
      event: 'issue_comment',
      comment: body,
      actor,
      collaborators: COLLABORATORS,
      protect: ['infra-apply'],
      approve: ['infra-apply'],
      payload: {
        issue: { number, pull_request: { url: `${services.github.url}/repos/octo-org/pipeline-demo/pulls/${number}` } },
        comment: { created_at: at.toISOString() },
      },
    });
  /** Table rows still on ⏳ (the legend under the table names every symbol). */
  const pendingRows = (number: number) =>
    dashboard(number)
      .split('\n')
      .filter((line) => line.startsWith('|') && line.includes('⏳'));
  const dashboard = (number: number) =>
    services.github.issues
      .issueComments(number)
      .map((c) => c.body)
      .join('\n');

  test(
    'a pull request opens the dashboard and runs CI and the plan; every stage ends final',
    async () => {
      openPull(1);
      const result = await run(services, 'pr-dashboard', repo, {
        event: 'pull_request',
        payload: { number: 1, pull_request: { number: 1, head: { sha: head, ref: 'feature-1' } } },
      });
      expect(results(result)).toMatchObject({ route: 'success', ci: 'success', plan: 'success', apply: 'skipped', report: 'success' });
      const body = dashboard(1);
      expect(body).toContain('CI Validate');
      expect(body).toContain('Plan');
      expect(pendingRows(1)).toEqual([]);
      expect(body).toContain(digest(services.secrets.INFRA_PLAN_CREDENTIALS));
    },
    RUN_TIMEOUT,
  );

  test(
    '/plan from a user with write permission runs the plan of the head and records it for /apply',
    async () => {
      const result = await comment(1, '/plan', 'dev');
      expect(results(result)).toMatchObject({ route: 'success', gate: 'success', plan: 'success', report: 'success' });
      expect(result.jobs.route.outputs.sha).toBe(head);
      const statuses = services.github.statuses.currentStatuses(head);
      expect(statuses.get('pr-dashboard/plan')?.state).toBe('success');
      expect(pendingRows(1)).toEqual([]);
    },
    RUN_TIMEOUT,
  );

  const refused = async (result: RunResult, number: number, reason: RegExp) => {
    expect(result.jobs.apply.result).toBe('skipped');
    expect(readable(result)).toMatch(reason);
    expect(dashboard(number)).toMatch(reason);
    expect(pendingRows(number)).toEqual([]);
  };

  test(
    '/apply by a read-only collaborator is refused, with the reason in the summary and on the dashboard',
    async () => {
      await refused(await comment(1, '/apply', 'reader'), 1, /permission|read/i);
    },
    RUN_TIMEOUT,
  );

  test(
    '/apply on a pull request from a fork is refused',
    async () => {
      openPull(2, { headRepo: 'mallory/pipeline-demo' });
      await refused(await comment(2, '/apply', 'dev'), 2, /fork/i);
    },
    RUN_TIMEOUT,
  );

  test(
    '/apply on a closed pull request is refused',
    async () => {
      openPull(3, { state: 'closed' });
      await refused(await comment(3, '/apply', 'dev'), 3, /closed|not open/i);
    },
    RUN_TIMEOUT,
  );

  test(
    '/apply when the head was committed after the comment is refused',
    async () => {
      openPull(4);
      const result = await comment(4, '/apply', 'lead', new Date(Date.now() - 3_600_000));
      expect(result.jobs.gate.result).toBe('failure');
      await refused(result, 4, /after the comment/);
    },
    RUN_TIMEOUT,
  );

  test(
    '/apply without an approved review of the head is refused; with one and a successful plan it applies in infra-apply',
    async () => {
      const without = await comment(1, '/apply', 'dev');
      expect(without.jobs.gate.result).toBe('failure');
      await refused(without, 1, /no approved review/);

      services.github.reviews.add({ pullNumber: 1, login: 'lead', state: 'APPROVED', commitId: head });
      const applied = await comment(1, '/apply', 'dev');
      expect(results(applied)).toMatchObject({ route: 'success', gate: 'success', apply: 'success', report: 'success' });
      // The apply job's own log: make apply ran with the apply credentials, not the plan credentials.
      const log = applied.transcript.join('\n');
      const applyLog = log.slice(log.indexOf('[apply]'), log.indexOf('[report]'));
      expect(applyLog).toContain(digest(services.secrets.INFRA_APPLY_CREDENTIALS));
      expect(applyLog).not.toContain(digest(services.secrets.INFRA_PLAN_CREDENTIALS));
      expect(pendingRows(1)).toEqual([]);
    },
    RUN_TIMEOUT,
  );

  test(
    'when CI fails the plan is skipped and both rows end final, not on ⏳',
    async () => {
      rmSync(join(repo, 'main.tf'));
      const broken = commitAll(repo, 'drop main.tf');
      openPull(5, { headSha: broken });
      const result = await run(services, 'pr-dashboard', repo, {
        event: 'pull_request',
        payload: { number: 5, pull_request: { number: 5, head: { sha: broken, ref: 'feature-5' } } },
      });
      expect(results(result)).toMatchObject({ ci: 'failure', plan: 'skipped', report: 'success' });
      expect(dashboard(5)).toContain('CI Validate');
      expect(pendingRows(5)).toEqual([]);
    },
    RUN_TIMEOUT,
  );
});

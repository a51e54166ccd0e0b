import { afterAll, beforeAll, beforeEach, describe, expect, it } from '@jest/globals';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import {
  runAction,
  startFakeGitHub,
  type ActionResult,
  type FakeGitHubApi,
  type RunActionOptions,
} from '../../../packages/testing/src/index.js';

const actionDir = join(dirname(fileURLToPath(import.meta.url)), '..');
const SHA = 'abc1234def5678901234567890abcdef12345678';
const SHA2 = 'fedcba9876543210fedcba9876543210fedcba98';
const PUSH_SHA = '0123456789abcdef0123456789abcdef01234567';
const MARKER = `<!-- infra-dashboard:abc1234 -->`;
const ACTIONS_BOT = { login: 'github-actions[bot]', id: 41898282, type: 'Bot' as const };

let github: FakeGitHubApi;
let nextPr = 100;

beforeAll(async () => {
  github = await startFakeGitHub();
});
afterAll(() => github.stop());

beforeEach(() => {
  github.server.latency = { minMs: 0, maxMs: 0 };
});

function prEvent(number: number, sha = SHA): Pick<RunActionOptions, 'event' | 'eventName'> {
  return { eventName: 'pull_request', event: { action: 'synchronize', number, pull_request: { number, head: { sha } } } };
}

function run(
  inputs: Record<string, string>,
  options: RunActionOptions & { token?: string; runId?: string; attempt?: string } = {},
): Promise<ActionResult> {
  const { token = 'ghs_writetoken', runId = '1001', attempt = '1', ...rest } = options;
  return runAction(actionDir, {
    ...rest,
    inputs: { token, ...inputs },
    env: { ...github.server.env(token), GITHUB_RUN_ID: runId, GITHUB_RUN_ATTEMPT: attempt, ...(rest.env ?? {}) },
    secrets: [token],
  });
}

function dashboards(pr: number) {
  return github.issues.issueComments(pr).filter((c) => c.body.startsWith(MARKER));
}

function stateOf(body: string): { stages: { key: string; status: string; run?: number }[] } {
  const m = /<!-- infra-dashboard-state: (.*) -->$/.exec(body);
  if (!m) throw new Error(`no state in ${body}`);
  return JSON.parse(m[1]) as { stages: { key: string; status: string; run?: number }[] };
}

function rowOf(body: string, name: string): string | undefined {
  return body.split('\n').find((l) => l.startsWith(`| ${name} |`));
}

function expectClean(result: ActionResult): void {
  expect(result.errors).toEqual([]);
  expect(result.warnings).toEqual([]);
  expect(result.exitCode).toBe(0);
  expect(result.leakedSecrets).toEqual([]);
}

describe('dashboard-update on a pull request', () => {
  it('init creates the dashboard with the default stages, in the documented layout', async () => {
    const pr = nextPr++;
    const result = await run({ mode: 'init' }, prEvent(pr));
    expectClean(result);
    const [comment] = dashboards(pr);
    expect(dashboards(pr)).toHaveLength(1);
    expect(result.outputs).toMatchObject({ 'comment-id': String(comment.id), created: 'true', 'pr-number': String(pr), sha: SHA });
    expect(result.outputs['comment-url']).toBe(
      `${github.url}/octo-org/pipeline-demo/pull/${pr}#issuecomment-${comment.id}`.replace('/pull/', '/issues/'),
    );
    const lines = comment.body.split('\n');
    expect(lines[0]).toBe(MARKER);
    expect(lines[1]).toBe('## ⚙️ Commit Dashboard `abc1234`');
    expect(lines[2]).toBe('| Stage | Status | Output | Time |');
    expect(lines[3]).toBe('|-------|--------|--------|------|');
    expect(lines.slice(4, 12)).toEqual(
      ['CI Validate', 'Plan: bootstrap', 'Plan: platform', 'Plan: data-staging', 'Plan: data-prod', 'Apply', 'E2E Tests', 'AI Review'].map(
        (n) => `| ${n} | ⏳ | - | - |`,
      ),
    );
    expect(comment.user.login).toBe('github-actions[bot]');
    expect(result.summary).toContain('| CI Validate | ⏳ | - | - |');
  });

  it('update finds the dashboard by its marker and sets one stage, with a link and the time', async () => {
    const pr = nextPr++;
    await run({ mode: 'init' }, prEvent(pr));
    const result = await run({ stage: 'plan-platform', status: 'running' }, prEvent(pr));
    expectClean(result);
    const [comment] = dashboards(pr);
    expect(dashboards(pr)).toHaveLength(1);
    expect(result.outputs).toMatchObject({ 'comment-id': String(comment.id), created: 'false', sha: SHA });
    expect(rowOf(comment.body, 'Plan: platform')).toMatch(
      new RegExp(
        `^\\| Plan: platform \\| 🔄 \\| \\[View\\]\\(${github.url.replace(/[.]/g, '\\.')}/octo-org/pipeline-demo/actions/runs/1001\\) \\| \\d\\d:\\d\\d \\|$`,
      ),
    );
    expect(rowOf(comment.body, 'CI Validate')).toBe('| CI Validate | ⏳ | - | - |');
  });

  it('update with comment-id takes the fast path: read, write, verify', async () => {
    const pr = nextPr++;
    const init = await run({ mode: 'init' }, prEvent(pr));
    const before = github.server.requests.length;
    const result = await run(
      { stage: 'ci', status: 'success', output: '42 tests passed', 'comment-id': init.outputs['comment-id'] },
      prEvent(pr),
    );
    expectClean(result);
    const requests = github.server.requests.slice(before);
    expect(requests.map((r) => r.method)).toEqual(['GET', 'PATCH', 'GET']);
    expect(rowOf(dashboards(pr)[0].body, 'CI Validate')).toMatch(
      /^\| CI Validate \| ✅ \| \[View\]\(.*\) · 42 tests passed \| \d\d:\d\d \|$/,
    );
  });

  it('accepts the values of job.status, steps.<id>.outcome and needs.<id>.result', async () => {
    const pr = nextPr++;
    await run({ mode: 'init' }, prEvent(pr));
    await run({ stage: 'apply', status: 'cancelled' }, prEvent(pr));
    await run({ stage: 'e2e', status: 'Failure' }, prEvent(pr));
    await run({ stage: 'review', status: 'skipped' }, prEvent(pr));
    const body = dashboards(pr)[0].body;
    expect(rowOf(body, 'Apply')).toMatch(/^\| Apply \| 🚫 \|/);
    expect(rowOf(body, 'E2E Tests')).toMatch(/^\| E2E Tests \| ❌ \|/);
    expect(rowOf(body, 'AI Review')).toMatch(/^\| AI Review \| ⏭️ \|/);
  });

  it('appends a stage unknown at init on its first update', async () => {
    const pr = nextPr++;
    await run({ mode: 'init', stages: 'ci: CI Validate\napply: Apply' }, prEvent(pr));
    const result = await run({ stage: 'deploy-docs', 'stage-name': 'Deploy docs', status: 'success' }, prEvent(pr));
    expectClean(result);
    const body = dashboards(pr)[0].body;
    const rows = body.split('\n').filter((l) => /^\| (?!Stage|-)/.test(l));
    expect(rows.map((r) => r.split(' | ')[0])).toEqual(['| CI Validate', '| Apply', '| Deploy docs']);
  });

  it('finds its dashboard among 250+ comments (pagination) and ignores look-alikes by other users', async () => {
    const pr = nextPr++;
    for (let i = 0; i < 130; i++) github.issues.seedIssueComment(pr, `comment ${i}`);
    await run({ mode: 'init' }, prEvent(pr));
    for (let i = 0; i < 130; i++) github.issues.seedIssueComment(pr, `later comment ${i}`);
    // A human pasted a dashboard: not ours, never edited.
    const fake = github.issues.seedIssueComment(pr, `${MARKER}\n## ⚙️ Commit Dashboard \`abc1234\``);
    const before = github.server.requests.length;
    const result = await run({ stage: 'ci', status: 'running' }, prEvent(pr));
    expectClean(result);
    const own = dashboards(pr).filter((c) => c.user.login === ACTIONS_BOT.login);
    expect(own).toHaveLength(1);
    expect(result.outputs['comment-id']).toBe(String(own[0].id));
    expect(github.issues.comments.get(fake.id)?.history).toHaveLength(1);
    const requests = github.server.requests.slice(before);
    const pages = requests.filter((r) => r.method === 'GET' && r.path.endsWith(`/issues/${pr}/comments`)).length;
    expect(pages).toBe(3);
    expect(requests).toHaveLength(2 + pages);
  });

  it('ignores an update from an older run than the one recorded, with a notice', async () => {
    const pr = nextPr++;
    await run({ mode: 'init' }, { ...prEvent(pr), runId: '2000' });
    await run({ stage: 'apply', status: 'success' }, { ...prEvent(pr), runId: '2000' });
    const stale = await run({ stage: 'apply', status: 'failure' }, { ...prEvent(pr), runId: '1999' });
    expectClean(stale);
    expect(stale.notices.join('\n')).toMatch(
      /Ignored the update of stage 'apply' from run 1999 attempt 1: the dashboard already holds run 2000 attempt 1/,
    );
    expect(rowOf(dashboards(pr)[0].body, 'Apply')).toMatch(/^\| Apply \| ✅ \|/);
    const retry = await run({ stage: 'apply', status: 'failure' }, { ...prEvent(pr), runId: '2000', attempt: '2' });
    expectClean(retry);
    expect(rowOf(dashboards(pr)[0].body, 'Apply')).toMatch(/^\| Apply \| ❌ \|/);
  });

  it('keeps the body within 65,536 characters by cutting long outputs, with a note', async () => {
    const pr = nextPr++;
    await run({ mode: 'init' }, prEvent(pr));
    // 100 kB: as much as one environment variable can carry (the runner passes inputs that way).
    const huge = Array.from({ length: 2000 }, (_, i) => `+ resource "aws_s3_bucket" "b${i}" -- <!-- x -->`).join('\n');
    const result = await run({ stage: 'plan-platform', status: 'success', output: huge }, prEvent(pr));
    expectClean(result);
    const body = dashboards(pr)[0].body;
    expect(body.length).toBeLessThanOrEqual(65_536);
    expect(body).toContain('<details><summary>Plan: platform: output</summary>');
    expect(body).toMatch(/output cut by [\d,]+ characters to fit GitHub's 65,536-character comment limit/);
    expect(stateOf(body).stages.find((s) => s.key === 'plan-platform')?.status).toBe('success');
  });

  it('reacts with 👀 to the triggering comment at init on an issue_comment event, and looks up the head sha', async () => {
    const pr = nextPr++;
    github.issues.addPull({ number: pr, headSha: SHA2 });
    const trigger = github.issues.seedIssueComment(pr, '/deploy');
    const result = await run(
      { mode: 'init' },
      { eventName: 'issue_comment', event: { action: 'created', issue: { number: pr, pull_request: {} }, comment: { id: trigger.id } } },
    );
    expectClean(result);
    expect(result.outputs).toMatchObject({ sha: SHA2, 'pr-number': String(pr), created: 'true' });
    expect(github.issues.reactions.filter((r) => r.commentId === trigger.id).map((r) => [r.content, r.user.login])).toEqual([
      ['eyes', 'github-actions[bot]'],
    ]);
    expect(github.issues.issueComments(pr)[1].body.startsWith('<!-- infra-dashboard:fedcba9 -->')).toBe(true);
  });

  it('with a read-only token warns once, naming the permission, and writes the dashboard to the job summary', async () => {
    const pr = nextPr++;
    const result = await run({ stage: 'ci', status: 'failure' }, { ...prEvent(pr), token: 'ghs_readonlytoken' });
    expect(result.exitCode).toBe(0);
    expect(result.errors).toEqual([]);
    expect(result.warnings).toHaveLength(1);
    expect(result.warnings[0]).toMatch(/pull-requests: write/);
    expect(result.warnings[0]).toMatch(/issues: write/);
    expect(result.summary).toContain('| CI Validate | ❌ |');
    expect(dashboards(pr)).toHaveLength(0);
    expect(result.outputs.created).toBe('false');
  });

  it('with a user token finds comments by that user (GET /user)', async () => {
    const pr = nextPr++;
    await run({ mode: 'init' }, { ...prEvent(pr), token: 'ghp_usertoken' });
    const result = await run({ stage: 'ci', status: 'success' }, { ...prEvent(pr), token: 'ghp_usertoken' });
    expectClean(result);
    expect(dashboards(pr)).toHaveLength(1);
    expect(dashboards(pr)[0].user.login).toBe('octocat');
  });
});

describe('dashboard-update on a push without a pull request', () => {
  it('writes a commit comment, and updates it in place', async () => {
    const push = { eventName: 'push', event: { ref: 'refs/heads/main', after: PUSH_SHA }, env: { GITHUB_SHA: PUSH_SHA } };
    const init = await run({ mode: 'init' }, push);
    expectClean(init);
    expect(init.outputs).toMatchObject({ created: 'true', 'pr-number': '', sha: PUSH_SHA });
    const result = await run({ stage: 'apply', status: 'running' }, push);
    expectClean(result);
    const comments = github.issues.commitComments(PUSH_SHA);
    expect(comments).toHaveLength(1);
    expect(result.outputs['comment-url']).toBe(`${github.url}/octo-org/pipeline-demo/commit/${PUSH_SHA}#commitcomment-${comments[0].id}`);
    expect(comments[0].body.startsWith('<!-- infra-dashboard:0123456 -->')).toBe(true);
    expect(rowOf(comments[0].body, 'Apply')).toMatch(/^\| Apply \| 🔄 \|/);
  });
});

describe('input errors', () => {
  it('fails with one error per bad input, naming the input and the expected form', async () => {
    const result = await run({ mode: 'upsert', status: 'maybe', stage: 'bad key' });
    expect(result.exitCode).toBe(1);
    expect(result.errors.join('\n')).toMatch(/Input 'mode': 'upsert' is not one of: init, update/);
    expect(result.errors.join('\n')).toMatch(/Input 'status': 'maybe' is not a status/);
    expect(result.errors.join('\n')).toMatch(/Input 'stage': 'bad key' is not valid/);
  });
});

describe('concurrency', () => {
  it('20 updates of 20 stages at once, with random latency, end in one dashboard with all 20 stages', async () => {
    const pr = nextPr++;
    await run({ mode: 'init' }, prEvent(pr));
    github.server.latency = { minMs: 5, maxMs: 60 };
    const keys = Array.from({ length: 20 }, (_, i) => `stage-${String(i).padStart(2, '0')}`);
    const results = await Promise.all(
      keys.map((key) => run({ stage: key, status: 'success', output: `done ${key}` }, { ...prEvent(pr), timeoutMs: 300_000 })),
    );
    for (const r of results) expect(r.exitCode).toBe(0);
    expect(results.flatMap((r) => r.warnings)).toEqual([]);
    const all = dashboards(pr);
    expect(all).toHaveLength(1);
    const stages = stateOf(all[0].body).stages;
    for (const key of keys) expect(stages.find((s) => s.key === key)?.status).toBe('success');
  }, 420_000);

  it('concurrent creators converge on the oldest comment and delete their duplicates', async () => {
    const pr = nextPr++;
    github.server.latency = { minMs: 5, maxMs: 40 };
    const results = await Promise.all(
      ['ci', 'apply', 'e2e', 'review'].map((key) => run({ stage: key, status: 'running' }, { ...prEvent(pr), timeoutMs: 300_000 })),
    );
    for (const r of results) expect(r.exitCode).toBe(0);
    const all = dashboards(pr);
    expect(all).toHaveLength(1);
    expect(new Set(results.map((r) => r.outputs['comment-id']))).toEqual(new Set([String(all[0].id)]));
    const stages = stateOf(all[0].body).stages;
    for (const key of ['ci', 'apply', 'e2e', 'review']) expect(stages.find((s) => s.key === key)?.status).toBe('running');
  }, 420_000);
});

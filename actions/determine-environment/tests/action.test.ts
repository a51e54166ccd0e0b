import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { startFakeGitHub, type FakeGitHubApi } from '../../../packages/testing/src/github/index.js';
import { runAction } from '../../../packages/testing/src/index.js';
import { IMAGE_BUILD, REDCAP, RUN_SHA, actionDir, payload, runnerEnv, type FixtureName } from './fixtures.js';

const runnerDirs: string[] = [];
let github: FakeGitHubApi;
const PR_HEAD = 'a1b2c3d4e5f60718293a4b5c6d7e8f9012345678';
beforeAll(async () => {
  github = await startFakeGitHub();
  github.collaborators.set('octocat', 'write');
  github.issues.addPull({ number: 42, headSha: PR_HEAD, headRef: 'feature/qa-dashboard' });
});
afterAll(async () => {
  await github.stop();
  for (const dir of runnerDirs) rmSync(dir, { recursive: true, force: true });
});

/** Runs the bundled action on a fixture event, as the runner would. */
async function runOn(
  name: FixtureName,
  inputs: Record<string, string>,
  options: { patch?: Record<string, unknown>; ref?: string; env?: Record<string, string>; runnerDir?: string } = {},
) {
  const runner = runnerEnv(name, options.ref);
  const result = await runAction(actionDir, {
    inputs: { token: 'ghs_writetoken', ...inputs },
    eventName: runner.eventName,
    event: { ...payload(name), ...options.patch },
    env: { ...runner.env, GITHUB_API_URL: github.url, ...options.env },
    runnerDir: options.runnerDir,
  });
  runnerDirs.push(result.runnerDir);
  return result;
}

/** A runner directory whose workspace holds a checked-out workflow file. */
function workspaceWithWorkflow(file: string, text: string): string {
  const dir = mkdtempSync(join(tmpdir(), 'determine-env-'));
  mkdirSync(join(dir, 'workspace', '.github', 'workflows'), { recursive: true });
  writeFileSync(join(dir, 'workspace', '.github', 'workflows', file), text);
  return dir;
}

const REDCAP_WORKFLOW = [
  'name: REDCap',
  'on:',
  '  schedule:',
  "    - cron: '0 2 * * *'",
  "    - cron: '0 */6 * * *'",
  '  workflow_dispatch:',
  'jobs: {}',
  '',
].join('\n');
const WORKFLOW_REF = 'octo-org/pipeline-demo/.github/workflows/redcap.yml@refs/heads/main';

describe('the bundled action', () => {
  it('resolves the nightly cron to production and writes every output', async () => {
    const result = await runOn('schedule', REDCAP);
    expect(result.exitCode).toBe(0);
    expect(result.outputs).toEqual({
      environment: 'production',
      trigger: 'schedule',
      'is-scheduled': 'true',
      reason: "Scheduled run '0 2 * * *' matches 'schedules' line 1 '0 2 * * * => production'.",
      values: '{}',
      'ref-name': 'main',
      sha: RUN_SHA,
      'short-sha': '84fb588',
      'pr-number': '',
      command: '',
      'command-args': '',
      'should-run': 'true',
      'actor-permission': '',
      'head-sha': '',
      'head-ref': '',
      'head-repo': '',
      'is-fork': '',
      'pr-state': '',
      'base-ref': '',
    });
    expect(github.server.requests).toEqual([]);
    expect(result.summary.trim().split('\n')).toEqual([
      '- **Environment:** `production`',
      '- **Trigger:** schedule',
      "- **Reason:** Scheduled run '0 2 * * *' matches 'schedules' line 1 '0 2 * * * => production'.",
    ]);
  });

  it('fails an unmapped cron with one error and writes no outputs', async () => {
    const result = await runOn('schedule', { ...REDCAP, default: 'qa' }, { patch: { schedule: '30 2 * * *' } });
    expect(result.exitCode).toBe(1);
    expect(result.errors).toEqual([
      "Scheduled run with cron '30 2 * * *' has no mapping in 'schedules' (mapped crons: '0 2 * * *', '0 */6 * * *'): add a line '30 2 * * * => ENVIRONMENT' to 'schedules'.",
    ]);
    expect(result.outputs).toEqual({});
    expect(result.summary).toBe('');
  });

  it('reports each bad input as its own error without a stack trace', async () => {
    const result = await runOn('workflow_dispatch', {
      schedules: '0 2 * * * production\n0 24 * * * => qa',
      allowed: 'qa, production',
      environment: 'prod',
      values: '[1, 2]',
    });
    expect(result.exitCode).toBe(1);
    expect(result.errors).toEqual([
      "Input 'environment': 'prod' is not one of the allowed environments: qa, production.",
      "Input 'schedules': line 1 '0 2 * * * production' has no '=>': expected one 'CRON => ENVIRONMENT' a line.",
      "Input 'schedules': line 2 has an invalid cron '0 24 * * *' (hour 24 is out of range 0-23): expected five fields 'minute hour day-of-month month day-of-week', e.g. '0 2 * * *'.",
      "Input 'values': is not a mapping: expected a YAML mapping such as '{key: value}'.",
    ]);
    expect(`${result.stdout}${result.stderr}`).not.toMatch(/\n\s+at /);
    expect(result.outputs).toEqual({});
  });

  it('emits the environment values as JSON for a production dispatch', async () => {
    const result = await runOn('workflow_dispatch', { ...IMAGE_BUILD, environment: 'prod' });
    expect(result.exitCode).toBe(0);
    expect(result.outputs.environment).toBe('prod');
    expect(JSON.parse(result.outputs.values)).toEqual({ suffix: '', dockerfile: 'Dockerfile' });
  });

  it('builds -test images for a pull request', async () => {
    const result = await runOn('pull_request', IMAGE_BUILD);
    expect(result.outputs).toMatchObject({
      environment: 'dev',
      trigger: 'pull-request',
      'pr-number': '42',
      'ref-name': 'feature/qa-dashboard',
    });
    expect(JSON.parse(result.outputs.values)).toMatchObject({ suffix: '-test' });
  });

  it('fails a dispatch that names no environment when there is no default', async () => {
    const result = await runOn('workflow_dispatch', IMAGE_BUILD, { patch: { inputs: {} } });
    expect(result.exitCode).toBe(1);
    expect(result.errors).toEqual([
      "Manual run (workflow_dispatch) named no environment and 'default' is empty: set the 'environment' input to one of: dev, test, prod, or set 'default'.",
    ]);
  });

  it('takes a repository_dispatch environment from client_payload', async () => {
    const result = await runOn('repository_dispatch', REDCAP);
    expect(result.outputs).toMatchObject({ environment: 'qa', trigger: 'manual' });
  });

  it('routes a pull request comment to its command', async () => {
    const result = await runOn('issue_comment-pull_request', { commands: 'plan, apply, bootstrap', 'pull-request': 'preview' });
    expect(result.exitCode).toBe(0);
    expect(result.outputs).toMatchObject({
      trigger: 'comment',
      command: 'bootstrap',
      'command-args': 'apply',
      'should-run': 'true',
      'pr-number': '42',
      environment: 'preview',
      'actor-permission': 'write',
      sha: PR_HEAD,
      'head-sha': PR_HEAD,
      'ref-name': 'feature/qa-dashboard',
    });
    expect(result.summary).toContain('- **Trigger:** comment · command `bootstrap apply`');
  });

  it('refuses an unknown command without failing the step', async () => {
    const result = await runOn(
      'issue_comment-pull_request',
      { commands: 'plan, apply' },
      { patch: { comment: { body: '/destroy everything' } } },
    );
    expect(result.exitCode).toBe(0);
    expect(result.errors).toEqual([]);
    expect(result.outputs).toMatchObject({ 'should-run': 'false', command: '' });
    expect(result.outputs.reason).toBe(
      "Comment on pull request #42 runs no command: '/destroy' is not an allowed command (allowed: /plan [args], /apply [args]).",
    );
    expect(result.summary).toContain('should-run: false');
  });

  it('does not run commands from a comment on an issue', async () => {
    const result = await runOn('issue_comment-issue', { commands: 'apply', default: 'dev' });
    expect(result.exitCode).toBe(0);
    expect(result.outputs).toMatchObject({ 'should-run': 'false', 'pr-number': '', environment: 'dev' });
  });
});

describe('in a reusable workflow', () => {
  it("takes the caller's environment with event: workflow_call, whatever the caller's trigger", async () => {
    const result = await runOn('push-branch', { ...IMAGE_BUILD, event: 'workflow_call', environment: 'prod' });
    expect(result.exitCode).toBe(0);
    expect(result.outputs).toMatchObject({ environment: 'prod', trigger: 'manual' });
  });
});

describe('the schedule drift check', () => {
  it('passes when every cron of the workflow is mapped', async () => {
    const runnerDir = workspaceWithWorkflow('redcap.yml', REDCAP_WORKFLOW);
    const result = await runOn('schedule', REDCAP, { runnerDir, env: { GITHUB_WORKFLOW_REF: WORKFLOW_REF } });
    expect(result.exitCode).toBe(0);
    expect(result.stdout).toContain(
      '::debug::Drift check: all 2 cron(s) and the push and dispatch triggers of .github/workflows/redcap.yml are mapped.',
    );
  });

  it('fails a push run when the workflow schedules a cron the mapping lacks', async () => {
    const runnerDir = workspaceWithWorkflow('redcap.yml', REDCAP_WORKFLOW.replace("'0 */6 * * *'", "'0 */4 * * *'"));
    const result = await runOn(
      'push-branch',
      { ...REDCAP, branches: 'main => qa' },
      { runnerDir, env: { GITHUB_WORKFLOW_REF: WORKFLOW_REF } },
    );
    expect(result.exitCode).toBe(1);
    expect(result.errors).toEqual([
      "Input 'schedules': .github/workflows/redcap.yml schedules cron '0 */4 * * *', which 'schedules' does not map (mapped crons: '0 2 * * *', '0 */6 * * *'): add a line '0 */4 * * * => ENVIRONMENT'.",
    ]);
    expect(result.warnings).toEqual([
      "Input 'schedules': line 2 maps cron '0 */6 * * *', which .github/workflows/redcap.yml no longer schedules.",
    ]);
    expect(result.outputs).toEqual({});
  });

  it('is skipped with a debug line when the workflow file is not in the workspace', async () => {
    const result = await runOn('schedule', REDCAP, {
      env: { GITHUB_WORKFLOW_REF: 'octo-org/pipeline-demo/.github/workflows/absent.yml@refs/heads/main' },
    });
    expect(result.exitCode).toBe(0);
    expect(result.commands.filter((c) => c.command === 'debug').map((c) => c.message)).toContain(
      "Skipped the drift check: the workflow file named by GITHUB_WORKFLOW_REF 'octo-org/pipeline-demo/.github/workflows/absent.yml@refs/heads/main' is not in the workspace.",
    );
  });

  it('fails with drift-check: require when the workflow file is not in the workspace', async () => {
    const result = await runOn('schedule', { ...REDCAP, 'drift-check': 'require' }, { env: { GITHUB_WORKFLOW_REF: WORKFLOW_REF } });
    expect(result.exitCode).toBe(1);
    expect(result.errors).toEqual([
      `Input 'drift-check': is 'require', but the workflow file named by GITHUB_WORKFLOW_REF '${WORKFLOW_REF}' is not in the workspace: check it out first (actions/checkout with 'sparse-checkout: .github/workflows'), or set 'drift-check: auto'.`,
    ]);
    expect(result.outputs).toEqual({});
  });

  it('names a dispatch option outside allowed and an unmapped push branch', async () => {
    const workflow = REDCAP_WORKFLOW.replace(
      '  workflow_dispatch:\n',
      '  push:\n    branches: [main, develop]\n  workflow_dispatch:\n    inputs:\n      environment:\n        type: choice\n        options: [qa, production, staging]\n',
    );
    const runnerDir = workspaceWithWorkflow('redcap.yml', workflow);
    const result = await runOn(
      'schedule',
      { ...REDCAP, branches: 'main => qa' },
      { runnerDir, env: { GITHUB_WORKFLOW_REF: WORKFLOW_REF } },
    );
    expect(result.exitCode).toBe(1);
    expect(result.errors).toEqual([
      "Input 'branches': .github/workflows/redcap.yml runs on push to branch pattern 'develop', which 'branches' does not map (mapped: main) and 'default' is empty: add a line 'develop => ENVIRONMENT'.",
      "Input 'allowed': .github/workflows/redcap.yml offers workflow_dispatch option 'staging' for input 'environment', which 'allowed' does not list (qa, production): add it to 'allowed' or remove the option.",
    ]);
  });

  it('can be turned off', async () => {
    const runnerDir = workspaceWithWorkflow('redcap.yml', REDCAP_WORKFLOW.replace("'0 */6 * * *'", "'0 */4 * * *'"));
    const result = await runOn(
      'schedule',
      { ...REDCAP, 'drift-check': 'false' },
      { runnerDir, env: { GITHUB_WORKFLOW_REF: WORKFLOW_REF } },
    );
    expect(result.exitCode).toBe(0);
    expect(result.outputs.environment).toBe('production');
  });
});

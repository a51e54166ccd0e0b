import { describe, expect, it } from '@jest/globals';
import { resolveEnvironment } from '../src/resolve.js';
import { HEAD_SHA, IMAGE_BUILD, MERGE_SHA, REDCAP, RUN_SHA, inputsFrom, runEvent } from './fixtures.js';

describe('the REDCap two-cron mapping', () => {
  const inputs = inputsFrom({ ...REDCAP, environment: '' });

  it('sends the 02:00 cron to production', () => {
    const r = resolveEnvironment(runEvent('schedule'), inputs);
    expect(r).toMatchObject({
      environment: 'production',
      trigger: 'schedule',
      isScheduled: true,
      shouldRun: true,
      refName: 'main',
      sha: RUN_SHA,
      shortSha: '84fb588',
    });
    expect(r.reason).toContain("'0 2 * * * => production'");
  });

  it('sends the six-hourly cron to qa', () => {
    expect(resolveEnvironment(runEvent('schedule', { schedule: '0 */6 * * *' }), inputs).environment).toBe('qa');
  });

  it('matches a cron written with different spacing', () => {
    expect(resolveEnvironment(runEvent('schedule', { schedule: ' 0  */6 *\t* * ' }), inputs).environment).toBe('qa');
  });

  it('fails an unmapped cron and lists the mapped ones instead of falling back', () => {
    expect(() => resolveEnvironment(runEvent('schedule', { schedule: '0 3 * * *' }), inputsFrom({ ...REDCAP, default: 'qa' }))).toThrow(
      "Scheduled run with cron '0 3 * * *' has no mapping in 'schedules' (mapped crons: '0 2 * * *', '0 */6 * * *')",
    );
  });

  it('fails a schedule event that carries no cron', () => {
    expect(() => resolveEnvironment(runEvent('schedule', { schedule: undefined }), inputs)).toThrow('carries no cron');
  });

  it('lets a manual run choose qa through the environment input', () => {
    const r = resolveEnvironment(runEvent('workflow_dispatch'), inputsFrom({ ...REDCAP, environment: 'qa' }));
    expect(r).toMatchObject({ environment: 'qa', trigger: 'manual', isScheduled: false });
    expect(r.reason).toBe("Manual run (workflow_dispatch) asked for 'qa' through the 'environment' input.");
  });

  it('ignores the environment input on a scheduled run and notes it', () => {
    const r = resolveEnvironment(runEvent('schedule'), inputsFrom({ ...REDCAP, environment: 'qa' }));
    expect(r.environment).toBe('production');
    expect(r.notes).toEqual(["The 'environment' input 'qa' was ignored: it applies to manual triggers only, and this run is 'schedule'."]);
  });
});

describe('the image-build decision table', () => {
  const cases: { name: string; run: Parameters<typeof resolveEnvironment>[0]; environment: string; suffix: string; trigger: string }[] = [
    { name: 'pull request', run: runEvent('pull_request'), environment: 'dev', suffix: '-test', trigger: 'pull-request' },
    { name: 'push to main', run: runEvent('push-branch'), environment: 'dev', suffix: '-test', trigger: 'push' },
    { name: 'push to test', run: runEvent('push-branch', {}, 'refs/heads/test'), environment: 'dev', suffix: '-test', trigger: 'push' },
  ];
  for (const c of cases) {
    it(`${c.name} builds ${c.environment} images with suffix '${c.suffix}'`, () => {
      const r = resolveEnvironment(c.run, inputsFrom(IMAGE_BUILD));
      expect(r.environment).toBe(c.environment);
      expect(r.trigger).toBe(c.trigger);
      expect(r.values.suffix).toBe(c.suffix);
    });
  }

  it('dispatch test builds test images with suffix -test', () => {
    const r = resolveEnvironment(runEvent('workflow_dispatch'), inputsFrom({ ...IMAGE_BUILD, environment: 'test' }));
    expect(r).toMatchObject({ environment: 'test', trigger: 'manual', values: { suffix: '-test', dockerfile: 'Dockerfile.dev' } });
  });

  it('dispatch prod builds production images without a suffix', () => {
    const r = resolveEnvironment(runEvent('workflow_dispatch'), inputsFrom({ ...IMAGE_BUILD, environment: 'prod' }));
    expect(r).toMatchObject({ environment: 'prod', values: { suffix: '', dockerfile: 'Dockerfile' } });
  });

  it('fails a dispatch without an environment when there is no default', () => {
    expect(() => resolveEnvironment(runEvent('workflow_dispatch'), inputsFrom(IMAGE_BUILD))).toThrow(
      "Manual run (workflow_dispatch) named no environment and 'default' is empty: set the 'environment' input to one of: dev, test, prod, or set 'default'.",
    );
  });

  it('fails a push to an unmapped branch and lists the mapped globs', () => {
    expect(() => resolveEnvironment(runEvent('push-branch', {}, 'refs/heads/feature/x'), inputsFrom(IMAGE_BUILD))).toThrow(
      "Push to branch 'feature/x' matches no glob in 'branches' (mapped: main, test) and 'default' is empty",
    );
  });
});

describe('branches and tags', () => {
  const inputs = inputsFrom({ branches: 'main => dev\nrelease/** => qa\nhotfix/* => qa', tags: 'v* => production' });

  it('matches release/** across slashes', () => {
    const r = resolveEnvironment(runEvent('push-branch', {}, 'refs/heads/release/2026/11'), inputs);
    expect(r).toMatchObject({ environment: 'qa', refName: 'release/2026/11' });
    expect(r.reason).toBe("Push to branch 'release/2026/11' matches 'branches' line 2 'release/** => qa'.");
  });

  it('keeps * inside one segment', () => {
    expect(() => resolveEnvironment(runEvent('push-branch', {}, 'refs/heads/hotfix/a/b'), inputs)).toThrow("matches no glob in 'branches'");
  });

  it('anchors globs at both ends', () => {
    expect(() => resolveEnvironment(runEvent('push-branch', {}, 'refs/heads/mainline'), inputs)).toThrow("Push to branch 'mainline'");
  });

  it('maps a pushed tag through tags, not branches', () => {
    expect(resolveEnvironment(runEvent('push-tag'), inputs)).toMatchObject({
      environment: 'production',
      trigger: 'tag',
      refName: 'v1.4.0',
    });
  });

  it('uses the default for an unmatched branch and says so', () => {
    const r = resolveEnvironment(
      runEvent('push-branch', {}, 'refs/heads/feature/x'),
      inputsFrom({ branches: 'main => dev', default: 'sandbox' }),
    );
    expect(r.environment).toBe('sandbox');
    expect(r.reason).toBe("Push to branch 'feature/x' matches no glob in 'branches' (mapped: main); using the default 'sandbox'.");
  });

  it('fails an unmatched tag with no default', () => {
    expect(() => resolveEnvironment(runEvent('push-tag', {}, 'refs/tags/nightly'), inputs)).toThrow(
      "Push of tag 'nightly' matches no glob in 'tags' (mapped: v*) and 'default' is empty",
    );
  });
});

describe('pull requests', () => {
  it('describes the head commit, not the merge commit, and the base beside it', () => {
    const r = resolveEnvironment(runEvent('pull_request'), inputsFrom({ 'pull-request': 'preview' }));
    expect(r.sha).not.toBe(MERGE_SHA);
    expect(r).toMatchObject({
      environment: 'preview',
      prNumber: '42',
      refName: 'feature/qa-dashboard',
      sha: HEAD_SHA,
      shortSha: HEAD_SHA.slice(0, 7),
      headSha: HEAD_SHA,
      headRef: 'feature/qa-dashboard',
      headRepo: 'octo-org/pipeline-demo',
      isFork: 'false',
      prState: 'open',
      baseRef: 'main',
    });
    expect(r.reason).toBe("Pull request #42 uses the 'pull-request' environment 'preview'.");
  });

  it('fails closed without pull-request or default', () => {
    expect(() => resolveEnvironment(runEvent('pull_request'), inputsFrom({ branches: 'main => dev' }))).toThrow(
      "Pull request #42 has no environment: 'pull-request' and 'default' are empty",
    );
  });
});

describe('repository_dispatch', () => {
  it('takes client_payload.environment when the input is empty', () => {
    const r = resolveEnvironment(runEvent('repository_dispatch'), inputsFrom({ allowed: 'qa, production' }));
    expect(r).toMatchObject({ environment: 'qa', trigger: 'manual' });
    expect(r.reason).toContain('client_payload.environment');
  });

  it('prefers the environment input over client_payload', () => {
    expect(resolveEnvironment(runEvent('repository_dispatch'), inputsFrom({ environment: 'production' })).environment).toBe('production');
  });

  it('refuses a client_payload environment outside allowed', () => {
    expect(() =>
      resolveEnvironment(
        runEvent('repository_dispatch', { client_payload: { environment: 'staging' } }),
        inputsFrom({ allowed: 'qa, production' }),
      ),
    ).toThrow("The resolved environment 'staging' is not one of the allowed environments: qa, production");
  });

  it('refuses a client_payload environment that could inject shell', () => {
    expect(() =>
      resolveEnvironment(runEvent('repository_dispatch', { client_payload: { environment: 'qa"; rm -rf /' } }), inputsFrom({})),
    ).toThrow('client_payload.environment "qa\\"; rm -rf /" is not valid');
  });
});

describe('slash commands', () => {
  const commands = { commands: 'plan, apply, bootstrap', 'pull-request': 'preview' };

  it('parses the first line of a PR comment into command and args', () => {
    const r = resolveEnvironment(runEvent('issue_comment-pull_request'), inputsFrom(commands));
    expect(r).toMatchObject({
      trigger: 'comment',
      command: 'bootstrap',
      commandArgs: 'apply',
      shouldRun: true,
      prNumber: '42',
      environment: 'preview',
    });
    expect(r.reason).toBe("Comment on pull request #42 uses the 'pull-request' environment 'preview'; the comment runs '/bootstrap'.");
  });

  it('refuses an unknown command without failing', () => {
    const r = resolveEnvironment(runEvent('issue_comment-pull_request', { comment: { body: '/deploy now' } }), inputsFrom(commands));
    expect(r).toMatchObject({ shouldRun: false, command: '', commandArgs: '' });
    expect(r.reason).toBe(
      "Comment on pull request #42 runs no command: '/deploy' is not an allowed command (allowed: /plan [args], /apply [args], /bootstrap [args]).",
    );
  });

  it('refuses a comment on an issue', () => {
    const r = resolveEnvironment(runEvent('issue_comment-issue'), inputsFrom(commands));
    expect(r).toMatchObject({ shouldRun: false, command: '', prNumber: '' });
    expect(r.reason).toContain('commands run only from pull request comments');
  });

  it('refuses an edited comment', () => {
    const r = resolveEnvironment(runEvent('issue_comment-pull_request', { action: 'edited' }), inputsFrom(commands));
    expect(r.shouldRun).toBe(false);
    expect(r.reason).toContain('was edited');
  });

  it('refuses a comment that is not a command', () => {
    const r = resolveEnvironment(runEvent('issue_comment-pull_request', { comment: { body: 'LGTM /apply' } }), inputsFrom(commands));
    expect(r.shouldRun).toBe(false);
    expect(r.reason).toContain("does not start with '/'");
  });

  it('honours another command prefix', () => {
    const r = resolveEnvironment(
      runEvent('issue_comment-pull_request', { comment: { body: '!plan  module.db' } }),
      inputsFrom({ ...commands, 'command-prefix': '!' }),
    );
    expect(r).toMatchObject({ command: 'plan', commandArgs: 'module.db', shouldRun: true });
  });

  it('refuses an argument that is an option, even in the list form', () => {
    const r = resolveEnvironment(
      runEvent('issue_comment-pull_request', { comment: { body: '/apply -auto-approve -var=env=prod' } }),
      inputsFrom(commands),
    );
    expect(r).toMatchObject({ shouldRun: false, command: '' });
    expect(r.reason).toContain("the argument '-auto-approve' of '/apply' is not allowed");
  });

  it('refuses arguments with shell metacharacters', () => {
    const r = resolveEnvironment(runEvent('issue_comment-pull_request', { comment: { body: '/plan $(curl evil)' } }), inputsFrom(commands));
    expect(r.shouldRun).toBe(false);
    expect(r.reason).toContain("the argument '??curl' of '/plan' is not allowed: arguments are words of letters");
  });

  it('routes commands with no environment when only commands is set', () => {
    const r = resolveEnvironment(runEvent('issue_comment-pull_request', { comment: { body: '/plan' } }), inputsFrom({ commands: 'plan' }));
    expect(r).toMatchObject({ environment: '', command: 'plan', shouldRun: true });
  });

  it('fails closed for an accepted command when environment rules exist but none applies', () => {
    expect(() =>
      resolveEnvironment(
        runEvent('issue_comment-pull_request', { comment: { body: '/plan' } }),
        inputsFrom({ commands: 'plan', branches: 'main => dev' }),
      ),
    ).toThrow("Comment on pull request #42 has no environment: set 'pull-request' or 'default'.");
  });
});

describe('other events', () => {
  it('uses the default for an event without rules', () => {
    const r = resolveEnvironment(
      { eventName: 'workflow_run', ref: 'refs/heads/main', sha: RUN_SHA, payload: {} },
      inputsFrom({ default: 'dev' }),
    );
    expect(r).toMatchObject({ environment: 'dev', trigger: 'other' });
  });

  it('fails an event without rules and without a default', () => {
    expect(() =>
      resolveEnvironment({ eventName: 'workflow_run', ref: 'refs/heads/main', sha: RUN_SHA, payload: {} }, inputsFrom({})),
    ).toThrow("Event 'workflow_run' has no environment rule and 'default' is empty");
  });
});

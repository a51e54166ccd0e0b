// Harness tests of what slack-github-action users ask for: payload-file templating, Workflow Builder
// triggers, user-group and mapped mentions, uploads and reactions in token mode, any Web API method,
// the Retry-After cap and the size checks of every block type; the bundle against the capture server.
import { afterAll, beforeAll, beforeEach, describe, expect, it } from '@jest/globals';
import { mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { startSlackServer, type SlackRequest, type SlackServer } from '../../../packages/testing/src/slack-server.js';
import { notifier } from './notify-harness.js';

let slack: SlackServer;
beforeAll(async () => {
  slack = await startSlackServer({ channels: { deployments: 'C0DEPLOYS' } });
  slack.addMethod('bookmarks.add', (body) =>
    body.channel_id && body.title ? { bookmark: { id: 'Bk0001', title: body.title, link: body.link } } : { error: 'invalid_arguments' },
  );
});
afterAll(async () => {
  await slack.stop();
});
let seen = 0;
beforeEach(() => {
  seen = slack.requests.length;
});
const newRequests = (): SlackRequest[] => slack.requests.slice(seen);
const notify = notifier(() => slack);
const webhook = (extra: Record<string, string> = {}) => ({ 'webhook-url': slack.webhookUrl, ...extra });
const bot = (extra: Record<string, string> = {}) => ({ token: slack.token, channel: '#deployments', ...extra });

/** A runner directory whose workspace holds `files` (what actions/checkout would have put there). */
function runnerWith(files: Record<string, string>): string {
  const dir = mkdtempSync(join(tmpdir(), 'runner-'));
  for (const [path, content] of Object.entries(files)) {
    mkdirSync(join(dir, 'workspace', path, '..'), { recursive: true });
    writeFileSync(join(dir, 'workspace', path), content);
  }
  return dir;
}

const hostile = 'Fix "quotes" }} ${{ github.sha }} <!channel> & more\nsecond line: {a: b}';

describe('payload-file', () => {
  const json = JSON.stringify({
    text: '${{ status_emoji }} ${{ title }}: ${{ commit_title }}',
    blocks: [
      {
        type: 'section',
        text: { type: 'mrkdwn', text: '*${{ github.repository }}* <${{ run_url }}|#${{ github.run_number }}> ${{ text }}' },
      },
    ],
    attachments: [
      { color: '${{ status_color }}', blocks: [{ type: 'context', elements: [{ type: 'mrkdwn', text: 'by ${{ github.actor }}' }] }] },
    ],
  });
  const yaml = [
    'text: ${{ status_emoji }} ${{ title }}',
    'blocks:',
    '  - type: section',
    '    text:',
    '      type: mrkdwn',
    '      text: "${{ mention }} ${{ text }}"',
  ].join('\n');

  it('fills a JSON file with escaped values: quotes, newlines, <!channel> and }} cannot break out', async () => {
    const runnerDir = runnerWith({ '.github/slack/done.json': json });
    const result = await notify(webhook({ status: 'failure', 'payload-file': '.github/slack/done.json', text: hostile, title: hostile }), {
      runnerDir,
      eventName: 'push',
      event: { head_commit: { message: hostile } },
    });
    expect(result.exitCode).toBe(0);
    expect(result.outputs.ok).toBe('true');
    const [req] = newRequests();
    const body = JSON.parse(req.rawBody) as { text: string; blocks: { text: { text: string } }[]; attachments: { color: string }[] };
    const escaped = 'Fix "quotes" }} ${{ github.sha }} &lt;!channel&gt; &amp; more';
    expect(body.text).toBe(`❌ ${escaped} second line: {a: b}: ${escaped}`); // title is one line; commit title is the first line
    expect(body.blocks[0].text.text).toBe(
      `*octo-org/pipeline-demo* <https://github.com/octo-org/pipeline-demo/actions/runs/1001|#7> ${escaped}\nsecond line: {a: b}`,
    );
    expect(body.attachments[0].color).toBe('#E01E5A');
    expect(req.rawBody).not.toContain('<!channel>');
    expect(req.rawBody).not.toContain('84fb588e0c1d2b3a4f5e6d7c8b9a0f1e2d3c4b5a'); // the ${{ github.sha }} inside a value stays text
  });

  it('fills a YAML file, the mention as Slack syntax', async () => {
    const runnerDir = runnerWith({ 'slack.yml': yaml });
    const result = await notify(
      bot({ status: 'timed_out', 'payload-file': 'slack.yml', text: 'Stage "load" }} ran out', mention: '@here' }),
      {
        runnerDir,
      },
    );
    expect(result.outputs.ok).toBe('true');
    const body = newRequests()[0].body as { text: string; blocks: { text: { text: string } }[] };
    expect(body.text).toBe('⏱️ REDCap Pipeline Timed Out');
    expect(body.blocks[0].text.text).toBe('<!here> Stage "load" }} ran out');
  });

  it('sends nothing for an unknown variable or an expression, and says which', async () => {
    const runnerDir = runnerWith({ 'bad.json': '{"text": "${{ secrets.SLACK_TOKEN }} ${{ nope }}"}' });
    const result = await notify(webhook({ status: 'success', 'payload-file': 'bad.json' }), { runnerDir });
    expect(result.exitCode).toBe(0);
    expect(result.outputs.ok).toBe('false');
    expect(result.outputs.error).toContain("Input 'payload-file': uses an unknown variable 'secrets.SLACK_TOKEN'");
    expect(result.outputs.error).toContain("uses an unknown variable 'nope'");
    expect(newRequests()).toHaveLength(0);
  });

  it('warns when the file is missing (a job without checkout)', async () => {
    const result = await notify(webhook({ status: 'success', 'payload-file': 'missing.json' }));
    expect(result.exitCode).toBe(0);
    expect(result.warnings).toEqual([
      "Slack notification not sent: Input 'payload-file': missing.json is not a file in the workspace (does the job check out the repository?). The step passes because fail-on-error is false.",
    ]);
  });
});

describe('workflow-trigger webhook', () => {
  it('sends the variables as a flat object of text', async () => {
    const url = slack.addTrigger();
    const result = await notify({ 'webhook-url': url, 'webhook-type': 'workflow-trigger', status: 'failure', fields: 'Environment: qa' });
    expect(result.outputs).toMatchObject({ ok: 'true', response: '{"ok":true}' });
    const vars = slack.triggers.at(-1)!.variables;
    expect(vars).toMatchObject({
      status: 'failure',
      status_emoji: '❌',
      status_text: 'Failed',
      title: 'REDCap Pipeline Failed',
      repository: 'octo-org/pipeline-demo',
      run_url: 'https://github.com/octo-org/pipeline-demo/actions/runs/1001',
      mention: '<!channel>',
      field_environment: 'qa',
    });
    expect(Object.values(vars).every((v) => typeof v === 'string')).toBe(true);
  });

  it("flattens a nested payload with _ and stringifies values (slack-github-action's webhook-trigger spelling)", async () => {
    const url = slack.addTrigger();
    const payload = '{"env": "qa", "batch": {"id": "b1", "fragments": 42, "ok": true}}';
    const result = await notify({ 'webhook-url': url, 'webhook-type': 'webhook-trigger', payload });
    expect(result.outputs.ok).toBe('true');
    expect(slack.triggers.at(-1)!.variables).toEqual({ env: 'qa', batch_id: 'b1', batch_fragments: '42', batch_ok: 'true' });
  });
});

describe('mentions', () => {
  const map = 'oncall-data: S0DATAENG1\nOctocat: U0OCTOCAT1';

  it('renders user groups as <!subteam^S…>, maps @login, and warns for what it cannot resolve', async () => {
    const result = await notify(webhook({ status: 'failure', mention: '@oncall-data S0PLATFORM U0ALICE01 @nobody', 'user-map': map }));
    expect(result.exitCode).toBe(0);
    const text = (newRequests()[0].body as { text: string }).text;
    expect(text.startsWith('<!subteam^S0DATAENG1> <!subteam^S0PLATFORM> <@U0ALICE01> ❌')).toBe(true);
    expect(result.warnings).toEqual([
      "Mention '@nobody' not resolved: expected @here, @channel, a user ID (U…), a user-group ID (S…) or @login listed in user-map; it is left out.",
    ]);
  });

  it('mentions the actor on a failure through a JSON map file, on every status in mention-on', async () => {
    const runnerDir = runnerWith({ '.github/slack-users.json': '{"octocat": "U0OCTOCAT1"}' });
    const inputs = { mention: '', 'mention-actor': 'true', 'user-map': '.github/slack-users.json' };
    const failed = await notify(webhook({ status: 'startup_failure', ...inputs }), {
      runnerDir,
      env: { GITHUB_TRIGGERING_ACTOR: 'OctoCat' },
    });
    expect((newRequests()[0].body as { text: string }).text.startsWith('<@U0OCTOCAT1> 🚫')).toBe(true);
    expect(failed.warnings).toEqual([]);
    const passed = await notify(webhook({ status: 'success', ...inputs }), {
      runnerDir: runnerWith({ '.github/slack-users.json': '{"octocat": "U0OCTOCAT1"}' }),
    });
    expect(passed.outputs.ok).toBe('true');
    expect(newRequests()[1].rawBody).not.toContain('U0OCTOCAT1');
  });

  it('takes a list in mention-on', async () => {
    await notify(webhook({ status: 'cancelled', 'mention-on': 'cancelled, action_required', mention: '@here' }));
    await notify(webhook({ status: 'action_required', 'mention-on': 'cancelled\naction_required', mention: '@here' }));
    expect(newRequests().map((r) => (r.body as { text: string }).text.slice(0, 7))).toEqual(['<!here>', '<!here>']);
  });

  it('refuses a malformed user-map line', async () => {
    const result = await notify(webhook({ status: 'failure', 'user-map': 'octocat: alice' }));
    expect(result.exitCode).toBe(1);
    expect(result.errors[0]).toContain("Input 'user-map': line 1: 'alice' (for octocat) is not a Slack user ID");
  });
});

describe('token mode: upload, reaction, any method', () => {
  it('posts a failure and uploads the log and the job summary into its thread (multipart decoded)', async () => {
    const runnerDir = runnerWith({ 'logs/load.log': 'line 1\nERROR: table missing\n' });
    const own = join(runnerDir, '_runner_file_commands', 'step_summary_self');
    mkdirSync(join(runnerDir, '_runner_file_commands'));
    writeFileSync(join(runnerDir, '_runner_file_commands', 'step_summary_aaa'), '## Load\n| table | rows |\n');
    writeFileSync(own, '');
    const result = await notify(bot({ status: 'failure', upload: 'logs/load.log\njob-summary\nlogs/absent.log' }), {
      runnerDir,
      env: { GITHUB_STEP_SUMMARY: own },
    });
    expect(result.exitCode).toBe(0);
    expect(result.outputs).toMatchObject({ ok: 'true', channel: 'C0DEPLOYS', 'thread-ts': result.outputs.ts });
    expect(result.warnings).toEqual(['Not uploaded: logs/absent.log is not a file.']);
    expect(newRequests().map((r) => r.endpoint)).toEqual([
      'chat.postMessage',
      'files.getUploadURLExternal',
      'files.getUploadURLExternal',
      'upload',
      'upload',
      'files.completeUploadExternal',
    ]);
    const uploads = newRequests().filter((r) => r.endpoint === 'upload');
    expect(uploads.every((r) => String(r.headers['content-type']).startsWith('multipart/form-data'))).toBe(true);
    const files = slack.files.slice(-2);
    expect(files.map((f) => [f.filename, f.content.toString(), f.channel, f.thread_ts])).toEqual(
      expect.arrayContaining([
        ['load.log', 'line 1\nERROR: table missing\n', 'C0DEPLOYS', result.outputs.ts],
        ['job-summary.md', '## Load\n| table | rows |\n', 'C0DEPLOYS', result.outputs.ts],
      ]),
    );
  });

  it('adds a reaction to update-ts, and a second run of the same reaction passes', async () => {
    const started = await notify(bot({ status: 'started' }));
    const inputs = { channel: started.outputs.channel, 'update-ts': started.outputs.ts, reaction: ':white_check_mark:' };
    const done = await notify(bot({ status: 'success', ...inputs }));
    expect(done.outputs).toMatchObject({ ok: 'true', 'thread-ts': started.outputs.ts });
    const again = await notify(bot({ ...inputs, 'update-ts': '', 'thread-ts': started.outputs.ts }));
    expect(again.outputs.ok).toBe('true');
    expect(newRequests().map((r) => `${r.endpoint} ${r.result}`)).toEqual([
      'chat.postMessage ok',
      'chat.update ok',
      'reactions.add ok',
      'reactions.add already_reacted',
    ]);
    expect(slack.reactions.filter((r) => r.ts === started.outputs.ts)).toEqual([
      { channel: 'C0DEPLOYS', ts: started.outputs.ts, name: 'white_check_mark' },
    ]);
  });

  it('calls any Web API method with the payload and gives its answer in response', async () => {
    const payload = '{"channel_id": "C0DEPLOYS", "title": "Run #7", "type": "link", "link": "https://example.com/run/7"}';
    const result = await notify({ token: slack.token, channel: 'C0DEPLOYS', method: 'bookmarks.add', payload });
    expect(result.exitCode).toBe(0);
    expect(result.outputs.ok).toBe('true');
    expect(JSON.parse(result.outputs.response)).toEqual({
      ok: true,
      bookmark: { id: 'Bk0001', title: 'Run #7', link: 'https://example.com/run/7' },
    });
    expect(newRequests()[0].body).toMatchObject({ channel_id: 'C0DEPLOYS', title: 'Run #7' });
  });

  it('refuses upload, reaction and method with a webhook', async () => {
    const result = await notify(webhook({ status: 'failure', upload: 'x.log', reaction: 'x', method: 'pins.add' }));
    expect(result.exitCode).toBe(1);
    expect(result.errors.map((e) => e.split(':')[0])).toEqual(["Input 'upload'", "Input 'reaction'", "Input 'method'"]);
  });
});

describe('Retry-After cap', () => {
  it('stops at once when Slack asks for longer than max-retry-wait-seconds (token mode)', async () => {
    slack.injectFault({ endpoint: 'chat.postMessage', kind: 'rate-limit', retryAfterSeconds: 75 });
    const result = await notify(bot({ status: 'failure', 'max-retry-wait-seconds': '1' }));
    expect(result.exitCode).toBe(0);
    expect(result.outputs).toMatchObject({ ok: 'false', 'status-code': '429' });
    expect(result.outputs.error).toContain('Slack asked to wait 75.0 s (Retry-After), more than max-retry-wait-seconds (1)');
    expect(newRequests()).toHaveLength(1);
  });

  it('stops at once for a webhook too', async () => {
    slack.injectFault({ endpoint: 'webhook', kind: 'rate-limit', retryAfterSeconds: 2 });
    const result = await notify(webhook({ status: 'failure', 'max-retry-wait-seconds': '1' }));
    expect(result.outputs.ok).toBe('false');
    expect(newRequests()).toHaveLength(1);
  });
});

describe('size checks of every block type', () => {
  it('cuts markdown, rich_text, context and image blocks so Slack accepts the payload', async () => {
    const long = (n: number, c = 'x') => c.repeat(n);
    const payload = JSON.stringify({
      text: 'sizes',
      blocks: [
        { type: 'markdown', text: long(9000, 'a') },
        { type: 'markdown', text: long(9000, 'b') },
        {
          type: 'rich_text',
          elements: [
            {
              type: 'rich_text_section',
              elements: [
                { type: 'text', text: long(5000) },
                { type: 'text', text: 'tail' },
              ],
            },
          ],
        },
        { type: 'context', elements: Array.from({ length: 12 }, (_, i) => ({ type: 'mrkdwn', text: `e${i}` })) },
        { type: 'image', image_url: `https://example.com/${long(4000)}`, alt_text: 'too long url' },
        { type: 'image', image_url: 'https://example.com/chart.png', alt_text: long(2500) },
      ],
    });
    const result = await notify(bot({ payload }));
    expect(result.outputs.ok).toBe('true'); // the capture server refuses what Slack refuses (markdown over 12,000, image limits)
    const blocks = (newRequests()[0].body as { blocks: Record<string, unknown>[] }).blocks;
    const markdown = blocks.filter((b) => b.type === 'markdown').map((b) => String(b.text));
    expect(markdown[0]).toHaveLength(9000);
    expect(markdown[1].length).toBe(3000);
    expect(markdown[1].endsWith('…(truncated)')).toBe(true);
    expect(JSON.stringify(blocks[2]).length).toBeLessThan(4300);
    expect(JSON.stringify(blocks[2])).not.toContain('tail');
    expect((blocks[3].elements as unknown[]).length).toBe(10);
    expect(blocks[4]).toEqual({
      type: 'context',
      elements: [{ type: 'mrkdwn', text: '…(truncated) image not shown: its URL is too long' }],
    });
    expect(String(blocks[5].alt_text)).toHaveLength(2000);
    expect(result.stdout).toContain('Slack limit applied: markdown block cut');
  });
});

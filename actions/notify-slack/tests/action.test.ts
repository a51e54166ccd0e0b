// Harness tests: the bundled dist/ run as the runner runs it, against the Slack capture server on loopback.
import { afterAll, beforeAll, beforeEach, describe, expect, it } from '@jest/globals';
import { startSlackServer, type SlackRequest, type SlackServer } from '../../../packages/testing/src/slack-server.js';
import { notifier } from './notify-harness.js';

let slack: SlackServer;

beforeAll(async () => {
  slack = await startSlackServer({ channels: { deployments: 'C0DEPLOYS', alerts: 'C0ALERTS' } });
});
afterAll(async () => {
  await slack.stop();
});
let seen = 0;
beforeEach(() => {
  seen = slack.requests.length;
});
/** Requests made by the current test. */
const newRequests = (): SlackRequest[] => slack.requests.slice(seen);

type Body = {
  text: string;
  channel?: string;
  ts?: string;
  thread_ts?: string;
  blocks: { type: string; text?: { text: string }; fields?: { text: string }[]; elements?: { text: string }[] }[];
  attachments: { color: string; blocks: { type: string; elements: { text: string }[] }[] }[];
};

const notify = notifier(() => slack);
const webhook = (extra: Record<string, string> = {}) => ({ 'webhook-url': slack.webhookUrl, ...extra });
const bot = (extra: Record<string, string> = {}) => ({ token: slack.token, channel: '#deployments', ...extra });
const sent = (r: SlackRequest): Body => r.body as unknown as Body;
const allText = (b: Body) => JSON.stringify(b);

describe('message content by status', () => {
  const cases: [string, string, string, boolean][] = [
    ['success', '✅', 'REDCap Pipeline Completed Successfully', false],
    ['failure', '❌', 'REDCap Pipeline Failed', true],
    ['cancelled', '⚠️', 'REDCap Pipeline Cancelled', false],
    ['skipped', '⏭️', 'REDCap Pipeline Skipped', false],
    ['started', '🔄', 'REDCap Pipeline Started', false],
    ['running', '🔄', 'REDCap Pipeline Running', false],
  ];
  it.each(cases)('%s: header %s, default title, mention only on failure', async (status, emoji, title, mentioned) => {
    const result = await notify(webhook({ status, fields: 'Environment: qa\nBatch ID: batch_20240115_140000\nFragments: 42' }));
    expect(result.exitCode).toBe(0);
    expect(result.outputs).toMatchObject({ ok: 'true', 'status-code': '200', ts: '', channel: '' });
    const [req] = newRequests();
    expect(req.endpoint).toBe('webhook');
    const body = sent(req);
    expect(JSON.parse(result.outputs.payload)).toEqual(body);
    expect(body.blocks[0]).toEqual({ type: 'header', text: { type: 'plain_text', text: `${emoji} ${title}`, emoji: true } });
    expect(body.text.startsWith(mentioned ? `<!channel> ${emoji} ${title}` : `${emoji} ${title}`)).toBe(true);
    expect(allText(body).includes('<!channel>')).toBe(mentioned);
    expect(body.blocks.find((b) => b.fields)?.fields?.map((f) => f.text)).toEqual([
      '*Environment*\nqa',
      '*Batch ID*\nbatch_20240115_140000',
      '*Fragments*\n42',
    ]);
    const context = body.attachments[0].blocks[0].elements.map((e) => e.text);
    expect(context).toContain('<https://github.com/octo-org/pipeline-demo/actions/runs/1001|#7>');
    expect(context).toContain('<https://github.com/octo-org/pipeline-demo/commit/84fb588e0c1d2b3a4f5e6d7c8b9a0f1e2d3c4b5a|84fb588>');
    expect(context).toContain('by octocat');
    expect(context).toContain('`main`');
    expect(result.summary).toContain('incoming webhook');
  });

  it('accepts what needs.<id>.result and job.status produce, in any case', async () => {
    const result = await notify(webhook({ status: 'Failure', 'mention-on': 'failure, cancelled', mention: '@here' }));
    expect(result.exitCode).toBe(0);
    expect(sent(newRequests()[0]).text).toMatch(/^<!here> ❌/);
  });

  it('uses the given title and respects GITHUB_SERVER_URL in the run link', async () => {
    const result = await notify(webhook({ status: 'success', title: 'Nightly load', 'mention-on': 'always' }), {
      env: { GITHUB_SERVER_URL: 'https://ghe.example.com/' },
    });
    expect(result.exitCode).toBe(0);
    const body = sent(newRequests()[0]);
    expect(body.blocks[0].text?.text).toBe('✅ Nightly load');
    expect(body.blocks[1].text?.text).toBe('<!channel>');
    expect(allText(body)).toContain('<https://ghe.example.com/octo-org/pipeline-demo/actions/runs/1001|#7>');
  });
});

describe('hostile text', () => {
  const nasty = `Fix "quotes" & <!channel> <script> 😀 ${'x'.repeat(5000)}\nsecond "line"\t& more`;

  it('keeps a commit message with quotes, newlines, <, &, emoji and 5,000 characters valid, escaped and truncated', async () => {
    const result = await notify(webhook({ status: 'failure', text: nasty, mention: '' }), {
      eventName: 'push',
      event: { head_commit: { message: nasty } },
    });
    expect(result.exitCode).toBe(0);
    expect(result.outputs.ok).toBe('true');
    const [req] = newRequests();
    expect(() => JSON.parse(req.rawBody) as unknown).not.toThrow();
    const body = sent(req);
    const section = body.blocks[1].text!.text;
    expect(section.length).toBeLessThanOrEqual(3000);
    expect(section.startsWith('Fix "quotes" &amp; &lt;!channel&gt; &lt;script&gt; 😀 xxx')).toBe(true);
    expect(section.endsWith('…(truncated)')).toBe(true);
    const commit = body.attachments[0].blocks[0].elements.map((e) => e.text).find((t) => t.startsWith('Fix'))!;
    expect(commit).toMatch(/^Fix "quotes" &amp; &lt;!channel&gt; &lt;script&gt; 😀 x+…\(truncated\)$/);
    expect(commit.length).toBeLessThanOrEqual(300);
    expect(body.text).toContain('second "line"\t&amp; more'); // the whole text input reaches the fallback
    expect(allText(body)).not.toContain('<!channel>');
    expect(allText(body)).not.toContain('<script>');
  });

  it('takes the first line of a pull request title', async () => {
    const result = await notify(webhook({ status: 'success' }), {
      eventName: 'pull_request',
      event: { pull_request: { title: 'Add <b> & "c"', number: 4 } },
    });
    expect(result.exitCode).toBe(0);
    expect(sent(newRequests()[0]).attachments[0].blocks[0].elements.map((e) => e.text)).toContain('Add &lt;b&gt; &amp; "c"');
  });
});

describe('Block Kit limits', () => {
  it('cuts the header to 150, splits fields 10 a section, caps blocks at 50 and text at 40,000', async () => {
    const fields = Array.from({ length: 600 }, (_, i) => `Field ${i}: ${'v'.repeat(80)}`).join('\n');
    const result = await notify(webhook({ status: 'success', title: 'T'.repeat(400), fields }));
    expect(result.exitCode).toBe(0);
    expect(result.outputs.ok).toBe('true'); // the capture server refuses what Slack refuses (invalid_blocks, msg_too_long)
    const body = sent(newRequests()[0]);
    expect(body.blocks[0].text!.text).toHaveLength(150);
    expect(body.blocks[0].text!.text.endsWith('…(truncated)')).toBe(true);
    expect(body.blocks).toHaveLength(50);
    expect(body.blocks.slice(1, 49).every((b) => b.fields?.length === 10)).toBe(true);
    expect(body.blocks[49].elements?.[0].text).toMatch(/^…\(truncated\) \d+ more blocks not shown$/);
    expect(body.text.length).toBeLessThanOrEqual(40_000);
    expect(body.text.endsWith('…(truncated)')).toBe(true);
    expect(result.stdout).toContain('Slack limit applied');
  });
});

describe('retries', () => {
  it('waits Retry-After on a 429, then succeeds (webhook)', async () => {
    slack.injectFault({ endpoint: 'webhook', kind: 'rate-limit', retryAfterSeconds: 1 });
    const result = await notify(webhook({ status: 'success' }));
    expect(result.outputs).toMatchObject({ ok: 'true', 'status-code': '200' });
    const reqs = newRequests();
    expect(reqs.map((r) => r.status)).toEqual([429, 200]);
    expect(reqs[1].at - reqs[0].at).toBeGreaterThanOrEqual(950);
    expect(result.stdout).toContain('Retry-After');
  });

  it('waits Retry-After on a 429, then succeeds (token mode)', async () => {
    slack.injectFault({ endpoint: 'chat.postMessage', kind: 'rate-limit', retryAfterSeconds: 1 });
    const result = await notify(bot({ status: 'success' }));
    expect(result.outputs).toMatchObject({ ok: 'true', 'status-code': '200', channel: 'C0DEPLOYS' });
    const reqs = newRequests();
    expect(reqs.map((r) => r.status)).toEqual([429, 200]);
    expect(reqs[1].at - reqs[0].at).toBeGreaterThanOrEqual(950);
  });

  it('backs off after a 500, then succeeds (webhook and token mode)', async () => {
    slack.injectFault({ endpoint: 'webhook', kind: 'status', status: 500 });
    slack.injectFault({ endpoint: 'chat.postMessage', kind: 'status', status: 503 });
    const viaHook = await notify(webhook({ status: 'failure' }));
    const viaApi = await notify(bot({ status: 'failure' }));
    expect([viaHook.outputs.ok, viaApi.outputs.ok]).toEqual(['true', 'true']);
    expect(newRequests().map((r) => `${r.endpoint} ${r.status}`)).toEqual([
      'webhook 500',
      'webhook 200',
      'chat.postMessage 503',
      'chat.postMessage 200',
    ]);
  });

  it('gives up after the retries and warns without failing the step', async () => {
    slack.injectFault({ endpoint: 'webhook', kind: 'status', status: 500, times: 2 });
    const result = await notify(webhook({ status: 'failure', retries: '1' }));
    expect(result.exitCode).toBe(0);
    expect(result.outputs).toMatchObject({ ok: 'false', 'status-code': '500' });
    expect(newRequests()).toHaveLength(2);
    expect(result.warnings.join('\n')).toMatch(/not sent to incoming webhook: Slack answered HTTP 500 rollup_error, after 2 attempts/);
  });

  it('counts a held response as a timeout and retries it', async () => {
    slack.injectFault({ endpoint: 'webhook', kind: 'timeout' });
    const result = await notify(webhook({ status: 'success', 'timeout-seconds': '1', retries: '1' }));
    expect(result.outputs.ok).toBe('true');
    expect(newRequests().map((r) => r.result)).toEqual(['timeout', 'ok']);
  });

  it('reports a timeout when every try times out (token mode)', async () => {
    slack.injectFault({ endpoint: 'chat.postMessage', kind: 'timeout' });
    const result = await notify(bot({ status: 'success', 'timeout-seconds': '1', retries: '0' }));
    expect(result.exitCode).toBe(0);
    expect(result.outputs).toMatchObject({ ok: 'false', 'status-code': '' });
    expect(result.warnings.join('\n')).toContain('no answer within 1 s');
    expect(result.durationMs).toBeLessThan(15_000);
  });
});

describe('Web API errors and modes', () => {
  it("prints Slack's error code for ok:false and warns by default", async () => {
    const result = await notify(bot({ status: 'failure', channel: '#no-such-channel' }));
    expect(result.exitCode).toBe(0);
    expect(result.outputs).toMatchObject({ ok: 'false', 'status-code': '200' });
    expect(result.warnings.join('\n')).toContain('Slack refused chat.postMessage: channel_not_found');
    expect(newRequests()).toHaveLength(1); // ok:false is not retried
    expect(result.summary).toContain('not sent to channel #no-such-channel: Slack refused chat.postMessage: channel_not_found');
  });

  it('fails the step with fail-on-error: true', async () => {
    slack.injectFault({ endpoint: 'chat.postMessage', kind: 'error', error: 'invalid_blocks' });
    const result = await notify(bot({ status: 'failure', 'fail-on-error': 'true' }));
    expect(result.exitCode).toBe(1);
    expect(result.outputs.ok).toBe('false');
    expect(result.errors).toEqual(['Slack notification not sent to channel #deployments: Slack refused chat.postMessage: invalid_blocks.']);
  });

  it('fails the step with fail-on-error: true on a refused webhook too, and warns with false', async () => {
    slack.injectFault({ endpoint: 'webhook', kind: 'error', error: 'invalid_token', status: 403 });
    const failing = await notify(webhook({ status: 'failure', 'fail-on-error': 'true' }));
    expect(failing.exitCode).toBe(1);
    expect(failing.errors.join('\n')).toContain('HTTP 403 invalid_token');
    slack.injectFault({ endpoint: 'webhook', kind: 'error', error: 'invalid_token', status: 403 });
    const warning = await notify(webhook({ status: 'failure', 'fail-on-error': 'false' }));
    expect(warning.exitCode).toBe(0);
    expect(warning.outputs).toMatchObject({ ok: 'false', 'status-code': '403' });
    expect(warning.warnings.join('\n')).toContain('HTTP 403 invalid_token');
  });

  it('sends the bot token as a Bearer header, never in the body', async () => {
    const result = await notify(bot({ status: 'started' }));
    expect(result.outputs.ok).toBe('true');
    const [req] = newRequests();
    expect(req.headers.authorization).toBe(`Bearer ${slack.token}`);
    expect(req.rawBody).not.toContain(slack.token);
    expect(result.outputs.ts).toMatch(/^\d+\.\d+$/);
    expect(result.summary).toContain('channel C0DEPLOYS');
  });

  it('updates the started message with update-ts (chat.update): one message per run', async () => {
    const started = await notify(bot({ status: 'started' }));
    const done = await notify(bot({ status: 'success', channel: started.outputs.channel, 'update-ts': started.outputs.ts }));
    expect(done.outputs).toMatchObject({ ok: 'true', ts: started.outputs.ts, channel: 'C0DEPLOYS' });
    expect(newRequests().map((r) => r.endpoint)).toEqual(['chat.postMessage', 'chat.update']);
    const message = slack.messages.find((m) => m.ts === started.outputs.ts)!;
    expect(message.history).toHaveLength(2);
    expect(message.text).toContain('✅ REDCap Pipeline Completed Successfully');
    expect(done.summary).toContain('updated the message in');
  });

  it('replies in a thread with thread-ts', async () => {
    const parent = await notify(bot({ status: 'started' }));
    const reply = await notify(bot({ status: 'failure', 'thread-ts': parent.outputs.ts, text: 'Stage 2 failed' }));
    expect(reply.outputs.ok).toBe('true');
    const body = sent(newRequests()[1]);
    expect(body.thread_ts).toBe(parent.outputs.ts);
    expect(slack.messages.at(-1)?.thread_ts).toBe(parent.outputs.ts);
  });

  it('refuses an invalid token with invalid_auth and keeps it out of every line', async () => {
    const token = 'xoxb-invalid-000000000-secretpart';
    const result = await notify({ token, channel: '#deployments', status: 'failure' });
    expect(result.outputs.ok).toBe('false');
    expect(result.warnings.join('\n')).toContain('invalid_auth');
  });
});

describe('custom payload', () => {
  it('sends a YAML payload as is, with the channel and limits applied', async () => {
    const payload = `text: Deploy done\nblocks:\n  - type: header\n    text: {type: plain_text, text: "${'H'.repeat(200)}"}\n`;
    const result = await notify(bot({ payload, title: 'unused' }));
    expect(result.outputs.ok).toBe('true');
    expect(result.warnings).toEqual(["Input 'title' is ignored with payload: the payload is sent as given."]);
    const body = sent(newRequests()[0]);
    expect(body.channel).toBe('#deployments');
    expect(body.text).toBe('Deploy done');
    expect(body.blocks[0].text?.text).toHaveLength(150);
  });

  it('refuses a payload that is not a Slack message, sending nothing: a warning, or an error when asked', async () => {
    const warned = await notify(webhook({ payload: '{"blocks": [{"text": "no type"}]}' }));
    expect(warned.exitCode).toBe(0);
    expect(warned.outputs).toMatchObject({ ok: 'false' });
    expect(warned.outputs.error).toContain("Input 'payload': 'blocks[0]' must be a block with a 'type'");
    expect(warned.warnings).toHaveLength(1);
    const failed = await notify(webhook({ payload: '{"blocks": [{"text": "no type"}]}', 'fail-on-error': 'true' }));
    expect(failed.exitCode).toBe(1);
    expect(failed.errors).toEqual([failed.outputs.error]);
    expect(newRequests()).toHaveLength(0);
  });
});

describe('dry run and inputs', () => {
  it('dry-run sends nothing and prints the payload', async () => {
    const result = await notify(webhook({ status: 'failure', 'dry-run': 'true', text: 'would say this' }));
    expect(result.exitCode).toBe(0);
    expect(newRequests()).toHaveLength(0);
    expect(result.stdout).toContain(result.outputs.payload);
    expect(result.stdout).toContain('"type": "header"');
    expect(result.stdout).toContain('would say this');
    expect(result.outputs.ok).toBe('false');
    expect((JSON.parse(result.outputs.payload) as Body).blocks[0].type).toBe('header');
    expect(result.summary).toContain('dry run, nothing sent (would post to incoming webhook)');
  });

  it('reports every bad input at once, names the input and never echoes the webhook URL', async () => {
    const result = await notify(webhook({ status: 'done', 'update-ts': 'abc', retries: '99', 'mention-on': 'sometimes' }));
    expect(result.exitCode).toBe(1);
    expect(newRequests()).toHaveLength(0);
    const errors = result.errors.join('\n');
    expect(errors).toContain("Input 'status': 'done' is not a known status");
    expect(errors).toContain("Input 'update-ts': 'abc' is not valid");
    expect(errors).toContain("Input 'update-ts': needs token mode");
    expect(errors).toContain("Input 'retries': 99 is out of range");
    expect(errors).toContain("Input 'mention-on': 'sometimes' is not a status");
    expect(result.summary).toContain('**Slack:** not sent: 5 input problems');
  });

  it('refuses two destinations, and token without channel', async () => {
    const both = await notify({ ...webhook(), ...bot(), status: 'success' });
    expect(both.exitCode).toBe(1);
    expect(both.errors.join('\n')).toContain('give either webhook-url, or token with channel, not both');
    const noChannel = await notify({ token: slack.token, status: 'success' });
    expect(noChannel.exitCode).toBe(0); // an empty job output (the first post failed) warns like an empty secret
    expect(noChannel.warnings.join('\n')).toContain("Input 'channel': is empty; token mode needs a channel ID");
  });

  it('keeps the webhook URL out of a network error', async () => {
    const closed = new URL(slack.webhookUrl);
    closed.port = '1';
    const result = await notify({ 'webhook-url': closed.href, status: 'failure', retries: '0' });
    expect(result.exitCode).toBe(0);
    expect(result.outputs.ok).toBe('false');
    expect(result.warnings.join('\n')).toMatch(/network error/);
  });
});

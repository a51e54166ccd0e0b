// Harness tests of what a notification must never do by default: fail the pipeline. Every GitHub
// conclusion, empty secrets (forks, Dependabot), a broken payload, and the proxy path.
import { afterAll, beforeAll, beforeEach, describe, expect, it } from '@jest/globals';
import { mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { startProxy, type TestProxy } from '../../../packages/testing/src/proxy.js';
import { startSlackServer, type SlackRequest, type SlackServer } from '../../../packages/testing/src/slack-server.js';
import { notifier } from './notify-harness.js';

let slack: SlackServer;
let proxy: TestProxy;
beforeAll(async () => {
  [slack, proxy] = await Promise.all([
    startSlackServer({ channels: { deployments: 'C0DEPLOYS' } }),
    startProxy({ auth: 'ci:pr0xy-s3cret' }),
  ]);
});
afterAll(async () => {
  await Promise.all([slack.stop(), proxy.stop()]);
});
let seen = 0;
let proxied = 0;
beforeEach(() => {
  seen = slack.requests.length;
  proxied = proxy.requests.length;
});
const newRequests = (): SlackRequest[] => slack.requests.slice(seen);
const newProxied = () => proxy.requests.slice(proxied);
const notify = notifier(() => slack);
const webhook = (extra: Record<string, string> = {}) => ({ 'webhook-url': slack.webhookUrl, ...extra });
const bot = (extra: Record<string, string> = {}) => ({ token: slack.token, channel: '#deployments', ...extra });
type Body = { text: string; blocks: { type: string; text?: { text: string } }[]; attachments: { color: string }[] };
const body = (r: SlackRequest) => r.body as unknown as Body;

describe('every GitHub conclusion', () => {
  const cases: [string, string, string, string, boolean][] = [
    // value as GitHub gives it, emoji, title words, colour, mentioned with the default mention-on (failure);
    // success, failure, cancelled and skipped are in action.test.ts
    ['timed_out', '⏱️', 'Timed Out', '#E01E5A', true],
    ['startup_failure', '🚫', 'Failed to Start', '#E01E5A', true],
    ['action_required', '✋', 'Needs Action', '#ECB22E', false],
    ['neutral', '⚪', 'Finished (Neutral)', '#8D8D8D', false],
    ['stale', '💤', 'Went Stale', '#8D8D8D', false],
    ['in_progress', '🔄', 'Running', '#1D9BD1', false],
    ['queued', '⏳', 'Queued', '#1D9BD1', false],
  ];
  it.each(cases)('%s: %s "%s", exit 0', async (status, emoji, words, color, mentioned) => {
    const result = await notify(webhook({ status }));
    expect(result.exitCode).toBe(0);
    expect(result.outputs).toMatchObject({ ok: 'true', error: '' });
    const sent = body(newRequests()[0]);
    expect(sent.blocks[0].text?.text).toBe(`${emoji} REDCap Pipeline ${words}`);
    expect(sent.attachments[0].color).toBe(color);
    expect(sent.text.startsWith('<!channel>')).toBe(mentioned);
  });
});

describe('never breaks by default', () => {
  const noDestination =
    'Slack notification not sent: no Slack destination: webhook-url and token are both empty (secrets are empty in pull requests from forks and in Dependabot runs); set webhook-url, or token with channel.';

  it('warns once and passes when the secrets are empty (a fork or Dependabot run)', async () => {
    const result = await notify({ 'webhook-url': '', token: '', status: 'failure' });
    expect(result.exitCode).toBe(0);
    expect(result.warnings).toEqual([`${noDestination} The step passes because fail-on-error is false.`]);
    expect(result.errors).toEqual([]);
    expect(result.outputs).toMatchObject({ ok: 'false', error: noDestination, ts: '', 'thread-ts': '' });
    expect(result.summary).toContain('not sent: no Slack destination');
  });

  it('fails with the same sentence when fail-on-error is true', async () => {
    const result = await notify({ status: 'failure', 'fail-on-error': 'true' });
    expect(result.exitCode).toBe(1);
    expect(result.errors).toEqual([noDestination]);
    expect(result.outputs).toMatchObject({ ok: 'false', error: noDestination });
  });

  it('warns on a YAML payload broken by an interpolated commit message, and fails when asked', async () => {
    const payload = 'text: "Deploy of "fix: quote" done"\nblocks: [';
    const warned = await notify(webhook({ payload }));
    expect(warned.exitCode).toBe(0);
    expect(warned.warnings).toHaveLength(1);
    expect(warned.warnings[0]).toMatch(/^Slack notification not sent: Input 'payload': is not valid YAML/);
    expect(warned.outputs.ok).toBe('false');
    const failed = await notify(webhook({ payload, 'fail-on-error': 'true' }));
    expect(failed.exitCode).toBe(1);
    expect(failed.errors).toEqual([warned.outputs.error]);
    expect(newRequests()).toHaveLength(0);
  });

  it("gives the refusal and Slack's answer in error and response", async () => {
    const result = await notify(bot({ status: 'failure', channel: '#nowhere' }));
    expect(result.exitCode).toBe(0);
    expect(result.outputs.error).toBe(
      'Slack notification not sent to channel #nowhere: Slack refused chat.postMessage: channel_not_found.',
    );
    expect(JSON.parse(result.outputs.response)).toEqual({ ok: false, error: 'channel_not_found' });
    expect(result.warnings).toHaveLength(1);
  });
});

describe('proxy', () => {
  it('sends a webhook through HTTP_PROXY with a CONNECT tunnel, credentials masked', async () => {
    const result = await notify(webhook({ status: 'success' }), { env: { HTTP_PROXY: proxy.url } });
    expect(result.outputs.ok).toBe('true');
    const port = new URL(slack.url).port;
    expect(newProxied()).toEqual([
      expect.objectContaining({
        method: 'CONNECT',
        target: `127.0.0.1:${port}`,
        authorization: `Basic ${Buffer.from('ci:pr0xy-s3cret').toString('base64')}`,
      }),
    ]);
    expect(newRequests()).toHaveLength(1);
    expect(result.stdout).toContain('go through the proxy http://127.0.0.1:');
    expect(
      result.stdout
        .split('\n')
        .filter((l) => !l.startsWith('::add-mask::'))
        .join('\n'),
    ).not.toContain('pr0xy-s3cret');
  });

  it('sends token-mode calls through the proxy input', async () => {
    const result = await notify(bot({ status: 'started', proxy: proxy.url }));
    expect(result.outputs).toMatchObject({ ok: 'true', channel: 'C0DEPLOYS' });
    expect(newProxied().map((r) => r.method)).toEqual(['CONNECT']);
    expect(newRequests().map((r) => r.endpoint)).toEqual(['chat.postMessage']);
  });

  it("uploads a file through the proxy (the SDK's multipart body re-encoded for undici)", async () => {
    const runnerDir = mkdtempSync(join(tmpdir(), 'runner-'));
    mkdirSync(join(runnerDir, 'workspace'));
    writeFileSync(join(runnerDir, 'workspace', 'load.log'), 'ERROR: ünïcode line\n');
    const result = await notify(bot({ status: 'failure', upload: 'load.log', proxy: proxy.url }), { runnerDir });
    expect(result.outputs.ok).toBe('true');
    expect(newProxied().length).toBeGreaterThan(0);
    expect(newRequests().map((r) => r.endpoint)).toEqual([
      'chat.postMessage',
      'files.getUploadURLExternal',
      'upload',
      'files.completeUploadExternal',
    ]);
    expect(slack.files.at(-1)).toMatchObject({ filename: 'load.log', thread_ts: result.outputs.ts });
    expect(slack.files.at(-1)!.content.toString()).toBe('ERROR: ünïcode line\n');
  });

  it('goes direct for a host in NO_PROXY', async () => {
    const result = await notify(bot({ status: 'success' }), {
      env: { HTTPS_PROXY: proxy.url, HTTP_PROXY: proxy.url, NO_PROXY: 'localhost,127.0.0.1' },
    });
    expect(result.outputs.ok).toBe('true');
    expect(newProxied()).toEqual([]);
    expect(newRequests()).toHaveLength(1);
  });

  it('warns (not fails) when the proxy refuses', async () => {
    const wrong = proxy.url.replace('pr0xy-s3cret', 'wrong-password');
    const result = await notify(webhook({ status: 'success', retries: '0', proxy: wrong }));
    expect(result.exitCode).toBe(0);
    expect(result.outputs.ok).toBe('false');
    expect(result.warnings.join('\n')).toMatch(/network error/);
    expect(newRequests()).toHaveLength(0);
    expect(
      result.stdout
        .split('\n')
        .filter((l) => !l.startsWith('::add-mask::'))
        .join('\n'),
    ).not.toContain('wrong-password');
  });
});

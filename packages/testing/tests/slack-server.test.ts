import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { checkMessage, startSlackServer, type SlackServer } from '../src/slack-server.js';

let slack: SlackServer;
beforeAll(async () => {
  slack = await startSlackServer({ channels: { deployments: 'C0DEPLOYS' } });
});
afterAll(async () => {
  await slack.stop();
});

const api = (method: string, body: unknown, token = slack.token) =>
  fetch(`${slack.apiUrl}${method}`, {
    method: 'POST',
    headers: { 'content-type': 'application/json; charset=utf-8', authorization: `Bearer ${token}` },
    body: JSON.stringify(body),
  });
const hook = (body: string, url = slack.webhookUrl) =>
  fetch(url, { method: 'POST', headers: { 'content-type': 'application/json' }, body });

describe('incoming webhook', () => {
  it('answers ok as text and records the parsed body', async () => {
    const res = await hook(JSON.stringify({ text: 'hello' }));
    expect(res.status).toBe(200);
    expect(await res.text()).toBe('ok');
    const last = slack.requests.at(-1)!;
    expect(last.endpoint).toBe('webhook');
    expect(last.body).toEqual({ text: 'hello' });
    expect(slack.messages.at(-1)?.text).toBe('hello');
  });

  it('answers invalid_payload, no_text, invalid_blocks and no_service like Slack', async () => {
    const bad = await hook('{"text": "unterminated');
    expect([bad.status, await bad.text()]).toEqual([400, 'invalid_payload']);
    const empty = await hook('{}');
    expect([empty.status, await empty.text()]).toEqual([400, 'no_text']);
    const longHeader = await hook(
      JSON.stringify({ text: 'x', blocks: [{ type: 'header', text: { type: 'plain_text', text: 'h'.repeat(151) } }] }),
    );
    expect([longHeader.status, await longHeader.text()]).toEqual([400, 'invalid_blocks']);
    const unknown = await hook('{"text":"x"}', `${slack.url}/services/T0/B0/nope`);
    expect([unknown.status, await unknown.text()]).toEqual([404, 'no_service']);
  });
});

describe('Web API', () => {
  it('posts with a Bearer token and answers channel, ts and message', async () => {
    const res = await api('chat.postMessage', { channel: '#deployments', text: 'hi' });
    const body = (await res.json()) as Record<string, unknown>;
    expect(body).toMatchObject({ ok: true, channel: 'C0DEPLOYS', message: { text: 'hi' } });
    expect(body.ts).toMatch(/^\d+\.\d{6}$/);
    expect(slack.requests.at(-1)?.headers.authorization).toBe(`Bearer ${slack.token}`);
  });

  it('accepts form bodies and decodes JSON-valued fields', async () => {
    const form = new URLSearchParams({ channel: 'C0DEPLOYS', text: 'form', blocks: JSON.stringify([{ type: 'divider' }]) });
    const res = await fetch(`${slack.apiUrl}chat.postMessage`, {
      method: 'POST',
      headers: { authorization: `Bearer ${slack.token}`, 'content-type': 'application/x-www-form-urlencoded' },
      body: form,
    });
    expect(await res.json()).toMatchObject({ ok: true });
    expect(slack.requests.at(-1)?.body?.blocks).toEqual([{ type: 'divider' }]);
  });

  it('refuses bad auth, unknown channels and invalid blocks with ok:false', async () => {
    expect(await (await api('chat.postMessage', { channel: 'C0DEPLOYS', text: 'x' }, 'xoxb-invalid')).json()).toEqual({
      ok: false,
      error: 'invalid_auth',
    });
    expect(await (await api('chat.postMessage', { channel: '#nowhere', text: 'x' })).json()).toEqual({
      ok: false,
      error: 'channel_not_found',
    });
    const tooMany = Array.from({ length: 51 }, () => ({ type: 'divider' }));
    expect(await (await api('chat.postMessage', { channel: 'C0DEPLOYS', text: 'x', blocks: tooMany })).json()).toEqual({
      ok: false,
      error: 'invalid_blocks',
    });
    expect(await (await api('chat.postMessage', { channel: 'C0DEPLOYS', text: 'x'.repeat(40_001) })).json()).toEqual({
      ok: false,
      error: 'msg_too_long',
    });
  });

  it('updates a posted message and refuses an unknown ts', async () => {
    const posted = (await (await api('chat.postMessage', { channel: 'C0DEPLOYS', text: 'started' })).json()) as { ts: string };
    const updated = await (await api('chat.update', { channel: 'C0DEPLOYS', ts: posted.ts, text: 'done' })).json();
    expect(updated).toMatchObject({ ok: true, ts: posted.ts, text: 'done' });
    expect(slack.messages.find((m) => m.ts === posted.ts)?.history).toHaveLength(2);
    expect(await (await api('chat.update', { channel: 'C0DEPLOYS', ts: '1.000001', text: 'x' })).json()).toEqual({
      ok: false,
      error: 'message_not_found',
    });
  });
});

describe('faults', () => {
  it('answers 429 with Retry-After, then serves normally', async () => {
    slack.injectFault({ endpoint: 'chat.postMessage', kind: 'rate-limit', retryAfterSeconds: 7 });
    const limited = await api('chat.postMessage', { channel: 'C0DEPLOYS', text: 'x' });
    expect(limited.status).toBe(429);
    expect(limited.headers.get('retry-after')).toBe('7');
    expect((await api('chat.postMessage', { channel: 'C0DEPLOYS', text: 'x' })).status).toBe(200);
  });

  it('answers an injected 500 and an injected ok:false error', async () => {
    slack.injectFault({ endpoint: 'webhook', kind: 'status', status: 500 });
    expect((await hook('{"text":"x"}')).status).toBe(500);
    slack.injectFault({ endpoint: 'chat.postMessage', kind: 'error', error: 'channel_not_found' });
    expect(await (await api('chat.postMessage', { channel: 'C0DEPLOYS', text: 'x' })).json()).toEqual({
      ok: false,
      error: 'channel_not_found',
    });
  });

  it('holds the response for a timeout fault', async () => {
    slack.injectFault({ endpoint: 'webhook', kind: 'timeout' });
    await expect(fetch(slack.webhookUrl, { method: 'POST', body: '{"text":"x"}', signal: AbortSignal.timeout(300) })).rejects.toThrow();
    expect(slack.requests.at(-1)?.result).toBe('timeout');
  });
});

describe('checkMessage', () => {
  it('accepts a split fields section and refuses 11 fields', () => {
    const field = { type: 'mrkdwn', text: 'a' };
    expect(checkMessage({ text: 'x', blocks: [{ type: 'section', fields: Array(10).fill(field) }] })).toBeUndefined();
    expect(checkMessage({ text: 'x', blocks: [{ type: 'section', fields: Array(11).fill(field) }] })).toBe('invalid_blocks');
  });
});

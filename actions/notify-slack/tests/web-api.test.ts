// The Slack API wrapper runs the real @slack/web-api client in-process; only its `fetch` is a scripted
// fake (the SDK's documented `fetch` option), so no module is mocked.
import { describe, expect, it } from '@jest/globals';
import { createSlackApi } from '../src/web-api.js';

const TOKEN = 'xoxb-unit-test-token';
const API = 'http://slack.test/api/';

function scripted(answers: (() => Response | Promise<Response>)[]) {
  const requests: { url: string; headers: Headers; body: string }[] = [];
  const fake: typeof fetch = async (input, init) => {
    requests.push({ url: String(input), headers: new Headers(init?.headers), body: String(init?.body ?? '') });
    const next = answers.shift();
    if (!next) throw new Error('no more answers');
    return next();
  };
  return { fake, requests };
}
const json =
  (body: unknown, status = 200, headers: Record<string, string> = {}) =>
  () =>
    new Response(JSON.stringify(body), { status, headers: { 'content-type': 'application/json', ...headers } });
const waits: number[] = [];
const options = (fake: typeof fetch, logs: string[] = [], retries = 2, maxRetryWaitMs = 30_000) => ({
  retries,
  timeoutMs: 2000,
  maxRetryWaitMs,
  log: (l: string) => void logs.push(l),
  fetch: fake,
  sleep: async (ms: number) => void waits.push(ms),
  random: () => 0.5,
});

describe('createSlackApi', () => {
  it('posts to slack-api-url with a Bearer token and returns ts, channel and the answer', async () => {
    const { fake, requests } = scripted([json({ ok: true, channel: 'C1', ts: '1.000001' })]);
    const api = await createSlackApi(TOKEN, API, options(fake));
    const result = await api.call('chat.postMessage', { channel: '#x', text: 'hi', blocks: [{ type: 'divider' }] });
    expect(result).toEqual({
      ok: true,
      statusCode: 200,
      ts: '1.000001',
      channel: 'C1',
      attempts: 1,
      response: { ok: true, channel: 'C1', ts: '1.000001' },
    });
    expect(requests[0].url).toBe('http://slack.test/api/chat.postMessage');
    expect(requests[0].headers.get('authorization')).toBe(`Bearer ${TOKEN}`);
    expect(requests[0].body).not.toContain(TOKEN);
  });

  it("returns Slack's error code for ok:false without retrying", async () => {
    const { fake, requests } = scripted([json({ ok: false, error: 'not_in_channel' })]);
    const result = await (await createSlackApi(TOKEN, API, options(fake))).call('chat.postMessage', { channel: 'C1', text: 'x' });
    expect(result).toMatchObject({ ok: false, statusCode: 200, error: 'Slack refused chat.postMessage: not_in_channel', attempts: 1 });
    expect(result.response).toEqual({ ok: false, error: 'not_in_channel' });
    expect(requests).toHaveLength(1);
  });

  it('retries a 503 and succeeds, saying so in the log', async () => {
    const logs: string[] = [];
    const { fake } = scripted([() => new Response('busy', { status: 503 }), json({ ok: true, channel: 'C1', ts: '2.000001' })]);
    const api = await createSlackApi(TOKEN, API, options(fake, logs));
    expect(await api.call('chat.update', { channel: 'C1', ts: '2.000001', text: 'x' })).toMatchObject({ ok: true, attempts: 2 });
    expect(logs.join('\n')).toContain('Slack answered HTTP 503 to chat.update; retrying in 0.4 s (2 left)');
  });

  it('waits a short Retry-After and gives up at once on a long one', async () => {
    waits.length = 0;
    const { fake, requests } = scripted([
      json({ ok: false, error: 'ratelimited' }, 429, { 'retry-after': '2' }),
      json({ ok: false, error: 'ratelimited' }, 429, { 'retry-after': '75' }),
      json({ ok: true }),
    ]);
    const result = await (
      await createSlackApi(TOKEN, API, options(fake))
    ).call('reactions.add', { channel: 'C1', name: 'x', timestamp: '1.1' });
    expect(waits).toEqual([2000]);
    expect(requests).toHaveLength(2);
    expect(result).toMatchObject({ ok: false, statusCode: 429, attempts: 2 });
    expect(result.error).toContain('Slack asked to wait 75.0 s (Retry-After), more than max-retry-wait-seconds (30)');
  });

  it('does not retry a 404 (a wrong slack-api-url)', async () => {
    const { fake, requests } = scripted([() => new Response('not found', { status: 404 }), json({ ok: true })]);
    const api = await createSlackApi(TOKEN, 'http://slack.test/wrong/', options(fake));
    expect(await api.call('chat.postMessage', { channel: 'C1', text: 'x' })).toEqual({
      ok: false,
      statusCode: 404,
      error: 'Slack answered HTTP 404',
      attempts: 1,
    });
    expect(requests).toHaveLength(1);
  });
});

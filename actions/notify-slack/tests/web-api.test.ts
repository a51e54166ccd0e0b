// callWebApi runs the real @slack/web-api client in-process; only its `fetch` is a scripted fake
// (the SDK's documented `fetch` option), so no module is mocked.
import { describe, expect, it } from '@jest/globals';
import { callWebApi } from '../src/web-api.js';

const TOKEN = 'xoxb-unit-test-token';

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
const options = (fake: typeof fetch, logs: string[] = [], retries = 2) => ({
  retries,
  timeoutMs: 2000,
  log: (l: string) => void logs.push(l),
  fetch: fake,
});

describe('callWebApi', () => {
  it('posts to slack-api-url with a Bearer token and returns ts and channel', async () => {
    const { fake, requests } = scripted([json({ ok: true, channel: 'C1', ts: '1.000001' })]);
    const result = await callWebApi(
      TOKEN,
      'http://slack.test/api/',
      'chat.postMessage',
      { channel: '#x', text: 'hi', blocks: [{ type: 'divider' }] },
      options(fake),
    );
    expect(result).toEqual({ ok: true, statusCode: 200, ts: '1.000001', channel: 'C1', attempts: 1 });
    expect(requests[0].url).toBe('http://slack.test/api/chat.postMessage');
    expect(requests[0].headers.get('authorization')).toBe(`Bearer ${TOKEN}`);
    expect(requests[0].body).not.toContain(TOKEN);
  });

  it("returns Slack's error code for ok:false without retrying", async () => {
    const { fake, requests } = scripted([json({ ok: false, error: 'not_in_channel' })]);
    const result = await callWebApi(TOKEN, 'http://slack.test/api/', 'chat.postMessage', { channel: 'C1', text: 'x' }, options(fake));
    expect(result).toEqual({ ok: false, statusCode: 200, error: 'Slack refused chat.postMessage: not_in_channel', attempts: 1 });
    expect(requests).toHaveLength(1);
  });

  it('retries a 503 and succeeds, saying so in the log', async () => {
    const logs: string[] = [];
    const { fake } = scripted([() => new Response('busy', { status: 503 }), json({ ok: true, channel: 'C1', ts: '2.000001' })]);
    const result = await callWebApi(
      TOKEN,
      'http://slack.test/api/',
      'chat.update',
      { channel: 'C1', ts: '2.000001', text: 'x' },
      options(fake, logs),
    );
    expect(result).toMatchObject({ ok: true, attempts: 2 });
    expect(logs.join('\n')).toContain('retrying (2 left)');
  });

  it('does not retry a 404 (a wrong slack-api-url)', async () => {
    const { fake, requests } = scripted([() => new Response('not found', { status: 404 }), json({ ok: true })]);
    const result = await callWebApi(TOKEN, 'http://slack.test/wrong/', 'chat.postMessage', { channel: 'C1', text: 'x' }, options(fake));
    expect(result).toEqual({ ok: false, statusCode: 404, error: 'Slack answered HTTP 404', attempts: 1 });
    expect(requests).toHaveLength(1);
  });
});

import { describe, expect, it } from '@jest/globals';
import { backoffMs, retryAfterMs, scrub } from '../src/retry.js';
import { postWebhook } from '../src/send.js';

/** A scripted fetch (a plain fake: the logic takes `fetch` as a parameter). */
function scripted(answers: (Response | Error)[]) {
  const calls: string[] = [];
  const fake: typeof fetch = async (input) => {
    calls.push(String(input));
    const next = answers.shift();
    if (!next) throw new Error('no more answers');
    if (next instanceof Error) throw next;
    return next;
  };
  return { fake, calls };
}
const waits: number[] = [];
const options = (fake: typeof fetch, retries = 3, maxRetryWaitMs = 30_000) => ({
  retries,
  timeoutMs: 1000,
  maxRetryWaitMs,
  log: () => undefined,
  fetch: fake,
  sleep: async (ms: number) => void waits.push(ms),
  random: () => 0.5,
});

describe('postWebhook', () => {
  it('waits what Retry-After asks, then succeeds', async () => {
    waits.length = 0;
    const { fake } = scripted([new Response('rate_limited', { status: 429, headers: { 'retry-after': '3' } }), new Response('ok')]);
    expect(await postWebhook('https://hooks.example/services/T/B/k', { text: 'x' }, options(fake))).toEqual({
      ok: true,
      statusCode: 200,
      attempts: 2,
      response: { ok: true },
    });
    expect(waits).toEqual([3000]);
  });

  it('stops at once when Retry-After asks for more than max-retry-wait-seconds', async () => {
    waits.length = 0;
    const { fake, calls } = scripted([new Response('rate_limited', { status: 429, headers: { 'retry-after': '75' } }), new Response('ok')]);
    const result = await postWebhook('https://hooks.example/x', { text: 'x' }, options(fake, 3, 30_000));
    expect(result).toMatchObject({ ok: false, statusCode: 429, attempts: 1 });
    expect(result.error).toBe(
      'rate limited by Slack (HTTP 429): Slack asked to wait 75.0 s (Retry-After), more than max-retry-wait-seconds (30), so it was not retried',
    );
    expect(calls).toHaveLength(1);
    expect(waits).toEqual([]);
  });

  it('reads a Workflow Builder JSON refusal as a refusal', async () => {
    const { fake } = scripted([new Response('{"ok":false,"error":"invalid_workflow_input"}', { status: 400 })]);
    expect(await postWebhook('https://hooks.example/triggers/x', { a: 'b' }, options(fake))).toMatchObject({
      ok: false,
      statusCode: 400,
      error: 'Slack answered HTTP 400 invalid_workflow_input',
      response: { ok: false, error: 'invalid_workflow_input' },
    });
  });

  it('backs off with jitter after 5xx and network errors, within the retries', async () => {
    waits.length = 0;
    const network = Object.assign(new TypeError('fetch failed'), { cause: { code: 'ECONNRESET' } });
    const { fake, calls } = scripted([
      new Response('rollup_error', { status: 500 }),
      network,
      new Response('rollup_error', { status: 502 }),
    ]);
    const result = await postWebhook('https://hooks.example/x', { text: 'x' }, options(fake, 2));
    expect(result).toEqual({
      ok: false,
      statusCode: 502,
      attempts: 3,
      error: 'Slack answered HTTP 502 rollup_error, after 3 attempts',
      response: { ok: false, error: 'rollup_error' },
    });
    expect(calls).toHaveLength(3);
    expect(waits).toEqual([375, 750]);
  });

  it('does not retry a 4xx refusal', async () => {
    const { fake, calls } = scripted([new Response('invalid_blocks', { status: 400 })]);
    expect(await postWebhook('https://hooks.example/x', { text: 'x' }, options(fake))).toMatchObject({
      ok: false,
      statusCode: 400,
      error: 'Slack answered HTTP 400 invalid_blocks',
    });
    expect(calls).toHaveLength(1);
  });

  it('reports a timeout in words', async () => {
    const timeout = Object.assign(new Error('The operation was aborted due to timeout'), { name: 'TimeoutError' });
    const { fake } = scripted([timeout]);
    expect((await postWebhook('https://hooks.example/x', { text: 'x' }, options(fake, 0))).error).toBe('no answer within 1 s');
  });
});

describe('helpers', () => {
  it('reads Retry-After as seconds or a date', () => {
    expect(retryAfterMs('2')).toBe(2000);
    expect(retryAfterMs(new Date(10_000).toUTCString(), 4_000)).toBe(6000);
    expect(retryAfterMs(null)).toBeUndefined();
    expect(retryAfterMs('soon')).toBeUndefined();
  });

  it('keeps backoff between half and all of the capped ceiling', () => {
    expect(backoffMs(0, () => 0)).toBe(250);
    expect(backoffMs(0, () => 1)).toBe(500);
    expect(backoffMs(10, () => 1)).toBe(10_000);
  });

  it('scrubs every secret, longest first', () => {
    expect(
      scrub('url https://h/services/T/B/key and /services/T/B/key and key', ['https://h/services/T/B/key', '/services/T/B/key', 'key']),
    ).toBe('url *** and *** and ***');
  });
});

import type { Payload } from './limits.js';
import { describeNetworkError, retryAfterMs, withRetries, type Attempt, type SendOptions, type SendResult } from './retry.js';

/**
 * POSTs the payload to an incoming webhook or a Workflow Builder trigger. Slack answers `ok` (200)
 * or an error word such as `invalid_payload` (4xx, not retried); triggers answer JSON. 429 waits
 * Retry-After (up to max-retry-wait-seconds); 5xx, network errors and timeouts back off with jitter.
 * Our own code: @slack/webhook does not retry 429.
 */
export async function postWebhook(url: string, payload: Payload, options: SendOptions): Promise<SendResult> {
  const doFetch = options.fetch ?? fetch;
  const body = JSON.stringify(payload);
  return withRetries(async (): Promise<Attempt> => {
    let res: Response;
    let answer: string;
    try {
      res = await doFetch(url, {
        method: 'POST',
        headers: { 'content-type': 'application/json; charset=utf-8' },
        body,
        redirect: 'error',
        signal: AbortSignal.timeout(options.timeoutMs),
      });
      answer = (await res.text()).trim();
    } catch (error) {
      const reason = describeNetworkError(error, options.timeoutMs);
      return { result: { ok: false, error: reason }, retry: { reason: `Slack request failed (${reason})` } };
    }
    const json = parseJson(answer);
    const refused = json?.ok === false;
    const short = answer.slice(0, 200);
    if (res.ok && !refused) return { result: { ok: true, statusCode: res.status, response: json ?? { ok: true } } };
    const response = json ?? { ok: false, error: short };
    const error = `Slack answered HTTP ${res.status}${short ? ` ${json && typeof json.error === 'string' ? json.error : short}` : ''}`;
    const result = { ok: false, statusCode: res.status, response, error };
    if (res.status === 429)
      return {
        result: { ...result, error: 'rate limited by Slack (HTTP 429)' },
        retry: { reason: 'Slack rate limit (429)', retryAfterMs: retryAfterMs(res.headers.get('retry-after')) },
      };
    if (res.status >= 500) return { result, retry: { reason: `Slack answered HTTP ${res.status}` } };
    return { result };
  }, options);
}

function parseJson(text: string): Record<string, unknown> | undefined {
  if (!text.startsWith('{')) return undefined;
  try {
    const value: unknown = JSON.parse(text);
    return typeof value === 'object' && value !== null && !Array.isArray(value) ? (value as Record<string, unknown>) : undefined;
  } catch {
    return undefined;
  }
}

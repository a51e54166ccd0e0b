import type { Payload } from './limits.js';

/** What came back from Slack. */
export interface SendResult {
  ok: boolean;
  /** HTTP status of the last answer; undefined when none came (network error, timeout). */
  statusCode?: number;
  ts?: string;
  channel?: string;
  /** Why it failed, already free of secrets. */
  error?: string;
  attempts: number;
}

export interface SendOptions {
  retries: number;
  timeoutMs: number;
  /** Progress lines (retries, waits); never given a secret. */
  log: (message: string) => void;
  sleep?: (ms: number) => Promise<void>;
  random?: () => number;
  fetch?: typeof fetch;
}

/** The longest Retry-After the action honours; Slack asks for seconds, not minutes. */
export const MAX_RETRY_AFTER_MS = 60_000;
const BACKOFF_BASE_MS = 500;
const BACKOFF_MAX_MS = 10_000;

export const defaultSleep = (ms: number): Promise<void> => new Promise((r) => setTimeout(r, ms));

/** Exponential backoff with jitter: attempt n waits between half and all of base·2ⁿ (capped). */
export function backoffMs(attempt: number, random: () => number = Math.random): number {
  const ceiling = Math.min(BACKOFF_MAX_MS, BACKOFF_BASE_MS * 2 ** attempt);
  return Math.round(ceiling / 2 + (random() * ceiling) / 2);
}

/** Retry-After in ms (seconds or an HTTP date), or undefined when absent or unreadable. */
export function retryAfterMs(header: string | null, now = Date.now()): number | undefined {
  if (!header) return undefined;
  if (/^\d+(\.\d+)?$/.test(header.trim())) return Math.round(Number(header) * 1000);
  const at = Date.parse(header);
  return Number.isNaN(at) ? undefined : Math.max(0, at - now);
}

/** Replaces every secret in `text` with ***. */
export function scrub(text: string, secrets: string[]): string {
  let out = text;
  for (const s of [...secrets].sort((a, b) => b.length - a.length)) if (s) out = out.split(s).join('***');
  return out;
}

function describeNetworkError(error: unknown, timeoutMs: number): string {
  const e = error as { name?: string; message?: string; cause?: { code?: string; message?: string } };
  if (e?.name === 'TimeoutError' || e?.name === 'AbortError') return `no answer within ${timeoutMs / 1000} s`;
  const cause = e?.cause?.code ?? e?.cause?.message;
  return `network error: ${e?.message ?? String(error)}${cause ? ` (${cause})` : ''}`;
}

/**
 * POSTs the payload to an incoming webhook. Slack answers `ok` (200) or an error word such as
 * `invalid_payload` (4xx, not retried). 429 waits Retry-After, 5xx / network errors / timeouts back off
 * with jitter; at most `retries` retries. Our own code: @slack/webhook does not retry 429.
 */
export async function postWebhook(url: string, payload: Payload, options: SendOptions): Promise<SendResult> {
  const doFetch = options.fetch ?? fetch;
  const sleep = options.sleep ?? defaultSleep;
  const body = JSON.stringify(payload);
  let last: SendResult = { ok: false, attempts: 0, error: 'not sent' };
  for (let attempt = 0; attempt <= options.retries; attempt++) {
    const attempts = attempt + 1;
    const left = options.retries - attempt;
    let wait: number;
    try {
      const res = await doFetch(url, {
        method: 'POST',
        headers: { 'content-type': 'application/json; charset=utf-8' },
        body,
        redirect: 'error',
        signal: AbortSignal.timeout(options.timeoutMs),
      });
      const answer = (await res.text()).trim().slice(0, 200);
      if (res.ok) return { ok: true, statusCode: res.status, attempts };
      last = { ok: false, statusCode: res.status, attempts, error: `Slack answered HTTP ${res.status}${answer ? ` ${answer}` : ''}` };
      if (res.status === 429) {
        const asked = retryAfterMs(res.headers.get('retry-after'));
        wait = Math.min(asked ?? backoffMs(attempt, options.random), MAX_RETRY_AFTER_MS);
        last.error = `rate limited by Slack (HTTP 429)`;
        if (left > 0)
          options.log(
            `Slack rate limit (429); waiting ${(wait / 1000).toFixed(1)} s${asked !== undefined ? ' as Retry-After asks' : ''}, then retrying (${left} ${left === 1 ? 'retry' : 'retries'} left).`,
          );
      } else if (res.status >= 500) {
        wait = backoffMs(attempt, options.random);
        if (left > 0) options.log(`Slack answered HTTP ${res.status}; retrying in ${(wait / 1000).toFixed(1)} s (${left} left).`);
      } else {
        return last;
      }
    } catch (error) {
      last = { ok: false, attempts, error: describeNetworkError(error, options.timeoutMs) };
      wait = backoffMs(attempt, options.random);
      if (left > 0) options.log(`Slack request failed (${last.error}); retrying in ${(wait / 1000).toFixed(1)} s (${left} left).`);
    }
    if (left > 0) await sleep(wait);
  }
  if (options.retries > 0) last.error = `${last.error}, after ${last.attempts} attempts`;
  return last;
}

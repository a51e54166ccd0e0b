/** What came back from Slack. */
export interface SendResult {
  ok: boolean;
  /** HTTP status of the last answer; undefined when none came (network error, timeout). */
  statusCode?: number;
  ts?: string;
  channel?: string;
  /** Slack's answer (the Web API's JSON; a webhook's JSON or `{ok, error}` built from its text). */
  response?: unknown;
  /** Why it failed, already free of secrets. */
  error?: string;
  attempts: number;
}

export interface SendOptions {
  retries: number;
  timeoutMs: number;
  /** The longest Retry-After honoured; a longer ask ends the retries at once (the step never sleeps minutes). */
  maxRetryWaitMs: number;
  /** Progress lines (retries, waits); never given a secret. */
  log: (message: string) => void;
  sleep?: (ms: number) => Promise<void>;
  random?: () => number;
  fetch?: typeof fetch;
}

/** One try: its result, and whether (and after how long) it may be retried. */
export interface Attempt {
  result: Omit<SendResult, 'attempts'>;
  retry?: { reason: string; retryAfterMs?: number };
}

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

const seconds = (ms: number): string => (ms / 1000).toFixed(1);

/**
 * Runs `attempt` until it needs no retry, at most `retries` more times. A 429 waits its Retry-After
 * when that is within `maxRetryWaitMs` and stops at once when it is longer; anything else retryable
 * backs off with jitter.
 */
export async function withRetries(attempt: (n: number) => Promise<Attempt>, options: SendOptions): Promise<SendResult> {
  const sleep = options.sleep ?? defaultSleep;
  let last: SendResult = { ok: false, attempts: 0, error: 'not sent' };
  for (let n = 0; n <= options.retries; n++) {
    const { result, retry } = await attempt(n);
    last = { ...result, attempts: n + 1 };
    if (!retry) return last;
    const left = options.retries - n;
    const asked = retry.retryAfterMs;
    if (asked !== undefined && asked > options.maxRetryWaitMs) {
      last.error = `${last.error ?? retry.reason}: Slack asked to wait ${seconds(asked)} s (Retry-After), more than max-retry-wait-seconds (${options.maxRetryWaitMs / 1000}), so it was not retried`;
      return last;
    }
    if (left === 0) break;
    const wait = asked ?? backoffMs(n, options.random);
    options.log(
      asked !== undefined
        ? `${retry.reason}; waiting ${seconds(wait)} s as Retry-After asks, then retrying (${left} ${left === 1 ? 'retry' : 'retries'} left).`
        : `${retry.reason}; retrying in ${seconds(wait)} s (${left} left).`,
    );
    await sleep(wait);
  }
  if (last.attempts > 1) last.error = `${last.error}, after ${last.attempts} attempts`;
  return last;
}

/** A fetch error in words: a timeout, or the network error with its code. */
export function describeNetworkError(error: unknown, timeoutMs: number): string {
  const e = error as { name?: string; message?: string; cause?: { code?: string; message?: string } };
  if (e?.name === 'TimeoutError' || e?.name === 'AbortError') return `no answer within ${timeoutMs / 1000} s`;
  const cause = e?.cause?.code ?? e?.cause?.message;
  return `network error: ${e?.message ?? String(error)}${cause ? ` (${cause})` : ''}`;
}

/** Replaces every secret in `text` with ***. */
export function scrub(text: string, secrets: string[]): string {
  let out = text;
  for (const s of [...secrets].sort((a, b) => b.length - a.length)) if (s) out = out.split(s).join('***');
  return out;
}

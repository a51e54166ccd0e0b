import type { Payload } from './limits.js';
import { describeNetworkError, withRetries, type Attempt, type SendOptions, type SendResult } from './retry.js';

/** A file to put in a message's thread. */
export interface UploadFile {
  /** Path on the runner, as files.uploadV2 reads it. */
  file: string;
  /** The name Slack shows. */
  filename: string;
}

export interface SlackApi {
  /** Calls any Web API method (chat.postMessage, reactions.add, ...) with its arguments. */
  call(method: string, args: Payload): Promise<SendResult>;
  /** files.uploadV2: getUploadURLExternal, the upload POST, completeUploadExternal (one file list, one thread). */
  upload(files: UploadFile[], channelId: string, threadTs: string, comment: string): Promise<SendResult>;
}

/**
 * The Slack Web API through @slack/web-api (loaded only in token mode). The SDK does the request,
 * its form or multipart body and `ok:false` → platform error; our loop does the retries, so a 429
 * waits at most max-retry-wait-seconds (the SDK would sleep any Retry-After) and a non-429 4xx
 * (a wrong slack-api-url) is not retried as if transient.
 */
export async function createSlackApi(token: string, apiUrl: string, options: SendOptions): Promise<SlackApi> {
  const { WebClient, ErrorCode, LogLevel } = await import('@slack/web-api');
  let statusCode: number | undefined;
  const baseFetch = options.fetch ?? fetch;
  const trackingFetch: typeof fetch = async (input, init) => {
    statusCode = undefined;
    const res = await baseFetch(input, init);
    statusCode = res.status;
    return res;
  };
  const ignore = () => undefined;
  const client = new WebClient(token, {
    slackApiUrl: apiUrl,
    timeout: options.timeoutMs,
    fetch: trackingFetch,
    allowAbsoluteUrls: false,
    rejectRateLimitedCalls: true,
    retryConfig: { retries: 0 },
    logger: {
      debug: ignore,
      info: ignore,
      warn: (...msg: unknown[]) => options.log(msg.map(String).join(' ')),
      error: (...msg: unknown[]) => options.log(msg.map(String).join(' ')),
      setLevel: ignore,
      getLevel: () => LogLevel.WARN,
      setName: ignore,
    },
  });

  async function attempt(method: string, args: Payload): Promise<Attempt> {
    try {
      const data = (await client.apiCall(method, args)) as unknown as Record<string, unknown>;
      const { response_metadata: _meta, ...response } = data;
      return {
        result: {
          ok: true,
          statusCode: statusCode ?? 200,
          ts: typeof data.ts === 'string' ? data.ts : '',
          channel: typeof data.channel === 'string' ? data.channel : '',
          response,
        },
      };
    } catch (error) {
      const e = error as {
        code?: string;
        data?: Record<string, unknown>;
        statusCode?: number;
        retryAfter?: number;
        original?: unknown;
        message?: string;
      };
      if (e.code === ErrorCode.PlatformError) {
        const { response_metadata: _meta, ...response } = e.data ?? {};
        return {
          result: { ok: false, statusCode, response, error: `Slack refused ${method}: ${String(e.data?.error ?? 'unknown_error')}` },
        };
      }
      if (e.code === ErrorCode.RateLimitedError)
        return {
          result: { ok: false, statusCode: 429, error: 'rate limited by Slack (HTTP 429)' },
          retry: { reason: `Slack rate limit (429) on ${method}`, retryAfterMs: (e.retryAfter ?? 1) * 1000 },
        };
      if (e.code === ErrorCode.HTTPError) {
        const status = e.statusCode ?? statusCode ?? 0;
        const result = { ok: false, statusCode: status, error: `Slack answered HTTP ${status}` };
        return status >= 500 || status === 0 ? { result, retry: { reason: `Slack answered HTTP ${status} to ${method}` } } : { result };
      }
      if (e.code === ErrorCode.RequestError) {
        const reason = describeNetworkError(e.original, options.timeoutMs);
        return { result: { ok: false, error: reason }, retry: { reason: `Slack ${method} failed (${reason})` } };
      }
      return { result: { ok: false, statusCode, error: `Slack ${method} failed: ${e.message ?? String(error)}` } };
    }
  }

  return {
    call: (method, args) => withRetries(() => attempt(method, args), options),
    // Files appear only when completeUploadExternal succeeds, so retrying the whole upload adds no duplicate.
    upload: (files, channelId, threadTs, comment) =>
      withRetries(
        () =>
          attempt('files.uploadV2', {
            channel_id: channelId,
            thread_ts: threadTs,
            ...(comment ? { initial_comment: comment } : {}),
            file_uploads: files.map((f) => ({ file: f.file, filename: f.filename })),
          }),
        options,
      ),
  };
}

import { Readable } from 'node:stream';
import type { S3Client } from '@aws-sdk/client-s3';

export interface S3Settings {
  region?: string;
  /** A custom endpoint for S3-compatible stores; empty uses AWS (and AWS_ENDPOINT_URL_S3 when set). */
  endpoint?: string;
  forcePathStyle?: boolean;
  maxAttempts?: number;
  /** Time allowed to open the connection, per attempt (the SDK retries a timed-out attempt). */
  connectionTimeoutMs?: number;
  /** Time allowed without an answer on an open connection, per attempt. */
  requestTimeoutMs?: number;
}

/**
 * An S3 client on the SDK's standard credential chain and standard retry mode.
 * The SDK is imported on first use so actions that make no S3 call never load it.
 * Error answers that are not XML (a proxy's HTML page) keep their first line for `explainS3Error`.
 */
export async function createS3Client(settings: S3Settings = {}): Promise<S3Client> {
  const { S3Client } = await import('@aws-sdk/client-s3');
  const region = s3Region(settings);
  const timeouts =
    settings.connectionTimeoutMs || settings.requestTimeoutMs
      ? {
          requestHandler: {
            connectionTimeout: settings.connectionTimeoutMs,
            requestTimeout: settings.requestTimeoutMs,
            // Without it the SDK only logs a warning when the request timeout passes, and waits on.
            throwOnRequestTimeout: true,
          },
        }
      : {};
  const client = new S3Client({
    region,
    ...(settings.endpoint ? { endpoint: settings.endpoint } : {}),
    forcePathStyle: settings.forcePathStyle ?? false,
    retryMode: 'standard',
    maxAttempts: settings.maxAttempts ?? 5,
    ...timeouts,
  });
  client.middlewareStack.add(keepNonXmlErrorBodies as never, { step: 'deserialize', priority: 'low', name: 'keepNonXmlErrorBodies' });
  return client;
}

/** The region a client made from these settings uses. */
export function s3Region(settings: Pick<S3Settings, 'region'> = {}): string {
  return settings.region || process.env.AWS_REGION || process.env.AWS_DEFAULT_REGION || 'us-east-1';
}

/** Where requests go: the custom endpoint, AWS_ENDPOINT_URL_S3, or AWS's regional endpoint. */
export function s3EndpointText(settings: Pick<S3Settings, 'region' | 'endpoint'> = {}): string {
  return settings.endpoint || process.env.AWS_ENDPOINT_URL_S3 || `https://s3.${s3Region(settings)}.amazonaws.com`;
}

/** What kind of S3 failure this is, so the user is told the fix, not a stack. */
export type S3FailureKind = 'no-such-bucket' | 'no-such-key' | 'access-denied' | 'throttled' | 'precondition-failed' | 'network' | 'other';

export function classifyS3Error(error: unknown): S3FailureKind {
  const e = error as { name?: string; Code?: string; code?: string; $metadata?: { httpStatusCode?: number } } | null;
  const name = e?.name ?? e?.Code ?? '';
  const status = e?.$metadata?.httpStatusCode;
  if (name === 'NoSuchBucket') return 'no-such-bucket';
  if (name === 'NoSuchKey' || name === 'NotFound' || status === 404) return 'no-such-key';
  if (name === 'AccessDenied' || name === 'Forbidden' || status === 403) return 'access-denied';
  if (name === 'PreconditionFailed' || status === 412) return 'precondition-failed';
  if (/Throttl|SlowDown|TooManyRequests|RequestLimitExceeded/.test(name) || status === 503 || status === 429) return 'throttled';
  if (
    /ECONNREFUSED|ENOTFOUND|ETIMEDOUT|ECONNRESET|EAI_AGAIN|TimeoutError|NetworkingError/.test(
      `${name} ${e?.code ?? ''} ${(error as Error)?.message ?? ''}`,
    )
  )
    return 'network';
  return 'other';
}

/** What an S3 error answer says, beyond its kind: AWS's code and message, and the cause and fix where the code tells it. */
export interface S3ErrorDetails {
  kind: S3FailureKind;
  /** AWS's error code (or the SDK's error name when the answer had none). */
  code: string;
  status?: number;
  /** AWS's own message, '' when there was none. */
  awsMessage: string;
  /** The cause and its fix, for the codes that name one (the 403 family, a wrong region). */
  cause?: string;
  /** The bucket's region, from a 301/PermanentRedirect answer. */
  region?: string;
  /** What came back when the error answer was not S3's XML: status, content type and first line. */
  nonXmlBody?: string;
  /** True when the attempt ran out of time (connection or request timeout). */
  timedOut: boolean;
  attempts?: number;
}

/** Each 403 code AWS sends, with what it means and what fixes it. */
const FORBIDDEN_CAUSES: Record<string, string> = {
  InvalidAccessKeyId:
    'the access key id is not known to AWS (InvalidAccessKeyId): the key was deleted or deactivated, or belongs to another account or endpoint; check AWS_ACCESS_KEY_ID or the role that issues the credentials',
  SignatureDoesNotMatch:
    'the request signature does not match (SignatureDoesNotMatch): the secret access key does not belong to the access key id, or something between the runner and S3 rewrote the request; check AWS_SECRET_ACCESS_KEY',
  RequestTimeTooSkewed: "the runner's clock is more than 15 minutes off AWS's (RequestTimeTooSkewed): synchronise the runner's clock (NTP)",
  InvalidToken:
    'the session token is malformed or does not belong to these credentials (InvalidToken): set AWS_SESSION_TOKEN from the same source as the key, or clear it for long-term keys',
  ExpiredToken:
    'the temporary credentials have expired (ExpiredToken): obtain them closer to this step, or for longer (e.g. role-duration-seconds of aws-actions/configure-aws-credentials longer than the job)',
  AccountProblem:
    'the AWS account cannot be used (AccountProblem): its billing or standing has a problem; the account owner must resolve it with AWS',
};

const KMS_CAUSE =
  'the object or bucket is encrypted with a KMS key these credentials may not use (AccessDenied from KMS): grant kms:Decrypt (reads) and kms:GenerateDataKey (writes) on the key, in the key policy and the role';

export function explainS3Error(error: unknown): S3ErrorDetails {
  const e = error as {
    name?: string;
    Code?: string;
    code?: string;
    message?: string;
    Region?: string;
    Endpoint?: string;
    $metadata?: { httpStatusCode?: number; attempts?: number };
    $response?: { statusCode?: number; headers?: Record<string, string> };
  } | null;
  const code = e?.Code ?? e?.name ?? 'Error';
  const status = e?.$metadata?.httpStatusCode ?? e?.$response?.statusCode;
  const rawMessage = typeof e?.message === 'string' ? e.message.split('\n')[0] : String(error);
  const awsMessage = rawMessage === code || rawMessage === 'UnknownError' ? '' : rawMessage;
  const timedOut = code === 'TimeoutError' || e?.code === 'ETIMEDOUT' || /timed? ?out/i.test(rawMessage);
  const details: S3ErrorDetails = {
    kind: classifyS3Error(error),
    code,
    status,
    awsMessage,
    timedOut,
    attempts: e?.$metadata?.attempts,
  };
  if (FORBIDDEN_CAUSES[code]) details.cause = FORBIDDEN_CAUSES[code];
  else if (code === 'AccessDenied' && /\bkms\b|KMS key/i.test(rawMessage)) details.cause = KMS_CAUSE;
  if (status === 301 || code === 'PermanentRedirect') {
    const header = e?.$response?.headers?.['x-amz-bucket-region'];
    const fromEndpoint = /\.s3[.-]([a-z0-9-]+)\.amazonaws\.com/.exec(e?.Endpoint ?? '')?.[1];
    details.region = header || e?.Region || fromEndpoint || undefined;
    details.cause = details.region
      ? `the bucket is in region ${details.region}, not the one the request went to (PermanentRedirect): set aws-region: ${details.region}`
      : "the bucket is in another region (PermanentRedirect, no region given in the answer): set aws-region to the bucket's region";
  }
  const firstLine = e?.$response ? nonXmlFirstLines.get(e.$response) : undefined;
  if (firstLine !== undefined) {
    const type = e?.$response?.headers?.['content-type'] || 'no content type';
    details.nonXmlBody = `HTTP ${status ?? '?'}, ${type}, first line: ${JSON.stringify(firstLine.slice(0, 200))}`;
  }
  return details;
}

/** First line of every error answer that was not XML, kept until the error that carries the response is gone. */
const nonXmlFirstLines = new WeakMap<object, string>();

type RawResponse = { statusCode: number; headers: Record<string, string>; body: unknown };

/**
 * Reads an error answer that is not XML before the SDK's XML parser does (which turns an HTML page into
 * "UnknownError"), keeps its first line, and hands the same bytes on. Bounded: at most 64 KiB is read.
 */
const keepNonXmlErrorBodies = (next: (args: unknown) => Promise<{ response: unknown; output?: unknown }>) => async (args: unknown) => {
  const result = await next(args);
  const response = result.response as RawResponse | undefined;
  if (!response || response.statusCode < 300) return result;
  const type = response.headers?.['content-type'] ?? '';
  if (/xml/i.test(type) || response.body === undefined) return result;
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of response.body as AsyncIterable<Buffer | string>) {
    const buffer = typeof chunk === 'string' ? Buffer.from(chunk) : chunk;
    size += buffer.length;
    if (size <= 65_536) chunks.push(buffer);
  }
  const text = Buffer.concat(chunks).toString('utf8');
  if (text.trim() !== '' && !/^\s*<\?xml|^\s*<Error>/i.test(text))
    nonXmlFirstLines.set(
      response,
      text
        .split(/\r?\n/)
        .find((l) => l.trim() !== '')
        ?.trim() ?? '',
    );
  response.body = Readable.from([Buffer.from(text)]);
  return result;
};

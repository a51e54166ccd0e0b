import type { S3Client } from '@aws-sdk/client-s3';

export interface S3Settings {
  region?: string;
  /** A custom endpoint for S3-compatible stores; empty uses AWS (and AWS_ENDPOINT_URL_S3 when set). */
  endpoint?: string;
  forcePathStyle?: boolean;
  maxAttempts?: number;
}

/**
 * An S3 client on the SDK's standard credential chain and standard retry mode.
 * The SDK is imported on first use so actions that make no S3 call never load it.
 */
export async function createS3Client(settings: S3Settings = {}): Promise<S3Client> {
  const { S3Client } = await import('@aws-sdk/client-s3');
  const region = settings.region || process.env.AWS_REGION || process.env.AWS_DEFAULT_REGION || 'us-east-1';
  return new S3Client({
    region,
    ...(settings.endpoint ? { endpoint: settings.endpoint } : {}),
    forcePathStyle: settings.forcePathStyle ?? false,
    retryMode: 'standard',
    maxAttempts: settings.maxAttempts ?? 5,
  });
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

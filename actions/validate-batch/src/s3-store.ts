import type { S3Client } from '@aws-sdk/client-s3';
import { UserError } from '@pipeline-actions/kit';
import { classifyS3Error, createS3Client, type S3Settings } from '@pipeline-actions/kit/s3';
import type { BatchStore, ListPage } from './store.js';

type Operation = { api: string; permission: string; resource: string };

/** A BatchStore on the AWS SDK (loaded on first use), with every failure turned into a sentence with the fix. */
export async function createS3Store(bucket: string, settings: S3Settings): Promise<BatchStore & { destroy(): void }> {
  const client: S3Client = await createS3Client(settings);
  const sdk = await import('@aws-sdk/client-s3');
  const endpoint = settings.endpoint || process.env.AWS_ENDPOINT_URL_S3 || '';
  const uri = (key: string) => `s3://${bucket}/${key}`;
  const fail = (error: unknown, op: Operation): never => {
    throw new UserError(describeS3Error(error, { ...op, bucket, endpoint }));
  };

  return {
    uri,
    destroy: () => client.destroy(),
    async list(prefix, options = {}): Promise<ListPage> {
      try {
        const page = await client.send(
          new sdk.ListObjectsV2Command({
            Bucket: bucket,
            Prefix: prefix,
            Delimiter: options.delimiter,
            ContinuationToken: options.token,
            MaxKeys: options.maxKeys ?? 1000,
          }),
        );
        return {
          objects: (page.Contents ?? []).map((o) => ({ key: o.Key ?? '', size: o.Size ?? 0 })),
          prefixes: (page.CommonPrefixes ?? []).map((p) => p.Prefix ?? '').filter((p) => p !== ''),
          next: page.IsTruncated ? page.NextContinuationToken : undefined,
        };
      } catch (error) {
        return fail(error, { api: 'ListObjectsV2', permission: 's3:ListBucket', resource: uri(prefix) });
      }
    },
    async read(key) {
      try {
        const got = await client.send(new sdk.GetObjectCommand({ Bucket: bucket, Key: key }));
        return (await got.Body?.transformToString('utf8')) ?? '';
      } catch (error) {
        if (classifyS3Error(error) === 'no-such-key') return undefined;
        return fail(error, { api: 'GetObject', permission: 's3:GetObject', resource: uri(key) });
      }
    },
    async createIfAbsent(key, body, contentType) {
      // S3 answers 409 ConditionalRequestConflict when two conditional writes overlap; the retry then sees 412.
      for (let attempt = 1; ; attempt++) {
        try {
          await client.send(new sdk.PutObjectCommand({ Bucket: bucket, Key: key, Body: body, ContentType: contentType, IfNoneMatch: '*' }));
          return 'created';
        } catch (error) {
          const kind = classifyS3Error(error);
          if (kind === 'precondition-failed') return 'exists';
          if (isConditionalConflict(error) && attempt < 4) continue;
          return fail(error, { api: 'PutObject', permission: 's3:PutObject', resource: uri(key) });
        }
      }
    },
  };
}

function isConditionalConflict(error: unknown): boolean {
  const e = error as { name?: string; $metadata?: { httpStatusCode?: number } } | null;
  return e?.name === 'ConditionalRequestConflict' || e?.$metadata?.httpStatusCode === 409;
}

/** One sentence that says which S3 call failed, why, and what to do about it. */
export function describeS3Error(error: unknown, op: Operation & { bucket: string; endpoint?: string }): string {
  const e = error as { name?: string; message?: string; code?: string; $metadata?: { attempts?: number; httpStatusCode?: number } } | null;
  const name = e?.name ?? 'Error';
  const detail = (e?.message ?? String(error)).split('\n')[0];
  const where = `${op.api} on ${op.resource}`;
  const attempts = e?.$metadata?.attempts;
  if (name === 'CredentialsProviderError' || /Could not load credentials/i.test(detail)) {
    return `${where} failed: no AWS credentials were found. Configure them before this step (e.g. aws-actions/configure-aws-credentials with OIDC, or AWS_ACCESS_KEY_ID/AWS_SECRET_ACCESS_KEY).`;
  }
  switch (classifyS3Error(error)) {
    case 'no-such-bucket':
      return `${where} failed: the bucket '${op.bucket}' does not exist (NoSuchBucket). Check the bucket input${op.endpoint ? ` and s3-endpoint (${op.endpoint})` : ' and aws-region'}.`;
    case 'access-denied':
      return `${where} was denied (${name}): the credentials need ${op.permission} on ${permissionResource(op)}.`;
    case 'throttled':
      return `${where} was throttled by S3 (${name})${attempts ? ` after ${attempts} attempts with backoff` : ''}: retry later or lower the concurrency input.`;
    case 'network':
      return `${where} could not reach S3${op.endpoint ? ` at ${op.endpoint}` : ''} (${e?.code ?? name}: ${detail}): check s3-endpoint, aws-region and the runner's network.`;
    default:
      return `${where} failed (${name}${e?.$metadata?.httpStatusCode ? `, HTTP ${e.$metadata.httpStatusCode}` : ''}): ${detail}`;
  }
}

function permissionResource(op: Operation & { bucket: string }): string {
  if (op.permission === 's3:ListBucket') {
    const prefix = op.resource.slice(`s3://${op.bucket}/`.length);
    return `arn:aws:s3:::${op.bucket}${prefix ? ` (for prefix ${prefix})` : ''}`;
  }
  return `arn:aws:s3:::${op.resource.slice('s3://'.length)}`;
}

import type { S3Client } from '@aws-sdk/client-s3';
import { UserError } from '@pipeline-actions/kit';
import { classifyS3Error, createS3Client, s3EndpointText, type S3Settings } from '@pipeline-actions/kit/s3';
import { describeS3Error, type Operation } from './s3-errors.js';
import type { BatchStore, ListPage } from './store.js';

/** S3 answers 409 ConditionalRequestConflict while another conditional write to the key is in flight: wait and retry. */
const CONFLICT_RETRIES = 5;
const CONFLICT_BASE_MS = 200;

export type S3Store = BatchStore & { destroy(): void; requests(): number };

/** A BatchStore on the AWS SDK (loaded on first use), with every failure turned into a sentence with the fix. */
export async function createS3Store(bucket: string, settings: S3Settings): Promise<S3Store> {
  const client: S3Client = await createS3Client(settings);
  let requests = 0;
  client.middlewareStack.add(
    (next) => (args) => {
      requests++;
      return next(args);
    },
    { step: 'finalizeRequest', name: 'countRequests' },
  );
  const sdk = await import('@aws-sdk/client-s3');
  const endpoint = s3EndpointText(settings);
  const uri = (key: string) => `s3://${bucket}/${key}`;
  const fail = (error: unknown, op: Operation): never => {
    throw new UserError(describeS3Error(error, { ...op, bucket, endpoint, timeoutMs: settings.requestTimeoutMs }));
  };
  const withConflictRetry = async <T>(op: Operation, send: () => Promise<T>, onPrecondition: () => T, onMissing?: () => T): Promise<T> => {
    for (let attempt = 1; ; attempt++) {
      try {
        return await send();
      } catch (error) {
        const kind = classifyS3Error(error);
        if (kind === 'precondition-failed') return onPrecondition();
        if (kind === 'no-such-key' && onMissing) return onMissing();
        if (isConditionalConflict(error) && attempt <= CONFLICT_RETRIES) {
          const delay = CONFLICT_BASE_MS * 2 ** (attempt - 1);
          await new Promise((resolve) => setTimeout(resolve, delay / 2 + Math.random() * (delay / 2)));
          continue;
        }
        return fail(error, { ...op, conflicts: isConditionalConflict(error) ? attempt : undefined });
      }
    }
  };

  return {
    uri,
    name: endpoint,
    destroy: () => client.destroy(),
    requests: () => requests,
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
          objects: (page.Contents ?? []).map((o) => ({ key: o.Key ?? '', size: o.Size ?? 0, etag: o.ETag ?? '' })),
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
        return { body: (await got.Body?.transformToString('utf8')) ?? '', etag: got.ETag ?? '' };
      } catch (error) {
        if (classifyS3Error(error) === 'no-such-key') return undefined;
        return fail(error, { api: 'GetObject', permission: 's3:GetObject', resource: uri(key) });
      }
    },
    createIfAbsent(key, body) {
      return withConflictRetry<'created' | 'exists'>(
        { api: 'PutObject', permission: 's3:PutObject', resource: uri(key) },
        async () => {
          await client.send(
            new sdk.PutObjectCommand({ Bucket: bucket, Key: key, Body: body, ContentType: 'application/json', IfNoneMatch: '*' }),
          );
          return 'created';
        },
        () => 'exists',
      );
    },
    replaceIf(key, body, etag) {
      return withConflictRetry<'replaced' | 'changed'>(
        { api: 'PutObject', permission: 's3:PutObject', resource: uri(key) },
        async () => {
          await client.send(
            new sdk.PutObjectCommand({ Bucket: bucket, Key: key, Body: body, ContentType: 'application/json', IfMatch: etag }),
          );
          return 'replaced';
        },
        () => 'changed',
      );
    },
    deleteIf(key, etag) {
      return withConflictRetry<'deleted' | 'changed'>(
        { api: 'DeleteObject', permission: 's3:DeleteObject', resource: uri(key) },
        async () => {
          await client.send(new sdk.DeleteObjectCommand({ Bucket: bucket, Key: key, IfMatch: etag }));
          return 'deleted';
        },
        () => 'changed',
        () => 'changed',
      );
    },
  };
}

function isConditionalConflict(error: unknown): boolean {
  const e = error as { name?: string; $metadata?: { httpStatusCode?: number } } | null;
  return e?.name === 'ConditionalRequestConflict' || e?.$metadata?.httpStatusCode === 409;
}

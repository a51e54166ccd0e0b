import { describe, expect, it } from '@jest/globals';
import { describeS3Error } from '../src/s3-store.js';

const list = { api: 'ListObjectsV2', permission: 's3:ListBucket', resource: 's3://data/validated/batch_1/', bucket: 'data' };
const put = { api: 'PutObject', permission: 's3:PutObject', resource: 's3://data/validated/batch_1/.loaded', bucket: 'data' };
const sdkError = (name: string, status: number, extra: Record<string, unknown> = {}) =>
  Object.assign(new Error(`${name} message`), { name, $metadata: { httpStatusCode: status, attempts: 5 }, ...extra });

describe('describeS3Error', () => {
  it('names the missing bucket', () => {
    expect(describeS3Error(sdkError('NoSuchBucket', 404), list)).toBe(
      "ListObjectsV2 on s3://data/validated/batch_1/ failed: the bucket 'data' does not exist (NoSuchBucket). Check the bucket input and aws-region.",
    );
  });

  it('names the permission a denied list needs, on the bucket', () => {
    expect(describeS3Error(sdkError('AccessDenied', 403), list)).toBe(
      'ListObjectsV2 on s3://data/validated/batch_1/ was denied (AccessDenied): the credentials need s3:ListBucket on arn:aws:s3:::data (for prefix validated/batch_1/).',
    );
  });

  it('names the permission a denied marker write needs, on the object', () => {
    expect(describeS3Error(sdkError('AccessDenied', 403), put)).toContain('s3:PutObject on arn:aws:s3:::data/validated/batch_1/.loaded');
  });

  it('reports throttling after the retries', () => {
    expect(describeS3Error(sdkError('SlowDown', 503), list)).toContain('was throttled by S3 (SlowDown) after 5 attempts with backoff');
  });

  it('reports a network failure with the endpoint', () => {
    const error = Object.assign(new Error('connect ECONNREFUSED 127.0.0.1:9'), { code: 'ECONNREFUSED' });
    expect(describeS3Error(error, { ...list, endpoint: 'http://127.0.0.1:9' })).toContain(
      'could not reach S3 at http://127.0.0.1:9 (ECONNREFUSED',
    );
  });

  it('says how to provide missing credentials', () => {
    const error = Object.assign(new Error('Could not load credentials from any providers'), { name: 'CredentialsProviderError' });
    expect(describeS3Error(error, list)).toContain('no AWS credentials were found');
  });

  it('keeps the name and status of anything else', () => {
    expect(describeS3Error(sdkError('InternalError', 500), list)).toBe(
      'ListObjectsV2 on s3://data/validated/batch_1/ failed (InternalError, HTTP 500): InternalError message',
    );
  });
});

import { describe, expect, it } from '@jest/globals';
import { classifyS3Error, createS3Client } from '../src/s3.js';

describe('S3 client factory', () => {
  it('uses the given endpoint, path style and standard retries', async () => {
    const client = await createS3Client({ region: 'eu-west-1', endpoint: 'http://127.0.0.1:9', forcePathStyle: true });
    expect(await client.config.region()).toBe('eu-west-1');
    expect(client.config.forcePathStyle).toBe(true);
    expect(await client.config.retryStrategy()).toMatchObject({ mode: 'standard' });
    client.destroy();
  });
});

describe('classifyS3Error', () => {
  it('tells the failure kinds apart', () => {
    expect(classifyS3Error({ name: 'NoSuchBucket' })).toBe('no-such-bucket');
    expect(classifyS3Error({ name: 'AccessDenied', $metadata: { httpStatusCode: 403 } })).toBe('access-denied');
    expect(classifyS3Error({ name: 'SlowDown', $metadata: { httpStatusCode: 503 } })).toBe('throttled');
    expect(classifyS3Error({ name: 'PreconditionFailed', $metadata: { httpStatusCode: 412 } })).toBe('precondition-failed');
    expect(classifyS3Error(Object.assign(new Error('connect ECONNREFUSED 127.0.0.1:9'), { code: 'ECONNREFUSED' }))).toBe('network');
    expect(classifyS3Error({ name: 'Weird' })).toBe('other');
  });
});

import { describe, expect, it } from '@jest/globals';
import { describeS3Error } from '../src/s3-errors.js';

const at = { bucket: 'data', endpoint: 'https://s3.eu-west-1.amazonaws.com' };
const list = { api: 'ListObjectsV2', permission: 's3:ListBucket', resource: 's3://data/validated/batch_1/', ...at };
const put = { api: 'PutObject', permission: 's3:PutObject', resource: 's3://data/validated/batch_1/.loaded', ...at };
const sdkError = (name: string, status: number, message = `${name} message`, extra: Record<string, unknown> = {}) =>
  Object.assign(new Error(message), { name, Code: name, $metadata: { httpStatusCode: status, attempts: 5 }, ...extra });
const where = 'ListObjectsV2 on s3://data/validated/batch_1/ at https://s3.eu-west-1.amazonaws.com';

describe('describeS3Error', () => {
  it('names the missing bucket', () => {
    expect(describeS3Error(sdkError('NoSuchBucket', 404), list)).toBe(
      `${where} failed: the bucket 'data' does not exist (NoSuchBucket). Check the bucket input, s3-endpoint and aws-region.`,
    );
  });

  it('names the permission a denied list needs, on the bucket, with AWS message', () => {
    expect(describeS3Error(sdkError('AccessDenied', 403, 'User: x is not authorized'), list)).toBe(
      `${where} was denied (AccessDenied): the credentials need s3:ListBucket on arn:aws:s3:::data (for prefix validated/batch_1/). AWS said: User: x is not authorized`,
    );
  });

  it('names the permission a denied marker write needs, on the object', () => {
    expect(describeS3Error(sdkError('AccessDenied', 403), put)).toContain('s3:PutObject on arn:aws:s3:::data/validated/batch_1/.loaded');
  });

  it.each([
    ['InvalidAccessKeyId', 403, 'check AWS_ACCESS_KEY_ID'],
    ['SignatureDoesNotMatch', 403, 'check AWS_SECRET_ACCESS_KEY'],
    ['RequestTimeTooSkewed', 403, "synchronise the runner's clock"],
    ['InvalidToken', 400, 'AWS_SESSION_TOKEN'],
    ['ExpiredToken', 400, 'have expired'],
    ['AccountProblem', 403, 'account owner'],
  ])('tells %s apart with its own fix and AWS message', (code, status, fix) => {
    const text = describeS3Error(sdkError(code, status, `aws text for ${code}`), list);
    expect(text).toContain(`(${code})`);
    expect(text).toContain(fix);
    expect(text).toContain(`AWS said: aws text for ${code}`);
    expect(text).not.toContain('s3:ListBucket');
  });

  it('tells a KMS deny from a missing S3 permission', () => {
    const text = describeS3Error(
      sdkError('AccessDenied', 403, 'The ciphertext refers to a customer master key that does not exist (KMS)'),
      put,
    );
    expect(text).toContain('kms:Decrypt');
    expect(text).not.toContain('s3:PutObject on');
  });

  it('names the region of a 301', () => {
    const error = sdkError('PermanentRedirect', 301, 'must be addressed using the specified endpoint', {
      $response: { statusCode: 301, headers: { 'x-amz-bucket-region': 'ap-south-1' } },
    });
    expect(describeS3Error(error, list)).toContain('the bucket is in region ap-south-1');
    expect(describeS3Error(error, list)).toContain('set aws-region: ap-south-1');
  });

  it('reports throttling after the retries', () => {
    expect(describeS3Error(sdkError('SlowDown', 503), list)).toContain('was throttled by S3 (SlowDown) after 5 attempts with backoff');
  });

  it('reports a network failure with the endpoint', () => {
    const error = Object.assign(new Error('connect ECONNREFUSED 127.0.0.1:9'), { code: 'ECONNREFUSED' });
    expect(describeS3Error(error, { ...list, endpoint: 'http://127.0.0.1:9' })).toContain(
      'at http://127.0.0.1:9 could not reach S3 (ECONNREFUSED',
    );
  });

  it('says a timed-out call got no answer within timeout-seconds', () => {
    const error = Object.assign(new Error('Connection timed out after 2000 ms'), { name: 'TimeoutError', $metadata: { attempts: 5 } });
    expect(describeS3Error(error, { ...list, timeoutMs: 2000 })).toContain(
      `${where} got no answer within 2 s (input 'timeout-seconds') after 5 attempts`,
    );
  });

  it('counts the 409 conflicts it waited out', () => {
    expect(describeS3Error(sdkError('ConditionalRequestConflict', 409), { ...put, conflicts: 6 })).toContain(
      'was refused with HTTP 409 (ConditionalRequestConflict) 6 times with backoff',
    );
  });

  it('says how to provide missing credentials', () => {
    const error = Object.assign(new Error('Could not load credentials from any providers'), { name: 'CredentialsProviderError' });
    expect(describeS3Error(error, list)).toContain('no AWS credentials were found');
  });

  it('keeps the name and status of anything else, with AWS message', () => {
    expect(describeS3Error(sdkError('InternalError', 500), list)).toBe(
      `${where} failed (InternalError, HTTP 500). AWS said: InternalError message`,
    );
  });
});

import { describe, expect, it } from '@jest/globals';
import { createServer } from 'node:http';
import { ListObjectsV2Command } from '@aws-sdk/client-s3';
import { classifyS3Error, createS3Client, explainS3Error, s3EndpointText } from '../src/s3.js';

const credentials = { accessKeyId: 'a', secretAccessKey: 'b' };

describe('S3 client factory', () => {
  it('uses the given endpoint, path style and standard retries', async () => {
    const client = await createS3Client({ region: 'eu-west-1', endpoint: 'http://127.0.0.1:9', forcePathStyle: true });
    expect(await client.config.region()).toBe('eu-west-1');
    expect(client.config.forcePathStyle).toBe(true);
    expect(await client.config.retryStrategy()).toMatchObject({ mode: 'standard' });
    client.destroy();
  });

  it('names the endpoint requests go to', () => {
    expect(s3EndpointText({ endpoint: 'http://127.0.0.1:9' })).toBe('http://127.0.0.1:9');
    expect(s3EndpointText({ region: 'ap-south-1' })).toBe(process.env.AWS_ENDPOINT_URL_S3 || 'https://s3.ap-south-1.amazonaws.com');
  });

  it('keeps the first line of an error answer that is not XML, and ends an unanswered request at the timeout', async () => {
    const server = createServer((req, res) => {
      if (req.url?.startsWith('/silent')) return; // never answers
      res.writeHead(502, { 'content-type': 'text/html' }).end('\n<html><title>502 Bad Gateway</title>\nmore');
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    const port = (server.address() as { port: number }).port;
    const client = await createS3Client({
      endpoint: `http://127.0.0.1:${port}`,
      forcePathStyle: true,
      maxAttempts: 1,
      connectionTimeoutMs: 500,
      requestTimeoutMs: 500,
    });
    client.config.credentials = async () => credentials;
    try {
      const html = await client.send(new ListObjectsV2Command({ Bucket: 'b' })).catch((e: unknown) => e);
      expect(explainS3Error(html)).toMatchObject({
        status: 502,
        nonXmlBody: 'HTTP 502, text/html, first line: "<html><title>502 Bad Gateway</title>"',
      });
      const silent = await client.send(new ListObjectsV2Command({ Bucket: 'silent' })).catch((e: unknown) => e);
      expect(explainS3Error(silent)).toMatchObject({ timedOut: true, code: 'TimeoutError' });
    } finally {
      client.destroy();
      server.closeAllConnections();
      server.close();
    }
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

describe('explainS3Error', () => {
  const error = (code: string, status: number, message: string, extra: Record<string, unknown> = {}) =>
    Object.assign(new Error(message), { name: code, Code: code, $metadata: { httpStatusCode: status }, ...extra });

  it.each([
    ['InvalidAccessKeyId', 'AWS_ACCESS_KEY_ID'],
    ['SignatureDoesNotMatch', 'AWS_SECRET_ACCESS_KEY'],
    ['RequestTimeTooSkewed', 'clock'],
    ['InvalidToken', 'AWS_SESSION_TOKEN'],
    ['ExpiredToken', 'expired'],
    ['AccountProblem', 'account owner'],
  ])('gives %s its own cause and keeps AWS message', (code, fix) => {
    const d = explainS3Error(error(code, 403, `aws says ${code}`));
    expect(d.cause).toContain(`(${code})`);
    expect(d.cause).toContain(fix);
    expect(d.awsMessage).toBe(`aws says ${code}`);
  });

  it('tells a KMS deny from a plain AccessDenied', () => {
    expect(explainS3Error(error('AccessDenied', 403, 'not authorized to perform: kms:Decrypt')).cause).toContain('kms:Decrypt');
    expect(explainS3Error(error('AccessDenied', 403, 'Access Denied')).cause).toBeUndefined();
  });

  it('reads the region of a 301 from the header, or from the endpoint AWS names', () => {
    expect(
      explainS3Error(error('PermanentRedirect', 301, 'm', { $response: { headers: { 'x-amz-bucket-region': 'eu-north-1' } } })).region,
    ).toBe('eu-north-1');
    expect(explainS3Error(error('PermanentRedirect', 301, 'm', { Endpoint: 'b.s3.eu-west-3.amazonaws.com' })).region).toBe('eu-west-3');
  });
});

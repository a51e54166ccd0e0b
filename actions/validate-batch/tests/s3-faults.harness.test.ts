import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { CreateBucketCommand, GetObjectCommand, PutObjectCommand, S3Client } from '@aws-sdk/client-s3';
import { motoAvailable, runAction, startS3Server, type ActionResult, type S3TestServer } from '../../../packages/testing/src/index.js';
import { FAULTS, startFaultyS3, startHeaderStrippingProxy, startSilentEndpoint, type FakeServer } from './fakes.js';

const actionDir = join(fileURLToPath(new URL('.', import.meta.url)), '..');
const available = motoAvailable();
if (!available) console.warn('SKIPPED: moto is not installed; .ci/run installs it, so CI never skips these.');
const suite = available ? describe : describe.skip;

const BUCKET = 'faults';
const ID = 'batch_20241201_120000';
const P = `validated/${ID}/`;
const CONDITIONAL_SENTENCE =
  /^The S3 store at http:\/\/127\.0\.0\.1:\d+ does not honour conditional writes \(.*\): validate-batch requires a store that refuses PutObject with If-None-Match: \* on an existing key with HTTP 412, as AWS S3 does, so nothing is reported as claimed or marked\.$/;

const env = {
  AWS_ACCESS_KEY_ID: 'testing',
  AWS_SECRET_ACCESS_KEY: 'testing-secret',
  AWS_REGION: 'us-east-1',
  AWS_EC2_METADATA_DISABLED: 'true',
};
const runAt = (endpoint: string, inputs: Record<string, string>, runId = '9001', timeoutMs?: number): Promise<ActionResult> =>
  runAction(actionDir, {
    inputs: {
      bucket: BUCKET,
      'batch-id': ID,
      environment: 'production',
      's3-endpoint': endpoint,
      's3-force-path-style': 'true',
      ...inputs,
    },
    env: { ...env, GITHUB_RUN_ID: runId },
    timeoutMs,
  });

suite('a store that ignores conditional writes (a header-stripping proxy in front of moto)', () => {
  let server: S3TestServer;
  let proxy: FakeServer;
  let s3: S3Client;
  const read = (key: string) =>
    s3
      .send(new GetObjectCommand({ Bucket: BUCKET, Key: key }))
      .then((r) => r.Body!.transformToString())
      .catch(() => undefined);

  beforeAll(async () => {
    server = await startS3Server();
    proxy = await startHeaderStrippingProxy(server.endpoint);
    s3 = new S3Client(server.clientConfig);
    await s3.send(new CreateBucketCommand({ Bucket: BUCKET }));
    await s3.send(new PutObjectCommand({ Bucket: BUCKET, Key: `${P}orders/part-1.parquet`, Body: 'abc' }));
  });

  afterAll(async () => {
    s3?.destroy();
    await proxy?.stop();
    await server?.stop();
  });

  it('fails claim closed with the conditional-write sentence, and never reports it claimed', async () => {
    const result = await runAt(proxy.url, { mode: 'claim' });
    expect(result.exitCode).toBe(1);
    expect(result.outputs.claimed).toBe('false');
    expect(result.errors).toEqual([expect.stringMatching(CONDITIONAL_SENTENCE)]);
    expect(result.errors[0]).toContain('If-None-Match: * on the existing key was accepted');
  });

  it('fails mark-loaded closed, with or without a claim', async () => {
    const result = await runAt(proxy.url, { mode: 'mark-loaded', 'require-claim': 'false' });
    expect(result.exitCode).toBe(1);
    expect(result.outputs.loaded).toBe('false');
    expect(result.errors).toEqual([expect.stringMatching(CONDITIONAL_SENTENCE)]);
  });

  it('fails release closed: a delete with a wrong If-Match must not be carried out', async () => {
    const claim = await runAt(server.endpoint, { mode: 'claim', environment: 'qa' }, '9101');
    expect(claim.outputs.claimed).toBe('true');
    const result = await runAt(proxy.url, { mode: 'release', environment: 'qa' }, '9101');
    expect(result.exitCode).toBe(1);
    expect(result.errors).toEqual([expect.stringMatching(CONDITIONAL_SENTENCE)]);
    expect(result.errors[0]).toContain('DeleteObject with a wrong If-Match was carried out');
  });

  it('lets none of 5 concurrent claims through the proxy report success', async () => {
    const results = await Promise.all(
      Array.from({ length: 5 }, (_, i) => runAt(proxy.url, { mode: 'claim', environment: 'dev' }, `92${i}`)),
    );
    expect(results.map((r) => r.outputs.claimed)).toEqual(Array(5).fill('false'));
    for (const r of results) expect(r.errors).toEqual([expect.stringMatching(CONDITIONAL_SENTENCE)]);
    expect(await read(`${P}.loaded-dev`)).toBeUndefined();
  });
});

describe('S3 answers that are not success', () => {
  let faulty: FakeServer;
  let silent: FakeServer;

  beforeAll(async () => {
    faulty = await startFaultyS3();
    silent = await startSilentEndpoint();
  });

  afterAll(async () => {
    await faulty?.stop();
    await silent?.stop();
  });

  it('ends a step against an endpoint that never answers within the timeout and retries, naming endpoint and operation', async () => {
    // The harness kills the step after 45 s: a step that hangs fails this test.
    const result = await runAt(silent.url, { 'timeout-seconds': '1' }, '9301', 45_000);
    expect(result.signal).toBeNull();
    expect(result.exitCode).toBe(1);
    expect(result.errors).toEqual([
      expect.stringMatching(
        new RegExp(
          `^ListObjectsV2 on s3://faults/${P} at ${silent.url} got no answer within 1 s \\(input 'timeout-seconds'\\) after 5 attempts`,
        ),
      ),
    ]);
    expect(silent.requests.length).toBe(5);
  }, 60_000);

  const causes: [string, RegExp][] = [
    ['key-unknown', /access key id is not known to AWS \(InvalidAccessKeyId\).*check AWS_ACCESS_KEY_ID/],
    ['bad-signature', /signature does not match \(SignatureDoesNotMatch\).*check AWS_SECRET_ACCESS_KEY/],
    ['clock-skew', /more than 15 minutes off AWS's \(RequestTimeTooSkewed\)/],
    ['bad-token', /session token is malformed .*\(InvalidToken\)/],
    ['old-token', /temporary credentials have expired \(ExpiredToken\)/],
    ['kms-deny', /KMS key these credentials may not use .*kms:Decrypt/],
    ['account-problem', /AWS account cannot be used \(AccountProblem\)/],
    ['plain-deny', /was denied \(AccessDenied\): the credentials need s3:ListBucket on arn:aws:s3:::plain-deny/],
  ];

  it('tells each 403 cause apart with its own fix and appends AWS message', async () => {
    const results = await Promise.all(causes.map(([bucket]) => runAt(faulty.url, { bucket }, '9401')));
    results.forEach((result, i) => {
      const [bucket, cause] = causes[i];
      expect(result.exitCode).toBe(1);
      expect(result.errors).toHaveLength(1);
      expect(result.errors[0]).toMatch(cause);
      expect(result.errors[0]).toContain(`AWS said: ${FAULTS[bucket].message}`);
      expect(result.errors[0]).toContain(`at ${faulty.url}`);
    });
  });

  it('waits out a 409 ConditionalRequestConflict with backoff, then says how often it was refused', async () => {
    const before = faulty.requests.filter((r) => r.startsWith('PUT /conflict/')).length;
    const result = await runAt(faulty.url, { bucket: 'conflict', mode: 'claim' }, '9701');
    expect(result.exitCode).toBe(1);
    expect(result.outputs.claimed).toBe('false');
    expect(result.errors).toEqual([
      expect.stringMatching(
        /^PutObject on s3:\/\/conflict\/.*\.claim-production at .* was refused with HTTP 409 \(ConditionalRequestConflict\) 6 times with backoff/,
      ),
    ]);
    expect(faulty.requests.filter((r) => r.startsWith('PUT /conflict/')).length - before).toBe(6);
  });

  it('names the region a 301 carries', async () => {
    const result = await runAt(faulty.url, { bucket: 'moved' }, '9501');
    expect(result.errors).toEqual([
      expect.stringContaining(
        'the bucket is in region eu-central-1, not the one the request went to (PermanentRedirect): set aws-region: eu-central-1',
      ),
    ]);
  });

  it('describes an answer that is not S3 XML: status, content type and first line', async () => {
    const result = await runAt(faulty.url, { bucket: 'gateway', 'timeout-seconds': '5' }, '9601');
    expect(result.errors).toEqual([
      expect.stringContaining(
        'failed with an answer that is not S3\'s (HTTP 502, text/html, first line: "<html><head><title>502 Bad Gateway</title></head>")',
      ),
    ]);
    expect(result.errors[0]).not.toContain('UnknownError');
  });
});

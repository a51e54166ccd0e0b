import { createWriteStream } from 'node:fs';
import type { Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import { UserError } from '@pipeline-actions/kit';
import { classifyS3Error, createS3Client } from '@pipeline-actions/kit/s3';
import type { S3Client } from '@aws-sdk/client-s3';
import type { S3Options } from './inputs.js';
import { Transform } from 'node:stream';

/** 5 MiB parts (the S3 minimum), 4 in flight: about 20 MiB of part buffers whatever the artifact size. */
const PART_SIZE = 5 * 1024 * 1024;
const QUEUE_SIZE = 4;

/** A client on the inputs' endpoint only: a record never chooses where a signed request goes. */
export function s3Client(options: S3Options): Promise<S3Client> {
  return createS3Client({
    region: options.region,
    endpoint: options.endpoint || undefined,
    forcePathStyle: options.forcePathStyle,
  });
}

export function s3Key(options: S3Options, service: string, name: string): string {
  return `${options.prefix}${service}/${name}`;
}

export function s3Failure(error: unknown, doing: string, bucket: string): Error {
  const kind = classifyS3Error(error);
  const detail = (error as Error)?.message ?? String(error);
  if (/Could not load credentials|CredentialsProviderError|credential/i.test(`${(error as Error)?.name} ${detail}`)) {
    return new UserError(
      `${doing} failed: no AWS credentials (${detail}). Add a step before this one: aws-actions/configure-aws-credentials with role-to-assume (a role allowed s3:GetObject and s3:PutObject on bucket '${bucket}') and aws-region, and give the job 'permissions: id-token: write' so it can assume the role through OIDC.`,
    );
  }
  switch (kind) {
    case 'no-such-bucket':
      return new UserError(`${doing} failed: bucket '${bucket}' does not exist (check 'bucket' and 'aws-region').`);
    case 'access-denied':
      return new UserError(
        `${doing} failed: access to bucket '${bucket}' was denied (${detail}); the role needs s3:PutObject and s3:GetObject on it.`,
      );
    case 'network':
      return new UserError(`${doing} failed: the S3 endpoint could not be reached (${detail}); check 's3-endpoint' and the network.`);
    default:
      return new Error(`${doing} failed: ${detail}`);
  }
}

/** Multipart streaming upload: the body is read part by part, never held whole. */
export async function uploadStream(client: S3Client, bucket: string, key: string, body: Readable, contentType: string): Promise<void> {
  const { Upload } = await import('@aws-sdk/lib-storage');
  const upload = new Upload({
    client,
    params: { Bucket: bucket, Key: key, Body: body, ContentType: contentType },
    partSize: PART_SIZE,
    queueSize: QUEUE_SIZE,
    leavePartsOnError: false,
  });
  try {
    await upload.done();
  } catch (error) {
    throw s3Failure(error, `Uploading s3://${bucket}/${key}`, bucket);
  }
}

export async function putJson(client: S3Client, bucket: string, key: string, text: string): Promise<void> {
  const { PutObjectCommand } = await import('@aws-sdk/client-s3');
  try {
    await client.send(new PutObjectCommand({ Bucket: bucket, Key: key, Body: text, ContentType: 'application/json' }));
  } catch (error) {
    throw s3Failure(error, `Writing the record s3://${bucket}/${key}`, bucket);
  }
}

/** Streams an object to a file, reading no more than `maxBytes`; 'missing' when the object does not exist. */
export async function downloadToFile(
  client: S3Client,
  bucket: string,
  key: string,
  file: string,
  maxBytes: number,
  what: string,
): Promise<'ok' | 'missing'> {
  const { GetObjectCommand } = await import('@aws-sdk/client-s3');
  let body: Readable;
  try {
    const out = await client.send(new GetObjectCommand({ Bucket: bucket, Key: key }));
    body = out.Body as Readable;
  } catch (error) {
    if (classifyS3Error(error) === 'no-such-key') return 'missing';
    throw s3Failure(error, `Downloading s3://${bucket}/${key} (${what})`, bucket);
  }
  let seen = 0;
  const cap = new Transform({
    transform(chunk: Buffer, _enc, done) {
      seen += chunk.length;
      if (seen > maxBytes)
        done(
          new UserError(
            `Refusing ${what}: s3://${bucket}/${key} is larger than the ${maxBytes} bytes its record says; nothing was extracted.`,
          ),
        );
      else done(null, chunk);
    },
  });
  await pipeline(body, cap, createWriteStream(file, { highWaterMark: 1 << 18 }));
  return 'ok';
}

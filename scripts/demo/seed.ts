// Seeds the loopback S3 server with a sample fragment batch: a few SigV4-signed HTTP requests, so the demo needs
// no AWS SDK of its own.
import { createHash, createHmac } from 'node:crypto';

export interface SampleTable {
  name: string;
  fragments: number;
  rowsPerFragment: number;
}

export interface SampleBatch {
  bucket: string;
  prefix: string;
  batchId: string;
  tables: SampleTable[];
  fragmentCount: number;
  totalBytes: number;
  /** Keys written that are not fragments (placeholder, manifest, a sibling batch's objects). */
  extraKeys: string[];
}

export const SAMPLE_TABLES: SampleTable[] = [
  { name: 'patients', fragments: 8, rowsPerFragment: 25 },
  { name: 'encounters', fragments: 14, rowsPerFragment: 40 },
  { name: 'lab_results', fragments: 12, rowsPerFragment: 60 },
  { name: 'medications', fragments: 6, rowsPerFragment: 30 },
];

/** A batch id for a real UTC moment an hour ago: `batch_YYYYMMDD_HHMMSS`. */
export function sampleBatchId(now = new Date()): string {
  const t = new Date(now.getTime() - 3600_000).toISOString();
  return `batch_${t.slice(0, 10).replace(/-/g, '')}_${t.slice(11, 19).replace(/:/g, '')}`;
}

export interface S3Access {
  endpoint: string;
  region: string;
  credentials: { accessKeyId: string; secretAccessKey: string };
}

export async function createBucket(s3: S3Access, bucket: string): Promise<void> {
  const res = await s3Request(s3, 'PUT', bucket, '');
  if (!res.ok) throw new Error(`Creating bucket ${bucket} on ${s3.endpoint} answered ${res.status}: ${await res.text()}`);
}

export async function putObject(s3: S3Access, bucket: string, key: string, body: string): Promise<void> {
  const res = await s3Request(s3, 'PUT', bucket, key, body);
  if (!res.ok) throw new Error(`PUT s3://${bucket}/${key} answered ${res.status}: ${await res.text()}`);
}

export async function getObject(s3: S3Access, bucket: string, key: string): Promise<string | undefined> {
  const res = await s3Request(s3, 'GET', bucket, key);
  if (res.status === 404) return undefined;
  if (!res.ok) throw new Error(`GET s3://${bucket}/${key} answered ${res.status}: ${await res.text()}`);
  return res.text();
}

/** One path-style S3 request signed with AWS Signature Version 4 (the same credentials the actions get). */
async function s3Request(s3: S3Access, method: 'GET' | 'PUT', bucket: string, key: string, body?: string): Promise<Response> {
  const url = new URL(`${s3.endpoint}/${bucket}${key ? `/${key.split('/').map(uriEncode).join('/')}` : ''}`);
  const amzDate = new Date()
    .toISOString()
    .replace(/[-:]/g, '')
    .replace(/\.\d{3}/, '');
  const day = amzDate.slice(0, 8);
  const payloadHash = sha256Hex(body ?? '');
  const headers: Record<string, string> = { host: url.host, 'x-amz-content-sha256': payloadHash, 'x-amz-date': amzDate };
  if (body !== undefined) headers['content-type'] = 'application/octet-stream';
  const names = Object.keys(headers).sort();
  const canonical = [method, url.pathname, '', ...names.map((n) => `${n}:${headers[n]}`), '', names.join(';'), payloadHash].join('\n');
  const scope = `${day}/${s3.region}/s3/aws4_request`;
  const toSign = ['AWS4-HMAC-SHA256', amzDate, scope, sha256Hex(canonical)].join('\n');
  let signingKey = hmac(`AWS4${s3.credentials.secretAccessKey}`, day);
  for (const part of [s3.region, 's3', 'aws4_request']) signingKey = hmac(signingKey, part);
  const signature = createHmac('sha256', signingKey).update(toSign).digest('hex');
  headers.authorization = `AWS4-HMAC-SHA256 Credential=${s3.credentials.accessKeyId}/${scope}, SignedHeaders=${names.join(';')}, Signature=${signature}`;
  delete headers.host;
  return fetch(url, { method, headers, body });
}

function uriEncode(segment: string): string {
  return encodeURIComponent(segment).replace(/[!'()*]/g, (c) => `%${c.charCodeAt(0).toString(16).toUpperCase()}`);
}

function sha256Hex(data: string): string {
  return createHash('sha256').update(data).digest('hex');
}

function hmac(key: string | Buffer, data: string): Buffer {
  return createHmac('sha256', key).update(data).digest();
}

function fragmentBody(table: string, part: number, rows: number): string {
  const lines = ['id,batch_row,value,recorded_at'];
  for (let r = 0; r < rows; r++) {
    const id = part * 1000 + r;
    lines.push(`${table.slice(0, 3)}-${id},${r},${((id * 7919) % 10007) / 100},2026-11-24T0${r % 10}:00:00Z`);
  }
  return `${lines.join('\n')}\n`;
}

/**
 * Writes `{prefix}{batchId}/{table}/part-NNNNN.csv` fragments, a directory placeholder, a `manifest.json`
 * listing every fragment with its size, and a sibling batch (`{batchId}0/`) that a prefix without the
 * trailing slash would wrongly include.
 */
export async function seedSampleBatch(s3: S3Access, bucket: string, batchId: string, prefix = 'validated/'): Promise<SampleBatch> {
  await createBucket(s3, bucket);
  const base = `${prefix}${batchId}/`;
  const files: { key: string; size: number }[] = [];
  const puts: Promise<void>[] = [];
  for (const table of SAMPLE_TABLES) {
    for (let part = 0; part < table.fragments; part++) {
      const key = `${table.name}/part-${String(part).padStart(5, '0')}.csv`;
      const body = fragmentBody(table.name, part, table.rowsPerFragment);
      files.push({ key, size: Buffer.byteLength(body) });
      puts.push(putObject(s3, bucket, `${base}${key}`, body));
    }
  }
  await Promise.all(puts);
  const sibling = `${prefix}${batchId}0/`;
  const extraKeys = [base, `${base}manifest.json`, `${sibling}patients/part-00000.csv`, `${sibling}patients/part-00001.csv`];
  await putObject(s3, bucket, base, '');
  await putObject(s3, bucket, `${base}manifest.json`, `${JSON.stringify({ batch_id: batchId, files }, null, 2)}\n`);
  await putObject(s3, bucket, extraKeys[2], fragmentBody('patients', 0, 3));
  await putObject(s3, bucket, extraKeys[3], fragmentBody('patients', 1, 3));
  return {
    bucket,
    prefix,
    batchId,
    tables: SAMPLE_TABLES,
    fragmentCount: files.length,
    totalBytes: files.reduce((sum, f) => sum + f.size, 0),
    extraKeys,
  };
}

// --state DIR: the services' state kept between runs. S3 objects as files, the GitHub fake's route states and the
// Slack messages as tagged JSON (Maps, Dates and Buffers survive), PostgreSQL's data directory as it is.
import { existsSync, mkdirSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { dirname, join, relative } from 'node:path';
import {
  CreateBucketCommand,
  GetObjectCommand,
  ListBucketsCommand,
  ListObjectsV2Command,
  PutObjectCommand,
  type S3Client,
} from '@aws-sdk/client-s3';
import type { FakeGitHubApi } from '../../../packages/testing/src/github/index.js';
import type { SlackServer } from '../../../packages/testing/src/slack-server.js';

export async function listAllObjects(client: S3Client): Promise<Record<string, string[]>> {
  const out: Record<string, string[]> = {};
  for (const bucket of (await client.send(new ListBucketsCommand({}))).Buckets ?? []) {
    const keys: string[] = [];
    let token: string | undefined;
    for (let page = 0; page < 1000; page++) {
      const r = await client.send(new ListObjectsV2Command({ Bucket: bucket.Name, ContinuationToken: token }));
      keys.push(...(r.Contents ?? []).map((o) => o.Key ?? ''));
      token = r.NextContinuationToken;
      if (!token) break;
    }
    out[bucket.Name ?? ''] = keys.sort();
  }
  return out;
}

export async function saveS3State(client: S3Client, dir: string): Promise<void> {
  rmSync(dir, { recursive: true, force: true });
  mkdirSync(dir, { recursive: true });
  for (const [bucket, keys] of Object.entries(await listAllObjects(client))) {
    mkdirSync(join(dir, bucket), { recursive: true });
    for (const key of keys) {
      const body = await (await client.send(new GetObjectCommand({ Bucket: bucket, Key: key }))).Body?.transformToByteArray();
      const file = join(dir, bucket, `${encodeURIComponent(key)}`);
      writeFileSync(file, body ?? new Uint8Array());
    }
  }
}

export async function loadS3State(client: S3Client, dir: string): Promise<void> {
  if (!existsSync(dir)) return;
  const existing = new Set(((await client.send(new ListBucketsCommand({}))).Buckets ?? []).map((b) => b.Name));
  for (const bucket of readdirSync(dir)) {
    if (!statSync(join(dir, bucket)).isDirectory()) continue;
    if (!existing.has(bucket)) await client.send(new CreateBucketCommand({ Bucket: bucket }));
    for (const file of readdirSync(join(dir, bucket))) {
      await client.send(
        new PutObjectCommand({ Bucket: bucket, Key: decodeURIComponent(file), Body: readFileSync(join(dir, bucket, file)) }),
      );
    }
  }
  void relative;
}

function encode(value: unknown): unknown {
  if (value instanceof Map) return { __map: [...value].map(([k, v]) => [encode(k), encode(v)]) };
  if (value instanceof Set) return { __set: [...value].map(encode) };
  if (value instanceof Date) return { __date: value.toISOString() };
  if (Buffer.isBuffer(value)) return { __buffer: value.toString('base64') };
  if (Array.isArray(value)) return value.map(encode);
  if (value && typeof value === 'object')
    return Object.fromEntries(
      Object.entries(value)
        .filter(([, v]) => typeof v !== 'function')
        .map(([k, v]) => [k, encode(v)]),
    );
  return value;
}

function decode(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(decode);
  if (value && typeof value === 'object') {
    const o = value as Record<string, unknown>;
    if ('__map' in o) return new Map((o.__map as [unknown, unknown][]).map(([k, v]) => [decode(k), decode(v)]));
    if ('__set' in o) return new Set((o.__set as unknown[]).map(decode));
    if ('__date' in o) return new Date(o.__date as string);
    if ('__buffer' in o) return Buffer.from(o.__buffer as string, 'base64');
    return Object.fromEntries(Object.entries(o).map(([k, v]) => [k, decode(v)]));
  }
  return value;
}

/** The data (arrays, Maps, Sets) of each route module's state; functions and server URLs stay with the live fake. */
const MODULES = ['issues', 'git', 'artifacts', 'statuses', 'collaborators', 'deployments', 'workflows', 'reviews'] as const;
const SKIP = new Set(['blobUrl', 'blobRequests', 'url']);

export function saveGitHubState(github: FakeGitHubApi, file: string): void {
  const out: Record<string, unknown> = { nextId: (github.server as unknown as { nextIdValue: number }).nextIdValue };
  for (const name of MODULES) {
    const state = github[name] as unknown as Record<string, unknown> | undefined;
    if (!state) continue;
    const data: Record<string, unknown> = {};
    for (const [key, value] of Object.entries(state)) {
      if (SKIP.has(key) || typeof value === 'function') continue;
      if (Array.isArray(value) || value instanceof Map || value instanceof Set) data[key] = encode(value);
    }
    out[name] = data;
  }
  mkdirSync(dirname(file), { recursive: true });
  writeFileSync(file, JSON.stringify(out));
}

export function loadGitHubState(github: FakeGitHubApi, file: string): void {
  if (!existsSync(file)) return;
  const saved = JSON.parse(readFileSync(file, 'utf8')) as Record<string, Record<string, unknown>> & { nextId?: number };
  if (saved.nextId) (github.server as unknown as { nextIdValue: number }).nextIdValue = saved.nextId;
  for (const name of MODULES) {
    const state = github[name] as unknown as Record<string, unknown> | undefined;
    const data = saved[name];
    if (!state || !data) continue;
    for (const [key, encoded] of Object.entries(data)) {
      const live = state[key];
      const value = decode(encoded);
      // Restore in place: route handlers hold these very objects.
      if (Array.isArray(live) && Array.isArray(value)) live.push(...value);
      else if (live instanceof Map && value instanceof Map) for (const [k, v] of value) live.set(k, v);
      else if (live instanceof Set && value instanceof Set) for (const v of value) live.add(v);
    }
  }
}

export function saveSlackState(slack: SlackServer, file: string): void {
  writeFileSync(file, JSON.stringify(encode(slack.messages)));
}

export function loadSlackState(slack: SlackServer, file: string): void {
  if (!existsSync(file)) return;
  slack.messages.push(...(decode(JSON.parse(readFileSync(file, 'utf8'))) as SlackServer['messages']));
}

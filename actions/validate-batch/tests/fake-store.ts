import { createHash } from 'node:crypto';
import type { BatchStore, ListPage, StoredObject } from '../src/store.js';

const etagOf = (body: string) => `"${createHash('md5').update(body).digest('hex')}"`;

/**
 * An in-memory BatchStore that lists like S3 (sorted keys, delimiter, continuation tokens) with small pages
 * and honours If-None-Match / If-Match, unless made to ignore them like a store without conditional writes.
 */
export class FakeStore implements BatchStore {
  readonly objects = new Map<string, string>();
  readonly requests: string[] = [];
  readonly name = 'http://fake-s3';
  honoursConditions = true;

  constructor(private readonly pageSize = 3) {}

  put(key: string, body = 'x'): this {
    this.objects.set(key, body);
    return this;
  }

  uri(key: string): string {
    return `s3://fake/${key}`;
  }

  async list(prefix: string, options: { delimiter?: string; token?: string; maxKeys?: number } = {}): Promise<ListPage> {
    this.requests.push(`list ${prefix}${options.delimiter ? ' /' : ''}`);
    const entries: { key: string; size?: number }[] = [];
    const seenPrefixes = new Set<string>();
    for (const key of [...this.objects.keys()].sort()) {
      if (!key.startsWith(prefix)) continue;
      const rest = key.slice(prefix.length);
      const at = options.delimiter ? rest.indexOf(options.delimiter) : -1;
      if (at >= 0) {
        const common = prefix + rest.slice(0, at + 1);
        if (!seenPrefixes.has(common)) {
          seenPrefixes.add(common);
          entries.push({ key: common });
        }
      } else {
        entries.push({ key, size: Buffer.byteLength(this.objects.get(key)!) });
      }
    }
    const start = options.token ? Number(options.token) : 0;
    const size = Math.min(options.maxKeys ?? this.pageSize, this.pageSize);
    const page = entries.slice(start, start + size);
    return {
      objects: page.filter((e) => e.size !== undefined).map((e) => ({ key: e.key, size: e.size!, etag: etagOf(this.objects.get(e.key)!) })),
      prefixes: page.filter((e) => e.size === undefined).map((e) => e.key),
      next: start + size < entries.length ? String(start + size) : undefined,
    };
  }

  async read(key: string): Promise<StoredObject | undefined> {
    this.requests.push(`read ${key}`);
    const body = this.objects.get(key);
    return body === undefined ? undefined : { body, etag: etagOf(body) };
  }

  async createIfAbsent(key: string, body: string): Promise<'created' | 'exists'> {
    this.requests.push(`create ${key}`);
    if (this.honoursConditions && this.objects.has(key)) return 'exists';
    this.objects.set(key, body);
    return 'created';
  }

  async replaceIf(key: string, body: string, etag: string): Promise<'replaced' | 'changed'> {
    this.requests.push(`replace ${key}`);
    const current = this.objects.get(key);
    if (this.honoursConditions && (current === undefined || etagOf(current) !== etag)) return 'changed';
    this.objects.set(key, body);
    return 'replaced';
  }

  async deleteIf(key: string, etag: string): Promise<'deleted' | 'changed'> {
    this.requests.push(`delete ${key}`);
    const current = this.objects.get(key);
    if (current === undefined) return 'changed';
    if (this.honoursConditions && etagOf(current) !== etag) return 'changed';
    this.objects.delete(key);
    return 'deleted';
  }
}

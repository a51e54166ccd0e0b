import type { BatchStore, ListPage } from '../src/store.js';

/** An in-memory BatchStore that lists like S3 (sorted keys, delimiter, continuation tokens) with small pages. */
export class FakeStore implements BatchStore {
  readonly objects = new Map<string, string>();
  readonly requests: string[] = [];

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
      objects: page.filter((e) => e.size !== undefined).map((e) => ({ key: e.key, size: e.size! })),
      prefixes: page.filter((e) => e.size === undefined).map((e) => e.key),
      next: start + size < entries.length ? String(start + size) : undefined,
    };
  }

  async read(key: string): Promise<string | undefined> {
    this.requests.push(`read ${key}`);
    return this.objects.get(key);
  }

  async createIfAbsent(key: string, body: string): Promise<'created' | 'exists'> {
    this.requests.push(`create ${key}`);
    if (this.objects.has(key)) return 'exists';
    this.objects.set(key, body);
    return 'created';
  }
}

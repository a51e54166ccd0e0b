import { afterAll, describe, expect, it } from '@jest/globals';
import { createHash } from 'node:crypto';
import { createWriteStream, existsSync, mkdirSync, mkdtempSync, readFileSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pipeline } from 'node:stream/promises';
import * as zlib from 'node:zlib';
import { createGzip, gunzipSync } from 'node:zlib';
import { execFileSync } from 'node:child_process';
import { createCompressor } from '../src/compress.js';
import * as tar from 'tar-stream';
import { extractArchive, safeEntryPath } from '../src/extract.js';
import { getInputs } from '../src/inputs.js';
import { collectEntries, packArchive } from '../src/pack.js';
import { parseRecord, parseS3Uri } from '../src/record.js';
import { compareNewestFirst, computeVersion, versionTimestamp } from '../src/version.js';

const LIMITS = { maxBytes: 1 << 20, maxEntries: 100 };
const dirs: string[] = [];
const tempDir = () => {
  const d = mkdtempSync(join(tmpdir(), 'promote-unit-'));
  dirs.push(d);
  return d;
};
afterAll(() => {
  for (const d of dirs) rmSync(d, { recursive: true, force: true });
});

describe('versions', () => {
  it('computes {sha7}-{YYYYMMDD-HHMMSS} in UTC', () => {
    expect(computeVersion('84fb588e0c1d2b3a', new Date('2025-01-20T14:30:22Z'))).toBe('84fb588-20250120-143022');
  });

  it('orders by the time inside the version, not by name', () => {
    const versions = ['fff0001-20250301-100000', 'aaa0002-20250302-100000', '0000003-20241231-235959'].map((version) => ({
      version,
      tag: `qa-${version}`,
    }));
    expect(versions.sort(compareNewestFirst).map((v) => v.version)).toEqual([
      'aaa0002-20250302-100000',
      'fff0001-20250301-100000',
      '0000003-20241231-235959',
    ]);
  });

  it('breaks equal or missing timestamps by tag date', () => {
    const a = { version: 'release-a', tag: 'qa-release-a', tagDate: '2025-01-02T00:00:00Z' };
    const b = { version: 'release-b', tag: 'qa-release-b', tagDate: '2025-01-03T00:00:00Z' };
    expect([a, b].sort(compareNewestFirst)[0]).toBe(b);
    expect(versionTimestamp('release-a')).toBeUndefined();
  });
});

describe('records', () => {
  it('reads the JSON record out of a tag message and rejects anything else', () => {
    const sha256 = 'a'.repeat(64);
    expect(parseRecord(`${JSON.stringify({ sha256, artifact_name: 'x.tar.gz', size: 1, version: 'v' })}\n`)).toMatchObject({ sha256 });
    expect(parseRecord('just a message')).toBeUndefined();
    expect(parseRecord('{"sha256":"nothex","artifact_name":"x"}')).toBeUndefined();
    expect(parseS3Uri('s3://bucket/a/b.tar.gz')).toEqual({ bucket: 'bucket', key: 'a/b.tar.gz' });
  });
});

describe('deterministic packing and safe extraction', () => {
  it('gives the same bytes for the same files and round-trips them', async () => {
    const root = tempDir();
    mkdirSync(join(root, 'dist', 'sub'), { recursive: true });
    writeFileSync(join(root, 'dist', 'b.txt'), 'b');
    writeFileSync(join(root, 'dist', 'sub', 'a.txt'), 'a');
    const entries = await collectEntries(
      [join(root, 'dist', 'sub', 'a.txt'), join(root, 'dist'), join(root, 'dist', 'b.txt'), join(root, 'dist', 'sub')],
      root,
    );
    expect(entries.map((e) => e.name)).toEqual(['dist', 'dist/b.txt', 'dist/sub', 'dist/sub/a.txt']);
    const one = await packArchive(entries, createWriteStream(join(root, 'one.tar.gz')), 'gzip', 6);
    const two = await packArchive(entries, createWriteStream(join(root, 'two.tar.gz')), 'gzip', 6);
    expect(two.sha256).toBe(one.sha256);
    expect(
      createHash('sha256')
        .update(readFileSync(join(root, 'one.tar.gz')))
        .digest('hex'),
    ).toBe(one.sha256);
    await extractArchive(join(root, 'one.tar.gz'), join(root, 'out'), 'gzip', LIMITS);
    expect(readFileSync(join(root, 'out', 'dist', 'sub', 'a.txt'), 'utf8')).toBe('a');
  });

  it('refuses paths outside the destination and extracts nothing', async () => {
    expect(() => safeEntryPath('/tmp/x', '../etc/passwd')).toThrow(/unsafe path/);
    expect(() => safeEntryPath('/tmp/x', '/etc/passwd')).toThrow(/unsafe path/);
    const root = tempDir();
    const pack = tar.pack();
    pack.entry({ name: 'ok.txt' }, 'fine');
    pack.entry({ name: '../evil.txt' }, 'evil');
    pack.finalize();
    await pipeline(pack, createGzip(), createWriteStream(join(root, 'bad.tar.gz')));
    await expect(extractArchive(join(root, 'bad.tar.gz'), join(root, 'dest'), 'gzip', LIMITS)).rejects.toThrow(/unsafe path/);
    expect(existsSync(join(root, 'evil.txt'))).toBe(false);
    expect(existsSync(join(root, 'dest'))).toBe(false);
    expect(readdirSync(root)).toEqual(['bad.tar.gz']);
  });
});

describe('inputs', () => {
  const read = (values: Record<string, string>) => () =>
    getInputs((name) => ({ stages: 'build, qa, prod', store: 'github', 's3-prefix': 'artifacts/', token: 'ghs_x', ...values })[name] ?? '');

  it('names every bad input at once', () => {
    expect(read({ mode: 'fetch', service: 'api', version: 'v1', stage: 'staging' })).toThrow(
      /Input 'version': 'v1' does not match[\s\S]*Input 'stage': 'staging' is not one of the stages: build, qa, prod/,
    );
  });

  it('refuses mark on the first stage and s3 without a bucket', () => {
    expect(read({ mode: 'mark', service: 'api', version: '84fb588-20250120-143022', stage: 'build' })).toThrow(/first stage/);
    expect(read({ mode: 'publish', service: 'api', path: 'dist', store: 'both' })).toThrow(/Input 'bucket': is required with store: both/);
  });

  it('accepts a custom version pattern and stage order', () => {
    const inputs = read({
      mode: 'fetch',
      service: 'api',
      version: 'v1.2.3',
      'version-pattern': '^v\\d+\\.\\d+\\.\\d+$',
      stages: 'build, staging, live',
      stage: 'live',
    })();
    expect(inputs).toMatchObject({ version: 'v1.2.3', stage: 'live', stages: ['build', 'staging', 'live'], destination: 'artifact' });
  });
});

describe('parallel compression', () => {
  const payload = Buffer.from(Array.from({ length: 3 * 1024 * 1024 + 123 }, (_, i) => (i * 7919) % 251));
  const compressAll = async (c: 'gzip' | 'zstd') => {
    const chunks: Buffer[] = [];
    const compressor = createCompressor(c, 3, 2);
    const done = (async () => {
      for await (const chunk of compressor) chunks.push(chunk as Buffer);
    })();
    for (let i = 0; i < payload.length; i += 100_000) compressor.write(payload.subarray(i, i + 100_000));
    compressor.end();
    await done;
    return Buffer.concat(chunks);
  };

  it('writes gzip as independent members that one gunzip reads whole, in order', async () => {
    const gz = await compressAll('gzip');
    // Four 1 MiB blocks: four gzip members, each starting with the gzip magic.
    expect(gz.subarray(0, 2).toString('hex')).toBe('1f8b');
    expect(gunzipSync(gz).equals(payload)).toBe(true);
  });

  it('packs an archive that tar xzf reads', async () => {
    const root = tempDir();
    mkdirSync(join(root, 'dist'));
    writeFileSync(join(root, 'dist', 'big.bin'), payload);
    const entries = await collectEntries([join(root, 'dist'), join(root, 'dist', 'big.bin')], root);
    await packArchive(entries, createWriteStream(join(root, 'a.tar.gz')), 'gzip', 6);
    mkdirSync(join(root, 'x'));
    execFileSync('tar', ['xzf', join(root, 'a.tar.gz'), '-C', join(root, 'x')]);
    expect(readFileSync(join(root, 'x', 'dist', 'big.bin')).equals(payload)).toBe(true);
  });

  const zstd = (zlib as unknown as { zstdDecompressSync?: (b: Buffer) => Buffer }).zstdDecompressSync;
  (zstd ? it : it.skip)('writes zstd frames that one decompressor reads whole (Node 24)', async () => {
    expect(zstd!(await compressAll('zstd')).equals(payload)).toBe(true);
  });
});

describe('extraction limits', () => {
  it('stops at the byte limit before the oversized file is written, leaving nothing', async () => {
    const root = tempDir();
    const pack = tar.pack();
    pack.entry({ name: 'a.txt', size: 1 }, Buffer.from('a'));
    pack.entry({ name: 'zeros.bin', size: 4 << 20 }, Buffer.alloc(4 << 20));
    pack.finalize();
    await pipeline(pack, createGzip(), createWriteStream(join(root, 'bomb.tar.gz')));
    await expect(extractArchive(join(root, 'bomb.tar.gz'), join(root, 'dest'), 'gzip', { maxBytes: 1000, maxEntries: 10 })).rejects.toThrow(
      /exceeds 1000 unpacked bytes at 'zeros.bin'/,
    );
    expect(readdirSync(root)).toEqual(['bomb.tar.gz']);
  });
});

import { availableParallelism } from 'node:os';
import { PassThrough, Transform, type TransformCallback } from 'node:stream';
import * as zlib from 'node:zlib';
import { UserError } from '@pipeline-actions/kit';
import type { Compression } from './inputs.js';

/** Bytes per independent gzip member / zstd frame: large enough to keep the ratio, small enough to spread over cores. */
export const BLOCK_SIZE = 1 << 20;

type Compress = (block: Buffer) => Promise<Buffer>;

function compressorOf(compression: Exclude<Compression, 'none'>, level: number): Compress {
  if (compression === 'gzip') {
    return (block) =>
      new Promise((resolve, reject) => zlib.gzip(block, { level, memLevel: 9 }, (err, out) => (err ? reject(err) : resolve(out))));
  }
  const z = zlib as unknown as {
    zstdCompress?: (b: Buffer, o: object, cb: (err: Error | null, out: Buffer) => void) => void;
    constants: Record<string, number>;
  };
  if (typeof z.zstdCompress !== 'function') throw zstdMissing();
  const params = { [z.constants.ZSTD_c_compressionLevel]: level };
  return (block) => new Promise((resolve, reject) => z.zstdCompress!(block, { params }, (err, out) => (err ? reject(err) : resolve(out))));
}

function zstdMissing(): UserError {
  return new UserError(
    `Input 'compression': zstd needs Node.js 24's zlib (this runtime is ${process.version}); the action runs on node24 on GitHub. Use compression: gzip on older runners.`,
  );
}

/**
 * Compresses a stream as independent gzip members (or zstd frames) of BLOCK_SIZE bytes, up to `parallel`
 * blocks at once on libuv's thread pool, written in order. Concatenated members are one valid .gz that
 * `tar xzf` and any gunzip read; concatenated frames are one valid .zst. Memory is bounded: at most
 * `parallel` blocks in flight, and the transform's callback waits for the oldest block when the pool is full.
 */
export function createCompressor(compression: Compression, level: number, parallel = availableParallelism()): Transform {
  if (compression === 'none') return new PassThrough({ highWaterMark: 1 << 18 });
  const compress = compressorOf(compression, level);
  const inflight: Promise<Buffer>[] = [];
  let pending: Buffer[] = [];
  let pendingBytes = 0;
  const slots = Math.max(1, parallel);

  const submit = (block: Buffer) => {
    const job = compress(block);
    job.catch(() => undefined); // observed when awaited in order
    inflight.push(job);
  };
  const takeBlock = (): Buffer => {
    const all = pending.length === 1 ? pending[0] : Buffer.concat(pending);
    const block = all.subarray(0, BLOCK_SIZE);
    const rest = all.subarray(BLOCK_SIZE);
    pending = rest.length ? [rest] : [];
    pendingBytes = rest.length;
    return block;
  };

  return new Transform({
    readableHighWaterMark: 1 << 20,
    writableHighWaterMark: 1 << 18,
    transform(this: Transform, chunk: Buffer, _enc: BufferEncoding, done: TransformCallback) {
      pending.push(chunk);
      pendingBytes += chunk.length;
      const drain = async () => {
        while (pendingBytes >= BLOCK_SIZE) {
          submit(takeBlock());
          while (inflight.length >= slots) this.push(await inflight.shift()!);
        }
      };
      drain().then(() => done(), done);
    },
    flush(this: Transform, done: TransformCallback) {
      const finish = async () => {
        if (pendingBytes > 0 || inflight.length === 0) submit(pendingBytes > 0 ? takeBlock() : Buffer.alloc(0));
        while (inflight.length > 0) this.push(await inflight.shift()!);
      };
      finish().then(() => done(), done);
    },
  });
}

/** The matching decompressor (gunzip reads every concatenated member, zstd every frame). */
export function createDecompressor(compression: Compression): Transform {
  if (compression === 'gzip') return zlib.createGunzip({ chunkSize: 1 << 16 });
  if (compression === 'none') return new PassThrough({ highWaterMark: 1 << 18 });
  const z = zlib as unknown as { createZstdDecompress?: () => Transform };
  if (typeof z.createZstdDecompress !== 'function') throw zstdMissing();
  return z.createZstdDecompress();
}

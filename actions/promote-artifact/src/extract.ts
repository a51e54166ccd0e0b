import { createHash } from 'node:crypto';
import { createReadStream, createWriteStream, promises as fs } from 'node:fs';
import { dirname, isAbsolute, join, resolve, sep } from 'node:path';
import { Transform } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import * as tar from 'tar-stream';
import { createDecompressor } from './compress.js';
import type { Compression } from './inputs.js';

export async function sha256File(file: string): Promise<{ sha256: string; size: number }> {
  const hash = createHash('sha256');
  let size = 0;
  for await (const chunk of createReadStream(file, { highWaterMark: 1 << 18 })) {
    hash.update(chunk as Buffer);
    size += (chunk as Buffer).length;
  }
  return { sha256: hash.digest('hex'), size };
}

/** Where an archive entry may land: inside `root`, never through `..` or an absolute path. */
export function safeEntryPath(root: string, name: string): string {
  const clean = name.replace(/\/+$/, '');
  if (clean === '' || clean.startsWith('/') || /^[A-Za-z]:/.test(clean) || clean.split('/').some((p) => p === '..')) {
    throw new Error(`The archive holds an unsafe path '${name}'; nothing was extracted.`);
  }
  const target = resolve(root, clean);
  if (!target.startsWith(root + sep)) throw new Error(`The archive holds an unsafe path '${name}'; nothing was extracted.`);
  return target;
}

export interface ExtractLimits {
  /** File content bytes the archive may unpack to. */
  maxBytes: number;
  /** Entries (files, directories, links) it may hold. */
  maxEntries: number;
}

/** The archive unpacks to more than its limits allow: a decompression bomb, or a record that lies. */
export class ExtractLimitError extends Error {
  constructor(
    readonly limit: 'bytes' | 'entries',
    readonly entry: string,
    readonly max: number,
  ) {
    super(`the archive exceeds ${max} ${limit === 'bytes' ? 'unpacked bytes' : 'entries'} at '${entry}'`);
    this.name = 'ExtractLimitError';
  }
}

/**
 * Extracts an archive into a fresh temporary directory beside `destination`, then moves its top-level
 * entries into `destination`. The limits are checked on every header before its bytes are written and on
 * the bytes as they stream; a failure part-way removes the temporary directory, so nothing is left behind
 * and `destination` is untouched. Links stay links when they point inside the tree; nothing is written
 * through a link.
 */
export async function extractArchive(
  archive: string,
  destination: string,
  compression: Compression,
  limits: ExtractLimits,
): Promise<{ files: number; bytes: number }> {
  const dest = resolve(destination);
  await fs.mkdir(dirname(dest), { recursive: true });
  const staging = await fs.mkdtemp(join(dirname(dest), `.${basenameOf(dest)}.extract-`));
  const realStaging = await fs.realpath(staging);
  let files = 0;
  let entries = 0;
  let bytes = 0;
  try {
    const extract = tar.extract();
    extract.on('entry', (header, stream, next) => {
      const handle = async () => {
        entries++;
        if (entries > limits.maxEntries) throw new ExtractLimitError('entries', header.name, limits.maxEntries);
        const target = safeEntryPath(staging, header.name);
        if (header.type === 'directory') {
          await fs.mkdir(target, { recursive: true });
          await insideTree(realStaging, target, header.name);
          stream.resume();
          return;
        }
        await fs.mkdir(dirname(target), { recursive: true });
        await insideTree(realStaging, dirname(target), header.name);
        if (header.type === 'symlink') {
          const link = header.linkname ?? '';
          const to = resolve(dirname(target), link);
          if (link === '' || isAbsolute(link) || (to !== staging && !to.startsWith(staging + sep))) {
            throw new Error(`The archive holds a link '${header.name}' to '${link}', outside the tree; nothing was extracted.`);
          }
          await fs.symlink(link, target);
          stream.resume();
          return;
        }
        if (header.type !== 'file' && header.type !== 'contiguous-file') {
          throw new Error(`The archive holds '${header.name}' of type ${header.type}; only files, directories and links are extracted.`);
        }
        if (bytes + (header.size ?? 0) > limits.maxBytes) throw new ExtractLimitError('bytes', header.name, limits.maxBytes);
        const counter = new Transform({
          transform(chunk: Buffer, _enc, done) {
            bytes += chunk.length;
            if (bytes > limits.maxBytes) done(new ExtractLimitError('bytes', header.name, limits.maxBytes));
            else done(null, chunk);
          },
        });
        await pipeline(stream, counter, createWriteStream(target, { flags: 'wx', mode: (header.mode ?? 0o644) & 0o111 ? 0o755 : 0o644 }));
        files++;
      };
      handle().then(
        () => next(),
        (err: Error) => {
          // Destroying the extractor destroys this entry's stream with the same error: it is reported once, by pipeline.
          stream.on('error', () => undefined);
          stream.resume();
          next(err);
        },
      );
    });
    await pipeline(createReadStream(archive, { highWaterMark: 1 << 18 }), createDecompressor(compression), extract);
    await fs.mkdir(dest, { recursive: true });
    for (const name of await fs.readdir(staging)) {
      const to = join(dest, name);
      await fs.rm(to, { recursive: true, force: true });
      await fs.rename(join(staging, name), to);
    }
  } finally {
    await fs.rm(staging, { recursive: true, force: true });
  }
  return { files, bytes };
}

/** Refuses to write through a link: the real directory must still be inside the staging tree. */
async function insideTree(realStaging: string, dir: string, name: string): Promise<void> {
  const real = await fs.realpath(dir);
  if (real !== realStaging && !real.startsWith(realStaging + sep)) {
    throw new Error(`The archive writes '${name}' through a link that leaves the tree; nothing was extracted.`);
  }
}

function basenameOf(path: string): string {
  const parts = path.split(sep).filter(Boolean);
  return parts[parts.length - 1] ?? 'artifact';
}

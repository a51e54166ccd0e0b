import { createHash } from 'node:crypto';
import { createReadStream, createWriteStream, promises as fs } from 'node:fs';
import { dirname, join, resolve, sep } from 'node:path';
import { pipeline } from 'node:stream/promises';
import { createGunzip } from 'node:zlib';
import * as tar from 'tar-stream';
import { gcNudge, gcTap } from './memory.js';

export async function sha256File(file: string): Promise<{ sha256: string; size: number }> {
  const hash = createHash('sha256');
  let size = 0;
  const nudge = gcNudge();
  for await (const chunk of createReadStream(file, { highWaterMark: 1 << 18 })) {
    hash.update(chunk as Buffer);
    size += (chunk as Buffer).length;
    nudge((chunk as Buffer).length);
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

/**
 * Extracts a tar.gz into a fresh temporary directory beside `destination`, then moves its
 * top-level entries into `destination`. A failure part-way leaves `destination` untouched.
 */
export async function extractTarGz(archive: string, destination: string): Promise<{ files: number }> {
  const dest = resolve(destination);
  await fs.mkdir(dirname(dest), { recursive: true });
  const staging = await fs.mkdtemp(join(dirname(dest), `.${basenameOf(dest)}.extract-`));
  let files = 0;
  try {
    const extract = tar.extract();
    extract.on('entry', (header, stream, next) => {
      const handle = async () => {
        const target = safeEntryPath(staging, header.name);
        if (header.type === 'directory') {
          await fs.mkdir(target, { recursive: true });
          stream.resume();
          return;
        }
        if (header.type !== 'file' && header.type !== 'contiguous-file') {
          throw new Error(`The archive holds '${header.name}' of type ${header.type}; only files and directories are extracted.`);
        }
        await fs.mkdir(dirname(target), { recursive: true });
        await pipeline(stream, createWriteStream(target, { mode: (header.mode ?? 0o644) & 0o111 ? 0o755 : 0o644 }));
        files++;
      };
      handle().then(
        () => next(),
        (err: Error) => {
          stream.resume();
          next(err);
        },
      );
    });
    await pipeline(createReadStream(archive, { highWaterMark: 1 << 18 }), createGunzip(), gcTap(), extract);
    await fs.mkdir(dest, { recursive: true });
    for (const name of await fs.readdir(staging)) {
      const to = join(dest, name);
      await fs.rm(to, { recursive: true, force: true });
      await fs.rename(join(staging, name), to);
    }
  } finally {
    await fs.rm(staging, { recursive: true, force: true });
  }
  return { files };
}

function basenameOf(path: string): string {
  const parts = path.split(sep).filter(Boolean);
  return parts[parts.length - 1] ?? 'artifact';
}

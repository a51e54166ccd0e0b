import { createHash } from 'node:crypto';
import { createReadStream, promises as fs } from 'node:fs';
import { dirname, isAbsolute, relative, resolve, sep } from 'node:path';
import { Transform, Writable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import { UserError } from '@pipeline-actions/kit';
import * as tar from 'tar-stream';
import { createCompressor } from './compress.js';
import type { Compression } from './inputs.js';

/** One thing to pack: its path inside the archive and on disk. */
export interface PackEntry {
  name: string;
  source: string;
  type: 'file' | 'directory' | 'symlink';
  size: number;
  executable: boolean;
  /** Symlink target, as stored (relative, inside the packed tree). */
  linkname?: string;
}

export interface PackResult {
  sha256: string;
  /** Bytes of the compressed archive. */
  size: number;
  files: number;
  /** File content bytes inside the archive, and entries of every type: what extraction may expect. */
  unpackedBytes: number;
  entries: number;
}

/** Fixed so the same inputs give the same bytes on any machine, at any time. */
export const FIXED_MTIME = new Date(0);

/**
 * Turns matched paths into sorted archive entries named relative to `base` (the workspace, or `root`).
 * Symbolic links are kept as links; a link whose target leaves `base` is refused with its path.
 */
export async function collectEntries(paths: string[], base: string): Promise<PackEntry[]> {
  const byName = new Map<string, PackEntry>();
  for (const source of paths) {
    const rel = relative(base, source);
    if (rel === '') continue;
    if (rel.startsWith('..') || isAbsolute(rel)) {
      throw new UserError(
        `Input 'path': '${source}' is outside ${base}: pack paths inside the workspace (and inside 'root' when it is set).`,
      );
    }
    const name = rel.split(sep).join('/');
    const stat = await fs.lstat(source);
    if (stat.isSymbolicLink()) {
      const linkname = await fs.readlink(source);
      const target = resolve(dirname(source), linkname);
      if (isAbsolute(linkname) || (target !== base && !target.startsWith(base + sep))) {
        throw new UserError(
          `Input 'path': ${name} is a symbolic link to '${linkname}', which leaves the packed tree ${base}. Nothing was published: replace the link by the file it points to, or make it point inside the tree.`,
        );
      }
      byName.set(name, { name, source, type: 'symlink', size: 0, executable: false, linkname });
    } else if (stat.isDirectory()) byName.set(name, { name, source, type: 'directory', size: 0, executable: true });
    else if (stat.isFile()) byName.set(name, { name, source, type: 'file', size: stat.size, executable: (stat.mode & 0o111) !== 0 });
  }
  return [...byName.values()].sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
}

function headerOf(entry: PackEntry): tar.Header {
  return {
    linkname: entry.linkname ?? '',
    devmajor: 0,
    devminor: 0,
    name: entry.type === 'directory' ? `${entry.name}/` : entry.name,
    type: entry.type,
    mode: entry.type === 'symlink' ? 0o777 : entry.type === 'directory' || entry.executable ? 0o755 : 0o644,
    mtime: FIXED_MTIME,
    uid: 0,
    gid: 0,
    uname: '',
    gname: '',
    size: entry.type === 'file' ? entry.size : 0,
  };
}

/**
 * Writes a deterministic archive of `entries` into `sink`, hashing and counting the compressed bytes as
 * they stream: sorted entries, mtime 0, uid/gid 0 with no owner names, modes 0755/0644. Every stage is a
 * bounded stream with backpressure: memory does not grow with the archive.
 */
export async function packArchive(entries: PackEntry[], sink: Writable, compression: Compression, level: number): Promise<PackResult> {
  const pack = tar.pack();
  const hash = createHash('sha256');
  let size = 0;
  const tap = new Transform({
    transform(chunk: Buffer, _enc, done) {
      hash.update(chunk);
      size += chunk.length;
      done(null, chunk);
    },
  });
  const feed = (async () => {
    for (const entry of entries) {
      const header = headerOf(entry);
      if (entry.type !== 'file') {
        await new Promise<void>((resolve, reject) => pack.entry(header, (err) => (err ? reject(err) : resolve())));
        continue;
      }
      await new Promise<void>((resolve, reject) => {
        const target = pack.entry(header, (err) => (err ? reject(new Error(`Packing ${entry.source} failed: ${err.message}`)) : resolve()));
        const source = createReadStream(entry.source, { highWaterMark: 1 << 18 });
        source.on('error', (err) => {
          target.destroy(err);
          reject(err);
        });
        source.pipe(target as unknown as NodeJS.WritableStream);
      });
    }
    pack.finalize();
  })();
  feed.catch((err: Error) => pack.destroy(err));
  await Promise.all([pipeline(pack, createCompressor(compression, level), tap, sink), feed]);
  const files = entries.filter((e) => e.type === 'file');
  return {
    sha256: hash.digest('hex'),
    size,
    files: files.length,
    unpackedBytes: files.reduce((n, e) => n + e.size, 0),
    entries: entries.length,
  };
}

/** A writable that forwards every chunk to all targets and waits for the slowest (backpressure for a tee). */
export function teeWritable(targets: Writable[]): Writable {
  const write = (t: Writable, chunk: Buffer) =>
    new Promise<void>((resolve, reject) => {
      const ok = t.write(chunk, (err) => (err ? reject(err) : undefined));
      if (ok) resolve();
      else {
        const onDrain = () => {
          t.off('error', onError);
          resolve();
        };
        const onError = (err: Error) => {
          t.off('drain', onDrain);
          reject(err);
        };
        t.once('drain', onDrain);
        t.once('error', onError);
      }
    });
  const finish = (t: Writable) =>
    new Promise<void>((resolve, reject) => {
      t.once('error', reject);
      t.end(() => resolve());
    });
  return new Writable({
    highWaterMark: 1 << 18,
    write(chunk: Buffer, _enc, done) {
      Promise.all(targets.map((t) => write(t, chunk))).then(() => done(), done);
    },
    final(done) {
      Promise.all(targets.map(finish)).then(() => done(), done);
    },
    destroy(err, done) {
      for (const t of targets) if (!t.destroyed) t.destroy(err ?? undefined);
      done(err);
    },
  });
}

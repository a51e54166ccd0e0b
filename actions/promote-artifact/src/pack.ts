import { createHash } from 'node:crypto';
import { createReadStream, promises as fs } from 'node:fs';
import { isAbsolute, relative, sep } from 'node:path';
import { Transform, Writable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import { createGzip } from 'node:zlib';
import * as tar from 'tar-stream';
import { gcNudge } from './memory.js';

/** One thing to pack: its path inside the archive and on disk. */
export interface PackEntry {
  name: string;
  source: string;
  type: 'file' | 'directory';
  size: number;
  executable: boolean;
}

export interface PackResult {
  sha256: string;
  size: number;
  files: number;
}

/** Fixed so the same inputs give the same bytes on any machine, at any time. */
export const FIXED_MTIME = new Date(0);

/**
 * Turns matched paths into sorted archive entries named relative to `root`.
 * Throws for a path outside the root (its name would have to carry `..`).
 */
export async function collectEntries(paths: string[], root: string): Promise<PackEntry[]> {
  const byName = new Map<string, PackEntry>();
  for (const source of paths) {
    const rel = relative(root, source);
    if (rel === '') continue;
    if (rel.startsWith('..') || isAbsolute(rel)) {
      throw new Error(`'${source}' is outside the workspace ${root}: pack paths inside the workspace.`);
    }
    const name = rel.split(sep).join('/');
    const stat = await fs.stat(source);
    if (stat.isDirectory()) byName.set(name, { name, source, type: 'directory', size: 0, executable: true });
    else if (stat.isFile()) byName.set(name, { name, source, type: 'file', size: stat.size, executable: (stat.mode & 0o111) !== 0 });
  }
  return [...byName.values()].sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
}

/**
 * Writes a deterministic tar.gz of `entries` into `sink`, hashing and counting the gzip bytes as
 * they stream: sorted entries, mtime 0, uid/gid 0 with no owner names, modes 0755/0644, and a
 * gzip header without a timestamp. Nothing is buffered beyond the streams' high-water marks.
 */
export async function packTarGz(entries: PackEntry[], sink: Writable, level = 6): Promise<PackResult> {
  const pack = tar.pack();
  const hash = createHash('sha256');
  let size = 0;
  const nudge = gcNudge();
  const tap = new Transform({
    transform(chunk: Buffer, _enc, done) {
      hash.update(chunk);
      size += chunk.length;
      nudge(chunk.length);
      done(null, chunk);
    },
  });
  const feed = (async () => {
    for (const entry of entries) {
      const header: tar.Header = {
        linkname: '',
        devmajor: 0,
        devminor: 0,
        name: entry.type === 'directory' ? `${entry.name}/` : entry.name,
        type: entry.type,
        mode: entry.type === 'directory' || entry.executable ? 0o755 : 0o644,
        mtime: FIXED_MTIME,
        uid: 0,
        gid: 0,
        uname: '',
        gname: '',
        size: entry.type === 'file' ? entry.size : 0,
      };
      if (entry.type === 'directory') {
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
  await Promise.all([pipeline(pack, createGzip({ level, chunkSize: 1 << 16 }), tap, sink), feed]);
  return { sha256: hash.digest('hex'), size, files: entries.filter((e) => e.type === 'file').length };
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

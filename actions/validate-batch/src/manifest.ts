import { isPlainObject } from '@pipeline-actions/kit';
import type { KeyKind, ObjectObserver } from './fragments.js';

/** How many keys a problem message names before it says "and N more". */
const SAMPLE = 10;

/** Parses `{"files":[{"key": "...", "size": N}]}` (keys relative to the batch) into key -> size (undefined: any size). */
export function parseManifest(text: string, batchPrefix: string): Map<string, number | undefined> | string {
  let parsed: unknown;
  try {
    // Editors on Windows save UTF-8 with a byte order mark; JSON.parse refuses it.
    parsed = JSON.parse(text.replace(/^\uFEFF/, ''));
  } catch (error) {
    return `is not valid JSON (${(error as Error).message})`;
  }
  const files = isPlainObject(parsed) ? parsed.files : undefined;
  if (!Array.isArray(files)) return `has no "files" array: expected {"files":[{"key":"table/part-0001.parquet","size":1234}]}`;
  const entries = new Map<string, number | undefined>();
  for (const [i, entry] of files.entries()) {
    const key = isPlainObject(entry) ? entry.key : undefined;
    const size = isPlainObject(entry) ? entry.size : undefined;
    if (typeof key !== 'string' || key === '') return `files[${i}] has no "key" string`;
    if (size !== undefined && !(typeof size === 'number' && Number.isSafeInteger(size) && size >= 0)) {
      return `files[${i}] ("${key}") has a "size" that is not a whole number of bytes`;
    }
    const normalised = normaliseManifestKey(key, batchPrefix);
    if (entries.has(normalised)) {
      const first = files.findIndex(
        (f) => isPlainObject(f) && typeof f.key === 'string' && normaliseManifestKey(f.key, batchPrefix) === normalised,
      );
      return `lists "${normalised}" twice (files[${first}] and files[${i}]): expected each file once`;
    }
    entries.set(normalised, size as number | undefined);
  }
  return entries;
}

/** Keys are relative to the batch; a leading '/', './' or the full batch prefix is tolerated. */
export function normaliseManifestKey(key: string, batchPrefix: string): string {
  let k = key.replace(/^(\.\/|\/)+/, '');
  if (batchPrefix !== '' && k.startsWith(batchPrefix)) k = k.slice(batchPrefix.length);
  return k;
}

export interface ManifestReport {
  listed: number;
  verified: number;
  missing: { count: number; sample: string[] };
  sizeMismatches: { count: number; sample: { key: string; expected: number; actual: number }[] };
  unlisted: { count: number; sample: string[] };
}

/**
 * Checks each listed object against the manifest as the listing streams by: only the manifest's own
 * entries are held (they must be), plus a few samples of what is wrong.
 */
export class ManifestCheck implements ObjectObserver {
  private readonly pending: Map<string, number | undefined>;
  private readonly listed: number;
  private verified = 0;
  private readonly sizeMismatches: ManifestReport['sizeMismatches'] = { count: 0, sample: [] };
  private readonly unlisted: ManifestReport['unlisted'] = { count: 0, sample: [] };

  constructor(entries: Map<string, number | undefined>) {
    this.pending = new Map(entries);
    this.listed = entries.size;
  }

  see(relativeKey: string, size: number, kind: KeyKind): void {
    if (this.pending.has(relativeKey)) {
      const expected = this.pending.get(relativeKey);
      this.pending.delete(relativeKey);
      if (expected !== undefined && expected !== size) {
        this.sizeMismatches.count++;
        if (this.sizeMismatches.sample.length < SAMPLE) this.sizeMismatches.sample.push({ key: relativeKey, expected, actual: size });
      } else {
        this.verified++;
      }
    } else if (kind === 'fragment') {
      this.unlisted.count++;
      if (this.unlisted.sample.length < SAMPLE) this.unlisted.sample.push(relativeKey);
    }
  }

  report(): ManifestReport {
    const missing = [...this.pending.keys()].sort();
    return {
      listed: this.listed,
      verified: this.verified,
      missing: { count: missing.length, sample: missing.slice(0, SAMPLE) },
      sizeMismatches: { ...this.sizeMismatches, sample: [...this.sizeMismatches.sample].sort((a, b) => (a.key < b.key ? -1 : 1)) },
      unlisted: { ...this.unlisted, sample: [...this.unlisted.sample].sort() },
    };
  }
}

/** One sentence per kind of disagreement between the manifest and the batch. */
export function manifestProblems(report: ManifestReport, manifestUri: string): string[] {
  const problems: string[] = [];
  const more = (count: number, shown: number) => (count > shown ? ` and ${count - shown} more` : '');
  if (report.missing.count > 0) {
    problems.push(
      `${manifestUri} lists ${report.missing.count} file(s) that are not in the batch: ${report.missing.sample.join(', ')}${more(report.missing.count, report.missing.sample.length)}.`,
    );
  }
  if (report.sizeMismatches.count > 0) {
    const shown = report.sizeMismatches.sample.map((m) => `${m.key} (manifest ${m.expected} bytes, S3 ${m.actual})`);
    problems.push(
      `${report.sizeMismatches.count} file(s) differ in size from ${manifestUri}: ${shown.join(', ')}${more(report.sizeMismatches.count, shown.length)}.`,
    );
  }
  if (report.unlisted.count > 0) {
    problems.push(
      `${report.unlisted.count} fragment(s) are not listed in ${manifestUri}: ${report.unlisted.sample.join(', ')}${more(report.unlisted.count, report.unlisted.sample.length)}.`,
    );
  }
  return problems;
}

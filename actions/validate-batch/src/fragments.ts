import { createHash, type Hash } from 'node:crypto';
import type { BatchStore, ListedObject } from './store.js';

export const MANIFEST_NAME = 'manifest.json';
export const DEFAULT_IGNORE = ['_SUCCESS', '.DS_Store', '_temporary/'];

export type KeyKind = 'fragment' | 'placeholder' | 'marker' | 'root' | 'ignored' | 'empty';

/** Names that are never fragments: file names (`_SUCCESS`) and directories anywhere in the path (`_temporary/`). */
export interface IgnoreRules {
  files: Set<string>;
  directories: Set<string>;
}

export function ignoreRules(entries: readonly string[]): IgnoreRules {
  const rules: IgnoreRules = { files: new Set(), directories: new Set() };
  for (const entry of entries) {
    if (entry.endsWith('/')) rules.directories.add(entry.slice(0, -1));
    else rules.files.add(entry);
  }
  return rules;
}

const NO_RULES: IgnoreRules = ignoreRules([]);

/**
 * What an object under the batch is, from its key relative to the batch and its size.
 * A fragment lives under a table (`{table}/...`), is not a directory placeholder, not a marker
 * (`manifest.json` or any name starting with '.': `.loaded-production`, `.claim-qa`), not a name
 * in `ignore`, and holds at least one byte.
 */
export function classifyKey(relativeKey: string, size = 1, ignore: IgnoreRules = NO_RULES): KeyKind {
  // '' is the batch prefix itself: the placeholder some tools write for the batch 'directory'.
  if (relativeKey === '' || relativeKey.endsWith('/') || relativeKey.endsWith('_$folder$')) return 'placeholder';
  const segments = relativeKey.split('/');
  const name = segments[segments.length - 1];
  if (ignore.files.has(name) || segments.slice(0, -1).some((s) => ignore.directories.has(s))) return 'ignored';
  if (name === MANIFEST_NAME || name.startsWith('.')) return 'marker';
  if (segments.length < 2 || segments[0] === '') return 'root';
  if (size === 0) return 'empty';
  return 'fragment';
}

export interface TableStats {
  fragments: number;
  bytes: number;
  /** sha256 over this table's `key size etag` lines, in listing (sorted) order. */
  hash: Hash;
}

/** Counted with a few names to show: 0-byte objects and ignored names are reported, not counted. */
export interface Tally {
  count: number;
  sample: string[];
}

/** Sees every object listed under the batch; the manifest check hooks in here. */
export interface ObjectObserver {
  see(relativeKey: string, size: number, kind: KeyKind): void;
}

export interface BatchScan {
  /** Tables with at least one fragment. */
  tables: Map<string, TableStats>;
  fragmentCount: number;
  totalBytes: number;
  /** Objects seen in all: fragments, placeholders, markers and stray files. */
  objectCount: number;
  placeholders: number;
  markers: number;
  /** 0-byte objects under a table (an interrupted write, a `_SUCCESS`-like flag): not fragments. */
  empty: Tally;
  /** Objects matching `ignore`. */
  ignored: Tally;
  /** Files directly at the batch root that are not markers (not in any table, so not fragments). */
  strayRootFiles: string[];
  /** Table prefixes that hold no fragment (only placeholders or markers). */
  emptyTables: string[];
  /** Names of the objects found at the batch root (markers, manifest). */
  rootNames: Set<string>;
  listRequests: number;
}

export interface ScanOptions {
  ignore: IgnoreRules;
  concurrency: number;
  /** Called once the batch root is listed, before the tables are: lets the caller load the manifest first. */
  beforeTables?: (root: { names: Set<string> }) => Promise<ObjectObserver | undefined>;
}

/**
 * Lists the batch at `batchPrefix` (ending in '/'): the root with Delimiter '/' to find the tables,
 * then every table prefix in parallel (at most `concurrency` requests in flight), page by page.
 * Only counters are kept per table, so memory stays flat however many fragments there are.
 */
export async function scanBatch(store: BatchStore, batchPrefix: string, options: ScanOptions): Promise<BatchScan> {
  const scan: BatchScan = {
    tables: new Map(),
    fragmentCount: 0,
    totalBytes: 0,
    objectCount: 0,
    placeholders: 0,
    markers: 0,
    empty: { count: 0, sample: [] },
    ignored: { count: 0, sample: [] },
    strayRootFiles: [],
    emptyTables: [],
    rootNames: new Set(),
    listRequests: 0,
  };
  const tablePrefixes: string[] = [];
  const rootObjects: ListedObject[] = [];
  let token: string | undefined;
  do {
    const page = await store.list(batchPrefix, { delimiter: '/', token });
    scan.listRequests++;
    tablePrefixes.push(...page.prefixes);
    rootObjects.push(...page.objects);
    token = page.next;
  } while (token);

  for (const o of rootObjects) scan.rootNames.add(o.key.slice(batchPrefix.length));
  const observer = await options.beforeTables?.({ names: scan.rootNames });
  for (const o of rootObjects) count(scan, o, batchPrefix, options.ignore, observer);

  await eachLimited(tablePrefixes, options.concurrency, async (tablePrefix) => {
    let next: string | undefined;
    do {
      const page = await store.list(tablePrefix, { token: next });
      scan.listRequests++;
      for (const o of page.objects) count(scan, o, batchPrefix, options.ignore, observer);
      next = page.next;
    } while (next);
    const table = tablePrefix.slice(batchPrefix.length, -1);
    if (table !== '' && !scan.tables.has(table)) scan.emptyTables.push(table);
  });
  scan.emptyTables.sort();
  return scan;
}

const SAMPLE = 10;

function tally(t: Tally, name: string): void {
  t.count++;
  if (t.sample.length < SAMPLE) t.sample.push(name);
}

function count(scan: BatchScan, o: ListedObject, batchPrefix: string, ignore: IgnoreRules, observer?: ObjectObserver): void {
  const relativeKey = o.key.slice(batchPrefix.length);
  const kind = classifyKey(relativeKey, o.size, ignore);
  scan.objectCount++;
  observer?.see(relativeKey, o.size, kind);
  if (kind === 'placeholder') scan.placeholders++;
  else if (kind === 'marker') scan.markers++;
  else if (kind === 'ignored') tally(scan.ignored, relativeKey);
  else if (kind === 'empty') tally(scan.empty, relativeKey);
  else if (kind === 'root') {
    if (scan.strayRootFiles.length < 20) scan.strayRootFiles.push(relativeKey);
  } else {
    const table = relativeKey.slice(0, relativeKey.indexOf('/'));
    let stats = scan.tables.get(table);
    if (!stats) {
      stats = { fragments: 0, bytes: 0, hash: createHash('sha256') };
      scan.tables.set(table, stats);
    }
    stats.fragments++;
    stats.bytes += o.size;
    stats.hash.update(`${relativeKey} ${o.size} ${o.etag}\n`);
    scan.fragmentCount++;
    scan.totalBytes += o.size;
  }
}

/**
 * The batch's listing digest: sha256 over one line per table, in name order, of
 * `table fragments bytes sha256(its sorted "key size etag" lines)`. Tables are listed in parallel, so each
 * is hashed as its sorted pages arrive and only the per-table hashes are combined: nothing per key is held.
 */
export function listingDigest(tables: Map<string, TableStats>): string {
  const digest = createHash('sha256');
  for (const name of [...tables.keys()].sort()) {
    const t = tables.get(name)!;
    digest.update(`${name} ${t.fragments} ${t.bytes} ${t.hash.copy().digest('hex')}\n`);
  }
  return `sha256:${digest.digest('hex')}`;
}

/** Runs `work` over `items` with at most `limit` running at once; the first failure stops new work and is thrown. */
export async function eachLimited<T>(items: readonly T[], limit: number, work: (item: T) => Promise<void>): Promise<void> {
  let next = 0;
  let failed = false;
  const worker = async () => {
    while (!failed && next < items.length) {
      const item = items[next++];
      try {
        await work(item);
      } catch (error) {
        failed = true;
        throw error;
      }
    }
  };
  await Promise.all(Array.from({ length: Math.min(limit, items.length) }, worker));
}

/** Table names and counts in the output shapes: a sorted array and an object in the same order. */
export function tableOutputs(tables: Map<string, TableStats>): { names: string[]; counts: Record<string, number> } {
  const names = [...tables.keys()].sort();
  const counts: Record<string, number> = {};
  for (const name of names) counts[name] = tables.get(name)!.fragments;
  return { names, counts };
}

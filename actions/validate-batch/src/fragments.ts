import type { BatchStore } from './store.js';

export const MANIFEST_NAME = 'manifest.json';
const MARKER_NAMES = new Set(['.loaded', '.loading', MANIFEST_NAME]);

export type KeyKind = 'fragment' | 'placeholder' | 'marker' | 'root';

/**
 * What an object under the batch is, from its key relative to the batch.
 * A fragment lives under a table (`{table}/...`), is not a directory placeholder and is not a marker
 * (`.loaded`, `.loading`, `manifest.json`, the configured marker, or any name starting with '.').
 */
export function classifyKey(relativeKey: string, markerName = '.loaded'): KeyKind {
  // '' is the batch prefix itself: the placeholder some tools write for the batch 'directory'.
  if (relativeKey === '' || relativeKey.endsWith('/') || relativeKey.endsWith('_$folder$')) return 'placeholder';
  const name = relativeKey.slice(relativeKey.lastIndexOf('/') + 1);
  if (MARKER_NAMES.has(name) || name === markerName || name.startsWith('.')) return 'marker';
  const slash = relativeKey.indexOf('/');
  if (slash <= 0) return 'root';
  return 'fragment';
}

export interface TableStats {
  fragments: number;
  bytes: number;
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
  /** Files directly at the batch root that are not markers (not in any table, so not fragments). */
  strayRootFiles: string[];
  /** Table prefixes that hold no fragment (only placeholders or markers). */
  emptyTables: string[];
  /** Names of the objects found at the batch root (markers, manifest). */
  rootNames: Set<string>;
  listRequests: number;
}

export interface ScanOptions {
  markerName: string;
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
    strayRootFiles: [],
    emptyTables: [],
    rootNames: new Set(),
    listRequests: 0,
  };
  const tablePrefixes: string[] = [];
  const rootObjects: { key: string; size: number }[] = [];
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
  for (const o of rootObjects) count(scan, o.key.slice(batchPrefix.length), o.size, options.markerName, observer);

  await eachLimited(tablePrefixes, options.concurrency, async (tablePrefix) => {
    let next: string | undefined;
    do {
      const page = await store.list(tablePrefix, { token: next });
      scan.listRequests++;
      for (const o of page.objects) count(scan, o.key.slice(batchPrefix.length), o.size, options.markerName, observer);
      next = page.next;
    } while (next);
    const table = tablePrefix.slice(batchPrefix.length, -1);
    if (table !== '' && !scan.tables.has(table)) scan.emptyTables.push(table);
  });
  scan.emptyTables.sort();
  return scan;
}

function count(scan: BatchScan, relativeKey: string, size: number, markerName: string, observer?: ObjectObserver): void {
  const kind = classifyKey(relativeKey, markerName);
  scan.objectCount++;
  observer?.see(relativeKey, size, kind);
  if (kind === 'placeholder') scan.placeholders++;
  else if (kind === 'marker') scan.markers++;
  else if (kind === 'root') {
    if (scan.strayRootFiles.length < 20) scan.strayRootFiles.push(relativeKey);
  } else {
    const table = relativeKey.slice(0, relativeKey.indexOf('/'));
    const stats = scan.tables.get(table) ?? { fragments: 0, bytes: 0 };
    stats.fragments++;
    stats.bytes += size;
    scan.tables.set(table, stats);
    scan.fragmentCount++;
    scan.totalBytes += size;
  }
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

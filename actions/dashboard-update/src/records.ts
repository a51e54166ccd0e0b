import type { Status } from './status.js';

/** A stage declared by init: its key and display name. */
export interface StageDefinition {
  key: string;
  name: string;
}

/**
 * The truth of one stage: one atomic record on GitHub (a commit status or a check run), decoded.
 * Records are never edited in place by another writer; for each stage the record with the newest
 * run, then attempt, then GitHub id wins, so an older run that writes later never overwrites a newer one.
 */
export interface StageRecord {
  kind: 'stage';
  key: string;
  /** GitHub's id of the status or check run (ids grow over time). */
  id: number;
  status: Status;
  run: number;
  attempt: number;
  /** When GitHub stored it (ISO 8601). */
  at: string;
  link?: string;
  /** The display name the update gave (stage-name), for a stage that init did not declare. */
  name?: string;
  /** The output as the record holds it (a status description keeps a short prefix). */
  output?: string;
  /** True when `output` is only the beginning of the stage's output. */
  outputCut?: boolean;
}

/** One declaration of stages by an init (a run may need several parts to stay within the record's size). */
export interface ManifestRecord {
  kind: 'manifest';
  id: number;
  run: number;
  attempt: number;
  part: number;
  parts: number;
  title?: string;
  entries: ManifestEntry[];
  at: string;
}

export interface ManifestEntry {
  key: string;
  name: string;
  /** This init resets the stage: records of older runs show as pending. */
  reset: boolean;
}

export type AnyRecord = StageRecord | ManifestRecord;

/** What a writer asks to record for its stage. */
export interface StageWrite {
  key: string;
  status: Status;
  run: number;
  attempt: number;
  link?: string;
  name?: string;
  output?: string;
}

export interface ManifestWrite {
  run: number;
  attempt: number;
  title?: string;
  link?: string;
  entries: ManifestEntry[];
}

/** Where the stage records live: commit statuses, check runs, or (mode none) the comment itself. */
export interface RecordStore {
  readonly mode: 'status' | 'check-run' | 'none';
  /** `current`: the stage's record as this writer last saw it (a check run of the same attempt is completed in place). */
  writeStage(write: StageWrite, current?: StageRecord): Promise<StageRecord>;
  writeManifest(write: ManifestWrite): Promise<ManifestRecord[]>;
  /** Every record of this dashboard's marker on the commit (all runs). */
  list(): Promise<AnyRecord[]>;
}

/** Orders two writers: by run id, then attempt; 0 when they are the same run attempt. */
export function compareRuns(a: { run: number; attempt: number }, b: { run: number; attempt: number }): number {
  return a.run - b.run || a.attempt - b.attempt;
}

/** Orders two records of one stage: run, attempt, then GitHub's id (later writes have higher ids). */
export function compareRecords(a: AnyRecord, b: AnyRecord): number {
  return compareRuns(a, b) || a.id - b.id;
}

/**
 * The records a view depends on: for each stage the winning record, and the newest copy of each
 * manifest part of each run attempt. Sorted by id so two reductions compare by value.
 */
export function reduceRecords(records: AnyRecord[]): AnyRecord[] {
  const winners = new Map<string, AnyRecord>();
  for (const r of records) {
    const slot = r.kind === 'stage' ? `s:${r.key}` : `m:${r.run}.${r.attempt}.${r.part}`;
    const current = winners.get(slot);
    if (!current || compareRecords(r, current) > 0) winners.set(slot, r);
  }
  return [...winners.values()].sort((a, b) => a.id - b.id);
}

/** Identity of a reduced snapshot: equal signatures render the same dashboard. */
export function signature(records: AnyRecord[]): string {
  return reduceRecords(records)
    .map((r) => (r.kind === 'stage' ? `${r.key}#${r.id}:${r.status}:${r.at}` : `m${r.run}.${r.attempt}.${r.part}#${r.id}`))
    .join(',');
}

import { compareRecords, compareRuns, reduceRecords, type AnyRecord, type ManifestRecord, type StageRecord } from './records.js';
import type { Status } from './status.js';

/** One row of the dashboard as rendered. */
export interface StageView {
  key: string;
  name: string;
  status: Status;
  /** The record shown; undefined for a declared stage that has none since its reset. */
  record?: StageRecord;
}

export interface DashboardView {
  title?: string;
  stages: StageView[];
}

/**
 * The dashboard as a pure function of the records: the stages every init declared (in the order of
 * their first declaration), then stages that only have records; each shows its winning record unless
 * an init of a newer run declared it with reset, in which case it is pending until that run writes it.
 */
export function deriveView(records: AnyRecord[]): DashboardView {
  const reduced = reduceRecords(records);
  const manifests = reduced.filter((r): r is ManifestRecord => r.kind === 'manifest').sort(compareRecords);
  const stages = new Map(reduced.filter((r): r is StageRecord => r.kind === 'stage').map((r) => [r.key, r]));
  const order: string[] = [];
  const names = new Map<string, string>();
  const resetBy = new Map<string, ManifestRecord>();
  let title: string | undefined;
  for (const m of manifests) {
    if (m.title) title = m.title;
    for (const e of m.entries) {
      if (!names.has(e.key)) order.push(e.key);
      names.set(e.key, e.name);
      const previous = resetBy.get(e.key);
      if (e.reset && (!previous || compareRuns(m, previous) >= 0)) resetBy.set(e.key, m);
    }
  }
  for (const r of [...stages.values()].sort((a, b) => a.id - b.id)) if (!names.has(r.key)) order.push(r.key);
  return {
    title,
    stages: order.map((key) => {
      const record = stages.get(key);
      const reset = resetBy.get(key);
      const name = names.get(key) ?? record?.name ?? key;
      if (!record || (reset && compareRuns(record, reset) < 0)) return { key, name, status: 'pending' };
      return { key, name, status: record.status, record };
    }),
  };
}

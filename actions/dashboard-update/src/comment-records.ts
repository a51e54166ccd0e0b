import type { AnyRecord, ManifestRecord, RecordStore, StageRecord } from './records.js';

/**
 * Mode `none`: no record outside the comment. The records are the comment's own cache plus this
 * writer's, so the loop still re-merges after another writer's copy replaced ours, but a copy that
 * lands after this writer's last check can drop its row: the comment has no conditional update.
 */
export function commentRecordStore(readCached: () => Promise<AnyRecord[]>, now: () => number): RecordStore {
  const own: AnyRecord[] = [];
  // Ids after GitHub's (which are below 2^53 / 1000 for a long time) and growing with time.
  const nextId = () => now() * 1000 + Math.floor(Math.random() * 1000);
  return {
    mode: 'none',
    async writeStage(write) {
      const { output, ...rest } = write;
      const record: StageRecord = {
        kind: 'stage',
        id: nextId(),
        at: new Date(now()).toISOString(),
        ...rest,
        ...(output ? { output } : {}),
      };
      own.push(record);
      return record;
    },
    async writeManifest(write) {
      const record: ManifestRecord = {
        kind: 'manifest',
        id: nextId(),
        at: new Date(now()).toISOString(),
        run: write.run,
        attempt: write.attempt,
        part: 1,
        parts: 1,
        entries: write.entries,
        ...(write.title ? { title: write.title } : {}),
      };
      own.push(record);
      return [record];
    },
    async list() {
      return [...(await readCached()), ...own];
    },
  };
}

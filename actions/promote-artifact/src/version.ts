/** `{sha7}-{YYYYMMDD-HHMMSS}` in UTC, e.g. 84fb588-20250120-143022. */
export function computeVersion(sha: string, now: Date): string {
  const p = (n: number, w = 2) => String(n).padStart(w, '0');
  const date = `${now.getUTCFullYear()}${p(now.getUTCMonth() + 1)}${p(now.getUTCDate())}`;
  const time = `${p(now.getUTCHours())}${p(now.getUTCMinutes())}${p(now.getUTCSeconds())}`;
  return `${sha.slice(0, 7)}-${date}-${time}`;
}

/** The build time inside a version (`YYYYMMDD-HHMMSS`) as a sortable number, or undefined when it has none. */
export function versionTimestamp(version: string): number | undefined {
  const m = /(?:^|[^0-9])(\d{8})-(\d{6})(?:$|[^0-9])/.exec(version);
  if (!m) return undefined;
  const [d, t] = [m[1], m[2]];
  const ms = Date.UTC(
    Number(d.slice(0, 4)),
    Number(d.slice(4, 6)) - 1,
    Number(d.slice(6, 8)),
    Number(t.slice(0, 2)),
    Number(t.slice(2, 4)),
    Number(t.slice(4, 6)),
  );
  return Number.isNaN(ms) ? undefined : ms;
}

export interface StagedVersion {
  version: string;
  tag: string;
  /** Date of the tag (tagger date of an annotated tag), when known; ordering's tie-breaker. */
  tagDate?: string;
}

/**
 * Newest first: by the timestamp inside the version, then by tag date, then by name as a last
 * resort so the order is total. Never by name first: the sha leads the version, so name order is noise.
 */
export function compareNewestFirst(a: StagedVersion, b: StagedVersion): number {
  const ta = versionTimestamp(a.version);
  const tb = versionTimestamp(b.version);
  if (ta !== undefined && tb !== undefined && ta !== tb) return tb - ta;
  if (ta !== undefined && tb === undefined) return -1;
  if (ta === undefined && tb !== undefined) return 1;
  const da = a.tagDate ? Date.parse(a.tagDate) : NaN;
  const db = b.tagDate ? Date.parse(b.tagDate) : NaN;
  if (!Number.isNaN(da) && !Number.isNaN(db) && da !== db) return db - da;
  return a.version < b.version ? 1 : a.version > b.version ? -1 : 0;
}

/** True when ordering these needs tag dates (equal or missing version timestamps). */
export function needsTagDates(versions: StagedVersion[]): boolean {
  const stamps = versions.map((v) => versionTimestamp(v.version));
  if (stamps.some((s) => s === undefined)) return true;
  return new Set(stamps).size !== stamps.length;
}

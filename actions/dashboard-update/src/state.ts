import { STATUSES, type Status } from './status.js';

/** One row of the dashboard, as kept in the comment's hidden JSON. */
export interface StageRecord {
  key: string;
  name: string;
  status: Status;
  link?: string;
  output?: string;
  /** Characters of `output` that were cut to keep the comment under GitHub's limit. */
  cut?: number;
  /** The run and attempt that wrote this record: an older one may not overwrite it. */
  run?: number;
  attempt?: number;
  /** When it was written (ISO 8601, milliseconds). */
  at?: string;
  /** A random id of the write, so a writer can tell its own write from another's. */
  w?: string;
}

export interface DashboardState {
  v: 1;
  sha: string;
  title: string;
  stages: StageRecord[];
}

/** The change one step asks for. */
export interface StageUpdate {
  key: string;
  /** Display name for a stage the dashboard does not know yet. */
  name?: string;
  status: Status;
  link?: string;
  output?: string;
  run: number;
  attempt: number;
  at: string;
  w: string;
}

export interface StageDefinition {
  key: string;
  name: string;
}

export interface RunRef {
  run: number;
  attempt: number;
  at: string;
}

export type ApplyOutcome = { kind: 'applied'; state: DashboardState } | { kind: 'stale'; state: DashboardState; recorded: StageRecord };

export function newState(sha: string, title: string): DashboardState {
  return { v: 1, sha, title, stages: [] };
}

/** Orders two writers: by run id, then attempt; 0 when they are the same run attempt. */
export function compareRuns(a: { run?: number; attempt?: number }, b: { run?: number; attempt?: number }): number {
  return (a.run ?? 0) - (b.run ?? 0) || (a.attempt ?? 0) - (b.attempt ?? 0);
}

/** Applies one stage update; an update from an older run or attempt than the recorded one is refused. */
export function applyUpdate(state: DashboardState, update: StageUpdate): ApplyOutcome {
  const stages = state.stages.map((s) => ({ ...s }));
  const at = stages.findIndex((s) => s.key === update.key);
  const existing = at >= 0 ? stages[at] : undefined;
  if (existing && existing.run !== undefined && compareRuns(update, existing) < 0) {
    return { kind: 'stale', state, recorded: existing };
  }
  const record: StageRecord = {
    key: update.key,
    name: update.name || existing?.name || update.key,
    status: update.status,
    ...(update.link ? { link: update.link } : {}),
    ...(update.output ? { output: update.output } : {}),
    run: update.run,
    attempt: update.attempt,
    at: update.at,
    w: update.w,
  };
  if (at >= 0) stages[at] = record;
  else stages.push(record);
  return { kind: 'applied', state: { ...state, stages } };
}

/**
 * Declares the stages of a dashboard (mode init): missing ones are added as pending, names are
 * taken from the definitions, and a stage recorded by an older run or attempt is reset to pending.
 * Stages recorded by this run or a newer one keep their status. Definitions come first, in their order.
 */
export function applyInit(state: DashboardState, defs: StageDefinition[], ref: RunRef, title: string): DashboardState {
  const byKey = new Map(state.stages.map((s) => [s.key, s]));
  const declared: StageRecord[] = defs.map((def) => {
    const existing = byKey.get(def.key);
    if (existing && existing.run !== undefined && compareRuns(ref, existing) <= 0) return { ...existing, name: def.name };
    return { key: def.key, name: def.name, status: 'pending', run: ref.run, attempt: ref.attempt, at: ref.at };
  });
  const keys = new Set(defs.map((d) => d.key));
  return { ...state, title, stages: [...declared, ...state.stages.filter((s) => !keys.has(s.key))] };
}

/** True when the state holds this update, or a newer write to the same stage that supersedes it. */
export function holdsUpdate(state: DashboardState, update: StageUpdate): boolean {
  const record = state.stages.find((s) => s.key === update.key);
  if (!record) return false;
  if (record.w === update.w) return true;
  const order = compareRuns(record, update);
  if (order !== 0) return order > 0;
  // A pending placeholder (init's, or a merged duplicate's) never supersedes a real update.
  if (record.w === undefined) return false;
  return (record.at ?? '') > update.at;
}

/** True when every declared stage is on the dashboard. */
export function holdsStages(state: DashboardState, defs: StageDefinition[]): boolean {
  const keys = new Set(state.stages.map((s) => s.key));
  return defs.every((d) => keys.has(d.key));
}

/**
 * Merges two dashboards of the same commit: for each stage the newer write wins; a's order first.
 * Within one run, a real update beats the pending placeholder init wrote, whatever their times.
 */
export function mergeStates(a: DashboardState, b: DashboardState): DashboardState {
  const newer = (x: StageRecord, y: StageRecord) =>
    compareRuns(x, y) ||
    Number(x.w !== undefined) - Number(y.w !== undefined) ||
    ((x.at ?? '') < (y.at ?? '') ? -1 : (x.at ?? '') > (y.at ?? '') ? 1 : 0);
  const fromB = new Map(b.stages.map((s) => [s.key, s]));
  const stages = a.stages.map((s) => {
    const other = fromB.get(s.key);
    return other && newer(other, s) > 0 ? other : s;
  });
  const seen = new Set(a.stages.map((s) => s.key));
  for (const s of b.stages) if (!seen.has(s.key)) stages.push(s);
  return { ...a, stages };
}

/** Reads the hidden state JSON; undefined when it is missing or malformed. */
export function parseStateJson(json: string): DashboardState | undefined {
  let raw: unknown;
  try {
    raw = JSON.parse(json);
  } catch {
    return undefined;
  }
  if (typeof raw !== 'object' || raw === null) return undefined;
  const r = raw as Record<string, unknown>;
  if (r.v !== 1 || typeof r.sha !== 'string' || !Array.isArray(r.stages)) return undefined;
  const stages: StageRecord[] = [];
  for (const item of r.stages as unknown[]) {
    if (typeof item !== 'object' || item === null) continue;
    const s = item as Record<string, unknown>;
    if (typeof s.key !== 'string' || !STATUSES.includes(s.status as Status)) continue;
    const record: StageRecord = { key: s.key, name: typeof s.name === 'string' ? s.name : s.key, status: s.status as Status };
    if (typeof s.link === 'string') record.link = s.link;
    if (typeof s.output === 'string') record.output = s.output;
    if (typeof s.cut === 'number') record.cut = s.cut;
    if (typeof s.run === 'number') record.run = s.run;
    if (typeof s.attempt === 'number') record.attempt = s.attempt;
    if (typeof s.at === 'string') record.at = s.at;
    if (typeof s.w === 'string') record.w = s.w;
    stages.push(record);
  }
  return {
    v: 1,
    sha: r.sha,
    title: typeof r.title === 'string' ? r.title : '',
    stages,
  };
}

/**
 * The state as text that is safe inside an HTML comment: `--` never appears (so `-->` cannot end
 * the comment early), nor `<` (so no text inside can look like the state line's own prefix).
 * Both only occur inside JSON strings here, where `\u002d` and `\u003c` mean the same.
 */
export function serializeState(state: DashboardState): string {
  return JSON.stringify(state).replace(/--/g, '-\\u002d').replace(/</g, '\\u003c');
}

import { isPlainObject, runUrl, type RunContext } from '@pipeline-actions/kit';
import type { BatchStore } from './store.js';

/** The loaded marker: the fields the bash wrote, plus where the run can be found. */
export interface Marker {
  batch_id: string;
  loaded_at: string;
  loaded_by: string;
  workflow_run: string;
  run_attempt: number;
  repository: string;
  run_url: string;
  environment: string;
}

export function buildMarker(batchId: string, environment: string, ctx: RunContext, now: Date): Marker {
  return {
    batch_id: batchId,
    loaded_at: now.toISOString(),
    loaded_by: ctx.actor,
    workflow_run: ctx.runId,
    run_attempt: ctx.runAttempt,
    repository: ctx.repository,
    run_url: ctx.repository && ctx.runId ? runUrl(ctx) : '',
    environment,
  };
}

/** What an existing marker says; fields it lacks are empty (markers written by the old bash have fewer fields). */
export interface MarkerInfo {
  loadedBy: string;
  loadedAt: string;
  workflowRun: string;
  environment: string;
  runUrl: string;
  /** Set when the marker is not the JSON we expect: it still means "loaded". */
  unreadable?: string;
}

export function parseMarker(text: string): MarkerInfo {
  const empty = { loadedBy: '', loadedAt: '', workflowRun: '', environment: '', runUrl: '' };
  let parsed: unknown;
  try {
    parsed = JSON.parse(text);
  } catch {
    return { ...empty, unreadable: 'the marker is not JSON' };
  }
  if (!isPlainObject(parsed)) return { ...empty, unreadable: 'the marker is not a JSON object' };
  const str = (v: unknown) => (typeof v === 'string' ? v : typeof v === 'number' ? String(v) : '');
  return {
    loadedBy: str(parsed.loaded_by),
    loadedAt: str(parsed.loaded_at),
    workflowRun: str(parsed.workflow_run),
    environment: str(parsed.environment),
    runUrl: str(parsed.run_url),
  };
}

/** "by alice at 2026-11-24T10:00:00Z (workflow run 123, environment prod)" */
export function describeLoad(info: MarkerInfo): string {
  if (info.unreadable) return `(${info.unreadable}, so who loaded it and when is unknown)`;
  const details = [
    info.workflowRun && `workflow run ${info.workflowRun}`,
    info.environment && `environment ${info.environment}`,
    info.runUrl,
  ].filter(Boolean);
  return `by ${info.loadedBy || 'an unknown actor'} at ${info.loadedAt || 'an unknown time'}${details.length ? ` (${details.join(', ')})` : ''}`;
}

export type MarkResult =
  | { outcome: 'created'; marker: MarkerInfo }
  | { outcome: 'rerun'; marker: MarkerInfo }
  | { outcome: 'already-loaded'; marker: MarkerInfo }
  | { outcome: 'dry-run'; marker: MarkerInfo; existing?: MarkerInfo };

/**
 * Writes the marker with a conditional create, so of two concurrent loads exactly one marks the batch.
 * When the marker exists, the same workflow run (a re-run) counts as success; anyone else's is refused.
 */
export async function markLoaded(store: BatchStore, markerKey: string, marker: Marker, dryRun: boolean): Promise<MarkResult> {
  const mine = parseMarker(JSON.stringify(marker));
  if (dryRun) {
    const text = await store.read(markerKey);
    return { outcome: 'dry-run', marker: mine, existing: text === undefined ? undefined : parseMarker(text) };
  }
  const outcome = await store.createIfAbsent(markerKey, `${JSON.stringify(marker, null, 2)}\n`, 'application/json');
  if (outcome === 'created') return { outcome: 'created', marker: mine };
  const text = await store.read(markerKey);
  // Deleted between our write and our read: the marker we were refused is gone, so say so rather than guess.
  const existing =
    text === undefined ? { ...mine, loadedBy: '', loadedAt: '', unreadable: 'the marker vanished while it was read' } : parseMarker(text);
  if (!existing.unreadable && existing.workflowRun !== '' && existing.workflowRun === marker.workflow_run) {
    return { outcome: 'rerun', marker: existing };
  }
  return { outcome: 'already-loaded', marker: existing };
}

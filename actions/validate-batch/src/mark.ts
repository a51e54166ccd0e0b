import { randomUUID } from 'node:crypto';
import { conditionalWritesRequired, createVerified } from './conditional.js';
import { isSameRun, markerBody, parseRecord, type Actor, type ClaimInfo, type MarkerInfo } from './records.js';
import { readScopeState, type ScopeRequest } from './scope-state.js';
import type { BatchStore } from './store.js';

export interface MarkRequest extends ScopeRequest {
  requireClaim: boolean;
  /** Lists the batch again and returns its digest now. */
  currentDigest: () => Promise<string>;
}

export type MarkResult =
  | { outcome: 'created' | 'rerun' | 'dry-run'; marker: MarkerInfo; claim?: ClaimInfo; notes: string[] }
  | { outcome: 'already-loaded'; marker: MarkerInfo; notes: string[] }
  | { outcome: 'no-claim'; claim?: ClaimInfo; notes: string[] }
  | { outcome: 'changed'; expected: string; actual: string; claim?: ClaimInfo; notes: string[] };

/**
 * Turns this run's claim into the loaded marker (a verified conditional create), then drops the claim.
 * The marker is in place before the claim goes, so a claim taken afterwards always sees the marker.
 */
export async function markLoaded(req: MarkRequest): Promise<MarkResult> {
  const { store, batchPrefix, names, who } = req;
  const notes: string[] = [];
  const state = await readScopeState(store, batchPrefix, names, req.markerName, req.fields.environment, who);
  const claim = state.claim && isSameRun(state.claim, who) ? state.claim : undefined;
  if (state.loaded) {
    if (!isSameRun(state.loaded, who)) return { outcome: 'already-loaded', marker: state.loaded, notes };
    if (claim && !req.dryRun) await store.deleteIf(`${batchPrefix}${names.claim}`, claim.etag);
    return { outcome: 'rerun', marker: state.loaded, notes };
  }
  if (!claim) {
    if (req.requireClaim) return { outcome: 'no-claim', claim: state.claim, notes };
    notes.push(
      `No claim of this run is held for ${names.label} (require-claim: false): marking without one, as the old two-step workflows did; run mode: claim before the load to make it exactly-once.`,
    );
  }
  const expected = claim?.listingDigest || req.listingDigest;
  if (expected) {
    const actual = await req.currentDigest();
    if (actual !== expected) return { outcome: 'changed', expected, actual, claim, notes };
  }
  const claimId = claim?.claimId || randomUUID();
  const body = markerBody(req.fields, who, req.now(), claimId, expected);
  const mine = parseRecord(body, 'marker');
  if (req.dryRun) return { outcome: 'dry-run', marker: mine, claim, notes };
  const markerKey = `${batchPrefix}${names.marker}`;
  const created = await createVerified(store, markerKey, body, claimId);
  if (created === 'exists') {
    const got = await store.read(markerKey);
    const existing = got ? parseRecord(got.body, 'marker', got.etag) : { ...mine, unreadable: 'the marker vanished while it was read' };
    return isSameRun(existing, who)
      ? { outcome: 'rerun', marker: existing, notes }
      : { outcome: 'already-loaded', marker: existing, notes };
  }
  if (claim && (await store.deleteIf(`${batchPrefix}${names.claim}`, claim.etag)) === 'changed') {
    notes.push(`The claim ${store.uri(`${batchPrefix}${names.claim}`)} had changed since it was read and was left in place.`);
  }
  return { outcome: 'created', marker: { ...mine, etag: created.etag }, claim, notes };
}

export type ReleaseResult =
  { outcome: 'released' | 'dry-run'; claim: ClaimInfo } | { outcome: 'none' } | { outcome: 'not-ours'; claim: ClaimInfo };

/** Drops this run's claim after a failed load: idempotent, and never drops another run's claim (If-Match on the delete). */
export async function releaseClaim(store: BatchStore, claimKey: string, who: Actor, dryRun: boolean): Promise<ReleaseResult> {
  for (let round = 0; round < 3; round++) {
    const got = await store.read(claimKey);
    if (!got) return { outcome: 'none' };
    const claim = parseRecord(got.body, 'claim', got.etag);
    if (!isSameRun(claim, who)) return { outcome: 'not-ours', claim };
    if (dryRun) return { outcome: 'dry-run', claim };
    // A delete naming an ETag the object cannot have must be refused; a store that carries it out ignores If-Match.
    if ((await store.deleteIf(claimKey, '"00000000000000000000000000000000"')) === 'deleted') {
      throw conditionalWritesRequired(store, claimKey, 'a DeleteObject with a wrong If-Match was carried out');
    }
    if ((await store.deleteIf(claimKey, got.etag)) === 'deleted') return { outcome: 'released', claim };
  }
  return { outcome: 'none' };
}

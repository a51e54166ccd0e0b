import { randomUUID } from 'node:crypto';
import { UserError } from '@pipeline-actions/kit';
import { createVerified, replaceVerified } from './conditional.js';
import { claimBody, describeRecord, isSameRun, parseRecord, type ClaimInfo } from './records.js';
import type { RunStatusLookup } from './run-status.js';
import { readScopeState, type FoundMarker, type ScopeRequest } from './scope-state.js';

/** A claim vanishing or changing under us is retried this many times before the step gives up. */
const MAX_ROUNDS = 5;

export interface ClaimRequest extends ScopeRequest {
  ttlMinutes: number;
  runStatus: RunStatusLookup;
}

export type ClaimResult =
  | { outcome: 'claimed' | 'reclaimed'; claim: ClaimInfo; notes: string[] }
  | { outcome: 'taken-over'; claim: ClaimInfo; replaced: ClaimInfo; notes: string[] }
  | { outcome: 'loaded'; marker: FoundMarker; notes: string[] }
  | { outcome: 'held'; claim: ClaimInfo; reason: string; notes: string[] }
  | { outcome: 'dry-run'; existing?: ClaimInfo; marker?: FoundMarker; notes: string[] };

/**
 * Takes the batch for this scope before the load. The claim is created with If-None-Match: * (verified), so
 * of any number of concurrent runs exactly one creates it; the markers are read again after the create,
 * because a run that marked the batch dropped its claim only after its marker was in place.
 */
export async function claimBatch(req: ClaimRequest): Promise<ClaimResult> {
  const { store, batchPrefix, names, who } = req;
  const claimKey = `${batchPrefix}${names.claim}`;
  const notes: string[] = [];
  const state = await readScopeState(store, batchPrefix, names, req.markerName, req.fields.environment, who);
  if (state.loaded) return { outcome: 'loaded', marker: state.loaded, notes };
  if (req.dryRun) return { outcome: 'dry-run', existing: state.claim, notes };

  for (let round = 0; round < MAX_ROUNDS; round++) {
    const claimId = randomUUID();
    const created = await createVerified(
      store,
      claimKey,
      claimBody(req.fields, who, req.now(), claimId, req.listingDigest, req.ttlMinutes),
      claimId,
    );
    if (created !== 'exists') {
      return afterTaking(req, { outcome: 'claimed', claim: parseRecord(created.body, 'claim', created.etag), notes });
    }
    const got = await store.read(claimKey);
    if (got === undefined) continue; // released between our create and our read: try again
    const existing = parseRecord(got.body, 'claim', got.etag);
    if (isSameRun(existing, who)) {
      notes.push(`This workflow run already held the claim (attempt ${who.runAttempt}): it is taken back, not taken again.`);
      return afterTaking(req, { outcome: 'reclaimed', claim: existing, notes });
    }
    const ageMinutes = (req.now().getTime() - Date.parse(existing.at)) / 60_000;
    if (existing.unreadable || !(ageMinutes >= req.ttlMinutes)) {
      const since = existing.unreadable ? '' : ` (${Math.floor(ageMinutes)} of claim-ttl-minutes ${req.ttlMinutes} minutes)`;
      return { outcome: 'held', claim: existing, reason: `the claim is younger than its time to live${since}`, notes };
    }
    const run = await req.runStatus(existing.repository, existing.workflowRun);
    if (run.state === 'live') {
      return { outcome: 'held', claim: existing, reason: `its time to live has passed but GitHub says ${run.detail}`, notes };
    }
    if (run.state === 'unknown') {
      notes.push(
        `Whether workflow run ${existing.workflowRun || '(unknown)'} has ended could not be checked (${run.detail}); its claim is older than claim-ttl-minutes (${req.ttlMinutes}), so it is treated as ended.`,
      );
    }
    const claimId2 = randomUUID();
    const body = claimBody(req.fields, who, req.now(), claimId2, req.listingDigest, req.ttlMinutes, existing);
    const replaced = await replaceVerified(store, claimKey, body, claimId2, existing.etag);
    if (replaced === 'changed') continue; // someone else took it over or released it first: look again
    const claim = parseRecord(replaced.body, 'claim', replaced.etag);
    notes.push(`Took over the expired claim ${describeRecord(existing)}${run.state === 'ended' ? `: ${run.detail}` : ''}.`);
    return afterTaking(req, { outcome: 'taken-over', claim, replaced: existing, notes });
  }
  throw new UserError(
    `The claim ${store.uri(claimKey)} kept changing while it was read (${MAX_ROUNDS} rounds): other runs are claiming the same batch; re-run the job.`,
  );
}

/** A run that marked the batch dropped its claim only after its marker was in place: read the markers again now that we hold the claim. */
async function afterTaking(req: ClaimRequest, result: Extract<ClaimResult, { claim: ClaimInfo }>): Promise<ClaimResult> {
  const state = await readScopeState(
    req.store,
    req.batchPrefix,
    req.names,
    req.markerName,
    req.fields.environment,
    req.who,
    undefined,
    false,
  );
  if (!state.loaded) return result;
  await req.store.deleteIf(`${req.batchPrefix}${req.names.claim}`, result.claim.etag);
  return { outcome: 'loaded', marker: state.loaded, notes: result.notes };
}

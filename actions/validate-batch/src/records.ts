import { isPlainObject, runUrl, type RunContext } from '@pipeline-actions/kit';
import type { Scope } from './scope.js';

/** Who acts, from the runner's context: a re-run keeps its run id, so it is recognised as the same run. */
export interface Actor {
  actor: string;
  runId: string;
  runAttempt: number;
  repository: string;
  runUrl: string;
}

export function actorOf(ctx: RunContext): Actor {
  return {
    actor: ctx.actor,
    runId: ctx.runId,
    runAttempt: ctx.runAttempt,
    repository: ctx.repository,
    runUrl: ctx.repository && ctx.runId ? runUrl(ctx) : '',
  };
}

export interface ScopeFields {
  batchId: string;
  scope: Scope;
  environment: string;
  table: string;
}

/** Which run wrote a record, and for which scope: the fields markers and claims share. */
function origin(s: ScopeFields, who: Actor) {
  return {
    workflow_run: who.runId,
    run_attempt: who.runAttempt,
    repository: who.repository,
    run_url: who.runUrl,
    environment: s.environment,
    scope: s.scope,
    table: s.table,
  };
}

/** The loaded marker: the fields the bash wrote, plus where the run can be found, the scope and the claim it came from. */
export function markerBody(s: ScopeFields, who: Actor, now: Date, claimId: string, listingDigest: string): string {
  const record = {
    batch_id: s.batchId,
    loaded_at: now.toISOString(),
    loaded_by: who.actor,
    ...origin(s, who),
    claim_id: claimId,
    listing_digest: listingDigest,
  };
  return `${JSON.stringify(record, null, 2)}\n`;
}

/** The claim: taken before the load by one run, turned into the marker after it. */
export function claimBody(
  s: ScopeFields,
  who: Actor,
  now: Date,
  claimId: string,
  listingDigest: string,
  ttlMinutes: number,
  replaces?: ClaimInfo,
): string {
  const record = {
    claim_id: claimId,
    batch_id: s.batchId,
    claimed_at: now.toISOString(),
    claimed_by: who.actor,
    ...origin(s, who),
    listing_digest: listingDigest,
    ttl_minutes: ttlMinutes,
    ...(replaces
      ? { replaces: { claim_id: replaces.claimId, claimed_by: replaces.by, claimed_at: replaces.at, workflow_run: replaces.workflowRun } }
      : {}),
  };
  return `${JSON.stringify(record, null, 2)}\n`;
}

/** What a marker or a claim says; fields it lacks are empty (markers written by the old bash have fewer fields). */
export interface RecordInfo {
  by: string;
  at: string;
  workflowRun: string;
  repository: string;
  environment: string;
  scope: string;
  table: string;
  runUrl: string;
  claimId: string;
  listingDigest: string;
  /** Set when the object is not the JSON we expect: a marker still means "loaded", a claim still means "held". */
  unreadable?: string;
  /** The object's ETag, for a conditional replace or delete. */
  etag: string;
}
export type MarkerInfo = RecordInfo;
export type ClaimInfo = RecordInfo;

export function parseRecord(text: string, kind: 'marker' | 'claim', etag = ''): RecordInfo {
  const empty: RecordInfo = {
    by: '',
    at: '',
    workflowRun: '',
    repository: '',
    environment: '',
    scope: '',
    table: '',
    runUrl: '',
    claimId: '',
    listingDigest: '',
    etag,
  };
  let parsed: unknown;
  try {
    parsed = JSON.parse(text.replace(/^\uFEFF/, ''));
  } catch {
    return { ...empty, unreadable: `the ${kind} is not JSON` };
  }
  if (!isPlainObject(parsed)) return { ...empty, unreadable: `the ${kind} is not a JSON object` };
  const str = (v: unknown) => (typeof v === 'string' ? v : typeof v === 'number' ? String(v) : '');
  return {
    by: str(kind === 'marker' ? parsed.loaded_by : parsed.claimed_by),
    at: str(kind === 'marker' ? parsed.loaded_at : parsed.claimed_at),
    workflowRun: str(parsed.workflow_run),
    repository: str(parsed.repository),
    environment: str(parsed.environment),
    scope: str(parsed.scope),
    table: str(parsed.table),
    runUrl: str(parsed.run_url),
    claimId: str(parsed.claim_id),
    listingDigest: str(parsed.listing_digest),
    etag,
  };
}

/** "by alice at 2026-11-24T10:00:00Z (workflow run 123, environment prod)" */
export function describeRecord(info: RecordInfo): string {
  if (info.unreadable) return `(${info.unreadable}, so who wrote it and when is unknown)`;
  const details = [
    info.workflowRun && `workflow run ${info.workflowRun}`,
    info.environment && `environment ${info.environment}`,
    info.table && `table ${info.table}`,
    info.runUrl,
  ].filter(Boolean);
  return `by ${info.by || 'an unknown actor'} at ${info.at || 'an unknown time'}${details.length ? ` (${details.join(', ')})` : ''}`;
}

/** True when the record was written by this workflow run (any attempt) of this repository. */
export function isSameRun(info: RecordInfo, who: Actor): boolean {
  return (
    !info.unreadable && who.runId !== '' && info.workflowRun === who.runId && (info.repository === '' || info.repository === who.repository)
  );
}
